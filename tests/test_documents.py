"""The document registry: every entry resolves, and a new document is one module and one registry line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_MINUTES_JSON, Run, docx_text, pdf_text

from pipeline import documents
from pipeline.contracts import contract_entry
from pipeline.documents import REGISTRY, Document, Entry, Options, Param, Properties, SignatureSpot
from pipeline.errors import UsageError
from pipeline.meeting.minutes import minutes_context
from pipeline.meeting.model import Minnesanteckningar
from pipeline.road import contract, document


@pytest.mark.parametrize("item", REGISTRY, ids=[item.name for item in REGISTRY])
def test_every_entry_names_a_document_of_a_known_contract(item: Entry) -> None:
    made = document(item)
    assert isinstance(made, Document)
    assert contract(contract_entry(item.contract)).model is not None
    if item.word:  # a Word document has its template and what it says about itself
        assert made.template is not None and made.properties is not None
    else:
        assert made.template is None


def test_names_are_unique_and_unknown_ones_are_refused() -> None:
    names = [item.name for item in REGISTRY]
    assert len(names) == len(set(names))
    with pytest.raises(UsageError, match="okänt dokument 'protokoll'; välj ett av: minutes"):
        documents.entry("protokoll")


def test_the_help_lists_every_document(kansli: Callable[..., Run]) -> None:
    run = kansli("--help")
    for item in REGISTRY:
        assert f"  {item.name} " in run.out


# A document written the way a newcomer would add one: this module and one registry line.

def _attendance_properties(m: Minnesanteckningar, options: Options) -> Properties:
    return Properties(title=f"Närvarolista {m.datum.isoformat()}", subject="Närvarolista", keywords=m.organ)


def _attendance_context(m: Minnesanteckningar, options: Options) -> dict[str, Any]:
    context = minutes_context(m)
    return {**context, "titel": str(options.get("rubrik") or f"Närvarolista från {m.organ}"), "punkter": []}


ATTENDANCE: Document[Minnesanteckningar] = Document(
    template="minnesanteckningar.docx", properties=_attendance_properties, context=_attendance_context,
    stem=lambda source, m, options: f"{source.stem}-närvaro")

ATTENDANCE_ENTRY = Entry(
    "närvaro", "meeting", "närvarolista", "Närvarolista: vilka som var med.", f"{__name__}:ATTENDANCE",
    params=(Param("rubrik", ("--rubrik",), "Egen rubrik.", kind="text"),),
    signatures=(SignatureSpot("Justeras", "Justeras"),))


def test_a_new_document_needs_no_change_in_the_faces(kansli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    monkeypatch.setattr(documents, "REGISTRY", (*REGISTRY, ATTENDANCE_ENTRY))
    assert "närvaro" in kansli("--help").out
    run = kansli("närvaro", SEED_MINUTES_JSON, "-o", tmp_path, "--rubrik", "Vilka kom & vilka inte")
    assert run.code == 0, run.err
    pdf = tmp_path / "2023-10-27-ledningsgrupp-närvaro.pdf"
    assert (tmp_path / "2023-10-27-ledningsgrupp-närvaro.docx").is_file()
    text = pdf_text(pdf)
    assert "Vilka kom & vilka inte" in text and "Cynthia Runefjärd" in text
    assert "Val av justerare" not in text  # the document chose to leave out the agenda

    import pikepdf

    with pikepdf.open(pdf) as doc:
        assert [str(f.T) for f in doc.Root.AcroForm.Fields] == ["Justeras"]


def _shout(m: Minnesanteckningar, options: Options) -> tuple[Minnesanteckningar, list[str]]:
    return m.model_copy(update={"organ": m.organ.upper()}), [f"organ: {m.organ} → {m.organ.upper()}"]


def test_a_document_may_prepare_the_model_and_say_what_it_changed(
        kansli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    loud = Document(template="minnesanteckningar.docx", properties=_attendance_properties, prepare=_shout,
                    context=lambda m, options: minutes_context(m))
    monkeypatch.setattr(documents, "REGISTRY", (*REGISTRY, Entry("högt", "meeting", "högt", "Högt.", "x:y")))
    monkeypatch.setattr("pipeline.road.document", lambda item: loud)
    out = tmp_path / "ut"
    run = kansli("högt", SEED_MINUTES_JSON, "-o", out, "--check")
    assert run.code == 0, run.err
    assert "organ: Södertörnskommunernas ledningsgrupp → SÖDERTÖRNSKOMMUNERNAS LEDNINGSGRUPP" in run.out
    assert not out.exists()  # --check writes nothing, not even the folder
    run = kansli("högt", SEED_MINUTES_JSON, "-o", out, "--no-pdf")
    assert run.code == 0 and "SÖDERTÖRNSKOMMUNERNAS LEDNINGSGRUPP" in docx_text(out / "2023-10-27-ledningsgrupp.docx")
