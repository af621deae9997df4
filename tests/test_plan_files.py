"""The files a plan names: appendices that are missing, broken, encrypted or of the wrong kind are named."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import SEED_PLAN_JSON as EXAMPLE
from conftest import Run

from pipeline.plan.files import appendix_problem, appendix_problems
from pipeline.plan.model import Verksamhetsplan
from pipeline.road import findings


def _plan(plan_data: dict[str, Any]) -> Verksamhetsplan:
    return Verksamhetsplan.model_validate(plan_data)


def _with_appendix(plan_data: dict[str, Any], tmp_path: Path, name: str, content: bytes | None) -> Path:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    plan_data["bilagor"] = [{"titel": "Avtalet", "fil": name}]
    return tmp_path / "plan.json"


def test_missing_appendix_is_an_error_naming_it(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "saknas.pdf", None)
    (problem,) = appendix_problems(_plan(plan_data), source)
    assert not problem.warning
    assert problem.where == "bilagor[0].fil"
    assert "Bilaga 1" in problem.message and "Avtalet" in problem.message
    assert "finns inte" in problem.message


def test_corrupt_pdf_is_refused(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "trasig.pdf", b"%PDF-1.7\nthis is not a PDF\n")
    (problem,) = appendix_problems(_plan(plan_data), source)
    assert not problem.warning
    assert "Bilaga 1" in problem.message and "ingen läsbar PDF" in problem.message


@pytest.mark.parametrize("user_password", ["hemligt", ""])
def test_encrypted_pdf_is_refused(plan_data: dict[str, Any], tmp_path: Path, user_password: str) -> None:
    path = tmp_path / "krypterad.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path, encryption=pikepdf.Encryption(owner="ägare", user=user_password))
    source = _with_appendix(plan_data, tmp_path, "krypterad.pdf", path.read_bytes())
    (problem,) = appendix_problems(_plan(plan_data), source)
    assert not problem.warning
    assert "Bilaga 1" in problem.message
    assert "krypterad" in problem.message or "lösenordsskyddad" in problem.message


def test_corrupt_docx_is_refused(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "trasig.docx", b"PK\x03\x04 not really a zip")
    (problem,) = appendix_problems(_plan(plan_data), source)
    assert "Bilaga 1" in problem.message and "Word-dokument" in problem.message


def test_unsupported_file_type_is_refused(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "bild.png", b"\x89PNG\r\n")
    (problem,) = appendix_problems(_plan(plan_data), source)
    assert "stöds inte" in problem.message and ".png" in problem.message


def test_the_committed_appendices_open() -> None:
    folder = EXAMPLE.parent / "bilagor"
    assert appendix_problem(folder / "samarbetsavtal-2010.docx") is None
    assert appendix_problem(folder / "sup-2040.pdf") is None


def _contract_entry() -> Any:
    from pipeline.contracts import contract_entry

    return contract_entry("plan")


def test_errors_come_before_warnings(plan_data: dict[str, Any], tmp_path: Path) -> None:
    plan_data["budget"]["kostnader"][0]["belopp"] = 1
    source = _with_appendix(plan_data, tmp_path, "saknas.docx", None)
    shutil.copytree(EXAMPLE.parent / "bilder", tmp_path / "bilder")  # the example's picture
    problems = findings(_contract_entry(), _plan(plan_data), source, "plan")
    flags = [p.warning for p in problems]  # the moved plan misses its picture too: errors, then the warning
    assert flags == sorted(flags) and not flags[0] and flags[-1], [str(p) for p in problems]
    assert any("saknas.docx" in p.message for p in problems) and "budget" in problems[-1].where


# --- where an appendix may lie: in the plan's folder tree, no symbolic links -----------------------------

def _named(plan_data: dict[str, Any], folder: Path, fil: str) -> list[str]:
    plan_data["bilagor"] = [{"titel": "Avtalet", "fil": fil}]
    return [p.message for p in appendix_problems(_plan(plan_data), folder / "plan.json")]


def _pdf(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path)
    return path


def test_an_appendix_in_the_plans_folder_tree_is_fine(plan_data: dict[str, Any], tmp_path: Path) -> None:
    _pdf(tmp_path / "bilagor" / "djup" / "avtal.pdf")
    assert _named(plan_data, tmp_path, "bilagor/djup/avtal.pdf") == []
    assert _named(plan_data, tmp_path, "bilagor/../bilagor/djup/avtal.pdf") == []
    assert _named(plan_data, tmp_path, str(tmp_path / "bilagor" / "djup" / "avtal.pdf")) == []


@pytest.mark.parametrize("where", ["../utanför.pdf", "bilagor/../../utanför.pdf", "~/utanför.pdf", "ABSOLUTE"])
def test_an_appendix_outside_the_plans_folder_is_refused(plan_data: dict[str, Any], tmp_path: Path,
                                                         where: str) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    outside = _pdf(tmp_path / "utanför.pdf")
    (messages,) = [_named(plan_data, folder, str(outside) if where == "ABSOLUTE" else where)]
    assert len(messages) == 1 and "planens mapp" in messages[0] and "Bilaga 1" in messages[0]


def test_a_symlinked_appendix_is_refused(plan_data: dict[str, Any], tmp_path: Path) -> None:
    secret = _pdf(tmp_path / "hemlig" / "lön.pdf")
    folder = tmp_path / "plan"
    (folder / "bilagor").mkdir(parents=True)
    (folder / "bilagor" / "avtal.pdf").symlink_to(secret)
    (folder / "länkad").symlink_to(secret.parent, target_is_directory=True)
    for fil in ("bilagor/avtal.pdf", "länkad/lön.pdf"):
        (message,) = _named(plan_data, folder, fil)
        assert "symbolisk länk" in message and fil.split("/")[0] in message


def test_check_names_the_refused_appendix(kansli: Callable[..., Run], plan_data: dict[str, Any],
                                          tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    plan_data["bilagor"] = [{"titel": "Lösenorden", "fil": "/etc/passwd"}]
    source = folder / "plan.json"
    source.write_text(json.dumps(plan_data, ensure_ascii=False), encoding="utf-8")
    run = kansli("plan", source, "-o", tmp_path / "ut")
    assert run.code == 1 and "bilagor[0].fil" in run.err and "utanför planens mapp" in run.err
    assert not (tmp_path / "ut").exists()
