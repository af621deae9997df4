"""Build templates/minnesanteckningar.docx (the minutes) and templates/protokollsutdrag.docx (an extract).

Run `python tools/template_minutes.py` after changing it; the .docx is committed so the kansli can
restyle it in Word or LibreOffice without touching code (styles: Normal, Title, Heading 1, Heading 2,
Etikett, Beslut, List Bullet 1–3, List Number 1–3, Signatur).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docxkit import paragraph_style, swedish_defaults

BLACK = RGBColor(0, 0, 0)
FONT = "Calibri"
HEADING_INDENT = 0.75  # cm: where the text of a numbered heading ("10.<tab>Rubrik") starts, for 1–99


def _style(doc: Document, name: str, *, left: float = 0, **kw: Any) -> Any:
    return paragraph_style(doc, name, font=FONT, colour=BLACK, left=left or None, **kw)


def _field(paragraph: object, instr: str) -> None:
    """Append a complex field (PAGE, NUMPAGES) to *paragraph*, showing '1' until updated."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()  # type: ignore[attr-defined]
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def _no_split(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:cantSplit"))


def _border(cell: object, side: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    borders = OxmlElement("w:tcBorders")
    b = OxmlElement(f"w:{side}")
    b.set(qn("w:val"), "single")
    b.set(qn("w:sz"), "6")
    b.set(qn("w:space"), "0")
    b.set(qn("w:color"), "000000")
    borders.append(b)
    tc_pr.append(borders)


def _widths(table: Any, widths: list[float]) -> None:
    """Give the columns *widths* (cm): the grid (which Word, LibreOffice and builtin lay out by in a
    fixed table) and every cell, a merged cell the sum of the columns it spans."""
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Cm(w)
    for row in table.rows:
        start = 0
        for tc in row._tr.tc_lst:
            tc.width = Cm(sum(widths[start:start + tc.grid_span]))
            start += tc.grid_span


def _styles(doc: Document) -> None:
    swedish_defaults(doc, FONT)
    _style(doc, "Normal", after=6)
    _style(doc, "Title", size=16, bold=True, after=18)
    _style(doc, "Heading 1", size=12, bold=True, before=14, after=6, keep=True)
    _style(doc, "Heading 2", size=11, bold=True, italic=False, before=8, after=4, keep=True)
    _style(doc, "Etikett", bold=True, before=6, after=4, keep=True)
    _style(doc, "Beslut", left=1.25)
    _style(doc, "Sidhuvud", size=14, bold=True, after=0)
    _style(doc, "Sidhuvud webb", size=9, after=0)
    _style(doc, "Sidfot", size=9, after=0)
    _style(doc, "Signatur", after=0, keep=True)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2",
                 "List Number 3"):
        # a list's items stand close; the paragraph after the list gets the space (contextual spacing)
        style = _style(doc, name, after=6)
        style.element.get_or_add_pPr().append(OxmlElement("w:contextualSpacing"))
    for bottom in doc.styles["Title"].element.iter(qn("w:bottom")):  # python-docx's default rule is blue
        bottom.set(qn("w:color"), "000000")
        bottom.set(qn("w:sz"), "6")
        bottom.attrib.pop(qn("w:themeColor"), None)
    h1 = doc.styles["Heading 1"].paragraph_format
    h1.left_indent = Cm(HEADING_INDENT)
    h1.first_line_indent = Cm(-HEADING_INDENT)
    h1.tab_stops.add_tab_stop(Cm(HEADING_INDENT), WD_TAB_ALIGNMENT.LEFT)


def _header_footer(doc: Document) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)
    header = section.header
    p = header.paragraphs[0]
    p.style = doc.styles["Sidhuvud"]
    p.add_run("SÖDERTÖRNSKOMMUNERNA SAMVERKAR")
    web = header.add_paragraph("www.sodertornskommunerna.se", style=doc.styles["Sidhuvud webb"])
    web.paragraph_format.space_after = Pt(6)
    p_pr = web._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    p_pr.append(bdr)
    foot = section.footer.paragraphs[0]
    foot.style = doc.styles["Sidfot"]
    foot.paragraph_format.tab_stops.add_tab_stop(Cm(16.0), WD_TAB_ALIGNMENT.RIGHT)
    foot.add_run("{{ titel }}, {{ datum }}\tSida ")
    _field(foot, "PAGE")
    foot.add_run(" av ")
    _field(foot, "NUMPAGES")


def _people(table: object, key: str, label: str) -> None:
    rows = [
        [f"{{%tr if {key} %}}"], [""], [f"{{%tr for p in {key} %}}"],
        [f"{{{{ '{label}' if loop.first else '' }}}}", "{{ p.namn }}", "{{ p.detalj }}"],
        ["{%tr endfor %}"], ["{%tr endif %}"],
    ]
    for cells in rows:
        row = table.add_row()  # type: ignore[attr-defined]
        for cell, text in zip(row.cells, cells, strict=False):
            cell.paragraphs[0].text = text
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)


