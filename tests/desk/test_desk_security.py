"""The desk's guards, through Starlette's TestClient: Host, token, confined names, no API docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from pipeline.desk import security
from pipeline.desk.app import Desk, create_app
from pipeline.errors import UsageError
from tests.conftest import SEED_MINUTES_JSON

NAME = SEED_MINUTES_JSON.name


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    folder = tmp_path / "möten"
    folder.mkdir()
    shutil.copy(SEED_MINUTES_JSON, folder / NAME)
    (tmp_path / "hemlig.json").write_text('{"lösenord": "x"}', encoding="utf-8")
    return Desk(folder=folder, out=tmp_path / "outputs")


@pytest.fixture
def client(desk: Desk) -> TestClient:
    return TestClient(create_app(desk, hosts=security.allowed_hosts("127.0.0.1", 8765)),
                      base_url="http://127.0.0.1:8765")


def token_header(desk: Desk) -> dict[str, str]:
    return {security.TOKEN_HEADER: desk.token}


def test_the_meeting_list_and_form_answer_on_the_local_address(client: TestClient) -> None:
    assert client.get("/").status_code == 200
    page = client.get(f"/m/{NAME}")
    assert page.status_code == 200
    assert "Huddinge kommunhus, lokal Valhall" in page.text


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", ""])
def test_a_foreign_host_header_is_refused(client: TestClient, host: str) -> None:
    response = client.get("/", headers={"host": host})
    assert response.status_code == 400
    assert "Host" in response.text


def test_a_post_without_the_token_is_refused_and_changes_nothing(client: TestClient, desk: Desk) -> None:
    before = (desk.folder / NAME).read_bytes()
    for headers in ({}, {security.TOKEN_HEADER: "fel"}):
        response = client.post(f"/m/{NAME}/spara", data={"organ": "Ändrat", "@version": "x"}, headers=headers)
        assert response.status_code == 403
    assert client.post("/ny", data={"datum": "2024-01-01"}).status_code == 403
    assert (desk.folder / NAME).read_bytes() == before
    assert sorted(p.name for p in desk.folder.iterdir()) == [NAME]


def test_a_post_from_another_origin_is_refused_even_with_the_token(client: TestClient, desk: Desk) -> None:
    response = client.post("/ny", data={"datum": "2024-01-01"},
                           headers={**token_header(desk), "origin": "http://evil.example"})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["..%2Fhemlig.json", "%2E%2E%2Fhemlig.json", ".hidden.json",
                                  "möten%2F..%2F..%2Fhemlig.json", "x.txt"])
def test_names_outside_the_served_folder_are_refused(client: TestClient, desk: Desk, name: str) -> None:
    response = client.get(f"/m/{name}")
    assert response.status_code in (400, 404)
    assert "lösenord" not in response.text
    saved = client.post(f"/m/{name}/spara", data={"organ": "x"}, headers=token_header(desk))
    assert saved.status_code in (400, 404)
    assert (desk.folder.parent / "hemlig.json").read_text(encoding="utf-8") == '{"lösenord": "x"}'


@pytest.mark.parametrize("name", ["../hemlig.json", "a/b.json", "..\\x.json", ".x.json", "x.txt", "", "x\x00.json"])
def test_confined_accepts_only_plain_names_in_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError):
        security.confined(tmp_path, name)
    assert security.confined(tmp_path, "möte 1.json") == (tmp_path / "möte 1.json").resolve()


def test_outputs_are_served_only_from_the_output_folder(client: TestClient, desk: Desk) -> None:
    desk.out.mkdir()
    (desk.out / "a.pdf").write_bytes(b"%PDF-1.7 test")
    assert client.get("/ut/a.pdf").content == b"%PDF-1.7 test"
    assert client.get("/ut/..%2F..%2Fhemlig.json").status_code == 404
    assert client.get(f"/ut/..%2Fmöten%2F{NAME}").status_code == 404


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_there_is_no_api_documentation_page(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_other_addresses_answer_only_to_their_own_name() -> None:
    assert "evil.example" not in security.allowed_hosts("127.0.0.1", 80)
    assert security.allowed_hosts("192.168.1.5", 80) == {"192.168.1.5", "192.168.1.5:80"}


def test_text_from_the_file_is_shown_as_text(client: TestClient, desk: Desk) -> None:
    import json

    path = desk.folder / NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data["organ"] = '<script>alert("x")</script>'
    data["punkter"][0]["innehåll"].append({"okänt": '"><img src=x onerror=alert(1)>'})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page = client.get(f"/m/{NAME}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    from pipeline.desk import forms
    from tests.desk.test_desk_store import _posted_form

    assert forms.meeting(_posted_form(page).items()) == data  # what the form cannot edit comes back unchanged


@pytest.mark.parametrize("text", ['{"organ": "x", "punkter": [', '{"kapitel": [], "år": 2026}'])
def test_a_file_the_form_cannot_show_is_not_opened(client: TestClient, desk: Desk, text: str) -> None:
    path = desk.folder / "trasig.json"
    path.write_text(text, encoding="utf-8")
    response = client.get("/m/trasig.json")
    assert response.status_code == 422
    assert "meeting-form" not in response.text
    assert path.read_text(encoding="utf-8") == text
