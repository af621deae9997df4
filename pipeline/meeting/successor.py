"""`kansli next` for a meeting: the next meeting's file, in the kallelse stage, from `nästa_möte`.

Carried over: organ, plats, anslutning, who is called, the recurring (`stående`) items, and an
item "Uppföljning av uppdrag" listing every uppdrag still open from this meeting and the earlier
ones in the same folder. Nothing of what was said is carried: the new file is a kallelse to fill in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from .model import AgendaItem, Minnesanteckningar, Person
from .tasks import meeting_files, tasks

FOLLOW_UP = "Uppföljning av uppdrag"
# Recurring items recognised by their heading when a file marks none as `stående` (older files).
RECURRING = frozenset({
    "välkommen", "mötets öppnande", "öppnande", "val av justerare", "val av justerare för minnesanteckningarna",
    "godkännande av dagordning", "fastställande av dagordning", "godkännande av dagordningen",
    "fastställande av dagordningen", "föregående mötesanteckningar", "föregående mötes minnesanteckningar",
    "övriga frågor", "mötets avslutande", "avslutning",
})


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def recurring(m: Minnesanteckningar) -> list[bool]:
    """Return, per item, whether it recurs: marked `stående`, or (when none is) a well-known heading."""
    marked = [item.staende for item in m.punkter]
    if any(marked):
        return marked
    return [_key(item.rubrik) in RECURRING for item in m.punkter]


def _person(p: Person) -> dict[str, Any]:
    out: dict[str, Any] = {"namn": p.namn}
    if p.organisation:
        out["organisation"] = p.organisation
    if p.roll:
        out["roll"] = p.roll
    if p.digitalt:
        out["digitalt"] = True
    return out


def _carried(item: AgendaItem) -> dict[str, Any]:
    out: dict[str, Any] = {"rubrik": item.rubrik}
    if item.foredragande:
        out["föredragande"] = item.foredragande
    out["stående"] = True
    return out


def file_name(source: Path, old: str, new: str) -> str:
    """Return the next file's name: the date in *source*'s name replaced, or the new date put first."""
    stem = source.stem
    return f"{stem.replace(old, new, 1) if old in stem else f'{new}-{stem}'}.json"


def next_meeting(m: Minnesanteckningar, source: Path) -> tuple[str, dict[str, Any]]:
    """Return the file name and the data of the meeting after *m* (the `successor` of the contract)."""
    nm = m.nasta_mote
    if nm is None:
        raise InputError("filen säger inte när nästa möte är; fyll i \"nästa_möte\" (datum, tid och plats) "
                         "först", path=source)
    meetings, _ = meeting_files([source.parent])
    if not any(path.resolve() == source.resolve() for path, _ in meetings):
        meetings.append((source, m))
    still_open = [t for t in tasks(meetings, nm.datum)[0] if t.status != "klart" and t.meeting <= m.datum]
    keep = recurring(m)
    items = [(item, keep[i]) for i, item in enumerate(m.punkter) if _key(item.rubrik) != _key(FOLLOW_UP)]
    first_matter = next((i for i, (_, kept) in enumerate(items) if not kept), len(items))
    opening = [_carried(item) for item, kept in items[:first_matter] if kept]
    closing = [_carried(item) for item, kept in items[first_matter:] if kept]
    follow_up = [{"rubrik": FOLLOW_UP, "innehåll": [
        {"uppföljning": [{"uppdrag": t.id, "status": "öppet", "text": ""} for t in still_open]}]}] if still_open else []
    data: dict[str, Any] = {
        "$schema": m.schema_,
        "organ": m.organ,
        "datum": nm.datum.isoformat(),
        "start": (nm.start or m.start).strftime("%H:%M"),
    }
    end = nm.slut if nm.start is not None else nm.slut or m.slut
    if end is not None:
        data["slut"] = end.strftime("%H:%M")
    data["plats"] = nm.plats or m.plats
    if m.anslutning:
        data["anslutning"] = m.anslutning
    data["kallade"] = [_person(p) for p in (m.kallade or [*m.deltagare, *m.franvarande])]
    data["punkter"] = opening + follow_up + closing or [{"rubrik": FOLLOW_UP}]
    if data["$schema"] is None:
        del data["$schema"]
    return file_name(source, m.datum.isoformat(), nm.datum.isoformat()), data
