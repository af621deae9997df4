"""Text → the single-byte codes of a TrueType subset, as PDF literal strings (reportlab's splitString, faster).

reportlab's `TTFont.splitString` walks every character in Python on every call. Once each character of a
text has its code in the document's subsets, the answer no longer changes: this module then answers with
one `str.translate`, and leaves the first sight of a character (which assigns its code) to reportlab.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

# PDF literal-string escapes for the single-byte codes of a TrueType subset (content streams are ASCII).
ESCAPE = {i: f"\\{i:03o}" for i in range(256) if i < 32 or i > 126 or chr(i) in "()\\"}
NBSP = 0xA0  # drawn as the space, as reportlab does


class Codes:
    """The characters with a code in subset 0 of one font in one document, kept up to date with reportlab's."""

    __slots__ = ("count", "table", "chars")

    def __init__(self) -> None:
        self.count = 0  # how many of reportlab's assignments are read in
        self.table: dict[int, str] = {}  # character → its escaped code
        self.chars: set[str] = set()

    def update(self, assignments: dict[int, int]) -> None:
        """Read in the assignments made since the last call (reportlab only ever adds, in order)."""
        for code, n in islice(assignments.items(), self.count, None):
            if n < 256:
                self.table[code] = ESCAPE.get(n, chr(n))
                self.chars.add(chr(code))
                if code == 32:
                    self.table[NBSP] = self.table[32]
                    self.chars.add(chr(NBSP))
        self.count = len(assignments)


def chunks(font: TTFont, text: str, doc: Any) -> list[tuple[int, str]]:
    """Return *text* as (subset, escaped PDF string) pieces, exactly as reportlab's splitString splits it."""
    state = font.state.get(doc)
    if text and state is not None:
        codes = state.__dict__.get("kansli_codes")
        if codes is None:
            codes = state.kansli_codes = Codes()
        if codes.count != len(state.assignments):
            codes.update(state.assignments)
        if codes.chars.issuperset(text):
            return [(0, text.translate(codes.table))]
    return [(subset, raw.decode("latin-1").translate(ESCAPE)) for subset, raw in font.splitString(text, doc)]
