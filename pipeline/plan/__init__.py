"""The plan contract: Verksamhetsplan och budget, its model, its rules and the documents made from it."""

from __future__ import annotations

from ..contracts import Contract
from .files import plan_files
from .model import Verksamhetsplan
from .next import next_plan
from .rules import plan_rules


def _stage(plan: Verksamhetsplan) -> str:
    """Return the document a plan file is written for: the plan."""
    return "plan"


CONTRACT: Contract[Verksamhetsplan] = Contract(model=Verksamhetsplan, rules=plan_rules, stage=_stage,
                                               files=plan_files, successor=next_plan)
