"""The kallelse med dagordning: templates/kallelse.docx and a calendar invitation (.ics) for Outlook.

Made from a meeting file in either stage: before the meeting it lists the kallade; from a file
that already holds the minutes it lists those who were present and absent (the same people).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event, Timezone

from .. import clock, swedish
from ..documents import Document, Options, Properties
from ..errors import Problem
from ..swedish import capitalise, clock_span, iso, long_date
from .minutes import person_detail, source_of
from .model import AgendaItem, FollowUpBlock, Minnesanteckningar, Person
from .rules import agenda_rules
from .tasks import descriptions

PRODID = "-//Södertörns kansli//kansli//SV"
UID_DOMAIN = "kansli.sodertornskommunerna.se"
DEFAULT_LENGTH = timedelta(hours=1)  # a meeting without an end time fills an hour in the calendar
NEXT_MEETING = "Nästa möte"


def called(m: Minnesanteckningar) -> list[Person]:
    """Return who is called: `kallade`, or else those present and absent."""
    return list(m.kallade) or [*m.deltagare, *m.franvarande]


def time_line(m: Minnesanteckningar) -> str:
    """Return 'Fredag den 27 oktober 2023 kl 08.30-11.00'."""
    return f"{capitalise(long_date(m.datum))} {clock_span(m.start, m.slut)}"


def headings(m: Minnesanteckningar) -> list[str]:
    """Return the agenda's headings in order, 'Nästa möte' last when the file names a next meeting."""
    return [item.rubrik for item in m.punkter] + ([NEXT_MEETING] if m.nasta_mote is not None else [])


def follow_up_lines(item: AgendaItem, described: Mapping[str, str]) -> list[str]:
    """Return 'Uppdrag 2023-10-27/5 (Helene Olofsson: kontakta …)' for each uppdrag the item follows up."""
    out = []
    for block in item.innehall:
        if isinstance(block, FollowUpBlock):
            for f in block.uppfoljning:
                what = described.get(f.uppdrag, "")
                out.append(f"Uppdrag {f.uppdrag}" + (f" ({what})" if what else ""))
    return out


def _item(number: int, item: AgendaItem | None, rubrik: str, described: Mapping[str, str]) -> dict[str, Any]:
    return {
        "nummer": number,
        "rubrik": rubrik,
        "foredragande": item.foredragande if item else "",
        "handlingar": list(item.handlingar) if item else [],
        "forslag": item.forslag_till_beslut if item else "",
        "uppfoljning": follow_up_lines(item, described) if item else [],
    }


def agenda_context(m: Minnesanteckningar, described: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the template context of the kallelse: plain strings, numbers, lists and dicts only.

    *described* says what each followed-up uppdrag is ("Helene Olofsson: ta in konsultstöd"), by id.
    """
    items = [_item(i, item, item.rubrik, described or {}) for i, item in enumerate(m.punkter, start=1)]
    if m.nasta_mote is not None:
        items.append(_item(len(items) + 1, None, NEXT_MEETING, {}))
    return {
        "organ": m.organ,
        "titel": f"Kallelse till {m.organ}",
        "tid": time_line(m),
        "datum": iso(m.datum),
        "plats": m.plats,
        "anslutning": m.anslutning,
        "kallade": [{"namn": p.namn, "detalj": person_detail(p)} for p in called(m)],
        "punkter": items,
    }


def meeting_uid(m: Minnesanteckningar) -> str:
    """Return the invitation's UID, made from the body and the date: a corrected kallelse updates the event."""
    key = "|".join((" ".join(m.organ.casefold().split()), m.datum.isoformat()))
    return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@{UID_DOMAIN}"


def description(m: Minnesanteckningar) -> str:
    """Return the invitation's text: time, place, how to join, and the numbered agenda."""
    lines = [f"Kallelse till {m.organ}", time_line(m), f"Plats: {m.plats}"]
    if m.anslutning:
        lines.append(f"Anslutning: {m.anslutning}")
    lines += ["", "Dagordning"]
    for number, rubrik in enumerate(headings(m), start=1):
        item = m.punkter[number - 1] if number <= len(m.punkter) else None
        lines.append(f"{number}. {rubrik}")
        if item is not None and item.foredragande:
            lines.append(f"   Föredragande: {item.foredragande}")
        if item is not None and item.handlingar:
            lines.append(f"   Handlingar: {'; '.join(item.handlingar)}")
    return "\n".join(lines)


def invitation_ics(m: Minnesanteckningar) -> bytes:
    """Return the kallelse as an iCalendar file with one event in Swedish time (Europe/Stockholm)."""
    zone = swedish.zone()
    start = datetime.combine(m.datum, m.start, tzinfo=zone)
    end = datetime.combine(m.datum, m.slut, tzinfo=zone) if m.slut is not None else start + DEFAULT_LENGTH
    stamp = clock.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # the meeting's whole year, so the zone holds the summer-time transitions a client needs
    year = (date(m.datum.year, 1, 1), date(m.datum.year, 12, 31))
    cal.add_component(Timezone.from_tzid(swedish.TIME_ZONE, first_date=year[0], last_date=year[1]))
    event = Event()
    event.add("uid", meeting_uid(m))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", m.organ)
    event.add("location", m.plats)
    event.add("description", description(m))
    # a later kallelse for the same meeting must win over an earlier one: minutes since 2020
    event.add("sequence", max(0, int((stamp - datetime(2020, 1, 1, tzinfo=stamp.tzinfo)).total_seconds() // 60)))
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _properties(m: Minnesanteckningar, options: Options) -> Properties:
    return Properties(title=f"Kallelse till {m.organ} {iso(m.datum)}", subject="Kallelse med dagordning",
                      keywords=m.organ)


def _rules(m: Minnesanteckningar, options: Options) -> list[Problem]:
    return agenda_rules(m)


def _context(m: Minnesanteckningar, options: Options) -> dict[str, Any]:
    return agenda_context(m, descriptions(m, source_of(options)))


def _extras(m: Minnesanteckningar, options: Options) -> dict[str, bytes]:
    return {".ics": invitation_ics(m)}


DOCUMENT: Document[Minnesanteckningar] = Document(
    template="kallelse.docx", properties=_properties, context=_context, rules=_rules, extras=_extras,
    stem=lambda source, m, options: f"{source.stem}-kallelse")
