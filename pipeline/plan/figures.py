"""The plan's pictures as PNG or JPEG bytes for the .docx: a raster file as it is, an SVG drawn by cairosvg.

An SVG is drawn at PRINT_DPI for the width it is shown at, with nothing fetched from outside the
file (cairosvg's safe mode: no entities, linked files drawn as nothing): a picture cannot make kansli
read another file or the network.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import InputError, os_reason

RASTER = (".png", ".jpg", ".jpeg")
VECTOR = (".svg",)
SUPPORTED = RASTER + VECTOR
PRINT_DPI = 200
MAX_PIXELS = 40_000_000  # larger pictures are refused rather than swelling every PDF


def svg_png(path: Path, width_cm: float) -> bytes:
    """Return the SVG file *path* drawn as PNG for a width of *width_cm*; InputError when it cannot be."""
    try:
        import cairosvg  # imported when an SVG is used: it loads the cairo library
    except OSError as exc:  # cairocffi did not find libcairo
        raise InputError("SVG-bilder kräver biblioteket cairo (Debian-paketet libcairo2); "
                         "spara bilden som PNG i stället", path=path) from exc
    pixels = max(1, round(width_cm / 2.54 * PRINT_DPI))
    try:
        # unsafe=False: no XML entities, and linked files or addresses are drawn as nothing (only data: URLs)
        data: bytes = cairosvg.svg2png(bytestring=path.read_bytes(), output_width=pixels, unsafe=False)
    except (ValueError, TypeError, KeyError, AttributeError, ZeroDivisionError, MemoryError, OSError,
            SyntaxError) as exc:
        raise InputError(f"SVG-bilden kan inte ritas ({type(exc).__name__}); spara den som PNG i stället",
                         path=path) from exc
    return data


@lru_cache(maxsize=32)
def _cached(path: Path, width_cm: float, stamp: tuple[int, int]) -> bytes:
    if path.suffix.lower() in VECTOR:
        return svg_png(path, width_cm)
    return path.read_bytes()


def picture_bytes(path: Path, width_cm: float) -> bytes:
    """Return the picture *path* as PNG or JPEG bytes, to be shown *width_cm* wide (read once per version)."""
    try:
        stat = path.stat()
        return _cached(path.resolve(), width_cm, (stat.st_mtime_ns, stat.st_size))
    except OSError as exc:
        raise InputError(f"bilden kan inte läsas: {os_reason(exc)}", path=path) from exc
