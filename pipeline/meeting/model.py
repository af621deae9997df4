"""The minutes (minnesanteckningar) contract: what the secretary writes after a meeting."""

from __future__ import annotations

from typing import Annotated

from pydantic import Discriminator, Field, StrictBool, Tag

from ..fields import (
    BulletList,
    Clock,
    Day,
    FilledText,
    Heading,
    Item,
    Model,
    Name,
    NumberedList,
    Text,
    block_tag,
)


class Person(Model):
    """A participant or an absentee: name, municipality or organisation, role, and remote or not."""

    namn: Name = Field(description="För- och efternamn, t.ex. \"Johan Westin\"")
    organisation: Text = Field("", description="Kommun eller organisation, t.ex. \"Haninge\"")
    roll: Text = Field("", description="Roll på mötet, t.ex. \"ordförande\"")
    digitalt: StrictBool = Field(False, description="true om personen deltog digitalt")


class Assignment(Model):
    """Who is tasked with what, and by when."""

    vem: Name = Field(description="Den som får uppdraget, t.ex. \"Helene Olofsson\"")
    att: FilledText = Field(min_length=1, description="Vad uppdraget är, utan inledande \"att\": "
                                                "\"boka in datumen i Outlook\"")
    senast: Day | None = Field(None, description="Datum då uppdraget ska vara klart (valfritt)")


class AssignmentBlock(Model):
    """An assignment as its own paragraph: {"uppdrag": {"vem": …, "att": …}}."""

    uppdrag: Assignment


DecisionPart = Annotated[
    Annotated[Text, Tag("stycke")]
    | Annotated[AssignmentBlock, Tag("uppdrag")]
    | Annotated[BulletList, Tag("punktlista")]
    | Annotated[NumberedList, Tag("numrerad_lista")],
    Discriminator(block_tag(("uppdrag", "punktlista", "numrerad_lista"))),
]
"""What a decision or a discussion holds: paragraphs, assignments and lists."""


class Decision(Model):
    """A bold "Beslut" label with its indented decision paragraphs."""

    beslut: list[DecisionPart] = Field(min_length=1)


class Discussion(Model):
    """A "Diskussion" label with what was said."""

    diskussion: list[DecisionPart] = Field(min_length=1)


class Outstanding(Model):
    """Outstanding matters carried from earlier meetings: {"utestående": ["…"]}."""

    utestaende: list[Item] = Field(alias="utestående", min_length=1)


BLOCK_KEYS = ("rubrik", "punktlista", "numrerad_lista", "diskussion", "beslut", "uppdrag", "utestående")

Block = Annotated[
    Annotated[Text, Tag("stycke")]
    | Annotated[Heading, Tag("rubrik")]
    | Annotated[BulletList, Tag("punktlista")]
    | Annotated[NumberedList, Tag("numrerad_lista")]
    | Annotated[Discussion, Tag("diskussion")]
    | Annotated[Decision, Tag("beslut")]
    | Annotated[AssignmentBlock, Tag("uppdrag")]
    | Annotated[Outstanding, Tag("utestående")],
    Discriminator(block_tag(BLOCK_KEYS)),
]
"""One piece of an agenda item: a paragraph (plain string) or an object tagged by its one key."""


class AgendaItem(Model):
    """A numbered agenda item; its number comes from its place in the list."""

    rubrik: FilledText = Field(min_length=1, description="Punktens rubrik, t.ex. \"Val av justerare\"")
    innehall: list[Block] = Field(default_factory=list, alias="innehåll",
                                  description="Stycken (text), rubrik, punktlista, numrerad_lista, "
                                              "diskussion, beslut, uppdrag, utestående")


class NextMeeting(Model):
    """When and where the next meeting is held."""

    datum: Day
    start: Clock | None = None
    slut: Clock | None = None
    plats: Text = ""
    text: Text = Field("", description="Mer om nästa möte, efter tid och plats")


class Minnesanteckningar(Model):
    """Minnesanteckningar from one meeting of a body of Södertörnskommunernas samverkan."""

    schema_: str | None = Field(None, alias="$schema", description="Sökväg till JSON-schemat (för editorn)")
    organ: FilledText = Field(min_length=1, description="Vem som möttes: \"Södertörnskommunernas ledningsgrupp\"")
    datum: Day = Field(description="Mötesdag, \"2023-10-27\"")
    start: Clock = Field(description="Starttid, \"08:30\"")
    slut: Clock | None = Field(None, description="Sluttid, \"11:00\"")
    plats: FilledText = Field(min_length=1, description="Var mötet hölls")
    deltagare: list[Person] = Field(min_length=1)
    franvarande: list[Person] = Field(default_factory=list, alias="frånvarande")
    sekreterare: Name = Field(description="Vem som för anteckningarna (skriver under \"Vid anteckningarna\")")
    justerare: Name = Field(description="Vem som justerar (skriver under \"Justeras\")")
    punkter: list[AgendaItem] = Field(min_length=1, description="Dagordningens punkter i ordning; "
                                                                "numren räknas fram")
    nasta_mote: NextMeeting | None = Field(None, alias="nästa_möte",
                                           description="Blir sista punkten, \"Nästa möte\"")
    avslutning: Text = Field("", description="Avslutande rad, t.ex. \"Magnus Gyllestad avslutar mötet.\"")
    personuppgifter: list[Name] = Field(default_factory=list, description=(
        "Texter som tas bort ur kopian för webben (kansli publish), t.ex. namn på privatpersoner: "
        "[\"Anna Svensson\"]; även i genitiv (\"Svenssons\"). Personnummer, telefonnummer och "
        "e-postadresser tas bort ändå"))
