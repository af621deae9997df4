"""What a secretary stumbled on when the desk was tried by hand, each kept fixed (TestClient)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from pipeline.desk import security
from pipeline.desk.app import Desk, create_app
from tests.conftest import SEED_MINUTES_JSON

NAME = SEED_MINUTES_JSON.name


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    folder = tmp_path / "möten"
    folder.mkdir()
    shutil.copy(SEED_MINUTES_JSON, folder / NAME)
    return Desk(folder=folder, out=tmp_path / "outputs")


@pytest.fixture
def client(desk: Desk) -> TestClient:
    client = TestClient(create_app(desk, hosts=frozenset({"testserver"})))
    client.headers[security.TOKEN_HEADER] = desk.token
    return client


def _textarea_rows(page: str, name: str) -> int:
    found = re.search(r'<textarea id="f-' + re.escape(name) + r'" name="[^"]*" rows="(\d+)"', page)
    assert found, name
    return int(found.group(1))


def test_every_handling_is_visible_without_scrolling_the_box(client: TestClient, desk: Desk) -> None:
    path = desk.folder / NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data["punkter"][1]["handlingar"] = ["Budgetförslag 2028", "Bilaga 1", "Bilaga 2"]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    page = client.get(f"/m/{NAME}").text
    assert _textarea_rows(page, "punkter.1.handlingar") >= 3
    assert _textarea_rows(page, "punkter.0.handlingar") >= 1
