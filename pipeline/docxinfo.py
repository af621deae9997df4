"""Read what a .docx says without rendering it: its text and its core properties."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from .zipguard import ZipRefused, check_zip, parse_xml


def document_text(document: Any) -> str:
    """Return all text of a python-docx document's body, headers and footers, breaks as newlines."""
    # Read headers and footers through the relationships: docxtpl replaces those parts, and
    # python-docx's section.header/footer would still show the unrendered template.
    rels = [r for r in document.part.rels.values() if not r.is_external]
    headers = [r.target_part.element for r in rels if r.reltype.endswith("/header")]
    footers = [r.target_part.element for r in rels if r.reltype.endswith("/footer")]
    return "\n".join(text for part in [*headers, document.element.body, *footers] for text in _paragraphs(part))


@dataclass(frozen=True)
class DocxFacts:
    """What `kansli pdf` needs to know of a .docx before converting it."""

    title: str
    author: str
    subject: str
    text: str


_DC = "{http://purl.org/dc/elements/1.1/}"


def _part(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    """Return the parsed XML part *name*, or None when it is missing, a bomb or unreadable."""
    try:
        return parse_xml(name, archive.read(archive.getinfo(name)))
    except (KeyError, zipfile.BadZipFile, ZipRefused, OSError, ValueError, RuntimeError, NotImplementedError,
            EOFError, zlib.error):
        return None


def _paragraphs(root: etree._Element) -> Iterator[str]:
    """Yield the text of every paragraph under *root* (tables' too), breaks as newlines."""
    # Any namespace: Strict Open XML spells WordprocessingML's differently.
    for para in root.iter("{*}p"):
        bits = []
        for el in para.iter("{*}t", "{*}br", "{*}tab"):
            name = etree.QName(el).localname
            bits.append(el.text or "" if name == "t" else ("\n" if name == "br" else "\t"))
        yield "".join(bits)


def read_facts(docx: Path) -> DocxFacts:
    """Return the core properties and the body text of *docx* (empty where they cannot be read).

    An unreadable file is not an error here: the engine that converts it says what is wrong. Read
    with the zip and lxml alone (no python-docx), since `kansli pdf` does this for every file.
    """
    try:
        check_zip(docx)  # the zip directory first: nothing is inflated from a bomb
        with zipfile.ZipFile(docx) as archive:
            body = _part(archive, "word/document.xml")
            core = _part(archive, "docProps/core.xml")
    except (ZipRefused, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return DocxFacts("", "", "", "")
    text = "\n".join(_paragraphs(body)) if body is not None else ""

    def prop(tag: str) -> str:
        found = core.findtext(f"{_DC}{tag}") if core is not None else None
        return (found or "").strip()

    return DocxFacts(prop("title"), prop("creator"), prop("subject"), text)
