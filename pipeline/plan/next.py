"""Next year's plan from this year's (`kansli next PLAN.json`): the plan contract's successor.

What carries over and what does not:
- `år` + 1, and the plan's date moved to the same weekday a year later;
- the calendar moved to the same weekdays of the next year, as a *proposal*: the file says so in
  `kalendarium.förslag`, and `kansli check` warns about it until the field is removed (most bodies
  keep their weekday, so the moved dates are a better start than an empty calendar);
- the budget kept as it is: its population figure is older than the new plan wants, which the
  rules warn about until `invånare` and `invånare_datum` are updated;
- the adoption (`beslutad`) dropped: the new plan is not adopted yet;
- every text kept as written: the rules list each one that still names the old year.

The file is made from the JSON as the user wrote it, so fields left out stay left out.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..load import read_json
from .model import Calendar, Verksamhetsplan

PROPOSAL = ("Datumen är flyttade från {old} till samma veckodagar {new} och är ett förslag: stäm av dem, "
            "och ta sedan bort fältet »förslag«.")


def same_weekday_next_year(day: date) -> date:
    """Return the day of the next year nearest to *day* + one year that falls on *day*'s weekday.

    Thursday 22 January 2026 → Thursday 21 January 2027; the result stays inside the next year.
    """
    year = day.year + 1
    try:
        target = day.replace(year=year)
    except ValueError:  # 29 February
        target = date(year, 2, 28)
    shift = (day.weekday() - target.weekday() + 3) % 7 - 3  # -3 … +3
    moved = target + timedelta(days=shift)
    if moved.year < year:
        moved += timedelta(days=7)
    elif moved.year > year:
        moved -= timedelta(days=7)
    return moved


def _next_name(source: Path, year: int) -> str:
    """Return »verksamhetsplan-2027.json« for »verksamhetsplan-2026.json«, or the stem with -2027 added."""
    stem = source.stem
    new = stem.replace(str(year), str(year + 1)) if str(year) in stem else f"{stem}-{year + 1}"
    return new + source.suffix


def _move_calendar(calendar: dict[str, Any], model: Calendar, old: int) -> None:
    """Move every meeting of the raw *calendar* (as *model* read it) to the same weekday a year later."""
    for group, read in zip(calendar.get("grupper", []), model.grupper, strict=True):
        for meeting, day in zip(group["möten"], read.moten, strict=True):
            meeting["datum"] = same_weekday_next_year(day.datum).isoformat()
    calendar["förslag"] = PROPOSAL.format(old=old, new=old + 1)


def next_plan(plan: Verksamhetsplan, source: Path) -> tuple[str, dict[str, Any]]:
    """Return the file name and the data of next year's plan, made from *plan* (read from *source*)."""
    data = copy.deepcopy(read_json(source))
    data["år"] = plan.ar + 1
    data["datum"] = same_weekday_next_year(plan.datum).isoformat()
    data.pop("beslutad", None)
    if plan.kalendarium is not None:
        _move_calendar(data["kalendarium"], plan.kalendarium, plan.ar)
    return _next_name(source, plan.ar), data
