"""The shipped fonts: the same PDF with or without the machine's fonts, and a named stand-in for a missing one."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import builders as b
import pikepdf
import pytest
from conftest import SEED_MINUTES_JSON, SEED_PLAN_JSON, Run, pdf_text
from pdfcheck import fonts as pdf_fonts

from pipeline.engines.builtin import BuiltinEngine, fonts

EPOCH = "1700000000"
SHIPPED = Path(fonts.__file__).resolve().parents[2] / "fonts"


@contextmanager
def only_shipped_fonts(empty: Path) -> Iterator[None]:
    """Run the block as on a machine without fonts: the font search folders hold nothing."""
    empty.mkdir(parents=True, exist_ok=True)
    saved = fonts.FONT_DIRS
    fonts.FONT_DIRS = [empty]
    fonts.reset()
    try:
        yield
    finally:
        fonts.FONT_DIRS = saved
        fonts.reset()


def pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def minutes_pdf(kansli: Callable[..., Run], out: Path) -> Path:
    run = kansli("minutes", SEED_MINUTES_JSON, "-o", out)
    assert run.code == 0, run.err
    assert "typsnittet" not in run.err
    return out / f"{SEED_MINUTES_JSON.stem}.pdf"


def test_licences_come_with_the_fonts() -> None:
    files = {p.name for p in SHIPPED.iterdir()}
    for family in ("Carlito", "Caladea", "LiberationSans", "LiberationSerif", "LiberationMono"):
        assert {f"{family}-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic")} <= files
    assert "DejaVuSans.ttf" in files
    for licence in ("Carlito-OFL.txt", "Caladea-OFL.txt", "Liberation-OFL.txt"):
        assert "SIL OPEN FONT LICENSE Version 1.1" in (SHIPPED / licence).read_text(encoding="utf-8")
    dejavu = (SHIPPED / "DejaVuSans-LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in dejavu and "Arev Fonts Copyright" in dejavu


def test_seed_minutes_are_byte_identical_without_system_fonts(
        kansli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    normal = minutes_pdf(kansli, tmp_path / "med")
    with only_shipped_fonts(tmp_path / "inga-typsnitt"):
        bare = minutes_pdf(kansli, tmp_path / "utan")
    assert bare.read_bytes() == normal.read_bytes()
    assert pages(bare) == 5
    used = pdf_fonts(bare)
    assert used and all(f.family == "Carlito" and f.embedded and "+" in f.name for f in used), used


def test_word_families_use_the_shipped_fonts(kansli: Callable[..., Run], tmp_path: Path) -> None:
    doc = b.Document()
    for family in ("Calibri", "Calibri Light", "Aptos", "Cambria", "Arial", "Helvetica", "Times New Roman",
                   "Times", "Courier New", "Courier"):
        doc.add_paragraph(f"Texten i {family}").runs[0].font.name = family
    with only_shipped_fonts(tmp_path / "inga-typsnitt"):
        run = kansli("pdf", b.save(doc, tmp_path / "familjer.docx"), "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    assert "typsnittet" not in run.err
    pdf = tmp_path / "ut" / "familjer.pdf"
    assert {f.family for f in pdf_fonts(pdf)} == {
        "Carlito", "Caladea", "LiberationSans", "LiberationSerif", "LiberationMono"}
    assert "Texten i Courier New" in pdf_text(pdf)


def test_shipped_fonts_win_over_the_machines(kansli: Callable[..., Run], tmp_path: Path) -> None:
    """A machine whose "Carlito" is some other font still gets kansli's Carlito for Calibri."""
    impostor = tmp_path / "datorns-typsnitt"
    impostor.mkdir()
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy(SHIPPED / f"LiberationSerif-{style}.ttf", impostor / f"Carlito-{style}.ttf")
    doc = b.Document()
    doc.add_paragraph("Brödtext").runs[0].font.name = "Calibri"
    with only_shipped_fonts(tmp_path / "tom"):
        fonts.FONT_DIRS = [impostor]
        run = kansli("pdf", b.save(doc, tmp_path / "brod.docx"), "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    assert {f.family for f in pdf_fonts(tmp_path / "ut" / "brod.pdf")} == {"Carlito"}


def test_an_installed_family_is_used_without_a_warning(kansli: Callable[..., Run], tmp_path: Path) -> None:
    installed = tmp_path / "datorns-typsnitt"
    installed.mkdir()
    shutil.copy(SHIPPED / "DejaVuSans.ttf", installed / "Kanslisans-Regular.ttf")
    doc = b.Document()
    doc.add_paragraph("Eget typsnitt").runs[0].font.name = "Kanslisans"
    with only_shipped_fonts(tmp_path / "tom"):
        fonts.FONT_DIRS = [installed]
        run = kansli("pdf", b.save(doc, tmp_path / "eget.docx"), "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    assert "typsnittet" not in run.err
    assert "DejaVuSans" in {f.family for f in pdf_fonts(tmp_path / "ut" / "eget.pdf")}


def test_a_missing_family_is_named_once_with_its_stand_in(kansli: Callable[..., Run], tmp_path: Path) -> None:
    doc = b.Document()
    for text in ("Första stycket", "Andra stycket", "Tredje stycket"):
        para = doc.add_paragraph(text)
        para.runs[0].font.name = "Garamond"
        para.add_run(" och mer").font.name = "garamond"
    doc.add_paragraph("Brödtext i Calibri").runs[0].font.name = "Calibri"
    with only_shipped_fonts(tmp_path / "inga-typsnitt"):
        run = kansli("pdf", b.save(doc, tmp_path / "minnes.docx"), "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    named = [line for line in run.err.splitlines() if "typsnittet" in line]
    assert named == ["varning: minnes.docx: typsnittet »Garamond« finns varken i kansli eller på datorn; "
                     "Liberation Serif används i stället"]
    assert "Andra stycket och mer" in pdf_text(tmp_path / "ut" / "minnes.pdf")


def test_a_document_converted_again_names_the_family_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The plan converts its .docx again for the contents' page numbers: one warning, not one per pass."""
    doc = b.Document()
    doc.add_paragraph("Stycke").runs[0].font.name = "Garamond"
    docx = b.save(doc, tmp_path / "plan.docx")
    engine = BuiltinEngine()
    with only_shipped_fonts(tmp_path / "inga-typsnitt"), caplog.at_level(logging.WARNING, logger="kansli"):
        engine.convert(docx, tmp_path / "1.pdf")
        engine.convert(docx, tmp_path / "2.pdf")
        assert sum("»Garamond«" in r.getMessage() for r in caplog.records) == 1
        BuiltinEngine().convert(docx, tmp_path / "3.pdf")  # another run names it again
    assert sum("»Garamond«" in r.getMessage() for r in caplog.records) == 2


def test_characters_the_font_lacks_come_from_the_shipped_fallback(
        kansli: Callable[..., Run], tmp_path: Path) -> None:
    doc = b.Document()
    doc.add_paragraph("Klart ✓ och ej klart ☐").runs[0].font.name = "Calibri"
    with only_shipped_fonts(tmp_path / "inga-typsnitt"):
        run = kansli("pdf", b.save(doc, tmp_path / "tecken.docx"), "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    pdf = tmp_path / "ut" / "tecken.pdf"
    used = pdf_fonts(pdf)
    assert {f.family for f in used} == {"Carlito", "DejaVuSans"} and all(f.embedded for f in used)
    assert "Klart ✓ och ej klart ☐" in pdf_text(pdf)


def _unshare_works() -> str | None:
    """Return why /usr/share/fonts cannot be hidden here, or None when it can."""
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return "unshare saknas (Linux, Debian-paketet util-linux)"
    if os.geteuid() != 0:
        return "att dölja /usr/share/fonts med unshare -m kräver root"
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        return "unshare -m är inte tillåtet här"
    return None


@pytest.mark.slow
def test_without_usr_share_fonts_in_a_real_process(tmp_path: Path) -> None:
    """The seed minutes and plan made with /usr/share/fonts really hidden, against a normal run."""
    reason = _unshare_works()
    if reason:
        pytest.skip(reason)
    empty = tmp_path / "tom"
    empty.mkdir()
    kansli = f'"{sys.executable}" -c "from pipeline.cli import main; raise SystemExit(main())"'
    script = (f'{kansli} minutes "{SEED_MINUTES_JSON}" -o "$1" && {kansli} plan "{SEED_PLAN_JSON}" -o "$1"')
    hide = f'mount --bind "{empty}" /usr/share/fonts && test -z "$(ls -A /usr/share/fonts)" && {script}'
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    for name, command in (("med", ["sh", "-c", script]), ("utan", ["unshare", "-m", "sh", "-c", hide])):
        done = subprocess.run([*command, "sh", str(tmp_path / name)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "typsnittet" not in done.stderr
    minutes = f"{SEED_MINUTES_JSON.stem}.pdf"
    assert (tmp_path / "utan" / minutes).read_bytes() == (tmp_path / "med" / minutes).read_bytes()
    assert pages(tmp_path / "utan" / minutes) == 5
    plan = f"{SEED_PLAN_JSON.stem}.pdf"
    assert pages(tmp_path / "utan" / plan) == pages(tmp_path / "med" / plan) == 18  # with the goal-structure figure
