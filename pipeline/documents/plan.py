"""The plan recipe: JSON → model → rules → .docx → PDF, twice for the page numbers, + appendices."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Cm, Pt

from .. import pdftext
from ..assemble import Mark, Part, assemble, first_pages, page_count
from ..clock import now
from ..context.plan import appendix_label, expected_texts, headings, plan_context
from ..defaults import default_template
from ..docx import DocProperties, render_docx
from ..engines import Engine, get_engine
from ..errors import EngineError, InputError, KansliError
from ..finish import Metadata, finish
from ..load import load
from ..model.plan import Verksamhetsplan
from ..outputs import Stage, staged
from ..rules.plan import appendix_path, check_plan
from .base import Built, sort_findings

TEMPLATE = "verksamhetsplan.docx"
TOC_HEADING = "Innehållsförteckning"
MAX_PASSES = 4  # render, count pages, render with the numbers; more only if the numbers moved text
_TRAILING_NUMBER = re.compile(r"(\d+)\s*$")


def load_plan(json_path: Path) -> tuple[Verksamhetsplan, Built]:
    """Return the validated plan and its warnings; raise InputError listing every error."""
    plan = load(json_path, Verksamhetsplan)
    return plan, sort_findings(json_path, check_plan(plan, json_path))


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


class Job(NamedTuple):
    """One .docx to convert: appendix number n, or (n = 0) the plan itself or an appendix stamp."""

    docx: Path
    pdf: Path
    appendix: int = 0


def _failed(plan: Verksamhetsplan, job: Job, exc: EngineError) -> KansliError:
    if job.appendix == 0:
        return exc
    titel = plan.bilagor[job.appendix - 1].titel
    return InputError(f"{appendix_label(job.appendix)} (»{titel}«) kunde inte göras om till PDF: {exc.message}",
                      path=job.docx)


def convert_all(engine: Engine, jobs: Sequence[Job], plan: Verksamhetsplan, stage: Stage) -> None:
    """Convert every job's .docx; with LibreOffice in one start (soffice takes seconds to start)."""
    many = getattr(engine, "convert_many", None)
    if many is None or len(jobs) < 2:
        for job in jobs:
            try:
                engine.convert(job.docx, job.pdf)
            except EngineError as exc:
                raise _failed(plan, job, exc) from exc
        return
    # Copies under distinct names, since each PDF is named after its document.
    folder = stage.scratch("samtidigt")
    folder.mkdir()
    copies = [folder / f"dokument-{i}.docx" for i in range(len(jobs))]
    for job, copy in zip(jobs, copies, strict=True):
        shutil.copyfile(job.docx, copy)
    results = many(copies, folder)
    for job, result in zip(jobs, results, strict=True):
        if isinstance(result, EngineError):
            raise _failed(plan, job, result)
        shutil.move(result, job.pdf)


def _appendix_parts(plan: Verksamhetsplan, source: Path, stage: Stage) -> tuple[list[Part], list[Job]]:
    """Return each appendix as a PDF part, and the conversions a .docx appendix needs first."""
    parts: list[Part] = []
    jobs: list[Job] = []
    for n, appendix in enumerate(plan.bilagor, start=1):
        label = appendix_label(n)
        path = appendix_path(appendix, source)
        pdf = path
        if path.suffix.lower() == ".docx":
            pdf = stage.scratch(f"bilaga-{n}.pdf")
            jobs.append(Job(path, pdf, n))
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


def _with_stamps(parts: Sequence[Part], stage: Stage) -> tuple[list[Part], list[Job]]:
    """Return *parts* each with a stamp PDF to come, and the conversions that make the stamps."""
    out: list[Part] = []
    jobs: list[Job] = []
    for n, part in enumerate(parts, start=1):
        pdf = stage.scratch(f"märke-{n}.pdf")
        jobs.append(Job(stamp_docx(part.label, stage.scratch(f"märke-{n}.docx")), pdf))
        out.append(replace(part, stamp=pdf))
    return out, jobs


def _with_outlines(parts: Sequence[Part]) -> list[Part]:
    """Return *parts* with bookmarks from the headings of each converted .docx appendix."""
    return [replace(part, marks=outline_from_docx(part.source, part.pdf))
            if part.source is not None and part.source != part.pdf else part for part in parts]


def _marks(plan: Verksamhetsplan, pages: dict[str, int], toc_page: int | None) -> list[Mark]:
    marks = [Mark(TOC_HEADING, toc_page - 1)] if toc_page else []
    return marks + [Mark(text, pages[text] - 1) for text in headings(plan)]


def _starts(main_pages: int, counts: Sequence[int]) -> list[int]:
    """Return the page where each appendix starts, after *main_pages* pages of plan."""
    out: list[int] = []
    at = main_pages + 1
    for count in counts:
        out.append(at)
        at += count
    return out


def build_plan(json_path: Path, out_dir: Path, *, engine: str = "builtin", template: Path | None = None,
               force: bool = False) -> Built:
    """Write out_dir/<stem>.docx and out_dir/<stem>.pdf (plan + appendices); return what was written.

    The plan is rendered and converted, its pages counted, and rendered again with the page numbers
    in the contents, until the numbers stand still; the result is checked against the final PDF.
    """
    plan, built = load_plan(json_path)
    eng = get_engine(engine)
    eng.check()
    tpl = template or default_template(TEMPLATE)
    props = DocProperties(title=plan.full_title, author=plan.organisation, created=now(),
                          subject="Verksamhetsplan och budget", keywords=f"verksamhetsplan, budget, {plan.ar}")
    meta = Metadata(title=plan.full_title, author=plan.organisation, subject=props.subject, keywords=props.keywords)
    expected = expected_texts(plan) if template is None else ()
    with staged(out_dir, source=json_path) as stage:
        docx = stage.path(f"{json_path.stem}.docx")
        pdf = stage.path(f"{json_path.stem}.pdf")
        stage.check(force=force)
        main = stage.scratch("huvuddokument.pdf")
        parts, jobs = _appendix_parts(plan, json_path, stage)
        parts, stamp_jobs = _with_stamps(parts, stage)
        toc: dict[str, int] = {}
        starts: list[int] = []
        render_docx(tpl, plan_context(plan), docx, properties=props, expected=expected)
        convert_all(eng, [Job(docx, main), *jobs, *stamp_jobs], plan, stage)
        parts = _with_outlines(parts)
        counts = [page_count(part.pdf) for part in parts]
        for _ in range(MAX_PASSES):
            lines = pdf_lines(main)
            found, new_starts = measure(lines, plan, main), _starts(page_count(main), counts)
            if found == toc and new_starts == starts:
                break
            toc, starts = found, new_starts
            render_docx(tpl, plan_context(plan, toc_pages=toc, appendix_pages=starts), docx, properties=props,
                        expected=expected)
            eng.convert(docx, main)
        else:
            raise KansliError("sidnumren i innehållsförteckningen blev inte stabila; kontrollera mallen", path=tpl)
        assembled = assemble(main, _marks(plan, toc, heading_page(lines, TOC_HEADING)), parts,
                             stage.scratch("sammanfogad.pdf"))
        finish(assembled, pdf, meta)
        # The contents and the headings stand in the plan's own pages: read only those (an appendix
        # may have hundreds of pages).
        verify_toc(first_pages(pdf, starts[0] - 1, stage.scratch("kontroll.pdf")) if starts else pdf, plan, starts)
        built.outputs = stage.commit(force=force)
    return built
