"""The two JSON contracts, a meeting and a plan: found by name, by schema name or by a file's keys.

Light data only, like documents.py; the contract itself (model, rules, file checks, stages) lives
in its package (`pipeline/meeting/`, `pipeline/plan/`) and is imported when a file is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import Problem, UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

    M = TypeVar("M", bound=BaseModel)
else:
    M = TypeVar("M")


def _no_files(model: Any, source: Path) -> list[Problem]:
    return []


@dataclass(frozen=True)
class Contract(Generic[M]):
    """A JSON contract: its model, the rules that hold in every stage, and the files it names.

    *rules* are pure (the model only); *files* checks the files the model points at (the plan's
    appendices), relative to the JSON file; *stage* names the registry document whose own rules
    `kansli check` applies to a file in the stage it is in; *successor* makes the file that
    follows this one (the next meeting, next year's plan).
    """

    model: type[M]
    rules: Callable[[M], list[Problem]]
    stage: Callable[[M], str]
    files: Callable[[M, Path], list[Problem]] = _no_files
    # `kansli next`: the file name and the data of the next meeting's or next year's file
    successor: Callable[[M, Path], tuple[str, dict[str, Any]]] | None = None


@dataclass(frozen=True)
class ContractEntry:
    """One contract: its name, the name of its JSON Schema, a key only it has, and its package."""

    name: str  # "meeting"
    schema: str  # `kansli schema NAME` and schemas/NAME.schema.json: "minutes"
    key: str  # a top-level key only this contract has: tells a file's contract without "$schema"
    target: str  # "module:attribute" of its Contract
    label: str  # how messages name a file of this contract: "möte"


CONTRACTS: tuple[ContractEntry, ...] = (
    ContractEntry("meeting", "minutes", "punkter", "pipeline.meeting:CONTRACT", "möte"),
    ContractEntry("plan", "plan", "kapitel", "pipeline.plan:CONTRACT", "verksamhetsplan"),
)


def contract_entry(name: str) -> ContractEntry:
    """Return the contract called *name* or whose schema is *name*; UsageError otherwise."""
    for item in CONTRACTS:
        if name in (item.name, item.schema):
            return item
    known = ", ".join(item.schema for item in CONTRACTS)
    raise UsageError(f"okänd dokumenttyp {name!r}; välj en av: {known}")


def schema_names() -> list[str]:
    """Return the names `kansli schema` knows."""
    return [item.schema for item in CONTRACTS]


def guess_contract(data: Any) -> ContractEntry | None:
    """Return the contract of a parsed JSON document from its $schema or its keys, or None."""
    if not isinstance(data, dict):
        return None
    schema = str(data.get("$schema", "")).rsplit("/", 1)[-1]
    for item in CONTRACTS:
        if schema.startswith(f"{item.schema}.") or schema.startswith(f"{item.name}."):
            return item
    for item in CONTRACTS:
        if item.key in data:
            return item
    return None
