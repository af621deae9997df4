"""Rules of the meeting contract beyond types: who was there, when, and what follows (pure)."""

from __future__ import annotations

import difflib
from datetime import date

from holidays.countries.sweden import Sweden

from ..errors import Problem
from ..fields import BulletList, Item, NumberedList, flatten_items
from .model import Decision, Discussion, Minnesanteckningar, Outstanding, Person
from .tasks import assignment_ids, follow_ups, parse_id


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _holiday(d: date) -> str | None:
    found = Sweden(years=d.year, language="sv", include_sundays=False).get(d)
    return str(found) if found else None


def _present(m: Minnesanteckningar) -> set[str]:
    return {_key(p.namn) for p in m.deltagare}


def minutes_roles(m: Minnesanteckningar) -> list[Problem]:
    """Return what is wrong with the secretary and the justerare: missing, or not among those present."""
    present = _present(m)
    out = []
    for field, name, what in (("sekreterare", m.sekreterare, "sekreteraren"),
                              ("justerare", m.justerare, "justeraren")):
        if name is None:
            out.append(Problem(field, f"{what} saknas; minnesanteckningarna behöver \"{field}\" (en av "
                                      f"deltagarna)"))
        elif _key(name) not in present:
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


def _empty_items(m: Minnesanteckningar) -> list[Problem]:
    return [Problem(f"punkter[{i}].innehåll", f"punkten \"{item.rubrik}\" har inget innehåll (inget som sades "
                                              "eller beslutades)", warning=True)
            for i, item in enumerate(m.punkter) if not item.innehall]


DEEPEST_LIST = 3  # the templates have List Bullet/Number 1–3


def _lists(block: object, where: str) -> list[tuple[list[Item], str]]:
    """Return every list in a content block with its JSON path (inside beslut and diskussion too)."""
    if isinstance(block, BulletList):
        return [(block.punktlista, where)]
    if isinstance(block, NumberedList):
        return [(block.numrerad_lista, where)]
    if isinstance(block, Outstanding):
        return [(block.utestaende, where)]
    if isinstance(block, Decision | Discussion):
        key, parts = ("beslut", block.beslut) if isinstance(block, Decision) else ("diskussion", block.diskussion)
        return [found for k, part in enumerate(parts) for found in _lists(part, f"{where}.{key}[{k}]")]
    return []


def _deep_lists(m: Minnesanteckningar) -> list[Problem]:
    out = []
    for i, item in enumerate(m.punkter):
        for j, block in enumerate(item.innehall):
            for items, where in _lists(block, f"punkter[{i}].innehåll[{j}]"):
                depth = 1 + max(level for level, _ in flatten_items(items))
                if depth > DEEPEST_LIST:
                    out.append(Problem(where, f"listan har {depth} nivåer; dokumenten visar högst {DEEPEST_LIST}, "
                                              f"så djupare underpunkter står på nivå {DEEPEST_LIST}", warning=True))
    return out


def _people(m: Minnesanteckningar) -> list[Person]:
    """Return who takes part: those present, or before the meeting those called (or listed)."""
    if m.deltagare:
        return list(m.deltagare)
    return list(m.kallade) or list(m.franvarande)


def _assignments(m: Minnesanteckningar) -> list[Problem]:
    people = _people(m)
    names = {_key(p.namn): p.namn for p in people}
    out = []
    for found in assignment_ids(m):
        a = found.assignment
        if people and _key(a.vem) not in names:
            guess = difflib.get_close_matches(_key(a.vem), list(names), n=1, cutoff=0.75)
            hint = f"; menade du {names[guess[0]]!r}?" if guess else ""
            out.append(Problem(f"{found.where}.vem", f"{a.vem!r} finns inte bland deltagarna{hint}", warning=True))
        if a.senast is not None and a.senast < m.datum:
            out.append(Problem(f"{found.where}.senast", f"uppdraget ska vara klart {a.senast}, före mötet "
                                                        f"({m.datum}); stämmer datumet?", warning=True))
    return out


def _chairs(people: list[Person], field: str) -> list[Problem]:
    chairs = [i for i, p in enumerate(people) if _key(p.roll) == "ordförande"]
    if len(chairs) < 2:
        return []
    who = " och ".join(people[i].namn for i in chairs)
    return [Problem(f"{field}[{chairs[1]}].roll", f"två är ordförande ({who}); är en av dem vice ordförande?",
                    warning=True)]


def _follow_ups(m: Minnesanteckningar) -> list[Problem]:
    out = []
    for follow, where in follow_ups(m):
        parsed = parse_id(follow.uppdrag)
        if parsed is None:
            out.append(Problem(f"{where}.uppdrag", f"{follow.uppdrag!r} är inget uppdrags-id; skriv mötets datum "
                                                   "och punktens nummer, t.ex. \"2023-10-27/5\" (eller "
                                                   "\"2023-10-27/5.2\" för det andra uppdraget i punkten)"))
        elif parsed[0] >= m.datum:
            out.append(Problem(f"{where}.uppdrag", f"uppdraget {follow.uppdrag} är från {parsed[0]}, inte från ett "
                                                   f"tidigare möte än detta ({m.datum})"))
    return out


def minutes_rules(m: Minnesanteckningar) -> list[Problem]:
    """Return what the minutes need: a secretary and a justerare among those present; items with content."""
    if not m.deltagare:
        return [Problem("deltagare", "listan är tom, så filen är en kallelse: fyll i vilka som var med för att "
                                     "göra minnesanteckningar (kallelsen görs med kansli agenda)")]
    return minutes_roles(m) + _empty_items(m)


def agenda_rules(m: Minnesanteckningar) -> list[Problem]:
    """Return what the kallelse needs beyond the contract: someone to call (kallade, or else deltagare + frånvarande)."""
    if not m.kallade and not m.deltagare and not m.franvarande:
        return [Problem("kallade", "ingen är kallad; lista dem under \"kallade\"", warning=True)]
    return []


def meeting_rules(m: Minnesanteckningar) -> list[Problem]:
    """Return every contract rule broken by *m*: errors (warning=False) stop a run, warnings do not."""
    out = _both(m) + _times(m)
    out += _day_warnings("datum", m.datum)
    if m.nasta_mote is not None:
        out += _day_warnings("nästa_möte.datum", m.nasta_mote.datum)
    out += _duplicates(m.deltagare, "deltagare") + _duplicates(m.franvarande, "frånvarande")
    out += _duplicates(m.kallade, "kallade")
    out += _chairs(list(m.deltagare), "deltagare") + _chairs(list(m.kallade), "kallade")
    out += _assignments(m) + _follow_ups(m) + _deep_lists(m)
    return out
