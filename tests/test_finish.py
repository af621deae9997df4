"""Tests for pipeline.finish: the archive copy (PDF/A-2b, metadata, sv-SE) and signature fields."""

from __future__ import annotations

from pathlib import Path

import docx
import pdfcheck
import pikepdf
import pytest
from lxml import etree
from pdfdraw import Text, draw, signature_page
from pikepdf import Array, Dictionary, Name, String

from pipeline.documents import MINUTES_SIGNATURES, SignatureSpot
from pipeline.errors import EngineError, InputError
from pipeline.finish import Metadata, finish

META = Metadata(title="Minnesanteckningar ledningsgruppen 2023-10-27", author="Södertörnskommunernas samverkan",
                subject="Minnesanteckningar", keywords="ledningsgrupp")
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def xmp_value(root: etree._Element, prop: str) -> str | None:
    """Return the XMP property *prop* whether written as element, attribute, or rdf:li."""
    prefix, _, local = prop.partition(":")
    qname = f"{{{NS[prefix]}}}{local}"
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if qname in description.attrib:
            return str(description.attrib[qname])
        element = description.find(qname)
        if element is not None:
            item = element.find(".//rdf:li", NS)
            return (item if item is not None else element).text
    return None


def archive_facts(pdf: Path) -> dict[str, object]:
    """Return what an archive copy must declare, read independently of finish.py."""
    with pikepdf.open(pdf) as doc:
        root = etree.fromstring(doc.Root.Metadata.read_bytes())
        info = doc.trailer.Info
        intents = list(doc.Root.get("/OutputIntents", Array()))
        icc = intents[0].DestOutputProfile.read_bytes() if intents else b""
        return {
            "part": xmp_value(root, "pdfaid:part"), "conformance": xmp_value(root, "pdfaid:conformance"),
            "xmp_title": xmp_value(root, "dc:title"), "xmp_creator": xmp_value(root, "dc:creator"),
            "xmp_description": xmp_value(root, "dc:description"), "xmp_language": xmp_value(root, "dc:language"),
            "xmp_producer": xmp_value(root, "pdf:Producer"),
            "title": str(info.Title), "author": str(info.Author), "subject": str(info.get("/Subject", "")),
            "producer": str(info.get("/Producer", "")),
            "lang": str(doc.Root.get("/Lang", "")),
            "intent": str(intents[0].S) if intents else None, "icc_class": icc[12:20],
            "display_title": bool(doc.Root.ViewerPreferences.get("/DisplayDocTitle", False)),
            "has_id": "/ID" in doc.trailer, "encrypted": doc.is_encrypted,
            "javascript": "/JavaScript" in doc.Root.get("/Names", Dictionary()) or "/OpenAction" in doc.Root,
            "version": doc.pdf_version,
        }


def assert_archive_copy(pdf: Path, meta: Metadata = META) -> None:
    """Assert the PDF/A-2b declaration, metadata and sv-SE of *pdf* (shared with test_sign)."""
    facts = archive_facts(pdf)
    assert (facts["part"], facts["conformance"]) == ("2", "B")
    assert facts["title"] == facts["xmp_title"] == meta.title
    assert facts["author"] == facts["xmp_creator"] == meta.author
    assert facts["producer"] == facts["xmp_producer"]
    if meta.subject:
        assert facts["subject"] == facts["xmp_description"] == meta.subject
    assert facts["lang"] == facts["xmp_language"] == "sv-SE"
    assert facts["intent"] == "/GTS_PDFA1"
    assert facts["icc_class"] == b"mntrRGB "
    assert facts["display_title"] and facts["has_id"]
    assert not facts["encrypted"] and not facts["javascript"]
    assert str(facts["version"]) <= "1.7"
    assert_fonts_embedded(pdf)
    assert_qpdf_clean(pdf)


def pdfa_violations(pdf: Path, *, unsupported: bool = False) -> list[str]:
    """Return the PDF/A-2b violations pikepdf's validator finds (skip when its extras are missing).

    The validator is an allow-list: what it cannot judge (e.g. forms) it calls "unsupported",
    which is not a violation; with *unsupported* those findings are returned too.
    """
    try:
        from pikepdf import pdfa
    except ImportError:
        pytest.skip("pikepdf[pdfa] (jsonschema, referencing, fonttools) är inte installerat")
    report = pdfa.validate_written(pdf, "2b")
    found = [str(f) for f in report.violations] + ([str(f) for f in report.unsupported] if unsupported else [])
    # The PDF/UA-1 identification (ISO 14289-1 §5) is pdfuaid:part. The validator's allow-list permits
    # the pdfuaid namespace in PDF/A-2 but lists none of its properties, so it flags that one property.
    return [f for f in found if "XMP property pdfuaid:part is not permitted" not in f]


