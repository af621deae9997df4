"""The plan's JSON contract: Verksamhetsplan och budget with chapters, calendar, budget and appendices."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, PrivateAttr, Tag, ValidationInfo, model_validator

from ..fields import (
    BASIC_BLOCKS,
    BulletList,
    Clock,
    Day,
    FilledText,
    Heading,
    Model,
    Name,
    NumberedList,
    Text,
    block_tag,
)

GoalLevel = Literal["vision", "övergripande", "långsiktigt", "delmål"]

GOAL_LABELS: dict[str, str] = {
    "vision": "Vision",
    "övergripande": "Övergripande mål",
    "långsiktigt": "Långsiktigt mål",
    "delmål": "Delmål",
}

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
Weekday = Literal["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]


class Goal(Model):
    """A goal statement set apart: {"mål": "långsiktigt", "namn": "Omställning", "text": "…"}."""

    niva: GoalLevel = Field(alias="mål", description="Nivå: vision, övergripande, långsiktigt eller delmål")
    namn: FilledText | None = Field(default=None, description="Målets namn; rubriken blir »Långsiktigt mål: Namn«")
    rubrik: FilledText | None = Field(default=None, description="Hela rubriken, om den inte ska byggas av nivå och namn")
    text: FilledText = Field(description="Själva målformuleringen")
    delmal: list[FilledText] = Field(default_factory=list, alias="delmål", description="Delmål under målet")
    ansvar: FilledText | None = Field(default=None, description="Ansvarig genomförandeorganisation (nätverket)")

    @property
    def heading(self) -> str:
        """Return the heading: the explicit rubrik, or »Långsiktigt mål: Omställning«."""
        if self.rubrik:
            return self.rubrik
        label = GOAL_LABELS[self.niva]
        return f"{label}: {self.namn}" if self.namn else label


CellBlock = Annotated[
    Annotated[Text, Tag("stycke")] | Annotated[BulletList, Tag("punktlista")],
    Discriminator(block_tag(("punktlista",))),
]
"""What a table cell may hold: paragraphs (strings) and bullet lists."""

Cell = Text | list[CellBlock]
"""A cell: one paragraph as a string, or a list of paragraphs and bullet lists."""


class Activity(Model):
    """One row of an activity table: what is done, and a comment."""

    aktivitet: FilledText | Annotated[list[CellBlock], Field(min_length=1)] = Field(
        description="Aktiviteten: en text, eller en lista med stycken och punktlistor")
    kommentar: Cell = Field(default="", description="Kommentar: en text, eller stycken och punktlistor")


class ActivityTable(Model):
    """A two-column table: {"aktiviteter": [{"aktivitet": "…", "kommentar": "…"}]}."""

    aktiviteter: list[Activity] = Field(min_length=1)
    kolumner: tuple[FilledText, FilledText] = Field(default=("Aktivitet", "Kommentar"), description="Kolumnrubrikerna")


class Figure(Model):
    """A picture: {"bild": "bilder/malstruktur.png", "alt": "…", "bildtext": "…", "bredd": 15}.

    The file is read relative to the plan's JSON file and must lie in its folder (`files.py` checks
    that when the file is read); the caption is numbered »Figur 1.«, »Figur 2.« … in order.
    """

    bild: FilledText = Field(description="Bildfilen: PNG, JPEG eller SVG, i planens mapp (sökväg relativt JSON-filen)")
    alt: FilledText = Field(description="Alternativ text: vad bilden visar, för den som inte ser den (krävs, "
                                        "följer med i den taggade PDF-filen)")
    bildtext: Text | None = Field(default=None, description="Bildtexten efter »Figur N.«")
    bredd: float | None = Field(default=None, gt=0, le=30, description="Bredd i cm; utelämnad: hela textbredden")
    _file: Path = PrivateAttr(default_factory=Path)

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Figure:
        source = (info.context or {}).get("source")
        self._file = (Path(source).parent if source else Path()) / self.bild
        return self

    @property
    def file(self) -> Path:
        """Return the picture's file, relative to the plan's JSON file when the plan was read from one."""
        return self._file


_PLAN_KEYS = ("mål", *BASIC_BLOCKS, "aktiviteter", "bild")
_basic_tag = block_tag(_PLAN_KEYS)


def _plan_tag(value: Any) -> str | None:
    # block_tag looks at Python field names for model instances; Goal's key is the alias "mål".
    if isinstance(value, Goal):
        return "mål"
    tag: str | None = _basic_tag(value)
    return tag


Block = Annotated[
    Annotated[Text, Tag("stycke")]
    | Annotated[Heading, Tag("rubrik")]
    | Annotated[BulletList, Tag("punktlista")]
    | Annotated[NumberedList, Tag("numrerad_lista")]
    | Annotated[Goal, Tag("mål")]
    | Annotated[ActivityTable, Tag("aktiviteter")]
    | Annotated[Figure, Tag("bild")],
    Discriminator(_plan_tag),
]
"""A paragraph, sub-heading, list, goal statement, activity table or picture."""


class Chapter(Model):
    """A numbered chapter; its number comes from its place in the list."""

    rubrik: FilledText = Field(description="Kapitlets rubrik, utan nummer")
    innehall: list[Block] = Field(default_factory=list, alias="innehåll", description="Stycken, listor, mål, tabeller")


class Organisation(Model):
    """The organisation chapter: who chairs what this year."""

    rubrik: Text = "Organisation"
    ordforande: Name | None = Field(default=None, alias="ordförande", description="Kommunen som är ordförande i samarbetskommittén")
    vice_ordforande: Name | None = Field(default=None, alias="vice_ordförande", description="Kommunen som är vice ordförande")
    ledningsgruppens_ordforande: Name | None = Field(
        default=None, alias="ledningsgruppens_ordförande", description="Namn och kommun, t.ex. »Magnus Gyllestad, Södertälje kommun«")
    innehall: list[Block] = Field(default_factory=list, alias="innehåll", description="Övrig text om organisationen")


class Meeting(Model):
    """One date in the calendar: {"datum": "2026-02-06", "plats": "Storsthlm's lokaler"}."""

    datum: Day
    notering: Text | None = Field(default=None, description="T.ex. »planeringskonferens« eller »fysiskt möte«")
    plats: Text | None = Field(default=None, description="Platsen; utelämnad betyder gruppens vanliga plats")
    start: Clock | None = Field(default=None, description="Annan starttid än gruppens vanliga")
    slut: Clock | None = Field(default=None, description="Annan sluttid än gruppens vanliga")


class CalendarGroup(Model):
    """The meetings of one body, with its usual weekday, time and place."""

    organ: Name = Field(description="T.ex. »Samarbetskommittén«")
    veckodag: Weekday = Field(description="Den vanliga mötesdagen, t.ex. »torsdag«")
    start: Clock = Field(description="Vanlig starttid, t.ex. »13.00«")
    slut: Clock = Field(description="Vanlig sluttid, t.ex. »15.00«")
    plats: Text | None = Field(default=None, description="Vanlig plats; rubriken får »i <plats> om inte annat anges«")
    moten: list[Meeting] = Field(min_length=1, alias="möten")

    @model_validator(mode="after")
    def _ends_after_start(self) -> CalendarGroup:
        if self.slut <= self.start:
            raise ValueError(f"sluttiden {self.slut:%H.%M} ska vara efter starttiden {self.start:%H.%M}")
        for meeting in self.moten:
            start, end = self.start_of(meeting), self.end_of(meeting)
            if end <= start:
                raise ValueError(f"mötet {meeting.datum.isoformat()} slutar {end:%H.%M}, före eller när det "
                                 f"börjar ({start:%H.%M})")
        return self

    @property
    def weekday_index(self) -> int:
        """Return the usual weekday as Python numbers it (monday = 0)."""
        return WEEKDAYS.index(self.veckodag)

    def start_of(self, meeting: Meeting) -> time:
        """Return when *meeting* starts (its own time, or the group's)."""
        return meeting.start or self.start

    def end_of(self, meeting: Meeting) -> time:
        """Return when *meeting* ends (its own time, or the group's)."""
        return meeting.slut or self.slut

    def place_of(self, meeting: Meeting) -> str | None:
        """Return where *meeting* is (its own place, or the group's usual one)."""
        return meeting.plats or self.plats


class Calendar(Model):
    """The meeting calendar: an introduction and one group per body."""

    rubrik: Text = "Kalendarium för möten"
    forslag: Text | None = Field(
        default=None, alias="förslag",
        description="Säger att datumen är ett förslag (kansli next flyttar dem till nästa år); "
                    "kansli check varnar tills fältet tas bort")
    inledning: list[Text] = Field(default_factory=list, description="Stycken före mötena")
    grupper: list[CalendarGroup] = Field(default_factory=list)


class BudgetLine(Model):
    """An income or cost line: {"rad": "Möten", "belopp": 100000}, optionally with a footnote."""

    rad: FilledText
    belopp: int = Field(ge=0, description="Belopp i hela kronor")
    fotnot: Text | None = Field(default=None, description="Fotnot till raden, skrivs under tabellen")


class Budget(Model):
    """Income (a fee per inhabitant and other lines) and costs; every sum is computed."""

    rubrik: Text = "Budget"
    avgift_per_invanare: int = Field(alias="avgift_per_invånare", gt=0, description="Kronor per invånare och år")
    avgiftsbeslut: FilledText = Field(description="Vem som beslutade avgiften och när, t.ex. »Södertörns samarbetskommitté 2017-02-02«")
    invanare: int | None = Field(default=None, alias="invånare", gt=0, description="Invånare totalt; utelämnas om invånare_per_kommun anges")
    invanare_datum: Day = Field(alias="invånare_datum", description="Dagen invånarantalet avser, t.ex. 2025-12-31")
    invanare_per_kommun: dict[Name, Annotated[int, Field(gt=0)]] = Field(
        default_factory=dict, alias="invånare_per_kommun", description="Invånare per kommun (avgiften fördelas enligt § 8)")
    avgiftsrad: Text = Field(default="Avgifter från kommunerna", description="Intäktsradens text för avgifterna")
    intakter: list[BudgetLine] = Field(default_factory=list, alias="intäkter", description="Övriga intäkter")
    kostnader: list[BudgetLine] = Field(min_length=1)
    efter: list[Text] = Field(default_factory=list, description="Stycken efter budgettabellen")

    @model_validator(mode="after")
    def _population_given(self) -> Budget:
        if self.invanare is None and not self.invanare_per_kommun:
            raise ValueError("ange invånare (totalt) eller invånare_per_kommun")
        if self.invanare is not None and self.invanare_per_kommun:
            total = sum(self.invanare_per_kommun.values())
            if total != self.invanare:
                raise ValueError(f"invånare är {self.invanare} men invånare_per_kommun summerar till {total}")
        return self

    @property
    def population(self) -> int:
        """Return the number of inhabitants: the given total or the sum over the municipalities."""
        return self.invanare if self.invanare is not None else sum(self.invanare_per_kommun.values())

    @property
    def fee(self) -> int:
        """Return the fee from the municipalities: fee per inhabitant × inhabitants."""
        return self.avgift_per_invanare * self.population

    @property
    def fee_per_municipality(self) -> dict[str, int]:
        """Return each municipality's fee (§ 8: shared in proportion to its inhabitants)."""
        return {name: n * self.avgift_per_invanare for name, n in self.invanare_per_kommun.items()}

    @property
    def income_total(self) -> int:
        """Return the fee plus every other income line."""
        return self.fee + sum(line.belopp for line in self.intakter)

    @property
    def cost_total(self) -> int:
        """Return the sum of the cost lines."""
        return sum(line.belopp for line in self.kostnader)

    @property
    def balance(self) -> int:
        """Return income minus costs (positive: a surplus)."""
        return self.income_total - self.cost_total


class Appendix(Model):
    """An appendix: a title and a file (PDF or .docx), the path relative to the JSON file."""

    titel: FilledText
    fil: FilledText = Field(description="Sökväg till en PDF- eller .docx-fil, relativt JSON-filen")


class Adoption(Model):
    """Who adopted the plan and when: {"av": "samarbetskommittén", "datum": "2025-12-05"}."""

    av: Name = Field(description="Den som beslutade planen, t.ex. »samarbetskommittén«")
    datum: Day = Field(description="Dagen beslutet fattades")


class Verksamhetsplan(Model):
    """Verksamhetsplan och budget: the whole plan, as the kansli writes it."""

    schema_: str | None = Field(default=None, alias="$schema", description="Sökväg till JSON-schemat (för editorn)")
    titel: FilledText = Field(default="Verksamhetsplan och budget", description="Titeln; året läggs till efter")
    ar: int = Field(alias="år", ge=2000, le=2100, description="Året planen gäller")
    organisation: Name = Field(description="T.ex. »Södertörnskommunernas samarbetskommitté«")
    datum: Day = Field(description="Planens datum, på titelsidan")
    beslutad: Adoption | None = Field(default=None, description="Vem som beslutade planen och när; "
                                      "blir »Beslutad av … den …« på titelsidan och i PDF-filens uppgifter")
    kapitel: list[Chapter] = Field(min_length=1, description="Kapitlen i ordning; numren räknas fram")
    organisationsavsnitt: Organisation | None = Field(default=None, description="Kapitlet Organisation")
    kalendarium: Calendar | None = None
    budget: Budget | None = None
    bilagor: list[Appendix] = Field(default_factory=list)

    @property
    def full_title(self) -> str:
        """Return »Verksamhetsplan och budget 2026«."""
        return f"{self.titel} {self.ar}"

    def figures(self) -> list[tuple[str, Figure]]:
        """Return every picture in the order it stands, with its field path (»kapitel[0].innehåll[3]«)."""
        places = [(f"kapitel[{n}].innehåll", chapter.innehall) for n, chapter in enumerate(self.kapitel)]
        if self.organisationsavsnitt is not None:
            places.append(("organisationsavsnitt.innehåll", self.organisationsavsnitt.innehall))
        return [(f"{where}[{i}]", block) for where, content in places
                for i, block in enumerate(content) if isinstance(block, Figure)]
