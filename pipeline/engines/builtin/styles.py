"""Style resolution: docDefaults → basedOn chain → direct formatting, as flat property dicts."""

from __future__ import annotations

import math
from typing import Any

from lxml import etree

from .model import Border, ParaFormat, RunStyle, TabStop

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Props = dict[str, Any]
MAX_CHAIN = 30

HIGHLIGHT = {
    "yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF", "magenta": "FF00FF", "blue": "0000FF",
    "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
    "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080",
    "lightGray": "C0C0C0", "black": "000000", "white": "FFFFFF",
}
ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
         "both": "both", "distribute": "both", "justify": "both"}


def val(el: etree._Element | None, attr: str = "val") -> str | None:
    """Return the w:*attr* attribute of *el*, or None."""
    if el is None:
        return None
    v = el.get(W + attr)
    return v


MAX_NUMBER = 10_000_000.0


def num(el: etree._Element | None, attr: str = "val", default: float | None = None) -> float | None:
    """Return a numeric w:*attr* attribute of *el*, or *default*."""
    v = val(el, attr)
    if v is None:
        return default
    try:
        out = float(v)
    except ValueError:
        out = None
        try:  # "12pt", "1in" style values appear in some generators
            units = {"pt": 20.0, "in": 1440.0, "cm": 567.0, "mm": 56.7}
            for unit, factor in units.items():
                if v.endswith(unit):
                    out = float(v[: -len(unit)]) * factor
        except ValueError:
            pass
    # NaN, infinity and absurd sizes (no length in a document is a kilometre of twips) are no value at all
    return out if out is not None and math.isfinite(out) and abs(out) <= MAX_NUMBER else default


def on(el: etree._Element | None) -> bool | None:
    """Return the value of a toggle property element (w:b, w:i, …), or None when absent."""
    if el is None:
        return None
    v = el.get(W + "val")
    return v is None or v.lower() not in ("0", "false", "off", "none")


def color(v: str | None) -> str | None:
    """Return a RRGGBB colour or None for auto/invalid values."""
    if not v or v.lower() == "auto" or len(v) != 6:
        return None
    try:
        int(v, 16)
    except ValueError:
        return None
    return v.upper()


def border(el: etree._Element | None) -> Border | None:
    """Return the Border an element (w:top, w:bottom, …) describes, or None for none/nil."""
    if el is None or val(el) in (None, "nil", "none"):
        return None
    size = (num(el, "sz", 4.0) or 4.0) / 8.0
    space = min(max(num(el, "space", 0.0) or 0.0, 0.0), 31.0)
    return Border(max(size, 0.25), color(val(el, "color")) or "000000", space)


def borders(el: etree._Element | None) -> dict[str, Border | None]:
    """Return the borders of a w:pBdr/w:tblBorders/w:tcBorders element; None marks 'explicitly none'."""
    out: dict[str, Border | None] = {}
    if el is None:
        return out
    names = {"top": "top", "bottom": "bottom", "left": "left", "start": "left", "right": "right",
             "end": "right", "insideH": "insideH", "insideV": "insideV"}
    for child in el:
        tag = etree.QName(child).localname
        if tag in names:
            out[names[tag]] = border(child)
    return out


def shading(el: etree._Element | None) -> str | None:
    """Return the fill colour of a w:shd element."""
    if el is None:
        return None
    fill = color(val(el, "fill"))
    if fill is None and val(el) == "solid":
        return color(val(el, "color")) or "000000"
    return fill


def parse_rpr(rpr: etree._Element | None, theme: dict[str, str]) -> Props:
    """Return the character properties set by a w:rPr element."""
    p: Props = {}
    if rpr is None:
        return p
    for child in rpr:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(W):
            continue
        tag = tag[len(W):]
        if tag == "rFonts":
            name = child.get(W + "ascii") or child.get(W + "hAnsi")
            th = child.get(W + "asciiTheme") or child.get(W + "hAnsiTheme")
            if th:
                name = theme.get("major" if th.startswith("major") else "minor") or name
            if name:
                p["font"] = name
        elif tag in ("b", "i", "strike", "dstrike", "caps", "smallCaps", "vanish"):
            key = {"b": "bold", "i": "italic", "dstrike": "strike", "smallCaps": "caps",
                   "vanish": "hidden"}.get(tag, tag)
            p[key] = on(child)
        elif tag == "sz":
            size = num(child)
            if size is not None and 1 <= size <= 3276:
                p["size"] = size / 2
        elif tag == "u":
            p["underline"] = val(child) != "none"
        elif tag == "color":
            p["color"] = color(val(child))
        elif tag == "highlight":
            p["highlight"] = HIGHLIGHT.get(val(child) or "")
        elif tag == "shd":
            fill = shading(child)
            if fill:
                p["highlight"] = fill
        elif tag == "vertAlign":
            v = val(child) or ""
            p["vert"] = v if v in ("superscript", "subscript") else ""
        elif tag == "rStyle":
            p["rStyle"] = val(child)
        elif tag == "lang":
            lang = val(child)
            if lang:
                p["lang"] = lang
        elif tag == "spacing":
            sp = num(child)
            if sp is not None and -200 <= sp <= 2000:
                p["spacing"] = sp / 20
    return p