def assert_fonts_embedded(pdf: Path) -> None:
    used = pdfcheck.fonts(pdf)
    assert used, "the PDF uses no fonts at all?"
    assert all(font.embedded for font in used), used


def assert_qpdf_clean(pdf: Path) -> None:
    assert pdfcheck.check(pdf) == []


def fields(pdf: Path) -> dict[str, tuple[int, list[float], dict[str, int]]]:
    """Return the signature fields of *pdf*: name → (page index, rect, {"F": flags, "AP/N": 0|1})."""
    found = {}
    with pikepdf.open(pdf) as doc:
        names = {str(f.T) for f in doc.Root.AcroForm.Fields if f.get("/FT") == Name.Sig}
        for index, page in enumerate(doc.pages):
            for annot in page.get("/Annots", Array()):
                if str(annot.get("/T", "")) in names:
                    widget = {"F": int(annot.get("/F", 0)), "AP/N": int("/N" in annot.get("/AP", {}))}
                    found[str(annot.T)] = (index, [float(v) for v in annot.Rect], widget)
    return found


@pytest.fixture
def minutes_pdf(tmp_path: Path) -> Path:
    return draw(tmp_path / "motor.pdf", [[Text("Paragraf 1", 72, 700)], signature_page(y=300, gap=60)])


def test_archive_copy_declares_pdfa2b_and_metadata(minutes_pdf: Path, tmp_path: Path) -> None:
    out = finish(minutes_pdf, tmp_path / "ut.pdf", META)
    assert_archive_copy(out)
    with pikepdf.open(out) as doc:
        assert str(doc.trailer.Info.Keywords) == "ledningsgrupp"
        assert "/AcroForm" not in doc.Root  # no fields asked for, none added


def test_pdfa_validator_finds_no_violation(minutes_pdf: Path, tmp_path: Path) -> None:
    plain = finish(minutes_pdf, tmp_path / "ut.pdf", META)
    with_fields = finish(minutes_pdf, tmp_path / "fält.pdf", META, signature_fields=MINUTES_SIGNATURES)
    assert pdfa_violations(plain) == []  # (its Type 3 test font the validator leaves unjudged)
    assert pdfa_violations(with_fields) == []
    assert pdfa_violations(minutes_pdf) != []  # the engine's bare PDF is no archive copy: the test can tell


def test_encryption_is_removed(minutes_pdf: Path, tmp_path: Path) -> None:
    locked = tmp_path / "låst.pdf"
    with pikepdf.open(minutes_pdf) as doc:
        doc.save(locked, encryption=pikepdf.Encryption(owner="ägare", user="", R=6))
    with pikepdf.open(locked) as doc:
        assert doc.is_encrypted
    assert_archive_copy(finish(locked, tmp_path / "ut.pdf", META))


def test_fields_sit_below_their_labels_above_the_names(minutes_pdf: Path, tmp_path: Path) -> None:
    out = finish(minutes_pdf, tmp_path / "ut.pdf", META, signature_fields=MINUTES_SIGNATURES)
    found = fields(out)
    assert set(found) == {"Vid anteckningarna", "Justeras"}
    (page_a, (ax1, ay1, ax2, ay2), widget), (page_b, (bx1, by1, bx2, by2), _) = (
        found["Vid anteckningarna"], found["Justeras"])
    assert page_a == page_b == 1  # the page that holds the labels, not the first
    assert ay2 < 300 and by2 < 300  # below the labels' baseline
    assert ay1 > 240 + 11 * 0.7 and by1 > 240 + 11 * 0.7  # above the names' letters
    assert ay2 - ay1 >= 30  # room to sign
    assert ax1 == pytest.approx(72, abs=1) and bx1 == pytest.approx(320, abs=1)
    assert ax2 < bx1  # each field stays in its column
    assert bx2 <= 595 - 72  # and inside the right margin
    assert widget["F"] & 4 and not widget["F"] & (1 | 2 | 32)  # printable, visible
    assert widget["AP/N"] == 1


@pytest.mark.parametrize(("y", "gap"), [(520.0, 40.0), (140.0, 90.0)])
def test_fields_follow_the_layout(tmp_path: Path, y: float, gap: float) -> None:
    pdf = draw(tmp_path / "motor.pdf", [signature_page(y=y, gap=gap, left=90, right=340)])
    out = finish(pdf, tmp_path / "ut.pdf", META, signature_fields=MINUTES_SIGNATURES)
    _, (x1, y1, x2, y2), _ = fields(out)["Justeras"]
    assert x1 == pytest.approx(340, abs=1)
    assert y - gap < y1 < y2 < y


