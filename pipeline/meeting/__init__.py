"""The meeting contract: one JSON file per meeting, its model, its rules and the documents made from it."""

from __future__ import annotations

from ..contracts import Contract
from .model import Minnesanteckningar
from .rules import meeting_rules
from .successor import next_meeting


def stage(meeting: Minnesanteckningar) -> str:
    """Return the document a meeting file is written for in its stage.

    Before the meeting nobody is listed as present: the file is a kallelse ("agenda"); once the
    secretary has filled in `deltagare`, it holds the minutes ("minutes").
    """
    return "minutes" if meeting.deltagare else "agenda"


_stage = stage

CONTRACT: Contract[Minnesanteckningar] = Contract(model=Minnesanteckningar, rules=meeting_rules, stage=stage,
                                                  successor=next_meeting)
