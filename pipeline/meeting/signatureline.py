"""The publication copy's .docx: one line where the minutes have their signature block."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from ..documents import MINUTES_SIGNATURES
from ..fields import clean_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _paragraph(text: str, before: int = 240) -> etree._Element:
    p = etree.Element(f"{W}p")
    ppr = etree.SubElement(p, f"{W}pPr")
    etree.SubElement(ppr, f"{W}keepLines")
    etree.SubElement(ppr, f"{W}spacing", {f"{W}before": str(before)})
    run = etree.SubElement(p, f"{W}r")
    t = etree.SubElement(run, f"{W}t", {XML_SPACE: "preserve"})
    t.text = clean_text(text)
    return p


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def replace_signature_block(document_xml: bytes, line: str) -> bytes:
    """Return *document_xml* with its signature tables replaced by one paragraph holding *line*.

    A signature table is a table of the body with a cell reading exactly a signature label. Where
    there is none (a template of one's own), the line goes at the end, unless the template already
    shows it.
    """
    root = etree.fromstring(document_xml)
    body = root.find(f"{W}body")
    if body is None:
        return document_xml
    labels = {spot.label for spot in MINUTES_SIGNATURES}
    placed = not line or " ".join(line.split()) in " ".join(_text(body).split())
    for table in body.findall(f"{W}tbl"):
        if any(_text(p).strip() in labels for p in table.iter(f"{W}p")):
            if not placed:
                table.addprevious(_paragraph(line, before=0))  # the template's space before the block stays
                placed = True
            body.remove(table)
    if not placed:
        last = body[-1] if len(body) else None
        if last is not None and last.tag == f"{W}sectPr":
            last.addprevious(_paragraph(line))
        else:
            body.append(_paragraph(line))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def revise(docx: Path, context: Mapping[str, Any]) -> None:
    """Replace the signature block of the rendered *docx* by the justering line, in place."""
    with zipfile.ZipFile(docx) as src:
        parts = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts:
            if info.filename == "word/document.xml":
                data = replace_signature_block(data, str(context.get("justering", "")))
            dst.writestr(info, data)
