"""The minutes (minnesanteckningar): the context templates/minnesanteckningar.docx renders, and the document."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..documents import SOURCE, Document, Options, Properties
from ..errors import Problem
from ..fields import BulletList, Heading, Item, NumberedList, flatten_items
from ..swedish import capitalise, clock_span, day_month, iso, long_date
from .model import (
    AgendaItem,
    Assignment,
    AssignmentBlock,
    Block,
    Decision,
    DecisionPart,
    Discussion,
    FollowUp,
    FollowUpBlock,
    Minnesanteckningar,
    NextMeeting,
    Outstanding,
    Person,
)
from .rules import minutes_rules

# Paragraph kinds; the template maps each to a Word style the kansli can restyle.
STYLES = ("stycke", "underrubrik", "etikett", "beslut", "punkt1", "punkt2", "punkt3", "nummer1", "nummer2",
          "nummer3")

Para = dict[str, str]


def _para(stil: str, text: str) -> Para:
    return {"stil": stil, "text": text}


def person_detail(p: Person) -> str:
    """Return 'Södertälje, ordförande (digitalt)' for the second column of Deltagare."""
    text = ", ".join(x for x in (p.organisation, p.roll) if x)
    if p.digitalt:
        text = f"{text} (digitalt)" if text else "(digitalt)"
    return text


def assignment_sentence(a: Assignment) -> str:
    """Return 'Helene Olofsson får i uppdrag att boka in datumen senast den 15 december 2023.'."""
    what = a.att.strip()
    if what.lower().startswith("att "):
        what = what[4:]
    end = "."
    if what and what[-1] in ".!?":
        what, end = what[:-1], what[-1]
    if a.senast is not None:
        what += f" senast den {day_month(a.senast, year=True)}"
    return f"{a.vem} får i uppdrag att {what}{end}"


def _items(items: list[Item], kind: str, deepest: int) -> Iterator[Para]:
    for level, text in flatten_items(items):
        yield _para(f"{kind}{min(level + 1, deepest)}", text)


def _parts(parts: list[DecisionPart], plain: str) -> Iterator[Para]:
    for part in parts:
        if isinstance(part, str):
            yield _para(plain, part)
        elif isinstance(part, AssignmentBlock):
            yield _para(plain, assignment_sentence(part.uppdrag))
        elif isinstance(part, BulletList):
            yield from _items(part.punktlista, "punkt", 3)
        else:
            yield from _items(part.numrerad_lista, "nummer", 3)


def _is_outstanding_label(text: str) -> bool:
    """Return True for 'Utestående ärenden:' and the like, as a secretary may write above the list."""
    return " ".join(text.casefold().rstrip(":. ").split()) in ("utestående ärenden", "utestående ärende", "utestående")


def _block(block: Block, described: Mapping[str, str]) -> Iterator[Para]:
    if isinstance(block, str):
        yield _para("stycke", block)
    elif isinstance(block, Heading):
        yield _para("underrubrik", block.rubrik)
    elif isinstance(block, BulletList):
        yield from _items(block.punktlista, "punkt", 3)
    elif isinstance(block, NumberedList):
        yield from _items(block.numrerad_lista, "nummer", 3)
    elif isinstance(block, Discussion):
        yield _para("etikett", "Diskussion")
        yield from _parts(block.diskussion, "stycke")
    elif isinstance(block, Decision):
        yield _para("etikett", "Beslut")
        yield from _parts(block.beslut, "beslut")
    elif isinstance(block, AssignmentBlock):
        yield _para("stycke", assignment_sentence(block.uppdrag))
    elif isinstance(block, Outstanding):
        items = list(block.utestaende)
        if len(items) > 1 and isinstance(items[0], str) and _is_outstanding_label(items[0]):
            items = items[1:]  # the secretary wrote the label too: say it once
        label = "Utestående ärende:" if len(items) == 1 else "Utestående ärenden:"
        yield _para("stycke", label)
        yield from _items(items, "punkt", 3)
    elif isinstance(block, FollowUpBlock):
        for f in block.uppfoljning:
            yield _para("punkt1", follow_up_line(f, described.get(f.uppdrag, "")))


def follow_up_line(f: FollowUp, described: str = "") -> str:
    """Return 'Uppdrag 2023-10-27/5 (Helene Olofsson: ta in konsultstöd): klart. Konsult anlitad.'."""
    head = f"Uppdrag {f.uppdrag}" + (f" ({described})" if described else "")
    text = f"{head}: {f.status}."
    return f"{text} {f.text}" if f.text else text


def next_meeting_sentence(nm: NextMeeting, this_year: int) -> str:
    """Return 'Nästa möte hålls fredag 15 december, kl 08.30-11.00 i Folkes i Huddinge Centrum.'."""
    when = long_date(nm.datum, year=nm.datum.year != this_year, den=False)
    text = f"Nästa möte hålls {when}"
    if nm.start is not None:
        text += f", {clock_span(nm.start, nm.slut)}"
    if nm.plats:
        text += f" i {nm.plats}"
    text += "."
    if nm.text:
        text += f" {nm.text}"
    return text


def _item(number: int, item: AgendaItem, described: Mapping[str, str]) -> dict[str, Any]:
    paras = [p for block in item.innehall for p in _block(block, described)]
    return {"nummer": number, "rubrik": item.rubrik, "stycken": paras}


def minutes_context(m: Minnesanteckningar, described: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the template context for *m*: plain strings, numbers, lists and dicts only.

    *described* says what each followed-up uppdrag was ("Helene Olofsson: ta in konsultstöd"), by id.
    """
    items = [_item(i, item, described or {}) for i, item in enumerate(m.punkter, start=1)]
    if m.nasta_mote is not None:
        items.append({"nummer": len(items) + 1, "rubrik": "Nästa möte",
                      "stycken": [_para("stycke", next_meeting_sentence(m.nasta_mote, m.datum.year))]})
    return {
        "organ": m.organ,
        "titel": f"Minnesanteckningar från {m.organ}",
        "tid": f"{capitalise(long_date(m.datum, year=False))} {clock_span(m.start, m.slut)}",
        "datum": iso(m.datum),
        "plats": m.plats,
        "deltagare": [{"namn": p.namn, "detalj": person_detail(p)} for p in m.deltagare],
        "franvarande": [{"namn": p.namn, "detalj": person_detail(p)} for p in m.franvarande],
        "punkter": items,
        "avslutning": m.avslutning,
        "sekreterare": m.sekreterare,
        "justerare": m.justerare,
    }


def _properties(m: Minnesanteckningar, options: Options) -> Properties:
    return Properties(title=f"Minnesanteckningar från {m.organ} {iso(m.datum)}", subject="Minnesanteckningar",
                      keywords=m.organ)


def _rules(m: Minnesanteckningar, options: Options) -> list[Problem]:
    return minutes_rules(m)


def source_of(options: Options) -> Path | None:
    """Return the meeting file a document is made from, when the road says (SOURCE)."""
    found = options.get(SOURCE)
    return Path(found) if found is not None else None


def _context(m: Minnesanteckningar, options: Options) -> dict[str, Any]:
    from .tasks import descriptions

    return minutes_context(m, descriptions(m, source_of(options)))


DOCUMENT: Document[Minnesanteckningar] = Document(
    template="minnesanteckningar.docx", properties=_properties, context=_context, rules=_rules)
