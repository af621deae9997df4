"""The plan's appendices as parts to append: .docx ones converted by the run's engine, each with its mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from ..errors import EngineError, InputError, KansliError
from ..outputs import Stage
from .assemble import Part
from .context import appendix_label
from .files import appendix_path
from .model import Verksamhetsplan
from .pages import outline_from_docx


class Conversion(NamedTuple):
    """One .docx appendix (number n) to convert along with the plan."""

    docx: Path
    pdf: Path
    appendix: int = 0


def failure(plan: Verksamhetsplan, job: Conversion, exc: EngineError) -> KansliError:
    """Return the error to report when *job* could not be converted: an appendix is named."""
    if job.appendix == 0:
        return exc
    titel = plan.bilagor[job.appendix - 1].titel
    return InputError(f"{appendix_label(job.appendix)} (»{titel}«) kunde inte göras om till PDF: {exc.message}",
                      path=job.docx)


def prepare(plan: Verksamhetsplan, source: Path, stage: Stage) -> tuple[list[Part], list[Conversion]]:
    """Return each appendix as a part to append (with its mark), and the conversions they need first."""
    return _appendix_parts(plan, source, stage)


def converted(plan: Verksamhetsplan, parts: Sequence[Part], jobs: Sequence[Conversion],
              results: Sequence[Path | EngineError]) -> list[Part]:
    """Return *parts* once *jobs* gave *results*: raise the first failure; add a converted .docx's bookmarks."""
    for job, result in zip(jobs, results, strict=True):
        if isinstance(result, EngineError):
            raise failure(plan, job, result)
    return _with_outlines(parts)


def _appendix_parts(plan: Verksamhetsplan, source: Path, stage: Stage) -> tuple[list[Part], list[Conversion]]:
    """Return each appendix as a PDF part, and the conversions a .docx appendix needs first."""
    parts: list[Part] = []
    jobs: list[Conversion] = []
    for n, appendix in enumerate(plan.bilagor, start=1):
        label = appendix_label(n)
        path = appendix_path(appendix, source)
        pdf = path
        if path.suffix.lower() == ".docx":
            pdf = stage.scratch(f"bilaga-{n}.pdf")
            jobs.append(Conversion(path, pdf, n))
        parts.append(Part(pdf, label, f"{label}: {appendix.titel}", source=path, stamped=True))
    return parts, jobs


def _with_outlines(parts: Sequence[Part]) -> list[Part]:
    """Return *parts* with bookmarks from the headings of each converted .docx appendix."""
    return [replace(part, marks=outline_from_docx(part.source, part.pdf))
            if part.source is not None and part.source != part.pdf else part for part in parts]
