"""The paragraph flowable: lines cached per width, split between pages, drawn with links and anchors."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.platypus.flowables import Flowable

from . import fonts
from .lines import Line, Tok, break_lines, tokenize
from .model import Field, Paragraph
from .numbering import format_number
from .subsets import chunks
from .tags import Close, Node, Open, Tagger, Whole

BLACK = "000000"


@dataclass
class Env:
    """The shared state of one layout pass: page numbers, anchors, where headings landed."""

    default_tab: float = 36.0
    numpages: int = 1
    page: int = 1  # the displayed number of the page being laid out
    page_fmt: str = "decimal"  # its number format (w:pgNumType w:fmt)
    section_pages: int = 0
    anchors: set[str] = field(default_factory=set)
    marks: list[tuple[int, str, float, float]] = field(default_factory=list)  # physical page, key, x, y
    heading_pages: dict[str, int] = field(default_factory=dict)
    images: dict[int, Any] = field(default_factory=dict)
    max_image_height: float = 600.0
    additive: bool = False  # Word adds space after and before only with doNotUseHTMLParagraphAutoSpacing
    headings: list[Paragraph] = field(default_factory=list)
    prev_pages: dict[str, int] = field(default_factory=dict)  # heading anchor -> page, from the last pass
    tags: Tagger | None = None  # the structure being recorded (None: an untagged measuring pass)


def _rgb(hexcolor: str | None) -> tuple[float, float, float]:
    if not hexcolor:
        return (0.0, 0.0, 0.0)
    v = int(hexcolor, 16)
    return ((v >> 16) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0)


def _spaced(pieces: list[tuple[float, Tok, str, Node | None, bool]],
            widths: dict[int, float]) -> list[tuple[float, Tok, str, Node | None, bool]]:
    """Return *pieces* with a space shown after a text that ends a line or a tab's gap.

    Invisible, but the text layer then has the space a reader expects between the last word of a line
    and the first of the next (and after a tab), where a tagged PDF's text is read in sequence."""
    texts = [i for i, piece in enumerate(pieces) if not piece[4]]
    out = list(pieces)
    for k, i in enumerate(texts):
        x, tok, text, target, leader = pieces[i]
        if not text or text[-1].isspace():
            continue
        if k + 1 < len(texts):
            nxt = pieces[texts[k + 1]]
            if nxt[0] <= x + widths.get(id(tok), 0.0) + 1.0 or nxt[2][:1].isspace():
                continue
        out[i] = (x, tok, text + " ", target, leader)
    return out


