"""Odd and broken inputs each give one Swedish line naming the file; no library's English reaches the user."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from PIL import Image

from pipeline.defaults import default_template

TEMPLATE = default_template("minnesanteckningar.docx")
ENGLISH = ("Warning", "Error", "None", "Traceback", "cannot", "Permission", "exceeds", "XML_PARSE_HUGE", "internt")
DRAWING = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="x"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>'
    '<pic:cNvPr id="1" name="x"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
    '<a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="rIdBild"/>'
    '</pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
)


def _docx(path: Path, body: str, image: bytes | None = None) -> Path:
    rel = ('<Relationship Id="rIdBild" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'image" Target="media/bild.png"/>')
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + body.encode() + data[at:]
            if info.filename == "word/_rels/document.xml.rels" and image is not None:
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            out.writestr(info.filename, data)
        if image is not None:
            out.writestr("word/media/bild.png", image)
    return path


def _image(size: tuple[int, int], kind: str = "PNG", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 40).convert(mode).save(out, kind)
    return out.getvalue()


def _huge_png(width: int, height: int) -> bytes:
    """Return a small PNG file whose header promises *width* × *height* black-and-white pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = bytes(1 + (width + 7) // 8)
    rows = zlib.compress(row * min(height, 64))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def _swedish(text: str) -> bool:
    return not any(word in text for word in ENGLISH)


IMAGES = {
    "truncated png": (lambda: _image((300, 300))[:4000], "avkortade bilder"),
    "truncated jpeg": (lambda: _image((300, 300), "JPEG")[:3000], "avkortade bilder"),
    "png without its end": (lambda: _image((300, 300))[:-12], "avkortade bilder"),
    "garbage after a png signature": (lambda: b"\x89PNG" + bytes(200), "avkortade bilder"),
    "a 144 megapixel png": (lambda: _huge_png(12_000, 12_000), "miljoner bildpunkter"),
    "a 2.5 gigapixel png": (lambda: _huge_png(50_000, 50_000), "miljoner bildpunkter"),
}


@pytest.mark.parametrize("name", IMAGES)
def test_a_bad_image_is_one_swedish_warning(kansli: Callable[..., Run], tmp_path: Path, name: str) -> None:
    make, said = IMAGES[name]
    docx = _docx(tmp_path / "bild.docx", DRAWING + "<w:p><w:r><w:t>Texten efter bilden.</w:t></w:r></w:p>", make())
    run = kansli("pdf", docx, "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "bild.docx" in lines[0] and said in lines[0] and _swedish(run.err), run.err
    assert (tmp_path / "ut" / "bild.pdf").exists()


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "1e999", "99999999999999999999", "12abc", ""])
def test_numbers_that_are_no_numbers_in_a_docx_are_ignored(kansli: Callable[..., Run], tmp_path: Path,
                                                           value: str) -> None:
    body = (f'<w:p><w:pPr><w:ind w:left="{value}" w:hanging="{value}"/><w:spacing w:before="{value}" '
            f'w:line="{value}"/></w:pPr><w:r><w:rPr><w:sz w:val="{value}"/><w:spacing w:val="{value}"/></w:rPr>'
            f'<w:t>Stycket</w:t></w:r></w:p>'
            f'<w:tbl><w:tblGrid><w:gridCol w:w="{value}"/></w:tblGrid><w:tr><w:trPr><w:trHeight w:val="{value}"/>'
            f'</w:trPr><w:tc><w:tcPr><w:tcW w:w="{value}" w:type="dxa"/><w:gridSpan w:val="{value}"/></w:tcPr>'
            f'<w:p><w:r><w:t>Cellen</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    run = kansli("pdf", _docx(tmp_path / "tal.docx", body), "-o", tmp_path / "ut")
    assert run.code == 0 and _swedish(run.err), run.err


def test_click_speaks_swedish(kansli: Callable[..., Run], tmp_path: Path) -> None:
    for args, said in ((("minutes", "--okänd", "x"), "finns inte"), (("minutes",), "saknas"),
                       (("pdf", "-j", "0", "x.docx"), "ligger inte inom"), (("schema", "mötet"), "är inte ett av"),
                       (("minutes", tmp_path), "är en mapp")):
        run = kansli(*args)
        assert run.code == 2 and said in run.err and "Användning:" in run.err, run.err
        assert "Usage" not in run.err and "Invalid" not in run.err and "No such" not in run.err


# --- files that are not files, names the system refuses, names that are terminal tricks -----------------

def test_a_pipe_is_never_read_nor_written(kansli: Callable[..., Run], tmp_path: Path, seed_copy: Path) -> None:
    pipe = tmp_path / "rör.json"
    os.mkfifo(pipe)
    docx_pipe = tmp_path / "rör.docx"
    os.mkfifo(docx_pipe)
    for args in (("check", pipe), ("schema", "minutes", "-o", pipe), ("pdf", docx_pipe),
                 ("minutes", seed_copy, "-t", docx_pipe, "--no-pdf", "-o", tmp_path / "ut")):
        run = kansli(*args)  # reading a pipe would wait for ever: refused before it is opened
        assert run.code == 1 and "ingen vanlig fil" in run.err and _swedish(run.err), (args, run.err)


def test_a_device_is_never_read_nor_replaced(kansli: Callable[..., Run]) -> None:
    run = kansli("check", "/dev/zero")
    assert run.code == 1 and "ingen vanlig fil" in run.err
    run = kansli("schema", "minutes", "-o", "/dev/null", "--force")
    assert run.code == 1 and "ingen vanlig fil" in run.err
    assert Path("/dev/null").is_char_device()


def test_a_name_too_long_is_said_in_swedish(kansli: Callable[..., Run], tmp_path: Path, seed_copy: Path) -> None:
    long = "å" * 200
    for args in (("schema", "minutes", "-o", tmp_path / f"{long}.json"),
                 ("minutes", seed_copy, "--no-pdf", "-o", tmp_path / long),
                 ("minutes", seed_copy, "--no-pdf", "-o", tmp_path / "ut", "-t", tmp_path / f"{long}.docx")):
        run = kansli(*args)
        assert run.code in (1, 2) and "namnet är för långt" in run.err and _swedish(run.err), run.err


def test_terminal_tricks_in_file_names_are_shown_escaped(kansli: Callable[..., Run], seed_copy: Path) -> None:
    tricky = seed_copy.with_name("möte\x1b[2J\u202e.json")
    seed_copy.rename(tricky)
    for args in (("check", tricky), ("minutes", tricky, "--no-pdf", "-o", tricky.parent / "ut")):
        run = kansli(*args)
        assert run.code == 0 and "\\u001b[2J\\u202e" in run.out
        assert "\x1b" not in run.out + run.err and "\u202e" not in run.out + run.err


def test_a_template_with_its_own_dtd_is_refused(kansli: Callable[..., Run], tmp_path: Path, seed_copy: Path) -> None:
    template = tmp_path / "dtd.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "dolt">]>' + \
                    data[data.index(b"<w:document"):].replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p>")
            out.writestr(info.filename, data)
    run = kansli("minutes", seed_copy, "-t", template, "--no-pdf", "-o", tmp_path / "ut")
    assert run.code == 1 and str(template) in run.err and "DOCTYPE" in run.err


def test_a_text_too_long_for_word_is_refused_naming_the_input(kansli: Callable[..., Run], seed_copy: Path) -> None:
    data = json.loads(seed_copy.read_text(encoding="utf-8"))
    data["punkter"][0]["innehåll"] = ["ord " * 600_000]
    seed_copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = kansli("minutes", seed_copy, "--no-pdf", "-o", seed_copy.parent / "ut")
    assert run.code == 1 and f"{seed_copy}: en text är 2 400 000 tecken lång" in run.err
    assert not (seed_copy.parent / "ut").exists()
