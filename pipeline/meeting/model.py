"""The meeting contract (version 2): one file per meeting, before it (kallelse) and after it (minutes).

A file without `deltagare` is in the kallelse stage: what is known before the meeting (who is
called, the agenda with presenters, documents and proposed decisions). The secretary then fills in
who came and what happened, and the same file is in the minutes stage.
"""

from __future__ import annotations

from typing import Annotated, Literal

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

    utestaende: list[Item] = Field(alias="utestående", min_length=1,
                                   description="Listas under rubriken \"Utestående ärenden:\", som kansli "
                                               "skriver själv (skriv inte rubriken i listan)")


Status = Literal["öppet", "pågår", "klart"]


class FollowUp(Model):
    """How an uppdrag from an earlier meeting stands: {"uppdrag": "2023-10-27/5", "status": "klart"}."""

    uppdrag: Name = Field(description="Uppdragets id: mötets datum / punktens nummer, t.ex. \"2023-10-27/5\" "
                                      "(\"2023-10-27/5.2\" för det andra uppdraget i punkt 5)")
    status: Status = Field(description="\"öppet\", \"pågår\" eller \"klart\"")
    text: Text = Field("", description="Kort om läget, t.ex. \"Konsult anlitad.\"")


class FollowUpBlock(Model):
    """Follow-up of uppdrag from earlier meetings: {"uppföljning": [{"uppdrag": …, "status": …}]}."""

    uppfoljning: list[FollowUp] = Field(alias="uppföljning", min_length=1)


BLOCK_KEYS = ("rubrik", "punktlista", "numrerad_lista", "diskussion", "beslut", "uppdrag", "utestående",
              "uppföljning")

Block = Annotated[
    Annotated[Text, Tag("stycke")]
    | Annotated[Heading, Tag("rubrik")]
    | Annotated[BulletList, Tag("punktlista")]
    | Annotated[NumberedList, Tag("numrerad_lista")]
    | Annotated[Discussion, Tag("diskussion")]
    | Annotated[Decision, Tag("beslut")]
    | Annotated[AssignmentBlock, Tag("uppdrag")]
    | Annotated[Outstanding, Tag("utestående")]
    | Annotated[FollowUpBlock, Tag("uppföljning")],
    Discriminator(block_tag(BLOCK_KEYS)),
]
"""One piece of an agenda item: a paragraph (plain string) or an object tagged by its one key."""


class AgendaItem(Model):
    """A numbered agenda item; its number comes from its place in the list."""

    rubrik: FilledText = Field(min_length=1, description="Punktens rubrik, t.ex. \"Val av justerare\"")
    foredragande: Text = Field("", alias="föredragande", description="Vem som föredrar punkten (kallelsen)")
    handlingar: list[FilledText] = Field(default_factory=list,
                                         description="Handlingar som skickas med kallelsen, t.ex. "
                                                     "\"Förslag till mötesplan 2024\"")
    forslag_till_beslut: Text = Field("", alias="förslag_till_beslut",
                                      description="Förslag till beslut (visas i kallelsen)")
    staende: StrictBool = Field(False, alias="stående",
                                description="true för en stående punkt (öppnande, val av justerare, övriga "
                                            "frågor, avslutning) som kansli next för över till nästa möte")
    innehall: list[Block] = Field(default_factory=list, alias="innehåll",
                                  description="Vad som sades och beslutades (fylls i efter mötet): stycken "
                                              "(text), rubrik, punktlista, numrerad_lista, diskussion, beslut, "
                                              "uppdrag, utestående, uppföljning")


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
    anslutning: Text = Field("", description="Hur man ansluter digitalt, t.ex. \"Länk skickas i Outlook\"")
    kallade: list[Person] = Field(default_factory=list,
                                  description="Vilka som kallas (kallelsen); saknas listan kallas deltagare "
                                              "och frånvarande")
    deltagare: list[Person] = Field(default_factory=list,
                                    description="Vilka som var med; fylls i efter mötet (utan deltagare är "
                                                "filen en kallelse)")
    franvarande: list[Person] = Field(default_factory=list, alias="frånvarande")
    sekreterare: Name | None = Field(None, description="Vem som för anteckningarna (skriver under "
                                                       "\"Vid anteckningarna\"); krävs i minnesanteckningarna")
    justerare: Name | None = Field(None, description="Vem som justerar (skriver under \"Justeras\"); krävs i "
                                                     "minnesanteckningarna")
    punkter: list[AgendaItem] = Field(min_length=1, description="Dagordningens punkter i ordning; "
                                                                "numren räknas fram")
    nasta_mote: NextMeeting | None = Field(None, alias="nästa_möte",
                                           description="Blir sista punkten, \"Nästa möte\"")
    avslutning: Text = Field("", description="Avslutande rad, t.ex. \"Magnus Gyllestad avslutar mötet.\"")
    personuppgifter: list[Name] = Field(default_factory=list, description=(
        "Texter som tas bort ur kopian för webben (kansli publish), t.ex. namn på privatpersoner: "
        "[\"Anna Svensson\"]; även i genitiv (\"Svenssons\"). Personnummer, telefonnummer och "
        "e-postadresser tas bort ändå"))
