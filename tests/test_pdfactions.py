"""The archive PDF does nothing by itself: scripts, launched programs and file links are taken out."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from conftest import Run, pdf_text
from pikepdf import Array, Dictionary, Name, String

from pipeline.defaults import default_template
from pipeline.pdfactions import remove_actions, safe_uri

TEMPLATE = default_template("minnesanteckningar.docx")
LINKS = {
    "rIdJs": "javascript:app.alert(1)",
    "rIdJs2": " JaVa\tScRiPt:app.alert(2)",
    "rIdFile": "file:///etc/passwd",
    "rIdVb": "vbscript:msgbox(1)",
    "rIdWeb": "https://www.sodertornskommunerna.se/",
    "rIdMail": "mailto:kansli@example.se",
}


def _linked_docx(path: Path) -> Path:
    rels = "".join(f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/hyperlink" Target="{target}" TargetMode="External"/>'
                   for rid, target in LINKS.items())
    body = "".join(f'<w:p><w:hyperlink r:id="{rid}"><w:r><w:t>Länk {rid}</w:t></w:r></w:hyperlink></w:p>'
                   for rid in LINKS)
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            if info.filename == "word/document.xml":
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + body.encode() + data[at:]
            out.writestr(info.filename, data)
    return path


def _actions(pdf: pikepdf.Pdf) -> list[Dictionary]:
    found = []
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if "/A" in annot:
                found.append(annot.A)
    return found


def test_links_to_scripts_and_files_are_removed_web_links_kept(kansli: Callable[..., Run], tmp_path: Path) -> None:
    docx = _linked_docx(tmp_path / "länkar.docx")
    run = kansli("pdf", docx, "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    out = tmp_path / "ut" / "länkar.pdf"
    for rid in LINKS:
        assert f"Länk {rid}" in pdf_text(out)  # the text stays; only what clicking it does goes
    with pikepdf.open(out) as pdf:
        uris = {str(a.get("/URI")) for a in _actions(pdf) if a.get("/S") == Name.URI}
        kinds = {str(a.get("/S")) for a in _actions(pdf)}
    assert uris == {LINKS["rIdWeb"], LINKS["rIdMail"]}
    assert kinds <= {"/URI", "/GoTo"}


def _hostile_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    js = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))
    launch = Dictionary(S=Name.Launch, F=String("cmd.exe"))
    chained = Dictionary(S=Name.URI, URI=String("https://example.se"), Next=js)
    annots = Array([
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], A=launch)),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 20, 10, 30], A=chained)),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 40, 10, 50],
                                     A=Dictionary(S=Name.URI, URI=String("https://ok.example.se")))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 60, 10, 70],
                                     A=Dictionary(S=Name.GoTo, D=[pdf.pages[0].obj, Name.Fit]))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Text, Rect=[0, 80, 10, 90],
                                     AA=Dictionary(E=js))),
    ])
    page.Annots = annots
    page.AA = Dictionary(O=js)
    item = pdf.make_indirect(Dictionary(Title=String("Bokmärke"), A=js))
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
    item.Parent = outlines
    pdf.Root.Outlines = outlines
    pdf.Root.OpenAction = js
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=[String("x"), js]))
    pdf.save(path)
    return path


def test_every_kind_of_hostile_action_is_removed(tmp_path: Path) -> None:
    with pikepdf.open(_hostile_pdf(tmp_path / "fientlig.pdf")) as pdf:
        remove_actions(pdf)
        pdf.save(tmp_path / "ren.pdf")
    with pikepdf.open(tmp_path / "ren.pdf") as pdf:
        root = pdf.Root
        assert "/OpenAction" not in root and "/JavaScript" not in root.Names
        assert "/AA" not in pdf.pages[0].obj
        annots = list(pdf.pages[0].obj.Annots)
        assert len(annots) == 5  # the rectangles stay
        kept = [a.A for a in annots if "/A" in a]
        assert [str(a.S) for a in kept] == ["/URI", "/GoTo"] and str(kept[0].URI) == "https://ok.example.se"
        assert all("/AA" not in a for a in annots)
        assert "/A" not in root.Outlines.First
        assert b"JavaScript" not in b"".join(bytes(repr(a), "utf-8") for a in annots)


@pytest.mark.parametrize(("uri", "safe"), [
    ("https://example.se/a?b=c", True), ("HTTP://EXAMPLE.SE", True), ("mailto:a@b.se", True),
    ("#kapitel-2", True), ("bilagor/avtal.pdf", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("java\nscript:alert(1)", False),
    ("JAVASCRIPT:x", False), ("\u200bjavascript:x", False), ("file:///etc/passwd", False),
    ("vbscript:x", False), ("data:text/html,<script>", False), ("smb://server/share", False),
])
def test_safe_uri(uri: str, safe: bool) -> None:
    assert safe_uri(uri) is safe
