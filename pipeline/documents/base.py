"""What every recipe returns, and the docx→PDF step that minutes and plan share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..engines import get_engine
from ..errors import InputError, Problem
from ..finish import Metadata, SignatureSpot, finish


@dataclass
class Built:
    """The files a command wrote and the warnings it found on the way."""

    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def sort_findings(source: Path, findings: Sequence[Problem]) -> Built:
    """Return a Built holding the warnings among *findings*; raise InputError listing the errors."""
    errors = [p for p in findings if not p.warning]
    if errors:
        raise InputError.listing(source, errors)
    return Built(warnings=[p for p in findings if p.warning])


def docx_to_pdf(docx: Path, pdf: Path, scratch: Path, *, engine: str, meta: Metadata,
                signature_fields: Sequence[SignatureSpot] = ()) -> Path:
    """Convert *docx* with *engine* into *scratch*, finish it as an archive copy into *pdf*."""
    get_engine(engine).convert(docx, scratch)
    return finish(scratch, pdf, meta, signature_fields=signature_fields)
