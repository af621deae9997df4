"""Tagged PDF (PDF/UA-1) from the builtin engine: what a checker, a screen reader and the archive see.

The structure is read back with pikepdf (the elements) and poppler (`pdfinfo -struct-text`, the text
a screen reader follows); the partial PDF/UA-1 checker `pdfua` (PyPI) judges the whole.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import builders as b
import certs
import pikepdf
import pytest
from conftest import SEED_MINUTES_JSON, SEED_PLAN_JSON, needs
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from test_finish import pdfa_violations
from wordmatch import match_ratio, missing

from pipeline.api import build
from pipeline.documents import MINUTES_SIGNATURES
from pipeline.engines.builtin import BuiltinEngine
from pipeline.finish import Metadata, finish
from pipeline.sign import sign

SEED_AGENDA_JSON = SEED_MINUTES_JSON.with_name("2023-10-27-ledningsgrupp-dagordning.json")
BODY = (62.0, 775.0)  # the body of an A4 page of the seeds, in points from the top: no header, no footer


def pdfua_findings(pdf: Path) -> list[str]:
    """Return what the pdfua checker finds in *pdf* (every severity) and the rules it could not run."""
    import pdfua

    report = pdfua.validate(str(pdf))
    return [f"{f.severity.name} {f.rule_id}: {f.message}" for f in report.findings] + \
        [f"skipped {o.rule_id}: {o.skipped_reason}" for o in report.skipped]


def struct_text(pdf: Path) -> str:
    """Return the text of *pdf* as `pdfinfo -struct-text` reads it: the structure tree in order."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    return "\n".join(m.group(1) for m in re.finditer(r'^\s*"(.*)"$', out, re.MULTILINE))


def body_text(pdf: Path) -> str:
    """Return the page text of *pdf* without headers and footers (each page cropped to its body), line by
    line as laid out (a two-column layout table is read across, as it is meant to be read)."""
    with pikepdf.open(pdf) as doc:
        sizes = [(float(p.mediabox[2]), float(p.mediabox[3])) for p in doc.pages]
    texts = []
    for number, (width, height) in enumerate(sizes, start=1):
        top, bottom = BODY
        texts.append(subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), "-x", "0", "-y", str(int(top)),
             "-W", str(int(width)), "-H", str(int(min(bottom, height) - top)), str(pdf), "-"],
            capture_output=True, text=True, check=True).stdout)
    return "\n".join(texts)


