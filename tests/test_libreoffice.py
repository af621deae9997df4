"""Tests for the libreoffice engine: availability, PDF/A and tags, updated indexes, failures."""

from __future__ import annotations

import logging
import re
import shutil
import threading
import zipfile
from pathlib import Path

import docx
import pdfcheck
import pikepdf
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from pipeline.engines import libreoffice
from pipeline.engines.base import get_engine
from pipeline.engines.libreoffice import MISSING, LibreOfficeEngine
from pipeline.errors import EngineError, EngineUnavailable, KansliError
from pipeline.pdftext import page_texts

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def simple_docx(path: Path, text: str = "Räksmörgås åäö ÅÄÖ") -> Path:
    document = docx.Document()
    document.add_heading("Minnesanteckningar", 1)
    document.add_paragraph(text)
    document.save(str(path))
    return path


def toc_docx(path: Path) -> Path:
    """Write a .docx whose table of contents still shows a stale placeholder, headings on pages 2-4."""
    document = docx.Document()
    document.add_paragraph("Innehåll")
    paragraph = document.add_paragraph()
    for xml in (f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {W}><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>',
                f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {W}><w:t>Inaktuell förteckning</w:t></w:r>',
                f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))  # type: ignore[arg-type]  # python-docx's stubs know only CT_ types
    for heading in ("Ekonomi", "Personal", "Övrigt"):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(heading, 1)
        document.add_paragraph(f"Text om {heading.lower()}.")
    document.save(str(path))
    return path


def test_registered_under_its_name() -> None:
    engine = get_engine("libreoffice")
    assert isinstance(engine, LibreOfficeEngine)
    assert engine.name == "libreoffice"


def test_missing_soffice_is_a_clear_swedish_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KANSLI_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineUnavailable) as info:
        LibreOfficeEngine().check()
    assert str(info.value) == MISSING
    assert "libreoffice-writer" in MISSING and "--engine builtin" in MISSING
    with pytest.raises(EngineUnavailable):
        LibreOfficeEngine().convert(simple_docx(tmp_path / "a.docx"), tmp_path / "a.pdf")


