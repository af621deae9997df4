"""Where a text is in a meeting, in words people count by ("punkt 9, innehåll stycke 2"), and who is an official."""

from __future__ import annotations

from typing import Any

from ..fields import ListItem
from .personal import FieldPath

# Where a name stands for an official in their role: kept even when it is listed.
_ROLE_LISTS = {"deltagare": "deltagare", "frånvarande": "frånvarande", "kallade": "kallad"}
_ROLE_FIELDS = {"sekreterare": "sekreterare", "justerare": "justerare"}
_BLOCK_LISTS = ("innehåll", "beslut", "diskussion")
_SINGULAR = {"punkter": "punkt", "kallade": "kallad", "handlingar": "handling", "underpunkter": "underpunkt",
             "punktlista": "rad", "numrerad_lista": "rad", "utestående": "rad", "uppföljning": "rad"}


def official(path: FieldPath) -> str | None:
    """Return the role ('deltagare', 'justerare', 'föredragande', …) when *path* is an official's name."""
    if len(path) == 1 and path[0] in _ROLE_FIELDS:
        return _ROLE_FIELDS[str(path[0])]
    if len(path) == 3 and path[0] in _ROLE_LISTS and path[2] == "namn":
        return _ROLE_LISTS[str(path[0])]
    if len(path) == 3 and path[0] == "punkter" and path[2] == "föredragande":
        return "föredragande"
    return None


def _label(alias: str) -> str:
    return alias.replace("_", " ")


def _kind(node: Any) -> str:
    """Return what a content block is called: 'stycke', 'beslut', 'punktlista', …"""
    if isinstance(node, str):
        return "stycke"
    fields = type(node).model_fields
    if len(fields) == 1:
        name, info = next(iter(fields.items()))
        return _label(info.alias or name)
    return "del"


def _attribute(node: Any, alias: str) -> Any:
    for name, info in type(node).model_fields.items():
        if (info.alias or name) == alias:
            return getattr(node, name)
    raise KeyError(alias)


def where(model: Any, path: FieldPath) -> str:
    """Return where *path* is in words a user can count by: 'punkt 9, innehåll stycke 2'."""
    words: list[str] = []
    node, field = model, ""
    for seg in path:
        if isinstance(seg, int):
            node = node[seg]
            if field in _BLOCK_LISTS:
                word = f"{_kind(node)} {seg + 1}"
                if field == "innehåll":
                    words[-1] += f" {word}"
                else:
                    words.append(word)
            else:
                words.append(f"{_SINGULAR.get(field, _label(field))} {seg + 1}")
            continue
        parent = node
        node, field = _attribute(parent, seg), seg
        if len(type(parent).model_fields) == 1 and path[0] != seg:  # a block's one field: named already
            continue
        if isinstance(parent, ListItem) and seg == "text":
            continue
        if isinstance(node, list) and seg != "innehåll":
            continue  # named with its index
        words.append(_label(seg))
    return ", ".join(words)
