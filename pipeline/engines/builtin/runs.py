"""Paragraph content: runs, hyperlinks, fields (simple and complex), symbols, pictures and notes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from . import fonts
from .model import Break, Field, Image, Inline, RunStyle, Tab, Text, Toc
from .numbering import SYMBOLS
from .styles import Props, W, merge, parse_rpr, run_style

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
# the tags a paragraph's content is read by, built once (not per child)
_R, _HYPERLINK, _FLDSIMPLE, _SDT, _BOOKMARK = (W + t for t in ("r", "hyperlink", "fldSimple", "sdt", "bookmarkStart"))
_WRAPPERS = frozenset(W + t for t in ("ins", "moveTo", "smartTag", "customXml", "dir", "bdo"))
_ALTERNATE = MC + "AlternateContent"
_MATH = frozenset((M + "oMath", M + "oMathPara"))
V = "{urn:schemas-microsoft-com:vml}"
DYNAMIC = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_DEPTH = 40
HIDDEN = RunStyle(font="", size=0.0)  # marks hidden (w:vanish) text
# Default-ignorable characters that Word and LibreOffice do not draw in mid-line (soft hyphen: no hyphenation).
IGNORABLE: dict[int, None] = dict.fromkeys(
    [0x00AD, 0x034F, 0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070),
     *range(0xFE00, 0xFE10), 0xFEFF])
_IGNORABLE_CHARS = frozenset(map(chr, IGNORABLE))  # to skip the (slow, dict-driven) translate when none is there


@dataclass
class FieldState:
    """One open complex field."""

    instr: str = ""
    phase: str = "instr"  # instr, result
    suppress: bool = False
    link: str | None = None


@dataclass
class Collected:
    """What one paragraph's content produced."""

    parts: list[list[Inline]] = field(default_factory=lambda: [[]])  # split at page breaks
    toc: Toc | None = None
    toc_at: int = 0  # the part index where the TOC goes
    extra: list[etree._Element] = field(default_factory=list)  # text-box contents to read as blocks
    anchors: list[str] = field(default_factory=list)
    suppressed: bool = False  # some content was dropped as a stale field result

    def add(self, item: Inline) -> None:
        """Append *item* to the current part."""
        self.parts[-1].append(item)


def toc_from_instr(instr: str) -> Toc:
    """Return a Toc for a TOC field instruction (\\o "1-3", \\h)."""
    toc = Toc(links="\\h" in instr)
    m = re.search(r'\\o\s+"?(\d)\s*-\s*(\d)', instr)
    if m:
        toc.min_level, toc.max_level = int(m.group(1)), max(int(m.group(1)), int(m.group(2)))
    return toc


def hyperlink_target(instr: str) -> str | None:
    """Return the URL or "#anchor" of a HYPERLINK field instruction."""
    anchor = re.search(r'\\l\s+"([^"]*)"', instr)
    if anchor:
        return "#" + anchor.group(1)
    m = re.match(r'\s*HYPERLINK\s+"([^"]*)"', instr) or re.match(r"\s*HYPERLINK\s+(\S+)", instr)
    return m.group(1) if m else None


def alt_text(drawing: etree._Element) -> str:
    """Return the alternative text of a w:drawing (wp:docPr descr, else title); "" when it is decorative."""
    doc_pr = drawing.find(f".//{WP}docPr")
    if doc_pr is None or any(etree.QName(el).localname == "decorative" and el.get("val") in ("1", "true")
                             for el in doc_pr.iter()):
        return ""
    text = doc_pr.get("descr") or doc_pr.get("title") or ""
    return CONTROL.sub("", text).strip()


