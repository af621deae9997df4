"""The desk with the keyboard alone, with a file changed behind its back, and against a foreign page."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from pipeline.desk import security
from tests.conftest import SEED_MINUTES_JSON, needs
from tests.desk.conftest import Served

pytestmark = needs("chromium", "chromium")

NAME = SEED_MINUTES_JSON.name


def on_disk(path: Path, ready: Callable[[Any], bool], seconds: float = 10) -> Any:
    """Return the JSON in *path* once *ready* says the last save has landed (the form saves after a pause)."""
    end = time.monotonic() + seconds
    while True:
        data = json.loads(path.read_text(encoding="utf-8"))
        if ready(data) or time.monotonic() > end:
            return data
        time.sleep(0.05)


def active_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.textContent)"))


def tab_to(page: Page, wanted: str, limit: int = 40) -> None:
    """Press Tab until the element with id (or text) *wanted* has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active_id(page).strip() == wanted:
            return
    raise AssertionError(f"{wanted!r} not reached with Tab; focus is on {active_id(page)!r}")


def test_a_meeting_written_with_the_keyboard_alone(page: Page, served: Served, shots: Path) -> None:
    page.goto(served.url)
    tab_to(page, "ny-organ")
    page.keyboard.press("Control+A")
    page.keyboard.type("Kommundirektörsgruppen")
    tab_to(page, "Skapa nytt möte")
    page.keyboard.press("Enter")
    expect(page.locator("#meeting-form")).to_be_visible()
    tab_to(page, "f-plats")
    page.keyboard.type("Stadshuset, sal 2")
    tab_to(page, "b-add-deltagare")
    page.keyboard.press("Enter")
    expect(page.locator('[id="f-deltagare.0.namn"]')).to_be_focused()
    page.keyboard.type("Anna Andersson")
    page.keyboard.press("Tab")
    page.keyboard.type("Botkyrka")
    tab_to(page, "b-to-deltagare.0")  # one key press marks her absent
    page.keyboard.press("Enter")
    expect(page.locator('[id="f-frånvarande.0.namn"]')).to_have_value("Anna Andersson")
    expect(page.locator('[id="b-to-frånvarande.0"]')).to_be_focused()
    page.keyboard.press("Enter")  # and back again
    expect(page.locator('[id="f-deltagare.0.namn"]')).to_have_value("Anna Andersson")
    tab_to(page, "b-add-punkter", limit=60)
    page.keyboard.press("Enter")
    expect(page.locator('[id="f-punkter.0.rubrik"]')).to_be_focused()
    page.keyboard.type("Mötets öppnande")
    tab_to(page, "k-punkter.0.innehåll")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Lägg till" a paragraph (the first kind in the list)
    expect(page.locator('[id="f-punkter.0.innehåll.0.text"]')).to_be_focused()
    page.keyboard.type("Ordföranden öppnar mötet.")
    expect(page.locator("#status .sparat")).to_contain_text("Sparat")
    page.screenshot(path=shots / "tangentbord.png")
    (path,) = served.folder.glob("*.json")
    data = on_disk(path, lambda d: d["punkter"][0]["innehåll"] != [""])
    assert data["organ"] == "Kommundirektörsgruppen"
    assert data["plats"] == "Stadshuset, sal 2"
    assert data["deltagare"] == [{"namn": "Anna Andersson", "organisation": "Botkyrka"}]
    assert data["punkter"] == [{"rubrik": "Mötets öppnande", "innehåll": ["Ordföranden öppnar mötet."]}]


def test_a_file_changed_on_disk_is_kept_and_the_form_offers_both(page: Page, served: Served, shots: Path) -> None:
    path = served.folder / NAME
    shutil.copy(SEED_MINUTES_JSON, path)
    page.goto(served.meeting(NAME))
    edited = path.read_text(encoding="utf-8").replace("lokal Valhall", "lokal Oden")
    path.write_text(edited, encoding="utf-8")  # someone's editor, meanwhile
    page.locator('[id="f-plats"]').fill("Typat i formuläret")
    banner = page.locator("#status .konflikt")
    expect(banner).to_contain_text("Filen har ändrats på disken")
    page.screenshot(path=shots / "1-konflikt.png")
    assert path.read_text(encoding="utf-8") == edited
    banner.get_by_role("button", name=re.compile("Behåll båda")).click()
    expect(page).not_to_have_url(re.compile("/m/" + re.escape(NAME) + "$"))
    expect(page.locator('[id="f-plats"]')).to_have_value("Typat i formuläret")
    expect(page.locator(".behallna")).to_contain_text(NAME)
    page.screenshot(path=shots / "2-bada.png")
    assert path.read_text(encoding="utf-8") == edited
    copies = [p for p in served.folder.glob("*.json") if p != path]
    assert [json.loads(p.read_text(encoding="utf-8"))["plats"] for p in copies] == ["Typat i formuläret"]


def test_a_second_tab_does_not_clobber_the_first(context: BrowserContext, served: Served) -> None:
    path = served.folder / NAME
    shutil.copy(SEED_MINUTES_JSON, path)
    first, second = context.new_page(), context.new_page()
    first.goto(served.meeting(NAME))
    second.goto(served.meeting(NAME))
    first.locator('[id="f-plats"]').fill("Från flik ett")
    expect(first.locator("#status .sparat")).to_contain_text("Sparat")
    second.locator('[id="f-organ"]').fill("Från flik två")
    expect(second.locator("#status .konflikt")).to_be_visible()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["plats"] == "Från flik ett"
    assert data["organ"] == json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8"))["organ"]


def _request(url: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_the_running_server_refuses_foreign_hosts_tokenless_posts_and_paths_outside(served: Served) -> None:
    shutil.copy(SEED_MINUTES_JSON, served.folder / NAME)
    (served.folder.parent / "hemlig.json").write_text('{"lösenord": "x"}', encoding="utf-8")
    assert _request(served.url + "/")[0] == 200
    assert _request(served.url + "/", headers={"Host": "evil.example"})[0] == 400
    before = (served.folder / NAME).read_bytes()
    assert _request(served.meeting(NAME) + "/spara", method="POST")[0] == 403
    assert _request(served.url + "/ny", method="POST")[0] == 403
    token = {security.TOKEN_HEADER: served.desk.token}
    code, text = _request(served.url + "/m/..%2Fhemlig.json", headers=token)
    assert code in (400, 404) and "lösenord" not in text
    assert _request(served.url + "/m/..%2Fhemlig.json/spara", method="POST", headers=token)[0] in (400, 404)
    assert (served.folder / NAME).read_bytes() == before
