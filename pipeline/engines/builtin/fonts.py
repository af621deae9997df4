"""Fonts: Word family names mapped to installed metric-compatible TTFs, registered once, Vera as fallback."""

from __future__ import annotations

import os
import re
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# Folders searched by file name (no fontconfig). Tests may replace this list and call reset().
FONT_DIRS: list[Path] = [
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
]
MAX_FONT_FILES = 20000

VERA_DIR = Path(reportlab.__file__).parent / "fonts"
VERA = {(False, False): "Vera.ttf", (True, False): "VeraBd.ttf",
        (False, True): "VeraIt.ttf", (True, True): "VeraBI.ttf"}

# Word family (lower case) -> file-name stems of metric-compatible families, best first.
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "calibri": ("carlito",),
    "calibri light": ("carlito",),
    "aptos": ("carlito",),
    "cambria": ("caladea",),
    "cambria math": ("caladea",),
    "arial": ("liberationsans", "arimo"),
    "helvetica": ("liberationsans", "arimo"),
    "arial narrow": ("liberationsansnarrow", "liberationsans"),
    "times new roman": ("liberationserif", "tinos"),
    "times": ("liberationserif", "tinos"),
    "courier new": ("liberationmono", "cousine"),
    "courier": ("liberationmono", "cousine"),
    "consolas": ("liberationmono", "dejavusansmono"),
    "georgia": ("gelasio", "liberationserif"),
    "verdana": ("dejavusans",),
    "tahoma": ("dejavusans",),
    "segoe ui": ("dejavusans", "liberationsans"),
    "symbol": ("dejavusans",),
    "wingdings": ("dejavusans",),
}
SERIF_HINTS = ("times", "serif", "garamond", "georgia", "cambria", "book", "roman", "palatino")
MONO_HINTS = ("mono", "courier", "consolas", "code")

_STYLE_SUFFIXES = {
    (False, False): ("regular", "", "roman", "book"),
    (True, False): ("bold",),
    (False, True): ("italic", "oblique"),
    (True, True): ("bolditalic", "boldoblique"),
}


@dataclass(frozen=True)
class Face:
    """A registered font: its reportlab name and its vertical metrics per point of size."""

    name: str
    ascent: float
    descent: float
    gap: float
    cmap: frozenset[int]
    widths: dict[int, float] = field(default_factory=dict, compare=False, repr=False)
    default: float = 500.0
    cache: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def line_height(self, size: float) -> float:
        """Return Word's single line height for this font at *size* points."""
        return (self.ascent + self.descent + self.gap) * size


_lock = threading.RLock()
_index: dict[str, Path] | None = None
_faces: dict[tuple[str, bool, bool], Face] = {}
_by_path: dict[Path, Face] = {}


def reset() -> None:
    """Forget the font index and the resolved families (the registered TTFs stay registered)."""
    global _index
    with _lock:
        _index = None
        _faces.clear()


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _build_index() -> dict[str, Path]:
    index: dict[str, Path] = {}
    count = 0
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for fname in sorted(files):
                count += 1
                if count > MAX_FONT_FILES:
                    return index
                if fname.lower().endswith(".ttf"):
                    index.setdefault(_norm(fname[:-4]), Path(root) / fname)
    return index


def _find(stem: str, bold: bool, italic: bool, index: dict[str, Path]) -> Path | None:
    for suffix in _STYLE_SUFFIXES[(bold, italic)]:
        hit = index.get(stem + suffix)
        if hit is not None:
            return hit
    return None


def _metrics(path: Path) -> tuple[float, float, float]:
    """Return (ascent, descent, line gap) per unit of size the way Word computes single spacing."""
    data = path.read_bytes()
    num = struct.unpack(">H", data[4:6])[0]
    tables: dict[bytes, int] = {}
    for i in range(min(num, 200)):
        rec = data[12 + 16 * i: 28 + 16 * i]
        tables[rec[:4]] = struct.unpack(">I", rec[8:12])[0]
    upem = struct.unpack(">H", data[tables[b"head"] + 18: tables[b"head"] + 20])[0] or 1000
    h = tables[b"hhea"]
    h_asc, h_desc, h_gap = struct.unpack(">hhh", data[h + 4: h + 10])
    if b"OS/2" in tables:
        o = tables[b"OS/2"]
        fs_selection = struct.unpack(">H", data[o + 62: o + 64])[0]
        if fs_selection & 0x80:  # USE_TYPO_METRICS: the typographic values are the line metrics
            t_asc, t_desc, t_gap = struct.unpack(">hhh", data[o + 68: o + 74])
            return t_asc / upem, -t_desc / upem, max(t_gap, 0) / upem
        win_asc, win_desc = struct.unpack(">HH", data[o + 74: o + 78])
    else:
        win_asc, win_desc = h_asc, -h_desc
    gap = max(0, h_gap - ((win_asc + win_desc) - (h_asc - h_desc)))
    return win_asc / upem, win_desc / upem, gap / upem


def _register(path: Path) -> Face:
    face = _by_path.get(path)
    if face is not None:
        return face
    name = "K-" + _norm(path.stem)
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    asc, desc, gap = _metrics(path)
    face = Face(name, asc, desc, gap, frozenset(font.face.charToGlyph), dict(font.face.charWidths),
                float(font.face.defaultWidth or 500.0))
    _by_path[path] = face
    return face


def _candidates(family: str) -> list[str]:
    low = family.strip().lower()
    stems = list(SUBSTITUTES.get(low, ()))
    stems.append(_norm(low))
    if any(h in low for h in MONO_HINTS):
        stems += ["liberationmono", "dejavusansmono"]
    elif any(h in low for h in SERIF_HINTS):
        stems += ["liberationserif", "dejavuserif"]
    stems += ["carlito", "liberationsans", "dejavusans"]
    return stems


def resolve(family: str, bold: bool = False, italic: bool = False) -> Face:
    """Return the registered face that stands in for Word's *family* (Vera when nothing else exists)."""
    key = (family.lower(), bold, italic)
    face = _faces.get(key)
    if face is not None:
        return face
    with _lock:
        global _index
        if _index is None:
            _index = _build_index()
        path: Path | None = None
        for stem in _candidates(family):
            path = _find(stem, bold, italic, _index) or _find(stem, False, False, _index)
            if path is not None:
                break
        if path is None:
            path = VERA_DIR / VERA[(bold, italic)]
        try:
            face = _register(path)
        except (OSError, ValueError, KeyError, IndexError, struct.error, TTFError):  # a broken font file
            face = _register(VERA_DIR / VERA[(bold, italic)])
        _faces[key] = face
        return face


def fallback() -> Face:
    """Return a broad-coverage face for characters the chosen font lacks."""
    return resolve("DejaVu Sans")


def units(face: Face, text: str) -> float:
    """Return the advance width of *text* in *face* in font units per 1000 (cached per face)."""
    cache = face.cache
    value = cache.get(text)
    if value is None:
        get, default = face.widths.get, face.default
        value = sum([get(o, default) for o in map(ord, text)])
        if len(cache) > 100_000:
            cache.clear()
        cache[text] = value
    return value


def width(face: Face, text: str, size: float) -> float:
    """Return the width of *text* in *face* at *size* points."""
    return units(face, text) * size * 0.001


def ttfont(face: Face) -> TTFont:
    """Return the registered reportlab font object of *face*."""
    font: TTFont = pdfmetrics.getFont(face.name)
    return font
