"""Shared pieces of the JSON contract: the base model, cleaned text, and content blocks."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, time
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

# Word's manual line break arrives as a vertical tab; CR/LF pairs from e-mail as CR.
_LINE_BREAKS = re.compile(r"\r\n|\r|\v|\u2028|\u2029")
# C0 controls other than TAB and LF, DEL, and C1 controls: invisible, and they break Word's XML;
# so do the noncharacters U+FFFE and U+FFFF, which XML does not allow at all.
_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Joiners change how letters and emoji are drawn, so a name keeps them; other invisible format
# characters (zero-width space, BOM, bidi marks, soft hyphen) only make equal names compare unequal.
_JOINERS = frozenset("\u200c\u200d")


def clean_text(value: str) -> str:
    """Return *value* composed (NFC), line breaks unified to '\\n', other control characters removed.

    "Control characters" are C0 (but TAB and LF), DEL, C1, and the noncharacters U+FFFE and U+FFFF.

    NFC makes an "ä" typed on a Mac (a + combining diaeresis) the same text as one typed on Windows.
    """
    return unicodedata.normalize("NFC", _CONTROL.sub("", _LINE_BREAKS.sub("\n", value)))


def _visible(value: str) -> bool:
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in value)


def _clean_name(value: str) -> str:
    value = "".join(ch for ch in clean_text(value) if ch in _JOINERS or unicodedata.category(ch) != "Cf")
    value = " ".join(value.split())
    if not _visible(value):
        raise ValueError("namnet är tomt")
    return value


def _filled(value: str) -> str:
    value = clean_text(value)
    if not _visible(value):
        raise ValueError("texten är tom (bara blanksteg eller osynliga tecken) men måste finnas")
    return value


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    # no control or bidi character reaches the terminal from a message
    text = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)
    return text if len(text) <= 60 else text[:57] + "…"


def _swedish_time(value: Any) -> Any:
    # Swedes write 08.30; ISO writes 08:30. Accept both, and nothing else: pydantic would read a
    # number as seconds since midnight and "08:30Z" as a time with a zone (which cannot be compared
    # with the other times of the meeting).
    if isinstance(value, time) and value.tzinfo is None:
        return value
    found = re.fullmatch(r"\s*(\d{1,2})[.:](\d{2}(:\d{2})?)\s*", value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"väntade en tid som \"08:30\", fick {_shown(value)}")
    return f"{found[1]:0>2}:{found[2]}"


def _iso_date(value: Any) -> Any:
    # Only "2023-10-27": pydantic would read a number as seconds since 1970 (0 is 1970-01-01).
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        raise ValueError(f"väntade ett datum som \"2023-10-27\", fick {_shown(value)}")
    return value.strip()


Text = Annotated[str, AfterValidator(clean_text)]
"""Free text: kept literally, except that control characters are cleaned (see clean_text)."""

FilledText = Annotated[str, AfterValidator(_filled)]
"""Text that must say something: like Text, but empty or whitespace-only is an error."""

Name = Annotated[str, AfterValidator(_clean_name)]
"""A person's or a body's name: one line, never empty."""

Clock = Annotated[time, BeforeValidator(_swedish_time)]
"""A time of day, written "08:30" or "08.30"."""

Day = Annotated[date, BeforeValidator(_iso_date)]
"""A calendar date, written "2023-10-27"."""


class Model(BaseModel):
    """Base of every model: frozen, and unknown fields are errors, never silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False, str_strip_whitespace=False)


class ListItem(Model):
    """A list item with sub-items: {"text": "…", "underpunkter": ["…"]}."""

    text: Text
    underpunkter: list[Item] = Field(default_factory=list, description="Underpunkter (nästa nivå)")


Item = Text | ListItem
"""A list item: a string, or an object with sub-items."""


class Heading(Model):
    """A sub-heading inside an agenda item or chapter: {"rubrik": "Mötesplanering 2024"}."""

    rubrik: Text


class BulletList(Model):
    """A bullet list: {"punktlista": ["…", {"text": "…", "underpunkter": ["…"]}]}."""

    punktlista: list[Item] = Field(min_length=1)


class NumberedList(Model):
    """A numbered list that starts at 1: {"numrerad_lista": ["…", "…"]}."""

    numrerad_lista: list[Item] = Field(min_length=1)


def block_tag(keys: tuple[str, ...]) -> Any:
    """Return a discriminator function: a string is 'stycke', an object is tagged by its known key."""

    def tag(value: Any) -> str | None:
        if isinstance(value, str):
            return "stycke"
        if isinstance(value, dict):
            for key in keys:
                if key in value:
                    return key
            return None
        if isinstance(value, BaseModel):
            for key in keys:
                if key in type(value).model_fields:
                    return key
        return None

    # pydantic names the function in its error; the name then tells the user which keys exist.
    tag.__name__ = tag.__qualname__ = ", ".join(keys)
    return tag


BASIC_BLOCKS = ("rubrik", "punktlista", "numrerad_lista")

BasicBlock = Annotated[
    Annotated[Text, Tag("stycke")]
    | Annotated[Heading, Tag("rubrik")]
    | Annotated[BulletList, Tag("punktlista")]
    | Annotated[NumberedList, Tag("numrerad_lista")],
    Discriminator(block_tag(BASIC_BLOCKS)),
]
"""A paragraph (a plain string), a sub-heading, a bullet list or a numbered list."""


def flatten_items(items: list[Item], level: int = 0) -> list[tuple[int, str]]:
    """Return (level, text) for every item of a nested list, depth first."""
    out: list[tuple[int, str]] = []
    for item in items:
        if isinstance(item, str):
            out.append((level, item))
        else:
            out.append((level, item.text))
            out.extend(flatten_items(item.underpunkter, level + 1))
    return out
