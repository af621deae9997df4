"""Atomic outputs: all files land together or none do, and errors name the user's file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError, OutputError
from pipeline.outputs import staged, write_atomic


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
