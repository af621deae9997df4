"""The minutes recipe: JSON → model → rules → .docx (template) → PDF with signature fields."""

from __future__ import annotations

from pathlib import Path

from ..clock import now
from ..context.minutes import minutes_context, user_texts
from ..defaults import ORGANISATION, default_template
from ..docx import DocProperties, render_docx
from ..engines import get_engine
from ..finish import MINUTES_SIGNATURES, Metadata
from ..load import load
from ..model.minutes import Minnesanteckningar
from ..outputs import staged
from ..rules.minutes import check_minutes
from .base import Built, docx_to_pdf, sort_findings

TEMPLATE = "minnesanteckningar.docx"


def load_minutes(json_path: Path) -> tuple[Minnesanteckningar, Built]:
    """Return the validated minutes and their warnings; raise InputError listing every error."""
    minutes = load(json_path, Minnesanteckningar)
    return minutes, sort_findings(json_path, check_minutes(minutes))


def build_minutes(json_path: Path, out_dir: Path, *, template: Path | None = None, engine: str = "builtin",
                  pdf: bool = True, force: bool = False) -> Built:
    """Write out_dir/<stem>.docx (and .pdf) for the minutes in *json_path*; return what was written."""
    minutes, built = load_minutes(json_path)
    context = minutes_context(minutes)
    if pdf:
        get_engine(engine).check()
    title = context["titel"]
    props = DocProperties(title=f"{title} {minutes.datum.isoformat()}", author=ORGANISATION, created=now(),
                          subject="Minnesanteckningar", keywords=minutes.organ)
    with staged(out_dir, source=json_path) as stage:
        docx = stage.path(f"{json_path.stem}.docx")
        pdf_path = stage.path(f"{json_path.stem}.pdf") if pdf else None
        stage.check(force=force)
        # With the user's own template, texts it leaves out on purpose are not an error.
        expected = user_texts(context) if template is None else ()
        render_docx(template or default_template(TEMPLATE), context, docx, properties=props, expected=expected)
        if pdf_path is not None:
            meta = Metadata(title=props.title, author=ORGANISATION, subject=props.subject, keywords=minutes.organ)
            docx_to_pdf(docx, pdf_path, stage.scratch("motor.pdf"), engine=engine, meta=meta,
                        signature_fields=MINUTES_SIGNATURES)
        built.outputs = stage.commit(force=force)
    return built
