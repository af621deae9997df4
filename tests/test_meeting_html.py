"""The web page of the publication copy: accessible structure, nothing active, nothing from elsewhere, text escaped."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from conftest import SEED_MINUTES_JSON, Run

from pipeline.meeting.html import page
from pipeline.meeting.minutes import minutes_context
from pipeline.meeting.model import Minnesanteckningar


class Tags(HTMLParser):
    """Every start tag with its attributes, in order, as the standard library's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: bytes) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html.decode("utf-8"))
    parser.close()
    return parser.tags


def context(**changes: Any) -> dict[str, Any]:
    m = Minnesanteckningar.model_validate(json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8")))
    return {**minutes_context(m), "justering": "Vid anteckningarna: Helene Olofsson.", **changes}


@pytest.fixture
def seed_page() -> bytes:
    return page(context())


def test_the_page_is_swedish_with_one_h1_and_an_h2_per_item(seed_page: bytes) -> None:
    assert seed_page.startswith(b"<!DOCTYPE html>\n")
    doc = lxml.html.document_fromstring(seed_page)
    assert doc.get("lang") == "sv"
    assert doc.find(".//meta").get("charset") == "utf-8"
    assert doc.findtext(".//title") == "Minnesanteckningar från Södertörnskommunernas ledningsgrupp 2023-10-27"
    assert [h.text_content() for h in doc.iter("h1")] == ["Minnesanteckningar från Södertörnskommunernas ledningsgrupp"]
    h2 = [h.text_content() for h in doc.iter("h2")]
    assert h2[0] == "1. Välkommen" and h2[-1] == "14. Nästa möte" and len(h2) == 14
    assert "Beslut" in [h.text_content() for h in doc.iter("h3")]
    assert doc.xpath("//p[@class='justering']")[0].text_content() == "Vid anteckningarna: Helene Olofsson."


def test_tables_have_header_cells_with_scope(seed_page: bytes) -> None:
    doc = lxml.html.document_fromstring(seed_page)
    tables = doc.findall(".//table")
    assert [t.findtext("caption") for t in tables] == [None, "Deltagare", "Frånvarande"][:len(tables)]
    for th in doc.iter("th"):
        assert th.get("scope") in ("row", "col")
    people = tables[1]
    assert [th.text_content() for th in people.findall("thead/tr/th")] == ["Namn", "Organisation och roll"]
    assert "Cynthia Runefjärd" in [th.text_content() for th in people.findall("tbody/tr/th")]


def test_nothing_active_and_nothing_from_elsewhere(seed_page: bytes) -> None:
    found = tags(seed_page)
    names = {tag for tag, _ in found}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "form", "base", "svg"}
    for _, attrs in found:
        assert not any(a.startswith("on") or a in ("src", "href", "srcset", "action") for a in attrs)
    style = lxml.html.document_fromstring(seed_page).findtext(".//style")
    assert "url(" not in style and "@import" not in style


def test_text_is_escaped_not_markup() -> None:
    hostile = '<script>alert("x")</script> & <b>fet</b> {{ x }}'
    out = page(context(titel=hostile, punkter=[{"nummer": 1, "rubrik": hostile,
                                                "stycken": [{"stil": "stycke", "text": hostile}]}]))
    assert b"<script" not in out and b"<b>" not in out
    doc = lxml.html.document_fromstring(out)
    assert doc.findtext(".//h1") == hostile and doc.findtext(".//section/p") == hostile


def test_list_paragraphs_become_nested_lists() -> None:
    stycken = [{"stil": s, "text": t} for s, t in [
        ("stycke", "Före"), ("punkt1", "A"), ("punkt2", "A.a"), ("punkt3", "A.a.i"), ("punkt1", "B"),
        ("nummer1", "Ett"), ("nummer2", "Ett.a"), ("nummer1", "Två"), ("beslut", "Efter\nny rad")]]
    doc = lxml.html.fragment_fromstring(page(context(punkter=[{"nummer": 1, "rubrik": "R", "stycken": stycken}])),
                                        create_parent=True)
    section = doc.find(".//section")
    assert [child.tag for child in section] == ["h2", "p", "ul", "ol", "p"]
    ul, ol = section.find("ul"), section.find("ol")
    assert [li.text.strip() for li in ul.findall("li")] == ["A", "B"]
    assert ul.find("li/ul/li").text.strip() == "A.a" and ul.find("li/ul/li/ul/li").text.strip() == "A.a.i"
    assert [li.text.strip() for li in ol.findall("li")] == ["Ett", "Två"]
    assert ol.find("li/ol/li").text.strip() == "Ett.a"
    last = section[-1]
    assert last.get("class") == "beslut" and last.text == "Efter" and last.find("br").tail == "ny rad"


def test_publish_html_holds_the_copy(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    run = kansli("publish", seed_copy, "-o", tmp_path, "--html", "--no-pdf")
    assert run.code == 0, run.err
    html = (tmp_path / "2023-10-27-ledningsgrupp-webb.html").read_bytes()
    doc = lxml.html.document_fromstring(html)
    assert len(list(doc.iter("h2"))) == 14
    assert "Vid anteckningarna: Helene Olofsson. Justerare: Cynthia Runefjärd." in doc.text_content()
