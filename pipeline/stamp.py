"""The appearance of a signed field: a check mark and "Signerat av …" in an embedded TrueType font.

PDF/A allows no unembedded font, and pyHanko's default stamp uses Courier; this draws its own.
"""

from __future__ import annotations

import importlib.util
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import enumerate_sig_fields

# The stamp drawn into a signed field: a check mark and "Signerat av NAMN / time" in dark blue,
# in an embedded TrueType font (PDF/A allows no other); the font object is shared by all stamps.
MARK_RGB = "0.1 0.25 0.55"
STAMP_FONT_KEY = "/KSig"
STAMP_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
               "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")


def _pdf(value: Any) -> Any:
    """Return *value* as a pyHanko PDF object ("/Name" strings become names; dicts, lists nest)."""
    # pyHanko's PDF object constructors carry no type hints, hence the ignores.
    if isinstance(value, generic.PdfObject):
        return value
    if isinstance(value, dict):
        return generic.DictionaryObject(  # type: ignore[no-untyped-call]
            {generic.pdf_name(k): _pdf(v) for k, v in value.items()})
    if isinstance(value, list):
        return generic.ArrayObject([_pdf(v) for v in value])
    if isinstance(value, str):
        return generic.pdf_name(value) if value.startswith("/") else generic.TextStringObject(value)
    if isinstance(value, int):
        return generic.NumberObject(value)  # type: ignore[no-untyped-call]
    return generic.FloatObject(f"{value:.3f}")  # type: ignore[no-untyped-call]


def _ttf(data: bytes) -> dict[str, Any]:
    """Return what a PDF font dict needs from the TrueType *data*: widths of cp1252 32-255, box, metrics."""
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i:28 + 16 * i])
              for i in range(struct.unpack(">H", data[4:6])[0])}
    head, hhea, hmtx, cmap = (data[o:o + n] for o, n in (tables[t] for t in (b"head", b"hhea", b"hmtx", b"cmap")))
    em = struct.unpack(">H", head[18:20])[0]
    scale = 1000 / em
    ascent, descent = struct.unpack(">hh", hhea[4:8])
    advances = [struct.unpack(">H", hmtx[4 * i:4 * i + 2])[0] for i in range(struct.unpack(">H", hhea[34:36])[0])]
    sub = next(struct.unpack(">I", cmap[8 * i + 8:8 * i + 12])[0] for i in range(struct.unpack(">H", cmap[2:4])[0])
               if cmap[8 * i + 4:8 * i + 8] == b"\x00\x03\x00\x01")  # Windows Unicode BMP, format 4
    segs = struct.unpack(">H", cmap[sub + 6:sub + 8])[0] // 2
    ends, starts, deltas, ranges = (struct.unpack(f">{segs}H", cmap[sub + 14 + k * 2 * segs + (2 if k else 0):][:2 * segs])
                                    for k in range(4))

    def glyph(char: int) -> int:
        for i in range(segs):
            if starts[i] <= char <= ends[i]:
                if not ranges[i]:
                    return int(char + deltas[i]) & 0xFFFF
                at = sub + 16 + 6 * segs + 2 * i + ranges[i] + 2 * (char - starts[i])
                found: int = struct.unpack(">H", cmap[at:at + 2])[0]
                return (found + deltas[i]) & 0xFFFF if found else 0
        return 0

    codes = [bytes([c]).decode("cp1252", errors="replace") for c in range(32, 256)]
    gids = [glyph(ord(ch)) if ch != "\ufffd" else 0 for ch in codes]
    return {"widths": [round(advances[min(g, len(advances) - 1)] * scale) if g else 0 for g in gids],
            "bbox": [round(v * scale) for v in struct.unpack(">hhhh", head[36:44])],
            "ascent": round(ascent * scale), "descent": round(descent * scale)}


def _stamp_font_file() -> Path | None:
    """Return a TrueType file for the stamp: reportlab's Vera (located, not imported), else a system one."""
    spec = importlib.util.find_spec("reportlab")
    places = [Path(spec.origin).parent / "fonts" / "Vera.ttf"] if spec and spec.origin else []
    places += [Path(p) for p in STAMP_FONTS]
    return next((p for p in places if p.is_file()), None)


