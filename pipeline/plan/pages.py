"""Where things stand in the plan's PDF: each heading's page, the contents' numbers, bookmarks from headings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from docx import Document

from .. import pdftext
from ..errors import KansliError
from .assemble import Mark
from .context import appendix_label, headings
from .model import Verksamhetsplan

TOC_HEADING = "Innehållsförteckning"
_TRAILING_NUMBER = re.compile(r"(\d+)\s*$")


class Line(NamedTuple):
    """One line of text on a page (1-based), with the largest type size on it."""

    page: int
    text: str
    size: float


def pdf_lines(pdf: Path) -> list[Line]:
    """Return every text line of *pdf*, page by page, top to bottom."""
    out: list[Line] = []
    for index, fragments in enumerate(pdftext.page_fragments(pdf)):
        for row in pdftext.lines(fragments):
            text = pdftext.normalise(" ".join(f.text for f in row))
            out.append(Line(index + 1, text, max(f.size for f in row)))
    return out


def _needles(text: str) -> list[str]:
    """Return *text*, then ever shorter prefixes of it (a long entry may wrap onto two lines)."""
    words = pdftext.normalise(text).split()
    return [" ".join(words[:n]) for n in range(len(words), min(len(words), 2) - 1, -1)]


def _contains(line: str, needle: str) -> bool:
    """Return True when *needle* stands in *line* as whole words ("5. A" is not in "15. A 11")."""
    return re.search(rf"(?<!\S){re.escape(needle)}(?!\w)", line) is not None


def _starts_heading(line: str, heading: str) -> bool:
    """Return True when *line* is the heading, or the first line of it when it wraps."""
    if line == heading or (line.startswith(heading) and not line[len(heading)].isalnum()):
        return True
    return len(line.split()) >= 2 and heading.startswith(line) and not heading[len(line)].isalnum()


def heading_page(lines: Sequence[Line], text: str) -> int | None:
    """Return the page where the heading *text* stands, or None.

    The same words stand in the table of contents; the heading is the line set in the largest type
    (the later one on a tie).
    """
    heading = pdftext.normalise(text)
    hits = [line for line in lines if _starts_heading(line.text, heading)]
    if not hits:
        return None
    return max(hits, key=lambda h: (round(h.size, 1), h.page)).page


def listed_page(lines: Sequence[Line], text: str) -> int | None:
    """Return the page number that the contents entry naming *text* ends with, or None."""
    for needle in _needles(text):
        for at, line in enumerate(lines):
            if _contains(line.text, needle):
                # The number ends the entry's line, or the next one when the entry wraps.
                for candidate in lines[at: at + 2]:
                    match = _TRAILING_NUMBER.search(candidate.text.rstrip(". "))
                    if match:
                        return int(match.group(1))
                return None
    return None


def measure(lines: Sequence[Line], plan: Verksamhetsplan, pdf: Path) -> dict[str, int]:
    """Return the page of every numbered heading of *plan*; fail if one is missing from *pdf*."""
    pages: dict[str, int] = {}
    for text in headings(plan):
        page = heading_page(lines, text)
        if page is None:
            raise KansliError(f"rubriken »{text}« hittades inte i PDF-filen; kontrollera mallen", path=pdf)
        pages[text] = page
    return pages


def verify_toc(pdf: Path, plan: Verksamhetsplan, appendix_starts: Sequence[int]) -> None:
    """Raise KansliError unless every contents entry in *pdf* names the page its heading stands on.

    A template without a table of contents (no »Innehållsförteckning«, no entries) passes.
    """
    lines = pdf_lines(pdf)
    if appendix_starts:  # the plan's headings are looked for in the plan, not in its appendices
        lines = [line for line in lines if line.page < appendix_starts[0]]
    pages = measure(lines, plan, pdf)
    front = [line for line in lines if line.page < min(pages.values())]
    listed = {text: listed_page(front, text) for text in pages}
    listed_appendices = [listed_page(front, a.titel) for a in plan.bilagor]
    has_toc = any(TOC_HEADING in line.text for line in lines if line.page <= max(pages.values()))
    if not has_toc and all(v is None for v in [*listed.values(), *listed_appendices]):
        return
    wrong = [f"»{text}« står på sidan {page} men innehållsförteckningen säger {listed[text] or 'inget'}"
             for text, page in pages.items() if listed[text] != page]
    for n, (start, said) in enumerate(zip(appendix_starts, listed_appendices, strict=True), start=1):
        if said != start:
            wrong.append(f"{appendix_label(n)} börjar på sidan {start} men förteckningen säger {said or 'inget'}")
    if wrong:
        raise KansliError("innehållsförteckningen stämmer inte: " + "; ".join(wrong), path=pdf)


def docx_headings(docx: Path) -> list[tuple[int, str]]:
    """Return (level, text) of every heading (styles Heading 1-3) of the Word document *docx*."""
    out: list[tuple[int, str]] = []
    for paragraph in Document(str(docx)).paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        match = re.fullmatch(r"Heading ([1-3])", name or "")
        text = pdftext.normalise(paragraph.text)
        if match and text:
            out.append((int(match.group(1)) - 1, text))
    return out


def _nest(flat: Sequence[tuple[int, Mark]]) -> tuple[Mark, ...]:
    """Return marks nested by level: each mark takes the deeper ones that follow it as children."""
    out: list[Mark] = []
    at = 0
    while at < len(flat):
        level, mark = flat[at]
        end = at + 1
        while end < len(flat) and flat[end][0] > level:
            end += 1
        out.append(Mark(mark.title, mark.page, _nest(flat[at + 1:end])))
        at = end
    return tuple(out)


def outline_from_docx(docx: Path, pdf: Path) -> tuple[Mark, ...]:
    """Return bookmarks for the headings of *docx*, each at the page of *pdf* it stands on (0-based).

    Headings are looked for in order, each on or after the page of the one before; one that cannot
    be found is left out rather than pointed at a wrong page.
    """
    lines = pdf_lines(pdf)
    flat: list[tuple[int, Mark]] = []
    page = 1
    for level, text in docx_headings(docx):
        hits = [line for line in lines if line.page >= page and _starts_heading(line.text, text)]
        if hits:
            page = max(hits, key=lambda h: (round(h.size, 1), -h.page)).page
            flat.append((level, Mark(text, page - 1)))
    return _nest(flat)
