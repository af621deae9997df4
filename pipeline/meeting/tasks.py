"""The uppdrag of meetings: their stable ids ("2023-10-27/5", "2023-10-27/5.2") and their status.

An uppdrag's id is the meeting's date and the number of its agenda item as printed; when an item
holds several uppdrag they are numbered in document order (inside beslut and diskussion too).
The ids are computed, never written into the uppdrag; a later meeting reports on one with an
`uppföljning` block naming its id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .model import (
    AgendaItem,
    Assignment,
    AssignmentBlock,
    Decision,
    Discussion,
    FollowUp,
    FollowUpBlock,
    Minnesanteckningar,
)

ID_PATTERN = re.compile(r"(\d{4}-\d{2}-\d{2})/(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class Found:
    """One uppdrag in a meeting file: its id, item number, and where it stands in the JSON."""

    id: str
    item: int  # 1-based, as printed
    assignment: Assignment
    where: str  # the JSON path: "punkter[4].innehåll[1].beslut[0].uppdrag"


def _in_item(item: AgendaItem) -> Iterator[tuple[Assignment, str]]:
    """Yield every uppdrag of *item* in document order, with its path below the item."""
    for b, block in enumerate(item.innehall):
        if isinstance(block, AssignmentBlock):
            yield block.uppdrag, f"innehåll[{b}].uppdrag"
        elif isinstance(block, Decision | Discussion):
            key, parts = ("beslut", block.beslut) if isinstance(block, Decision) else ("diskussion", block.diskussion)
            for k, part in enumerate(parts):
                if isinstance(part, AssignmentBlock):
                    yield part.uppdrag, f"innehåll[{b}].{key}[{k}].uppdrag"


def assignment_ids(meeting: Minnesanteckningar) -> list[Found]:
    """Return every uppdrag of *meeting* with its id, in document order."""
    out: list[Found] = []
    day = meeting.datum.isoformat()
    for i, item in enumerate(meeting.punkter):
        found = list(_in_item(item))
        for k, (assignment, where) in enumerate(found, start=1):
            ident = f"{day}/{i + 1}" if len(found) == 1 else f"{day}/{i + 1}.{k}"
            out.append(Found(ident, i + 1, assignment, f"punkter[{i}].{where}"))
    return out


def parse_id(text: str) -> tuple[date, int, int | None] | None:
    """Return (meeting date, item number, uppdrag number or None) of an id; None when it is no id."""
    found = ID_PATTERN.fullmatch(text.strip())
    if found is None:
        return None
    try:
        day = date.fromisoformat(found[1])
    except ValueError:
        return None
    return day, int(found[2]), int(found[3]) if found[3] else None


def follow_ups(meeting: Minnesanteckningar) -> list[tuple[FollowUp, str]]:
    """Return every follow-up in *meeting* with its JSON path, in document order."""
    out: list[tuple[FollowUp, str]] = []
    for i, item in enumerate(meeting.punkter):
        for b, block in enumerate(item.innehall):
            if isinstance(block, FollowUpBlock):
                out += [(f, f"punkter[{i}].innehåll[{b}].uppföljning[{k}]") for k, f in enumerate(block.uppfoljning)]
    return out
