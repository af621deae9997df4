"""Plan rules: the budget balances and calendar dates fit their weekday and year (pure)."""

from __future__ import annotations

from typing import Any

from conftest import SEED_PLAN_JSON as EXAMPLE

from pipeline.plan.model import Verksamhetsplan
from pipeline.plan.rules import plan_rules


def _plan(plan_data: dict[str, Any]) -> Verksamhetsplan:
    return Verksamhetsplan.model_validate(plan_data)


def test_the_example_has_no_problems() -> None:
    plan = Verksamhetsplan.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
    assert plan_rules(plan) == []


def test_unbalanced_budget_is_a_warning_saying_by_how_much(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["kostnader"][1]["belopp"] = 150_000
    problems = plan_rules(_plan(plan_data))
    assert len(problems) == 1
    (problem,) = problems
    assert problem.warning
    assert problem.where == "budget"
    assert "underskott på 50 000 kr" in problem.message
    assert "2 152 500 kr" in problem.message


def test_surplus_is_named_too(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["intäkter"] = [{"rad": "Bidrag", "belopp": 10_000}]
    (problem,) = plan_rules(_plan(plan_data))
    assert "överskott på 10 000 kr" in problem.message


def test_wrong_weekday_names_the_date(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][1]["möten"][0]["datum"] = "2026-02-07"  # a Saturday
    (problem,) = plan_rules(_plan(plan_data))
    assert problem.warning
    assert problem.where == "kalendarium.grupper[1].möten[0].datum"
    assert "2026-02-07 är en lördag" in problem.message
    assert "fredagar" in problem.message


def test_date_outside_the_plan_year_names_the_date(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][0]["möten"][0]["datum"] = "2027-01-21"  # a Thursday, next year
    (problem,) = plan_rules(_plan(plan_data))
    assert problem.warning
    assert "2027-01-21 ligger inte i planens år 2026" in problem.message


def test_the_same_date_twice_is_a_warning(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][1]["möten"][1]["datum"] = "2026-02-06"
    (problem,) = plan_rules(_plan(plan_data))
    assert problem.warning and problem.where == "kalendarium.grupper[1].möten[1].datum"
    assert "Ledningsgruppen har två möten 2026-02-06" in problem.message
