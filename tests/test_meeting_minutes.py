"""Model → context: Swedish dates and times, participant lines, assignments, next meeting."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pipeline.meeting.minutes import assignment_sentence, minutes_context, person_detail
from pipeline.meeting.model import Assignment, Minnesanteckningar, Person


def test_time_line_is_swedish(minutes_data: dict[str, Any]) -> None:
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    assert ctx["tid"] == "Fredag den 27 oktober kl 08.30-11.00"
    assert ctx["titel"] == "Minnesanteckningar från Södertörnskommunernas ledningsgrupp"


def test_items_are_numbered_from_their_order(minutes_data: dict[str, Any]) -> None:
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    assert [p["nummer"] for p in ctx["punkter"]] == list(range(1, 15))
    assert ctx["punkter"][-1]["rubrik"] == "Nästa möte"
    assert ctx["punkter"][-1]["stycken"][0]["text"].startswith(
        "Nästa möte hålls fredag 15 december, kl 08.30-11.00 i Folkes i Huddinge Centrum. Mötet avslutas")


def test_person_detail() -> None:
    assert person_detail(Person(namn="M G", organisation="Södertälje", roll="ordförande")) == "Södertälje, ordförande"
    assert person_detail(Person(namn="K T", organisation="Nynäshamn", digitalt=True)) == "Nynäshamn (digitalt)"
    assert person_detail(Person(namn="X Y")) == ""


def test_assignment_reads_as_a_sentence() -> None:
    a = Assignment(vem="Helene Olofsson", att="att boka in datumen i Outlook", senast=date(2023, 12, 15))
    assert assignment_sentence(a) == "Helene Olofsson får i uppdrag att boka in datumen i Outlook senast den 15 december 2023."
    assert assignment_sentence(Assignment(vem="A", att="ringa B!")) == "A får i uppdrag att ringa B!"


def test_decisions_are_labelled_and_indented(minutes_data: dict[str, Any]) -> None:
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    item5 = ctx["punkter"][4]["stycken"]
    assert [p["stil"] for p in item5] == ["stycke", "etikett", "beslut"]
    assert item5[1]["text"] == "Beslut"
    assert item5[2]["text"].startswith("Helene Olofsson får i uppdrag att kontakta ordförande")


def test_nested_bullets_keep_their_level(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][0]["innehåll"] = [{"punktlista": ["a", {"text": "b", "underpunkter": ["c", {"text": "d", "underpunkter": ["e"]}]}]}]
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    assert [(p["stil"], p["text"]) for p in ctx["punkter"][0]["stycken"]] == [
        ("punkt1", "a"), ("punkt1", "b"), ("punkt2", "c"), ("punkt2", "d"), ("punkt3", "e")]


def test_the_outstanding_label_is_said_once(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][2]["innehåll"] = [{"utestående": ["Utestående ärenden:", "Boka möte", "Skicka PM"]}]
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    assert [(p["stil"], p["text"]) for p in ctx["punkter"][2]["stycken"]] == [
        ("stycke", "Utestående ärenden:"), ("punkt1", "Boka möte"), ("punkt1", "Skicka PM")]


def test_a_follow_up_reads_as_a_line(minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][2]["innehåll"] = [{"uppföljning": [
        {"uppdrag": "2023-09-01/5", "status": "klart", "text": "Konsult anlitad."},
        {"uppdrag": "2023-09-01/7.2", "status": "pågår"}]}]
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    assert [p["text"] for p in ctx["punkter"][2]["stycken"]] == [
        "Uppdrag 2023-09-01/5: klart. Konsult anlitad.", "Uppdrag 2023-09-01/7.2: pågår."]


def test_the_template_keeps_labels_with_what_follows_and_spaces_after_lists() -> None:
    import zipfile

    from lxml import etree

    from pipeline.defaults import default_template

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name in ("minnesanteckningar.docx", "protokollsutdrag.docx"):
        with zipfile.ZipFile(default_template(name)) as z:
            styles = etree.fromstring(z.read("word/styles.xml"))
        by_name = {s.find(f"{w}name").get(f"{w}val"): s for s in styles.iter(f"{w}style")}
        assert by_name["Etikett"].find(f"{w}pPr/{w}keepNext") is not None  # "Beslut" stays with its text
        for style in ("List Number", "List Bullet"):  # items close together, space after the list
            assert by_name[style].find(f"{w}pPr/{w}contextualSpacing") is not None


def test_every_item_heading_starts_its_text_at_one_indent(tmp_path: Any) -> None:
    from conftest import SEED_MINUTES_JSON

    from pipeline.cli import main
    from pipeline.pdftext import find_text

    assert main(["minutes", str(SEED_MINUTES_JSON), "-o", str(tmp_path)]) == 0
    pdf = tmp_path / "2023-10-27-ledningsgrupp.pdf"
    m = Minnesanteckningar.model_validate_json(SEED_MINUTES_JSON.read_text(encoding="utf-8"))
    starts = {}
    for number, rubrik in enumerate([item.rubrik for item in m.punkter] + ["Nästa möte"], start=1):
        hits = [h for h in find_text(pdf, rubrik) if h.height >= 11.5]  # the heading, 12 pt, not the text
        assert hits, rubrik
        starts[number] = round(hits[0].x, 1)
    assert max(starts.values()) - min(starts.values()) < 0.5, starts  # items 1–9 and 10–14 alike


def test_a_numbered_list_three_deep_keeps_its_third_level(minutes_data: dict[str, Any], tmp_path: Any) -> None:
    """Level three was drawn as level two: "1. Andra-a  2. Tredje nivån" read as siblings."""
    from conftest import pdf_text, squash

    from pipeline.cli import main
    from pipeline.pdftext import find_text

    minutes_data["punkter"][0]["innehåll"] = [{"numrerad_lista": [
        "Första", {"text": "Andra", "underpunkter": [{"text": "Andra-a", "underpunkter": ["Tredje nivån"]}]}, "Sista"]}]
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    assert [p["stil"] for p in ctx["punkter"][0]["stycken"]] == ["nummer1", "nummer1", "nummer2", "nummer3", "nummer1"]
    source = tmp_path / "tre-nivaer.json"
    source.write_text(json.dumps(minutes_data, ensure_ascii=False), encoding="utf-8")
    assert main(["minutes", str(source), "-o", str(tmp_path)]) == 0
    pdf = tmp_path / "tre-nivaer.pdf"
    assert "2. Andra 1. Andra-a 1. Tredje nivån 3. Sista" in squash(pdf_text(pdf))
    x = {text: find_text(pdf, text)[0].x for text in ("Första", "Andra-a", "Tredje nivån")}
    assert x["Första"] < x["Andra-a"] < x["Tredje nivån"]
