"""Personal data in text: find it and replace it with a visible marker (pure functions).

What is found, and why so:

- **Personnummer and samordningsnummer**: YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN, with no
  separator (YYMMDDNNNN, YYYYMMDDNNNN) or a space, en dash or hyphen between. A number is one only
  when its date exists (the day plus 60 for a samordningsnummer) and its last digit is the Luhn
  checksum of the ten digits YYMMDDNNNN (with the century written, 19 or 20: the dead have no personal
  data to protect). Ten digits with nothing between that pass are removed even when meant as
  something else (one in ten date-like numbers passes). A number that fails the checksum is *not*
  removed: it is more often a reference, an invoice or a case number than a mistyped personnummer;
  it is counted (the near misses `Finder.find` returns) so the user is told to look.
  Organisationsnummer (month digits 20 or more, e.g. 212000-0142) are no dates and stay.
- **Phone numbers**: what Google's libphonenumber (the `phonenumbers` package) holds valid in the
  Swedish numbering plan (mobile 07x, landlines with their area code, +46 and 0046 forms, with
  spaces, dashes and parentheses), written from a 0, + or 00 as people do. Its own matcher is
  helped by splitting every run of digit groups into the valid numbers it holds (two numbers with
  a space between). Left alone: clock times ("08.30-11.00") and dates it may take for numbers, the
  rest of an amount ("3 045 900 000"), a number written as a personnummer (its checksum decides).
  Amounts, years and diarienummer ("KS 2023/123") start with no 0 and are never numbers.
- **E-mail addresses**: local@domain.tld, letters of any script allowed.
- **Listed texts** (the meeting's `personuppgifter`, names of private persons): case-insensitively
  on word boundaries, any whitespace between the words, also in the genitive ("Svenssons",
  "Lars'", "SKL:s").

Overlapping finds become one removal, named by the strongest kind. The marker is visible on
purpose: a reader sees that something was removed, never what.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import phonenumbers
from pydantic import BaseModel

MARKER = "[personuppgift borttagen]"

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
EMAIL = "e-postadress"
PHONE = "telefonnummer"
LISTED = "namn ur personuppgifter"
KINDS = (PERSONNUMMER, SAMORDNINGSNUMMER, EMAIL, PHONE, LISTED)  # strongest first

_NUMBER = re.compile(
    r"(?<!\d)(?P<century>19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+\u2010\u2011\u2012\u2013 ]?)(?P<tail>\d{4})(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# What libphonenumber may take for a number but is a time of day or a date
_NOT_PHONE = re.compile(
    r"\d{1,2}[.:]\d{2}(?:\s*[-\u2013]\s*\d{1,2}[.:]\d{2})?"  # 08.30, 08.30-11.00
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")  # 2023-10-27, 27/10-23
# Digit groups with what people put between them in a phone number
_DIGIT_RUN = re.compile(r"\d[\d \u00a0()\-\u2010-\u2013]*\d")
_GROUP = re.compile(r"\(?\d+\)?")
_THOUSANDS = re.compile(r"(?:[ \u00a0]\d{3})+")
_POSSESSIVE = r"(?:s|:s|'s|\u2019s|'|\u2019)?"


@dataclass(frozen=True)
class Hit:
    """One piece of personal data: where it is in the text (start, end) and what kind it is."""

    start: int
    end: int
    kind: str


def luhn_ok(digits: str) -> bool:
    """Return True when the last digit of *digits* is the Luhn checksum of the digits before it."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def number_kind(century: str | None, yy: str, mm: str, dd: str) -> str | None:
    """Return PERSONNUMMER or SAMORDNINGSNUMMER when the date part exists, else None (checksum aside)."""
    day = int(dd)
    kind = PERSONNUMMER
    if day > 60:
        day, kind = day - 60, SAMORDNINGSNUMMER
    years = [int(century + yy)] if century else [1900 + int(yy), 2000 + int(yy)]
    return kind if any(_real_date(y, int(mm), day) for y in years) else None


