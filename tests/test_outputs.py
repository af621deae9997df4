"""Atomic outputs: all files land together or none do, and errors name the user's file."""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run

from pipeline.errors import InputError, OutputError
from pipeline.outputs import guard, staged, write_atomic


def test_files_land_together_on_commit(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    with staged(out) as stage:
        stage.path("a.docx").write_bytes(b"a")
        stage.path("a.pdf").write_bytes(b"b")
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == []
        stage.commit(force=False)
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "a.pdf"]


def test_a_failure_leaves_nothing_and_keeps_the_earlier_file(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"tidigare")
    with pytest.raises(InputError), staged(tmp_path) as stage:
        stage.path("a.docx").write_bytes(b"halvfardig")
        raise InputError("något gick fel")
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
    assert (tmp_path / "a.docx").read_bytes() == b"tidigare"


def test_an_error_about_a_staged_file_names_the_users_file(tmp_path: Path) -> None:
    source = tmp_path / "möte.json"
    with pytest.raises(InputError) as info, staged(tmp_path / "ut", source=source) as stage:
        raise InputError("signaturblocket saknas", path=stage.scratch("motor.pdf"))
    assert info.value.path == source
    with pytest.raises(InputError) as other, staged(tmp_path / "ut", source=source):
        raise InputError("bilagan saknas", path=tmp_path / "bilaga.pdf")
    assert other.value.path == tmp_path / "bilaga.pdf"


def test_a_signed_pdf_is_not_overwritten_without_force(tmp_path: Path) -> None:
    signed = tmp_path / "m.pdf"
    signed.write_bytes(b"%PDF-1.7 /ByteRange [0 1 2 3] %%EOF")
    with pytest.raises(OutputError, match="signerad"):
        write_atomic(signed, b"ny")
    assert signed.read_bytes().startswith(b"%PDF-1.7 /ByteRange")
    write_atomic(signed, b"ny", force=True)
    assert signed.read_bytes() == b"ny"


# --- one guard for every file kansli writes ------------------------------------------------------------

SIGNED = b"%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 10 20 30] >> endobj\n%%EOF\n"


def _plan_folder(tmp_path: Path) -> Path:
    """Return the example plan's JSON file, copied with its appendices into tmp_path."""
    from conftest import SEED_PLAN_JSON

    shutil.copytree(SEED_PLAN_JSON.parent, tmp_path / "plan")
    return tmp_path / "plan" / SEED_PLAN_JSON.name


@pytest.mark.parametrize("existing", [SIGNED, b"{\"organ\": \"x\"}", b"PK\x03\x04rest", b"BEGIN:VCALENDAR\r\n",
                                      b"anteckningar\n"], ids=["signed", "json", "docx", "ics", "text"])
def test_schema_never_overwrites_a_file_of_another_kind(kansli: Callable[..., Run], tmp_path: Path,
                                                        existing: bytes) -> None:
    target = tmp_path / "mål.pdf"
    target.write_bytes(existing)
    run = kansli("schema", "minutes", "-o", target)
    if existing.startswith(b"{"):  # a JSON file is what `schema` makes: replaced
        assert run.code == 0 and json.loads(target.read_text(encoding="utf-8"))["$schema"]
        return
    assert run.code == 1 and str(target) in run.err and "--force" in run.err and "Traceback" not in run.err
    assert target.read_bytes() == existing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mål.pdf"]
    assert kansli("schema", "minutes", "-o", target, "--force").code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"]


def test_calendar_never_overwrites_its_own_plan(kansli: Callable[..., Run], tmp_path: Path) -> None:
    plan = _plan_folder(tmp_path)
    before = plan.read_bytes()
    run = kansli("calendar", plan, "-o", plan)
    assert run.code == 1 and "egen indata" in run.err and plan.read_bytes() == before
    other_json = plan.with_name("annan.json")
    other_json.write_bytes(before)
    run = kansli("calendar", plan, "-o", other_json)  # a plan under another name: still JSON, not .ics
    assert run.code == 1 and "JSON-fil" in run.err and other_json.read_bytes() == before


def test_an_input_reached_through_a_link_is_still_the_input(kansli: Callable[..., Run], tmp_path: Path) -> None:
    plan = _plan_folder(tmp_path)
    before = plan.read_bytes()
    link = plan.with_name("kalender.ics")
    link.symlink_to(plan.name)
    run = kansli("calendar", plan, "-o", link)
    assert run.code == 1 and "egen indata" in run.err and plan.read_bytes() == before


