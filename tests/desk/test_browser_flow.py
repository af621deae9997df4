"""A secretary writes the start of the seed meeting in the desk, in a real browser (Debian's chromium)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import SEED_MINUTES_JSON, needs, pdf_text, squash
from tests.desk.conftest import Served

pytestmark = needs("chromium", "chromium")

SEED = json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8"))


def field(page: Page, path: str):  # type: ignore[no-untyped-def]
    """Return the form field whose JSON path is *path*."""
    return page.locator(f'[id="f-{path}"]')


def button(page: Page, verb: str, path: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[id="b-{verb}-{path}"]')


def add_block(page: Page, items_path: str, kind: str) -> None:
    page.locator(f'[id="k-{items_path}"]').select_option(kind)
    button(page, "add", items_path).click()


def saved_file(served: Served) -> dict:  # type: ignore[type-arg]
    (path,) = served.folder.glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def wait_saved(page: Page) -> None:
    expect(page.locator("#status .sparat")).to_contain_text(re.compile("Sparat|Oförändrat"))


def test_a_meeting_typed_from_an_empty_form_becomes_the_minutes(page: Page, served: Served, shots: Path) -> None:
    page.goto(served.url)
    page.screenshot(path=shots / "1-lista.png")
    page.get_by_label("Organ (vem som möts)").fill(SEED["organ"])
    page.get_by_label("Datum").fill(SEED["datum"])
    page.get_by_role("button", name="Skapa nytt möte").click()
    expect(page).to_have_url(re.compile(r"/m/2023-10-27-ledningsgrupp\.json$"))
    page.screenshot(path=shots / "2-tomt.png")

    field(page, "start").fill(SEED["start"])
    field(page, "slut").fill(SEED["slut"])
    field(page, "plats").fill(SEED["plats"])
    people = [p for p in SEED["deltagare"] if p["namn"] != SEED["justerare"]]
    for i, person in enumerate(people):
        button(page, "add", "deltagare").click()
        field(page, f"deltagare.{i}.namn").fill(person["namn"])
        field(page, f"deltagare.{i}.organisation").fill(person["organisation"])
        if person.get("roll"):
            field(page, f"deltagare.{i}.roll").fill(person["roll"])
        if person.get("digitalt"):
            field(page, f"deltagare.{i}.digitalt").check()
    field(page, "sekreterare").fill(SEED["sekreterare"])
    field(page, "justerare").fill(SEED["justerare"])  # not yet among the participants
    for n, item in enumerate(SEED["punkter"][:3]):
        button(page, "add", "punkter").click()
        expect(field(page, f"punkter.{n}.rubrik")).to_be_focused()
        field(page, f"punkter.{n}.rubrik").fill(item["rubrik"])
        for b, block in enumerate(item["innehåll"]):
            where = f"punkter.{n}.innehåll"
            if isinstance(block, str):
                add_block(page, where, "stycke")
                field(page, f"{where}.{b}.text").fill(block)
            else:
                add_block(page, where, "utestående")
                field(page, f"{where}.{b}.utestående").fill("\n".join(block["utestående"]))
    wait_saved(page)
    error = page.locator('[data-loc="justerare"] .fel-text')
    expect(error).to_contain_text("finns inte bland deltagarna")
    expect(field(page, "justerare")).to_have_attribute("aria-invalid", "true")
    field(page, "justerare").scroll_into_view_if_needed()
    page.screenshot(path=shots / "3-fel-vid-justerare.png")

    before = page.locator("#forhand .sidor").get_attribute("data-version") if page.locator(
        "#forhand .sidor").count() else None
    absent = button(page, "add", "deltagare")
    absent.click()
    n = len(people)
    field(page, f"deltagare.{n}.namn").fill(SEED["justerare"])
    field(page, f"deltagare.{n}.organisation").fill("Tyresö")
    wait_saved(page)
    expect(error).to_have_count(0)
    expect(page.locator("#status")).to_contain_text("inga fel")
    on_disk = saved_file(served)
    assert on_disk["justerare"] == SEED["justerare"]
    assert [p["rubrik"] for p in on_disk["punkter"]] == [p["rubrik"] for p in SEED["punkter"][:3]]
    assert on_disk["punkter"][:3] == SEED["punkter"][:3]

    from pipeline.desk.store import current_version

    (path,) = served.folder.glob("*.json")
    pages = page.locator(f'#forhand .sidor[data-version="{current_version(path)}"] img')
    expect(pages.first).to_be_visible()
    assert page.locator("#forhand .sidor").get_attribute("data-version") != before
    page.screenshot(path=shots / "4-forhandsvisning.png")

    page.get_by_role("button", name="Gör minnesanteckningar").click()
    link = page.locator("#gjort a", has_text=".pdf")
    expect(link).to_be_visible()
    page.screenshot(path=shots / "5-gjort.png")
    pdf = served.out / link.inner_text()
    text = squash(pdf_text(pdf))
    for item in SEED["punkter"][:3]:
        assert item["rubrik"] in text
    assert squash(SEED["punkter"][0]["innehåll"][0]) in text
    assert "Boka in möte mellan Samarbetskommittén och Stockholm Stad" in text
    assert SEED["plats"] in text and SEED["justerare"] in text


def test_reordering_items_renumbers_them_in_the_preview(page: Page, served: Served, shots: Path) -> None:
    shutil.copy(SEED_MINUTES_JSON, served.folder / SEED_MINUTES_JSON.name)
    page.goto(served.meeting(SEED_MINUTES_JSON.name))
    expect(page.locator("#forhand .sidor img").first).to_be_visible()
    first = page.locator("#forhand .sidor").get_attribute("data-version")
    button(page, "down", "punkter.0").click()
    expect(button(page, "down", "punkter.1")).to_be_focused()  # the focus follows the item moved
    expect(page.locator('[id="punkt-1"] > legend')).to_contain_text("Val av justerare")
    expect(page.locator('[id="punkt-2"] > legend')).to_contain_text("Välkommen")
    expect(page.locator("#forhand .sidor")).not_to_have_attribute("data-version", first or "")
    page.screenshot(path=shots / "flyttad.png")
    data = saved_file(served)
    assert [p["rubrik"] for p in data["punkter"][:2]] == ["Val av justerare", "Välkommen"]
    version = page.locator("#forhand .sidor").get_attribute("data-version")
    from pipeline.desk.store import current_version

    assert version == current_version(served.folder / SEED_MINUTES_JSON.name)
    made, _ = served.desk.previews.get(served.folder / SEED_MINUTES_JSON.name, version or "", "minutes", "")
    assert made.pdf is not None
    text = squash(pdf_text(made.pdf))
    assert "1. Val av justerare" in text.replace("1.  ", "1. ") or re.search(r"1\.?\s*Val av justerare", text)
    assert re.search(r"2\.?\s*Välkommen", text)
