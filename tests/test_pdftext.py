"""Tests for pipeline.pdftext: page texts and where a piece of text sits on a page."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pdfdraw import Text, draw, signature_page

from pipeline.errors import InputError
from pipeline.pdftext import PdfText, find_text, page_texts


def test_page_texts_in_page_order_with_swedish_letters(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "a.pdf", [[Text("Första sidan", 72, 700)], [Text("Andra sidan: åäö ÅÄÖ", 72, 700)]])
    assert page_texts(pdf) == ["Första sidan", "Andra sidan: åäö ÅÄÖ"]


@pytest.mark.parametrize("scaled_matrix", [False, True], ids=["Tf-size", "Tm-size"])
def test_find_text_gives_the_baseline_start_and_size(tmp_path: Path, scaled_matrix: bool) -> None:
    pdf = draw(tmp_path / "a.pdf", [[Text("Inledning", 72, 700)], signature_page(y=250)],
               scaled_matrix=scaled_matrix)
    (hit,) = find_text(pdf, "Justeras")
    assert hit.page == 1
    assert hit.x == pytest.approx(320.0, abs=0.01)
    assert hit.y == pytest.approx(250.0, abs=0.01)
    assert hit.height == pytest.approx(11.0, abs=0.01)
    assert hit.width == pytest.approx(8 * 5.5, abs=0.01)  # the drawn font is exactly half an em wide


def test_find_text_inside_a_run_estimates_the_offset(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "a.pdf", [[Text("Protokollet Justeras", 100, 400, 10)]])
    (hit,) = find_text(pdf, "Justeras")
    assert hit.x == pytest.approx(100 + 12 * 5.0, abs=0.01)


def test_find_text_across_runs_of_one_line(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "a.pdf", [[Text("Vid", 72, 400), Text("anteckningarna", 72 + 4 * 5.5, 400)]])
    (hit,) = find_text(pdf, "Vid anteckningarna")
    assert hit.x == pytest.approx(72.0) and hit.y == pytest.approx(400.0)


def test_find_text_every_occurrence_in_reading_order(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "a.pdf", [[Text("Justeras", 72, 700), Text("Justeras", 72, 300)],
                                    [Text("Justeras", 300, 500)]])
    assert [(h.page, h.y) for h in find_text(pdf, "Justeras")] == [(0, 700), (0, 300), (1, 500)]


def test_find_text_missing_needle_gives_nothing(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "a.pdf", [signature_page()])
    assert find_text(pdf, "Ordförande") == []
    assert find_text(pdf, "justeras") == []  # case matters


def test_pdftext_reads_each_page_lazily(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "a.pdf", [[Text("Ett", 72, 700)], [Text("Två", 72, 700)], [Text("Tre", 72, 700)]])
    text = PdfText(pdf)
    assert [h.page for h in text.find("Tre", [2])] == [2]
    assert set(text._fragments) == {2}
    assert text.mediabox(0) == (0.0, 0.0, 595.0, 842.0)


def test_not_a_pdf_is_an_input_error(tmp_path: Path) -> None:
    bogus = tmp_path / "inte.pdf"
    bogus.write_text("hej", encoding="utf-8")
    with pytest.raises(InputError, match="ingen läsbar PDF"):
        page_texts(bogus)
    with pytest.raises(InputError, match="finns inte"):
        find_text(tmp_path / "saknas.pdf", "x")


@pytest.mark.libreoffice
def test_find_text_in_a_libreoffice_pdf(tmp_path: Path) -> None:
    from pipeline.engines.libreoffice import LibreOfficeEngine

    document = docx.Document()
    document.add_paragraph("Mötet avslutades.")
    table = document.add_table(rows=4, cols=2)
    table.rows[0].cells[0].text = "Vid anteckningarna"
    table.rows[0].cells[1].text = "Justeras"
    table.rows[3].cells[0].text = "Anna Andersson"
    table.rows[3].cells[1].text = "Bertil Berg"
    document.save(str(tmp_path / "block.docx"))
    pdf = LibreOfficeEngine().convert(tmp_path / "block.docx", tmp_path / "block.pdf")
    (left,) = find_text(pdf, "Vid anteckningarna")
    (right,) = find_text(pdf, "Justeras")
    (name,) = find_text(pdf, "Anna Andersson")
    assert left.y == pytest.approx(right.y, abs=0.5)
    assert right.x > left.x + left.width
    assert name.y < left.y - 2 * left.height  # the blank rows sit between label and name
    assert "Mötet avslutades." in page_texts(pdf)[0]
