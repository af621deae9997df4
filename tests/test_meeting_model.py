"""The minutes model: the seed loads, text is cleaned on purpose, names are never empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_MINUTES_JSON
from pydantic import ValidationError

from pipeline.load import load
from pipeline.meeting.model import Decision, Minnesanteckningar


def test_seed_example_loads() -> None:
    m = load(SEED_MINUTES_JSON, Minnesanteckningar)
    assert m.organ == "Södertörnskommunernas ledningsgrupp"
    assert len(m.punkter) == 13 and m.nasta_mote is not None
    assert m.justerare == "Cynthia Runefjärd"
    assert isinstance(m.punkter[3].innehall[3], Decision)


def test_model_is_frozen() -> None:
    m = load(SEED_MINUTES_JSON, Minnesanteckningar)
    with pytest.raises(ValidationError):
        m.organ = "annat"  # type: ignore[misc]


def test_swedish_time_notation_is_accepted(minutes_data: dict[str, Any]) -> None:
    minutes_data["start"], minutes_data["slut"] = "8.30", "11.00"
    m = Minnesanteckningar.model_validate(minutes_data)
    assert (m.start, m.slut) == (time(8, 30), time(11, 0))


def test_vertical_tab_becomes_line_break_and_controls_go(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][0]["innehåll"] = ["rad ett\vrad två\x07\x00 slut\r\nny"]
    m = Minnesanteckningar.model_validate(minutes_data)
    assert m.punkter[0].innehall[0] == "rad ett\nrad två slut\nny"


@pytest.mark.parametrize("name", ["", "   ", "\t\n", "\u0007"])
def test_empty_names_are_refused(minutes_data: dict[str, Any], name: str) -> None:
    minutes_data["justerare"] = name
    with pytest.raises(ValidationError):
        Minnesanteckningar.model_validate(minutes_data)


def test_unknown_fields_are_refused_everywhere(minutes_data: dict[str, Any]) -> None:
    minutes_data["deltagare"][0]["e-post"] = "x@y.se"
    with pytest.raises(ValidationError, match="e-post"):
        Minnesanteckningar.model_validate(minutes_data)


def test_defaults_keep_a_small_meeting_small(write_json: Callable[..., Path]) -> None:
    path = write_json({
        "organ": "Nätverket för klimatstrategier", "datum": "2024-03-08", "start": "09:00",
        "plats": "Teams", "deltagare": [{"namn": "A B"}, {"namn": "C D"}],
        "sekreterare": "A B", "justerare": "C D", "punkter": [{"rubrik": "Välkommen"}],
    })
    m = load(path, Minnesanteckningar)
    assert m.franvarande == [] and m.nasta_mote is None and m.slut is None


@pytest.mark.parametrize("value", ["yes", "ja", 1, "true"])
def test_digitalt_is_true_or_false_only(minutes_data: dict[str, Any], value: object) -> None:
    minutes_data["deltagare"][0]["digitalt"] = value
    with pytest.raises(ValidationError):
        Minnesanteckningar.model_validate(minutes_data)
