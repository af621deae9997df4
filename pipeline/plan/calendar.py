"""The plan's calendar document: its meetings as an iCalendar file (icalendar) that Outlook imports."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from icalendar import Calendar, Event, Timezone

from .. import clock, swedish
from ..documents import Document, Options
from ..errors import InputError
from .model import CalendarGroup, Meeting, Verksamhetsplan

TZID = swedish.TIME_ZONE
PRODID = "-//Södertörns kansli//kansli//SV"
UID_DOMAIN = "kansli.sodertornskommunerna.se"


def meeting_uid(plan: Verksamhetsplan, group: CalendarGroup, meeting: Meeting) -> str:
    """Return a UID that stays the same when the plan is re-exported, so a re-import updates.

    It is made from the organisation, the body and the date: changing the place or note of a
    meeting keeps its UID; moving it to another day makes it a new meeting.
    """
    key = "|".join((plan.organisation, group.organ, meeting.datum.isoformat()))
    return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@{UID_DOMAIN}"


def _summary(group: CalendarGroup, meeting: Meeting) -> str:
    return f"{group.organ}: {meeting.notering}" if meeting.notering else group.organ


def _event(plan: Verksamhetsplan, group: CalendarGroup, meeting: Meeting, stamp: datetime) -> Event:
    zone = swedish.zone()
    event = Event()
    event.add("uid", meeting_uid(plan, group, meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(meeting.datum, group.start_of(meeting), tzinfo=zone))
    event.add("dtend", datetime.combine(meeting.datum, group.end_of(meeting), tzinfo=zone))
    event.add("summary", _summary(group, meeting))
    place = group.place_of(meeting)
    if place:
        event.add("location", place)
    event.add("description", f"{plan.organisation}, {plan.full_title}")
    event.add("sequence", 0)
    event.add("transp", "OPAQUE")
    return event


def calendar_ics(plan: Verksamhetsplan) -> bytes:
    """Return the plan's meetings as an iCalendar file: one VEVENT per date, times in Stockholm."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{plan.organisation} {plan.ar}")
    cal.add("x-wr-timezone", TZID)
    groups = plan.kalendarium.grupper if plan.kalendarium else []
    stamp = clock.now()
    events = [_event(plan, group, meeting, stamp) for group in groups for meeting in group.moten]
    if not events:
        raise InputError("planen har inga möten i kalendariet; det finns inget att skriva som kalenderfil")
    first = min(e.decoded("dtstart") for e in events)
    last = max(e.decoded("dtend") for e in events)
    # The whole plan year at least, so every transition a client may need is in the file.
    span = (min(first.date(), date(plan.ar, 1, 1)), max(last.date(), date(plan.ar, 12, 31)))
    cal.add_component(Timezone.from_tzid(TZID, first_date=span[0], last_date=span[1]))
    for event in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _files(plan: Verksamhetsplan, options: Options) -> dict[str, bytes]:
    return {".ics": calendar_ics(plan)}


DOCUMENT: Document[Verksamhetsplan] = Document(template=None, extras=_files)