def elements(pdf: Path) -> list[dict[str, Any]]:
    """Return the structure elements of *pdf* in order: role, depth, Alt, Lang, attributes, kids' roles."""
    out: list[dict[str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        kids = node.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
        attrs = node.get("/A")
        attr_list = list(attrs) if isinstance(attrs, pikepdf.Array) else ([attrs] if attrs is not None else [])
        out.append({
            "role": str(node.get("/S", "")).lstrip("/"), "depth": depth,
            "alt": str(node.Alt) if "/Alt" in node else None,
            "lang": str(node.Lang) if "/Lang" in node else None,
            "attrs": {str(k).lstrip("/"): str(v).lstrip("/") for a in attr_list for k, v in a.items()},
            "objr": [k.Obj for k in items if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"],
        })
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                walk(kid, depth + 1)

    with pikepdf.open(pdf) as doc:
        for kid in doc.Root.StructTreeRoot.K if isinstance(doc.Root.StructTreeRoot.K, pikepdf.Array) \
                else [doc.Root.StructTreeRoot.K]:
            walk(kid, 0)
        return [{**e, "objr": [dict(o.items()) for o in e["objr"]]} for e in out]


def roles(pdf: Path) -> list[str]:
    return [e["role"] for e in elements(pdf)]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed minutes, its kallelse, its publication copy and the seed plan, made with the builtin engine."""
    out = tmp_path_factory.mktemp("seeds")
    made = {}
    for name, source in (("minutes", SEED_MINUTES_JSON), ("agenda", SEED_AGENDA_JSON),
                         ("publish", SEED_MINUTES_JSON), ("plan", SEED_PLAN_JSON)):
        built = build(name, source, out / name)
        (made[name],) = [p for p in built.outputs if p.suffix == ".pdf"]
    return made


@pytest.fixture(scope="module")
def signed_minutes(seeds: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    keys = tmp_path_factory.mktemp("nycklar")
    ca = certs.authority(keys)
    helene = ca.issue(keys, "helene", "Helene Olofsson", passphrase=b"hemlig fras")
    cynthia = ca.issue(keys, "cynthia", "Cynthia Runefjärd")
    pdf = seeds["minutes"]
    first, second = (spot.name for spot in MINUTES_SIGNATURES)
    once = sign(pdf, pdf.with_name("signerad-1.pdf"), field=first, key=helene.key, cert=helene.cert,
                passphrase=helene.passphrase)
    yield sign(once, pdf.with_name("signerad-2.pdf"), field=second, key=cynthia.key, cert=cynthia.cert)


@pytest.mark.parametrize("kind", ["minutes", "agenda", "publish", "plan"])
def test_seed_documents_pass_the_pdfua_checker(seeds: dict[str, Path], kind: str) -> None:
    assert pdfua_findings(seeds[kind]) == []


@needs("pdfinfo", "poppler-utils")
@needs("pdftotext", "poppler-utils")
@pytest.mark.parametrize("kind", ["minutes", "agenda", "publish", "plan"])
def test_structure_reads_the_words_of_the_pages_in_order(seeds: dict[str, Path], kind: str) -> None:
    pdf = seeds[kind]
    page, tree = body_text(pdf), struct_text(pdf)
    assert match_ratio(page, tree) >= 0.97, missing(page, tree)
    assert "SÖDERTÖRNSKOMMUNERNA SAMVERKAR" not in tree  # the minutes' header is page furniture


def test_seed_minutes_structure(seeds: dict[str, Path]) -> None:
    found = elements(seeds["minutes"])
    kinds = [e["role"] for e in found]
    assert kinds[0] == "Document"
    headings = [e for e in found if e["role"] in ("H1", "H2")]
    assert len([h for h in headings if h["role"] == "H1"]) == 14  # the 14 agenda items
    assert {"L", "LI", "Lbl", "LBody"} <= set(kinds)
    assert "Table" not in kinds and "TD" not in kinds  # the Tid/Plats/Deltagare table is layout, read in order
    forms = [e for e in found if e["role"] == "Form"]
    assert sorted(str(f["objr"][0]["/T"]) for f in forms) == sorted(s.name for s in MINUTES_SIGNATURES)
    with pikepdf.open(seeds["minutes"]) as doc:
        assert doc.Root.MarkInfo.Marked is True and str(doc.Root.Lang) == "sv-SE"
        assert doc.Root.ViewerPreferences.DisplayDocTitle is True
        with doc.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1" and xmp.get("pdfaid:part") == "2"


def test_seed_plan_tables_have_header_cells_with_scope(seeds: dict[str, Path]) -> None:
    found = elements(seeds["plan"])
    tables = [e for e in found if e["role"] == "Table"]
    assert len(tables) == 4  # the activity tables (with header rows); the budget table is layout
    heads = [e for e in found if e["role"] == "TH"]
    assert heads and all(h["attrs"].get("Scope") == "Column" for h in heads)
    assert "TOC" in roles(seeds["plan"]) and "Link" in roles(seeds["plan"])


@pytest.mark.parametrize("kind", ["minutes", "agenda", "publish", "plan"])
def test_tagged_copies_stay_pdfa(seeds: dict[str, Path], kind: str) -> None:
    assert pdfa_violations(seeds[kind]) == []


@needs("pdfinfo", "poppler-utils")
@needs("pdftotext", "poppler-utils")
def test_two_signatures_keep_the_tagging(signed_minutes: Path) -> None:
    assert pdfua_findings(signed_minutes) == []
    assert pdfa_violations(signed_minutes) == []
    page, tree = body_text(signed_minutes), struct_text(signed_minutes)
    assert match_ratio(page, tree) >= 0.97
    forms = [e for e in elements(signed_minutes) if e["role"] == "Form"]
    assert len(forms) == 2 and all("/V" in f["objr"][0] for f in forms)  # the signed fields themselves


def _lang_run(paragraph: Any, text: str, lang: str) -> None:
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    rpr.append(el)


def _mixed_docx(tmp_path: Path) -> Path:
    doc = b.Document()
    doc.sections[0].header.paragraphs[0].text = "Sidhuvud som inte ska läsas"
    b.page_footer(doc)
    doc.add_heading("Rubrik ett", level=1)
    doc.add_paragraph("Vanlig text på svenska.")
    doc.add_heading("Rubrik två", level=2)
    para = doc.add_paragraph("Hon sade ")
    _lang_run(para, "good morning", "en-GB")
    para.add_run(" och gick.")
    b.numbered(doc, "Första punkten")
    b.numbered(doc, "Andra punkten")
    link = doc.add_paragraph("Läs mer på ")
    b.add_hyperlink(link, "https://example.org/plan", "webbplatsen")
    doc.add_paragraph().add_run().add_picture(_png(tmp_path / "bild.png"), width=Pt(60))
    doc.add_paragraph().add_run().add_picture(str(tmp_path / "bild.png"), width=Pt(30))
    pics = doc.inline_shapes
    pics[0]._inline.docPr.set("descr", "Karta över Södertörn")
    data = doc.add_table(rows=4, cols=2)
    for row, (a, c) in zip(data.rows, [("Aktivitet", "Kommentar"), ("Möte", "Klart"), ("Plan", "Pågår"),
                                       ("Budget", "Väntar")], strict=True):
        row.cells[0].text, row.cells[1].text = a, c
    b.repeat_header(data.rows[0])
    doc.add_paragraph()
    layout = doc.add_table(rows=2, cols=2)
    layout.rows[0].cells[0].text, layout.rows[0].cells[1].text = "Tid", "Fredag"
    layout.rows[1].cells[0].text, layout.rows[1].cells[1].text = "Plats", "Huddinge"
    return b.save(doc, tmp_path / "blandat.docx")


def _png(path: Path) -> str:
    path.write_bytes(b.png_bytes())
    return str(path)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return BuiltinEngine().convert(_mixed_docx(tmp_path), tmp_path / "blandat.pdf")


def test_every_kind_of_content_has_its_element(mixed: Path) -> None:
    found = elements(mixed)
    kinds = [e["role"] for e in found]
    assert kinds.index("H1") < kinds.index("H2") < kinds.index("L") < kinds.index("Link") < kinds.index("Figure")
    (span,) = [e for e in found if e["role"] == "Span"]
    assert span["lang"] == "en-GB"
    (figure,) = [e for e in found if e["role"] == "Figure"]  # the picture without alternative text is decoration
    assert figure["alt"] == "Karta över Södertörn" and "BBox" in figure["attrs"]
    (link,) = [e for e in found if e["role"] == "Link"]
    (annot,) = link["objr"]
    assert str(annot["/Contents"]) == "webbplatsen" and "/StructParent" in annot
    assert kinds.count("Table") == 1 and kinds.count("TH") == 2 and kinds.count("TD") == 6
    assert all(e["attrs"].get("Scope") == "Column" for e in found if e["role"] == "TH")


@needs("pdfinfo", "poppler-utils")
def test_headers_and_footers_are_artifacts(mixed: Path) -> None:
    tree = struct_text(mixed)
    assert "Sidhuvud" not in tree and "Sida" not in tree
    assert "Hon sade good morning och gick." in " ".join(tree.split())
    assert tree.index("Rubrik ett") < tree.index("Första punkten") < tree.index("Tid") < tree.index("Huddinge")
    with pikepdf.open(mixed) as doc:
        content = doc.pages[0].Contents.read_bytes()
    assert b"/Artifact <</Type /Pagination /Subtype /Header>> BDC" in content
    assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in content


def test_a_repeated_header_row_is_read_once(tmp_path: Path) -> None:
    doc = b.Document()
    table = doc.add_table(rows=80, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Kolumnrubrik", "Andra"
    for i, row in enumerate(table.rows[1:], start=1):
        row.cells[0].text, row.cells[1].text = f"rad {i}", "x"
    b.repeat_header(table.rows[0])
    engine_pdf = BuiltinEngine().convert(b.save(doc, tmp_path / "lång.docx"), tmp_path / "motor.pdf")
    pdf = finish(engine_pdf, tmp_path / "lång.pdf", Metadata(title="Lång tabell", author="Kansliet"), ua=True)
    with pikepdf.open(pdf) as opened:
        assert len(opened.pages) >= 2
    found = elements(pdf)
    assert [e["role"] for e in found].count("TH") == 2
    assert pdfua_findings(pdf) == []


@needs("pdftotext", "poppler-utils")
def test_characters_beyond_the_basic_plane_read_right_and_glyphless_ones_leave_nothing(tmp_path: Path) -> None:
    doc = b.Document()
    doc.add_paragraph("Glad \U0001F600 och \U000F0001 klart")  # an emoji DejaVu draws; a private-use one no font has
    pdf = BuiltinEngine().convert(b.save(doc, tmp_path / "emoji.docx"), tmp_path / "emoji.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Glad \U0001F600 och" in text
    assert "\u1F60" not in text and "\U000F0001" not in text and "\ufffd" not in text
    assert " klart" in text


def test_pdf_ua_is_declared_only_for_an_engine_that_tags_for_it(tmp_path: Path) -> None:
    doc = b.Document()
    doc.add_paragraph("Text")
    engine_pdf = BuiltinEngine().convert(b.save(doc, tmp_path / "t.docx"), tmp_path / "motor.pdf")
    meta = Metadata(title="T", author="Kansliet")
    for ua in (True, False):
        out = finish(engine_pdf, tmp_path / f"ut-{ua}.pdf", meta, ua=ua)
        with pikepdf.open(out) as pdf, pdf.open_metadata() as xmp:
            assert (xmp.get("pdfuaid:part") == "1") is ua
            assert pdf.Root.MarkInfo.Marked is True  # tagged either way
