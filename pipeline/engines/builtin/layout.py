"""Page layout: sections as page templates, headers/footers with page numbers, the rebuilt TOC, passes."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus.flowables import Flowable, KeepTogether, Spacer

from . import fonts, structure, tags
from .model import Block, Document, PageBreak, Paragraph, Section, Tab, Table, TabStop, Text, Toc
from .paragraphs import Env, Para
from .tablelayout import build_table

MAX_PAGES = 20000


class LayoutLimit(Exception):
    """The document would need an absurd number of pages."""


class DeferredCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds finished pages until save(), so headers/footers know the page count."""

    decorate: Callable[[Canvas, int, int, bool], None] | None = None  # draws headers/footers at save()
    dry = False  # a measuring pass: count the pages, write nothing
    tagger: tags.Tagger | None = None  # the structure recorded while drawing, written at save()
    tagged = True  # False: an untagged PDF (only to measure what tagging costs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        if len(self._held) > MAX_PAGES:
            raise LayoutLimit("för många sidor")
        self._startPage()

    def save(self) -> None:
        held = self._held
        if self.dry:
            self._held_count = len(held)
            return
        total = len(held)
        pages = []
        for number, state in enumerate(held, start=1):
            self.__dict__.update(state)
            code = self._code
            if self.tagged:
                code[:] = tags.artifacts(code)  # what is painted outside the tagged content is an artifact
            if self.decorate is not None:
                start = len(code)
                self.decorate(self, number, total, True)
                head = code[start:]
                del code[start:]
                code[0:0] = tags.pagination(head, "Header") if self.tagged else head  # first, as it is read
                start = len(code)
                self.decorate(self, number, total, False)
                if self.tagged:
                    code[start:] = tags.pagination(code[start:], "Footer")
            name = self._doc.thisPageName()
            Canvas.showPage(self)
            pages.append((name, self._doc.Pages.pages[-1]))
        if self.tagger is not None:
            structure.emit(self._doc, self.tagger, pages)
        Canvas.save(self)


