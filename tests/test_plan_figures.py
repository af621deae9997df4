"""Pictures in the plan: where they may lie, what they must be, and how they come out (docx and PDF)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import SEED_PLAN_JSON
from docx import Document
from PIL import Image

from pipeline.api import build
from pipeline.errors import InputError
from pipeline.load import validate
from pipeline.pdftext import page_texts
from pipeline.plan.context import plan_context
from pipeline.plan.figures import svg_png
from pipeline.plan.files import figure_problems
from pipeline.plan.model import Verksamhetsplan

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
       b'<rect x="10" y="10" width="180" height="80" fill="#1F4E79"/></svg>')


def _cairo() -> bool:
    try:
        import cairosvg  # noqa: F401
    except OSError:
        return False
    return True


needs_cairo = pytest.mark.skipif(not _cairo(), reason="cairo saknas (Debian-paketet libcairo2)")


def _png(width: int = 40, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#1F4E79").save(out, "PNG")
    return out.getvalue()


def _plan_with(tmp_path: Path, plan_data: dict[str, Any], *figures: dict[str, Any]) -> Path:
    """Write *plan_data* with *figures* after chapter 1's text into tmp_path (appendices copied along)."""
    shutil.copytree(SEED_PLAN_JSON.parent / "bilagor", tmp_path / "bilagor", dirs_exist_ok=True)
    content = [b for b in plan_data["kapitel"][0]["innehåll"] if not (isinstance(b, dict) and "bild" in b)]
    plan_data["kapitel"][0]["innehåll"] = [*content, *figures]
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(plan_data, ensure_ascii=False), encoding="utf-8")
    return source


def _problems(source: Path) -> list[str]:
    plan = validate(json.loads(source.read_text(encoding="utf-8")), Verksamhetsplan, source)
    return [str(p) for p in figure_problems(plan, source)]


def test_a_picture_outside_the_plans_folder_is_refused(tmp_path: Path, plan_data: dict[str, Any]) -> None:
    (tmp_path / "ute.png").write_bytes(_png())
    folder = tmp_path / "plan"
    folder.mkdir()
    source = _plan_with(folder, plan_data, {"bild": "../ute.png", "alt": "x"}, {"bild": "/etc/passwd.png", "alt": "y"})
    problems = _problems(source)
    assert len(problems) == 2
    assert problems[0].startswith("kapitel[0].innehåll[3].bild: bilden ska ligga i planens mapp")
    assert "relativt planens fil" in problems[1]


def test_missing_wrong_kind_and_broken_pictures_are_named(tmp_path: Path, plan_data: dict[str, Any]) -> None:
    (tmp_path / "bild.gif").write_bytes(b"GIF89a")
    (tmp_path / "trasig.png").write_bytes(b"\x89PNG not really")
    (tmp_path / "inte.svg").write_bytes(b"<html><body/></html>")
    source = _plan_with(tmp_path, plan_data, {"bild": "saknas.png", "alt": "a"}, {"bild": "bild.gif", "alt": "b"},
                        {"bild": "trasig.png", "alt": "c"}, {"bild": "inte.svg", "alt": "d"})
    problems = _problems(source)
    assert len(problems) == 4
    assert "finns inte" in problems[0] and "stöds inte" in problems[1]
    assert "ingen läsbar bild" in problems[2] and "ingen SVG-bild" in problems[3]


def test_alt_text_is_required(tmp_path: Path, plan_data: dict[str, Any]) -> None:
    (tmp_path / "bild.png").write_bytes(_png())
    source = _plan_with(tmp_path, plan_data, {"bild": "bild.png"})
    with pytest.raises(InputError) as caught:
        validate(json.loads(source.read_text(encoding="utf-8")), Verksamhetsplan, source)
    assert any("alt" in p.where for p in caught.value.problems)


def test_captions_are_numbered_in_order(tmp_path: Path, plan_data: dict[str, Any]) -> None:
    (tmp_path / "a.png").write_bytes(_png())
    source = _plan_with(tmp_path, plan_data, {"bild": "a.png", "alt": "A", "bildtext": "Först"},
                        {"bild": "a.png", "alt": "B"})
    plan_data["organisationsavsnitt"]["innehåll"] = [{"bild": "a.png", "alt": "C", "bildtext": "Sist"}]
    source.write_text(json.dumps(plan_data, ensure_ascii=False), encoding="utf-8")
    plan = validate(plan_data, Verksamhetsplan, source)
    context = plan_context(plan)
    pictures = [b for chapter in context["kapitel"] for b in chapter["block"] if b["typ"] == "bild"]
    assert [p["bildtext"] for p in pictures] == ["Figur 1. Först", "Figur 2", "Figur 3. Sist"]
    assert [p["bild"].alt for p in pictures] == ["A", "B", "C"]
    assert [p["bild"].file for p in pictures] == [tmp_path / "a.png"] * 3  # relative to the plan's file


@needs_cairo
def test_an_svg_is_drawn_at_print_resolution_without_fetching_anything(tmp_path: Path) -> None:
    svg = tmp_path / "bild.svg"
    svg.write_bytes(SVG)
    with Image.open(io.BytesIO(svg_png(svg, 2.54))) as img:
        assert img.format == "PNG" and img.width == 200
    plain = svg_png(svg, 2.54)
    secret = tmp_path / "hemlig.png"
    secret.write_bytes(_png(9, 9))
    svg.write_bytes(SVG.replace(b"</svg>", f'<image href="file://{secret}" width="90" height="90"/></svg>'.encode()))
    assert svg_png(svg, 2.54) == plain  # the linked file is not read: drawn as nothing


def _images(pdf: Path, page: int) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages[page].get_images())


@pytest.mark.parametrize("engine", ["builtin", pytest.param("libreoffice", marks=pytest.mark.libreoffice)])
def test_the_example_shows_its_goal_structure_with_alt_text(tmp_path: Path, engine: str) -> None:
    build("plan", SEED_PLAN_JSON, tmp_path, engine=engine)
    docx = Document(str(tmp_path / "verksamhetsplan-2026.docx"))
    descr = [el.get("descr") for el in docx.element.body.iter("{*}docPr")]
    plan = Verksamhetsplan.model_validate_json(SEED_PLAN_JSON.read_text(encoding="utf-8"))
    ((_, figure),) = plan.figures()
    assert descr == [figure.alt]
    pdf = tmp_path / "verksamhetsplan-2026.pdf"
    texts = page_texts(pdf)
    (page,) = [n for n, text in enumerate(texts) if "Figur 1. Målstruktur för SUP 2040" in text]
    assert "enligt nedanstående bild" in texts[page]
    assert _images(pdf, page) == 1


@needs_cairo
def test_a_plan_with_an_svg_picture(tmp_path: Path, plan_data: dict[str, Any]) -> None:
    (tmp_path / "bild.svg").write_bytes(SVG)
    source = _plan_with(tmp_path, plan_data, {"bild": "bild.svg", "alt": "En blå ruta", "bredd": 8})
    build("plan", source, tmp_path / "ut")
    assert _images(tmp_path / "ut" / "plan.pdf", 2) == 1
