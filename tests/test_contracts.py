"""The two contracts: found by name, by schema name, by "$schema" or by the keys of a file."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.contracts import contract_entry, guess_contract, schema_names
from pipeline.errors import UsageError


def test_names_and_schema_names_both_find_a_contract() -> None:
    assert contract_entry("meeting") is contract_entry("minutes")
    assert contract_entry("plan").schema == "plan"
    assert schema_names() == ["minutes", "plan"]
    with pytest.raises(UsageError, match="välj en av: minutes, plan"):
        contract_entry("protokoll")


@pytest.mark.parametrize(("data", "name"), [
    ({"$schema": "../../schemas/minutes.schema.json"}, "meeting"),
    ({"$schema": "https://www.sodertornskommunerna.se/kansli/plan.schema.json", "punkter": []}, "plan"),
    ({"punkter": []}, "meeting"),
    ({"kapitel": []}, "plan"),
    ({"$schema": "annat.json"}, None),
    ({}, None),
    ([], None),
])
def test_a_files_contract_is_told_by_schema_first_then_by_keys(data: Any, name: str | None) -> None:
    found = guess_contract(data)
    assert (found.name if found else None) == name
