"""Saving from the form: atomic, in the examples' style, and never over a change made meanwhile."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from pipeline.desk import security, store
from pipeline.desk.app import Desk, create_app
from pipeline.errors import OutputError
from pipeline.outputs import write_atomic
from tests.conftest import SEED_MINUTES_JSON

NAME = SEED_MINUTES_JSON.name


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    target = tmp_path / NAME
    shutil.copy(SEED_MINUTES_JSON, target)
    return target


def test_saving_the_seed_unchanged_writes_the_same_bytes(seed: Path) -> None:
    before = seed.read_bytes()
    result = store.save(seed, json.loads(before), store.version_of(before))
    assert not result.conflict and not result.changed
    assert seed.read_bytes() == before


def test_a_change_is_a_small_diff(seed: Path) -> None:
    before = seed.read_text(encoding="utf-8")
    data = json.loads(before)
    data["plats"] = "Stadshuset"
    result = store.save(seed, data, store.version_of(before.encode()))
    assert result.changed and not result.conflict
    after = seed.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [('  "plats": "Huddinge kommunhus, lokal Valhall",', '  "plats": "Stadshuset",')]
    assert result.version == store.current_version(seed)


def test_a_file_changed_on_disk_is_not_overwritten(seed: Path) -> None:
    loaded = store.version_of(seed.read_bytes())
    edited = seed.read_text(encoding="utf-8").replace("lokal Valhall", "lokal Oden")
    seed.write_text(edited, encoding="utf-8")  # someone's editor
    data = json.loads(edited)
    data["organ"] = "Från formuläret"
    result = store.save(seed, data, loaded)
    assert result.conflict
    assert seed.read_text(encoding="utf-8") == edited
    kept = store.keep_both(seed, data, datetime(2024, 1, 2, 13, 14, 15))
    assert kept.parent == seed.parent and kept != seed
    assert json.loads(kept.read_text(encoding="utf-8"))["organ"] == "Från formuläret"
    assert seed.read_text(encoding="utf-8") == edited


def test_two_saves_of_the_same_text_do_not_conflict(seed: Path) -> None:
    loaded = store.version_of(seed.read_bytes())
    data = json.loads(seed.read_bytes())
    data["plats"] = "Stadshuset"
    assert not store.save(seed, data, loaded).conflict
    assert not store.save(seed, data, loaded).conflict  # the second tab sent the same thing


def test_create_never_replaces_a_file(seed: Path) -> None:
    from pipeline.errors import InputError

    with pytest.raises(InputError):
        store.create(seed, {"punkter": []})
    assert store.free_name(seed.parent, seed.stem) == seed.with_name(f"{seed.stem}-2.json")


def test_a_failed_write_leaves_the_file_whole(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = seed.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("pipeline.outputs.os.replace", broken)
    data = json.loads(before)
    data["plats"] = "x"
    with pytest.raises(OutputError, match="kan inte skriva filen"):  # said in Swedish, naming the file
        store.save(seed, data, store.version_of(before))
    assert seed.read_bytes() == before
    assert [p.name for p in seed.parent.iterdir()] == [NAME]


def test_the_second_tab_gets_the_conflict_through_the_app(seed: Path) -> None:
    desk = Desk(folder=seed.parent, out=seed.parent / "ut")
    client = TestClient(create_app(desk, hosts=frozenset({"testserver"})))
    headers = {security.TOKEN_HEADER: desk.token}
    version = store.version_of(seed.read_bytes())
    form = {"@version": version, "organ": "Flik ett", "datum": "2023-10-27", "start": "08:30", "plats": "A",
            "punkter.0.rubrik": "R", "punkter.0.innehåll.0._kind": "stycke", "punkter.0.innehåll.0.text": "T"}
    first = client.post(f"/m/{NAME}/spara", data=form, headers=headers)
    assert "Sparat" in first.text
    second = client.post(f"/m/{NAME}/spara", data={**form, "organ": "Flik två"}, headers=headers)
    assert "Filen har ändrats på disken" in second.text
    assert json.loads(seed.read_text(encoding="utf-8"))["organ"] == "Flik ett"


def test_signed_pdfs_are_not_overwritten_by_the_buttons(seed: Path) -> None:
    desk = Desk(folder=seed.parent, out=seed.parent / "ut")
    client = TestClient(create_app(desk, hosts=frozenset({"testserver"})))
    desk.out.mkdir()
    signed = desk.out / f"{seed.stem}.pdf"
    write_atomic(signed, b"%PDF-1.7\n/ByteRange [0 1 2 3]\n")
    page = client.get(f"/m/{NAME}").text
    version = page.split('id="version" value="')[1].split('"')[0]
    form = _posted_form(page) | {"@version": version}
    response = client.post(f"/m/{NAME}/gor/minutes", data=form, headers={security.TOKEN_HEADER: desk.token})
    assert "signerad" in response.text
    assert signed.read_bytes() == b"%PDF-1.7\n/ByteRange [0 1 2 3]\n"


def _posted_form(html: str) -> dict[str, str]:
    """Return the meeting form's fields as a browser would post them (inputs, textareas, checked boxes)."""
    import re
    from html import unescape

    out: dict[str, str] = {}
    form = html.split('id="meeting-form"', 1)[1].split("</form>", 1)[0]
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        if name is None:
            continue
        kind = re.search(r'type="([^"]*)"', tag)
        if kind and kind[1] == "checkbox" and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        out[unescape(name[1])] = unescape(value[1]) if value else ("on" if kind and kind[1] == "checkbox" else "")
    for name, text in re.findall(r'<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form, flags=re.S):
        out[unescape(name)] = unescape(text)
    return out


EXAMPLES = sorted((SEED_MINUTES_JSON.parent).glob("*.json"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_form_posts_back_every_example_unchanged(tmp_path: Path, example: Path) -> None:
    """The form shows every value of an example, and posting it untouched writes the same bytes."""
    from pipeline.desk import forms

    shutil.copy(example, tmp_path / example.name)
    desk = Desk(folder=tmp_path, out=tmp_path / "ut")
    client = TestClient(create_app(desk, hosts=frozenset({"testserver"})))
    page = client.get(f"/m/{example.name}").text
    data = forms.meeting(_posted_form(page).items())
    assert data == json.loads(example.read_text(encoding="utf-8"))
    assert store.text_of(data) == example.read_text(encoding="utf-8")
