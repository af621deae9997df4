"""Build inputs/plan/bilagor/sup-2040.pdf: Bilaga 2, the development programme SUP 2040, with bookmarks.

The original is a designed brochure; this reproduces its words (typos included) as a PDF with its own
chapters and outline, set in the Vera fonts that reportlab ships, embedded so PDF/A finishing holds.
The figures were images in the original; here they are simple diagrams drawn from the text's own words.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import reportlab
from reportlab import rl_config
from reportlab.graphics.shapes import STATE_DEFAULTS, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

ACCENT = colors.HexColor("#00607A")
TINT = colors.HexColor("#E3F1F4")
FONTS = Path(reportlab.__file__).parent / "fonts"

for face, file in (("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf"), ("Vera-Italic", "VeraIt.ttf"),
                   ("Vera-BoldItalic", "VeraBI.ttf")):
    pdfmetrics.registerFont(TTFont(face, str(FONTS / file)))
pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic",
                              boldItalic="Vera-BoldItalic")
# The canvas's initial font would otherwise be Helvetica, which is never embedded (PDF/A forbids that).
rl_config.canvas_basefontname = "Vera"
STATE_DEFAULTS["fontName"] = "Vera"  # the same for drawings

BODY = ParagraphStyle("body", fontName="Vera", bulletFontName="Vera", fontSize=10, leading=14.5, spaceAfter=7)
H1 = ParagraphStyle("H1", fontName="Vera-Bold", fontSize=18, leading=23, textColor=ACCENT, spaceBefore=6,
                    spaceAfter=10, keepWithNext=True)
H2 = ParagraphStyle("H2", fontName="Vera-Bold", fontSize=13, leading=17, textColor=ACCENT, spaceBefore=12,
                    spaceAfter=6, keepWithNext=True)
H3 = ParagraphStyle("H3", fontName="Vera-Bold", fontSize=11, leading=15, spaceBefore=10, spaceAfter=4,
                    keepWithNext=True)
QUOTE = ParagraphStyle("quote", parent=BODY, fontName="Vera-BoldItalic", fontSize=12, leading=16,
                       textColor=ACCENT, leftIndent=0.8 * cm, rightIndent=0.8 * cm, spaceBefore=6, spaceAfter=10,
                       backColor=TINT, borderPadding=8)
CAPTION = ParagraphStyle("caption", parent=BODY, fontName="Vera-Italic", fontSize=8.5, leading=11, spaceBefore=4,
                         spaceAfter=12)
COLOPHON = ParagraphStyle("colophon", parent=BODY, fontSize=9, leading=13, spaceAfter=4)
COVER = ParagraphStyle("cover", fontName="Vera-Bold", fontSize=48, leading=56, textColor=colors.white,
                       alignment=TA_CENTER)
COVER_SUB = ParagraphStyle("coversub", fontName="Vera", fontSize=16, leading=22, textColor=colors.white,
                           alignment=TA_CENTER)


def bullets(items: list[str]) -> ListFlowable:
    """Return a bullet list of *items*."""
    return ListFlowable([ListItem(Paragraph(t, BODY), leftIndent=14) for t in items], bulletType="bullet",
                        start="•", leftIndent=14, bulletFontName="Vera")


def diagram(boxes: list[str], caption: str) -> KeepTogether:
    """Return a simple top-down chain of labelled boxes with arrows, and its caption."""
    width, box_h, gap = 15 * cm, 0.9 * cm, 0.5 * cm
    height = len(boxes) * box_h + (len(boxes) - 1) * gap
    d = Drawing(width, height)
    for i, label in enumerate(boxes):
        y = height - (i + 1) * box_h - i * gap
        d.add(Rect(2 * cm, y, width - 4 * cm, box_h, fillColor=TINT if i else ACCENT, strokeColor=ACCENT))
        d.add(String(width / 2, y + box_h / 2 - 4, label, fontName="Vera-Bold" if i == 0 else "Vera",
                     fontSize=10, textAnchor="middle", fillColor=colors.white if i == 0 else colors.black))
        if i:
            top = y + box_h
            d.add(Line(width / 2, top + gap, width / 2, top + 3, strokeColor=ACCENT))
            d.add(Polygon([width / 2 - 3, top + 5, width / 2 + 3, top + 5, width / 2, top], fillColor=ACCENT,
                          strokeColor=ACCENT))
    return KeepTogether([Spacer(1, 4), d, Paragraph(caption, CAPTION)])


def p(text: str) -> Paragraph:
    """Return a body paragraph."""
    return Paragraph(text, BODY)


def story() -> list[Any]:
    """Return the flowables of the whole programme."""
    out: list[Any] = [
        Spacer(1, 7 * cm), Paragraph("SUP 2040", COVER), Spacer(1, 0.6 * cm),
        Paragraph("Södertörns utvecklingsprogram 2023–2026", COVER_SUB), PageBreak(),
        Spacer(1, 15 * cm),
        Paragraph("<b>Beslutat av:</b> Södertörnskommunernas samarbetskommitté den 12 januari 2023.", COLOPHON),
        Paragraph("<b>Antaget av:</b> Kommunstyrelserna i de åtta Södertörnskommunerna: Botkyrka, Haninge, "
                  "Huddinge, Nykvarn, Nynäshamn, Salem, Södertälje, Tyresö.", COLOPHON),
        Paragraph("<b>Dokumentnamn:</b> SUP 2040 – Södertörns utvecklingsprogram, 2023–2026.", COLOPHON),
        Paragraph("<b>Kontakt:</b> Helene Olofsson, Södertörns kansli, helene.olofsson2@huddinge.se.", COLOPHON),
        Paragraph("<b>Layout:</b> Detail Produktionsbyrå.", COLOPHON),
        Paragraph("<b>Processtöd:</b> Governo AB.", COLOPHON),
        PageBreak(),
        Paragraph("Södertörnskommunernas samverkan", H1),
        p("Södertörn bidrar starkt till Stockholmsregionens utveckling och tillväxt. Idag bor över en halv miljon "
          "människor på Södertörn. Om Södertörn vore ett län skulle det vara det fjärde största länet i Sverige."),
        p("I den regionala utvecklingsplanen RUFS 2050 finns nio utpekade sammanlänkande regionala stadskärnor. "
          "Fyra av dessa finns på Södertörn: Flemingsberg, Kungens kurva-Skärholmen, Haninge centrum och "
          "Södertälje. Utbyggnaden av de regionala stadskärnorna stärker möjligheterna till en sammanhållen och "
          "hållbar region. Tack vare de regionala stadskärnorna kan fler bostäder och arbetsplatser samt ökad "
          "kommersiell och offentlig service lokaliseras utanför den centrala stadskärnan utan att bebyggelsen "
          "glesas ut, samtidigt som regionens invånare och besökare får bättre tillgänglighet till arbetsplatser, "
          "utbildning och service i regionen."),
        p("De åtta kommunerna på Södertörn – <b>Botkyrka, Haninge, Huddinge, Nykvarn, Nynäshamn, Salem, "
          "Södertälje, Tyresö</b> – har en lång tradition av samarbete. Södertörnskommunernas samverkan "
          "formaliserades år 2010 och sker både på politisk nivå och mellan tjänstemän samt inkluderar såväl "
          "strategiska gemensamma frågor som erfarenhetsutbyte."),
        p("Samverkan mellan Södertörnskommunerna ska kännetecknas av"),
        bullets(["fokus på den gemensamma nyttan",
                 "respekt för den demokratiska processen i den enskilda kommunen",
                 "att gå före – ett gott regionalt ledarskap",
                 "regional samverkan som handlar om att både ge och få",
                 "ett ömsesidigt förtroende som ger förmåga att snabbt ställa om vid behov."]),
        p("Utvecklingsprogrammet ska tydliggöra gemensamma frågor där det finns ett <i>mervärde</i> för kommunerna "
          "att samverka."),
        Paragraph("Syftet med samverkan", H2),
        p("Syftet med Södertörns-samverkan är att stärka den kommunala och regionala utvecklingen på Södertörn med "
          "fokus på gemensam nytta. Genom ett gemensamt utvecklingsprogram kan Södertörnskommunernas deltagande "
          "även i andra regionala samarbeten bli effektivare."),
        p("Samverkan bör kännetecknas av frågor som berör flera kommuner och där lösningarna till stor del är "
          "gemensamma. Det är utmaningar som en enskild kommun inte kan lösa själv och där Södertörnskommunerna "
          "ofta behöver samarbeta med övriga delar av Stockholmsregionen."),
        diagram(["RUFS 2050", "Samarbetsavtal 2010", "SUP 2040", "Verksamhetsplan och budget"],
                "Figur 1. Södertörnskommunernas utvecklingsprogram i styrningshierarkin."),
        Paragraph("Vision och mål", H1),
        Paragraph("Södertörnssamverkans vision", H2),
        p("Syftet med visionen är att den ska visa på den långsiktiga målsättningen och tydliggöra riktningen för "
          "Södertörnssamverkan. Visionen utgör ledstjärna för innehållet i samverkan."),
        p("Visionen för Södertörnssamverkan:"),
        Paragraph("Södertörn leder Sveriges starka och hållbara tillväxt", QUOTE),
        p("I visionen är tillväxt vägledande och i fokus. Visionen signalerar en tydlig framåtanda, en intention att "
          "ligga i absoluta framkant bland Sveriges regionala tillväxtcentrum och därmed inte bara visa stark "
          "tillväxt i förhållande till Stockholmsregionen. Visionen tydliggör även att tillväxten behöver ske på "
          "ett hållbart sätt, utifrån samtliga hållbarhetsdimensioner – ekonomiska, sociala och ekologiska."),
        p("Visionen gäller så länge en ny vision inte antas, samt är en vision för vad <i>samverkan</i> syftar till "
          "att åstadkomma – det är inte en vision för Södertörnsregionen som helhet."),
        Paragraph("Fokusområde för Södertörnssamverkan: infrastruktur", H2),
        p("Infrastrukturfrågorna är prioriterade i detta utvecklingsprogram. Detta innebär att Södertörnssamverkan "
          "under de kommande fyra åren ska fokusera på att uppnå samsyn och ha en enad röst i infrastrukturfrågor."),
        Paragraph("Övergripande mål för fokusområde infrastruktur", H2),
        p("Det övergripande målet för fokusområdet infrastruktur är följande:"),
        Paragraph("En tillgänglig och hållbar infrastruktur bidrar till ett välmående näringsliv, motverkar "
                  "segregation och skapar en gemensam arbetsmarknad på Södertörn", QUOTE),
        p("Södertörnskommunerna kan uppnå flera positiva effekter genom att samverka kring att utveckla en "
          "tillgänglig och hållbar infrastruktur. Några exempel:"),
        bullets([
            "Tillgång till en fungerande och hållbar infrastruktur är betydelsefullt för företagens "
            "tillväxtmöjligheter. Detta bland annat genom att transport- och logistikkedjor fungerar effektivt.",
            "En tillgänglig infrastruktur i kombination med välplanerad byggnation lägger grunden för inkluderande "
            "stadsdelar och städer där människor trivs och känner trygghet. Genom att stärka möjligheterna till "
            "goda kommunikationer mellan olika delar av regionen kan Södertörnskommunerna också skapa tillgång "
            "till fler arbetstillfällen och därmed motverka segregationen.",
            "En tillgänglig och hållbar infrastruktur är en förutsättning för en gemensam arbetsmarknad på "
            "Södertörn, vilket främjar såväl tillgång till arbetskraft för arbetsgivare som större möjligheter "
            "för arbetstagare."]),
        Paragraph("Långsiktiga mål", H2),
        p("För att konkretisera hur Södertörnskommunerna ska uppnå visionen och det övergripande målet för "
          "fokusområde infrastruktur har Södertörnssamverkan formulerat två långsiktiga mål. Dessa mål tar sin "
          "utgångspunkt i de prioriterade utvecklingsområdena inom infrastruktur under perioden: "
          "<b>klimateomställning</b> och <b>tillgänglighet</b>. De långsiktiga målen är formulerade så att det "
          "går att använda indikatorer för att mäta måluppfyllelse vid behov."),
        p("De långsiktiga målen förhåller sig till och har tagits fram med beaktande av bland annat:"),
        bullets(["Sveriges nationella miljömål och de åtaganden som gjorts i Parisavtalet",
                 "Trafikverkets nationella mål om ökad tillgänglighet", "RUF 2050."]),
        Paragraph("Klimateomställning", H3),
        p("Det långsiktiga målet inom område klimateomställning är:"),
        Paragraph("Södertörn leder vägen i omställningen mot ett hållbart transportsystem", QUOTE),
        p("Målet är ett steg i Södertörnssamverkans intention att ta ledartröjan när det gäller att ställa om "
          "transportsystemet. Konkret innebär målet ett ökat fokus på laddinfrastruktur och främjandet av "
          "hållbara transportsätt som kollektivtrafik, gång och cykel."),
        Paragraph("Tillgänglighet", H3),
        p("Det långsiktiga målet inom område tillgänglighet är:"),
        Paragraph("Södertörn – Sveriges mest tillgängliga storstadsregion", QUOTE),
        p("Genom målet vill Södertörnssamverkan främja Södertörnsregionens tillgänglighet oavsett transportslag "
          "med fokus på den enskilda individens mobilitet. Individen ska få möjlighet att på effektivast möjliga "
          "sätt kunna ta sig från punkt A till punkt B. Konkret innebär målet att säkerställa att regionen "
          "prioriteras i nationella och regionala infrastruktursatsningar och att insatser genomförs för att öka "
          "tillgängligheten i regionen."),
        PageBreak(),
    ]
    return out + story_programme()


def story_programme() -> list[Any]:
    """Return the flowables of the chapters on the programme and the organisation."""
    return [
        Paragraph("Om Södertörns utvecklingsprogram SUP 2040", H1),
        p("Det samarbetsavtal som tecknades mellan kommunerna år 2010 sätter ramarna för samverkan. Utöver det är "
          "Södertörns utvecklingsprogram det huvudsakliga styrande dokumentet inom samverkan. Programmet "
          "innehåller visionen för Södertörnssamverkan, de strategiska målen för perioden samt en beskrivning av "
          "hur arbetet ska ske."),
        p("Utvecklingsprogrammet uppdateras i början av varje ny mandatperiod genom att samarbetskommittén tar fram "
          "ett gemensamt förslag som beslutas i respektive kommunstyrelse. Programmet revideras således vart "
          "fjärde år. Södertörns utvecklingsprogram 2040 (SUP 2040) gäller under perioden 2023–2026. Om "
          "medlemskommunerna bedömer det nödvändigt eller önskvärt kan programmet revideras under perioden."),
        Paragraph("Målstruktur, genomförande och uppföljning", H2),
        p("SUP 2040 består av en målstruktur som utgår från en vision, ett övergripande mål för fokusområde "
          "infrastruktur samt två långsiktiga mål. Varje mål tydliggör vilket värde samverkan ska bidra med. "
          "Samtliga mål ska bidra till att Södertörnssamverkan kommer närmare att uppnå visionen. I möjligaste mån "
          "kopplas en genomförandeorganisation till respektive mål. Detta för att möjliggöra ett effektivt "
          "genomförande av utvecklingsplanen."),
        p("Södertörnssamverkan tar årligen fram en budget och en verksamhetsplan som tydliggör hur vi under året "
          "ska arbeta i riktning mot de mål vi slagit fast i utvecklingsprogrammet. I denna kan såväl "
          "konkretiseringar av målen (delmål) och aktiviteter ingå."),
        p("Efter genomgången verksamhetsår tar Södertörnssamverkan fram en årsredovisning som visar vilka "
          "aktiviteter vi genomfört och vilka effekter vi uppnått."),
        diagram(["Vision", "Övergripande mål: infrastruktur", "Långsiktigt mål: klimateomställning",
                 "Långsiktigt mål: tillgänglighet"], "Figur 2. Målstruktur för SUP 2040"),
        Paragraph("Södertörnssamverkans organisation", H1),
        p("Södertörnssamverkan är huvudsakligen en genomförandeorganisation. Därför är det centralt att "
          "organisationen svarar mot de mål och intentioner som finns för samverkan. Det som beskrivs nedan är "
          "grundorganisationen för Södertörnssamverkan."),
        diagram(["Samarbetskommittén", "Ledningsgruppen", "Kansliet", "Nätverken"],
                "Figur 3. Södertörnssamverkans organisation."),
        Paragraph("Samarbetskommittén", H2),
        p("I samarbetskommittén ingår respektive kommuns kommunstyrelseordförande. Samarbetskommittén är beslutande "
          "organ i samverkan och ansvarig för att formulera visionen och de strategiska målen. Kommittén träffas "
          "minst sex gånger per år och har en årlig planeringskonferens. Kommundirektörerna deltar vid kommitténs "
          "möten."),
        p("Kommittén ska årligen inom sig utse ordförande och vice ordförande."),
        Paragraph("Ledningsgruppen", H2),
        p("Ledningsgruppen bemannas av respektive kommuns kommundirektör, och leds av en ordförande som utses inom "
          "ledningsgruppen."),
        p("Syftet är dels att förbereda samarbetskommitténs möten, dels att samordna övriga samverkansfrågor mellan "
          "Södertörnskommunerna. Ledningsgruppen ansvarar också för arbetet med att realisera "
          "utvecklingsprogrammet."),
        Paragraph("Kansliet", H2),
        p("Kansliet bemannas och resurssätts utifrån utvecklingsprogrammet inriktning och innehåll samt de uppdrag "
          "och aktiviteter som ska genomföras. Kansliet samordnar Södertörnssamverkans arbete. Kansliet finansieras "
          "gemensamt och leds av en strateg. Kommundirektören i Huddinge har arbetsgivaransvar för kansliets "
          "personal."),
        Paragraph("Nätverken", H2),
        p("Varje nätverk bemannas av en person per kommun. Nätverken utgör Södertörnssamverkans "
          "genomförandeorganisation. Nätverken agerar som beredningsgrupper till ledningsgruppen. Inriktning och "
          "uppdrag styrs av utvecklingsprogrammet och konkretiseras i den årliga verksamhetsplanen. "
          "Kommundirektörerna utser vilka personer som ska ingå i nätverken, och arbetet samordnas av kansliet. "
          "Nätverken organiseras på följande sätt:"),
        diagram(["Mål", "RUFs nätverket", "Nätverket för klimatstrategier", "Nätverket för trafikstrategier"],
                "Figur 4. Koppling mellan mål och organisation."),
        p("Riktlinjer och mer beskrivning av nätverkens syfte, funktion och uppdrag beskrivs i dokumentet Direktiv "
          "för medverkan i nätverk Södertörnskommunerna."),
        Paragraph("Specifika uppdrag", H2),
        p("Om ledningsgruppen ser behov av att sätta samman temporära grupperingar i form av arbetsgrupper eller "
          "korsfunktionella nätverk finns även möjlighet till det. Arbetsgruppernas bemanning beslutas av "
          "ledningsgruppen. Arbetet samordnas av kansliet om inget annat beslutas."),
    ]


class Programme(BaseDocTemplate):
    """A document template that bookmarks every heading in the PDF outline."""

    LEVELS = {"H1": 0, "H2": 1, "H3": 2}

    def __init__(self, filename: str) -> None:
        super().__init__(filename, pagesize=A4, title="SUP 2040 – Södertörns utvecklingsprogram 2023–2026",
                         author="Södertörnskommunernas samarbetskommitté", lang="sv-SE", invariant=True,
                         leftMargin=2.5 * cm, rightMargin=2.5 * cm, topMargin=2.2 * cm, bottomMargin=2.2 * cm)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])
        self._count = 0

    def _decorate(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        if doc.page == 1:
            canvas.setFillColor(ACCENT)
            canvas.rect(0, 0, A4[0], A4[1], stroke=0, fill=1)
        else:
            canvas.setFont("Vera", 8)
            canvas.setFillColor(colors.grey)
            canvas.drawString(2.5 * cm, 1.2 * cm, "SUP 2040 – Södertörns utvecklingsprogram 2023–2026")
            canvas.drawRightString(A4[0] - 2.5 * cm, 1.2 * cm, str(doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in self.LEVELS:
            self._count += 1
            key = f"h{self._count}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=self.LEVELS[flowable.style.name],
                                      closed=False)


def build(out: Path) -> Path:
    """Write the programme to *out* and return *out*."""
    doc = Programme(str(out))
    doc.build(story())
    return out


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "inputs" / "plan" / "bilagor" / "sup-2040.pdf"
    print(build(target))
