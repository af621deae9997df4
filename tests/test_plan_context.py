"""Plan context: numbered headings, Swedish dates and amounts, and a template that gets every variable."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from wordmatch import match_ratio

from pipeline.docx import DocProperties, Picture, render_docx
from pipeline.docxinfo import document_text
from pipeline.errors import KansliError
from pipeline.plan.context import expected_texts, headings, plan_context
from pipeline.plan.model import Verksamhetsplan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "plan" / "verksamhetsplan-2026.json"
TEMPLATE = ROOT / "templates" / "verksamhetsplan.docx"
SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_4c505e271257d39c.txt"


@pytest.fixture
def plan() -> Verksamhetsplan:
    """Return the example plan."""
    return Verksamhetsplan.model_validate_json(EXAMPLE.read_text(encoding="utf-8"), context={"source": EXAMPLE})


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | Picture)


def test_context_is_plain_data(plan: Verksamhetsplan) -> None:
    assert _plain(plan_context(plan))


def test_headings_are_numbered_from_order(plan: Verksamhetsplan) -> None:
    assert headings(plan) == ["1. Om verksamhetsplanen 2026", "2. Utvecklingsaktiviteter", "3. Kansliets uppdrag",
                              "4. Organisation", "5. Kalendarium för möten", "6. Budget"]


def test_page_numbers_go_into_the_contents(plan: Verksamhetsplan) -> None:
    blank = plan_context(plan)
    assert [e["sida"] for e in blank["toc"]] == [""] * 6
    ctx = plan_context(plan, toc_pages={"6. Budget": 7}, appendix_pages=[8, 11])
    assert ctx["toc"][-1] == {"text": "6. Budget", "sida": "7"}
    assert [(b["etikett"], b["sida"]) for b in ctx["bilagor"]] == [("Bilaga 1", "8"), ("Bilaga 2", "11")]


def test_budget_amounts_in_swedish(plan: Verksamhetsplan) -> None:
    budget = plan_context(plan)["budget"]
    assert budget["intakter"] == [{"rad": "Avgifter från kommunerna", "belopp": "2 102 500 kr"}]
    assert budget["intakter_summa"] == budget["kostnader_summa"] == "2 102 500 kr"
    assert budget["kostnader"][0] == {"rad": "Personalkostnader*", "belopp": "1 400 000 kr"}
    assert budget["fotnoter"][0].startswith("*Kostnaden baseras på Strateg 100% arbetstid")
    assert budget["invanare"] == "525 625" and budget["invanare_datum"] == "31 december 2025"


def test_calendar_lines_read_like_the_seed(plan: Verksamhetsplan) -> None:
    cal = plan_context(plan)["kalendarium"]
    first, second = cal["grupper"]
    assert first["rubrik"] == "Samarbetskommittén (torsdagar kl 13.00-15.00)"
    assert first["moten"] == ["22 januari, planeringskonferens, Tyresö slott", "23 april, fysiskt möte, plats inte bestämd",
                              "5 november, fysiskt möte, plats inte bestämd"]
    assert second["rubrik"] == "Ledningsgruppen (fredagar kl 09.00-11.30 i Huddinge kommunhus om inte annat anges)"
    assert second["moten"][0] == "6 februari, Storsthlm's lokaler"


def test_organisation_becomes_a_chapter(plan: Verksamhetsplan) -> None:
    chapter = plan_context(plan)["kapitel"][3]
    assert chapter["rubrik"] == "4. Organisation"
    assert [b["text"] for b in chapter["block"]] == [
        "Ordförande i samarbetskommittén år 2026 är Tyresö kommun och vice ordförande Haninge kommun.",
        "Ordförande i ledningsgruppen är Magnus Gyllestad, Södertälje kommun."]


def test_every_table_cell_has_a_paragraph(plan: Verksamhetsplan) -> None:
    for chapter in plan_context(plan)["kapitel"]:
        for block in chapter["block"]:
            if block["typ"] == "aktiviteter":
                for row in block["rader"]:
                    assert row["aktivitet"] and row["kommentar"]


def test_goal_statement_lines(plan: Verksamhetsplan) -> None:
    goal = plan_context(plan)["kapitel"][1]["block"][5]
    assert goal == {"typ": "mål", "niva": "långsiktigt", "rubrik": "Långsiktigt mål: Omställning",
                    "text": "Södertörn leder vägen i omställningen mot ett hållbart transportsystem",
                    "delmal": ["Delmål: Heltäckande och god laddinfrastruktur på Södertörn"],
                    "ansvar": "Ansvar: Nätverket för klimatstrategier"}


def test_per_municipality_fees(plan: Verksamhetsplan) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del data["budget"]["invånare"]
    data["budget"]["invånare_per_kommun"] = {"Nykvarn": 11_000, "Salem": 17_500}
    budget = plan_context(Verksamhetsplan.model_validate(data))["budget"]
    assert budget["per_kommun"] == [{"kommun": "Nykvarn", "invanare": "11 000", "avgift": "44 000 kr"},
                                    {"kommun": "Salem", "invanare": "17 500", "avgift": "70 000 kr"}]
    assert budget["per_kommun_summa"] == budget["avgift"] == "114 000 kr"


def test_template_renders_every_word_of_the_plan(plan: Verksamhetsplan, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    props = DocProperties(title=plan.full_title, author=plan.organisation, created=datetime(2026, 1, 22))
    render_docx(TEMPLATE, plan_context(plan, toc_pages={h: 3 for h in headings(plan)}), out,
                properties=props, expected=expected_texts(plan))
    doc = Document(str(out))
    text = document_text(doc)
    seed_plan = SEED.read_text(encoding="utf-8").split("Samarbetsavtal om Södertörnskommunernas")[0]
    assert match_ratio(seed_plan, text) >= 0.95
    assert text.count("2 102 500 kr") == 3
    assert not re.search(r"\{[{%]|[%}]\}", text), "a template tag was left in the document"
    assert doc.core_properties.language == "sv-SE" and doc.core_properties.title == plan.full_title


def test_template_has_a_real_toc_field_and_repeating_header_rows() -> None:
    xml = Document(str(TEMPLATE)).element.xml
    assert 'TOC \\o "1-3" \\h' in xml
    assert "w:tblHeader" in xml
    assert 'w:lang w:val="sv-SE"' in Document(str(TEMPLATE)).styles.element.xml


def test_footnote_marks_follow_the_table_order() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["budget"]["intäkter"] = [{"rad": "Bidrag", "belopp": 1000, "fotnot": "Från regionen."}]
    data["budget"]["kostnader"][3]["fotnot"] = "Se aktiviteten i kapitel 3."
    budget = plan_context(Verksamhetsplan.model_validate(data))["budget"]
    assert budget["intakter"][1]["rad"] == "Bidrag*"
    assert [c["rad"] for c in budget["kostnader"]][:4] == ["Personalkostnader**", "Möten", "Hemsidan, IT mm",
                                                           "Konsultstöd***"]
    assert [f.split("ä")[0][:4] for f in budget["fotnoter"]] == ["*Frå", "**Ko", "***S"]


def test_a_lost_text_stops_the_rendering(plan: Verksamhetsplan, tmp_path: Path) -> None:
    context = plan_context(plan)
    context["kalendarium"] = None  # as if a template dropped the calendar
    props = DocProperties(title=plan.full_title, author=plan.organisation, created=datetime(2026, 1, 22))
    with pytest.raises(KansliError, match="text försvann"):
        render_docx(TEMPLATE, context, tmp_path / "plan.docx", properties=props, expected=expected_texts(plan))
    assert "22 januari, planeringskonferens, Tyresö slott" in expected_texts(plan)


def test_lists_in_a_chapter_render_with_list_styles_and_restart(plan: Verksamhetsplan, tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["kapitel"][0]["innehåll"] += [
        {"numrerad_lista": ["Först", {"text": "Sedan", "underpunkter": ["Under"]}]},
        "Mellan listorna.",
        {"numrerad_lista": ["Igen först"]},
        {"mål": "vision", "text": "Södertörn leder Sveriges starka och hållbara tillväxt"},
    ]
    changed = Verksamhetsplan.model_validate(data, context={"source": EXAMPLE})
    out = tmp_path / "plan.docx"
    props = DocProperties(title=plan.full_title, author=plan.organisation, created=datetime(2026, 1, 22))
    render_docx(TEMPLATE, plan_context(changed), out, properties=props, expected=expected_texts(changed))
    paragraphs = {p.text: p for p in Document(str(out)).paragraphs}
    assert paragraphs["Först"].style.name == "List Number"
    assert paragraphs["Under"].style.name == "List Number 2"
    assert paragraphs["Vision"].style.name == "Målrubrik"

    def num_id(text: str) -> str:
        return paragraphs[text]._p.pPr.numPr.numId.val  # type: ignore[no-any-return]

    assert num_id("Först") == num_id("Sedan") != num_id("Igen först")


def test_the_adoption_line_only_when_the_file_has_it(plan_data: dict[str, Any]) -> None:
    plan_data["beslutad"] = {"av": "samarbetskommittén", "datum": "2025-12-05"}
    plan = Verksamhetsplan.model_validate(plan_data)
    assert plan_context(plan)["beslutad"] == "Beslutad av samarbetskommittén den 5 december 2025"
    assert "Beslutad av samarbetskommittén den 5 december 2025" in expected_texts(plan)
    del plan_data["beslutad"]
    assert plan_context(Verksamhetsplan.model_validate(plan_data))["beslutad"] == ""
