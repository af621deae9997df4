"""JSON as people keep it: the examples are written back byte for byte, whatever order the keys came in."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from conftest import SEED_MINUTES_JSON

from pipeline.jsontext import dumps
from pipeline.meeting.model import Minnesanteckningar


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


@pytest.mark.parametrize("seed", range(3))
def test_the_seed_meeting_is_written_as_it_stands(seed: int) -> None:
    text = SEED_MINUTES_JSON.read_text(encoding="utf-8")
    assert dumps(_shuffled(json.loads(text), random.Random(seed)), Minnesanteckningar) == text


def test_unknown_keys_are_kept_after_the_known_ones() -> None:
    data = {"okänt": 1, "organ": "Ledningsgruppen", "$schema": "x"}
    assert list(json.loads(dumps(data, Minnesanteckningar))) == ["$schema", "organ", "okänt"]


def test_letters_stay_letters_and_small_objects_one_line() -> None:
    text = dumps({"deltagare": [{"namn": "Åsa Öberg", "digitalt": True}]}, Minnesanteckningar)
    assert '{"namn": "Åsa Öberg", "digitalt": true}' in text