def test_without_names_the_field_stays_near_its_label(tmp_path: Path) -> None:
    block = [Text("Vid anteckningarna", 72, 400), Text("Justeras", 320, 400), Text("Sidfot", 72, 40, 9)]
    pdf = draw(tmp_path / "motor.pdf", [block])
    out = finish(pdf, tmp_path / "ut.pdf", META, signature_fields=MINUTES_SIGNATURES)
    for _, (_, y1, _, y2), _ in fields(out).values():
        assert y2 < 400 and 30 <= y2 - y1 <= 90  # room to sign, but not down to the footer


def test_page_break_between_labels_and_names_puts_the_fields_above_the_names(tmp_path: Path) -> None:
    header = [Text("SAMVERKAN", 72, 800, 14), Text("www.example.se", 72, 786, 9)]
    footer = [Text("Minnesanteckningar", 72, 64, 9), Text("Sida 1 av 2", 480, 40, 9)]
    first = [Text("Paragraf 14", 72, 400), Text("Vid anteckningarna", 72, 77), Text("Justeras", 320, 77), *footer]
    second = [*header, Text("Anna Andersson", 72, 704), Text("Bertil Berg", 320, 704), *footer]
    pdf = draw(tmp_path / "motor.pdf", [first, second])
    found = fields(finish(pdf, tmp_path / "ut.pdf", META, signature_fields=MINUTES_SIGNATURES))
    for name, x in (("Vid anteckningarna", 72), ("Justeras", 320)):
        page, (x1, y1, _, y2), _ = found[name]
        assert page == 1 and x1 == pytest.approx(x, abs=1)
        assert 704 + 11 * 0.7 < y1 < y2 < 786 and y2 - y1 >= 30  # between the header and the names


def test_missing_label_is_a_clear_error_and_writes_nothing(minutes_pdf: Path, tmp_path: Path) -> None:
    spots = [*MINUTES_SIGNATURES, SignatureSpot("Ordförande", "Ordförande")]
    with pytest.raises(InputError, match="'Ordförande' finns inte"):
        finish(minutes_pdf, tmp_path / "ut.pdf", META, signature_fields=spots)
    assert not (tmp_path / "ut.pdf").exists()


def test_no_room_under_a_label_is_an_error(tmp_path: Path) -> None:
    pdf = draw(tmp_path / "motor.pdf", [signature_page(gap=14)])
    with pytest.raises(InputError, match="inget utrymme"):
        finish(pdf, tmp_path / "ut.pdf", META, signature_fields=MINUTES_SIGNATURES)


def test_the_last_occurrence_of_a_label_is_used(tmp_path: Path) -> None:
    first = [Text("Justeras", 72, 700), Text("Protokollet", 72, 650)]
    pdf = draw(tmp_path / "motor.pdf", [first, signature_page(y=300)])
    page, (_, _, _, top), _ = fields(finish(pdf, tmp_path / "ut.pdf", META,
                                            signature_fields=MINUTES_SIGNATURES))["Justeras"]
    assert page == 1 and top < 300


def test_deterministic_with_source_date_epoch(minutes_pdf: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1698395400")  # 2023-10-27 08:30 UTC
    one = finish(minutes_pdf, tmp_path / "1.pdf", META, signature_fields=MINUTES_SIGNATURES).read_bytes()
    two = finish(minutes_pdf, tmp_path / "2.pdf", META, signature_fields=MINUTES_SIGNATURES).read_bytes()
    assert one == two
    with pikepdf.open(tmp_path / "1.pdf") as doc:
        assert str(doc.trailer.Info.CreationDate).startswith("D:20231027083000")


def test_unembedded_font_is_refused(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    pdf.pages.append(pikepdf.Page(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, 595, 842]), Resources=Dictionary(Font=Dictionary(F1=font)),
        Contents=pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (Hej) Tj ET"))))
    pdf.save(tmp_path / "helvetica.pdf")
    with pytest.raises(EngineError, match="Helvetica"):
        finish(tmp_path / "helvetica.pdf", tmp_path / "ut.pdf", META)


def test_javascript_and_open_actions_are_removed(minutes_pdf: Path, tmp_path: Path) -> None:
    with pikepdf.open(minutes_pdf, allow_overwriting_input=True) as doc:
        script = Dictionary(S=Name.JavaScript, JS=String("app.alert('hej')"))
        doc.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("x"), doc.make_indirect(script)])))
        doc.Root.OpenAction = doc.make_indirect(script)
        doc.pages[0].obj.AA = Dictionary(O=doc.make_indirect(script))
        doc.save()
    out = finish(minutes_pdf, tmp_path / "ut.pdf", META)
    assert_archive_copy(out)
    assert b"app.alert" not in pdfcheck.uncompressed(out)


