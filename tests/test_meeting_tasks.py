"""kansli tasks: the uppdrag of meetings with stable ids, their status on a day, a table and a CSV for Excel."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_MINUTES_JSON, Run

from pipeline.meeting.model import Minnesanteckningar
from pipeline.meeting.tasklist import COLUMNS
from pipeline.meeting.tasks import assignment_ids, parse_id, tasks


def _later(status: str, ref: str = "2023-10-27/5", day: str = "2023-12-15", text: str = "") -> dict[str, Any]:
    """Return a small later meeting of the same body that reports on uppdrag *ref*."""
    return {
        "organ": "Södertörnskommunernas ledningsgrupp", "datum": day, "start": "08:30", "plats": "Folkes",
        "deltagare": [{"namn": "Helene Olofsson"}, {"namn": "Cynthia Runefjärd"}],
        "sekreterare": "Helene Olofsson", "justerare": "Cynthia Runefjärd",
        "punkter": [{"rubrik": "Uppföljning av uppdrag",
                     "innehåll": [{"uppföljning": [{"uppdrag": ref, "status": status, "text": text}]}]}],
    }


def test_the_seed_uppdrag_have_ids_from_date_and_item(minutes_data: dict[str, Any]) -> None:
    found = assignment_ids(Minnesanteckningar.model_validate(minutes_data))
    assert [(f.id, f.item, f.assignment.vem) for f in found] == [
        ("2023-10-27/5", 5, "Helene Olofsson"), ("2023-10-27/6", 6, "Helene Olofsson")]
    assert found[1].where == "punkter[5].innehåll[2].beslut[4].uppdrag"


def test_several_uppdrag_in_one_item_are_numbered_in_order(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][5]["innehåll"].insert(0, {"uppdrag": {"vem": "Mats Bergström", "att": "ringa"}})
    minutes_data["punkter"][5]["innehåll"].append(
        {"diskussion": [{"uppdrag": {"vem": "Johan Westin", "att": "skriva"}}]})
    found = assignment_ids(Minnesanteckningar.model_validate(minutes_data))
    assert [(f.id, f.assignment.vem) for f in found] == [
        ("2023-10-27/5", "Helene Olofsson"), ("2023-10-27/6.1", "Mats Bergström"),
        ("2023-10-27/6.2", "Helene Olofsson"), ("2023-10-27/6.3", "Johan Westin")]


@pytest.mark.parametrize(("text", "parsed"), [
    ("2023-10-27/5", (date(2023, 10, 27), 5, None)), (" 2023-10-27/5.2 ", (date(2023, 10, 27), 5, 2)),
    ("2023-02-30/1", None), ("27/10/5", None), ("2023-10-27/", None), ("2023-10-27/5.", None)])
def test_ids_people_write(text: str, parsed: Any) -> None:
    assert parse_id(text) == parsed


def _meetings(*datas: dict[str, Any]) -> list[tuple[Path, Minnesanteckningar]]:
    return [(Path(f"{i}.json"), Minnesanteckningar.model_validate(d)) for i, d in enumerate(datas)]


def _status(found: list[Any]) -> dict[str, str]:
    return {t.id: t.status for t in found}


def test_status_follows_the_latest_follow_up_by_the_day_asked(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][5]["innehåll"][2]["beslut"][4]["uppdrag"]["senast"] = "2023-11-30"
    meetings = _meetings(minutes_data, _later("pågår", day="2023-11-10"), _later("klart", day="2024-01-19"))
    assert _status(tasks(meetings, date(2023, 11, 1))[0]) == {"2023-10-27/5": "öppet", "2023-10-27/6": "öppet"}
    assert _status(tasks(meetings, date(2023, 11, 20))[0]) == {"2023-10-27/5": "pågår", "2023-10-27/6": "öppet"}
    assert _status(tasks(meetings, date(2023, 12, 1))[0]) == {"2023-10-27/5": "pågår", "2023-10-27/6": "försenat"}
    done = tasks(meetings, date(2024, 2, 1))[0]
    assert _status(done) == {"2023-10-27/5": "klart", "2023-10-27/6": "försenat"}


def test_a_plain_id_is_ambiguous_when_the_item_holds_several(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][5]["innehåll"].insert(0, {"uppdrag": {"vem": "Mats Bergström", "att": "ringa"}})
    found, problems = tasks(_meetings(minutes_data, _later("klart", ref="2023-10-27/6")), date(2024, 1, 1))
    assert "klart" not in _status(found).values()
    assert len(problems) == 1 and "2023-10-27/6" in problems[0]
    found, problems = tasks(_meetings(minutes_data, _later("klart", ref="2023-10-27/6.2")), date(2024, 1, 1))
    assert _status(found)["2023-10-27/6.2"] == "klart" and problems == []


def test_kansli_tasks_lists_both_of_helene_olofssons_uppdrag(kansli: Callable[..., Run], tmp_path: Path) -> None:
    run = kansli("tasks", SEED_MINUTES_JSON.parent, "--date", "2023-11-01")
    assert run.code == 0, run.err
    lines = [line for line in run.out.splitlines() if "Helene Olofsson" in line]
    assert len(lines) == 2
    assert "2023-10-27/5" in lines[0] and "kontakta ordförande" in lines[0] and "öppet" in lines[0]
    assert "2023-10-27/6" in lines[1] and "ta fram ett beslutsunderlag" in lines[1]


def test_the_csv_opens_in_a_swedish_excel(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                          minutes_data: dict[str, Any], tmp_path: Path) -> None:
    write_json(minutes_data, "a.json")
    hostile = copy.deepcopy(_later("klart", text="=HYPERLINK(\"x\"); \"citat\""))
    write_json(hostile, "b.json")
    target = tmp_path / "uppdrag.csv"
    run = kansli("tasks", tmp_path, "--csv", target, "--date", "2024-01-01")
    assert run.code == 0, run.err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    by_id = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {"2023-10-27/5", "2023-10-27/6"}
    first = by_id["2023-10-27/5"]
    assert (first["Vem"], first["Mötesdatum"], first["Punkt"], first["Status"]) == (
        "Helene Olofsson", "2023-10-27", "5", "klart")
    assert first["Rubrik"] == "Ordförande Samarbetskommittén 2023"
    assert first["Uppföljning"] == "'=HYPERLINK(\"x\"); \"citat\""  # no formula runs in Excel
    assert by_id["2023-10-27/6"]["Status"] == "öppet"


def test_a_broken_file_in_a_folder_is_skipped_with_a_word(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                          minutes_data: dict[str, Any], tmp_path: Path) -> None:
    write_json(minutes_data, "a.json")
    (tmp_path / "trasig.json").write_text("{\"punkter\": 3", encoding="utf-8")
    (tmp_path / "plan.json").write_text(json.dumps({"kapitel": []}), encoding="utf-8")
    run = kansli("tasks", tmp_path)
    assert run.code == 0
    assert "hoppar över" in run.err and "trasig.json" in run.err and "plan.json" not in run.err
    assert run.out.count("Helene Olofsson") == 2
    run = kansli("tasks", tmp_path / "trasig.json")
    assert run.code == 1 and "trasig.json" in run.err


def test_a_wrong_date_is_a_usage_error_in_swedish(kansli: Callable[..., Run]) -> None:
    run = kansli("tasks", SEED_MINUTES_JSON, "--date", "15/12/2023")
    assert run.code == 2 and "--date ska vara ett datum som 2023-12-15" in run.err


def test_the_table_shows_no_terminal_tricks(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                            minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][4]["innehåll"][1]["beslut"][0]["uppdrag"]["att"] = "ringa \u202eevil\u202c och \x1b[31mröd"
    run = kansli("tasks", write_json(minutes_data))
    assert run.code == 0 and "\u202e" not in run.out and "\x1b" not in run.out and "ringa" in run.out
