"""Zip and XML bombs: every .docx (document, template, appendix) is refused from the zip directory or a
count of its XML, before a parser builds anything; what passes the guard still converts."""

from __future__ import annotations

import json
import random
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_PLAN_JSON, Run, snapshot

from pipeline.defaults import default_template
from pipeline.docxinfo import read_facts
from pipeline.engines.builtin.package import Package, PackageError
from pipeline.zipguard import ZipRefused, check_parts, check_zip

TEMPLATE = default_template("minnesanteckningar.docx")
BODY = b"<w:body>"


def _docx(path: Path, *, body: bytes = b"", parts: dict[str, bytes] | None = None, stream: int = 0) -> Path:
    """Write a copy of the minutes template with *body* put first in the body and extra *parts*.

    *stream* megabytes of empty paragraphs are streamed into document.xml (a bomb that is never in memory).
    """
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                at = data.index(BODY) + len(BODY)
                if stream:
                    with out.open(info.filename, "w", force_zip64=True) as fh:
                        fh.write(data[:at])
                        chunk = b"<w:p/>" * (1024 * 1024 // 6)
                        for _ in range(stream):
                            fh.write(chunk)
                        fh.write(data[at:])
                    continue
                data = data[:at] + body + data[at:]
            out.writestr(info.filename, data)
        for name, data in (parts or {}).items():
            out.writestr(name, data)
    return path


def _mixed(count: int) -> bytes:
    """Return *count* empty elements of varied names: too little repetition for the ratio limit to catch."""
    rng = random.Random(7)
    return b"".join(b"<w:%s/>" % rng.choice([b"b", b"i", b"u", b"r", b"t", b"x", b"y", b"z"]) for _ in range(count))


BOMBS: dict[str, Callable[[Path], Path]] = {
    "1 GB document.xml": lambda p: _docx(p, stream=1024),
    "16 MB of empty paragraphs": lambda p: _docx(p, stream=16),
    "200 000 empty paragraphs": lambda p: _docx(p, body=b"<w:p/>" * 200_000),
    "600 000 elements": lambda p: _docx(p, body=b"<w:p>" + _mixed(600_000) + b"</w:p>"),
    "a part packed 1000 times": lambda p: _docx(p, parts={"word/media/bild.png": bytes(20 * 1024 * 1024)}),
    "3000 parts": lambda p: _docx(p, parts={f"customXml/bomb{i}.xml": b"<a/>" for i in range(3000)}),
}
SAID = {
    "1 GB document.xml": "packas upp till",
    "16 MB of empty paragraphs": "packas upp",
    "200 000 empty paragraphs": "stycken",
    "600 000 elements": "XML-element",
    "a part packed 1000 times": "zip-bomb",
    "3000 parts": "delar; högst",
}


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {name: make(folder / f"bomb{i}.docx") for i, (name, make) in enumerate(BOMBS.items())}


@pytest.mark.parametrize("name", BOMBS)
def test_kansli_pdf_refuses_a_bomb_by_name(kansli: Callable[..., Run], bombs: dict[str, Path], tmp_path: Path,
                                           name: str) -> None:
    run = kansli("pdf", bombs[name], "-o", tmp_path / "ut")
    assert run.code == 1
    assert f"{bombs[name]}: " in run.err and SAID[name] in run.err and "Traceback" not in run.err
    assert snapshot(tmp_path / "ut") == {}


@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_is_refused_as_a_template(kansli: Callable[..., Run], bombs: dict[str, Path], seed_copy: Path,
                                         name: str) -> None:
    run = kansli("minutes", seed_copy, "-t", bombs[name], "-o", seed_copy.parent / "ut", "--no-pdf")
    assert run.code == 1 and str(bombs[name]) in run.err and "mallen" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_is_refused_as_an_appendix(kansli: Callable[..., Run], bombs: dict[str, Path], tmp_path: Path,
                                          name: str) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(SEED_PLAN_JSON.parent, folder)
    shutil.copy(bombs[name], folder / "bilagor" / "bomb.docx")
    data = json.loads(SEED_PLAN_JSON.read_text(encoding="utf-8"))
    data["bilagor"][0]["fil"] = "bilagor/bomb.docx"
    plan = folder / "plan.json"
    plan.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = kansli("check", plan)
    assert run.code == 1 and "bilagor[0].fil" in run.err and "bomb.docx" in run.err and SAID[name] in run.err


@pytest.mark.parametrize("name", BOMBS)
def test_facts_of_a_bomb_are_empty_not_inflated(bombs: dict[str, Path], name: str) -> None:
    assert read_facts(bombs[name]).text == ""  # the body is never parsed (the engine then says why)


def test_the_engine_package_refuses_a_bomb_before_inflating(bombs: dict[str, Path]) -> None:
    with pytest.raises(PackageError, match="packas upp till"):
        Package(bombs["1 GB document.xml"])


def test_what_the_guard_lets_through_still_converts(kansli: Callable[..., Run], tmp_path: Path) -> None:
    # 90 000 short paragraphs, just under the paragraph limit: a long document, not a bomb.
    body = b"".join(b"<w:p><w:r><w:t>rad %d</w:t></w:r></w:p>" % i for i in range(0, 90_000, 9))
    docx = _docx(tmp_path / "lang.docx", body=body)
    check_parts(docx)
    run = kansli("pdf", docx, "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    assert (tmp_path / "ut" / "lang.pdf").stat().st_size > 0


@pytest.mark.parametrize(("content", "said"), [
    (b"", "tom"), (b"hej", "inte ett zip-paket"), (b"%PDF-1.7\n", "en PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "gammalt Word-format"),
], ids=["empty", "text", "pdf", "ole"])
def test_what_is_no_zip_is_named(tmp_path: Path, content: bytes, said: str) -> None:
    path = tmp_path / "x.docx"
    path.write_bytes(content)
    with pytest.raises(ZipRefused, match=said):
        check_zip(path)


def test_a_truncated_zip_is_named(kansli: Callable[..., Run], tmp_path: Path) -> None:
    whole = TEMPLATE.read_bytes()
    path = tmp_path / "halv.docx"
    path.write_bytes(whole[: len(whole) // 2])
    run = kansli("pdf", path, "-o", tmp_path / "ut")
    assert run.code == 1 and str(path) in run.err and "zip" in run.err
