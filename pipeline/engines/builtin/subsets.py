"""Text → the single-byte codes of a TrueType subset, as PDF literal strings (reportlab's splitString, faster).

reportlab's `TTFont.splitString` walks every character in Python on every call. Once each character of a
text has its code in the document's subsets, the answer no longer changes: this module then answers with
one `str.translate`, and leaves the first sight of a character (which assigns its code) to reportlab.
"""

from __future__ import annotations

import weakref
from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

# PDF literal-string escapes for the single-byte codes of a TrueType subset (content streams are ASCII).
ESCAPE = {i: f"\\{i:03o}" for i in range(256) if i < 32 or i > 126 or chr(i) in "()\\"}
NBSP = 0xA0  # drawn as the space, as reportlab does

# per font state of one document: (codes assigned when built, character → escaped code, characters known)
_known: weakref.WeakKeyDictionary[Any, tuple[int, dict[int, str], frozenset[str]]] = weakref.WeakKeyDictionary()


def _table(state: Any) -> tuple[dict[int, str], frozenset[str]]:
    """Return the translation of the characters with a code in subset 0, rebuilt when codes were added."""
    assignments: dict[int, int] = state.assignments
    cached = _known.get(state)
    if cached is not None and cached[0] == len(assignments):
        return cached[1], cached[2]
    table = {code: ESCAPE.get(n, chr(n)) for code, n in assignments.items() if n < 256}
    if 32 in table:
        table[NBSP] = table[32]
    chars = frozenset(map(chr, table))
    _known[state] = (len(assignments), table, chars)
    return table, chars


def chunks(font: TTFont, text: str, doc: Any) -> list[tuple[int, str]]:
    """Return *text* as (subset, escaped PDF string) pieces, exactly as reportlab's splitString splits it."""
    state = font.state.get(doc)
    if text and state is not None:
        table, chars = _table(state)
        if chars.issuperset(text):
            return [(0, text.translate(table))]
    return [(subset, raw.decode("latin-1").translate(ESCAPE)) for subset, raw in font.splitString(text, doc)]
