"""Lists: numbering.xml levels, formats and counters (restarts, overrides, continuation across nums)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .styles import Props, W, num, parse_ppr, parse_rpr, val

# Symbol/Wingdings private-use code points that Word uses for bullets, as ordinary Unicode.
SYMBOLS = {
    "\uf0b7": "\u2022", "\uf0a7": "\u25aa", "\uf0d8": "\u27a2", "\uf0fc": "\u2713", "\uf076": "\u2756",
    "\uf06e": "\u25a0", "\uf0a8": "\u25cb", "\uf0e0": "\u2192", "\uf02d": "-", "\uf0b0": "\u00b0",
    "\uf071": "\u25a1", "\uf0a0": "\u25aa", "\uf075": "\u25c6",
}
KNOWN_FORMATS = {"decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman",
                 "bullet", "none", "ordinal", "cardinalText", "ordinalText"}
MAX_LEVELS = 9


@dataclass
class Level:
    """One list level of an abstract numbering definition."""

    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"
    ppr: Props = field(default_factory=dict)
    rpr: Props = field(default_factory=dict)
    restart: int | None = None
    legal: bool = False


def roman(n: int) -> str:
    """Return *n* in upper-case Roman numerals."""
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letter(n: int) -> str:
    """Return *n* as Word's upper-case letter numbering (A..Z, AA..ZZ, …)."""
    if n <= 0:
        return str(n)
    n -= 1
    return chr(65 + n % 26) * (n // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Return counter *n* formatted as *fmt*."""
    if fmt == "lowerLetter":
        return letter(n).lower()
    if fmt == "upperLetter":
        return letter(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    if fmt == "ordinal":
        return f"{n}."
    return str(n)


def _level(el: etree._Element, theme: dict[str, str]) -> Level:
    lvl = Level()
    lvl.fmt = val(el.find(W + "numFmt")) or "decimal"
    text_el = el.find(W + "lvlText")
    lvl.text = (val(text_el) or "") if text_el is not None else ""
    start = num(el.find(W + "start"))
    lvl.start = int(start) if start is not None else (0 if lvl.fmt == "decimalZero" else 1)
    lvl.suffix = val(el.find(W + "suff")) or "tab"
    lvl.ppr = parse_ppr(el.find(W + "pPr"))
    lvl.rpr = parse_rpr(el.find(W + "rPr"), theme)
    restart = num(el.find(W + "lvlRestart"))
    lvl.restart = int(restart) if restart is not None else None
    lvl.legal = el.find(W + "isLgl") is not None
    return lvl


class Numbering:
    """The numbering part, with list counters that advance as paragraphs are read in order."""

    def __init__(self, root: etree._Element | None, theme: dict[str, str],
                 style_num: dict[str, str] | None = None) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.links: dict[str, str] = {}  # abstractNumId -> numbering style id (numStyleLink)
        self.nums: dict[str, tuple[str, dict[int, tuple[int | None, Level | None]]]] = {}
        self.style_num = style_num or {}
        self.unknown_formats: set[str] = set()
        self._counters: dict[str, list[int | None]] = {}
        self._seen: set[str] = set()
        if root is None:
            return
        for ab in root.findall(W + "abstractNum"):
            aid = ab.get(W + "abstractNumId") or ""
            levels: dict[int, Level] = {}
            for el in ab.findall(W + "lvl"):
                ilvl = int(num(el, "ilvl", 0) or 0)
                if 0 <= ilvl < MAX_LEVELS:
                    levels[ilvl] = _level(el, theme)
            self.abstract[aid] = levels
            link = val(ab.find(W + "numStyleLink"))
            if link:
                self.links[aid] = link
        for n in root.findall(W + "num"):
            nid = n.get(W + "numId") or ""
            aid = val(n.find(W + "abstractNumId")) or ""
            overrides: dict[int, tuple[int | None, Level | None]] = {}
            for ov in n.findall(W + "lvlOverride"):
                ilvl = int(num(ov, "ilvl", 0) or 0)
                start = num(ov.find(W + "startOverride"))
                lvl_el = ov.find(W + "lvl")
                overrides[ilvl] = (int(start) if start is not None else None,
                                   _level(lvl_el, theme) if lvl_el is not None else None)
            self.nums[nid] = (aid, overrides)

    def _abstract_id(self, num_id: str) -> str | None:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        aid = entry[0]
        for _ in range(5):  # follow numStyleLink → style's numId → its abstractNum
            link = self.links.get(aid)
            if not link or self.abstract.get(aid):
                break
            target = self.nums.get(self.style_num.get(link, ""))
            if target is None or target[0] == aid:
                break
            aid = target[0]
        return aid

    def level(self, num_id: str, ilvl: int) -> Level | None:
        """Return the effective Level for *num_id* at *ilvl* (overrides applied), or None."""
        aid = self._abstract_id(num_id)
        if aid is None:
            return None
        override = self.nums[num_id][1].get(ilvl)
        if override is not None and override[1] is not None:
            return override[1]
        return self.abstract.get(aid, {}).get(ilvl)

    def next_label(self, num_id: str, ilvl: int) -> tuple[str, Level] | None:
        """Advance the counter of (*num_id*, *ilvl*) and return the label text and its Level."""
        if num_id in ("", "0") or not 0 <= ilvl < MAX_LEVELS:
            return None
        aid = self._abstract_id(num_id)
        lvl = self.level(num_id, ilvl)
        if aid is None or lvl is None:
            return None
        counters = self._counters.setdefault(aid, [None] * MAX_LEVELS)
        overrides = self.nums[num_id][1]
        if num_id not in self._seen:
            self._seen.add(num_id)
            for o_lvl, (start, _) in overrides.items():
                if start is not None and 0 <= o_lvl < MAX_LEVELS:
                    counters[o_lvl] = None
        current = counters[ilvl]
        if current is None:
            start = overrides.get(ilvl, (None, None))[0]
            counters[ilvl] = start if start is not None else lvl.start
        else:
            counters[ilvl] = current + 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            d_lvl = self.level(num_id, deeper)
            if d_lvl is None or d_lvl.restart != 0:
                counters[deeper] = None
        if lvl.fmt not in KNOWN_FORMATS:
            self.unknown_formats.add(lvl.fmt)
        return self._label(num_id, ilvl, lvl, counters), lvl

    def _label(self, num_id: str, ilvl: int, lvl: Level, counters: list[int | None]) -> str:
        if lvl.fmt == "bullet":
            return "".join(SYMBOLS.get(ch, ch) for ch in lvl.text)
        text = lvl.text
        for i in range(MAX_LEVELS):
            token = f"%{i + 1}"
            if token not in text:
                continue
            other = self.level(num_id, i)
            value = counters[i]
            if value is None:
                value = other.start if other is not None else 1
            fmt = other.fmt if other is not None else "decimal"
            if lvl.legal and fmt != "none":
                fmt = "decimal"
            text = text.replace(token, format_number(value, fmt))
        return "".join(SYMBOLS.get(ch, ch) for ch in text)
