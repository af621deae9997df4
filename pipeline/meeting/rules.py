"""Rules of the meeting contract beyond types: who was there, when, and what follows (pure)."""

from __future__ import annotations

from datetime import date

from holidays.countries.sweden import Sweden

from ..errors import Problem
from .model import Minnesanteckningar, Person


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _holiday(d: date) -> str | None:
    found = Sweden(years=d.year, language="sv", include_sundays=False).get(d)
    return str(found) if found else None


def _present(m: Minnesanteckningar) -> set[str]:
    return {_key(p.namn) for p in m.deltagare}


def _roles(m: Minnesanteckningar) -> list[Problem]:
    present = _present(m)
    out = []
    for field, name, what in (("sekreterare", m.sekreterare, "sekreteraren"),
                              ("justerare", m.justerare, "justeraren")):
        if _key(name) not in present:
            out.append(Problem(field, f"{what} {name!r} finns inte bland deltagarna; lägg till "
                                      f"{name} under \"deltagare\" eller rätta stavningen"))
    return out


def _both(m: Minnesanteckningar) -> list[Problem]:
    present = _present(m)
    return [Problem(f"frånvarande[{i}]", f"{p.namn} står både bland deltagarna och de frånvarande")
            for i, p in enumerate(m.franvarande) if _key(p.namn) in present]


def _times(m: Minnesanteckningar) -> list[Problem]:
    out = []
    if m.slut is not None and m.slut <= m.start:
        out.append(Problem("slut", f"mötet slutar ({m.slut:%H:%M}) innan det börjar ({m.start:%H:%M})"))
    nm = m.nasta_mote
    if nm is not None:
        if nm.datum <= m.datum:
            out.append(Problem("nästa_möte.datum", f"nästa möte ({nm.datum}) ligger inte efter detta "
                                                   f"möte ({m.datum})"))
        if nm.start is not None and nm.slut is not None and nm.slut <= nm.start:
            out.append(Problem("nästa_möte.slut", f"nästa möte slutar ({nm.slut:%H:%M}) innan det "
                                                  f"börjar ({nm.start:%H:%M})"))
    return out


def _day_warnings(where: str, d: date) -> list[Problem]:
    if d.weekday() >= 5:
        day = "lördag" if d.weekday() == 5 else "söndag"
        return [Problem(where, f"{d} är en {day}; stämmer datumet?", warning=True)]
    name = _holiday(d)
    if name:
        return [Problem(where, f"{d} är en helgdag ({name}); stämmer datumet?", warning=True)]
    return []


def _duplicates(people: list[Person], field: str) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for i, p in enumerate(people):
        if _key(p.namn) in seen:
            out.append(Problem(f"{field}[{i}]", f"{p.namn} står två gånger", warning=True))
        seen.add(_key(p.namn))
    return out


def minutes_rules(m: Minnesanteckningar) -> list[Problem]:
    """Return what the minutes need beyond the contract: the secretary and the justerare were there."""
    return _roles(m)


def meeting_rules(m: Minnesanteckningar) -> list[Problem]:
    """Return every contract rule broken by *m*: errors (warning=False) stop a run, warnings do not."""
    out = _both(m) + _times(m)
    out += _day_warnings("datum", m.datum)
    if m.nasta_mote is not None:
        out += _day_warnings("nästa_möte.datum", m.nasta_mote.datum)
    out += _duplicates(m.deltagare, "deltagare") + _duplicates(m.franvarande, "frånvarande")
    return out
