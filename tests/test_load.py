"""The loader: every bad file gives one InputError naming the file and the line or field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import InputError
from pipeline.load import load, read_json
from pipeline.meeting.model import Minnesanteckningar


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load(path, Minnesanteckningar)
    return info.value


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{\n  "organ": "x",\n  "datum": "2023-10-27"\n  "plats": "y"\n}', encoding="utf-8")
    err = _error(path)
    assert err.path == path
    assert "rad 4, kolumn 3" in str(err)
    assert "kommatecken saknas" in str(err)


def test_trailing_comma_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{"organ": "x",\n}', encoding="utf-8")
    assert "rad 2" in str(_error(path))


def test_utf8_bom_is_read(tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    import json

    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minutes_data, ensure_ascii=False).encode("utf-8"))
    assert load(path, Minnesanteckningar).organ == "Södertörnskommunernas ledningsgrupp"


def test_cp1252_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "ansi.json"
    path.write_bytes('{\n"organ": "Södertörn"\n}'.encode("cp1252"))
    message = str(_error(path))
    assert "rad 2" in message and "UTF-8" in message and "Spara" in message


def test_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "u16.json"
    path.write_bytes('{"organ": "x"}'.encode("utf-16"))
    assert "UTF-16" in str(_error(path))


def test_unknown_field_gets_a_suggestion(write_json: Callable[..., Path], minutes_data: dict[str, Any]) -> None:
    minutes_data["justerar"] = minutes_data.pop("justerare")
    err = _error(write_json(minutes_data))
    text = str(err)
    assert "okänt fält 'justerar'" in text
    assert "menade du 'justerare'?" in text


def test_field_path_names_the_nested_place(write_json: Callable[..., Path], minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][3]["innehåll"][3]["beslut"][0] = 42
    err = _error(write_json(minutes_data))
    assert any(p.where == "punkter[3].innehåll[3].beslut[0]" for p in err.problems), err.problems
    assert "fick 42" in str(err)


def test_date_that_does_not_exist_is_named(write_json: Callable[..., Path], minutes_data: dict[str, Any]) -> None:
    minutes_data["datum"] = "2023-02-30"
    err = _error(write_json(minutes_data))
    assert any(p.where == "datum" and "2023-02-30" in p.message and "finns inte" in p.message
               for p in err.problems), err.problems


def test_several_problems_are_listed_together(write_json: Callable[..., Path],
                                              minutes_data: dict[str, Any]) -> None:
    del minutes_data["plats"]
    minutes_data["start"] = "halv nio"
    minutes_data["deltagare"][0]["namn"] = "   "
    err = _error(write_json(minutes_data))
    wheres = {p.where for p in err.problems}
    assert {"plats", "start", "deltagare[0].namn"} <= wheres
    assert "3 fel" in str(err)


def test_unknown_block_kind_is_explained(write_json: Callable[..., Path], minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][0]["innehåll"].append({"beslutt": ["x"]})
    err = _error(write_json(minutes_data))
    assert any(p.where == "punkter[0].innehåll[1]" and "okänd sorts innehåll" in p.message
               for p in err.problems), err.problems


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "tom.json"
    empty.write_text("  \n", encoding="utf-8")
    assert "tom" in str(_error(empty))
    assert "finns inte" in str(_error(tmp_path / "saknas.json"))


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dubbel.json"
    path.write_text('{"organ": "a", "organ": "b"}', encoding="utf-8")
    with pytest.raises(InputError, match="'organ' står två gånger"):
        read_json(path)


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    path = tmp_path / "lista.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert "JSON-objekt" in str(_error(path))
