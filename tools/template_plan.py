"""Build templates/verksamhetsplan.docx: the Word template the plan is rendered with.

Run `python tools/template_plan.py` after changing it; the .docx is committed so the kansli can
restyle it in Word or LibreOffice without touching code. Styles to restyle: Normal, Title, Subtitle,
Beslutad, Heading 1, TOC Heading, TOC 1, Underrubrik, Målrubrik, Mål, Delmål, Ansvar, List Bullet 1–3, List Number 1–3,
Bild, Bildtext, Tabelltext, Tabellrubrik (höger), Tabellpunkt, Tabellbelopp, Kalenderinledning, Kalenderorgan, Kalenderrad, Bilageförteckning, Budgetrubrik,
Budgetinledning, Budgettext, Belopp, Fotnot.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docxkit import paragraph_style, swedish_defaults

FONT = "Calibri"
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ACCENT_HEX = "1F4E79"
BOX_HEX = "EAF1F8"
HEAD_HEX = "DCE6F0"
WIDTH_CM = 16.0  # A4 minus 2.5 cm margins
BOX_INDENT_CM = 11 / 72 * 2.54  # a goal box's text starts after its left border (space 8 pt + line 3 pt)
CELL_MARGIN_TWIPS = 113  # 0.2 cm inside every table cell, left and right alike
BULLET_CM = 0.4  # a bullet in a table cell hangs this far: wrapped lines align with the text


def _style(doc: Any, name: str, *, colour: RGBColor = TEXT, left: float = 0, **kw: Any) -> Any:
    return paragraph_style(doc, name, font=FONT, colour=colour, line=1.1, left=left, quick=True, **kw)


def _box(style: Any) -> None:
    """Set the goal box look on *style*: a thick accent line on the left and a light shading."""
    ppr = style.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, val in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"), ("w:color", ACCENT_HEX)):
        left.set(qn(key), val)
    bdr.append(left)
    shd = OxmlElement("w:shd")
    for key, val in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", BOX_HEX)):
        shd.set(qn(key), val)
    # pPr children must follow the schema order: ... pBdr, shd, tabs, ... spacing, ind ...
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        ppr.append(bdr)
        ppr.append(shd)
    else:
        anchor.addprevious(bdr)
        anchor.addprevious(shd)
    style.paragraph_format.right_indent = Cm(0)  # the box ends where the tables end: at the text's right edge


def _styles(doc: Any) -> None:
    _style(doc, "Normal", after=8)
    _style(doc, "Title", size=28, bold=True, colour=ACCENT, after=12)
    _style(doc, "Subtitle", size=14, colour=ACCENT, after=6)
    _style(doc, "Beslutad", size=11, italic=True, after=6)
    _style(doc, "Datum", size=12, after=48, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, "Heading 1", size=16, bold=True, colour=ACCENT, before=18, after=8, keep=True)
    _style(doc, "TOC Heading", size=16, bold=True, colour=ACCENT, after=12)
    _style(doc, "Bilagor rubrik", size=13, bold=True, colour=ACCENT, before=24, after=8, keep=True)
    toc = _style(doc, "TOC 1", after=4)
    toc.paragraph_format.tab_stops.add_tab_stop(Cm(WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    appx = _style(doc, "Bilageförteckning", after=4, left=2.2)
    appx.paragraph_format.first_line_indent = Cm(-2.2)
    appx.paragraph_format.tab_stops.add_tab_stop(Cm(2.2))
    appx.paragraph_format.tab_stops.add_tab_stop(Cm(WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    _style(doc, "Underrubrik", size=12, bold=True, colour=ACCENT, before=10, after=4, keep=True)
    # The goal box: consecutive paragraphs with the same border and shading, no space between them
    # (so every engine draws one unbroken box), kept together until the Ansvar line.
    for name, kwargs in (("Målrubrik", {"bold": True, "colour": ACCENT, "before": 12, "keep": True}),
                         ("Mål", {"size": 12, "italic": True, "keep": True}),
                         ("Delmål", {"keep": True}),
                         ("Ansvar", {"keep": False})):
        # the left indent is the border's space and width (8 + 3 pt): the box starts at the text's left edge
        style = _style(doc, name, left=BOX_INDENT_CM, after=0, **kwargs)  # type: ignore[arg-type]
        style.paragraph_format.line_spacing = 1.35
        _box(style)
    for level in (1, 2, 3):
        suffix = "" if level == 1 else f" {level}"
        _style(doc, f"List Bullet{suffix}", after=3)
        _style(doc, f"List Number{suffix}", after=3)
    _style(doc, "Tabelltext", size=10, after=3)
    _style(doc, "Tabellrubrik", size=10, bold=True, colour=ACCENT, after=2, keep=True)
    bullet = _style(doc, "Tabellpunkt", size=10, after=2, left=BULLET_CM)
    bullet.paragraph_format.first_line_indent = Cm(-BULLET_CM)
    bullet.paragraph_format.tab_stops.add_tab_stop(Cm(BULLET_CM))
    _style(doc, "Tabellbelopp", size=10, after=2, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, "Tabellrubrik höger", size=10, bold=True, colour=ACCENT, after=2, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, "Tabellslut", size=4, after=6)
    _style(doc, "Tabellstart", size=4, after=6, keep=True)  # air above a table, kept with it
    _style(doc, "Bild", before=6, after=4, keep=True, align=WD_ALIGN_PARAGRAPH.CENTER)  # kept with its caption
    _style(doc, "Bildtext", size=9, italic=True, after=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "Målluft", size=4, after=4)
    _style(doc, "Kalenderorgan", bold=True, before=10, after=4, keep=True)
    _style(doc, "Kalenderinledning", after=8, keep=True)  # the calendar's heading, text and first dates together
    _style(doc, "Kalenderrad", after=3, left=0.6)
    _style(doc, "Fotnot", size=9, italic=True, before=6, after=4)
    # The budget table is kept together and with its first footnote: every paragraph in it keeps with the next.
    _style(doc, "Belopp", size=11, after=2, align=WD_ALIGN_PARAGRAPH.RIGHT, keep=True)
    _style(doc, "Budgettext", size=11, after=2, keep=True)
    _style(doc, "Budgetinledning", after=8, keep=True)  # the fee paragraph stays with the table it explains
    _style(doc, "Budgetrubrik", size=11, bold=True, colour=ACCENT, before=10, after=2, keep=True)
    _style(doc, "Footer", size=9, colour=RGBColor(0x55, 0x55, 0x55), after=0)
    _style(doc, "Tagg", size=1, after=0)


def _numbering_for_lists(doc: Any) -> None:
    """Give the list styles their numbering from the default template (bullets and 1. 2. 3.)."""
    # python-docx's default template defines List Bullet*/List Number* with numPr already;
    # _style only changed fonts and spacing, so nothing to do here beyond keeping the indent.
    for level in (1, 2, 3):
        suffix = "" if level == 1 else f" {level}"
        for base in ("List Bullet", "List Number"):
            pf = doc.styles[f"{base}{suffix}"].paragraph_format
            pf.left_indent = Cm(0.63 * level)
            pf.first_line_indent = Cm(-0.63)


def _run_field(paragraph: Any, kind: str, text: str = "") -> None:
    run = paragraph.add_run()
    if kind == "instr":
        el = OxmlElement("w:instrText")
        el.set(qn("xml:space"), "preserve")
        el.text = text
    elif kind == "text":
        el = OxmlElement("w:t")
        el.text = text
    else:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _simple_field(paragraph: Any, instr: str) -> None:
    for kind, text in (("begin", ""), ("instr", f" {instr} "), ("separate", ""), ("text", "1"), ("end", "")):
        _run_field(paragraph, kind, text)


def _cell_shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    for key, val in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shd.set(qn(key), val)
    tcpr.append(shd)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _whole_rows(table: Any) -> None:
    """Let no row of *table* break across pages (w:cantSplit), unless it is taller than a page."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:cantSplit")
        el.set(qn("w:val"), "true")
        trpr.insert(0, el)


