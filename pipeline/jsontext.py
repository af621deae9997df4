"""JSON text as people keep it: indented, letters as they are, keys in the contract's order.

Every file kansli writes for people to read and edit (`kansli next`, the web form's saves) goes
through `dumps`, so a change is a small diff and a saved file looks like the examples in inputs/.
"""

from __future__ import annotations

import json
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

WIDTH = 110  # a small object or list of plain values that fits in this many columns stays on one line


def dumps(data: Any, model: type[BaseModel]) -> str:
    """Return *data* as JSON text for people: indented, UTF-8 letters, keys in *model*'s field order.

    A small object or list of plain values stands on one line, as in the examples
    (`{"namn": "Johan Westin", "organisation": "Haninge"}`). Keys the model does not know are
    kept, after the known ones, so nothing is lost.
    """
    return _emit(ordered(data, model), 0) + "\n"


def _plain(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _emit(value: Any, depth: int) -> str:
    """Return *value* as JSON text starting at nesting *depth* (two spaces a level)."""
    if _plain(value) or not value:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict) and len(value) == 1:  # a content block: {"beslut": [ … ]} hugs its one value
        ((key, inner),) = value.items()
        return "{" + json.dumps(key, ensure_ascii=False) + ": " + _emit(inner, depth) + "}"
    items = value.values() if isinstance(value, dict) else value
    if all(_plain(v) for v in items):
        flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        if len(flat) + 2 * depth <= WIDTH:
            return flat
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        inner = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {_emit(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(inner) + "\n" + "  " * depth + "}"
    inner = [pad + _emit(v, depth + 1) for v in value]
    return "[\n" + ",\n".join(inner) + "\n" + "  " * depth + "]"


def ordered(value: Any, annotation: Any) -> Any:
    """Return *value* with the keys of every object in the order the type *annotation* declares them."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return ordered(value, get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return ordered(value, _member(value, get_args(annotation)))
    if origin is list and isinstance(value, list):
        (item,) = get_args(annotation) or (Any,)
        return [ordered(v, item) for v in value]
    if origin is dict and isinstance(value, dict):
        item = get_args(annotation)[1] if get_args(annotation) else Any
        return {k: ordered(v, item) for k, v in value.items()}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        out: dict[str, Any] = {}
        for name, field in annotation.model_fields.items():
            key = field.alias or name
            if key in value:
                out[key] = ordered(value[key], field.annotation)
        out.update({k: v for k, v in value.items() if k not in out})
        return out
    return value


def _member(value: Any, members: tuple[Any, ...]) -> Any:
    """Return the member of a union that *value* is: for an object, the model sharing most of its keys."""
    best: Any = Any
    score = -1
    for member in members:
        base = get_args(member)[0] if get_origin(member) is Annotated else member
        if isinstance(value, dict) and isinstance(base, type) and issubclass(base, BaseModel):
            keys = {f.alias or n for n, f in base.model_fields.items()}
            overlap = len(keys & set(value)) - len(set(value) - keys)
            if overlap > score:
                best, score = member, overlap
        elif isinstance(value, list) and get_origin(base) is list:
            return member
    return best
