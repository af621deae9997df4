"""The protokollsutdrag: chosen items of the minutes, whole and with their numbers, for the secretary to attest.

`kansli extract FIL.json --item 5 --item 7` writes FIL-utdrag-5-7.docx/.pdf (templates/protokollsutdrag.docx):
the header, "Utdrag ur minnesanteckningar från <organ> <datum>", each item as in the minutes, who
justerade the minutes, and one signature field "Utdraget bestyrks".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..documents import Document, Options, Properties
from ..errors import Problem
from ..swedish import iso
from .minutes import minutes_context
from .model import Minnesanteckningar
from .rules import minutes_roles


def chosen(options: Options) -> list[int]:
    """Return the item numbers asked for (--item), each once, in order."""
    raw: Sequence[int] = options.get("items") or ()
    return sorted(set(raw))


def _count(m: Minnesanteckningar) -> int:
    return len(m.punkter) + (1 if m.nasta_mote is not None else 0)


def extract_rules(m: Minnesanteckningar, options: Options) -> list[Problem]:
    """Return why no extract can be made: not minutes yet, no item or an item that does not exist."""
    if not m.deltagare:
        return [Problem("deltagare", "filen är en kallelse (inga deltagare ifyllda); ett utdrag görs ur "
                                     "minnesanteckningarna")]
    wanted = chosen(options)
    if not wanted:
        return [Problem("", "ange vilka punkter utdraget ska innehålla med --item N")]
    last = _count(m)
    out = [Problem("", f"punkt {n} finns inte; mötet har punkterna 1–{last}") for n in wanted if not 1 <= n <= last]
    return out + minutes_roles(m)


def extract_context(m: Minnesanteckningar, numbers: Sequence[int]) -> dict[str, Any]:
    """Return the template context: the minutes' items numbered as there, only those in *numbers*."""
    context = minutes_context(m)
    return {
        "organ": m.organ,
        "titel": f"Utdrag ur minnesanteckningar från {m.organ}",  # the footer adds the date
        "datum": iso(m.datum),
        "tid": context["tid"],
        "plats": m.plats,
        "punkter": [item for item in context["punkter"] if item["nummer"] in numbers],
        "justering": f"Minnesanteckningarna har justerats av {m.justerare}.",
        "sekreterare": m.sekreterare,
    }


def _properties(m: Minnesanteckningar, options: Options) -> Properties:
    which = ", ".join(str(n) for n in chosen(options))
    return Properties(title=f"Utdrag ur minnesanteckningar från {m.organ} {iso(m.datum)}, punkt {which}",
                      subject="Protokollsutdrag", keywords=m.organ)


def _context(m: Minnesanteckningar, options: Options) -> dict[str, Any]:
    return extract_context(m, chosen(options))


def _stem(source: Path, m: Minnesanteckningar, options: Options) -> str:
    return f"{source.stem}-utdrag-{'-'.join(str(n) for n in chosen(options))}"


DOCUMENT: Document[Minnesanteckningar] = Document(
    template="protokollsutdrag.docx", properties=_properties, context=_context, rules=extract_rules, stem=_stem)