def _stamp_font(writer: IncrementalPdfFileWriter) -> Any:
    """Return a reference to the stamp's embedded TrueType font: an earlier stamp's, or a new one."""
    for _, _, ref in enumerate_sig_fields(writer, filled_status=True):
        try:
            font = ref.get_object()["/AP"]["/N"]["/Resources"]["/Font"].raw_get(STAMP_FONT_KEY)
            if isinstance(font, generic.IndirectObject):
                return font
        except (KeyError, TypeError, AttributeError):
            continue
    path = _stamp_font_file()
    if path is None:
        return None
    data = path.read_bytes()
    try:
        m = _ttf(data)
    except (KeyError, StopIteration, struct.error, IndexError):
        return None
    name = "/" + re.sub(r"[^A-Za-z0-9-]", "", path.stem)
    program = generic.StreamObject(_pdf({"/Length1": len(data)}), stream_data=data)
    program.compress()  # type: ignore[no-untyped-call]
    descriptor = _pdf({"/Type": "/FontDescriptor", "/FontName": name, "/Flags": 32, "/FontBBox": m["bbox"],
                       "/ItalicAngle": 0, "/Ascent": m["ascent"], "/Descent": m["descent"],
                       "/CapHeight": round(m["ascent"] * 0.75), "/StemV": 80,
                       "/FontFile2": writer.add_object(program)})
    return writer.add_object(_pdf({
        "/Type": "/Font", "/Subtype": "/TrueType", "/BaseFont": name, "/FirstChar": 32, "/LastChar": 255,
        "/Widths": m["widths"], "/Encoding": "/WinAnsiEncoding", "/FontDescriptor": writer.add_object(descriptor),
    }))


def draw(writer: IncrementalPdfFileWriter, field_ref: generic.Reference, lines: Sequence[str]) -> None:
    """Draw the signed field's appearance: a check mark and *lines* in an embedded font (mark only
    when no TrueType font is at hand), so PDF/A holds."""
    widget = field_ref.get_object()
    if not isinstance(widget, generic.DictionaryObject) or "/Rect" not in widget:
        return  # a field whose widgets are kids, from another tool: its appearance stays as it is
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    w, h = abs(x2 - x1), abs(y2 - y1)
    if w < 12 or h < 6:
        return  # an invisible (or tiny) field gets no stamp
    s = min(h * 0.6, 18.0)
    y0 = (h - s) / 2
    ops = [f"q {MARK_RGB} RG 1.5 w 1 J 1 j {0.1 * s:.2f} {y0 + 0.5 * s:.2f} m {0.4 * s:.2f} "
           f"{y0 + 0.15 * s:.2f} l {s:.2f} {y0 + s:.2f} l S Q"]
    font = _stamp_font(writer) if lines else None
    resources: dict[str, Any] = {}
    if font is not None:
        widths = font.get_object()["/Widths"]
        size = min(8.0, (h - 4) / (1.25 * len(lines)))
        room = w - 1.3 * s - 2
        for i, line in enumerate(lines):
            # what the font cannot show becomes "?": PDF/A forbids drawing the .notdef glyph
            code = bytes(c if c >= 32 and int(widths[c - 32]) else 63 for c in line.encode("cp1252", "replace"))
            wide = sum(int(widths[c - 32]) for c in code) / 1000
            fit = min(size, room / wide) if wide else size
            text = code.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").decode("latin-1")
            y = h / 2 + (len(lines) / 2 - i - 0.8) * 1.25 * size
            ops.append(f"BT {MARK_RGB} rg /KSig {fit:.2f} Tf {1.3 * s:.2f} {y:.2f} Td ({text}) Tj ET")
        resources = {"/Font": {STAMP_FONT_KEY: font}}
    stream = generic.StreamObject(_pdf({"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, w, h],
                                        "/Resources": resources}), stream_data="\n".join(ops).encode("latin-1"))
    widget[generic.pdf_name("/AP")] = _pdf({"/N": writer.add_object(stream)})
    writer.mark_update(field_ref)
