"""docx rendering: text comes out literally, lists restart, properties are set, tags are checked."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.clock import now
from pipeline.defaults import default_template
from pipeline.documents import user_texts
from pipeline.docx import DocProperties, render_docx
from pipeline.docxinfo import document_text
from pipeline.errors import TemplateError
from pipeline.meeting.minutes import minutes_context
from pipeline.meeting.model import Minnesanteckningar

TEMPLATE = default_template("minnesanteckningar.docx")
PROPS = DocProperties(title="Titel", author="Södertörnskommunernas samverkan", created=now())
HOSTILE = ["R&D <2024> \"citat\" 'apostrof'", "{{ organ }} och {% if true %}x{% endif %}",
           "{_{ docxtpl }_} {_% och %_}", "<w:p>inte XML</w:p> &amp; &lt;", "ett\ntvå"]


def _render(data: dict[str, Any], out: Path, template: Path = TEMPLATE) -> Any:
    ctx = minutes_context(Minnesanteckningar.model_validate(data))
    render_docx(template, ctx, out, properties=PROPS, expected=user_texts(ctx))
    return Document(str(out))


def test_hostile_text_comes_out_literally(tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    minutes_data["punkter"][0]["innehåll"] = list(HOSTILE)
    minutes_data["plats"] = "Lokal <Valhall> & {{ plats }}"
    doc = _render(minutes_data, tmp_path / "m.docx")
    paras = [p.text for p in doc.paragraphs]
    for text in HOSTILE:
        assert text in paras
    assert "Lokal <Valhall> & {{ plats }}" in document_text(doc)


def test_numbered_lists_restart_in_every_item(tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    doc = _render(minutes_data, tmp_path / "m.docx")
    num_ids = []
    for p in doc.paragraphs:
        if p.style.name == "List Number":
            num_pr = p._p.pPr.numPr
            num_ids.append((num_pr.numId.val, p.text))
    lists = {}
    for num_id, text in num_ids:
        lists.setdefault(num_id, []).append(text)
    assert [texts[0] for texts in lists.values()] == ["Presentationsrunda", "Uppdatering av hemsidan"]
    numbering = doc.part.numbering_part.element
    for num_id in lists:
        num = numbering.num_having_numId(num_id)
        start = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
        assert start.get(qn("w:val")) == "1"


def test_header_footer_and_properties(tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    doc = _render(minutes_data, tmp_path / "m.docx")
    text = document_text(doc)
    assert text.startswith("SÖDERTÖRNSKOMMUNERNA SAMVERKAR\nwww.sodertornskommunerna.se")
    assert "Minnesanteckningar från Södertörnskommunernas ledningsgrupp, 2023-10-27\tSida" in text
    assert doc.core_properties.title == "Titel"
    assert doc.core_properties.language == "sv-SE"
    styles = zipfile.ZipFile(tmp_path / "m.docx").read("word/styles.xml").decode()
    assert 'w:lang w:val="sv-SE"' in styles


def test_every_template_variable_is_provided(minutes_data: dict[str, Any]) -> None:
    """Every name the template uses at top level exists in the context (StrictUndefined would fail too)."""
    xml = "".join(zipfile.ZipFile(TEMPLATE).read(n).decode() for n in zipfile.ZipFile(TEMPLATE).namelist()
                  if n.startswith("word/") and n.endswith(".xml"))
    text = re.sub(r"<[^>]+>", "", xml)
    used = set(re.findall(r"\{\{\s*([a-z_]+)", text)) | set(re.findall(r"\bin ([a-z_]+)\b", text)) \
        | set(re.findall(r"\{%\S* if ([a-z_]+)", text))
    loop_vars = set(re.findall(r"for ([a-z_]+) in", text))
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    missing = {name for name in used - loop_vars if name not in ctx}
    assert used and not missing


def test_broken_tag_names_template_and_quotes_text(tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    broken = tmp_path / "egen.docx"
    doc = Document(str(TEMPLATE))
    doc.add_paragraph("Signeras av {{ sekreterare }")
    doc.save(str(broken))
    with pytest.raises(TemplateError) as info:
        _render(minutes_data, tmp_path / "m.docx", broken)
    message = str(info.value)
    assert str(broken) in message and "Signeras av" in message


def test_unknown_variable_in_template_is_named(tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    own = tmp_path / "egen.docx"
    doc = Document(str(TEMPLATE))
    doc.add_paragraph("Ordförande: {{ ordforande }}")
    doc.save(str(own))
    with pytest.raises(TemplateError, match="ordforande"):
        _render(minutes_data, tmp_path / "m.docx", own)


def test_not_a_docx_template(tmp_path: Path, minutes_data: dict[str, Any]) -> None:
    fake = tmp_path / "mall.docx"
    fake.write_text("inte en zip", encoding="utf-8")
    with pytest.raises(TemplateError, match="inte ett Word-dokument"):
        _render(minutes_data, tmp_path / "m.docx", fake)


def test_same_input_same_docx_bytes(tmp_path: Path, minutes_data: dict[str, Any],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ctx = minutes_context(Minnesanteckningar.model_validate(minutes_data))
    props = DocProperties(title="T", author="A", created=now())
    import time

    monkeypatch.setattr(time, "time", lambda: 1_750_000_000.0)  # the wall clock differs between runs
    first = render_docx(TEMPLATE, ctx, tmp_path / "a.docx", properties=props)
    monkeypatch.setattr(time, "time", lambda: 1_760_000_000.0)
    second = render_docx(TEMPLATE, ctx, tmp_path / "b.docx", properties=props)
    assert first.read_bytes() == second.read_bytes()
    assert Document(str(first)).core_properties.created.year == 2023
