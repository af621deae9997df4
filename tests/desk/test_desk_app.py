"""The desk's buttons through Starlette's TestClient: new meeting, next meeting, the documents, the preview."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from pipeline.desk import security
from pipeline.desk.app import Desk, create_app
from tests.conftest import SEED_MINUTES_JSON, pdf_text, squash

NAME = SEED_MINUTES_JSON.name


@pytest.fixture
def client(desk: Desk) -> TestClient:
    client = TestClient(create_app(desk, hosts=frozenset({"testserver"})))
    client.headers[security.TOKEN_HEADER] = desk.token
    client.headers["HX-Request"] = "true"
    return client


def test_a_new_meeting_is_a_file_named_by_date_and_body(client: TestClient, desk: Desk) -> None:
    response = client.post("/ny", data={"datum": "2024-02-09", "organ": "Samarbetskommittén"})
    assert response.headers["HX-Redirect"] == "/m/2024-02-09-samarbetskommitt%C3%A9n.json"
    made = json.loads((desk.folder / "2024-02-09-samarbetskommittén.json").read_text(encoding="utf-8"))
    assert made["datum"] == "2024-02-09" and made["organ"] == "Samarbetskommittén"
    again = client.post("/ny", data={"datum": "2024-02-09", "organ": "Samarbetskommittén"})
    assert again.headers["HX-Redirect"].endswith("-2.json")  # never over the first
    assert "ogiltigt datum" in client.post("/ny", data={"datum": "i morgon"}).text


def test_next_meeting_writes_the_successor_once(client: TestClient, desk: Desk) -> None:
    response = client.post(f"/m/{NAME}/nasta")
    target = response.headers["HX-Redirect"].rsplit("/", 1)[1]
    made = json.loads((desk.folder / target.replace("%C3%B6", "ö")).read_text(encoding="utf-8"))
    assert made["datum"] == "2023-12-15"
    second = client.post(f"/m/{NAME}/nasta")
    assert second.headers.get("HX-Retarget") == "#meddelande"
    assert "skrivs inte över" in second.text


def test_the_list_shows_meetings_newest_first_with_their_stage(client: TestClient, desk: Desk) -> None:
    client.post(f"/m/{NAME}/nasta")
    page = client.get("/").text
    assert page.index("2023-12-15") < page.index("2023-10-27")
    assert "kallelse" in page and "minnesanteckningar" in page


def test_the_preview_shows_the_current_stage_as_pages(client: TestClient, desk: Desk) -> None:
    fragment = client.get(f"/m/{NAME}/forhand").text
    assert "Minnesanteckningar, 5 sidor" in fragment
    assert fragment.count("<img ") == 5
    src = fragment.split('src="')[1].split('"')[0]
    image = client.get(src)
    assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")
    assert client.get(src.replace("/1.png", "/99.png")).status_code == 404


def test_extract_button_makes_the_chosen_item(client: TestClient, desk: Desk) -> None:
    from tests.desk.test_desk_store import _posted_form

    page = client.get(f"/m/{NAME}").text
    response = client.post(f"/m/{NAME}/gor/extract", data={**_posted_form(page), "items": "5"})
    assert "klar" in response.text, response.text
    (pdf,) = desk.out.glob("*.pdf")
    assert "Ordförande Samarbetskommittén 2023" in squash(pdf_text(pdf))
    (link,) = [part.split('"')[0] for part in response.text.split('href="')[1:] if '.pdf"' in part]
    assert client.get(link).content == pdf.read_bytes()


def test_while_errors_are_fixed_the_last_good_pages_stay(client: TestClient, desk: Desk) -> None:
    path = desk.folder / NAME
    good = client.get(f"/m/{NAME}/forhand").text
    good_src = good.split('src="')[1].split('"')[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    for attempt in ("Nobody", "Nobody A", "Nobody B", "Nobody C"):  # several broken versions in a row
        data["justerare"] = attempt
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        fragment = client.get(f"/m/{NAME}/forhand").text
    assert "inte uppdaterad" in fragment and "1 fel i filen" in fragment
    assert good_src in fragment
    assert client.get(good_src).content.startswith(b"\x89PNG")
