"""The meeting calendar as .ics: one event per date, Stockholm times, stable UIDs, a VTIMEZONE."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from pipeline.errors import InputError
from pipeline.plan.calendar import calendar_ics
from pipeline.plan.model import Verksamhetsplan


def _events(plan_data: dict[str, Any]) -> list[Any]:
    cal = icalendar.Calendar.from_ical(calendar_ics(Verksamhetsplan.model_validate(plan_data)))
    return list(cal.walk("VEVENT"))


def test_one_event_per_date(plan_data: dict[str, Any]) -> None:
    events = _events(plan_data)
    dates = [e.decoded("dtstart").date().isoformat() for e in events]
    assert dates == ["2026-01-22", "2026-04-23", "2026-11-05", "2026-02-06", "2026-05-22", "2026-08-21",
                     "2026-10-16", "2026-12-11"]
    assert len({str(e["uid"]) for e in events}) == 8


def test_times_are_stockholm_times_from_the_group(plan_data: dict[str, Any]) -> None:
    events = _events(plan_data)
    first = events[0]
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert start == datetime(2026, 1, 22, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert end.time() == time(15, 0)
    assert start.utcoffset().total_seconds() == 3600  # CET in January
    summer = events[4]  # 22 May, Ledningsgruppen 09.00 CEST
    assert summer.decoded("dtstart").utcoffset().total_seconds() == 7200
    assert summer.decoded("dtend").time() == time(11, 30)


def test_summary_and_location(plan_data: dict[str, Any]) -> None:
    events = _events(plan_data)
    assert str(events[0]["summary"]) == "Samarbetskommittén: planeringskonferens"
    assert str(events[0]["location"]) == "Tyresö slott"
    assert "location" not in events[1]  # "plats inte bestämd"
    assert str(events[3]["summary"]) == "Ledningsgruppen"
    assert str(events[4]["location"]) == "Huddinge kommunhus"


def test_vtimezone_is_included(plan_data: dict[str, Any]) -> None:
    cal = icalendar.Calendar.from_ical(calendar_ics(Verksamhetsplan.model_validate(plan_data)))
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["tzid"]) for z in zones] == ["Europe/Stockholm"]
    assert str(cal["version"]) == "2.0" and "prodid" in cal


def test_uids_are_stable_when_place_or_note_changes(plan_data: dict[str, Any]) -> None:
    before = [str(e["uid"]) for e in _events(plan_data)]
    plan_data["kalendarium"]["grupper"][0]["möten"][1]["plats"] = "Haninge kulturhus"
    plan_data["kalendarium"]["grupper"][1]["möten"][2]["notering"] = "planeringskonferens"
    after = [str(e["uid"]) for e in _events(plan_data)]
    assert before == after
    plan_data["kalendarium"]["grupper"][1]["möten"][0]["datum"] = "2026-02-13"
    moved = [str(e["uid"]) for e in _events(plan_data)]
    assert moved[3] != before[3] and moved[4:] == before[4:]


def test_dtstamp_comes_from_the_one_clock(plan_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769040000")  # 2026-01-22 00:00 UTC
    plan = Verksamhetsplan.model_validate(plan_data)
    first = calendar_ics(plan)
    assert first == calendar_ics(plan)
    stamp = icalendar.Calendar.from_ical(first).walk("VEVENT")[0].decoded("dtstamp")
    assert stamp == datetime(2026, 1, 22, tzinfo=ZoneInfo("UTC"))


def test_an_own_time_overrides_the_group(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][1]["möten"][2].update({"start": "12.00", "slut": "20.00"})
    event = _events(plan_data)[5]
    assert event.decoded("dtstart").time() == time(12, 0)
    assert event.decoded("dtend").time() == time(20, 0)


def test_lines_are_folded_and_crlf(plan_data: dict[str, Any]) -> None:
    raw = calendar_ics(Verksamhetsplan.model_validate(plan_data))
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_a_plan_without_meetings_is_refused(plan_data: dict[str, Any]) -> None:
    del plan_data["kalendarium"]
    with pytest.raises(InputError, match="inga möten"):
        calendar_ics(Verksamhetsplan.model_validate(plan_data))
