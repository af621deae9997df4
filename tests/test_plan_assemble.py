"""Assembly: appendices appended with their bookmarks nested, page labels, and bad appendices refused."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfcheck
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from pipeline.errors import InputError
from pipeline.finish import unembedded_fonts
from pipeline.pdftext import page_texts
from pipeline.plan.assemble import Mark, Part, assemble, first_pages, outline, page_count

ROOT = Path(__file__).resolve().parent.parent
SUP = ROOT / "inputs" / "plan" / "bilagor" / "sup-2040.pdf"


def _blank(path: Path, pages: int) -> Path:
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page()
        pdf.save(path)
    return path


def _named_dest_pdf(path: Path) -> Path:
    """Write a 3-page PDF whose bookmark points to page 3 through a named destination."""
    with pikepdf.new() as pdf:
        for _ in range(3):
            pdf.add_blank_page()
        third = pdf.pages[2].obj
        pdf.Root.Names = Dictionary(Dests=Dictionary(Names=Array([String("kap3"), Array([third, Name.Fit])])))
        with pdf.open_outline() as tree:
            tree.root.append(pikepdf.OutlineItem("Kapitel 3", String("kap3")))
            tree.root.append(pikepdf.OutlineItem("Kapitel 1", 0))
        pdf.save(path)
    return path


def _tree(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """Return (depth, title, page) for every bookmark, depth first."""
    return [(0, m.title, m.page) for m in outline(pdf)] + [
        (1, c.title, c.page) for m in outline(pdf) for c in m.children]


def test_appendix_pages_bookmarks_and_labels(tmp_path: Path) -> None:
    main = _blank(tmp_path / "main.pdf", 3)
    out = assemble(main, [Mark("1. Inledning", 1), Mark("2. Budget", 2)],
                   [Part(SUP, "Bilaga 1", "Bilaga 1: SUP 2040")], tmp_path / "out.pdf")
    sup_pages = page_count(SUP)
    assert page_count(out) == 3 + sup_pages
    with pikepdf.open(out) as pdf:
        tops = outline(pdf)
        assert [(m.title, m.page) for m in tops] == [("1. Inledning", 1), ("2. Budget", 2), ("Bilaga 1: SUP 2040", 3)]
        nested = tops[2].children
        with pikepdf.open(SUP) as sup:
            own = outline(sup)
        assert [c.title for c in nested] == [c.title for c in own]
        assert [c.page for c in nested] == [c.page + 3 for c in own]
        assert nested[1].children[0].title == "Södertörnssamverkans vision"
        labels = [pikepdf.Page(p).label for p in pdf.pages]
        assert labels[:4] == ["1", "2", "3", "Bilaga 1: 1"]
        assert labels[-1] == f"Bilaga 1: {sup_pages}"
        assert pdf.Root.PageMode == Name.UseOutlines
    assert pdfcheck.check(out) == []


def test_two_appendices_and_named_destinations(tmp_path: Path) -> None:
    main = _blank(tmp_path / "main.pdf", 2)
    second = _named_dest_pdf(tmp_path / "named.pdf")
    out = assemble(main, [], [Part(SUP, "Bilaga 1", "Bilaga 1: SUP"), Part(second, "Bilaga 2", "Bilaga 2: Namn")],
                   tmp_path / "out.pdf")
    start = 2 + page_count(SUP)
    with pikepdf.open(out) as pdf:
        tops = outline(pdf)
        assert [(m.title, m.page) for m in tops] == [("Bilaga 1: SUP", 2), ("Bilaga 2: Namn", start)]
        assert [(c.title, c.page) for c in tops[1].children] == [("Kapitel 3", start + 2), ("Kapitel 1", start)]
        assert pikepdf.Page(pdf.pages[start + 2]).label == "Bilaga 2: 3"


def test_signature_widgets_are_not_carried_over(tmp_path: Path) -> None:
    signed = tmp_path / "signed.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        widget = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig,
                                              Rect=Array([0, 0, 10, 10]), T=String("Justeras")))
        pdf.pages[0].obj.Annots = Array([widget])
        pdf.Root.AcroForm = Dictionary(Fields=Array([widget]), SigFlags=3)
        pdf.save(signed)
    out = assemble(_blank(tmp_path / "main.pdf", 1), [], [Part(signed, "Bilaga 1", "Bilaga 1")], tmp_path / "o.pdf")
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages[1].obj.get("/Annots", Array())) == 0


def test_encrypted_appendix_is_refused_naming_it(tmp_path: Path) -> None:
    locked = tmp_path / "låst.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(InputError) as err:
        assemble(_blank(tmp_path / "main.pdf", 1), [], [Part(locked, "Bilaga 2", "Bilaga 2", source=locked)],
                 tmp_path / "o.pdf")
    assert "Bilaga 2" in str(err.value) and "låst.pdf" in str(err.value)
    assert not (tmp_path / "o.pdf").exists()


def test_corrupt_appendix_is_refused_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(InputError, match="Bilaga 1: filen är ingen läsbar PDF"):
        assemble(_blank(tmp_path / "main.pdf", 1), [], [Part(broken, "Bilaga 1", "Bilaga 1", source=broken)],
                 tmp_path / "o.pdf")


def test_appendix_without_embedded_fonts_is_refused(tmp_path: Path) -> None:
    bare = tmp_path / "helvetica.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        pdf.pages[0].obj.Resources = Dictionary(Font=Dictionary(F1=pdf.make_indirect(font)))
        pdf.pages[0].obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Hej) Tj ET")
        pdf.save(bare)
    with pytest.raises(InputError, match="Bilaga 1: typsnitten Helvetica är inte inbäddade"):
        assemble(_blank(tmp_path / "main.pdf", 1), [], [Part(bare, "Bilaga 1", "Bilaga 1", source=bare)],
                 tmp_path / "o.pdf")


def test_given_marks_serve_an_appendix_without_bookmarks(tmp_path: Path) -> None:
    plain = _blank(tmp_path / "plain.pdf", 4)
    marks = (Mark("§ 1", 0), Mark("§ 2", 2, (Mark("Underrubrik", 3),)))
    out = assemble(_blank(tmp_path / "main.pdf", 2), [], [Part(plain, "Bilaga 1", "Bilaga 1", marks=marks)],
                   tmp_path / "o.pdf")
    with pikepdf.open(out) as pdf:
        (top,) = outline(pdf)
    assert [(c.title, c.page) for c in top.children] == [("§ 1", 2), ("§ 2", 4)]
    assert [(c.title, c.page) for c in top.children[1].children] == [("Underrubrik", 5)]


def test_own_bookmarks_win_over_given_marks(tmp_path: Path) -> None:
    out = assemble(_blank(tmp_path / "main.pdf", 1), [], [Part(SUP, "Bilaga 1", "B", marks=(Mark("x", 0),))],
                   tmp_path / "o.pdf")
    with pikepdf.open(out) as pdf:
        (top,) = outline(pdf)
    assert "x" not in [c.title for c in top.children]
    assert top.children[0].title == "Södertörnskommunernas samverkan"


def test_every_appendix_page_carries_its_mark_and_number(tmp_path: Path) -> None:
    second = _blank(tmp_path / "andra.pdf", 2)
    out = assemble(_blank(tmp_path / "main.pdf", 1), [],
                   [Part(SUP, "Bilaga 1", "B", stamped=True), Part(second, "Bilaga 2", "C", stamped=True)],
                   tmp_path / "o.pdf")
    texts = page_texts(out)
    sup_pages = page_count(SUP)
    assert "Bilaga" not in texts[0]  # the plan's own pages are left alone
    for n in range(sup_pages):
        assert f"Bilaga 1, sida {n + 1} av {sup_pages}" in texts[1 + n]
    assert "Bilaga 2, sida 1 av 2" in texts[-2] and "Bilaga 2, sida 2 av 2" in texts[-1]
    with pikepdf.open(out) as pdf, pikepdf.open(SUP) as sup:
        for n in range(sup_pages):  # the appendix's own content is kept: one form more, nothing less
            own = set(sup.pages[n].obj.Resources.get("/XObject", Dictionary()).keys())
            assert set(pdf.pages[1 + n].obj.Resources.XObject.keys()) == own | {"/KansliBilaga"}
        assert unembedded_fonts(pdf) == []  # the marks bring their font: the archive copy needs it
    assert pdfcheck.check(out) == []


def test_marked_assembly_is_the_same_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769040000")
    main = _blank(tmp_path / "main.pdf", 2)
    made = [assemble(main, [Mark("1. A", 0)], [Part(SUP, "Bilaga 1", "B", stamped=True)], tmp_path / f"{n}.pdf")
            for n in range(2)]
    assert made[0].read_bytes() == made[1].read_bytes()


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_mark_stands_top_right_as_the_reader_sees_the_page(tmp_path: Path, rotate: int) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm saknas (Debian-paketet poppler-utils)")
    turned = _blank(tmp_path / "vriden.pdf", 1)
    with pikepdf.open(turned, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.MediaBox = Array([0, 0, 595, 842])
        pdf.pages[0].obj.Rotate = rotate
        pdf.save(turned)
    out = assemble(_blank(tmp_path / "main.pdf", 1), [], [Part(turned, "Bilaga 1", "B", stamped=True)],
                   tmp_path / "o.pdf")
    assert "Bilaga 1, sida 1 av 1" in page_texts(out)[1]
    subprocess.run([pdftoppm, "-f", "2", "-l", "2", "-r", "20", "-gray", "-png", str(out), str(tmp_path / "p")],
                   check=True)
    (png,) = tmp_path.glob("p*.png")
    with Image.open(png) as opened:
        img = opened.convert("L")
        w, h = img.size
        inked = [(x, y) for x in range(w) for y in range(h) if img.getpixel((x, y)) < 200]
    assert inked and all(x > w / 2 and y < h / 6 for x, y in inked)


def test_first_pages(tmp_path: Path) -> None:
    head = first_pages(SUP, 3, tmp_path / "head.pdf")
    assert page_count(head) == 3
    assert page_texts(head) == page_texts(SUP)[:3]
