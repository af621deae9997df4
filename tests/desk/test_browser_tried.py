"""What a secretary stumbled on when the desk was tried by hand in chromium, each kept fixed."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import SEED_MINUTES_JSON, needs
from tests.desk.conftest import Served

pytestmark = needs("chromium", "chromium")

NAME = SEED_MINUTES_JSON.name


def test_a_message_under_a_field_does_not_stretch_the_field(page: Page, served: Served, shots: Path) -> None:
    shutil.copy(SEED_MINUTES_JSON, served.folder / NAME)
    page.goto(served.meeting(NAME))
    field = page.locator("#f-justerare")
    before = field.bounding_box()
    field.fill("Någon Som Inte Var Där")
    expect(page.locator('[data-loc="justerare"] .meddelanden')).to_contain_text("finns inte bland deltagarna")
    page.screenshot(path=str(shots / "justerare-fel.png"))
    after = field.bounding_box()
    assert before and after and abs(after["width"] - before["width"]) < 5  # the red border is 1 px wider


def test_the_header_stays_when_a_field_far_down_is_scrolled_to(page: Page, served: Served, shots: Path) -> None:
    shutil.copy(SEED_MINUTES_JSON, served.folder / NAME)
    page.goto(served.meeting(NAME))
    expect(page.locator("#forhand img").first).to_be_visible()
    page.locator(".punkt").last.evaluate("e => e.scrollIntoView({block: 'start'})")  # as desk.js does after a change
    page.locator("#f-avslutning").focus()
    page.screenshot(path=str(shots / "langt-ned.png"))
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollHeight") <= page.viewport_size["height"]  # type: ignore[index]
    expect(page.locator("header.topp")).to_be_in_viewport()
