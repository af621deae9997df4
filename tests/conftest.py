"""Shared fixtures: the seed example, a JSON writer, and the CLI run in-process."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import certs
import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED_MINUTES_JSON = ROOT / "inputs" / "minutes" / "2023-10-27-ledningsgrupp.json"
SEED_MINUTES_TEXT = Path(__file__).parent / "fixtures" / "seeds" / "002_ea0bafa765e18fca.txt"
SEED_PLAN_TEXT = Path(__file__).parent / "fixtures" / "seeds" / "000_4c505e271257d39c.txt"
SEED_PLAN_JSON = ROOT / "inputs" / "plan" / "verksamhetsplan-2026.json"


@dataclass
class Run:
    """What one in-process `kansli` run gave."""

    code: int
    out: str
    err: str


@pytest.fixture
def minutes_data() -> dict[str, Any]:
    """Return the seed minutes as a fresh dict (safe to mutate)."""
    data: dict[str, Any] = json.loads(SEED_MINUTES_JSON.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def plan_data() -> dict[str, Any]:
    """Return the example plan as a fresh dict (safe to mutate)."""
    data: dict[str, Any] = json.loads(SEED_PLAN_JSON.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes data as JSON into tmp_path and returns the path."""

    def write(data: Any, name: str = "möte.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture
def kansli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Return a function that runs `kansli ARGS...` in-process and returns its exit code and output."""

    def run(*args: str | Path) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """Return a copy of the seed minutes JSON in tmp_path."""
    target = tmp_path / SEED_MINUTES_JSON.name
    shutil.copy(SEED_MINUTES_JSON, target)
    return target


def needs(program: str, package: str) -> pytest.MarkDecorator:
    """Return a mark that skips the test when *program* is not on PATH, naming the Debian *package*."""
    return pytest.mark.skipif(shutil.which(program) is None, reason=f"{program} saknas (Debian-paketet {package})")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests marked `libreoffice` where soffice (or, with uno=True, python3-uno) is missing."""
    from pipeline.engines.libreoffice import find_soffice, find_uno_python

    marked = [(item, mark) for item in items if (mark := item.get_closest_marker("libreoffice"))]
    if not marked:
        return
    soffice = find_soffice()
    for item, mark in marked:
        if soffice is None:
            item.add_marker(pytest.mark.skip(reason="soffice saknas (Debian-paketet libreoffice-writer)"))
        elif mark.kwargs.get("uno") and find_uno_python(soffice) is None:
            item.add_marker(pytest.mark.skip(reason="python3-uno saknas (Debian-paketet python3-uno)"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under *folder* (hidden ones and staging folders included) as name → bytes."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} | {
        str(p.relative_to(folder)) + "/": b"" for p in sorted(folder.rglob("*")) if p.is_dir()}


def docx_text(path: Path) -> str:
    """Return the text python-docx reads from *path*: headers, body (tables included), footers."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    parts = [s.header._element for s in doc.sections] + [doc.element.body] + [s.footer._element for s in doc.sections]
    return "\n".join(Paragraph(p, doc).text for part in parts for p in part.iter(qn("w:p")))


def pdf_text(path: Path) -> str:
    """Return the extracted text of every page of *path*, pages joined by newlines."""
    from pipeline.pdftext import page_texts

    return "\n".join(page_texts(path))


def squash(text: str) -> str:
    """Return *text* with every run of whitespace made one space (how texts are compared)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for one test module's throwaway keys and certificates, removed after the module."""
    folder = tmp_path_factory.mktemp("nycklar")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)  # throwaway private keys do not outlive the tests


@pytest.fixture(scope="module")
def ca(keys: Path) -> certs.Authority:
    """A test CA for one test module (a module may define its own)."""
    return certs.authority(keys)