def personal_numbers(text: str) -> tuple[list[Hit], int]:
    """Return the personnummer and samordningsnummer in *text*, and how many failed only the checksum."""
    hits: list[Hit] = []
    misses = 0
    for m in _NUMBER.finditer(text):
        kind = number_kind(m["century"], m["yy"], m["mm"], m["dd"])
        if kind is None:
            continue
        if luhn_ok(m["yy"] + m["mm"] + m["dd"] + m["tail"]):
            hits.append(Hit(m.start(), m.end(), kind))
        else:
            misses += 1
    return hits, misses


def emails(text: str) -> list[Hit]:
    """Return the e-mail addresses in *text*."""
    return [Hit(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]


def phones(text: str) -> list[Hit]:
    """Return the phone numbers in *text* that are valid in the Swedish numbering plan (or abroad, with +).

    libphonenumber's matcher finds numbers in running text; it takes two numbers with only a space
    between for one (invalid) number, so every run of digit groups is also split here, group by
    group, into the longest valid numbers it holds.
    """
    if not any(ch.isdigit() for ch in text):
        return []
    found = phonenumbers.PhoneNumberMatcher(text, "SE", leniency=phonenumbers.Leniency.VALID,
                                            max_tries=max(65535, len(text)))
    hits = [Hit(m.start, m.end, PHONE) for m in found
            if m.raw_string.lstrip("(").startswith(("0", "+")) and not _not_phone(m.raw_string.strip())]
    for run in _DIGIT_RUN.finditer(text):
        hits += _split_run(text, run.start(), run.end())
    return merge(hits)


def _valid_phone(candidate: str) -> bool:
    if not (candidate.lstrip("(").startswith(("0", "+")) and 7 <= sum(ch.isdigit() for ch in candidate) <= 15):
        return False
    try:
        number = phonenumbers.parse(candidate, "SE")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and not _not_phone(candidate)


def _split_run(text: str, start: int, end: int) -> list[Hit]:
    """Return the valid phone numbers in the run of digit groups text[start:end], longest first from the left."""
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(text, start, end)]
    hits: list[Hit] = []
    i = 0
    while i < len(groups):
        for j in range(min(len(groups), i + 6) - 1, i - 1, -1):  # a number has at most 6 groups
            begin = groups[i][0]
            if begin > 0 and text[begin - 1] in "+(":
                begin -= 1
            if i > 0 and _THOUSANDS.fullmatch(text, groups[i - 1][1], groups[j][1]):
                continue  # the rest of an amount: "3 045 900 000"
            if _valid_phone(text[begin:groups[j][1]]):
                hits.append(Hit(begin, groups[j][1], PHONE))
                i = j
                break
        i += 1
    return hits