def _geometry(table: Any) -> None:
    """Set *table*'s cell margins (the same left and right) and place its left border at the text's edge."""
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblInd")) + tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    ind = OxmlElement("w:tblInd")  # Word 2010 layout puts the text at tblInd: the border goes one margin left
    ind.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
    ind.set(qn("w:type"), "dxa")
    mar = OxmlElement("w:tblCellMar")
    for side, width in (("top", 28), ("left", CELL_MARGIN_TWIPS), ("bottom", 28), ("right", CELL_MARGIN_TWIPS)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    # tblPr children in schema order: … tblW, jc, …, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    look = tblpr.find(qn("w:tblLook"))
    layout = tblpr.find(qn("w:tblLayout"))
    borders = tblpr.find(qn("w:tblBorders"))
    anchor = borders if borders is not None else (layout if layout is not None else look)
    if anchor is None:
        tblpr.append(ind)
    else:
        anchor.addprevious(ind)
    after = layout if layout is not None else None
    if after is not None:
        after.addnext(mar)
    elif look is not None:
        look.addprevious(mar)
    else:
        tblpr.append(mar)


def _widths(table: Any, widths: list[float]) -> None:
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Cm(w)


def _put(cell: Any, lines: list[tuple[str, str]]) -> None:
    """Fill *cell* with paragraphs (style, text); the first reuses the cell's empty paragraph."""
    first = True
    for style, text in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.style = style
        p.add_run(text)


def _cell_lines(var: str) -> list[tuple[str, str]]:
    return [
        ("Tagg", f"{{%p for c in {var} %}}"),
        ("Tagg", '{%p if c.typ == "punkt" %}'),
        ("Tabellpunkt", "•\t{{ c.text }}"),
        ("Tagg", "{%p else %}"),
        ("Tabelltext", "{{ c.text }}"),
        ("Tagg", "{%p endif %}"),
        ("Tagg", "{%p endfor %}"),
    ]


def _activity_table(doc: Any) -> None:
    table = doc.add_table(rows=4, cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    head, loop, body, end = table.rows
    _repeat_header(head)
    for i, cell in enumerate(head.cells):
        _put(cell, [("Tabellrubrik", f"{{{{ b.kolumner[{i}] }}}}")])
        _cell_shade(cell, HEAD_HEX)
    _put(loop.cells[0], [("Tagg", "{%tr for r in b.rader %}")])
    _put(body.cells[0], _cell_lines("r.aktivitet"))
    _put(body.cells[1], _cell_lines("r.kommentar"))
    _put(end.cells[0], [("Tagg", "{%tr endfor %}")])
    _widths(table, [6.5, WIDTH_CM - 6.5])
    _geometry(table)
    _whole_rows(table)


def _p(doc: Any, style: str, text: str = "") -> Any:
    return doc.add_paragraph(text, style=style)


def _chapters(doc: Any) -> None:
    tag = "Tagg"
    _p(doc, tag, "{%p for k in kapitel %}")
    _p(doc, "Heading 1", "{{ k.rubrik }}")
    _p(doc, tag, "{%p for b in k.block %}")
    _p(doc, tag, '{%p if b.typ == "stycke" %}')
    _p(doc, "Normal", "{{ b.text }}")
    _p(doc, tag, '{%p elif b.typ == "rubrik" %}')
    _p(doc, "Underrubrik", "{{ b.text }}")
    for kind, base in (("punkt", "List Bullet"), ("nummer", "List Number")):
        for level in (0, 1, 2):
            suffix = "" if level == 0 else f" {level + 1}"
            _p(doc, tag, f'{{%p elif b.typ == "{kind}" and b.niva == {level} %}}')
            _p(doc, f"{base}{suffix}", "{{ b.text }}")
    _p(doc, tag, '{%p elif b.typ == "mål" %}')
    _p(doc, "Målrubrik", "{{ b.rubrik }}")
    _p(doc, "Mål", "{{ b.text }}")
    _p(doc, tag, "{%p for d in b.delmal %}")
    _p(doc, "Delmål", "{{ d }}")
    _p(doc, tag, "{%p endfor %}")
    _p(doc, tag, "{%p if b.ansvar %}")
    _p(doc, "Ansvar", "{{ b.ansvar }}")
    _p(doc, tag, "{%p endif %}")
    _p(doc, "Målluft")
    _p(doc, tag, '{%p elif b.typ == "bild" %}')
    _p(doc, "Bild", "{{ b.bild }}")
    _p(doc, "Bildtext", "{{ b.bildtext }}")
    _p(doc, tag, '{%p elif b.typ == "aktiviteter" %}')
    _p(doc, "Tabellstart")  # a little air above the table too, kept with it
    _activity_table(doc)
    _p(doc, "Tabellslut")
    _p(doc, tag, "{%p endif %}")
    _p(doc, tag, "{%p endfor %}")
    _p(doc, tag, "{%p endfor %}")


def _calendar(doc: Any) -> None:
    tag = "Tagg"
    _p(doc, tag, "{%p if kalendarium %}")
    _p(doc, "Heading 1", "{{ kalendarium.rubrik }}")
    _p(doc, tag, "{%p for t in kalendarium.inledning %}")
    _p(doc, "Kalenderinledning", "{{ t }}")
    _p(doc, tag, "{%p endfor %}")
    _p(doc, tag, "{%p for g in kalendarium.grupper %}")
    _p(doc, "Kalenderorgan", "{{ g.rubrik }}")
    _p(doc, tag, "{%p for m in g.moten %}")
    _p(doc, "Kalenderrad", "{{ m }}")
    _p(doc, tag, "{%p endfor %}")
    _p(doc, tag, "{%p endfor %}")
    _p(doc, tag, "{%p endif %}")


def _money_rows(table: Any, rows: list[tuple[str, str, str]]) -> None:
    """Fill a two-column table: (kind, left, right) where kind is head, tag, line or sum."""
    for row, (kind, left, right) in zip(table.rows, rows, strict=True):
        if kind == "tag":
            _put(row.cells[0], [("Tagg", left)])
            continue
        style = "Budgetrubrik" if kind == "head" else "Budgettext"
        _put(row.cells[0], [(style, left)])
        _put(row.cells[1], [("Belopp", right)])
        if kind == "sum":
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                tcpr = cell._tc.get_or_add_tcPr()
                borders = OxmlElement("w:tcBorders")
                top = OxmlElement("w:top")
                for key, val in (("w:val", "single"), ("w:sz", "8"), ("w:color", ACCENT_HEX)):
                    top.set(qn(key), val)
                borders.append(top)
                tcpr.append(borders)


def _budget(doc: Any) -> None:
    tag = "Tagg"
    _p(doc, tag, "{%p if budget %}")
    _p(doc, "Heading 1", "{{ budget.rubrik }}")
    _p(doc, "Budgetinledning", "Kommunernas avgift för Södertörnssamarbetet är {{ budget.per_invanare }} kronor per invånare "
       "och år enligt beslut av {{ budget.beslut }}. Åtagandet bekräftas genom beslut om respektive kommuns "
       "budget för {{ ar }}. Den {{ budget.invanare_datum }} var invånarantalet totalt {{ budget.invanare }} "
       "på Södertörn.")
    rows = [("head", "Intäkter", ""), ("tag", "{%tr for r in budget.intakter %}", ""),
            ("line", "{{ r.rad }}", "{{ r.belopp }}"), ("tag", "{%tr endfor %}", ""),
            ("sum", "Summa", "{{ budget.intakter_summa }}"),
            ("head", "Kostnader", ""), ("tag", "{%tr for r in budget.kostnader %}", ""),
            ("line", "{{ r.rad }}", "{{ r.belopp }}"), ("tag", "{%tr endfor %}", ""),
            ("sum", "Summa", "{{ budget.kostnader_summa }}")]
    table = doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _money_rows(table, rows)
    _widths(table, [9.0, 4.0])
    _geometry(table)
    _whole_rows(table)
    _p(doc, tag, "{%p for f in budget.fotnoter %}")
    _p(doc, "Fotnot", "{{ f }}")
    _p(doc, tag, "{%p endfor %}")
    _p(doc, tag, "{%p if budget.per_kommun %}")
    _p(doc, "Underrubrik", "Avgift per kommun")
    _p(doc, "Normal", "Avgiften fördelas mellan kommunerna i förhållande till invånarantalet "
       "({{ budget.per_invanare }} kronor per invånare, den {{ budget.invanare_datum }}).")
    per = doc.add_table(rows=5, cols=3)
    per.style = doc.styles["Table Grid"]
    heads = ("Kommun", "Invånare", "Avgift")
    for i, text in enumerate(heads):
        _put(per.rows[0].cells[i], [("Tabellrubrik" if i == 0 else "Tabellrubrik höger", text)])
        _cell_shade(per.rows[0].cells[i], HEAD_HEX)
    _repeat_header(per.rows[0])
    _put(per.rows[1].cells[0], [("Tagg", "{%tr for m in budget.per_kommun %}")])
    _put(per.rows[2].cells[0], [("Tabelltext", "{{ m.kommun }}")])
    _put(per.rows[2].cells[1], [("Tabellbelopp", "{{ m.invanare }}")])
    _put(per.rows[2].cells[2], [("Tabellbelopp", "{{ m.avgift }}")])
    _put(per.rows[3].cells[0], [("Tagg", "{%tr endfor %}")])
    _put(per.rows[4].cells[0], [("Tabellrubrik", "Summa")])
    _put(per.rows[4].cells[1], [("Tabellrubrik höger", "{{ budget.invanare }}")])
    _put(per.rows[4].cells[2], [("Tabellrubrik höger", "{{ budget.per_kommun_summa }}")])
    _widths(per, [7.0, 4.0, 5.0])
    _geometry(per)
    _whole_rows(per)
    _p(doc, "Tabellslut")
    _p(doc, tag, "{%p endif %}")
    _p(doc, tag, "{%p for t in budget.efter %}")
    _p(doc, "Normal", "{{ t }}")
    _p(doc, tag, "{%p endfor %}")
    _p(doc, tag, "{%p endif %}")


def _front(doc: Any) -> None:
    _p(doc, "Datum", "{{ datum }}")
    for _ in range(6):
        _p(doc, "Normal")
    _p(doc, "Subtitle", "{{ organisation }}")
    _p(doc, "Title", "{{ titel }}")
    _p(doc, "Tagg", "{%p if beslutad %}")
    _p(doc, "Beslutad", "{{ beslutad }}")
    _p(doc, "Tagg", "{%p endif %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _p(doc, "TOC Heading", "Innehållsförteckning")
    start = _p(doc, "TOC 1")
    for kind, text in (("begin", ""), ("instr", ' TOC \\o "1-3" \\h \\z \\u '), ("separate", "")):
        _run_field(start, kind, text)
    _p(doc, "Tagg", "{%p for e in toc %}")
    _p(doc, "TOC 1", "{{ e.text }}\t{{ e.sida }}")
    _p(doc, "Tagg", "{%p endfor %}")
    _run_field(_p(doc, "TOC 1"), "end")
    _p(doc, "Tagg", "{%p if bilagor %}")
    _p(doc, "Bilagor rubrik", "Bilagor")
    _p(doc, "Tagg", "{%p for b in bilagor %}")
    _p(doc, "Bilageförteckning", "{{ b.etikett }}\t{{ b.titel }}\t{{ b.sida }}")
    _p(doc, "Tagg", "{%p endfor %}")
    _p(doc, "Tagg", "{%p endif %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _page(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("{{ organisation }} · {{ titel }}\t")
    _simple_field(footer, "PAGE")


def build(out: Path) -> Path:
    """Write the plan template to *out* and return *out*."""
    doc = Document()
    swedish_defaults(doc, FONT)
    _styles(doc)
    _numbering_for_lists(doc)
    # The empty first paragraph of a new document would stand before the date; reuse it.
    body = doc.element.body
    first = body.find(qn("w:p"))
    if first is not None:
        body.remove(first)
    _page(doc)
    _front(doc)
    _chapters(doc)
    _calendar(doc)
    _budget(doc)
    props = doc.core_properties
    props.title = "Verksamhetsplan och budget"
    props.author = "Södertörns kansli"
    props.language = "sv-SE"
    props.comments = "Mall för kansli plan: stilarna kan ändras i Word; taggarna (klammerparenteser) ska stå kvar."
    doc.save(str(out))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "templates" / "verksamhetsplan.docx"
    print(build(target))
