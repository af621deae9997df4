"""`kansli next PLAN.json`: next year's plan, and what `kansli check` then says about it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_PLAN_JSON, Run

from pipeline.plan.next import same_weekday_next_year


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """Return a copy of the example plan with its appendices, in tmp_path."""
    folder = tmp_path / "plan"
    shutil.copytree(SEED_PLAN_JSON.parent, folder)
    return folder / SEED_PLAN_JSON.name


def _strings(value: Any, where: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{where}.{k}" if where else k)]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{where}[{i}]")]
    return []


def _meetings(data: dict[str, Any]) -> list[date]:
    return [date.fromisoformat(m["datum"]) for g in data["kalendarium"]["grupper"] for m in g["möten"]]


def test_next_writes_next_years_plan_beside_this_years(kansli: Callable[..., Run], plan_copy: Path) -> None:
    old = json.loads(plan_copy.read_text(encoding="utf-8"))
    run = kansli("next", plan_copy)
    assert run.code == 0, run.err
    new_path = plan_copy.with_name("verksamhetsplan-2027.json")
    assert f"skrev {new_path}" in run.out
    new = json.loads(new_path.read_text(encoding="utf-8"))
    assert new["år"] == 2027
    assert "beslutad" not in new
    assert new["budget"] == old["budget"]  # kept; the population figure is warned about instead
    before, after = _meetings(old), _meetings(new)
    assert all(a.year == 2027 and a.weekday() == b.weekday() and abs((a - b).days - 365) <= 3
               for b, a in zip(before, after, strict=True))
    assert "förslag" in new["kalendarium"]["förslag"]
    # what the new file needs is told at once: the proposal, the population, the texts of 2026
    assert "kalendarium.förslag" in run.err and "budget.invånare_datum" in run.err
    assert "kapitel[0].rubrik: nämner 2026" in run.err


def test_check_of_next_years_plan_names_every_field_still_saying_the_old_year(
        kansli: Callable[..., Run], plan_copy: Path) -> None:
    assert kansli("next", plan_copy).code == 0
    new_path = plan_copy.with_name("verksamhetsplan-2027.json")
    run = kansli("check", new_path)
    assert run.code == 0, run.err  # only warnings
    new = json.loads(new_path.read_text(encoding="utf-8"))
    stale = [where for where, text in _strings(new)
             if "2026" in text and where not in ("$schema", "kalendarium.förslag")]
    assert len(stale) >= 10
    warned = [line for line in run.err.splitlines() if line.startswith("varning:")]
    for where in stale:
        assert any(f": {where}: " in line for line in warned), where
    assert len(warned) == len(set(warned))  # each finding once
    assert "0 fel" not in run.out and f"{len(warned)} varningar" in run.out


def test_a_calendar_date_of_the_old_year_fails_the_check(kansli: Callable[..., Run], plan_copy: Path) -> None:
    data = json.loads(plan_copy.read_text(encoding="utf-8"))
    data["år"] = 2027  # the copy-and-change-the-year way
    plan_copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = kansli("check", plan_copy)
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if line.startswith("  - ")]
    assert len(errors) == len(_meetings(data))
    assert "kalendarium.grupper[0].möten[0].datum: 2026-01-22 ligger inte i planens år 2027" in run.err
    warnings = [line for line in run.err.splitlines() if line.startswith("varning:")]
    assert f"{plan_copy}: {len(errors)} fel i filen, {len(warnings)} varningar" in run.err
    assert kansli("calendar", plan_copy, "-o", plan_copy.with_suffix(".ics")).code == 1
    assert not plan_copy.with_suffix(".ics").exists()


def test_next_never_overwrites(kansli: Callable[..., Run], plan_copy: Path) -> None:
    assert kansli("next", plan_copy).code == 0
    new_path = plan_copy.with_name("verksamhetsplan-2027.json")
    edited = new_path.read_text(encoding="utf-8").replace("Tyresö slott", "Haninge")
    new_path.write_text(edited, encoding="utf-8")
    run = kansli("next", plan_copy)
    assert run.code == 1 and "finns redan" in run.err
    assert new_path.read_text(encoding="utf-8") == edited


def test_next_of_a_file_without_the_year_in_its_name(kansli: Callable[..., Run], plan_copy: Path) -> None:
    named = plan_copy.rename(plan_copy.with_name("plan.json"))
    assert kansli("next", named).code == 0
    assert named.with_name("plan-2027.json").exists()


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2026, 1, 22), date(2026, 12, 31), date(2028, 2, 29),
                                 date(2027, 12, 30), date(2025, 1, 2)])
def test_same_weekday_next_year_stays_in_the_next_year(day: date) -> None:
    moved = same_weekday_next_year(day)
    assert moved.weekday() == day.weekday()
    assert moved.year == day.year + 1
    assert abs(moved - day - timedelta(days=365)) <= timedelta(days=7)