@pytest.mark.parametrize("uno", [True, False], ids=["via-uno", "plain-convert-to"])
def test_soffice_that_writes_nothing_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 uno: bool) -> None:
    if not uno:
        monkeypatch.setattr(libreoffice, "find_uno_python", lambda soffice: None)
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("KANSLI_SOFFICE", str(fake))
    with pytest.raises(EngineError, match="startade inte.*slutkod 0|skrev ingen PDF"):
        LibreOfficeEngine(start_timeout=5).convert(simple_docx(tmp_path / "a.docx"), tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


def test_not_a_docx_is_refused_before_soffice_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("KANSLI_SOFFICE", str(fake))
    text = tmp_path / "anteckningar.docx"
    text.write_text("det här är ingen docx", encoding="utf-8")
    (result, missing) = LibreOfficeEngine().convert_many(
        [(text, tmp_path / "ut" / "a.pdf"), (tmp_path / "saknas.docx", tmp_path / "ut" / "b.pdf")])
    assert isinstance(result, EngineError) and "ingen .docx" in str(result)
    assert isinstance(missing, EngineError) and "finns inte" in str(missing)


@pytest.mark.libreoffice
def test_pdf_is_pdfa2b_tagged_with_fonts_embedded(tmp_path: Path) -> None:
    pdf = LibreOfficeEngine().convert(simple_docx(tmp_path / "a.docx"), tmp_path / "ut" / "a.pdf")
    with pikepdf.open(pdf) as doc:
        meta = doc.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "B"
        marked = doc.Root.MarkInfo.Marked
        assert isinstance(marked, bool) and marked
        assert "/StructTreeRoot" in doc.Root
        assert doc.Root.OutputIntents[0].S == "/GTS_PDFA1"
    fonts = pdfcheck.fonts(pdf)
    assert fonts and all(font.embedded for font in fonts), fonts
    assert "Räksmörgås åäö ÅÄÖ" in page_texts(pdf)[0]


def structure_types(pdf: Path) -> set[str]:
    """Return the structure element types (/S) in the tag tree of *pdf*, role-mapped names as written."""
    found: set[str] = set()
    with pikepdf.open(pdf) as doc:
        stack = [doc.Root.StructTreeRoot.get("/K")]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    found.add(str(node.S).lstrip("/"))
                stack.append(node.get("/K"))
    return found


@pytest.mark.libreoffice
def test_tagged_pdf_has_headings_and_table_header_cells(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Budget", 1)
    table = document.add_table(rows=3, cols=2)
    for row, texts in zip(table.rows, [("Post", "Belopp"), ("Lokal", "100 kr"), ("Fika", "50 kr")], strict=True):
        row.cells[0].text, row.cells[1].text = texts
    header = parse_xml(f'<w:tblHeader {W} w:val="true"/>')
    table.rows[0]._tr.get_or_add_trPr().append(header)
    document.save(str(tmp_path / "budget.docx"))
    pdf = LibreOfficeEngine().convert(tmp_path / "budget.docx", tmp_path / "budget.pdf")
    assert {"H1", "Table", "TR", "TH", "TD"} <= structure_types(pdf)


@pytest.mark.libreoffice(uno=True)
def test_table_of_contents_is_updated_before_export(tmp_path: Path) -> None:
    pdf = LibreOfficeEngine().convert(toc_docx(tmp_path / "toc.docx"), tmp_path / "toc.pdf")
    first = page_texts(pdf)[0]
    assert "Inaktuell förteckning" not in first
    pages = [re.search(rf"{heading}[ .\u2026]*(\d+)", first) for heading in ("Ekonomi", "Personal", "Övrigt")]
    assert [m.group(1) if m else None for m in pages] == ["2", "3", "4"]


@pytest.mark.libreoffice
def test_without_uno_plain_export_still_gives_pdfa(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(libreoffice, "find_uno_python", lambda soffice: None)
    with caplog.at_level(logging.WARNING, logger="pipeline.engines.libreoffice"):
        pdf = LibreOfficeEngine().convert(toc_docx(tmp_path / "toc.docx"), tmp_path / "toc.pdf")
    assert "python3-uno saknas" in caplog.text
    with pikepdf.open(pdf) as doc:
        assert doc.open_metadata()["pdfaid:part"] == "2"
    assert "Inaktuell förteckning" in page_texts(pdf)[0]  # what plain --convert-to leaves behind


@pytest.mark.libreoffice
def test_batch_reports_each_document_and_goes_on(tmp_path: Path) -> None:
    good = [simple_docx(tmp_path / f"dok{i}.docx", f"Dokument nummer {i}") for i in range(3)]
    broken = tmp_path / "trasig.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("x.txt", "ingen word-fil")
    earlier = tmp_path / "ut" / "trasig.pdf"
    earlier.parent.mkdir()
    earlier.write_bytes(b"%PDF-1.7 en tidigare, hel fil")
    out = tmp_path / "ut"
    docs = [good[0], broken, good[1], good[2]]
    results = LibreOfficeEngine().convert_many([(doc, out / f"{doc.stem}.pdf") for doc in docs])
    assert isinstance(results[1], EngineError)
    assert earlier.read_bytes() == b"%PDF-1.7 en tidigare, hel fil"  # a failure touches no earlier file
    assert sorted(p.name for p in earlier.parent.iterdir()) == ["dok0.pdf", "dok1.pdf", "dok2.pdf", "trasig.pdf"]
    for index, result in zip((0, 1, 2), (results[0], results[2], results[3]), strict=True):
        assert isinstance(result, Path)
        assert f"Dokument nummer {index}" in page_texts(result)[0]


@pytest.mark.libreoffice
def test_two_runs_at_once_both_convert(tmp_path: Path) -> None:
    """Each run has its own profile; with a shared one the second soffice would write nothing."""
    results: dict[int, Path | KansliError] = {}

    def run(i: int) -> None:
        try:
            results[i] = LibreOfficeEngine().convert(simple_docx(tmp_path / f"p{i}.docx", f"Parallell {i}"),
                                                     tmp_path / f"p{i}.pdf")
        except KansliError as exc:  # collected and asserted on below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i in range(2):
        result = results[i]
        assert isinstance(result, Path), result
        assert f"Parallell {i}" in page_texts(result)[0]


@pytest.mark.libreoffice
def test_timeout_stops_soffice_with_a_clear_error(tmp_path: Path) -> None:
    engine = LibreOfficeEngine(start_timeout=0.01, timeout=0.0)
    with pytest.raises(EngineError, match="svarade inte|startade inte"):
        engine.convert(simple_docx(tmp_path / "a.docx"), tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


def test_find_soffice_honours_the_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KANSLI_SOFFICE", str(tmp_path / "finns-inte"))
    assert libreoffice.find_soffice() is None
    real = shutil.which("true")
    assert real is not None
    monkeypatch.setenv("KANSLI_SOFFICE", real)
    assert libreoffice.find_soffice() == Path(real)
