"""The plan's appendices as parts to append: .docx ones converted by the run's engine, each with its mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Cm, Pt

from ..errors import EngineError, InputError, KansliError
from ..outputs import Stage
from .assemble import Part
from .context import appendix_label
from .files import appendix_path
from .model import Verksamhetsplan
from .pages import outline_from_docx


class Conversion(NamedTuple):
    """One .docx to convert along with the plan: appendix number n, or (n = 0) an appendix's mark."""

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
    parts, jobs = _appendix_parts(plan, source, stage)
    parts, stamp_jobs = _with_stamps(parts, stage)
    return parts, [*jobs, *stamp_jobs]


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
        parts.append(Part(pdf, label, f"{label}: {appendix.titel}", source=path))
    return parts, jobs


def stamp_docx(label: str, out: Path) -> Path:
    """Write a one-page Word document with *label* in the top right corner (the mark on an appendix)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.right_margin = Cm(0.8), Cm(1.2)
    paragraph = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(f"\u00a0{label}\u00a0")
    run.bold = True
    run.font.name = "Calibri"
    run.font.size = Pt(10)
    run.font.highlight_color = WD_COLOR_INDEX.WHITE  # readable on a coloured cover too
    doc.save(str(out))
    return out


def _with_stamps(parts: Sequence[Part], stage: Stage) -> tuple[list[Part], list[Conversion]]:
    """Return *parts* each with a stamp PDF to come, and the conversions that make the stamps."""
    out: list[Part] = []
    jobs: list[Conversion] = []
    for n, part in enumerate(parts, start=1):
        pdf = stage.scratch(f"märke-{n}.pdf")
        jobs.append(Conversion(stamp_docx(part.label, stage.scratch(f"märke-{n}.docx")), pdf))
        out.append(replace(part, stamp=pdf))
    return out, jobs


def _with_outlines(parts: Sequence[Part]) -> list[Part]:
    """Return *parts* with bookmarks from the headings of each converted .docx appendix."""
    return [replace(part, marks=outline_from_docx(part.source, part.pdf))
            if part.source is not None and part.source != part.pdf else part for part in parts]
