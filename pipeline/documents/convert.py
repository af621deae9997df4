"""The `kansli pdf` recipe: any .docx (e.g. minutes edited in Word) → archive-copy PDF."""

from __future__ import annotations

from pathlib import Path

from ..defaults import ORGANISATION
from ..docxinfo import read_facts
from ..engines import get_engine
from ..errors import InputError
from ..finish import MINUTES_SIGNATURES, Metadata, finish
from ..outputs import staged
from .base import Built


def convert_one(docx: Path, out_dir: Path | None, *, engine: str = "builtin", force: bool = False) -> Built:
    """Convert *docx* to <out_dir or its folder>/<stem>.pdf as an archive copy; return what was written."""
    if not docx.is_file():
        raise InputError("filen finns inte", path=docx)
    if docx.suffix.lower() != ".docx":
        raise InputError("är inte ett Word-dokument (.docx)", path=docx)
    facts = read_facts(docx)
    meta = Metadata(title=facts.title or docx.stem, author=facts.author or ORGANISATION, subject=facts.subject)
    # Minutes (both signature labels in the text) get their two empty signature fields again.
    fields = MINUTES_SIGNATURES if all(s.label in facts.text for s in MINUTES_SIGNATURES) else ()
    with staged(out_dir or docx.parent, source=docx) as stage:
        pdf = stage.path(f"{docx.stem}.pdf")
        stage.check(force=force)
        raw = stage.scratch("motor.pdf")
        get_engine(engine).convert(docx, raw)
        finish(raw, pdf, meta, signature_fields=fields)
        return Built(outputs=stage.commit(force=force))
