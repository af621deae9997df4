"""Read what a .docx says without rendering it: its text and its core properties (python-docx)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn


def document_text(document: Any) -> str:
    """Return all text of the body, headers and footers, with line breaks as newlines."""
    # Read headers and footers through the relationships: docxtpl replaces those parts, and
    # python-docx's section.header/footer would still show the unrendered template.
    rels = [r for r in document.part.rels.values() if not r.is_external]
    headers = [r.target_part.element for r in rels if r.reltype.endswith("/header")]
    footers = [r.target_part.element for r in rels if r.reltype.endswith("/footer")]
    parts = [*headers, document.element.body, *footers]
    tags = {qn("w:t"): None, qn("w:br"): "\n", qn("w:tab"): "\t"}
    paragraphs: list[str] = []
    for part in parts:
        for para in part.iter(qn("w:p")):
            bits = [(el.text or "") if tags[el.tag] is None else str(tags[el.tag]) for el in para.iter(*tags)]
            paragraphs.append("".join(bits))
    return "\n".join(paragraphs)


@dataclass(frozen=True)
class DocxFacts:
    """What `kansli pdf` needs to know of a .docx before converting it."""

    title: str
    author: str
    subject: str
    text: str


def read_facts(docx: Path) -> DocxFacts:
    """Return the core properties and the text of *docx* (empty where it cannot be read).

    An unreadable file is not an error here: the engine that converts it says what is wrong.
    """
    from docx import Document

    try:
        document = Document(str(docx))
    except Exception:  # noqa: BLE001 - any unreadable file has no facts; the engine reports why
        return DocxFacts("", "", "", "")
    core = document.core_properties
    return DocxFacts(core.title or "", core.author or "", core.subject or "", document_text(document))
