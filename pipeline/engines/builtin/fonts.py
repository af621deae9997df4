"""Fonts: Word family names mapped to TTFs, the ones shipped in pipeline/fonts first, registered once."""

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

from . import tounicode

tounicode.install()

# The fonts that come with kansli: the same files on every machine, so the same PDF.
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "fonts"
# Folders searched by file name (no fontconfig) for families kansli does not ship.
# Tests may replace this list and call reset().
FONT_DIRS: list[Path] = [
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
]
MAX_FONT_FILES = 20000

# Last resort when even the shipped files cannot be read: reportlab's own Vera.
VERA_DIR = Path(reportlab.__file__).parent / "fonts"
VERA = {(False, False): "Vera.ttf", (True, False): "VeraBd.ttf",
        (False, True): "VeraIt.ttf", (True, True): "VeraBI.ttf"}

# Word family (lower case) -> the shipped metric-compatible family (file-name stem), used even when
# the machine has the original or another version: the layout must not depend on the machine.
SHIPPED: dict[str, str] = {
    "calibri": "carlito",
    "calibri light": "carlito",
    "aptos": "carlito",
    "cambria": "caladea",
    "cambria math": "caladea",
    "arial": "liberationsans",
    "helvetica": "liberationsans",
    "times new roman": "liberationserif",
    "times": "liberationserif",
    "courier new": "liberationmono",
    "courier": "liberationmono",
}
# Other Word families -> look-alikes tried when the family itself is not found, best first.
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "arial narrow": ("liberationsansnarrow", "liberationsans"),
    "consolas": ("liberationmono",),
    "georgia": ("gelasio", "liberationserif"),
    "verdana": ("dejavusans",),
    "tahoma": ("dejavusans",),
    "segoe ui": ("dejavusans", "liberationsans"),
    "symbol": ("dejavusans",),
    "wingdings": ("dejavusans",),
}
SERIF_HINTS = ("times", "serif", "garamond", "georgia", "cambria", "book", "roman", "palatino")
MONO_HINTS = ("mono", "courier", "consolas", "code")
FALLBACK_FAMILY = "DejaVu Sans"  # shipped: the broad-coverage font for characters others lack

_STYLE_SUFFIXES = {
    (False, False): ("regular", "", "roman", "book"),
    (True, False): ("bold",),
    (False, True): ("italic", "oblique"),
    (True, True): ("bolditalic", "boldoblique"),
}


@dataclass(frozen=True)
class Face:
    """A registered font: its reportlab name, family and vertical metrics per point of size."""

    name: str
    family: str
    ascent: float
    descent: float
    gap: float
    cmap: frozenset[int] = field(repr=False)
    widths: dict[int, float] = field(default_factory=dict, compare=False, repr=False)
    default: float = 500.0
    cache: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def line_height(self, size: float) -> float:
        """Return Word's single line height for this font at *size* points."""
        return (self.ascent + self.descent + self.gap) * size


_lock = threading.RLock()
_shipped: dict[str, Path] | None = None
_system: dict[str, Path] | None = None  # scanned only when a family is not among the shipped ones
_faces: dict[tuple[str, bool, bool], Face] = {}
_by_path: dict[Path, Face] = {}


def reset() -> None:
    """Forget the font indexes and the resolved families (the registered TTFs stay registered)."""
    global _shipped, _system
    with _lock:
        _shipped = _system = None
        _faces.clear()


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _scan(folders: list[Path]) -> dict[str, Path]:
    """Return normalized file-name stem → path of the TTFs under *folders* (the first one wins)."""
    index: dict[str, Path] = {}
    count = 0
    for folder in folders:
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


def _shipped_index() -> dict[str, Path]:
    """Return the index of the shipped fonts (built on first use)."""
    global _shipped
    if _shipped is None:
        _shipped = _scan([SHIPPED_DIR])
    return _shipped


def _system_index() -> dict[str, Path]:
    """Return the index of the system's fonts (scanned on first use: only for families not shipped)."""
    global _system
    if _system is None:
        _system = _scan(FONT_DIRS)
    return _system


def _find(index: dict[str, Path], stem: str, style: tuple[bool, bool]) -> Path | None:
    """Return the file of family *stem* in *style* from *index*, or None."""
    return next((index[stem + s] for s in _STYLE_SUFFIXES[style] if stem + s in index), None)


def _lookup(stem: str, bold: bool, italic: bool) -> Path | None:
    """Return the file of *stem* in the asked style, else its regular one; shipped before system."""
    for style in ((bold, italic), (False, False)):
        hit = _find(_shipped_index(), stem, style) or _find(_system_index(), stem, style)
        if hit is not None:
            return hit
    return None


def _generic(low: str) -> str:
    """Return the shipped family that stands in for an unknown family, by what its name suggests."""
    if any(h in low for h in MONO_HINTS):
        return "liberationmono"
    if any(h in low for h in SERIF_HINTS):
        return "liberationserif"
    return "carlito"


def _candidates(family: str) -> list[str]:
    low = family.strip().lower()
    if low in SHIPPED:
        return [SHIPPED[low]]
    return [_norm(low), *SUBSTITUTES.get(low, ()), _generic(low)]


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
    family = font.face.familyName.decode("latin-1", "replace") or path.stem
    face = Face(name, family, asc, desc, gap, frozenset(font.face.charToGlyph), dict(font.face.charWidths),
                float(font.face.defaultWidth or 500.0))
    _by_path[path] = face
    return face


def resolve(family: str, bold: bool = False, italic: bool = False) -> Face:
    """Return the registered face that stands in for Word's *family* (Vera when nothing else exists)."""
    key = (family.lower(), bold, italic)
    face = _faces.get(key)
    if face is not None:
        return face
    with _lock:
        path = next(filter(None, (_lookup(stem, bold, italic) for stem in _candidates(family))), None)
        try:
            face = _register(path or VERA_DIR / VERA[(bold, italic)])
        except (OSError, ValueError, KeyError, IndexError, struct.error, TTFError):  # a broken font file
            face = _register(VERA_DIR / VERA[(bold, italic)])
        _faces[key] = face
        return face


def stand_in(family: str) -> str | None:
    """Return the family used for *family* when it is neither shipped nor installed, else None."""
    low = family.strip().lower()
    if not low or low in SHIPPED:
        return None
    with _lock:
        if _lookup(_norm(low), False, False) is not None:
            return None
    return resolve(family).family


def fallback() -> Face:
    """Return the broad-coverage face (shipped DejaVu Sans) for characters the chosen font lacks."""
    return resolve(FALLBACK_FAMILY)


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
