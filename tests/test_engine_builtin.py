"""The builtin engine: what a reader of the PDF would check (text, fonts, pages, numbers, links)."""

from __future__ import annotations

import logging
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import builders as b
import pdfcheck
import pypdf
import pytest
from conftest import needs
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from pipeline.engines import get_engine
from pipeline.engines.builtin import BuiltinEngine
from pipeline.errors import EngineError


def convert(docx: Path) -> pypdf.PdfReader:
    pdf = docx.with_suffix(".pdf")
    assert BuiltinEngine().convert(docx, pdf) == pdf
    return pypdf.PdfReader(str(pdf))


def texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_registry_finds_the_builtin_engine() -> None:
    engine = get_engine("builtin")
    assert engine.name == "builtin"
    engine.check()


def test_text_in_order_with_swedish_letters(tmp_path: Path) -> None:
    doc = b.Document()
    doc.add_heading("Protokoll för Ölands kommunförbund", level=1)
    words = ["Åsa", "Äng", "Öst", "skärgården", "räksmörgås", "citat «så»", "tankstreck – och €"]
    for word in words:
        doc.add_paragraph(f"Stycket om {word}.")
    reader = convert(b.save(doc, tmp_path / "text.docx"))
    text = squash(" ".join(texts(reader)))
    positions = [text.index(f"Stycket om {w}.") for w in words]
    assert positions == sorted(positions)
    assert "Protokoll för Ölands kommunförbund" in text


def test_every_font_is_embedded(tmp_path: Path) -> None:
    doc = b.Document()
    para = doc.add_paragraph("Vanlig, ")
    para.add_run("fet, ").bold = True
    para.add_run("kursiv, ").italic = True
    run = para.add_run("Times och Courier")
    run.font.name = "Times New Roman"
    doc.add_paragraph("Kod").runs[0].font.name = "Courier New"
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "i en tabell"
    convert(b.save(doc, tmp_path / "fonts.docx"))
    found = pdfcheck.fonts(tmp_path / "fonts.pdf")
    assert found and all(font.embedded for font in found), found


@pytest.mark.parametrize("simple", [False, True])
def test_footer_page_numbers(tmp_path: Path, simple: bool) -> None:
    doc = b.Document()
    b.page_footer(doc, simple=simple)
    doc.sections[0].header.paragraphs[0].text = "Sidhuvud för kansliet"
    for i in range(3):
        doc.add_paragraph(f"Sida nummer {i + 1} i brödtexten")
        if i < 2:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    reader = convert(b.save(doc, tmp_path / "footer.docx"))
    pages = texts(reader)
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av 3" in text
        assert "Sidhuvud för kansliet" in text
        assert f"Sida nummer {number} i brödtexten" in text


def test_numbering_counts_and_restarts(tmp_path: Path) -> None:
    doc = b.Document()
    for text in ("Första", "Andra", "Tredje"):
        b.numbered(doc, text)
    doc.add_paragraph("Mellan listorna")
    restart = b.restart_numbering(doc)
    for text in ("Ettan igen", "Tvåan igen"):
        b.numbered(doc, text, num_id=restart)
    doc.add_paragraph("Punkt", style="List Bullet")
    text = squash(texts(convert(b.save(doc, tmp_path / "lists.docx")))[0])
    assert "1. Första 2. Andra 3. Tredje" in text
    assert "1. Ettan igen 2. Tvåan igen" in text
    assert "\u2022 Punkt" in text


def test_long_table_repeats_its_header_row(tmp_path: Path) -> None:
    doc = b.Document()
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Åtgärd", "Ansvarig", "Klart"), strict=True):
        cell.text = title
    b.repeat_header(table.rows[0])
    for i in range(120):
        cells = table.add_row().cells
        cells[0].text = f"Åtgärd nummer {i}"
        cells[1].text = "Kansliet"
        cells[2].text = "2024"
    pages = texts(convert(b.save(doc, tmp_path / "table.docx")))
    assert len(pages) >= 3
    for text in pages:
        assert "Åtgärd Ansvarig Klart" in squash(text)
    joined = squash(" ".join(pages))
    assert all(f"Åtgärd nummer {i} " in joined for i in range(120))


