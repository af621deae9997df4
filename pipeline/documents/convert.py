"""The `kansli pdf` recipe: any .docx (e.g. minutes edited in Word) → archive-copy PDF."""

from __future__ import annotations

from pathlib import Path

from ..docx import read_properties
from ..engines import get_engine
from ..errors import InputError
from ..finish import MINUTES_SIGNATURES, Metadata, finish
from ..outputs import staged
from ..pdftext import find_text
from .base import Built
from .minutes import ORGANISATION


def convert_one(docx: Path, out_dir: Path | None, *, engine: str = "builtin", force: bool = False) -> Built:
    """Convert *docx* to <out_dir or its folder>/<stem>.pdf as an archive copy; return what was written.

    Minutes (the signature labels found in the layout) get their two empty signature fields again.
    """
    if not docx.is_file():
        raise InputError("filen finns inte", path=docx)
    if docx.suffix.lower() != ".docx":
        raise InputError("är inte ett Word-dokument (.docx)", path=docx)
    title, author, subject = read_properties(docx)
    meta = Metadata(title=title or docx.stem, author=author or ORGANISATION, subject=subject)
    with staged(out_dir or docx.parent) as stage:
        pdf = stage.path(f"{docx.stem}.pdf")
        stage.check(force=force)
        raw = stage.scratch("motor.pdf")
        get_engine(engine).convert(docx, raw)
        fields = MINUTES_SIGNATURES if all(find_text(raw, s.label) for s in MINUTES_SIGNATURES) else ()
        finish(raw, pdf, meta, signature_fields=fields)
        return Built(outputs=stage.commit(force=force))
