"""The whole minutes recipe on the seed: the seed's words, fonts, signature fields, both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfcheck
import pytest
from conftest import SEED_MINUTES_JSON, SEED_MINUTES_TEXT
from docx import Document
from pypdf import PdfReader
from wordmatch import match_ratio, missing

from pipeline.api import build
from pipeline.docxinfo import document_text
from pipeline.pdftext import find_text, page_texts

SEED = SEED_MINUTES_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:

    out = tmp_path_factory.mktemp("ut")
    result = build("minutes", SEED_MINUTES_JSON, out)
    assert result.warnings == []
    return {p.suffix: p for p in result.outputs}


def test_docx_holds_the_seed_words_in_order(built: dict[str, Path]) -> None:
    text = document_text(Document(str(built[".docx"])))
    ratio = match_ratio(SEED, text)
    assert ratio >= 0.97, missing(SEED, text)


def test_pdf_holds_the_seed_words_in_order(built: dict[str, Path]) -> None:
    text = "\n".join(page_texts(built[".pdf"]))
    ratio = match_ratio(SEED, text)
    assert ratio >= 0.97, missing(SEED, text)
    assert "Fredag den 27 oktober kl 08.30-11.00" in text


def test_every_font_is_embedded(built: dict[str, Path]) -> None:
    fonts = pdfcheck.fonts(built[".pdf"])
    assert fonts and all(font.embedded for font in fonts), fonts


def test_two_signature_fields_on_the_signature_page(built: dict[str, Path]) -> None:
    reader = PdfReader(built[".pdf"])
    label_page = find_text(built[".pdf"], "Justeras")[-1].page
    fields = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                fields[str(annot["/T"])] = index
    assert fields == {"Vid anteckningarna": label_page, "Justeras": label_page}


def test_qpdf_check_is_clean(built: dict[str, Path]) -> None:
    assert pdfcheck.check(built[".pdf"]) == []


@pytest.mark.libreoffice
def test_libreoffice_and_builtin_agree(built: dict[str, Path], tmp_path: Path) -> None:
    from conftest import SEED_MINUTES_JSON

    lo = build("minutes", SEED_MINUTES_JSON, tmp_path, engine="libreoffice")
    lo_pdf = next(p for p in lo.outputs if p.suffix == ".pdf")
    lo_text = "\n".join(page_texts(lo_pdf))
    ours = "\n".join(page_texts(built[".pdf"]))
    assert match_ratio(SEED, lo_text) >= 0.97
    assert match_ratio(lo_text, ours) >= 0.97
    assert abs(len(PdfReader(lo_pdf).pages) - len(PdfReader(built[".pdf"]).pages)) <= 1


def test_check_data_gives_every_problem_with_its_field_as_steps(minutes_data: dict[str, Any]) -> None:
    from pipeline.api import check_data

    minutes_data["justerare"] = "Cynthia Runefjärdh"
    minutes_data["punkter"][3]["innehåll"][0] = {"rubrik": 5}
    made, problems = check_data(minutes_data, SEED_MINUTES_JSON)
    assert made is None  # does not validate: the type error is reported, the rules wait
    assert [p.loc for p in problems] == [("punkter", 3, "innehåll", 0, "rubrik")]
    minutes_data["punkter"][3]["innehåll"][0] = {"rubrik": "Mötesplanering 2024"}
    made, problems = check_data(minutes_data, SEED_MINUTES_JSON)
    assert made is not None and made.name == "minutes"
    (problem,) = problems
    assert problem.loc == ("justerare",) and not problem.warning and "Cynthia Runefjärdh" in problem.message
