"""kansli agenda: the kallelse med dagordning (PDF/A) and its .ics invitation; the kallelse stage of a file."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import SEED_MINUTES_JSON, Run, pdf_text, squash
from icalendar import Calendar
from test_finish import assert_archive_copy, pdfa_violations

from pipeline.finish import Metadata
from pipeline.meeting.agenda import meeting_uid
from pipeline.meeting.model import Minnesanteckningar


def unseen_meeting() -> dict[str, Any]:
    """Return a meeting before it is held, unlike the seed: 15 items, presenters, documents, a summer date."""
    items: list[dict[str, Any]] = [{"rubrik": "Mötets öppnande", "stående": True},
                                   {"rubrik": "Val av justerare", "stående": True}]
    items += [{"rubrik": f"Ärende nummer {n}: budget & plan för \"område {n}\"", "föredragande": f"Person {n}",
               "handlingar": [f"Underlag {n}A", f"Underlag {n}B"]} for n in range(3, 15)]
    items[4]["förslag_till_beslut"] = "Nätverket godkänner planen för område 5."
    items.append({"rubrik": "Övriga frågor", "stående": True})
    return {
        "organ": "Nätverket för klimatstrategier", "datum": "2024-06-13", "start": "13:15", "slut": "15.45",
        "plats": "Haninge kulturhus, sal Orion", "anslutning": "Teams-länk skickas i Outlook",
        "kallade": [{"namn": "Åsa Öberg", "organisation": "Haninge", "roll": "ordförande"},
                    {"namn": "Ümit Yıldız", "organisation": "Botkyrka", "digitalt": True}],
        "punkter": items,
    }


@pytest.fixture
def seed_agenda(kansli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kallelse")
    run = kansli("agenda", SEED_MINUTES_JSON, "-o", out)
    assert run.code == 0, run.err
    return out


def _numbered_headings_in_order(text: str, headings: list[str]) -> None:
    flat = squash(text)
    at = 0
    for number, heading in enumerate(headings, start=1):
        found = flat.find(f"{number}. {squash(heading)}", at)
        assert found >= 0, f"{number}. {heading} saknas (efter position {at})"
        at = found


def test_seed_kallelse_has_every_heading_numbered_and_the_swedish_date(seed_agenda: Path) -> None:
    m = Minnesanteckningar.model_validate(json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8")))
    pdf = seed_agenda / "2023-10-27-ledningsgrupp-kallelse.pdf"
    text = pdf_text(pdf)
    assert "Fredag den 27 oktober 2023 kl 08.30-11.00" in text
    assert "Kallelse till" in text and "Dagordning" in text
    _numbered_headings_in_order(text, [item.rubrik for item in m.punkter] + ["Nästa möte"])
    for person in m.deltagare + m.franvarande:  # no kallade: those present and absent are called
        assert person.namn in text
    assert "Diskussion" not in text and "Beslut" not in text  # the kallelse shows no minutes
    with pikepdf.open(pdf) as doc:
        assert "/AcroForm" not in doc.Root  # nothing to sign in a kallelse


def test_seed_kallelse_is_an_archive_copy(seed_agenda: Path) -> None:
    pdf = seed_agenda / "2023-10-27-ledningsgrupp-kallelse.pdf"
    assert_archive_copy(pdf, Metadata(title="Kallelse till Södertörnskommunernas ledningsgrupp 2023-10-27",
                                      author="Södertörnskommunernas samverkan", subject="Kallelse med dagordning"))
    assert pdfa_violations(pdf) == []


def test_an_unseen_meeting_shows_presenters_documents_and_how_to_join(
        kansli: Callable[..., Run], write_json: Callable[..., Path], tmp_path: Path) -> None:
    data = unseen_meeting()
    source = write_json(data, "2024-06-13-klimat.json")
    run = kansli("check", source)
    assert run.code == 0 and "(kallelse)" in run.out, run.out + run.err
    run = kansli("agenda", source, "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    text = pdf_text(tmp_path / "ut" / "2024-06-13-klimat-kallelse.pdf")
    assert "Torsdag den 13 juni 2024 kl 13.15-15.45" in text
    _numbered_headings_in_order(text, [item["rubrik"] for item in data["punkter"]])
    flat = squash(text)
    for needle in ("Föredragande: Person 14", "Underlag 14B", "Teams-länk skickas i Outlook", "Åsa Öberg",
                   "Ümit Yıldız", "Botkyrka (digitalt)", "Förslag till beslut",
                   "Nätverket godkänner planen för område 5."):
        assert needle in flat, needle


def _event(ics: Path) -> Any:
    cal = Calendar.from_ical(ics.read_bytes())
    (event,) = cal.walk("VEVENT")
    return event


def test_the_invitation_is_in_swedish_local_time_with_the_agenda(seed_agenda: Path) -> None:
    event = _event(seed_agenda / "2023-10-27-ledningsgrupp-kallelse.ics")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.hour, start.minute, end.hour, end.minute) == (8, 30, 11, 0)
    assert str(event["dtstart"].params["TZID"]) == "Europe/Stockholm"
    # 27 October 2023 is still summer time: 08.30 in Stockholm is 06.30 UTC
    assert start.astimezone(UTC) == datetime(2023, 10, 27, 6, 30, tzinfo=UTC)
    assert str(event["location"]) == "Huddinge kommunhus, lokal Valhall"
    description = str(event["description"])
    assert "1. Välkommen" in description and "14. Nästa möte" in description


def test_a_winter_meeting_is_an_hour_less_from_utc(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    data = unseen_meeting() | {"datum": "2024-01-18", "slut": None}
    del data["slut"]
    run = kansli("agenda", write_json(data, "januari.json"), "-o", tmp_path, "--no-pdf")
    assert run.code == 0, run.err
    event = _event(tmp_path / "januari-kallelse.ics")
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2024, 1, 18, 12, 15, tzinfo=UTC)
    assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 3600  # no end time: one hour


def test_the_uid_follows_the_meeting_not_its_details(minutes_data: dict[str, Any]) -> None:
    m = Minnesanteckningar.model_validate(minutes_data)
    moved_room = Minnesanteckningar.model_validate(minutes_data | {"plats": "Annan lokal", "start": "09:00"})
    other_day = Minnesanteckningar.model_validate(minutes_data | {"datum": "2023-10-26"})
    assert meeting_uid(m) == meeting_uid(moved_room) != meeting_uid(other_day)
    assert re.fullmatch(r"[0-9a-f]{24}@kansli\.sodertornskommunerna\.se", meeting_uid(m))


def test_minutes_of_a_kallelse_stage_file_are_refused_clearly(kansli: Callable[..., Run],
                                                              write_json: Callable[..., Path], tmp_path: Path) -> None:
    source = write_json(unseen_meeting())
    run = kansli("minutes", source, "-o", tmp_path / "ut")
    assert run.code == 1
    assert "deltagare: listan är tom, så filen är en kallelse" in run.err and "kansli agenda" in run.err
    assert not (tmp_path / "ut").exists()


def test_a_kallelse_from_minutes_with_no_absentees_calls_those_present(
        kansli: Callable[..., Run], write_json: Callable[..., Path], tmp_path: Path) -> None:
    data = unseen_meeting()
    people = data.pop("kallade")
    data |= {"deltagare": people, "sekreterare": people[0]["namn"], "justerare": people[-1]["namn"]}
    run = kansli("agenda", write_json(data), "-o", tmp_path)
    assert run.code == 0, run.err
    assert "kallade" not in run.err
    text = squash(pdf_text(next(tmp_path.glob("*-kallelse.pdf"))))
    assert all(p["namn"] in text for p in people)


def test_nobody_called_is_a_warning(kansli: Callable[..., Run], write_json: Callable[..., Path]) -> None:
    data = unseen_meeting()
    del data["kallade"]
    run = kansli("check", write_json(data))
    assert run.code == 0
    assert "kallade: ingen är kallad" in run.err


def test_the_people_table_has_its_designed_columns(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    """The grid was three equal columns (5.3 cm), so a long Swedish word in the third broke mid-word."""
    data = unseen_meeting()
    data["kallade"][0]["organisation"] = "Nynäshamns kommun, Samhällsbyggnadsförvaltningen"
    assert kansli("agenda", write_json(data), "-o", tmp_path).code == 0
    pdf = next(tmp_path.glob("*-kallelse.pdf"))
    assert "Nynäshamns kommun, Samhällsbyggnadsförvaltningen" in squash(pdf_text(pdf))
    from pipeline.pdftext import find_text
    label, name, detail = (find_text(pdf, text)[0].x for text in ("Kallade", "Åsa Öberg", "Nynäshamns kommun"))
    assert 2.8 < (name - label) / 72 * 2.54 < 3.2 and 5.3 < (detail - name) / 72 * 2.54 < 5.7  # 3 cm, 5.5 cm
