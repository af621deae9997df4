"""The meeting contract: one JSON file per meeting, its model, its rules and the documents made from it."""

from __future__ import annotations

from ..contracts import Contract
from .model import Minnesanteckningar
from .rules import meeting_rules


def _stage(meeting: Minnesanteckningar) -> str:
    """Return the document a meeting file is written for in its stage: the minutes."""
    return "minutes"


CONTRACT: Contract[Minnesanteckningar] = Contract(model=Minnesanteckningar, rules=meeting_rules, stage=_stage)