def test_a_calendar_replaces_an_earlier_calendar(kansli: Callable[..., Run], tmp_path: Path) -> None:
    plan = _plan_folder(tmp_path)
    target = tmp_path / "kalender.ics"
    assert kansli("calendar", plan, "-o", target).code == 0
    first = target.read_bytes()
    assert kansli("calendar", plan, "-o", target).code == 0
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR") and len(target.read_bytes()) == len(first)


def test_a_template_is_never_overwritten_by_the_document_it_makes(kansli: Callable[..., Run],
                                                                  seed_copy: Path) -> None:
    out = seed_copy.parent / "ut"
    assert kansli("minutes", seed_copy, "-o", out, "--no-pdf").code == 0
    template = out / f"{seed_copy.stem}.docx"
    before = template.read_bytes()
    run = kansli("minutes", seed_copy, "-o", out, "--no-pdf", "-t", template)
    assert run.code == 1 and "egen indata" in run.err and template.read_bytes() == before


def test_minutes_never_overwrite_a_signed_pdf_or_a_json_under_a_pdf_name(kansli: Callable[..., Run],
                                                                       seed_copy: Path) -> None:
    out = seed_copy.parent / "ut"
    out.mkdir()
    target = out / f"{seed_copy.stem}.pdf"
    for existing in (SIGNED, seed_copy.read_bytes()):
        target.write_bytes(existing)
        run = kansli("minutes", seed_copy, "-o", out)
        assert run.code == 1 and str(target) in run.err and target.read_bytes() == existing
        assert sorted(p.name for p in out.iterdir()) == [target.name]  # the .docx was not written either


def test_pdf_never_overwrites_a_non_pdf_under_the_pdf_name(kansli: Callable[..., Run], seed_copy: Path) -> None:
    out = seed_copy.parent / "ut"
    assert kansli("minutes", seed_copy, "-o", out, "--no-pdf").code == 0
    docx = out / f"{seed_copy.stem}.docx"
    target = out / f"{seed_copy.stem}.pdf"
    target.write_bytes(b"PK\x03\x04 ett zip-paket med fel namn")
    run = kansli("pdf", docx)
    assert run.code == 1 and "Word-dokument" in run.err and target.read_bytes().startswith(b"PK")


def test_next_never_overwrites_and_never_writes_over_its_input(kansli: Callable[..., Run], seed_copy: Path) -> None:
    before = seed_copy.read_bytes()
    run = kansli("next", seed_copy, "-o", seed_copy)
    assert run.code == 1 and seed_copy.read_bytes() == before


def test_a_folder_where_a_file_should_go_is_named(kansli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "schema.json").mkdir()
    run = kansli("schema", "minutes", "-o", tmp_path / "schema.json", "--force")
    assert run.code == 2 and "är en mapp" in run.err and str(tmp_path / "schema.json") in run.err
    assert (tmp_path / "schema.json").is_dir()


def test_a_file_where_the_output_folder_should_be_is_named(kansli: Callable[..., Run], seed_copy: Path) -> None:
    blocker = seed_copy.parent / "ut"
    blocker.write_text("en fil", encoding="utf-8")
    run = kansli("minutes", seed_copy, "-o", blocker, "--no-pdf")
    assert run.code == 2 and str(blocker) in run.err and "inte en mapp" in run.err
    assert blocker.read_text(encoding="utf-8") == "en fil"


def test_an_unwritable_folder_is_said_in_swedish(kansli: Callable[..., Run], seed_copy: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Root writes anywhere, so the refusal of the system is made here; what is checked is the message.
    def refuse(*_: object, **__: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    run = kansli("minutes", seed_copy, "-o", seed_copy.parent / "ut", "--no-pdf")
    assert run.code == 1 and "saknar behörighet" in run.err and "PermissionError" not in run.err
    assert "Permission" not in run.err and not (seed_copy.parent / "ut").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root skriver i skrivskyddade mappar")
def test_a_read_only_folder_is_named(kansli: Callable[..., Run], seed_copy: Path) -> None:
    out = seed_copy.parent / "ut"
    out.mkdir()
    out.chmod(0o555)
    try:
        run = kansli("minutes", seed_copy, "-o", out, "--no-pdf")
    finally:
        out.chmod(0o755)
    assert run.code == 1 and "saknar behörighet" in run.err and str(out) in run.err


def test_guard_is_one_function_for_every_writer(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    with pytest.raises(OutputError, match="egen indata"):
        guard(source, force=False, inputs=[source], made="json")
    guard(source, force=True, inputs=[source], made="json")  # --force is the one way past it
    (tmp_path / "empty.pdf").write_bytes(b"")
    guard(tmp_path / "empty.pdf", force=False, made="json")  # an empty file holds nothing to lose
