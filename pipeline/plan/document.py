"""The plan document: Verksamhetsplan och budget, its contents' page numbers found by a fix-point, + appendices.

The plan is rendered and converted, its headings found in the PDF, and rendered again with those page
numbers in the contents until they stand still; then the appendices are appended with bookmarks and
page labels, and the finished PDF is read once more to check every contents entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..documents import Document, Options, Properties
from ..errors import EngineError, KansliError
from ..road import Job
from .appendices import converted, prepare
from .assemble import Mark, Part, assemble, first_pages, page_count
from .context import adoption_line, expected_texts, headings, plan_context
from .model import Verksamhetsplan
from .pages import TOC_HEADING, heading_page, measure, pdf_lines, verify_toc

MAX_PASSES = 4  # render, count pages, render with the numbers; more only if the numbers moved text


def _starts(main_pages: int, counts: Sequence[int]) -> list[int]:
    """Return the page where each appendix starts, after *main_pages* pages of plan."""
    out: list[int] = []
    at = main_pages + 1
    for count in counts:
        out.append(at)
        at += count
    return out


def _marks(plan: Verksamhetsplan, pages: dict[str, int], toc_page: int | None) -> list[Mark]:
    marks = [Mark(TOC_HEADING, toc_page - 1)] if toc_page else []
    return marks + [Mark(text, pages[text] - 1) for text in headings(plan)]


class Pagination:
    """The plan's after-PDF step for one run: contents fix-point, appendices, final check."""

    def __init__(self, job: Job[Verksamhetsplan]) -> None:
        self.job = job
        self.plan = job.model
        self.parts, self.jobs = prepare(job.model, job.source, job.stage)
        self.starts: list[int] = []

    def companions(self) -> list[tuple[Path, Path]]:
        """Return the appendices and marks to convert along with the plan."""
        return [(conversion.docx, conversion.pdf) for conversion in self.jobs]

    def shape(self, pdf: Path, results: Sequence[Path | EngineError]) -> Path:
        """Return the plan with its contents' numbers right and the appendices appended."""
        parts: list[Part] = converted(self.plan, self.parts, self.jobs, results)
        counts = [page_count(part.pdf) for part in parts]
        toc: dict[str, int] = {}
        main = pdf
        for _ in range(MAX_PASSES):
            lines = pdf_lines(main)
            found, starts = measure(lines, self.plan, main), _starts(page_count(main), counts)
            if found == toc and starts == self.starts:
                break
            toc, self.starts = found, starts
            docx = self.job.render(plan_context(self.plan, toc_pages=toc, appendix_pages=starts))
            main = self.job.convert(docx, self.job.stage.scratch("huvuddokument.pdf"))
        else:
            raise KansliError("sidnumren i innehållsförteckningen blev inte stabila; kontrollera mallen",
                              path=self.job.template)
        return assemble(main, _marks(self.plan, toc, heading_page(lines, TOC_HEADING)), parts,
                        self.job.stage.scratch("sammanfogad.pdf"))

    def confirm(self, pdf: Path) -> None:
        """Raise unless every contents entry of the finished *pdf* names its heading's page."""
        # The contents and the headings stand in the plan's own pages: read only those (an appendix
        # may have hundreds of pages).
        starts = self.starts
        own = first_pages(pdf, starts[0] - 1, self.job.stage.scratch("kontroll.pdf")) if starts else pdf
        verify_toc(own, self.plan, starts)


def _properties(plan: Verksamhetsplan, options: Options) -> Properties:
    adopted = adoption_line(plan)  # the subject is the PDF's Subject and its XMP dc:description
    subject = f"Verksamhetsplan och budget {plan.ar}" + (f". {adopted}" if adopted else "")
    return Properties(title=plan.full_title, author=plan.organisation, subject=subject,
                      keywords=f"verksamhetsplan, budget, {plan.ar}")


def _context(plan: Verksamhetsplan, options: Options) -> dict[str, Any]:
    return plan_context(plan)


def _expected(plan: Verksamhetsplan, context: Any) -> list[str]:
    return expected_texts(plan)


DOCUMENT: Document[Verksamhetsplan] = Document(
    template="verksamhetsplan.docx", properties=_properties, context=_context, expected=_expected,
    after=Pagination)