class Para(Flowable):  # type: ignore[misc]
    """A Word paragraph as a platypus flowable."""

    def __init__(self, para: Paragraph, env: Env, before: float, after: float,
                 lines: list[Line] | None = None, first_part: bool = True) -> None:
        super().__init__()
        self.para = para
        self.env = env
        self.before = before
        self.after = after
        self.keepWithNext = para.fmt.keep_next
        self.lead = 0.0  # space before kept even at the top of a page (after a hard page break)
        self.after_inside = env.additive  # space after counted in the height (table cells, additive docs)
        self.squeeze = False
        self.joined_above = False  # the paragraph above has the same borders: one box, no line between
        self.joined_below = False  # a line taller than the page: claim no more than the room there is
        self.first_part = first_part
        self._fixed = lines
        self._cache: tuple[float, int, list[Line]] | None = None
        self.dynamic = any(isinstance(i, Field) for i in para.inlines)
        self._toks: list[Tok] | None = None
        self._lines: list[Line] = []
        self.width = 0.0
        self.height = 0.0
        self._node: Node | None = None  # the structure element this draw's content goes into

    def lines_for(self, width: float) -> list[Line]:
        """Return the lines of this paragraph at *width* (cached unless it shows page fields)."""
        if self._fixed is not None:
            return self._fixed
        key = self.env.page if self.dynamic else 0
        if self._cache is not None and self._cache[0] == width and self._cache[1] == key:
            return self._cache[2]
        if self._toks is None or self.dynamic:
            env = self.env
            self._toks = tokenize(self.para, {"PAGE": format_number(env.page, env.page_fmt),
                                              "NUMPAGES": str(env.numpages),
                                              "SECTIONPAGES": str(env.section_pages or env.numpages)})
            self._fit_images(self._toks, width)
        lines = break_lines(self.para, self._toks, width, self.env.default_tab)
        self._cache = (width, key, lines)
        return lines

    def _fit_images(self, toks: list[Tok], width: float) -> None:
        room = max(width - self.para.fmt.left - self.para.fmt.right, 10.0)
        for tok in toks:
            if tok.kind == "i" and tok.image is not None:
                img = tok.image
                scale = min(1.0, room / img.width, self.env.max_image_height / img.height)
                if scale < 1.0:
                    tok.image = replace(img, width=img.width * scale, height=img.height * scale)
                    tok.width = tok.image.width

    def _pad(self) -> tuple[float, float]:
        b = self.para.fmt.borders
        top = b["top"].width + b["top"].space if "top" in b and self.first_part and not self.joined_above else 0.0
        top += self.lead if self.first_part else 0.0
        bottom = b["bottom"].width + b["bottom"].space if "bottom" in b and not self.joined_below else 0.0
        return top, bottom

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._lines = self.lines_for(availWidth)
        top, bottom = self._pad()
        self.width = availWidth
        self.height = top + sum(line.height for line in self._lines) + bottom
        if self.after_inside:
            self.height += self.after
        if self.squeeze:
            self.height = min(self.height, availHeight)
        return availWidth, self.height

    def getSpaceBefore(self) -> float:
        return 0.0 if self.lead else self.before

    def getSpaceAfter(self) -> float:
        return 0.0 if self.after_inside else self.after

    kept_below = False  # set while split as the tail of a keep-with-next group

    def _at_top(self) -> bool:
        if self.kept_below:
            return False
        frame = self._doctemplateAttr("frame")
        return bool(frame is not None and getattr(frame, "_atTop", False))

    def _piece(self, lines: list[Line], first: bool, last: bool) -> Para:
        piece = Para(self.para, self.env, self.before if first else 0.0, self.after if last else 0.0,
                     lines, self.first_part and first)
        piece.lead = self.lead if first else 0.0
        piece.after_inside = self.after_inside
        piece.joined_above = self.joined_above and first
        piece.joined_below = self.joined_below and last
        piece.keepWithNext = self.keepWithNext if last else False
        return piece

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.lines_for(availWidth)
        top, bottom = self._pad()
        room = availHeight - top - bottom
        used = 0.0
        fit = 0
        for line in lines:
            if used + line.height > room + 0.01:
                break
            used += line.height
            fit += 1
        # A frame takes a split into one piece; a table cell (reportlab) needs none or two.
        in_frame = getattr(self, "_frame", None) is not None
        if fit >= len(lines):
            return [self._piece(lines, True, False)] if in_frame else []
        if in_frame and self._at_top():  # an empty page: something must go here, whatever keep/widow rules say
            fit = max(fit, 1)
            head = self._piece(lines[:fit], True, fit == len(lines))
            head.squeeze = fit == 1 and lines[0].height > room
            return [head] if fit == len(lines) else [head, self._piece(lines[fit:], False, True)]
        if self.para.fmt.keep_lines or len(lines) == 1:
            return []
        if self.para.fmt.widow:
            if len(lines) - fit < 2:
                fit = len(lines) - 2
            if fit < 2:
                fit = 0
        if fit <= 0:
            return []
        return [self._piece(lines[:fit], True, False), self._piece(lines[fit:], False, True)]

    def draw(self) -> None:
        top_pad, _ = self._pad()
        top, bottom = self.height, self.after if self.after_inside else 0.0
        if self.first_part:
            page = self.canv.getPageNumber()
            ax, ay = self.canv.absolutePosition(0, top)
            for anchor in self.para.anchors:
                self.env.marks.append((page, anchor, ax, ay))
                self.env.heading_pages.setdefault(anchor, self.env.page)
        if self.para.fmt.shading or self.para.fmt.borders:
            self._draw_box(top, bottom)
        y = top - top_pad
        tags = self.env.tags
        self._node = tags.element(self.para, self) if tags is not None else None
        whole = self._node is not None and tags is not None and tags.plain(self._node, self._lines) \
            and any(line.frags for line in self._lines)
        if whole:  # one marked-content sequence for the whole paragraph: fewer MCIDs, simpler tree
            assert tags is not None and self._node is not None
            self.canv._code.append(Open(tags.mark(self.canv.getPageNumber(), self._node)))
            self._node = None
        for line in self._lines:
            self._draw_line(line, y - line.baseline)
            y -= line.height
        if whole:
            self.canv._code.append(Close("EMC"))

    def _draw_box(self, top: float, bottom: float) -> None:
        canv = self.canv
        fmt = self.para.fmt
        left, right = fmt.borders.get("left"), fmt.borders.get("right")
        x1 = fmt.left + min(fmt.first, 0.0) - (left.space + left.width / 2 if left else 0.0)
        x2 = self.width - fmt.right + (right.space + right.width / 2 if right else 0.0)
        top -= self.lead if self.first_part else 0.0
        canv.saveState()
        if fmt.shading:
            canv.setFillColorRGB(*_rgb(fmt.shading))
            canv.rect(x1, bottom, x2 - x1, top - bottom, stroke=0, fill=1)
        sides = {"top": (top, top, x1, x2), "bottom": (bottom, bottom, x1, x2),
                 "left": (bottom, top, x1, x1), "right": (bottom, top, x2, x2)}
        for side, (ya, yb, xa, xb) in sides.items():
            edge = fmt.borders.get(side)
            if edge is None or (side == "top" and (not self.first_part or self.joined_above)) or \
                    (side == "bottom" and self.joined_below):
                continue
            canv.setStrokeColorRGB(*_rgb(edge.color))
            canv.setLineWidth(edge.width)
            canv.line(xa, ya, xb, yb)
        canv.restoreState()

    def _draw_line(self, line: Line, base: float) -> None:
        canv = self.canv
        node, tags = self._node, self.env.tags
        targets: list[Node | None] = []  # the element of each fragment (None: an artifact)
        for frag in line.frags:
            tok = frag.tok
            target = None
            if node is not None and tags is not None:
                target = tags.target(node, tok.lbl, tok.link, "" if tok.kind == "i" else tok.style.lang)
            targets.append(target)
            if tok.kind == "i":
                self._draw_image(tok, frag.x, base, target)
            elif tok.style.highlight:
                canv.saveState()
                canv.setFillColorRGB(*_rgb(tok.style.highlight))
                canv.rect(frag.x, base - tok.face.descent * tok.size + tok.rise, frag.width,
                          (tok.face.ascent + tok.face.descent) * tok.size, stroke=0, fill=1)
                canv.restoreState()
        pieces: list[tuple[float, Tok, str, Node | None, bool]] = [
            (f.x, f.tok, f.text, t, False) for f, t in zip(line.frags, targets, strict=True) if f.tok.kind != "i"]
        for a, b, tok, char in line.leaders:  # leader dots, in reading order between the texts
            size = max(tok.size, 1.0)
            cw = fonts.width(tok.face, char, size) or 1.0
            count = min(int((b - a - cw) / cw), 2000)
            if count > 0:
                pieces.append((b - cw * 0.5 - count * cw, tok, char * count, None, True))
        pieces.sort(key=lambda piece: piece[0])
        self._show(_spaced(pieces, {id(f.tok): f.width for f in line.frags}), base)
        for frag, target in zip(line.frags, targets, strict=True):
            tok = frag.tok
            st = tok.style
            if tok.kind != "i" and (st.underline or st.strike):
                canv.saveState()
                canv.setStrokeColorRGB(*_rgb(st.color))
                canv.setLineWidth(max(tok.size / 18.0, 0.4))
                width = frag.width
                if st.underline:
                    y = base + tok.rise - tok.size * 0.12
                    canv.line(frag.x, y, frag.x + width, y)
                if st.strike:
                    y = base + tok.rise + tok.size * 0.28
                    canv.line(frag.x, y, frag.x + width, y)
                canv.restoreState()
            if tok.link and tok.kind != "i":
                self._link(tok, frag.x, base, frag.width, target=target)

    def _show(self, pieces: list[tuple[float, Tok, str, Node | None, bool]], base: float) -> None:
        """Show the texts of one line; in a tagged pass each element's run as marked content."""
        canv = self.canv
        segments: list[tuple[Node | None, list[str]]] = []
        font: tuple[str, float] | None = None
        fill: str | None = None
        spacing = 0.0
        doc = canv._doc
        for x, tok, text, target, leader in pieces:
            if not segments or segments[-1][0] is not target:
                segments.append((target, []))
            ops = segments[-1][1]
            color = BLACK if leader else (tok.style.color or BLACK)
            if fill != color:
                fill = color
                r, g, b = _rgb(color)
                ops.append(f"{r:.3f} {g:.3f} {b:.3f} rg")
            char_space = 0.0 if leader else tok.style.spacing
            if char_space != spacing:
                spacing = char_space
                ops.append(f"{spacing:.3f} Tc")
            ops.append(f"1 0 0 1 {x:.3f} {base + (0.0 if leader else tok.rise):.3f} Tm")
            rl_font = fonts.ttfont(tok.face)
            for subset, chunk in chunks(rl_font, text, doc):
                name = rl_font.getSubsetInternalName(subset, doc)
                if font != (name, tok.size):
                    font = (name, tok.size)
                    ops.append(f"{name} {tok.size:.2f} Tf")
                ops.append(f"({chunk}) Tj")
            if target is not None:
                target.text.append(text)
        if not segments:
            return
        tags = self.env.tags
        if self._node is None or tags is None:  # untagged (or page furniture): one text object
            canv._code.append("q BT " + " ".join(op for _, ops in segments for op in ops) + " ET Q")
            return
        page = canv.getPageNumber()
        parts = [(tags.mark(page, target) if target is not None else "/Artifact BMC") + " BT " + " ".join(ops)
                 + " ET EMC" for target, ops in segments]
        canv._code.append(Whole("q " + " ".join(parts) + " Q"))

    def _draw_image(self, tok: Tok, x: float, base: float, target: Node | None = None) -> None:
        img = tok.image
        if img is None:
            return
        reader = self.env.images.get(id(img.data))
        if reader is None:
            reader = ImageReader(io.BytesIO(img.data))
            self.env.images[id(img.data)] = reader
        canv = self.canv
        tags = self.env.tags
        figure = None
        if target is not None and tags is not None and img.alt:  # without alternative text: decoration
            ax, ay = canv.absolutePosition(x, base)
            figure = tags.figure(target, img.alt, (ax, ay, ax + img.width, ay + img.height))
            canv._code.append(Open(tags.mark(canv.getPageNumber(), figure)))
        canv.drawImage(reader, x, base, img.width, img.height, mask="auto")
        if figure is not None:
            canv._code.append(Close("EMC"))
        if tok.link:
            self._link(tok, x, base + tok.face.descent * tok.size, img.width, img.height, target)

    def _link(self, tok: Tok, x: float, base: float, width: float, height: float | None = None,
              target: Node | None = None) -> None:
        link = tok.link or ""
        lo = base - tok.face.descent * tok.size
        hi = base + (height if height is not None else tok.face.ascent * tok.size)
        made = False
        if link.startswith("#"):
            if link[1:] in self.env.anchors:
                self.canv.linkRect("", link[1:], (x, lo, x + width, hi), relative=1, thickness=0)
                made = True
        elif link:
            self.canv.linkURL(link, (x, lo, x + width, hi), relative=1, thickness=0)
            made = True
        if made and target is not None and self.env.tags is not None:
            name = self.canv._doc.annotationName(f"NUMBER{self.canv._annotationCount}")  # as reportlab named it
            self.env.tags.annotation(self.canv.getPageNumber(), target, name)