class RunReader:
    """Reads the inline content of paragraphs; keeps the state of fields that span paragraphs."""

    def __init__(self, rstyles: Callable[[str], Props], theme: dict[str, str],
                 image: Callable[[str], bytes | None], rel_url: Callable[[str], str | None],
                 warn: Callable[[str], None]) -> None:
        self.rstyles = rstyles
        self.theme = theme
        self.image = image
        self.rel_url = rel_url
        self.warn = warn
        self.fields: list[FieldState] = []
        self.notes: list[tuple[str, str]] = []  # (kind, id) of referenced foot-/endnotes in order
        self.in_note: str = ""  # the label of the note being read (for w:footnoteRef)
        self.uses_numpages = False

    def suppressing(self) -> bool:
        """Return True while inside a field's instruction or a stale result being rebuilt."""
        return bool(self.fields) and any(f.phase == "instr" or f.suppress for f in self.fields)

    def link(self) -> str | None:
        """Return the URL of the innermost HYPERLINK field in its result phase."""
        for f in reversed(self.fields):
            if f.link and f.phase == "result":
                return f.link
        return None

    def paragraph(self, p: etree._Element, base: Props, out: Collected) -> None:
        """Read the content of paragraph *p*, runs styled on top of *base*, into *out*."""
        self._container(p, base, None, out, 0)

    def _container(self, el: etree._Element, base: Props, link: str | None, out: Collected, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _R:
                self._run(child, base, link, out)
            elif tag == _HYPERLINK:
                target = link
                rid = child.get(R + "id")
                if rid:
                    target = self.rel_url(rid) or target
                elif child.get(W + "anchor"):
                    target = "#" + (child.get(W + "anchor") or "")
                self._container(child, base, target, out, depth + 1)
            elif tag == _FLDSIMPLE:
                self._simple_field(child, base, link, out, depth)
            elif tag in _WRAPPERS:
                self._container(child, base, link, out, depth + 1)
            elif tag == _SDT:
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._container(content, base, link, out, depth + 1)
            elif tag == _BOOKMARK:
                name = child.get(W + "name")
                if name and not name.startswith("_GoBack"):
                    out.anchors.append(name)
            elif tag == _ALTERNATE:
                self._container(self._choose(child), base, link, out, depth + 1)
            elif tag in _MATH:
                self.warn("matematiska formler (visas som text)")
                text = "".join(t.text or "" for t in child.iter(M + "t"))
                if text and not self.suppressing():
                    out.add(Text(text, self._style(None, base), link))

    def _choose(self, alt: etree._Element) -> etree._Element:
        for choice in alt.findall(MC + "Choice"):
            if choice.find(".//" + W + "drawing") is not None or "wps" in (choice.get("Requires") or ""):
                return choice
        fallback = alt.find(MC + "Fallback")
        return fallback if fallback is not None else alt

    def _style(self, rpr: etree._Element | None, base: Props) -> RunStyle:
        props = base
        if rpr is not None:
            direct = parse_rpr(rpr, self.theme)
            sid = direct.pop("rStyle", None)
            if sid:
                props = merge(props, self.rstyles(sid))
            props = merge(props, direct)
        if props.get("hidden"):
            return HIDDEN
        return run_style(props)

    def drawable(self, text: str, style: RunStyle) -> str:
        """Return *text* without the characters no available font can draw (named once as unsupported)."""
        if not text or style.size == 0.0:
            return text
        if RTL.search(text):
            self.warn("höger-till-vänster-skrift (återges i skrivordning, utan korrekt visning)")
        face = fonts.resolve(style.font, style.bold, style.italic)
        if face.cmap.issuperset(map(ord, text)):
            return text
        alt = fonts.fallback()
        out = []
        for ch in text:
            if ord(ch) in face.cmap or ord(ch) in alt.cmap:
                out.append(ch)
            elif ch.isspace():
                out.append(" ")
            else:
                self.warn("tecken som inget tillgängligt typsnitt kan visa, t.ex. emoji (utelämnas)")
        return "".join(out)

    def _simple_field(self, el: etree._Element, base: Props, link: str | None, out: Collected, depth: int) -> None:
        instr = (el.get(W + "instr") or "").strip()
        kind = instr.split(" ", 1)[0].upper() if instr else ""
        if self.suppressing():
            return
        if kind in DYNAMIC:
            rpr = el.find(f"{W}r/{W}rPr")
            out.add(Field(kind, self._style(rpr, base)))
            self.uses_numpages = self.uses_numpages or kind != "PAGE"
        elif kind == "TOC":
            out.toc, out.toc_at = toc_from_instr(instr), len(out.parts) - 1
        elif kind == "HYPERLINK":
            self._container(el, base, hyperlink_target(instr) or link, out, depth + 1)
        else:
            self._container(el, base, link, out, depth + 1)

    def _fldchar(self, el: etree._Element, out: Collected) -> None:
        kind = el.get(W + "fldCharType")
        if kind == "begin":
            if len(self.fields) < MAX_DEPTH:
                self.fields.append(FieldState())
        elif kind == "separate" and self.fields:
            self._enter_result(self.fields[-1], out)
        elif kind == "end" and self.fields:
            f = self.fields.pop()
            if f.phase == "instr":  # no result part: a dynamic field still shows its value
                self._enter_result(f, out)

    def _enter_result(self, f: FieldState, out: Collected) -> None:
        f.phase = "result"
        instr = f.instr.strip()
        kind = instr.split(" ", 1)[0].upper() if instr else ""
        outer_suppressed = any(o.suppress or o.phase == "instr" for o in self.fields if o is not f)
        if kind in DYNAMIC:
            f.suppress = True
            if not outer_suppressed:
                out.add(Field(kind, self._field_style))
                self.uses_numpages = self.uses_numpages or kind != "PAGE"
        elif kind == "TOC":
            f.suppress = True
            if not outer_suppressed:
                out.toc, out.toc_at = toc_from_instr(instr), len(out.parts) - 1
        elif kind == "HYPERLINK":
            f.link = hyperlink_target(instr)
        elif kind in ("PAGEREF", "NOTEREF") and any(o.suppress for o in self.fields):
            f.suppress = True

    _field_style = RunStyle()

    def _run(self, r: etree._Element, base: Props, link: str | None, out: Collected) -> None:
        style = self._style(r.find(W + "rPr"), base)
        hidden = style.size == 0.0
        for child in r:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == W + "fldChar":
                self._field_style = style
                self._fldchar(child, out)
                continue
            if tag == W + "instrText":
                if self.fields and self.fields[-1].phase == "instr":
                    self.fields[-1].instr += child.text or ""
                continue
            if self.suppressing():
                if tag in (W + "t", W + "tab", W + "drawing"):
                    out.suppressed = True
                continue
            if hidden or tag == W + "rPr":
                continue
            here = link or self.link()
            if tag == W + "t":
                text = CONTROL.sub("", child.text or "")
                if not _IGNORABLE_CHARS.isdisjoint(text):
                    text = text.translate(IGNORABLE)
                text = self.drawable(text, style)
                if text:
                    out.add(Text(text.upper() if style.caps else text, style, here))
            elif tag in (W + "tab", W + "ptab"):
                out.add(Tab(style, here))
            elif tag == W + "br":
                kind = child.get(W + "type")
                if kind == "page":
                    out.parts.append([])
                else:
                    if kind == "column":
                        self.warn("spaltbrytningar (återges som radbrytning)")
                    out.add(Break(style))
            elif tag == W + "cr":
                out.add(Break(style))
            elif tag == W + "sym":
                code = child.get(W + "char") or ""
                try:
                    ch = chr(int(code, 16))
                except ValueError:
                    continue
                if 0xF000 <= ord(ch) <= 0xF0FF and ch not in SYMBOLS:
                    ch = chr(ord(ch) - 0xF000)
                out.add(Text(SYMBOLS.get(ch, ch), style, here))
            elif tag == W + "noBreakHyphen":
                out.add(Text("-", style, here))
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                self.notes.append((etree.QName(child).localname[:-9] + "s", child.get(W + "id") or ""))
                self.warn("fotnoter och slutnoter (samlas i slutet av dokumentet)")
                sup = RunStyle(**{**style.__dict__, "vert": "superscript"})
                out.add(Text(str(len(self.notes)), sup, here))
            elif tag in (W + "footnoteRef", W + "endnoteRef"):
                out.add(Text(self.in_note, RunStyle(**{**style.__dict__, "vert": "superscript"}), here))
            elif tag == W + "drawing":
                self._drawing(child, style, here, out)
            elif tag in (W + "pict", W + "object"):
                self._vml(child, here, out)
            elif tag == MC + "AlternateContent":
                choice = self._choose(child)
                fake = etree.Element(W + "r")
                fake.extend(list(choice))
                self._run(fake, base, link, out)

    def _drawing(self, el: etree._Element, style: RunStyle, link: str | None, out: Collected) -> None:
        holder = el[0] if len(el) else None
        if holder is not None and holder.tag == WP + "anchor":
            self.warn("flytande bilder och former (placeras i texten)")
        extent = el.find(f".//{WP}extent")
        width = float(extent.get("cx") or 0) / 12700 if extent is not None else 0.0
        height = float(extent.get("cy") or 0) / 12700 if extent is not None else 0.0
        blip = el.find(f".//{A}blip")
        if blip is not None:
            data = self.image(blip.get(R + "embed") or blip.get(R + "link") or "")
            if data is not None and width > 0 and height > 0:
                out.add(Image(data, width, height, link, alt_text(el)))
                return
            self.warn("bilder i format som inte stöds (t.ex. EMF/WMF/SVG)")
            return
        boxes = list(el.iter(W + "txbxContent"))
        if boxes:
            self.warn("textrutor (återges som vanliga stycken)")
            out.extra.extend(boxes)
        else:
            self.warn("diagram, SmartArt och former")

    def _vml(self, el: etree._Element, link: str | None, out: Collected) -> None:
        data_el = el.find(f".//{V}imagedata")
        boxes = list(el.iter(W + "txbxContent"))
        if boxes:
            self.warn("textrutor (återges som vanliga stycken)")
            out.extra.extend(boxes)
        if data_el is None:
            if not boxes:
                self.warn("inbäddade objekt (OLE/VML)")
            return
        shape = data_el.getparent()
        css = (shape.get("style") or "") if shape is not None else ""
        dims = dict(re.findall(r"(width|height)\s*:\s*([\d.]+)pt", css))
        data = self.image(data_el.get(R + "id") or "")
        if data is not None and "width" in dims and "height" in dims:
            alt = CONTROL.sub("", (shape.get("alt") or "") if shape is not None else "").strip()
            out.add(Image(data, float(dims["width"]), float(dims["height"]), link, alt))
        else:
            self.warn("inbäddade objekt (OLE/VML)")
