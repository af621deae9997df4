"""Small test PDFs drawn with pikepdf: text at known places in an embedded (Type 3) font."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name

# Glyph names for the characters that are not their own name (Adobe Glyph List).
GLYPH_NAMES = {
    " ": "space", ".": "period", ",": "comma", "-": "hyphen", ":": "colon", "§": "section",
    "å": "aring", "ä": "adieresis", "ö": "odieresis", "Å": "Aring", "Ä": "Adieresis", "Ö": "Odieresis",
    "é": "eacute", "0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
    "6": "six", "7": "seven", "8": "eight", "9": "nine",
}
ADVANCE = 500  # every glyph is half an em wide


class Text(NamedTuple):
    """One run of text: what, where (baseline start, points) and how big."""

    text: str
    x: float
    y: float
    size: float = 11.0


def _glyph(char: str) -> str:
    if char in GLYPH_NAMES:
        return GLYPH_NAMES[char]
    if char.isascii() and char.isalpha():
        return char
    raise ValueError(f"pdfdraw has no glyph for {char!r} ({unicodedata.name(char, '?')})")


def _to_unicode(codes: dict[str, int]) -> bytes:
    """Return a ToUnicode CMap mapping each one-byte code back to its character."""
    pairs = "\n".join(f"<{code:02X}> <{ord(char):04X}>" for char, code in codes.items())
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{pairs}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii")


def draw(path: Path, pages: Sequence[Sequence[Text]], *, size: tuple[float, float] = (595.0, 842.0),
         scaled_matrix: bool = False) -> Path:
    """Write a PDF to *path* with one page per entry of *pages*, each run drawn where it says.

    The font is a Type 3 font (its glyphs are plain boxes, so it is embedded by construction)
    whose encoding names every glyph and whose ToUnicode map says which character each code is,
    so text extraction gives the characters back. With
    *scaled_matrix* the size goes into the text matrix (Tf 1), as some producers write it.
    """
    chars = sorted({c for page in pages for run in page for c in run.text})
    codes = {c: 33 + i for i, c in enumerate(chars)}
    pdf = pikepdf.new()
    box = pdf.make_stream(b"0 0 450 700 re f")
    procs = Dictionary({f"/{_glyph(c)}": box for c in chars})
    font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type3, FontBBox=Array([0, 0, 500, 700]),
        FontMatrix=Array([0.001, 0, 0, 0.001, 0, 0]), CharProcs=procs, Resources=Dictionary(),
        Encoding=Dictionary(Type=Name.Encoding, Differences=Array([33, *(Name(f"/{_glyph(c)}") for c in chars)])),
        FirstChar=33, LastChar=33 + max(len(chars) - 1, 0), Widths=Array([ADVANCE] * max(len(chars), 1)),
        ToUnicode=pdf.make_stream(_to_unicode(codes)),
    ))
    for runs in pages:
        ops = []
        for run in runs:
            encoded = bytes(codes[c] for c in run.text)
            literal = encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            if scaled_matrix:
                ops.append(b"BT /F1 1 Tf %.2f 0 0 %.2f %.2f %.2f Tm (%s) Tj ET"
                           % (run.size, run.size, run.x, run.y, literal))
            else:
                ops.append(b"BT /F1 %.2f Tf %.2f %.2f Td (%s) Tj ET" % (run.size, run.x, run.y, literal))
        page = pikepdf.Page(Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, *size]),
            Resources=Dictionary(Font=Dictionary(F1=font)),
            Contents=pdf.make_stream(b"\n".join(ops)),
        ))
        pdf.pages.append(page)
    pdf.save(path)
    return path


def signature_page(*, y: float = 300.0, gap: float = 60.0, left: float = 72.0, right: float = 320.0) -> list[Text]:
    """Return the runs of a page that ends with the minutes' two-column signature block."""
    return [
        Text("Minnesanteckningar", left, 780, 16),
        Text("Mötet avslutades.", left, y + 60),
        Text("Vid anteckningarna", left, y),
        Text("Justeras", right, y),
        Text("Anna Andersson", left, y - gap),
        Text("Bertil Berg", right, y - gap),
    ]
