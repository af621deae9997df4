"""The JSON contract: one pydantic model per kind of document, found by name in MODELS."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

# kind -> "module:Class"; `kansli schema KIND` and `kansli check` look kinds up here.
MODELS: dict[str, str] = {
    "minutes": "pipeline.model.minutes:Minnesanteckningar",
    "plan": "pipeline.model.plan:Verksamhetsplan",
}

# A top-level key that only one kind has tells the kind of a file without a $schema.
KIND_KEYS: dict[str, str] = {"punkter": "minutes", "kapitel": "plan"}


def model_class(kind: str) -> type[BaseModel]:
    """Return the model class for *kind* ('minutes' or 'plan'); UsageError for anything else."""
    try:
        module_name, _, cls_name = MODELS[kind].partition(":")
    except KeyError:
        raise UsageError(f"okänd dokumenttyp {kind!r}; välj en av: {', '.join(MODELS)}") from None
    cls: type[BaseModel] = getattr(importlib.import_module(module_name), cls_name)
    return cls


def guess_kind(data: Any) -> str | None:
    """Return the kind of a parsed JSON document from its $schema or its keys, or None."""
    if not isinstance(data, dict):
        return None
    schema = str(data.get("$schema", ""))
    for kind in MODELS:
        if kind in schema.rsplit("/", 1)[-1]:
            return kind
    for key, kind in KIND_KEYS.items():
        if key in data:
            return kind
    return None