def parse_ppr(ppr: etree._Element | None) -> Props:
    """Return the paragraph properties set by a w:pPr element (lengths in points)."""
    p: Props = {}
    if ppr is None:
        return p
    for child in ppr:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(W):
            continue
        tag = tag[len(W):]
        if tag == "jc":
            p["align"] = ALIGN.get(val(child) or "left", "left")
        elif tag == "ind":
            for attr, key in (("left", "left"), ("start", "left"), ("right", "right"), ("end", "right")):
                v = num(child, attr)
                if v is not None:
                    p[key] = v / 20
            first = num(child, "firstLine")
            hanging = num(child, "hanging")
            if hanging is not None:
                p["first"] = -hanging / 20
            elif first is not None:
                p["first"] = first / 20
        elif tag == "spacing":
            for attr in ("before", "after"):
                v = num(child, attr)
                if v is not None:
                    p[attr] = v / 20
            if child.get(W + "beforeAutospacing") in ("1", "true", "on"):
                p["before"] = 14.0
            if child.get(W + "afterAutospacing") in ("1", "true", "on"):
                p["after"] = 14.0
            line = num(child, "line")
            if line is not None:
                rule = val(child, "lineRule") or "auto"
                p["line_rule"] = rule if rule in ("auto", "exact", "atLeast") else "auto"
                p["line"] = line / 240 if p["line_rule"] == "auto" else line / 20
        elif tag in ("keepNext", "keepLines", "pageBreakBefore", "widowControl", "contextualSpacing"):
            key = {"keepNext": "keep_next", "keepLines": "keep_lines", "pageBreakBefore": "page_break_before",
                   "widowControl": "widow", "contextualSpacing": "contextual"}[tag]
            p[key] = on(child)
        elif tag == "tabs":
            tabs: dict[float, TabStop | None] = {}
            for tab in child:
                pos = num(tab, "pos")
                if pos is None:
                    continue
                kind = val(tab) or "left"
                if kind == "clear":
                    tabs[pos / 20] = None
                else:
                    kind = {"start": "left", "end": "right", "num": "left"}.get(kind, kind)
                    tabs[pos / 20] = TabStop(pos / 20, kind, val(tab, "leader") or "none")
            p["tabs"] = tabs
        elif tag == "numPr":
            p["numId"] = val(child.find(W + "numId"))
            ilvl = num(child.find(W + "ilvl"))
            p["ilvl"] = int(ilvl) if ilvl is not None else 0
        elif tag == "outlineLvl":
            lvl = num(child)
            p["outline"] = int(lvl) if lvl is not None and lvl < 9 else None
        elif tag == "shd":
            p["shading"] = shading(child)
        elif tag == "pBdr":
            p["borders"] = {k: v for k, v in borders(child).items() if v is not None}
        elif tag == "pStyle":
            p["pStyle"] = val(child)
    return p


def merge(base: Props, over: Props) -> Props:
    """Return *base* updated with *over*; tab stops merge (and clear) by position."""
    out = dict(base)
    for key, value in over.items():
        if key == "tabs" and "tabs" in out:
            tabs = dict(out["tabs"])
            tabs.update(value)
            out["tabs"] = tabs
        else:
            out[key] = value
    return out


_RUN_STYLES: dict[frozenset[tuple[str, Any]], RunStyle] = {}


def run_style(p: Props) -> RunStyle:
    """Return the RunStyle for resolved character properties (the same object for the same properties)."""
    try:
        key = frozenset(p.items())
    except TypeError:
        return _run_style(p)
    style = _RUN_STYLES.get(key)
    if style is None:
        if len(_RUN_STYLES) > 10_000:
            _RUN_STYLES.clear()
        style = _RUN_STYLES[key] = _run_style(p)
    return style


def _run_style(p: Props) -> RunStyle:
    return RunStyle(
        font=p.get("font") or "Calibri", size=float(p.get("size") or 10.0),
        bold=bool(p.get("bold")), italic=bool(p.get("italic")), underline=bool(p.get("underline")),
        strike=bool(p.get("strike")), color=p.get("color"), highlight=p.get("highlight"),
        vert=p.get("vert") or "", caps=bool(p.get("caps")), spacing=float(p.get("spacing") or 0.0),
        lang=str(p.get("lang") or ""),
    )


