"""The command line, run in-process: exit codes, messages, and nothing lost."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Run


def test_minutes_writes_docx_and_pdf(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    run = kansli("minutes", seed_copy, "-o", out)
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.iterdir()) == ["2023-10-27-ledningsgrupp.docx", "2023-10-27-ledningsgrupp.pdf"]
    assert "skrev" in run.out


def test_no_pdf_writes_only_docx(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    run = kansli("minutes", seed_copy, "-o", tmp_path / "ut", "--no-pdf")
    assert run.code == 0
    assert [p.suffix for p in (tmp_path / "ut").iterdir()] == [".docx"]


def test_bad_input_exit_1_one_message_nothing_written(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                                      minutes_data: dict[str, Any], tmp_path: Path) -> None:
    minutes_data["justerare"] = "Okänd Person"
    path = write_json(minutes_data)
    out = tmp_path / "ut"
    run = kansli("minutes", path, "-o", out)
    assert run.code == 1
    assert "Traceback" not in run.err
    assert str(path) in run.err and "justerare" in run.err
    assert not out.exists() or list(out.iterdir()) == []


def test_syntax_error_names_the_line(kansli: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{\n  "organ": "x"\n  "datum": 1\n}', encoding="utf-8")
    run = kansli("minutes", path, "-o", tmp_path / "ut")
    assert run.code == 1 and "rad 3" in run.err and "Traceback" not in run.err


def test_failed_rerun_keeps_the_earlier_result(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    assert kansli("minutes", seed_copy, "-o", out).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    data = json.loads(seed_copy.read_text(encoding="utf-8"))
    data["datum"] = "2023-13-01"
    seed_copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert kansli("minutes", seed_copy, "-o", out).code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_signed_pdf_is_not_overwritten(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    signed = out / "2023-10-27-ledningsgrupp.pdf"
    signed.write_bytes(b"%PDF-1.7\n/ByteRange [0 10 20 30]\n%%EOF\n")
    run = kansli("minutes", seed_copy, "-o", out)
    assert run.code == 1 and "signerad" in run.err
    assert signed.read_bytes().startswith(b"%PDF-1.7\n/ByteRange")
    assert not (out / "2023-10-27-ledningsgrupp.docx").exists()
    assert kansli("minutes", seed_copy, "-o", out, "--force").code == 0


def test_unknown_engine_is_a_clear_error(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    run = kansli("minutes", seed_copy, "-o", tmp_path, "--engine", "word")
    assert run.code == 1 and "okänd motor 'word'" in run.err and "builtin" in run.err


def test_usage_error_is_exit_2(kansli: Callable[..., Run]) -> None:
    run = kansli("minutes")
    assert run.code == 2 and "Traceback" not in run.err
    assert kansli("finns-inte").code == 2


def test_missing_file_is_exit_2_from_click(kansli: Callable[..., Run], tmp_path: Path) -> None:
    assert kansli("minutes", tmp_path / "saknas.json").code in (1, 2)


def test_schema_is_json_schema_with_swedish_fields(kansli: Callable[..., Run]) -> None:
    run = kansli("schema", "minutes")
    assert run.code == 0
    schema = json.loads(run.out)
    assert {"organ", "datum", "deltagare", "frånvarande", "justerare", "punkter", "nästa_möte"} <= set(schema["properties"])
    assert "organ" in schema["required"]


def test_committed_schemas_are_current(kansli: Callable[..., Run]) -> None:
    root = Path(__file__).resolve().parent.parent / "schemas"
    for kind in ("minutes", "plan"):
        run = kansli("schema", kind)
        assert run.code == 0
        assert (root / f"{kind}.schema.json").read_text(encoding="utf-8") == run.out, \
            f"schemas/{kind}.schema.json is stale: run `make schemas`"


def test_check_prints_warnings_and_exits_0(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                           minutes_data: dict[str, Any]) -> None:
    minutes_data["datum"] = "2023-10-28"
    minutes_data["deltagare"].append({"namn": "Mats Bergström"})
    run = kansli("check", write_json(minutes_data))
    assert run.code == 0
    assert "lördag" in run.err and "två gånger" in run.err and "ok:" in run.out


def test_check_lists_all_errors(kansli: Callable[..., Run], write_json: Callable[..., Path],
                                minutes_data: dict[str, Any]) -> None:
    minutes_data["justerare"] = "X Y"
    minutes_data["slut"] = "07:00"
    run = kansli("check", write_json(minutes_data))
    assert run.code == 1
    assert "justerare" in run.err and "slut" in run.err and "2 fel" in run.err


def test_pdf_converts_many_and_goes_on_after_a_failure(kansli: Callable[..., Run], seed_copy: Path,
                                                       tmp_path: Path) -> None:
    assert kansli("minutes", seed_copy, "-o", tmp_path, "--no-pdf").code == 0
    good = tmp_path / "2023-10-27-ledningsgrupp.docx"
    bad = tmp_path / "trasig.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "pdf"
    run = kansli("pdf", bad, good, "-o", out)
    assert run.code == 1
    assert "trasig.docx" in run.err and "Traceback" not in run.err
    assert [p.name for p in out.iterdir()] == ["2023-10-27-ledningsgrupp.pdf"]


def test_pdf_refuses_two_files_that_would_become_one_pdf(kansli: Callable[..., Run], seed_copy: Path,
                                                         tmp_path: Path) -> None:
    assert kansli("minutes", seed_copy, "-o", tmp_path / "a", "--no-pdf").code == 0
    assert kansli("minutes", seed_copy, "-o", tmp_path / "b", "--no-pdf").code == 0
    same = [tmp_path / d / "2023-10-27-ledningsgrupp.docx" for d in ("a", "b")]
    run = kansli("pdf", *same, "-o", tmp_path / "ut")
    assert run.code == 2 and "samma PDF" in run.err
    assert not (tmp_path / "ut").exists()


def test_pdf_in_parallel_gives_what_one_at_a_time_gives(kansli: Callable[..., Run], seed_copy: Path,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert kansli("minutes", seed_copy, "-o", tmp_path, "--no-pdf").code == 0
    docx = tmp_path / "2023-10-27-ledningsgrupp.docx"
    copies = [Path(shutil.copy(docx, tmp_path / f"kopia{i}.docx")) for i in range(4)]
    assert kansli("pdf", *copies, "-o", tmp_path / "par", "-j", "2").code == 0
    assert kansli("pdf", *copies, "-o", tmp_path / "seq", "-j", "1").code == 0
    for c in copies:
        assert (tmp_path / "par" / f"{c.stem}.pdf").read_bytes() == (tmp_path / "seq" / f"{c.stem}.pdf").read_bytes()

