"""The uppdrag of meetings: their stable ids ("2023-10-27/5", "2023-10-27/5.2") and their status.

An uppdrag's id is the meeting's date and the number of its agenda item as printed; when an item
holds several uppdrag they are numbered in document order (inside beslut and diskussion too).
The ids are computed, never written into the uppdrag; a later meeting reports on one with an
`uppföljning` block naming its id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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


@dataclass(frozen=True)
class Task:
    """One uppdrag across meetings, with where it comes from and how it stands on a given day."""

    id: str
    organ: str
    meeting: date
    item: int
    rubrik: str
    vem: str
    att: str
    senast: date | None
    status: str  # "öppet", "pågår", "klart" or "försenat"
    note: str  # the latest follow-up's text
    source: Path


def _resolve(ref: str, organ: str, index: dict[str, list[tuple[str, Found]]]) -> list[Found]:
    """Return the uppdrag an id in a follow-up means: exact, or a plain item id when only one fits."""
    parsed = parse_id(ref)
    if parsed is None:
        return []
    day, item, number = parsed
    candidates = index.get(day.isoformat(), [])
    same = [f for o, f in candidates if o == organ] or [f for _, f in candidates]
    exact = [f for f in same if f.id == ref.strip()]
    if exact or number is not None:
        return exact[:1]
    in_item = [f for f in same if f.item == item]
    return in_item if len(in_item) == 1 else []


def _key(organ: str) -> str:
    return " ".join(organ.casefold().split())


def _index(meetings: Sequence[tuple[Path, Minnesanteckningar]]) -> dict[str, list[tuple[str, Found]]]:
    """Return the uppdrag of *meetings* by meeting date, each with its body (for ids that name no body)."""
    index: dict[str, list[tuple[str, Found]]] = {}
    for _, m in meetings:
        for found in assignment_ids(m):
            index.setdefault(m.datum.isoformat(), []).append((_key(m.organ), found))
    return index


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def descriptions(meeting: Minnesanteckningar, source: Path | None) -> dict[str, str]:
    """Return 'Helene Olofsson: kontakta ordförande …' for each follow-up id in *meeting*.

    The uppdrag are looked up in the meeting files beside *source* (the same folder); an id that
    names none, or several, has no description.
    """
    refs = [follow.uppdrag for follow, _ in follow_ups(meeting)]
    if not refs or source is None:
        return {}
    meetings, _ = meeting_files([source.parent])
    index = _index(meetings)
    out: dict[str, str] = {}
    for ref in refs:
        meant = _resolve(ref, _key(meeting.organ), index)
        if len(meant) == 1:
            out[ref] = f"{meant[0].assignment.vem}: {_short(meant[0].assignment.att)}"
    return out


def tasks(meetings: Sequence[tuple[Path, Minnesanteckningar]], today: date) -> tuple[list[Task], list[str]]:
    """Return every uppdrag of *meetings* with its status on *today*, and a line about each follow-up not understood.

    An uppdrag is klart when the latest follow-up (in a later meeting, held by *today*) says so;
    försenat when not klart and its deadline has passed; else as its latest follow-up says
    (pågår) or öppet.
    """
    index = _index(meetings)
    latest: dict[tuple[str, str], tuple[date, FollowUp]] = {}
    problems: list[str] = []
    for path, m in sorted(meetings, key=lambda pm: pm[1].datum):
        if m.datum > today:
            continue
        for follow, where in follow_ups(m):
            meant = _resolve(follow.uppdrag, _key(m.organ), index)
            if not meant:
                problems.append(f"{path}: {where}: hittar inget (entydigt) uppdrag {follow.uppdrag}")
            for found in meant:
                parsed = parse_id(found.id)
                if parsed is not None and parsed[0] < m.datum:
                    latest[(_key(m.organ), found.id)] = (m.datum, follow)
    out: list[Task] = []
    seen: set[tuple[str, str, str, str]] = set()
    for path, m in sorted(meetings, key=lambda pm: (pm[1].datum, _key(pm[1].organ))):
        for found in assignment_ids(m):
            a = found.assignment
            once = (_key(m.organ), found.id, a.vem, a.att)
            if once in seen:
                continue
            seen.add(once)
            last = latest.get((_key(m.organ), found.id))
            said = last[1].status if last else "öppet"
            if said == "klart":
                status = "klart"
            elif a.senast is not None and a.senast < today:
                status = "försenat"
            else:
                status = said
            out.append(Task(found.id, m.organ, m.datum, found.item, m.punkter[found.item - 1].rubrik, a.vem, a.att,
                            a.senast, status, last[1].text if last else "", path))
    return out, problems


def meeting_files(paths: Sequence[Path]) -> tuple[list[tuple[Path, Minnesanteckningar]], list[str]]:
    """Return the meetings in *paths* (files, and the .json files of folders) and a line per file skipped.

    A named file that is no valid meeting is an error (InputError); a file found in a folder that is
    not a meeting, or does not validate, is skipped with a line saying why.
    """
    from ..contracts import guess_contract
    from ..errors import InputError
    from ..load import read_json, validate

    found: list[tuple[Path, Minnesanteckningar]] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.glob("*.json")):
                try:
                    data = read_json(child)
                    item = guess_contract(data)
                    if item is None or item.name != "meeting":
                        continue
                    found.append((child, validate(data, Minnesanteckningar, child)))
                except InputError as exc:
                    skipped.append(f"hoppar över {child}: {exc.message}")
        else:
            found.append((path, validate(read_json(path), Minnesanteckningar, path)))
    return found, skipped
