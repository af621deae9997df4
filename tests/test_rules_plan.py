"""Plan rules: the budget balances, calendar dates fit their weekday and year, appendices open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import SEED_PLAN_JSON as EXAMPLE

from pipeline.model.plan import Verksamhetsplan
from pipeline.rules.plan import appendix_problem, check_plan


def _plan(plan_data: dict[str, Any]) -> Verksamhetsplan:
    return Verksamhetsplan.model_validate(plan_data)


def _with_appendix(plan_data: dict[str, Any], tmp_path: Path, name: str, content: bytes | None) -> Path:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    plan_data["bilagor"] = [{"titel": "Avtalet", "fil": name}]
    return tmp_path / "plan.json"


def test_the_example_has_no_problems() -> None:
    plan = Verksamhetsplan.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
    assert check_plan(plan, EXAMPLE) == []


def test_unbalanced_budget_is_a_warning_saying_by_how_much(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["kostnader"][1]["belopp"] = 150_000
    problems = check_plan(_plan(plan_data), EXAMPLE)
    assert len(problems) == 1
    (problem,) = problems
    assert problem.warning
    assert problem.where == "budget"
    assert "underskott på 50 000 kr" in problem.message
    assert "2 152 500 kr" in problem.message


def test_surplus_is_named_too(plan_data: dict[str, Any]) -> None:
    plan_data["budget"]["intäkter"] = [{"rad": "Bidrag", "belopp": 10_000}]
    (problem,) = check_plan(_plan(plan_data), EXAMPLE)
    assert "överskott på 10 000 kr" in problem.message


def test_wrong_weekday_names_the_date(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][1]["möten"][0]["datum"] = "2026-02-07"  # a Saturday
    (problem,) = check_plan(_plan(plan_data), EXAMPLE)
    assert problem.warning
    assert problem.where == "kalendarium.grupper[1].möten[0].datum"
    assert "2026-02-07 är en lördag" in problem.message
    assert "fredagar" in problem.message


def test_date_outside_the_plan_year_names_the_date(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][0]["möten"][0]["datum"] = "2027-01-21"  # a Thursday, next year
    (problem,) = check_plan(_plan(plan_data), EXAMPLE)
    assert problem.warning
    assert "2027-01-21 ligger inte i planens år 2026" in problem.message


def test_missing_appendix_is_an_error_naming_it(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "saknas.pdf", None)
    (problem,) = check_plan(_plan(plan_data), source)
    assert not problem.warning
    assert problem.where == "bilagor[0].fil"
    assert "Bilaga 1" in problem.message and "Avtalet" in problem.message
    assert "finns inte" in problem.message


def test_corrupt_pdf_is_refused(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "trasig.pdf", b"%PDF-1.7\nthis is not a PDF\n")
    (problem,) = check_plan(_plan(plan_data), source)
    assert not problem.warning
    assert "Bilaga 1" in problem.message and "ingen läsbar PDF" in problem.message


@pytest.mark.parametrize("user_password", ["hemligt", ""])
def test_encrypted_pdf_is_refused(plan_data: dict[str, Any], tmp_path: Path, user_password: str) -> None:
    path = tmp_path / "krypterad.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path, encryption=pikepdf.Encryption(owner="ägare", user=user_password))
    source = _with_appendix(plan_data, tmp_path, "krypterad.pdf", path.read_bytes())
    (problem,) = check_plan(_plan(plan_data), source)
    assert not problem.warning
    assert "Bilaga 1" in problem.message
    assert "krypterad" in problem.message or "lösenordsskyddad" in problem.message


def test_corrupt_docx_is_refused(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "trasig.docx", b"PK\x03\x04 not really a zip")
    (problem,) = check_plan(_plan(plan_data), source)
    assert "Bilaga 1" in problem.message and "Word-dokument" in problem.message


def test_unsupported_file_type_is_refused(plan_data: dict[str, Any], tmp_path: Path) -> None:
    source = _with_appendix(plan_data, tmp_path, "bild.png", b"\x89PNG\r\n")
    (problem,) = check_plan(_plan(plan_data), source)
    assert "stöds inte" in problem.message and ".png" in problem.message


def test_the_committed_appendices_open() -> None:
    folder = EXAMPLE.parent / "bilagor"
    assert appendix_problem(folder / "samarbetsavtal-2010.docx") is None
    assert appendix_problem(folder / "sup-2040.pdf") is None


def test_errors_come_before_warnings(plan_data: dict[str, Any], tmp_path: Path) -> None:
    plan_data["budget"]["kostnader"][0]["belopp"] = 1
    source = _with_appendix(plan_data, tmp_path, "saknas.docx", None)
    problems = check_plan(_plan(plan_data), source)
    assert [p.warning for p in problems] == [False, True]


def test_the_same_date_twice_is_a_warning(plan_data: dict[str, Any]) -> None:
    plan_data["kalendarium"]["grupper"][1]["möten"][1]["datum"] = "2026-02-06"
    (problem,) = check_plan(_plan(plan_data), EXAMPLE)
    assert problem.warning and problem.where == "kalendarium.grupper[1].möten[1].datum"
    assert "Ledningsgruppen har två möten 2026-02-06" in problem.message