def test_merged_cells_keep_their_text(tmp_path: Path) -> None:
    doc = b.Document()
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Över tre kolumner"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Över två rader"
    table.cell(1, 1).text = "B2"
    table.cell(2, 2).text = "C3"
    text = squash(texts(convert(b.save(doc, tmp_path / "merge.docx")))[0])
    for expected in ("Över tre kolumner", "Över två rader", "B2", "C3"):
        assert expected in text


def test_toc_is_rebuilt_with_the_right_page_numbers(tmp_path: Path) -> None:
    doc = b.Document()
    doc.add_paragraph("Innehåll")
    b.add_toc(doc)
    titles = ["Inledning", "Mål för året", "Budget och ekonomi"]
    for i, title in enumerate(titles):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(title, level=1)
        doc.add_paragraph("Text " * 50)
        if i == 1:
            doc.add_heading("Delmål", level=2)
    pages = texts(convert(b.save(doc, tmp_path / "toc.docx")))
    first = squash(pages[0])
    assert "Uppdatera innehållsförteckningen" not in first
    for title in [*titles, "Delmål"]:
        m = re.search(re.escape(title) + r"[ .]*?(\d+)\s", first + " ")
        assert m, (title, first)
        page = int(m.group(1))
        assert title in pages[page - 1], (title, page)


def test_hyperlink_becomes_a_link_annotation(tmp_path: Path) -> None:
    doc = b.Document()
    para = doc.add_paragraph("Läs mer på ")
    b.add_hyperlink(para, "https://www.sodertornskommunerna.se/", "vår webbplats")
    reader = convert(b.save(doc, tmp_path / "link.docx"))
    annots = [a.get_object() for a in reader.pages[0].get("/Annots") or []]
    uris = [a["/A"]["/URI"] for a in annots if a.get("/Subtype") == "/Link" and "/A" in a]
    assert uris == ["https://www.sodertornskommunerna.se/"]
    assert "vår webbplats" in texts(reader)[0]