def _meta_table(doc: Document) -> None:
    table = doc.add_table(rows=2, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, (label, var) in zip(table.rows, (("Tid", "{{ tid }}"), ("Plats", "{{ plats }}")), strict=True):
        row.cells[0].paragraphs[0].text = label
        merged = row.cells[1].merge(row.cells[2])
        merged.paragraphs[0].text = var
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(3)
    _people(table, "deltagare", "Deltagare")
    _people(table, "franvarande", "Frånvarande")
    _widths(table, [3.0, 5.5, 7.5])


BODY_STYLES = {
    "stycke": "Normal", "underrubrik": "Heading 2", "etikett": "Etikett", "beslut": "Beslut",
    "punkt1": "List Bullet", "punkt2": "List Bullet 2", "punkt3": "List Bullet 3",
    "nummer1": "List Number", "nummer2": "List Number 2", "nummer3": "List Number 3",
}


def _agenda(doc: Document) -> None:
    _items(doc)
    doc.add_paragraph("{%p if avslutning %}")
    end = doc.add_paragraph("{{ avslutning }}")
    end.paragraph_format.space_before = Pt(12)
    doc.add_paragraph("{%p endif %}")


def _items(doc: Document) -> None:
    """Add the numbered agenda items with their paragraphs (the minutes and the extract alike)."""
    doc.add_paragraph("{%p for punkt in punkter %}")
    head = doc.add_paragraph(style="Heading 1")
    head.add_run("{{ punkt.nummer }}.")
    head.add_run().add_tab()
    head.add_run("{{ punkt.rubrik }}")
    doc.add_paragraph("{%p for s in punkt.stycken %}")
    first = True
    for stil, style in BODY_STYLES.items():
        doc.add_paragraph(f"{{%p {'if' if first else 'elif'} s.stil == '{stil}' %}}")
        doc.add_paragraph("{{ s.text }}", style=style)
        first = False
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")


def _signatures(doc: Document, fields: tuple[tuple[str, str], ...] = (
        ("Vid anteckningarna", "{{ sekreterare }}"), ("Justeras", "{{ justerare }}"))) -> None:
    """Add a signature block: per (label, name) a label, room to sign, a line and the name under it."""
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_before = Pt(18)
    spacer.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=3, cols=3)
    labels, names = table.rows[0].cells, table.rows[2].cells
    for column, (label, name) in zip((0, 2), fields, strict=False):
        labels[column].paragraphs[0].text = label
        names[column].paragraphs[0].text = name
    table.rows[1].height = Cm(2.0)
    for row in table.rows:
        _no_split(row)
        for cell in row.cells:
            cell.paragraphs[0].style = doc.styles["Signatur"]
    for column in (0, 2)[: len(fields)]:
        _border(names[column], "top")
    _widths(table, [7.0, 1.5, 7.0])


def _page(doc: Document, *title: str) -> None:
    """Give *doc* the house header and footer, an empty body and the title, one line per *title* text."""
    _header_footer(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    heading = doc.add_paragraph(style="Title")
    for n, line in enumerate(title):
        if n:
            heading.add_run().add_break()
        heading.add_run(line)


def _save(doc: Document, out: Path, title: str) -> Path:
    """Set the template's own properties (title, Swedish, the kansli as author), save it to *out*, return *out*."""
    doc.core_properties.title = title
    doc.core_properties.language = "sv-SE"
    doc.core_properties.author = "Södertörnskommunernas samverkan"
    doc.save(str(out))
    return out


def build_extract(out: Path) -> Path:
    """Write the protokollsutdrag template (items chosen from the minutes, one signature) to *out*."""
    doc = Document()
    _styles(doc)
    _page(doc, "Utdrag ur minnesanteckningar från", "{{ organ }} {{ datum }}")
    table = doc.add_table(rows=2, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, (label, var) in zip(table.rows, (("Tid", "{{ tid }}"), ("Plats", "{{ plats }}")), strict=True):
        row.cells[0].paragraphs[0].text = label
        merged = row.cells[1].merge(row.cells[2])
        merged.paragraphs[0].text = var
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(3)
    _widths(table, [3.0, 5.5, 7.5])
    _items(doc)
    note = doc.add_paragraph("{{ justering }}")
    note.paragraph_format.space_before = Pt(12)
    _signatures(doc, (("Utdraget bestyrks", "{{ sekreterare }}"),))
    return _save(doc, out, "Protokollsutdrag")


def build(out: Path) -> Path:
    """Write the minutes template to *out* and return *out*."""
    doc = Document()
    _styles(doc)
    _page(doc, "Minnesanteckningar från", "{{ organ }}")
    _meta_table(doc)
    _agenda(doc)
    _signatures(doc)
    assert doc.sections[0].start_type == WD_SECTION.NEW_PAGE
    return _save(doc, out, "Minnesanteckningar")


if __name__ == "__main__":
    folder = Path(__file__).parent.parent / "templates"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else folder / "minnesanteckningar.docx"
    print(build(target))
    if len(sys.argv) <= 1:
        print(build_extract(folder / "protokollsutdrag.docx"))