class KeepNext(KeepTogether):  # type: ignore[misc]
    """Keep-with-next as Word does it: the kept paragraphs stay with the first lines of the next block."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        """Measure the group (without platypus' deep copy of the frame on every call)."""
        total = first_h = 0.0
        first = True
        for f in self._content:
            if hasattr(f, "frameAction"):
                continue
            _, h = f.wrapOn(self.canv, aW, 0xFFFFFFF)
            if first:
                first_h, first = h, False
            else:
                total += f.getSpaceBefore()
            total += h + f.getSpaceAfter()
        self._H, self._H0, self._wrapInfo = total, first_h, (aW, aH)
        return aW, 0xFFFFFF

    def split(self, aW: float, aH: float) -> list[Flowable]:
        content = list(self._content)
        for f in content:  # the group is being honoured now; never regroup its parts (that would loop)
            f.__dict__["keepWithNext"] = 0
        if len(content) > 1:
            used = 0.0
            for i, f in enumerate(content[:-1]):
                _, h = f.wrap(aW, aH - used)
                used += h + (f.getSpaceBefore() if i else 0.0) + f.getSpaceAfter()
            last = content[-1]
            room = aH - used - last.getSpaceBefore()
            if room > 0:
                last.kept_below = True  # not alone on the page: no forced split at the top
                try:
                    parts = last.split(aW, room)
                finally:
                    last.kept_below = False
                if len(parts) > 1:
                    return [*content[:-1], *parts]
        out: list[Flowable] = super().split(aW, aH)
        return out


def blocks_to_flowables(blocks: list[Block], env: Env, width: float, cell: bool = False) -> list[Flowable]:
    """Return the flowables for *blocks* laid into *width* points (contextual spacing applied).

    In a table *cell* the spacing before and after paragraphs counts in full, as Word counts it.
    """
    out: list[Flowable] = []
    n = len(blocks)
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            fmt = block.fmt
            before, after = fmt.before, fmt.after
            if fmt.contextual:
                prev = blocks[i - 1] if i > 0 else None
                nxt = blocks[i + 1] if i + 1 < n else None
                if isinstance(prev, Paragraph) and prev.style_id == block.style_id:
                    before = 0.0
                if isinstance(nxt, Paragraph) and nxt.style_id == block.style_id:
                    after = 0.0
            para = Para(block, env, before, after)
            prev_block = blocks[i - 1] if i > 0 else None
            if fmt.borders and isinstance(prev_block, Paragraph) and _same_box(prev_block, block) and out \
                    and isinstance(out[-1], Para):
                para.joined_above = out[-1].joined_below = True
            if cell or (i > 0 and isinstance(blocks[i - 1], PageBreak)):
                para.lead = before
            para.after_inside = para.after_inside or cell
            out.append(para)
        elif isinstance(block, Table):
            out.extend(build_table(block, width, lambda bl, w: blocks_to_flowables(bl, env, w, cell=True)))
        elif isinstance(block, Toc):
            out.extend(toc_flowables(block, env, width))
        elif isinstance(block, PageBreak) and not cell:  # Word has no page breaks inside a table cell
            out.append(RLPageBreak())
    return out


def _same_box(a: Paragraph, b: Paragraph) -> bool:
    """Return True when Word draws *a* and *b* inside one border box."""
    return (a.fmt.borders == b.fmt.borders and a.fmt.left == b.fmt.left and a.fmt.right == b.fmt.right
            and a.fmt.shading == b.fmt.shading)


def toc_flowables(toc: Toc, env: Env, width: float) -> list[Flowable]:
    """Return the TOC entries rebuilt from the headings, with page numbers from the previous pass."""
    out: list[Flowable] = []
    for heading in env.headings:
        level = (heading.outline or 0) + 1
        if not toc.min_level <= level <= toc.max_level or not heading.anchors:
            continue
        fmt = toc.formats.get(level)
        style = toc.styles.get(level)
        if fmt is None or style is None:
            continue
        edge = width - fmt.right
        if not any(t.align == "right" for t in fmt.tabs):
            fmt = replace(fmt, tabs=(*fmt.tabs, TabStop(edge, "right", "dot")))
        anchor = heading.anchors[-1]
        link = "#" + anchor if toc.links else None
        text = (heading.label + " " if heading.label else "") + heading.plain_text()
        page = env.prev_pages.get(anchor, 0)
        entry = Paragraph([Text(text, style, link), Tab(style, link), Text(str(page), style, link)], fmt,
                          style_id=f"toc{level}", default_style=style)
        if env.tags is not None:
            env.tags.toc_entry(toc, entry)
        out.append(Para(entry, env, fmt.before, fmt.after))
    return out


class Document_(BaseDocTemplate):  # type: ignore[misc]
    """The platypus document: one page template per section; records which page belongs where."""

    def __init__(self, target: BinaryIO, doc: Document, env: Env, **kwargs: Any) -> None:
        first = doc.sections[0]
        super().__init__(target, pagesize=(first.width, first.height), **kwargs)
        self.model = doc
        self.env = env
        self.page_section: dict[int, int] = {}
        self.display: dict[int, int] = {}
        self.section_first: dict[int, int] = {}
        self.section_counts: dict[int, int] = {}  # filled when the pages are decorated
        self.step_limit = 1_000_000
        templates = []
        for i, sec in enumerate(doc.sections):
            top, bottom = self._reserved(sec)
            frame = Frame(sec.left, bottom, max(sec.width - sec.left - sec.right, 36.0),
                          max(sec.height - top - bottom, 36.0), leftPadding=0, rightPadding=0,
                          topPadding=0, bottomPadding=0, id=f"f{i}")
            templates.append(PageTemplate(id=f"s{i}", frames=[frame], onPage=self._on_page(i),
                                          pagesize=(sec.width, sec.height)))
        self.addPageTemplates(templates)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        """Place the next flowable; refuse a layout that goes round in circles instead of hanging."""
        self._steps = getattr(self, "_steps", 0) + 1
        if self._steps > self.step_limit:
            raise LayoutLimit("sidbrytningen kommer inte framåt")
        super().handle_flowable(flowables)

    def _reserved(self, sec: Section) -> tuple[float, float]:
        """Return the top and bottom space the body leaves free: margins, or taller headers/footers."""
        width = max(sec.width - sec.left - sec.right, 36.0)
        top, bottom = sec.top, sec.bottom
        header = max((_height(blocks, self.env, width) for blocks in sec.headers.values()), default=0.0)
        footer = max((_height(blocks, self.env, width) for blocks in sec.footers.values()), default=0.0)
        top = max(top, sec.header_dist + header)
        bottom = max(bottom, sec.footer_dist + footer)
        limit = sec.height - 72.0
        if top + bottom > limit:
            top, bottom = sec.top, sec.bottom
        return top, bottom

    def _on_page(self, index: int) -> Any:
        def on_page(canv: Canvas, _doc: Any) -> None:
            page = canv.getPageNumber()
            if page > MAX_PAGES:
                raise LayoutLimit("för många sidor")
            self.page_section[page] = index
            sec = self.model.sections[index]
            first = index not in self.section_first
            if first:
                self.section_first[index] = page
            prev = self.display.get(page - 1, 0)
            self.display[page] = sec.page_start if first and sec.page_start is not None else prev + 1
            self.env.page = self.display[page]
            self.env.page_fmt = sec.page_fmt
        return on_page


def _height(blocks: list[Block], env: Env, width: float) -> float:
    total = 0.0
    for f in blocks_to_flowables(blocks, env, width):
        _, h = f.wrap(width, 10000.0)
        total += h + (f.getSpaceBefore() if total else 0.0)
    return total


def _decorate(doc: Document_, canv: Canvas, page: int, total: int, header: bool) -> None:
    """Draw the header (or footer) of physical *page* of *total*; bind the page's link targets."""
    env = doc.env
    if header:
        for mark_page, key, x, y in env.marks:
            if mark_page == page:
                canv.bookmarkPage(key, fit="XYZ", left=x, top=y)
    index = doc.page_section.get(page)
    if index is None:
        return
    sec = doc.model.sections[index]
    env.page = doc.display.get(page, page)
    env.page_fmt = sec.page_fmt
    env.numpages = total
    if not doc.section_counts:
        for i in doc.page_section.values():
            doc.section_counts[i] = doc.section_counts.get(i, 0) + 1
    env.section_pages = doc.section_counts.get(index, 0)
    first = doc.section_first.get(index) == page
    kind = "default"
    if sec.title_page and first:
        kind = "first"
    elif doc.model.even_odd and env.page % 2 == 0:
        kind = "even"
    width = max(sec.width - sec.left - sec.right, 36.0)
    for store, is_header in ((sec.headers, True), (sec.footers, False)):
        if is_header != header:
            continue
        blocks = store.get(kind, [] if kind != "default" else store.get("default", []))
        if not blocks:
            continue
        flows = blocks_to_flowables(blocks, env, width)
        sizes = []
        for f in flows:
            sizes.append(f.wrapOn(canv, width, sec.height))
        height = sum(h for _, h in sizes) + sum(f.getSpaceBefore() for f in flows[1:])
        y = sec.height - sec.header_dist if is_header else sec.footer_dist + height
        for i, (f, (_, h)) in enumerate(zip(flows, sizes, strict=True)):
            if i:
                y -= f.getSpaceBefore()
            f.drawOn(canv, sec.left, y - h)
            y -= h


def _story(doc: Document, env: Env) -> list[Flowable]:
    story: list[Flowable] = []
    for i, sec in enumerate(doc.sections):
        width = max(sec.width - sec.left - sec.right, 36.0)
        if i > 0:
            story.append(NextPageTemplate(f"s{i}"))
            if sec_start(doc.sections[i - 1], sec):
                story.append(RLPageBreak())
        story.extend(blocks_to_flowables(sec.blocks, env, width))
    if not story:
        story.append(Spacer(1, 1))
    return story


def sec_start(prev: Section, sec: Section) -> bool:
    """Return True when *sec* starts on a new page (every kind of section break but a continuous one)."""
    return sec.start != "continuous" or (prev.width, prev.height) != (sec.width, sec.height)


def _pass(doc: Document, target: BinaryIO, prev_pages: dict[str, int], numpages: int, dry: bool,
          stamp: datetime, tagged: bool = True) -> tuple[int, dict[str, int]]:
    env = Env(default_tab=doc.default_tab, numpages=numpages, additive=doc.additive_spacing)
    env.tags = tags.Tagger(doc) if tagged and not dry else None
    env.anchors = {a for p in doc.headings for a in p.anchors} | _all_anchors(doc)
    env.headings = doc.headings
    env.prev_pages = prev_pages
    env.max_image_height = min(s.height - s.top - s.bottom for s in doc.sections) * 0.95
    base = fonts.resolve("Calibri")
    template = Document_(target, doc, env, invariant=1, title=doc.title or None, author=doc.author or None,
                         creator="kansli", producer="kansli", initialFontName=base.name,
                         pageCompression=0 if dry else 1, keepTogetherClass=KeepNext)

    story = _story(doc, env)

    def make_canvas(*args: Any, **kwargs: Any) -> DeferredCanvas:
        canv = DeferredCanvas(*args, **kwargs)
        canv.dry = dry
        canv.tagger = env.tags
        canv.tagged = tagged
        canv.decorate = lambda c, page, total, header: _decorate(template, c, page, total, header)
        canv.setDateFormatter(lambda *_a: stamp.strftime("D:%Y%m%d%H%M%S+00'00'"))
        return canv

    template.step_limit = 200_000 + 50 * len(story)
    template.build(story, canvasmaker=make_canvas)
    return len(template.display), env.heading_pages


def _all_anchors(doc: Document) -> set[str]:
    out: set[str] = set()

    def walk(blocks: list[Block]) -> None:
        for b in blocks:
            if isinstance(b, Paragraph):
                out.update(b.anchors)
            elif isinstance(b, Table):
                for row in b.rows:
                    for cell in row.cells:
                        walk(cell.blocks)

    for sec in doc.sections:
        walk(sec.blocks)
    return out


def render(doc: Document, target: BinaryIO, stamp: datetime, tagged: bool = True) -> None:
    """Lay out *doc* and write the tagged PDF to *target* (two passes when a TOC or NUMPAGES needs them).

    Untagged (*tagged* False) only to measure what tagging costs (bench/run.py)."""
    pages: dict[str, int] = {}
    numpages = 1
    saved = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: smaller and faster to write than ASCII85
    try:
        if doc.has_toc or doc.uses_numpages_in_body:
            numpages, pages = _pass(doc, io.BytesIO(), {}, 1, True, stamp)
        _pass(doc, target, pages, numpages, False, stamp, tagged)
    finally:
        rl_config.useA85 = saved
