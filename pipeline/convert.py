"""`kansli pdf`: any .docx (say, minutes edited in Word) → archive-copy PDF, by the road's last stretch."""

from __future__ import annotations

from pathlib import Path

from .defaults import ORGANISATION
from .documents import signature_sets
from .docxinfo import read_facts
from .engines import Engine
from .errors import InputError
from .finish import Metadata, make_pdf
from .outputs import Built, staged
from .zipguard import ZipRefused, check_zip


def convert_one(docx: Path, out_dir: Path | None, *, engine: Engine, force: bool = False) -> Built:
    """Convert *docx* to <out_dir or its folder>/<stem>.pdf as an archive copy; return what was written.

    A document that carries every signature label of a registered document (the minutes'
    "Vid anteckningarna" and "Justeras") gets that document's empty signature fields again.
    """
    if not docx.is_file():
        raise InputError("är ingen vanlig fil" if docx.exists() else "filen finns inte", path=docx)
    if docx.suffix.lower() != ".docx":
        raise InputError("är inte ett Word-dokument (.docx)", path=docx)
    try:
        check_zip(docx)  # a bomb is refused from the zip directory, before any engine opens it
    except ZipRefused as exc:
        raise InputError(str(exc), path=docx) from exc
    facts = read_facts(docx)
    meta = Metadata(title=facts.title or docx.stem, author=facts.author or ORGANISATION, subject=facts.subject)
    fields = next((spots for spots in signature_sets() if all(s.label in facts.text for s in spots)), ())
    with staged(out_dir or docx.parent, source=docx) as stage:
        pdf = stage.path(f"{docx.stem}.pdf")
        stage.check(force=force)
        make_pdf(engine, docx, pdf, stage.scratch("motor.pdf"), meta, signatures=fields)
        return Built(outputs=stage.commit(force=force))
