"""Build inputs/plan/bilagor/samarbetsavtal-2010.docx: Bilaga 1, the cooperation agreement of 2010.

The original is a scanned, signed paper; this is its text as a Word document, words and typos as they
stand in the seed (e.g. "beslutförför", "Faninge"), with its §§ as headings and the signature lines.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TITLE = "Samarbetsavtal om Södertörnskommunernas samarbetskommitté"

INTRO = ("Nedanstående avtal är tecknat mellan kommunerna Botkyrka, Haninge, Huddinge, Nykvarn, Nynäshamn, "
         "Salem, Södertälje och Tyresö. Genom avtalet bildas Södertörnskommunernas samarbetskommitté.")

SECTIONS: list[tuple[str, list[str]]] = [
    ("§ 1 Syfte", [
        "Syftet med samarbetskommittén är att stärka den kommunala och den regionala utvecklingen som gynnar "
        "Södertörn och därmed kommunerna som har tecknat detta avtal. Samverkan syftar också till att "
        "kommunledningarna i politik och förvaltning skall nå sina mål i hemkommunerna.",
        "Profilen för Södertörn som en attraktiv del av Stockholmsregionen skall tydliggöras och kommunerna skall "
        "i ett nära samarbete söka effektiva och rationella lösningar för de egna kompetensområdena. Kommittén "
        "skall driva frågor vilka bedöms gagna Södertörn och dess kommuner.",
        "Kommitténs namn är Södertörnskommunernas samarbetskommitté.",
    ]),
    ("§ 2 Avtalstid", [
        "Detta avtal gäller fr o m den 1 januari 2010 och tills vidare.",
        "Om någon av kommunerna vill säga upp avtalet är uppsägningstiden 12 månader. Uppsägningen skall vara "
        "beslutad av kommunfullmäktige och lämnas till kommitténs ordförande, som skall underrätta övriga "
        "avtalsparter om uppsägningen. Uppsägningstiden räknas fr o m månadskiftet närmast efter det att "
        "uppsägning har kommit ordföranden tillhanda.",
    ]),
    ("§ 3 Kommitténs sammansättning, beslut mm", [
        "Kommittén utgörs av kommunstyrelsens ordförande från varje kommun.",
        "Kommundirektörer eller motsvarande skall delta vid kommitténs sammanträden.",
        "Kommittén skall årligen inom sig utse ordförande och vice ordförande.",
        "Kommitténs beslut fattas i konsensus om inte annat är överenskommet av samtliga i kommittén ingående "
        "ledamöter. Kommittén är beslutförför när minst hälften av ledamöterna är närvarande vid sammanträde. "
        "Beslut kan fattas vid telefonkonferens eller konferens via datanät. Beslut skall dokumenteras i "
        "minnesanteckningar. Kommittén skall tillse att minnesanteckningarna delges resp kommun.",
    ]),
    ("§ 4 Kommitténs arbete", [
        "Frågor som skall behandlas av kommittén kan väckas av ledamot. Sådan framställan skall ske i god tid "
        "till ordföranden. Ordföranden ansvarar för att kallelse till möte sänds ut i god tid. Kallelsen bör "
        "åtföljas av dagordning och så kompletta handlingar som möjligt för att underlätta för ledamöterna att "
        "ta ställning till respektive ärende. Ordföranden beslutar om och ansvarar för dagordningens innehåll.",
        "Kommittén sammanträder ca sex gånger per år. Extra sammanträde kan inkallas av ordföranden eller då "
        "minst fem kommittéledamöter så begär.",
        "Kommittén fastställer en årlig verksamhetsplan och en årlig budget. Kommittén skall till resp kommun "
        "redovisa förslag till verksamhetsplan och budget innan de fastställs.",
    ]),
    ("§ 5 Sekretariat", [
        "Huddinge kommun tillhandahåller ett sekretariat som stöd till kommittén och för samordning av "
        "gemensamma projekt. Sekretariatet omfattar en tjänsteman med 100 % tjänstgöringsgrad samt ekonomi- och "
        "kansliservice. Huddinge kommun ersätts för dessa kostnader till självkostnadspris.",
    ]),
    ("§ 6 Finansiering av projekt", [
        "Arbetsinsatser/utredningar/projekt vilka finansieras via kommitténs budget skall avse för kommunerna "
        "gemensamma frågor. Projekt som berör några kommuner, men bedöms ha stor betydelse för helheten kan "
        "också finansieras av kommittén.",
        "Frågor som enbart berör någon eller några kommuner finansieras av de berörda kommunerna och ingår ej i "
        "kommitténs budget.",
    ]),
    ("§ 7 Särskilda projekt", [
        "Projekt som kommittén anser vara gemensamma men som inte ryms inom den årliga budgeten finansieras "
        "genom särskilda anslag från kommunerna. Fördelning av dessa kostnader sker i förhållande till "
        "kommunernas invånarantal.",
    ]),
    ("§ 8 Avgift", [
        "Kommitténs årliga budget baseras på att kommunerna betalar en årlig avgift. Den totala avgiften för "
        "2010 är 860 000 kr. Avgiften fördelas mellan kommunerna i förhållande till invånarantalet den 31 "
        "december 2009.",
        "Avgiften omräknas för varje nytt kalenderår med samma procentsats som resp kommuns invånarantal "
        "förändrats vid nästföregående årsskifte jämfört med årsskiftet före dess.",
        "Avgiften erläggs, efter faktura från Huddinge kommun, senast den 15 mars det år avgiften avser.",
    ]),
    ("§ 9 Utträde ur kommittén", [
        "Uppsägningstid för detta avtal regleras i § 2 ovan.",
        "Vid uppsägning från någon kommun skall de kvarvarande kommunerna i kommittén anta sådana ändringar i "
        "detta avtal som föranleds av uppsägningen.",
        "Utträdande kommun har inte rätt att återfå erlagda avgifter, ej heller särskilt tillskjutna "
        "projektmedel eller andra tillskjutna medel.",
    ]),
    ("§ 10 Kommitténs upplösande", [
        "Kommittén kan upplösas genom beslut av kommittén.",
        "Vid upplösande av kommittén skall samtliga tillgångar och skulder fördelas mellan kommunerna enligt "
        "samma fördelningsprincip som tillämpas för avgifterna. Detta gäller även för av kommittén träffade "
        "avtal och kontrakt samt övriga eventuella träffade förbindelser.",
    ]),
]

# (place and date, signatory) as they stand in the seed, typos included.
SIGNATURES: list[tuple[str, str]] = [
    ("Botkyrka den 10/6 2010", "Katrin Sjögren"),
    ("Faninge den 10/6 2010", "Carl Erik de la Cruz"),
    ("Huddinge den 10/6 2010", "Annika Dronk"),
    ("Nykvarn den 10/6 2010", "Anders Samuelsson"),
    ("Nynäshamn den 10/6 2010", "Anders Samuelsson"),
    ("Salem den 10/6 2010", "X. Samuelsson"),
    ("Södertälje den 10/8 2010", "Ulf Samuelsson"),
    ("Tyresö den 10/6 2010", "Ulf Samuelsson"),
]


def _styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(8)
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    for name, size in (("Title", 18), ("Heading 1", 13)):
        style = doc.styles[name]
        style.font.name = "Times New Roman"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 0)
        style.paragraph_format.space_after = Pt(6)
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    rpr.append(lang)
    title_el = doc.styles["Title"].element.get_or_add_pPr()
    for border in title_el.findall(qn("w:pBdr")):
        title_el.remove(border)


def _signatures(doc: Any) -> None:
    table = doc.add_table(rows=len(SIGNATURES) // 2 * 3, cols=2)
    for i, (place, name) in enumerate(SIGNATURES):
        row, col = (i // 2) * 3, i % 2
        place_line = table.cell(row, col).paragraphs[0]
        place_line.paragraph_format.space_before = Pt(18 if row else 0)
        place_line.add_run(place)
        line = table.cell(row + 1, col).paragraphs[0]
        line.paragraph_format.space_before = Pt(20)
        line.add_run("." * 48)
        table.cell(row + 2, col).paragraphs[0].add_run(name)
        for r in (row, row + 1, row + 2):
            table.cell(r, col).width = Cm(8)
            for p in table.cell(r, col).paragraphs:
                p.paragraph_format.keep_with_next = r != row + 2  # a signature never splits


def build(out: Path) -> Path:
    """Write the agreement to *out* and return *out*."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    doc.add_paragraph(TITLE, style="Title")
    doc.add_paragraph(INTRO)
    for heading, paragraphs in SECTIONS:
        doc.add_paragraph(heading, style="Heading 1")
        for text in paragraphs:
            doc.add_paragraph(text)
    doc.add_paragraph()
    _signatures(doc)
    props = doc.core_properties
    props.title = TITLE
    props.author = "Södertörnskommunerna"
    props.language = "sv-SE"
    doc.save(str(out))
    return out


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "inputs" / "plan" / "bilagor" / "samarbetsavtal-2010.docx"
    print(build(target))