def _not_phone(raw: str) -> bool:
    """Return True for what libphonenumber may take for a number but is a time, a date or a personnummer's shape."""
    if _NOT_PHONE.fullmatch(raw):
        return True
    shaped = _NUMBER.fullmatch(raw)  # 010101-0008: written as a personnummer; its checksum decides, not this
    return bool(shaped and shaped["sep"] in "-+\u2010\u2011\u2012\u2013" and shaped["sep"]
                and number_kind(shaped["century"], shaped["yy"], shaped["mm"], shaped["dd"]))


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Return one pattern matching any of *names* on word boundaries, also in the genitive; None if none."""
    words = [n.split() for n in names]
    alternatives = sorted((r"\s+".join(re.escape(w) for w in ws) for ws in words if ws), key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)}){_POSSESSIVE}(?!\w)", re.IGNORECASE)


def merge(hits: Iterable[Hit]) -> list[Hit]:
    """Return *hits* with overlapping ones made one, named by the strongest kind, in text order."""
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if out and hit.start < out[-1].end:
            last = out[-1]
            kind = min(last.kind, hit.kind, key=KINDS.index)
            out[-1] = Hit(last.start, max(last.end, hit.end), kind)
        else:
            out.append(hit)
    return out


class Finder:
    """Finds personal data in texts; *names* are the listed texts (names of private persons)."""

    def __init__(self, names: Sequence[str] = ()) -> None:
        self.names = name_pattern(names)

    def find(self, text: str, *, listed: bool = True) -> tuple[list[Hit], int]:
        """Return the personal data in *text* (listed texts too unless not *listed*), and the near misses."""
        numbers, misses = personal_numbers(text)
        hits = [*numbers, *emails(text), *phones(text)]
        if listed and self.names is not None:
            hits += [Hit(m.start(), m.end(), LISTED) for m in self.names.finditer(text)]
        return merge(hits), misses

    def redact(self, text: str, *, listed: bool = True) -> tuple[str, list[str], int]:
        """Return *text* with each find replaced by MARKER, the kinds replaced in order, and the near misses."""
        hits, misses = self.find(text, listed=listed)
        return replace(text, hits), [h.kind for h in hits], misses


def replace(text: str, hits: Sequence[Hit]) -> str:
    """Return *text* with every one of the (merged, ordered) *hits* replaced by MARKER."""
    out, at = [], 0
    for hit in hits:
        out += [text[at:hit.start], MARKER]
        at = hit.end
    return "".join([*out, text[at:]])


FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Removal:
    """What was removed from one text of a model: its path (field aliases and list indexes) and kinds."""

    path: FieldPath
    kinds: tuple[str, ...]
    near_misses: int = 0

    def summary(self) -> str:
        """Return 'telefonnummer' or '2 telefonnummer och e-postadress': the kinds, counted, never the values."""
        counted = Counter(self.kinds)
        parts = [f"{n} {kind}" if n > 1 else kind for kind, n in sorted(counted.items(), key=lambda kv: KINDS.index(kv[0]))]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


def redact_model(model: BaseModel, finder: Finder, keep_names: Callable[[FieldPath], bool],
                 path: FieldPath = ()) -> tuple[BaseModel, list[Removal]]:
    """Return *model* with personal data replaced in every text field, and what was removed where.

    Listed texts are not removed from the texts at paths where *keep_names* is true (officials in
    their role); numbers and addresses are removed everywhere.
    """
    changes: dict[str, Any] = {}
    removals: list[Removal] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        new, found = _redact_value(value, finder, keep_names, (*path, info.alias or name))
        if found:
            removals += found
        if new is not value:
            changes[name] = new
    return (model.model_copy(update=changes) if changes else model), removals


def _redact_value(value: Any, finder: Finder, keep_names: Callable[[FieldPath], bool],
                  path: FieldPath) -> tuple[Any, list[Removal]]:
    if isinstance(value, str):
        text, kinds, misses = finder.redact(value, listed=not keep_names(path))
        if not kinds and not misses:
            return value, []
        return (text if kinds else value), [Removal(path, tuple(kinds), misses)]
    if isinstance(value, BaseModel):
        return redact_model(value, finder, keep_names, path)
    if isinstance(value, list):
        items: list[Any] = []
        removals: list[Removal] = []
        for i, item in enumerate(value):
            new, found = _redact_value(item, finder, keep_names, (*path, i))
            items.append(new)
            removals += found
        changed = any(a is not b for a, b in zip(items, value, strict=True))
        return (items if changed else value), removals
    return value, []


def model_texts(model: Any, path: FieldPath = ()) -> list[tuple[FieldPath, str]]:
    """Return every text of *model* (a pydantic model, list or string) with its path."""
    if isinstance(model, str):
        return [(path, model)]
    if isinstance(model, BaseModel):
        return [found for name, info in type(model).model_fields.items()
                for found in model_texts(getattr(model, name), (*path, info.alias or name))]
    if isinstance(model, list):
        return [found for i, item in enumerate(model) for found in model_texts(item, (*path, i))]
    return []
