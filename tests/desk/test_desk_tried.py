"""What a secretary stumbled on when the desk was tried by hand, each kept fixed (TestClient)."""

from __future__ import annotations

import json
import re

import pytest
from starlette.testclient import TestClient

from pipeline.desk import security
from pipeline.desk.app import Desk, create_app
from tests.conftest import SEED_MINUTES_JSON

NAME = SEED_MINUTES_JSON.name


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


def _one_warning_only(desk: Desk) -> None:
    path = desk.folder / NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data["punkter"].append({"rubrik": "Övrigt", "innehåll": []})  # an item with nothing said: one warning
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_one_warning_is_one_varning_not_varningar(client: TestClient, desk: Desk) -> None:
    _one_warning_only(desk)
    page = client.get(f"/m/{NAME}").text
    assert "1 varning<" in page and "1 varningar" not in page
    listing = client.get("/").text
    assert "1 varning<" in listing and "1 varningar" not in listing


def test_next_meeting_without_a_date_names_the_form_field_not_the_json_key(client: TestClient, desk: Desk) -> None:
    path = desk.folder / NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("nästa_möte", None)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    before = sorted(p.name for p in desk.folder.iterdir())
    response = client.post(f"/m/{NAME}/nasta", headers={"HX-Request": "true"})
    assert "”Nästa möte”" in response.text and NAME in response.text
    assert "nästa_möte" not in response.text and str(desk.folder) not in response.text
    assert sorted(p.name for p in desk.folder.iterdir()) == before


def test_an_empty_uppdrag_is_told_in_swedish_at_its_field(client: TestClient, desk: Desk) -> None:
    path = desk.folder / NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data["punkter"][0]["innehåll"].append({"uppdrag": {"vem": data["deltagare"][0]["namn"], "att": ""}})
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    page = client.get(f"/m/{NAME}").text
    found = re.search(r'<li class="fel" data-loc="punkter\.0\.innehåll\.\d+\.uppdrag\.att">(.*?)</li>', page, re.S)
    assert found, "the empty att is not reported at its field"
    assert "får inte vara tom" in found.group(1) and "should" not in found.group(1)


@pytest.mark.parametrize("given", ["", "x"])
def test_an_extract_without_a_number_says_where_to_write_it_not_a_command_flag(
        client: TestClient, desk: Desk, given: str) -> None:
    from tests.desk.test_desk_store import _posted_form

    form = {**_posted_form(client.get(f"/m/{NAME}").text), "items": given}
    page = client.post(f"/m/{NAME}/gor/extract", data=form, headers={"HX-Request": "true"}).text
    assert "rutan före knappen" in page
    assert "--item" not in page and "fel i filen" not in page and "kan ges flera" not in page
    assert not (desk.out.exists() and any(desk.out.iterdir()))


def test_after_keep_both_the_new_file_says_where_each_version_is(client: TestClient, desk: Desk) -> None:
    from tests.desk.test_desk_store import _posted_form

    form = _posted_form(client.get(f"/m/{NAME}").text)
    moved = client.post(f"/m/{NAME}/behall-bada", data=form, headers={"HX-Request": "true"})
    target = moved.headers["HX-Redirect"]
    page = client.get(target).text
    new_name = target.split("/m/")[1].split("?")[0]
    assert new_name != NAME and "är sparat i den här nya filen" in page and f">{NAME}</a>" in page
    assert len(list(desk.folder.glob("*.json"))) == 2
    elsewhere = client.get(f"/m/{NAME}?fran=..%2F..%2Fetc%2Fpasswd").text
    assert "är sparat i den här nya filen" not in elsewhere and "passwd" not in elsewhere
