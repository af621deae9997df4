"""Pages a reader trusts: no heading ends a page, no table row is split, in both engines and on shifted plans.

Mirrors pipeline/plan/pages.py (where the PDF's lines are read) and the template's pagination rules.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_PLAN_JSON

from pipeline import pdftext
from pipeline.api import build
from pipeline.pdftext import normalise
from pipeline.plan.context import group_heading, headings
from pipeline.plan.model import Goal, Verksamhetsplan
from pipeline.plan.pages import Line, pdf_lines

ENGINES = ["builtin", pytest.param("libreoffice", marks=pytest.mark.libreoffice)]
FOOTER = "Södertörnskommunernas samarbetskommitté · Verksamhetsplan och budget"


def _heading_texts(plan: Verksamhetsplan) -> set[str]:
    """Return every line that is a heading of something below it: chapters, sub-headings, goals, groups."""
    out = set(headings(plan)) | {"Intäkter", "Kostnader", "Aktivitet Kommentar"}
    for chapter in plan.kapitel:
        for block in chapter.innehall:
            if isinstance(block, Goal):
                out.add(block.heading)
            elif isinstance(block, dict | str):
                continue
            elif hasattr(block, "rubrik") and isinstance(block.rubrik, str):
                out.add(block.rubrik)
    if plan.kalendarium is not None:
        out |= {group_heading(g) for g in plan.kalendarium.grupper}
    return {normalise(t) for t in out}


def _last_lines(lines: list[Line], pages: int) -> dict[int, str]:
    """Return the last text line above the footer of each of the first *pages* pages."""
    last: dict[int, str] = {}
    for line in lines:
        if line.page <= pages and not line.text.startswith(FOOTER) and line.text.strip():
            last[line.page] = line.text
    return last


def _ends_with_heading(pdf: Path, plan: Verksamhetsplan) -> list[str]:
    lines = pdf_lines(pdf)
    starts = [line.page for line in lines if line.text.startswith("Bilaga 1, sida 1 av")]
    own = (starts[0] - 1) if starts else max(line.page for line in lines)
    wanted = _heading_texts(plan)
    return [f"sidan {page} slutar med rubriken »{text}«" for page, text in _last_lines(lines, own).items()
            if any(text == h or (len(text) > 12 and h.startswith(text)) for h in wanted)]


def _plan_copy(tmp_path: Path, data: dict[str, Any]) -> Path:
    for folder in ("bilagor", "bilder"):
        shutil.copytree(SEED_PLAN_JSON.parent / folder, tmp_path / folder, dirs_exist_ok=True)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=ENGINES)
def seed_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"sidor-{request.param}")
    build("plan", SEED_PLAN_JSON, out, engine=request.param)
    return out / "verksamhetsplan-2026.pdf"


def _seed() -> Verksamhetsplan:
    return Verksamhetsplan.model_validate_json(SEED_PLAN_JSON.read_text(encoding="utf-8"))


def test_no_page_of_the_seed_plan_ends_with_a_heading(seed_pdf: Path) -> None:
    assert _ends_with_heading(seed_pdf, _seed()) == []


def _words(cell: Any) -> list[str]:
    if isinstance(cell, str):
        return cell.split()
    return [w for b in cell for w in (b.split() if isinstance(b, str) else " ".join(b.punktlista).split())]


def _columns(pdf: Path, split_x: float) -> list[tuple[str, str]]:
    """Return each page's text left and right of *split_x*, line by line (the two table columns apart)."""
    out: list[tuple[str, str]] = []
    for fragments in pdftext.page_fragments(pdf):
        left: list[str] = []
        right: list[str] = []
        for row in pdftext.lines(fragments):
            left += [f.text for f in row if f.x < split_x]
            right += [f.text for f in row if f.x >= split_x]
        out.append(tuple(normalise(" ".join(side).replace("•", " ")) for side in (left, right)))  # type: ignore[misc]
    return out


def test_no_table_row_of_the_seed_plan_is_split_across_pages(seed_pdf: Path) -> None:
    """Every cell's whole text stands on one page: a row split across pages splits one of its cells."""
    plan = _seed()
    split_x = (2.5 + 6.5) / 2.54 * 72  # the left margin and the first column's width
    columns = _columns(seed_pdf, split_x)
    checked = 0
    for chapter in plan.kapitel:
        for block in chapter.innehall:
            for row in getattr(block, "aktiviteter", []):
                for side, cell in enumerate((row.aktivitet, row.kommentar)):
                    text = normalise(" ".join(_words(cell)))
                    if not text:
                        continue
                    pages = [n + 1 for n, page in enumerate(columns) if text in page[side]]
                    assert len(pages) == 1, f"cellen »{text[:50]}…« står inte hel på en sida"
                    checked += 1
    assert checked >= 20


SHIFTS = [*(pytest.param("builtin", n, id=f"builtin-{n}") for n in (1, 3, 5, 8, 12)),
          *(pytest.param("libreoffice", n, id=f"libreoffice-{n}", marks=pytest.mark.libreoffice) for n in (3, 8))]


@pytest.mark.parametrize(("engine", "extra"), SHIFTS)
def test_pages_hold_however_the_text_falls(tmp_path: Path, plan_data: dict[str, Any], engine: str,
                                          extra: int) -> None:
    """The same plan with more paragraphs in chapter 1: every page break falls somewhere else, and still
    no page ends with a heading and the budget stands on one page with its footnote."""
    filler = "Ett stycke till som flyttar allt som följer en bit längre ned på sidan, rad för rad. " * 3
    plan_data["kapitel"][0]["innehåll"][1:1] = [filler] * extra
    source = _plan_copy(tmp_path, plan_data)
    build("plan", source, tmp_path / "ut", engine=engine)
    pdf = tmp_path / "ut" / "plan.pdf"
    plan = Verksamhetsplan.model_validate(plan_data)
    assert _ends_with_heading(pdf, plan) == []
    lines = pdf_lines(pdf)
    budget = {line.page for line in lines if line.text in ("Intäkter", "Kostnader")
              or line.text.startswith(("Personalkostnader*", "*Kostnaden baseras", "Övrigt exempelvis"))}
    assert len(budget) == 1, f"budgeten står på sidorna {sorted(budget)}"
