"""What a .docx says comes out as it says it: Strict namespaces renamed by parsing, entities never dropped."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run, pdf_text, squash

from pipeline.defaults import default_template
from pipeline.docxinfo import read_facts
from pipeline.zipguard import STRICT, ZipRefused, parse_xml

TEMPLATE = default_template("minnesanteckningar.docx")
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
QUOTES = [STRICT_W, "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
          "xmlns:w=\"http://purl.oclc.org/ooxml/drawingml/main\""]


def _escape(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").encode()


def _docx(path: Path, paragraphs: list[str], *, strict: bool = False, head: bytes = b"",
          raw: bytes = b"") -> Path:
    """Write the minutes template with *paragraphs* first in the body, optionally as Strict Open XML."""
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if strict and info.filename.endswith((".xml", ".rels")):
                for strict_ns, transitional in STRICT.items():
                    data = data.replace(transitional.encode(), strict_ns.encode())
            if info.filename == "word/document.xml":
                body = b"".join(b"<w:p><w:r><w:t xml:space=\"preserve\">" + _escape(p) + b"</w:t></w:r></w:p>"
                                for p in paragraphs) + raw
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + body + data[at:]
                if head:
                    data = head + data[data.index(b"<w:document"):]
            out.writestr(info.filename, data)
    return path


@pytest.mark.parametrize("strict", [False, True], ids=["transitional", "strict"])
def test_namespace_addresses_in_body_text_come_out_unchanged(kansli: Callable[..., Run], tmp_path: Path,
                                                             strict: bool) -> None:
    docx = _docx(tmp_path / "ns.docx", [f"Adress {i}: {q} slut." for i, q in enumerate(QUOTES)], strict=strict)
    assert [f"Adress {i}: {q} slut." for i, q in enumerate(QUOTES)] == read_facts(docx).text.splitlines()[:3]
    run = kansli("pdf", docx, "-o", tmp_path / "ut")
    assert run.code == 0, run.err
    text = squash(pdf_text(tmp_path / "ut" / "ns.pdf")).replace(" ", "")
    for i, quote in enumerate(QUOTES):
        assert f"Adress{i}:{quote}slut.".replace(" ", "") in text


def test_a_strict_document_reads_as_the_transitional_one() -> None:
    root = parse_xml("d", f'<w:document xmlns:w="{STRICT_W}"><w:body><w:p w:rsidR="1"><w:r><w:t>'
                     f'{STRICT_W}</w:t></w:r></w:p></w:body></w:document>'.encode())
    w = "{" + STRICT[STRICT_W] + "}"
    assert root.tag == f"{w}document"
    para = root.find(f"{w}body/{w}p")
    assert para is not None and para.get(f"{w}rsidR") == "1"
    assert para.findtext(f"{w}r/{w}t") == STRICT_W


@pytest.mark.parametrize(("head", "body", "said"), [
    (b"", b"<w:p><w:r><w:t>f\xc3\xb6re &okand; efter</w:t></w:r></w:p>", "entitetsreferens"),
    (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "boom">]>',
     b"<w:p><w:r><w:t>f\xc3\xb6re &e; efter</w:t></w:r></w:p>", "&e;"),
    (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
     b"<w:p><w:r><w:t>f\xc3\xb6re &e; efter</w:t></w:r></w:p>", "&e;"),
    (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">'
     b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>', b"<w:p><w:r><w:t>&c;</w:t></w:r></w:p>", "&c;"),
], ids=["undefined", "internal", "external", "laughs"])
def test_an_entity_that_cannot_be_resolved_is_refused_not_dropped(kansli: Callable[..., Run], tmp_path: Path,
                                                                   head: bytes, body: bytes, said: str) -> None:
    docx = _docx(tmp_path / "ent.docx", [], head=head, raw=body)
    run = kansli("pdf", docx, "-o", tmp_path / "ut")
    assert run.code == 1 and str(docx) in run.err and said in run.err and "Traceback" not in run.err
    assert "root:" not in run.err  # /etc/passwd never read
    assert not (tmp_path / "ut").exists() or not list((tmp_path / "ut").iterdir())


def test_character_references_are_text_not_entities() -> None:
    root = parse_xml("d", b"<a>&#65;&#x42;&amp;&lt;&gt;&quot;&apos;</a>")
    assert root.text == "AB&<>\"'"


def test_broken_xml_is_said_in_swedish() -> None:
    with pytest.raises(ZipRefused) as info:
        parse_xml("word/document.xml", b"<a><b></a>")
    assert "trasig XML (rad 1)" in str(info.value) and "mismatch" not in str(info.value)
