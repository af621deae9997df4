"""Line layout: paragraph content → measured tokens → lines (wrapping, tab stops, alignment, justify)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import fonts
from .model import Break, Field, Image, Paragraph, RunStyle, Tab, TabStop, Text

WORDS = re.compile(r"[^ ]+ *| +")  # a word with its trailing spaces, or leading spaces
LEADERS = {"dot": ".", "hyphen": "-", "underscore": "_", "middleDot": "\u00b7", "heavy": "_"}
EPS = 0.01


class Tok:
    """One measured piece of a paragraph: a word (w), spaces (s), tab (t), break (b) or image (i)."""

    __slots__ = ("kind", "text", "width", "face", "size", "style", "link", "rise", "image", "trail", "lbl")

    def __init__(self, kind: str, text: str, width: float, face: fonts.Face, size: float, style: RunStyle,
                 link: str | None = None, rise: float = 0.0, image: Image | None = None) -> None:
        self.kind = kind
        self.text = text
        self.width = width
        self.face = face
        self.size = size
        self.style = style
        self.link = link
        self.rise = rise
        self.image = image
        self.trail = 0.0  # width of the trailing spaces included in text/width (a break may follow)
        self.lbl = False  # part of the list label (tagged as Lbl)


@dataclass
class Frag:
    """A drawable piece of one line: text in one style at x, or an image."""

    x: float
    tok: Tok
    text: str
    width: float


@dataclass
class Line:
    """One laid-out line: its fragments, tab leaders, height and baseline offset from its top."""

    frags: list[Frag]
    leaders: list[tuple[float, float, Tok, str]] = field(default_factory=list)
    height: float = 0.0
    baseline: float = 0.0
    descent: float = 0.0


def _face(style: RunStyle) -> tuple[fonts.Face, float, float]:
    face = fonts.resolve(style.font, style.bold, style.italic)
    size = style.size
    rise = 0.0
    if style.vert == "superscript":
        size, rise = size * 0.65, size * 0.33
    elif style.vert == "subscript":
        size, rise = size * 0.65, -size * 0.14
    return face, size, rise


def _text_toks(text: str, style: RunStyle, link: str | None, out: list[Tok]) -> None:
    face, size, rise = _face(style)
    pieces: list[tuple[str, fonts.Face]] = [(text, face)]
    if not face.cmap.issuperset(map(ord, text)):
        pieces = _fallback_pieces(text, face)
    spacing = style.spacing
    scale = size * 0.001
    for piece, pface in pieces:
        cache = pface.cache
        space = fonts.units(pface, " ") * scale + spacing
        for word in WORDS.findall(piece):
            units = cache.get(word)
            if units is None:
                units = fonts.units(pface, word)
            width = units * scale + spacing * len(word) if spacing else units * scale
            if word[0] == " ":
                out.append(Tok("s", word, width, pface, size, style, link, rise))
                continue
            tok = Tok("w", word, width, pface, size, style, link, rise)
            if word[-1] == " ":
                tok.trail = space * (len(word) - len(word.rstrip(" ")))
            out.append(tok)


def _fallback_pieces(text: str, face: fonts.Face) -> list[tuple[str, fonts.Face]]:
    """Return *text* cut where characters missing from *face* need the broad fallback font."""
    alt = fonts.fallback()
    out: list[tuple[str, fonts.Face]] = []
    for ch in text:
        use = face if ord(ch) in face.cmap or ch == " " or ord(ch) not in alt.cmap else alt
        if out and out[-1][1] is use:
            out[-1] = (out[-1][0] + ch, use)
        else:
            out.append((ch, use))
    return out


def _label_toks(para: Paragraph, out: list[Tok]) -> None:
    """Append the tokens of *para*'s list label (and what follows it: a tab, a space or nothing)."""
    style = para.label_style or para.default_style
    start = len(out)
    _text_toks(para.label.replace(" ", "\u00a0"), style, None, out)
    face, size, rise = _face(style)
    if para.label_suffix == "tab":
        out.append(Tok("t", "", 0.0, face, size, style))
    elif para.label_suffix == "space":
        out.append(Tok("s", " ", fonts.width(face, " ", size), face, size, style))
    for tok in out[start:]:
        tok.lbl = True