def test_inline_image_is_drawn(tmp_path: Path) -> None:
    import io

    doc = b.Document()
    doc.add_paragraph("Före bilden")
    doc.add_picture(io.BytesIO(b.png_bytes()), width=Cm(4))
    doc.add_paragraph("Efter bilden")
    reader = convert(b.save(doc, tmp_path / "image.docx"))
    xobjects: Any = reader.pages[0]["/Resources"]["/XObject"]  # type: ignore[index]
    images = [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1
    assert images[0].get_object()["/Width"] == 40
    assert squash(texts(reader)[0]).index("Före bilden") < squash(texts(reader)[0]).index("Efter bilden")


def test_sections_change_page_size_and_orientation(tmp_path: Path) -> None:
    doc = b.Document()
    doc.sections[0].page_width, doc.sections[0].page_height = Cm(21), Cm(29.7)
    doc.add_paragraph("Stående A4")
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    doc.add_paragraph("Liggande A4")
    reader = convert(b.save(doc, tmp_path / "sections.docx"))
    assert len(reader.pages) == 2
    (w1, h1), (w2, h2) = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert h1 > w1 and abs(w1 - 595.3) < 1
    assert w2 > h2 and abs(w2 - 841.9) < 1
    assert "Liggande A4" in texts(reader)[1]


def test_title_comes_from_core_properties(tmp_path: Path) -> None:
    doc = b.Document()
    doc.core_properties.title = "Minnesanteckningar från ledningsgruppen"
    doc.add_paragraph("Innehåll")
    reader = convert(b.save(doc, tmp_path / "title.docx"))
    assert reader.metadata is not None
    assert reader.metadata.title == "Minnesanteckningar från ledningsgruppen"


def test_output_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    doc = b.Document()
    doc.add_paragraph("Samma indata, samma utdata")
    docx = b.save(doc, tmp_path / "same.docx")
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    BuiltinEngine().convert(docx, one)
    BuiltinEngine().convert(docx, two)
    assert one.read_bytes() == two.read_bytes()
    assert b"/JavaScript" not in one.read_bytes() and b"/Encrypt" not in one.read_bytes()


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600])
def test_unreadable_files_are_refused_clearly(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    with pytest.raises(EngineError) as info:
        BuiltinEngine().convert(bad, tmp_path / "bad.pdf")
    assert info.value.path == bad
    assert "kan inte läsa dokumentet" in info.value.message


def test_zip_without_document_and_broken_xml_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("hello.txt", "hej")
    with pytest.raises(EngineError):
        BuiltinEngine().convert(empty, tmp_path / "empty.pdf")
    doc = b.Document()
    doc.add_paragraph("x")
    good = b.save(doc, tmp_path / "good.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(EngineError):
        BuiltinEngine().convert(broken, tmp_path / "broken.pdf")


def test_unsupported_features_still_render_text_and_warn_once(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    doc = b.Document()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    sect_pr = doc.sections[0]._sectPr
    cols = sect_pr.find(w + "cols")
    if cols is None:
        cols = sect_pr.makeelement(w + "cols", {})
        sect_pr.append(cols)
    cols.set(w + "num", "2")
    doc.add_paragraph("Text i två spalter som ändå syns")
    doc.add_paragraph("Mer text i spalter")
    with caplog.at_level(logging.WARNING, logger="kansli"):
        reader = convert(b.save(doc, tmp_path / "cols.docx"))
    assert "Text i två spalter som ändå syns" in texts(reader)[0]
    warnings = [r for r in caplog.records if "spalt" in r.getMessage()]
    assert len(warnings) == 1


def test_styles_inherit_and_direct_formatting_wins(tmp_path: Path) -> None:
    from pipeline.engines.builtin import read_document

    doc = b.Document()
    doc.styles["Normal"].font.size = Pt(12)
    quote = doc.add_paragraph("Citat", style="Quote")
    big = doc.add_paragraph("Stor")
    big.runs[0].font.size = Pt(20)
    model, _ = read_document(b.save(doc, tmp_path / "styles.docx"))
    paras = [blk for blk in model.sections[0].blocks if hasattr(blk, "inlines")]
    quote_style = paras[0].inlines[0].style  # type: ignore[union-attr]
    assert quote_style.italic and quote_style.size == 12.0
    assert paras[1].inlines[0].style.size == 20.0  # type: ignore[union-attr]
    assert quote.text == "Citat"


def _tall_cell(doc: b.DocxDocument) -> str:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "\n".join(f"Rad {i} i en hög cell" for i in range(150))
    return "Rad 149 i en hög cell"


def _merge_across_pages(doc: b.DocxDocument) -> str:
    table = doc.add_table(rows=60, cols=3)
    table.style = "Table Grid"
    for i in range(60):
        table.cell(i, 1).text = f"rad {i}"
        table.cell(i, 2).text = "ord " * 30
    table.cell(0, 0).merge(table.cell(59, 0)).text = "sammanslagen"
    return "rad 59"


def _huge_image(doc: b.DocxDocument) -> str:
    import io

    doc.add_picture(io.BytesIO(b.png_bytes(200, 400)), width=Cm(50), height=Cm(100))
    doc.add_paragraph("Efter den stora bilden")
    return "Efter den stora bilden"


def _giant_kept_paragraph(doc: b.DocxDocument) -> str:
    para = doc.add_paragraph("ord " * 4000 + "slutord")
    para.paragraph_format.keep_together = True
    para.paragraph_format.keep_with_next = True
    doc.add_paragraph("efteråt")
    return "efteråt"


def _kept_last_paragraph(doc: b.DocxDocument) -> str:
    para = doc.add_paragraph("ord " * 3000 + "slutord")
    para.paragraph_format.keep_together = True
    para.paragraph_format.keep_with_next = True  # and nothing follows it
    return "slutord"


def _huge_font(doc: b.DocxDocument) -> str:
    doc.add_paragraph().add_run("JÄTTE").font.size = Pt(900)
    doc.add_paragraph("liten text efter")
    return "liten text efter"


@pytest.mark.parametrize("build", [_tall_cell, _merge_across_pages, _huge_image, _giant_kept_paragraph,
                                   _kept_last_paragraph, _huge_font])
def test_pathological_layouts_still_render(tmp_path: Path, build: object) -> None:
    doc = b.Document()
    expected = build(doc)  # type: ignore[operator]
    joined = squash(" ".join(texts(convert(b.save(doc, tmp_path / "odd.docx")))))
    assert expected in joined


def test_first_and_even_page_headers(tmp_path: Path) -> None:
    doc = b.Document()
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Försättsblad"
    section.header.paragraphs[0].text = "Udda sidhuvud"
    section.even_page_header.paragraphs[0].text = "Jämnt sidhuvud"
    for i in range(4):
        doc.add_paragraph(f"Sida {i + 1}")
        if i < 3:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    pages = texts(convert(b.save(doc, tmp_path / "headers.docx")))
    assert len(pages) == 4
    assert "Försättsblad" in pages[0] and "sidhuvud" not in pages[0]
    assert "Jämnt sidhuvud" in pages[1] and "Udda" not in pages[1]
    assert "Udda sidhuvud" in pages[2]
    assert "Jämnt sidhuvud" in pages[3]


def test_number_formats_and_multilevel_labels() -> None:
    from pipeline.engines.builtin.numbering import format_number

    assert [format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [format_number(n, "upperRoman") for n in (1, 4, 9, 14, 1999)] == ["I", "IV", "IX", "XIV", "MCMXCIX"]
    assert format_number(3, "lowerRoman") == "iii"
    assert format_number(7, "decimalZero") == "07"


def test_multilevel_numbering_in_the_pdf(tmp_path: Path) -> None:
    doc = b.Document()
    numbering = doc.part.numbering_part.element
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    from lxml import etree

    abstract = etree.SubElement(numbering, w + "abstractNum", {w + "abstractNumId": "90"})
    for ilvl, (fmt, text) in enumerate([("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "%3)")]):
        lvl = etree.SubElement(abstract, w + "lvl", {w + "ilvl": str(ilvl)})
        etree.SubElement(lvl, w + "start", {w + "val": "1"})
        etree.SubElement(lvl, w + "numFmt", {w + "val": fmt})
        etree.SubElement(lvl, w + "lvlText", {w + "val": text})
    num = etree.SubElement(numbering, w + "num", {w + "numId": "90"})
    etree.SubElement(num, w + "abstractNumId", {w + "val": "90"})
    numbering.insert(0, numbering[-2])  # abstractNum definitions come before the nums
    for level, text in [(0, "Mål"), (1, "Delmål ett"), (1, "Delmål två"), (2, "Aktivitet"), (0, "Budget"),
                        (1, "Intäkter")]:
        b.numbered(doc, text, num_id="90", style="Normal", level=level)
    text = squash(texts(convert(b.save(doc, tmp_path / "multilevel.docx")))[0])
    assert "1. Mål 1.1 Delmål ett 1.2 Delmål två a) Aktivitet 2. Budget 2.1 Intäkter" in text


def test_invisible_characters_vanish_and_missing_glyphs_are_named(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    doc = b.Document()
    doc.add_paragraph("noll\u200bbredd\u00adstreck\ufeff och tumme \U0001f44d upp")
    with caplog.at_level(logging.WARNING, logger="kansli"):
        text = texts(convert(b.save(doc, tmp_path / "hostile.docx")))[0]
    assert "nollbreddstreck och tumme" in text
    assert not set("\u200b\u00ad\ufeff\x00") & set(text)
    assert sum("emoji" in r.getMessage() for r in caplog.records) == 1


def _link_and_tab_stop(tmp_path: Path) -> tuple[b.DocxDocument, pypdf.PdfReader]:
    """Return a document with a HYPERLINK field and a right-aligned tab stop, and its PDF."""
    doc = b.Document()
    para = doc.add_paragraph("Se ")
    b.add_field(para, 'HYPERLINK "https://example.org/plan"', "planen")
    row = doc.add_paragraph("Ordförande\tAnna Andersson")
    row.paragraph_format.tab_stops.add_tab_stop(Cm(12), alignment=2)  # right-aligned
    return doc, convert(b.save(doc, tmp_path / "fieldlink.docx"))


def test_hyperlink_field_becomes_a_link(tmp_path: Path) -> None:
    _, reader = _link_and_tab_stop(tmp_path)
    annots = [a.get_object() for a in reader.pages[0].get("/Annots") or []]
    assert [a["/A"]["/URI"] for a in annots] == ["https://example.org/plan"]


@needs("pdftotext", "poppler-utils")
def test_tab_stops_where_poppler_sees_the_words(tmp_path: Path) -> None:
    doc, _ = _link_and_tab_stop(tmp_path)
    bbox = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "fieldlink.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    boxes = {m.group(3): (float(m.group(1)), float(m.group(2)))
             for m in re.finditer(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)".*?>([^<]+)</word>', bbox)}
    margin = Cm(2.5).pt if doc.sections[0].left_margin is None else doc.sections[0].left_margin.pt
    assert abs(boxes["Ordförande"][0] - margin) < 1
    assert abs(boxes["Andersson"][1] - (margin + Cm(12).pt)) < 1.5  # ends at the right-aligned stop


def test_a_broken_picture_is_left_out_and_named(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import io

    doc = b.Document()
    doc.add_paragraph("Före")
    doc.add_picture(io.BytesIO(b.png_bytes()), width=Cm(3))
    doc.add_paragraph("Efter")
    good = b.save(doc, tmp_path / "picture.docx")
    broken = tmp_path / "broken-picture.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[:40] if item.filename.startswith("word/media/") else data)
    with caplog.at_level(logging.WARNING, logger="kansli"):
        text = squash(texts(convert(broken))[0])
    assert "Före" in text and "Efter" in text
    assert any("bilder" in r.getMessage() for r in caplog.records)


def test_page_number_format_and_restart_per_section(tmp_path: Path) -> None:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    doc = b.Document()
    b.page_footer(doc)
    doc.add_paragraph("Förord")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Mer förord")
    front = doc.sections[0]._sectPr
    front.append(front.makeelement(w + "pgNumType", {w + "fmt": "lowerRoman"}))
    body = doc.add_section()._sectPr  # the front section's properties move to a copy; this one goes on
    body.find(w + "pgNumType").attrib.clear()
    body.find(w + "pgNumType").set(w + "start", "1")
    doc.add_paragraph("Kapitel ett")
    pages = [squash(t) for t in texts(convert(b.save(doc, tmp_path / "roman.docx")))]
    assert ["Sida i av 3" in pages[0], "Sida ii av 3" in pages[1], "Sida 1 av 3" in pages[2]] == [True] * 3


def test_cmyk_pictures_become_rgb(tmp_path: Path) -> None:
    import io

    from PIL import Image

    rgb, cmyk = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (30, 30), "green").save(rgb, "JPEG")
    Image.new("CMYK", (30, 30), (255, 0, 255, 0)).save(cmyk, "JPEG")
    doc = b.Document()
    doc.add_picture(io.BytesIO(rgb.getvalue()), width=Cm(2))
    plain = b.save(doc, tmp_path / "rgb.docx")
    swapped = tmp_path / "cmyk.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(swapped, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, cmyk.getvalue() if item.filename.startswith("word/media/") else src.read(item))
    reader = convert(swapped)
    xobjects: Any = reader.pages[0]["/Resources"]["/XObject"]  # type: ignore[index]
    spaces = [x.get_object().get("/ColorSpace") for x in xobjects.values()]
    assert spaces == ["/DeviceRGB"]


def test_strict_open_xml_is_read(tmp_path: Path) -> None:
    doc = b.Document()
    doc.add_paragraph("Strikt Open XML fungerar")
    plain = b.save(doc, tmp_path / "transitional.docx")
    strict = tmp_path / "strict.docx"
    swaps = [(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
              b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              b"http://purl.oclc.org/ooxml/officeDocument/relationships")]
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(strict, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            for old, new in swaps:
                data = data.replace(old, new)
            dst.writestr(item, data)
    assert "Strikt Open XML fungerar" in texts(convert(strict))[0]
