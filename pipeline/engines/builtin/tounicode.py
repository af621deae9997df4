"""The text layer of characters beyond the Basic Multilingual Plane (emoji and the like).

reportlab writes each entry of a font subset's ToUnicode map as ``<%04X>``, which for a character
above U+FFFF gives five hex digits: a reader takes the first four, so 😀 (U+1F600) is extracted as
U+1F60 (ὠ), a wrong character in the text layer. PDF asks for the UTF-16BE code units there (a
surrogate pair), which is what `install` makes reportlab write.
"""

from __future__ import annotations

from reportlab.pdfbase import ttfonts


def utf16_hex(code: int) -> str:
    """Return the UTF-16BE code units of *code* as hex digits (a surrogate pair above U+FFFF)."""
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """Return the ToUnicode CMap of a font subset whose codes 0… stand for the characters in *subset*."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16_hex(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def install() -> None:
    """Make reportlab write correct ToUnicode maps (idempotent)."""
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