def test_xml_special_characters_survive(minutes_pdf: Path, tmp_path: Path) -> None:
    meta = Metadata(title="R&D <2024> \"Södertörn\"", author="Kansliet & co", subject="")
    out = finish(minutes_pdf, tmp_path / "ut.pdf", meta)
    assert_archive_copy(out, meta)
    assert archive_facts(out)["xmp_description"] is None  # no empty subject declared


def test_signed_input_is_refused(minutes_pdf: Path, tmp_path: Path) -> None:
    signed = tmp_path / "signerad.pdf"
    signed.write_bytes(minutes_pdf.read_bytes() + b"\n% /ByteRange [0 1 2 3]\n")
    with pytest.raises(InputError, match="redan signerad"):
        finish(signed, tmp_path / "ut.pdf", META)


def test_finishing_in_place(minutes_pdf: Path) -> None:
    assert finish(minutes_pdf, minutes_pdf, META, signature_fields=MINUTES_SIGNATURES) == minutes_pdf
    assert_archive_copy(minutes_pdf)
    assert set(fields(minutes_pdf)) == {"Vid anteckningarna", "Justeras"}
    assert [p.name for p in minutes_pdf.parent.iterdir()] == ["motor.pdf"]  # no staging left behind


@pytest.mark.libreoffice
def test_libreoffice_pdf_becomes_an_archive_copy_with_fields(tmp_path: Path) -> None:
    from pipeline.engines.libreoffice import LibreOfficeEngine

    document = docx.Document()
    document.add_paragraph("Magnus Gyllestad avslutar mötet.")
    table = document.add_table(rows=4, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[3].cells,
                          ["Vid anteckningarna", "Justeras", "Helene Olofsson", "Cynthia Runefjärd"], strict=True):
        cell.text = text
    document.save(str(tmp_path / "m.docx"))
    engine_pdf = LibreOfficeEngine().convert(tmp_path / "m.docx", tmp_path / "motor.pdf")
    out = finish(engine_pdf, tmp_path / "ut.pdf", META, signature_fields=MINUTES_SIGNATURES)
    assert_archive_copy(out)
    with pikepdf.open(out) as doc:
        assert len(doc.Root.OutputIntents) == 1  # LibreOffice's own intent kept, not doubled
        assert "/StructTreeRoot" in doc.Root  # still tagged
    found = fields(out)
    assert found["Vid anteckningarna"][1][2] < found["Justeras"][1][0]


@pytest.mark.parametrize("engine", [
    "builtin",
    pytest.param("libreoffice", marks=pytest.mark.libreoffice),
])
def test_seed_minutes_from_each_engine_are_archive_copies_with_fields(tmp_path: Path, engine: str) -> None:
    from conftest import SEED_MINUTES_JSON

    from pipeline.api import build
    from pipeline.engines import get_engine
    from pipeline.pdftext import find_text

    built = build("minutes", SEED_MINUTES_JSON, tmp_path, engine=engine)
    (pdf,) = [p for p in built.outputs if p.suffix == ".pdf"]
    with pikepdf.open(pdf) as doc:
        title = str(doc.trailer.Info.Title)
        pages = len(doc.pages)
    assert_archive_copy(pdf, Metadata(title=title, author="Södertörnskommunernas samverkan"))
    assert pdfa_violations(pdf) == []
    engine_pdf = get_engine(engine).convert(pdf.with_suffix(".docx"), tmp_path / "motor.pdf")
    plain = finish(engine_pdf, tmp_path / "utan-fält.pdf", META)
    assert pdfa_violations(plain, unsupported=True) == []  # without forms, judged in full: a pass
    found = fields(pdf)
    assert set(found) == {"Vid anteckningarna", "Justeras"}
    for name, (page, (x1, y1, _, y2), _) in found.items():
        (label,) = [h for h in find_text(pdf, name) if h.page == page]
        assert page == pages - 1  # the signature block ends the minutes
        assert y2 < label.y and y2 - y1 >= 20 and x1 == pytest.approx(label.x, abs=1)
    assert found["Vid anteckningarna"][1][2] < found["Justeras"][1][0]
