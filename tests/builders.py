"""Small helpers that build .docx test fixtures with python-docx (plus the raw XML it has no API for)."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Row
from docx.text.paragraph import Paragraph

__all__ = ["Document", "DocxDocument", "add_field", "add_hyperlink", "add_toc", "numbered", "page_footer", "png_bytes",
           "repeat_header", "restart_numbering", "save"]


def _el(tag: str) -> Any:
    """Return a new WordprocessingML element (typed loosely: python-docx types its element classes narrowly)."""
    return OxmlElement(tag)


def _run_with(paragraph: Paragraph, child: Any) -> None:
    run = _el("w:r")
    run.append(child)
    paragraph._p.append(run)


def add_field(paragraph: Paragraph, instr: str, result: str = "1", *, simple: bool = False) -> None:
    """Append a field (complex: begin/instr/separate/result/end, or a w:fldSimple) to *paragraph*."""
    if simple:
        fld = _el("w:fldSimple")
        fld.set(qn("w:instr"), instr)
        run = _el("w:r")
        text = _el("w:t")
        text.text = result
        run.append(text)
        fld.append(run)
        paragraph._p.append(fld)
        return
    for kind, payload in (("begin", None), ("instr", instr), ("separate", None), ("text", result),
                          ("end", None)):
        if kind == "instr":
            el = _el("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {payload} "
        elif kind == "text":
            el = _el("w:t")
            el.text = payload
        else:
            el = _el("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        _run_with(paragraph, el)


def add_toc(doc: DocxDocument, stale: str = "Uppdatera innehållsförteckningen") -> Paragraph:
    """Append a TOC field whose stale result is one paragraph with *stale* text."""
    para = doc.add_paragraph()
    add_field(para, 'TOC \\o "1-3" \\h \\z \\u', stale)
    return para


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """Append an external hyperlink to *paragraph*."""
    rid = paragraph.part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True)
    link = _el("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = _el("w:r")
    t = _el("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _num_id_of_style(doc: DocxDocument, style: str) -> str:
    st = doc.styles[style]._element
    num = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    assert num is not None, style
    return str(num.get(qn("w:val")))


def restart_numbering(doc: DocxDocument, style: str = "List Number") -> str:
    """Return the id of a new w:num that restarts the list of *style* at 1."""
    numbering = doc.part.numbering_part.element
    base = _num_id_of_style(doc, style)
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == base:
            new = copy.deepcopy(num)
            break
    else:
        raise AssertionError(base)
    new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1)
    new.set(qn("w:numId"), new_id)
    override = _el("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = _el("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    new.append(override)
    numbering.append(new)
    return new_id


def numbered(doc: DocxDocument, text: str, num_id: str | None = None, style: str = "List Number",
             level: int = 0) -> Paragraph:
    """Append a list paragraph in *style*, optionally bound to *num_id* and *level*."""
    para = doc.add_paragraph(text, style=style)
    if num_id is not None or level:
        ppr: Any = para._p.get_or_add_pPr()
        num_pr = _el("w:numPr")
        ilvl = _el("w:ilvl")
        ilvl.set(qn("w:val"), str(level))
        num = _el("w:numId")
        num.set(qn("w:val"), num_id or _num_id_of_style(doc, style))
        num_pr.append(ilvl)
        num_pr.append(num)
        ppr.append(num_pr)
    return para


def repeat_header(row: _Row) -> None:
    """Mark *row* as a header row that repeats on every page."""
    tr_pr: Any = row._tr.get_or_add_trPr()
    header = _el("w:tblHeader")
    tr_pr.append(header)


def page_footer(doc: DocxDocument, *, simple: bool = False) -> None:
    """Give the first section a centred footer "Sida N av M" built from PAGE and NUMPAGES fields."""
    para = doc.sections[0].footer.paragraphs[0]
    para.text = "Sida "
    add_field(para, "PAGE", simple=simple)
    para.add_run(" av ")
    add_field(para, "NUMPAGES", simple=simple)


def png_bytes(width: int = 40, height: int = 20, color: str = "red") -> bytes:
    """Return a small PNG image."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def save(doc: DocxDocument, path: Path) -> Path:
    """Save *doc* to *path* and return it."""
    doc.save(str(path))
    return path