def para_format(p: Props) -> ParaFormat:
    """Return the ParaFormat for resolved paragraph properties."""
    tabs = tuple(sorted((t for t in (p.get("tabs") or {}).values() if t is not None), key=lambda t: t.pos))
    line = float(p.get("line") or 1.0)
    rule = p.get("line_rule", "auto")
    if rule == "auto":
        line = min(max(line, 0.25), 10.0)
    return ParaFormat(
        align=p.get("align", "left"), left=float(p.get("left", 0.0)), right=float(p.get("right", 0.0)),
        first=float(p.get("first", 0.0)), before=max(0.0, float(p.get("before", 0.0))),
        after=max(0.0, float(p.get("after", 0.0))), line=line, line_rule=rule,
        keep_next=bool(p.get("keep_next")), keep_lines=bool(p.get("keep_lines")),
        page_break_before=bool(p.get("page_break_before")), widow=p.get("widow", True) is not False,
        contextual=bool(p.get("contextual")), tabs=tabs, shading=p.get("shading"),
        borders=dict(p.get("borders") or {}),
    )


class Styles:
    """The styles part: resolves paragraph, character and table styles along their basedOn chains."""

    def __init__(self, root: etree._Element | None, theme: dict[str, str]) -> None:
        self.theme = theme
        self._els: dict[str, etree._Element] = {}
        self.default_para = ""
        self.default_table = ""
        self.by_name: dict[str, str] = {}
        self.doc_rpr: Props = {}
        self.doc_ppr: Props = {}
        self._cache: dict[tuple[str, str], Props] = {}
        self._names: dict[str, str] = {}
        if root is None:
            return
        defaults = root.find(W + "docDefaults")
        if defaults is not None:
            self.doc_rpr = parse_rpr(defaults.find(f"{W}rPrDefault/{W}rPr"), theme)
            self.doc_ppr = parse_ppr(defaults.find(f"{W}pPrDefault/{W}pPr"))
        for st in root.iter(W + "style"):
            sid = st.get(W + "styleId") or ""
            self._els.setdefault(sid, st)
            name = val(st.find(W + "name"))
            if name:
                self.by_name.setdefault(name.lower(), sid)
            if st.get(W + "default") in ("1", "true", "on"):
                kind = st.get(W + "type")
                if kind == "paragraph" and not self.default_para:
                    self.default_para = sid
                elif kind == "table" and not self.default_table:
                    self.default_table = sid

    def name(self, sid: str) -> str:
        """Return the (lower-case) name of style *sid*."""
        names = self._names
        if sid not in names:
            names[sid] = (val(self._els[sid].find(W + "name")) or "").lower() if sid in self._els else ""
        return names[sid]

    def element(self, sid: str) -> etree._Element | None:
        """Return the w:style element for *sid*."""
        return self._els.get(sid)

    def chain(self, sid: str) -> list[etree._Element]:
        """Return the style elements from the root of the basedOn chain down to *sid*."""
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid and sid in self._els and sid not in seen and len(out) < MAX_CHAIN:
            seen.add(sid)
            el = self._els[sid]
            out.append(el)
            sid = val(el.find(W + "basedOn")) or ""
        out.reverse()
        return out

    def ppr(self, sid: str) -> Props:
        """Return the merged paragraph properties of style *sid* (without docDefaults)."""
        key = ("p", sid)
        if key not in self._cache:
            props: Props = {}
            for el in self.chain(sid):
                props = merge(props, parse_ppr(el.find(W + "pPr")))
            self._cache[key] = props
        return self._cache[key]

    def rpr(self, sid: str) -> Props:
        """Return the merged character properties of style *sid* (without docDefaults)."""
        key = ("r", sid)
        if key not in self._cache:
            props: Props = {}
            for el in self.chain(sid):
                props = merge(props, parse_rpr(el.find(W + "rPr"), self.theme))
            props.pop("rStyle", None)
            self._cache[key] = props
        return self._cache[key]

    def table_part(self, sid: str, path: str) -> list[etree._Element]:
        """Return the elements at *path* (e.g. 'w:tblPr/w:tblBorders') along a table style's chain."""
        out = []
        for el in self.chain(sid):
            found = el.find(path.replace("w:", W))
            if found is not None:
                out.append(found)
        return out

    def conditional(self, sid: str, kind: str) -> list[etree._Element]:
        """Return the w:tblStylePr elements of *kind* (firstRow, band1Horz, …) along the chain."""
        out = []
        for el in self.chain(sid):
            for cond in el.findall(W + "tblStylePr"):
                if cond.get(W + "type") == kind:
                    out.append(cond)
        return out
