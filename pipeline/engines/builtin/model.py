"""The small document model the reader produces and the layout consumes: sections, blocks, runs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RunStyle:
    """Resolved character formatting of one run (sizes in points, colours as RRGGBB)."""

    font: str = "Calibri"
    size: float = 11.0
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    color: str | None = None
    highlight: str | None = None
    vert: str = ""  # "", "superscript" or "subscript"
    caps: bool = False
    spacing: float = 0.0  # extra space after each character, in points
    lang: str = ""  # the run's language (w:lang w:val), e.g. "en-GB"; "" when unknown


@dataclass(frozen=True)
class Text:
    """A piece of text in one style, perhaps inside a hyperlink."""

    text: str
    style: RunStyle
    link: str | None = None  # an external URL, or "#name" for an anchor in the document


@dataclass(frozen=True)
class Tab:
    """A tab character."""

    style: RunStyle
    link: str | None = None


@dataclass(frozen=True)
class Break:
    """A line break (page breaks split paragraphs in the reader)."""

    style: RunStyle


@dataclass(frozen=True)
class Image:
    """An inline picture with its size in points."""

    data: bytes
    width: float
    height: float
    link: str | None = None
    alt: str = ""  # the alternative text (wp:docPr descr); "" for a decorative picture


@dataclass(frozen=True)
class Field:
    """A field whose value is known only at layout time: PAGE, NUMPAGES, SECTIONPAGES."""

    kind: str
    style: RunStyle


Inline = Text | Tab | Break | Image | Field


@dataclass(frozen=True)
class TabStop:
    """A tab stop: position from the paragraph's left indent edge in points, alignment and leader."""

    pos: float
    align: str = "left"  # left, right, center, decimal, bar
    leader: str = "none"  # none, dot, hyphen, underscore, middleDot


@dataclass(frozen=True)
class Border:
    """One border line: width in points and colour."""

    width: float
    color: str = "000000"
    space: float = 0.0  # distance from the text, in points (paragraph borders)


@dataclass
class ParaFormat:
    """Resolved paragraph formatting (lengths in points)."""

    align: str = "left"  # left, center, right, both
    left: float = 0.0
    right: float = 0.0
    first: float = 0.0  # first-line indent; negative for a hanging indent
    before: float = 0.0
    after: float = 0.0
    line: float = 1.0  # a multiple for rule "auto", points for "exact" and "atLeast"
    line_rule: str = "auto"
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    widow: bool = True
    contextual: bool = False
    tabs: tuple[TabStop, ...] = ()
    shading: str | None = None
    borders: dict[str, Border] = field(default_factory=dict)


@dataclass
class Paragraph:
    """A paragraph: its inlines, formatting, list label and (for headings) outline level."""

    inlines: list[Inline]
    fmt: ParaFormat
    style_id: str = ""
    label: str = ""
    label_style: RunStyle | None = None
    label_suffix: str = "tab"  # tab, space, nothing
    outline: int | None = None  # 0 for Heading 1
    anchors: list[str] = field(default_factory=list)  # destination names that links point to
    default_style: RunStyle = field(default_factory=RunStyle)

    def plain_text(self) -> str:
        """Return the paragraph's text, tabs as spaces."""
        out: list[str] = []
        for item in self.inlines:
            if isinstance(item, Text):
                out.append(item.text)
            elif isinstance(item, Tab | Break):
                out.append(" ")
        return "".join(out).strip()


@dataclass
class Cell:
    """A table cell: its blocks and its own formatting."""

    blocks: list[Block]
    span: int = 1
    vmerge: str | None = None  # "restart", "continue" or None
    shading: str | None = None
    borders: dict[str, Border | None] = field(default_factory=dict)  # None means explicitly none
    margins: dict[str, float] = field(default_factory=dict)
    valign: str = "top"
    width: float | None = None


@dataclass
class Row:
    """A table row."""

    cells: list[Cell]
    header: bool = False
    height: float | None = None
    height_rule: str = "atLeast"
    grid_before: int = 0
    cant_split: bool = False


@dataclass
class Table:
    """A table with its grid column widths (points) and table-level borders."""

    rows: list[Row]
    grid: list[float]
    borders: dict[str, Border | None] = field(default_factory=dict)
    margins: dict[str, float] = field(default_factory=dict)
    align: str = "left"
    indent: float = 0.0
    width: float | None = None  # points, or None for auto
    width_pct: float | None = None  # fraction of the text width


@dataclass
class Toc:
    """A table-of-contents field, rebuilt at layout time from the headings."""

    min_level: int = 1
    max_level: int = 3
    links: bool = True
    formats: dict[int, ParaFormat] = field(default_factory=dict)
    styles: dict[int, RunStyle] = field(default_factory=dict)


@dataclass
class PageBreak:
    """An explicit page break between blocks."""


Block = Paragraph | Table | Toc | PageBreak


@dataclass
class Section:
    """A section: page geometry, its headers and footers, and its blocks."""

    width: float = 595.3
    height: float = 841.9
    top: float = 72.0
    right: float = 72.0
    bottom: float = 72.0
    left: float = 72.0
    header_dist: float = 35.4
    footer_dist: float = 35.4
    headers: dict[str, list[Block]] = field(default_factory=dict)  # default/first/even
    footers: dict[str, list[Block]] = field(default_factory=dict)
    title_page: bool = False
    start: str = "nextPage"
    page_start: int | None = None
    page_fmt: str = "decimal"
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """A whole document as the layout sees it."""

    sections: list[Section]
    title: str = ""
    author: str = ""
    even_odd: bool = False
    default_tab: float = 36.0
    additive_spacing: bool = False
    has_toc: bool = False
    uses_numpages_in_body: bool = False
    headings: list[Paragraph] = field(default_factory=list)
    lang: str = ""  # the language of the document's default text (docDefaults / Normal w:lang)

    def families(self) -> list[str]:
        """Return every font family the document's text asks for, each once, in order of first use."""
        seen: dict[str, str] = {}

        def add(style: RunStyle | None) -> None:
            if style is not None and style.font:
                seen.setdefault(style.font.lower(), style.font)

        def walk(blocks: list[Block]) -> None:
            for block in blocks:
                if isinstance(block, Paragraph):
                    add(block.default_style)
                    add(block.label_style)
                    for item in block.inlines:
                        add(None if isinstance(item, Image) else item.style)
                elif isinstance(block, Table):
                    for row in block.rows:
                        for cell in row.cells:
                            walk(cell.blocks)
                elif isinstance(block, Toc):
                    for style in block.styles.values():
                        add(style)

        for section in self.sections:
            for blocks in [*section.headers.values(), section.blocks, *section.footers.values()]:
                walk(blocks)
        return list(seen.values())
