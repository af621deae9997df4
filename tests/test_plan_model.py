"""The plan model: the example loads, sums are computed, and hand-written mistakes are refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import SEED_PLAN_JSON as EXAMPLE
from pydantic import ValidationError

from pipeline.load import load
from pipeline.plan.model import ActivityTable, Goal, Verksamhetsplan


def test_example_loads_with_its_schema_reference() -> None:
    plan = load(EXAMPLE, Verksamhetsplan)
    assert plan.schema_ == "../../schemas/plan.schema.json"
    assert plan.full_title == "Verksamhetsplan och budget 2026"
    assert [c.rubrik for c in plan.kapitel] == ["Om verksamhetsplanen 2026", "Utvecklingsaktiviteter",
                                                 "Kansliets uppdrag"]
    assert len(plan.bilagor) == 2


def test_budget_sums_are_computed() -> None:
    budget = load(EXAMPLE, Verksamhetsplan).budget
    assert budget is not None
    assert budget.fee == 4 * 525_625 == 2_102_500
    assert budget.income_total == 2_102_500
    assert budget.cost_total == 2_102_500
    assert budget.balance == 0


def test_a_typed_sum_is_refused(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["summa"] = 2_102_500
    with pytest.raises(ValidationError, match="summa"):
        Verksamhetsplan.model_validate(plan_data)


def test_fee_per_municipality_follows_population(plan_data: dict[str, Any]) -> None:
    budget = plan_data["budget"]
    del budget["invånare"]
    budget["invånare_per_kommun"] = {"Botkyrka": 100_000, "Salem": 17_500}
    plan = Verksamhetsplan.model_validate(plan_data)
    assert plan.budget is not None
    assert plan.budget.population == 117_500
    assert plan.budget.fee_per_municipality == {"Botkyrka": 400_000, "Salem": 70_000}
    assert plan.budget.fee == 470_000


def test_population_total_must_agree_with_municipalities(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["invånare_per_kommun"] = {"Botkyrka": 100_000}
    with pytest.raises(ValidationError, match="summerar till 100000"):
        Verksamhetsplan.model_validate(plan_data)


def test_population_is_required(plan_data: dict[str, Any]) -> None:
    del plan_data["budget"]["invånare"]
    with pytest.raises(ValidationError, match="invånare"):
        Verksamhetsplan.model_validate(plan_data)


def test_blocks_are_told_apart_by_their_key() -> None:
    plan = load(EXAMPLE, Verksamhetsplan)
    kinds = [type(b).__name__ for b in plan.kapitel[1].innehall]
    assert kinds == ["str", "str", "Goal", "str", "ActivityTable", "Goal", "str", "ActivityTable", "Goal",
                     "ActivityTable"]
    goal = plan.kapitel[1].innehall[5]
    assert isinstance(goal, Goal)
    assert goal.heading == "Långsiktigt mål: Omställning"
    assert goal.delmal == ["Heltäckande och god laddinfrastruktur på Södertörn"]


def test_a_cell_may_hold_paragraphs_and_lists() -> None:
    plan = load(EXAMPLE, Verksamhetsplan)
    table = plan.kapitel[2].innehall[-1]
    assert isinstance(table, ActivityTable)
    cell = table.aktiviteter[2].aktivitet
    assert isinstance(cell, list)
    assert cell[0] == "Samverkan med Polisen för att förebygga organiserad brottslighet."
    assert table.aktiviteter[3].kommentar == ""


def test_unknown_block_is_refused(plan_data: dict[str, Any]) -> None:
    broken = copy.deepcopy(plan_data)
    broken["kapitel"][0]["innehåll"].append({"tabell": []})
    with pytest.raises(ValidationError):
        Verksamhetsplan.model_validate(broken)


def test_goal_level_is_checked(plan_data: dict[str, Any]) -> None:
    plan_data["kapitel"][1]["innehåll"][2]["mål"] = "kortsiktigt"
    with pytest.raises(ValidationError, match="långsiktigt"):
        Verksamhetsplan.model_validate(plan_data)


def test_weekday_and_times_in_swedish_forms(plan_data: dict[str, Any]) -> None:
    plan = Verksamhetsplan.model_validate(plan_data)
    assert plan.kalendarium is not None
    group = plan.kalendarium.grupper[1]
    assert group.weekday_index == 4
    assert str(group.start) == "09:00:00" and str(group.slut) == "11:30:00"
    assert group.place_of(group.moten[0]) == "Storsthlm's lokaler"
    plan_data["kalendarium"]["grupper"][0]["veckodag"] = "torsdagar"
    with pytest.raises(ValidationError):
        Verksamhetsplan.model_validate(plan_data)


def test_the_model_is_frozen() -> None:
    plan = load(EXAMPLE, Verksamhetsplan)
    with pytest.raises(ValidationError):
        plan.ar = 2027  # type: ignore[misc]


@pytest.mark.parametrize(("path", "value"), [
    (("kapitel", 0, "rubrik"), "   "),
    (("bilagor", 0, "titel"), ""),
    (("datum",), 20260122),
    (("kalendarium", "grupper", 0, "möten", 0, "datum"), "22/1 2026"),
    (("kapitel", 1, "innehåll", 4, "aktiviteter", 0, "aktivitet"), ""),
])
def test_empty_texts_and_odd_dates_are_refused(plan_data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = plan_data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError):
        Verksamhetsplan.model_validate(plan_data)


def test_meetings_end_after_they_start(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][0]["slut"] = "12.00"
    with pytest.raises(ValidationError, match="sluttiden 12.00 ska vara efter starttiden 13.00"):
        Verksamhetsplan.model_validate(plan_data)
    plan_data["kalendarium"]["grupper"][0]["slut"] = "15.00"
    plan_data["kalendarium"]["grupper"][0]["möten"][1]["start"] = "16.00"
    with pytest.raises(ValidationError, match="mötet 2026-04-23 slutar 15.00"):
        Verksamhetsplan.model_validate(plan_data)