def tokenize(para: Paragraph, fields: dict[str, str] | None = None) -> list[Tok]:
    """Return the measured tokens of *para* (PAGE, NUMPAGES, SECTIONPAGES shown as *fields* says)."""
    out: list[Tok] = []
    if para.label:
        _label_toks(para, out)
    for item in para.inlines:
        if isinstance(item, Text):
            if item.style.size > 0:
                _text_toks(item.text, item.style, item.link, out)
        elif isinstance(item, Tab):
            face, size, rise = _face(item.style)
            out.append(Tok("t", "", 0.0, face, size, item.style, item.link))
        elif isinstance(item, Break):
            face, size, rise = _face(item.style)
            out.append(Tok("b", "", 0.0, face, size, item.style))
        elif isinstance(item, Image):
            face, size, _ = _face(para.default_style)
            out.append(Tok("i", "", item.width, face, size, para.default_style, item.link, image=item))
        elif isinstance(item, Field):
            _text_toks((fields or {}).get(item.kind, "1"), item.style, None, out)
    return out


class Breaker:
    """Greedy line breaking of one paragraph's tokens at one width."""

    def __init__(self, para: Paragraph, width: float, default_tab: float) -> None:
        self.fmt = para.fmt
        self.para = para
        self.right_edge = max(width - para.fmt.right, para.fmt.left + 12.0)
        self.default_tab = max(default_tab, 6.0)
        self.lines: list[Line] = []
        self.items: list[tuple[float, Tok]] = []
        self.leaders: list[tuple[float, float, Tok, str]] = []
        self.seg: tuple[TabStop, int, float, Tok] | None = None

    def _next_stop(self, x: float) -> TabStop | None:
        best: TabStop | None = None
        for stop in self.fmt.tabs:
            if stop.pos > x + EPS and stop.align != "bar":
                best = stop
                break
        first_line = not self.lines
        if first_line and self.fmt.first < 0 and self.fmt.left > x + EPS and \
                (best is None or self.fmt.left < best.pos):
            return TabStop(self.fmt.left)
        if best is not None:
            return best
        pos = (int(x / self.default_tab) + 1) * self.default_tab
        return TabStop(pos) if pos <= self.right_edge + EPS else None

    def _close_seg(self, x: float) -> float:
        if self.seg is None:
            return x
        stop, start, min_x, tab = self.seg
        self.seg = None
        width = x - min_x
        target = stop.pos - width if stop.align in ("right", "decimal") else stop.pos - width / 2
        shift = max(0.0, target - min_x)
        if shift > 0:
            self.items[start:] = [(ix + shift, t) for ix, t in self.items[start:]]
            if stop.leader in LEADERS:
                self.leaders.append((min_x, min_x + shift, tab, LEADERS[stop.leader]))
        return x + shift

    def run(self, toks: list[Tok]) -> list[Line]:
        """Return the lines for *toks*."""
        toks = list(toks)
        left = self.fmt.left
        x = left + self.fmt.first
        i = 0
        n = len(toks)
        guard = 4 * n + 10
        while i < n:
            guard -= 1
            if guard < 0:
                raise RuntimeError("radbrytningen avbröts (för komplicerat stycke)")
            tok = toks[i]
            kind = tok.kind
            if kind == "s":
                self.items.append((x, tok))
                x += tok.width
                i += 1
            elif kind == "b":
                x = self._close_seg(x)
                self._finish(explicit=False)  # Word stretches a justified line ending in a line break
                x = left
                i += 1
            elif kind == "t":
                x = self._close_seg(x)
                stop = self._next_stop(x)
                if stop is None or stop.pos > self.right_edge + 0.5 and stop.align == "left":
                    if self._has_content():
                        self._finish(explicit=False)
                        x = left
                        continue
                    stop = TabStop(x + tok.size * 0.25)
                self.items.append((x, tok))
                if stop.align in ("right", "center", "decimal"):
                    self.seg = (stop, len(self.items), x, tok)
                else:
                    if stop.leader in LEADERS:
                        self.leaders.append((x, stop.pos, tok, LEADERS[stop.leader]))
                    x = stop.pos
                i += 1
            else:
                j = i
                width = 0.0
                while j < n and toks[j].kind == "w":
                    width += toks[j].width
                    j += 1
                    if toks[j - 1].trail:
                        break
                if j == i:
                    j, width = i + 1, tok.width
                if x + width - toks[j - 1].trail > self.right_edge + EPS:
                    if self._has_content():
                        x = self._close_seg(x)
                        self._finish(explicit=False)
                        x = left
                        continue
                    if kind == "w" and j == i + 1 and len(tok.text.rstrip(" ")) > 1:
                        self._split_word(toks, i, self.right_edge - x)
                        n = len(toks)
                        guard += 4
                        continue
                for k in range(i, j):
                    self.items.append((x, toks[k]))
                    x += toks[k].width
                i = j
        x = self._close_seg(x)
        self._finish(explicit=True)
        return self.lines

    def _split_word(self, toks: list[Tok], i: int, room: float) -> None:
        tok = toks[i]
        word = tok.text.rstrip(" ")
        # Widths add up character by character (no kerning), so one forward scan finds the longest
        # prefix that fits: linear in the line, where measuring every prefix was quadratic.
        cut, used = 1, 0.0
        for k, char in enumerate(word[:-1], start=1):
            used += fonts.width(tok.face, char, tok.size)
            if used > room:
                break
            cut = k
        head, tail = tok.text[:cut], tok.text[cut:]
        head_width = fonts.width(tok.face, head, tok.size)
        rest = Tok("w", tail, tok.width - head_width, tok.face, tok.size, tok.style, tok.link, tok.rise)
        rest.trail = tok.trail
        toks[i:i + 1] = [
            Tok("w", head, head_width, tok.face, tok.size, tok.style, tok.link, tok.rise),
            Tok("s", "", 0.0, tok.face, tok.size, tok.style),
            rest,
        ]

    def _has_content(self) -> bool:
        return any(t.kind in ("w", "i") for _, t in self.items)

    def _finish(self, explicit: bool) -> None:
        items = self.items
        while items and items[-1][1].kind == "s":
            items.pop()
        if items and items[-1][1].trail:  # the spaces at the end of a line take no room
            x, last = items[-1]
            word = last.text.rstrip(" ")
            trimmed = Tok("w", word, last.width - last.trail, last.face, last.size, last.style, last.link, last.rise)
            trimmed.lbl = last.lbl
            items[-1] = (x, trimmed)
        self.lines.append(self._make_line(items, explicit))
        self.items = []
        self.leaders = []
        self.seg = None

    def _make_line(self, items: list[tuple[float, Tok]], explicit: bool) -> Line:
        fmt = self.fmt
        ascent = descent = gap = 0.0
        prev: tuple[fonts.Face, float, float] | None = None
        has_tab = False
        for _, t in items:
            kind = t.kind
            if kind == "i":
                ascent = max(ascent, t.image.height if t.image else 0.0)
            elif kind == "t":
                has_tab = True
            else:
                key = (t.face, t.size, t.rise)
                if key != prev:
                    prev = key
                    face, size, rise = key
                    ascent = max(ascent, face.ascent * size + rise)
                    descent = max(descent, face.descent * size - rise)
                    gap = max(gap, face.gap * size)
        if ascent == 0.0 and descent == 0.0:
            face, size, _ = _face(self.para.default_style)
            if items and items[0][1].kind == "t":
                face, size = items[0][1].face, items[0][1].size
            ascent, descent, gap = face.ascent * size, face.descent * size, face.gap * size
        natural = ascent + descent + gap
        if fmt.line_rule == "exact":
            height = fmt.line
        elif fmt.line_rule == "atLeast":
            height = max(natural, fmt.line)
        else:
            height = natural * fmt.line
        line = Line([], list(self.leaders), height, height - descent, descent)
        end = items[-1][0] + items[-1][1].width if items else 0.0
        free = self.right_edge - end
        shift = extra = 0.0
        if not has_tab and free > 0:
            if fmt.align == "center":
                shift = free / 2
            elif fmt.align == "right":
                shift = free
            elif fmt.align == "both" and not explicit:
                spaces = sum(1 for _, t in items if t.trail or (t.kind == "s" and t.text))
                extra = free / spaces if spaces else 0.0
        line.frags = self._frags(items, shift, extra)
        if shift:
            line.leaders = [(a + shift, b + shift, t, c) for a, b, t, c in line.leaders]
        return line

    @staticmethod
    def _frags(items: list[tuple[float, Tok]], shift: float, extra: float) -> list[Frag]:
        """Return the drawable fragments: neighbouring pieces in one style merged into one string."""
        frags: list[Frag] = []
        texts: list[list[str]] = []
        added = shift
        cur: Tok | None = None
        end = 0.0
        for x, t in items:
            kind = t.kind
            if kind == "t":
                continue
            pos = x + added
            if extra and (t.trail or (kind == "s" and t.text)):
                added += extra
            if (cur is not None and kind != "i" and cur.kind != "i" and abs(end - pos) < 0.01
                    and (cur.style is t.style or cur.style == t.style) and cur.face is t.face
                    and cur.size == t.size and cur.link == t.link and cur.lbl == t.lbl):
                texts[-1].append(t.text)
                frags[-1].width += t.width
            else:
                cur = t
                frags.append(Frag(pos, t, "", t.width))
                texts.append([t.text])
            end = pos + t.width
        for frag, parts in zip(frags, texts, strict=True):
            frag.text = "".join(parts)
        return frags


def break_lines(para: Paragraph, toks: list[Tok], width: float, default_tab: float) -> list[Line]:
    """Return the lines of *para* laid into *width* points."""
    return Breaker(para, width, default_tab).run(toks)
