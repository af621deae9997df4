"""Plan rules: the budget balances and calendar dates fit their weekday and year (pure)."""

from __future__ import annotations

from typing import Any

from conftest import SEED_PLAN_JSON as EXAMPLE

from pipeline.errors import Problem
from pipeline.plan.model import Verksamhetsplan
from pipeline.plan.rules import plan_rules, stale_year_problems


def _plan(plan_data: dict[str, Any]) -> Verksamhetsplan:
    return Verksamhetsplan.model_validate(plan_data)


def _rules(plan: Verksamhetsplan) -> list[Problem]:
    """Return the rules' findings except the questions about years the texts name (tested on their own)."""
    stale = stale_year_problems(plan)
    return [p for p in plan_rules(plan) if p not in stale]


def test_the_example_has_no_problems() -> None:
    plan = Verksamhetsplan.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
    assert plan.beslutad is not None
    assert plan_rules(plan) == []


def test_a_plan_not_yet_adopted_is_asked_about_the_years_before_it(plan_data: dict[str, Any]) -> None:
    del plan_data["beslutad"]
    problems = plan_rules(_plan(plan_data))
    assert problems and all(p.warning and p.where for p in problems)
    assert {"budget.kostnader[0].fotnot", "kapitel[2].innehåll[4].punktlista[0]"} <= {p.where for p in problems}
    assert all("nämner 2025" in p.message or "nämner 2024" in p.message for p in problems)


def test_unbalanced_budget_is_a_warning_saying_by_how_much(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["kostnader"][1]["belopp"] = 150_000
    problems = _rules(_plan(plan_data))
    assert len(problems) == 1
    (problem,) = problems
    assert problem.warning
    assert problem.where == "budget"
    assert "underskott på 50 000 kr" in problem.message
    assert "2 152 500 kr" in problem.message


def test_surplus_is_named_too(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["intäkter"] = [{"rad": "Bidrag", "belopp": 10_000}]
    (problem,) = _rules(_plan(plan_data))
    assert "överskott på 10 000 kr" in problem.message


def test_wrong_weekday_names_the_date(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][1]["möten"][0]["datum"] = "2026-02-07"  # a Saturday
    (problem,) = _rules(_plan(plan_data))
    assert problem.warning
    assert problem.where == "kalendarium.grupper[1].möten[0].datum"
    assert "2026-02-07 är en lördag" in problem.message
    assert "fredagar" in problem.message


def test_date_outside_the_plan_year_is_an_error_naming_the_date(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][0]["möten"][0]["datum"] = "2027-01-21"  # a Thursday, next year
    (problem,) = _rules(_plan(plan_data))
    assert not problem.warning  # an error: `kansli calendar` would write a 2027 meeting into 2026's file
    assert "2027-01-21 ligger inte i planens år 2026" in problem.message


def test_the_same_date_twice_is_a_warning(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][1]["möten"][1]["datum"] = "2026-02-06"
    (problem,) = _rules(_plan(plan_data))
    assert problem.warning and problem.where == "kalendarium.grupper[1].möten[1].datum"
    assert "Ledningsgruppen har två möten 2026-02-06" in problem.message


def _strings(value: Any, where: str = "") -> list[tuple[str, str]]:
    """Return (field, text) for every string in JSON *value* (an independent walk of the file)."""
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{where}.{k}" if where else k)]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{where}[{i}]")]
    return []


def test_a_copy_with_the_next_year_names_every_text_still_saying_the_old_year(plan_data: dict[str, Any]) -> None:
    plan_data["år"] = 2027
    for group in plan_data["kalendarium"]["grupper"]:
        group["möten"] = group["möten"][:1]
    group_days = ("2027-01-21", "2027-02-05")
    for group, day in zip(plan_data["kalendarium"]["grupper"], group_days, strict=True):
        group["möten"][0]["datum"] = day
    plan_data["datum"] = "2027-01-21"
    stale = {where for where, text in _strings(plan_data)
             if "2026" in text and where != "$schema" and not where.endswith("datum")}  # texts, not dates
    named = {p.where for p in plan_rules(_plan(plan_data)) if p.warning}
    assert {"kapitel[0].rubrik", "kalendarium.inledning[0]", "budget.invånare_datum"} <= named
    assert stale <= named, stale - named


def test_a_year_inside_a_longer_number_is_no_year(plan_data: dict[str, Any]) -> None:
    del plan_data["beslutad"]
    plan_data["kapitel"][0]["innehåll"] = ["Diarienummer 120251 och 20245 kr.", "Under 2025 gjordes mycket."]
    found = {p.where for p in stale_year_problems(_plan(plan_data))}
    assert "kapitel[0].innehåll[0]" not in found and "kapitel[0].innehåll[1]" in found


def test_an_adopted_plan_is_asked_only_about_years_from_its_adoption_on(plan_data: dict[str, Any]) -> None:
    plan_data["beslutad"]["datum"] = "2025-12-05"
    plan_data["kapitel"][0]["innehåll"] = ["Under hösten 2025 gjordes mycket.", "Redan 2024 började det."]
    found = {p.where for p in stale_year_problems(_plan(plan_data))}
    assert "kapitel[0].innehåll[0]" in found and "kapitel[0].innehåll[1]" not in found


def test_an_old_population_figure_is_a_warning_naming_the_field(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["invånare_datum"] = "2024-12-31"
    (problem,) = [p for p in _rules(_plan(plan_data)) if p.where == "budget.invånare_datum"]
    assert problem.warning and "2024-12-31" in problem.message and "31 december 2025" in problem.message
