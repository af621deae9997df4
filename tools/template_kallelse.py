"""Build templates/kallelse.docx: the Word template of the kallelse med dagordning.

The same house as the minutes (tools/template_minutes.py: page, header, footer, styles); its own
file so the kansli can restyle it in Word without touching code. Styles: those of the minutes, and
Dagordning, Dagordningspunkt (med text), Punkttext, Punkttext etikett, Förslag etikett, Handling (what stands under an agenda heading: föredragande, handlingar).
Run `python tools/template_kallelse.py` after changing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt
from template_minutes import HEADING_INDENT, _page, _people, _save, _style, _styles, _widths


def _meta_table(doc: Document) -> None:
    table = doc.add_table(rows=2, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, (label, var) in zip(table.rows, (("Tid", "{{ tid }}"), ("Plats", "{{ plats }}")), strict=True):
        row.cells[0].paragraphs[0].text = label
        merged = row.cells[1].merge(row.cells[2])
        merged.paragraphs[0].text = var
    table.add_row().cells[0].paragraphs[0].text = "{%tr if anslutning %}"
    join = table.add_row()
    join.cells[0].paragraphs[0].text = "Anslutning"
    join.cells[1].merge(join.cells[2]).paragraphs[0].text = "{{ anslutning }}"
    table.add_row().cells[0].paragraphs[0].text = "{%tr endif %}"
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(3)
    _people(table, "kallade", "Kallade")
    _widths(table, [3.0, 5.5, 7.5])


def _agenda(doc: Document) -> None:
    doc.add_paragraph("Dagordning", style="Dagordning")
    doc.add_paragraph("{%p for punkt in punkter %}")
    # a heading keeps with the text under it; a heading with nothing under it does not keep with the
    # next heading (a chain of them would push the whole agenda to the next page)
    for i, style in enumerate(("Dagordningspunkt med text", "Dagordningspunkt")):
        doc.add_paragraph("{%p if punkt.foredragande or punkt.handlingar or punkt.forslag or punkt.uppfoljning %}" if i == 0
                          else "{%p else %}")
        head = doc.add_paragraph(style=style)
        head.add_run("{{ punkt.nummer }}.")
        head.add_run().add_tab()
        head.add_run("{{ punkt.rubrik }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if punkt.foredragande %}")
    doc.add_paragraph("Föredragande: {{ punkt.foredragande }}", style="Punkttext")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if punkt.handlingar %}")
    doc.add_paragraph("Handlingar:", style="Punkttext etikett")
    doc.add_paragraph("{%p for h in punkt.handlingar %}")
    doc.add_paragraph("–\t{{ h }}", style="Handling")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for u in punkt.uppfoljning %}")
    doc.add_paragraph("–\t{{ u }}", style="Handling")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if punkt.forslag %}")
    doc.add_paragraph("Förslag till beslut", style="Förslag etikett")
    doc.add_paragraph("{{ punkt.forslag }}", style="Beslut")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")


def build(out: Path) -> Path:
    """Write the kallelse template to *out* and return *out*."""
    doc = Document()
    _styles(doc)
    _style(doc, "Dagordning", size=12, bold=True, before=18, after=6, keep=True)
    # an agenda heading is a Heading 1 that need not keep with the next one: a chain of short
    # headings kept together would push the whole agenda to page 2
    for name, keep in (("Dagordningspunkt", False), ("Dagordningspunkt med text", True)):
        point = _style(doc, name, size=12, bold=True, before=10, after=3, keep=keep)
        point.base_style = doc.styles["Heading 1"]
    _style(doc, "Punkttext", left=HEADING_INDENT, after=3)
    _style(doc, "Punkttext etikett", left=HEADING_INDENT, after=0, keep=True)
    _style(doc, "Förslag etikett", left=HEADING_INDENT, bold=True, before=3, after=2, keep=True)
    _style(doc, "Handling", left=HEADING_INDENT + 0.5, after=0)
    handling = doc.styles["Handling"].paragraph_format
    handling.first_line_indent = Cm(-0.5)
    handling.tab_stops.add_tab_stop(Cm(HEADING_INDENT + 0.5))
    _page(doc, "Kallelse till", "{{ organ }}")
    _meta_table(doc)
    _agenda(doc)
    return _save(doc, out, "Kallelse med dagordning")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "templates" / "kallelse.docx"
    print(build(target))
