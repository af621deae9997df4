"""Word-sequence matching: how much of an expected text stands, in order, in an actual text."""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Return the lower-cased words of *text* (letters and digits; punctuation is dropped)."""
    return [w.lower() for w in _WORD.findall(text)]


def match_ratio(expected: str, actual: str) -> float:
    """Return the share of *expected*'s words found in *actual* in the same order (0.0-1.0)."""
    want = words(expected)
    if not want:
        return 1.0
    matcher = difflib.SequenceMatcher(None, want, words(actual), autojunk=False)
    found = sum(block.size for block in matcher.get_matching_blocks())
    return found / len(want)


def missing(expected: str, actual: str, limit: int = 20) -> list[str]:
    """Return up to *limit* runs of expected words that are absent from *actual*, for messages."""
    want, have = words(expected), words(actual)
    matcher = difflib.SequenceMatcher(None, want, have, autojunk=False)
    gaps = [" ".join(want[i1:i2]) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag in ("delete", "replace")]
    return gaps[:limit]
