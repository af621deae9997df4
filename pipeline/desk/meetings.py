"""The meetings of the served folder as the desk shows them: listed, read, checked, and made."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..documents import Entry, entry
from ..errors import KansliError, Problem
from . import forms

WARM_UP: dict[str, Any] = {
    "organ": "Uppvärmning", "datum": "2024-01-10", "start": "09:00", "plats": "Här",
    "deltagare": [{"namn": "A B"}], "sekreterare": "A B", "justerare": "A B",
    "punkter": [{"rubrik": "Punkt", "innehåll": ["Text."]}],
}
"""A small meeting in the minutes stage; without "deltagare" it is in the kallelse stage."""

DOCUMENTS = (("agenda", "Kallelse"), ("minutes", "Minnesanteckningar"), ("extract", "Protokollsutdrag"))


@dataclass(frozen=True)
class Listed:
    """One meeting file in the list: its name, date, body, stage and how many errors it has."""

    name: str
    datum: str
    organ: str
    stage: str
    errors: int
    warnings: int


def read(path: Path) -> tuple[dict[str, Any], list[Problem], Entry | None]:
    """Return the data of the meeting file *path*, its problems and its stage's document."""
    from ..load import read_json

    try:
        data = read_json(path)
    except KansliError as exc:
        problems = getattr(exc, "problems", None) or [Problem("", exc.message)]
        return {}, problems, None
    problems, stage = check(data, path)
    return data, problems, stage


def unfit(data: Any, problems: list[Problem]) -> str:
    """Return why the form must not open a file read as *data* (not JSON, not a meeting), or ""."""
    from ..contracts import guess_contract

    if not data:
        return "filen går inte att läsa som JSON; rätta den i en editor först: " + "; ".join(map(str, problems))
    found = guess_contract(data)
    if found is not None and found.name != "meeting":
        return f"filen är en {found.label}; skrivbordet visar möten"
    return ""


def check(data: Any, path: Path) -> tuple[list[Problem], Entry | None]:
    """Return what `kansli check` finds in *data* (the file *path*'s content) and its stage's document."""
    from .. import api

    stage, problems = api.check_data(data, path)
    return problems, stage


def listing(folder: Path) -> list[Listed]:
    """Return the meeting files in *folder*, newest first (by meeting date, then name)."""
    out: list[Listed] = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue
        data, problems, stage = read(path)
        if not isinstance(data, dict) or "punkter" not in data and data:
            continue  # not a meeting (a plan, or something else)
        errors = sum(1 for p in problems if not p.warning)
        out.append(Listed(path.name, str(data.get("datum", "")), str(data.get("organ", "")),
                          stage.label if stage is not None else "ofullständigt", errors, len(problems) - errors))
    return sorted(out, key=lambda m: (m.datum, m.name), reverse=True)


def slug(text: str) -> str:
    """Return a short file-name word from a body's name: "Södertörnskommunernas ledningsgrupp" → "ledningsgrupp"."""
    words = re.findall(r"\w+", text.lower())
    return words[-1] if words else "möte"


def blank(day: str, organ: str) -> dict[str, Any]:
    """Return a new meeting on *day* for *organ*, to be filled in with the form."""
    data: dict[str, Any] = {"organ": organ, "datum": day, "start": "", "plats": "", "punkter": []}
    return data


def form_context(path: Path, data: dict[str, Any], version: str, problems: list[Problem],
                 stage: Entry | None) -> dict[str, Any]:
    """Return what the form template needs for the meeting *data* of *path*."""
    from ..meeting.model import Minnesanteckningar

    fields = {f.alias or n for n, f in Minnesanteckningar.model_fields.items()}
    item_fields: set[str] = set()
    annotation = Minnesanteckningar.model_fields["punkter"].annotation
    item_model = getattr(annotation, "__args__", (None,))[0]
    if item_model is not None and hasattr(item_model, "model_fields"):
        item_fields = {f.alias or n for n, f in item_model.model_fields.items()}
    return {"name": path.name, "data": data, "version": version, "problems": problems, "stage": stage,
            "people": forms.names(data), "fields": fields, "item_fields": item_fields,
            "tasks": (open_tasks(path.parent) or []) if _follows_up(data) else [],
            "loc": lambda p: ".".join(str(s) for s in p.loc)}


def human(where: str) -> str:
    """Return a problem's field path as a person reads it: "punkter[3].rubrik" → "punkt 4, rubrik"."""
    out = re.sub(r"punkter\[(\d+)\]", lambda m: f"punkt {int(m[1]) + 1}", where)
    out = re.sub(r"(\w+)\[(\d+)\]", lambda m: f"{m[1]} {int(m[2]) + 1}", out)
    return out.replace(".", ", ").replace("_", " ")


def _follows_up(data: Any) -> bool:
    """Return True when the meeting has an uppföljning block (then the form offers the open uppdrag)."""
    return "uppföljning" in json.dumps(data.get("punkter", []), ensure_ascii=False) if isinstance(data, dict) else False


def registered(name: str) -> Entry:
    """Return the registry entry *name* (a KansliError when this kansli does not have it)."""
    return entry(name)


def document_label(name: str) -> str:
    """Return how the registry names document *name* ("minnesanteckningar"), or *name* if it has none."""
    try:
        return entry(name).label
    except KansliError:
        return name


def say(exc: KansliError) -> str:
    """Return an error for the page: its message and its problems, without the long path of the file."""
    problems = getattr(exc, "problems", [])
    return exc.message + "".join(f"; {p}" for p in problems)


def document_buttons() -> list[tuple[str, str, Entry | None]]:
    """Return (name, button text, entry or None when not registered) for the documents the desk makes."""
    out: list[tuple[str, str, Entry | None]] = []
    for name, text in DOCUMENTS:
        try:
            out.append((name, text, entry(name)))
        except KansliError:
            out.append((name, text, None))
    return out


def options(item: Entry, posted: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Return a document's own options from the posted fields named after its parameters."""
    values: dict[str, list[str]] = {}
    for key, value in posted:
        values.setdefault(key, []).append(str(value))
    out: dict[str, Any] = {}
    for param in item.params:
        given = [v for v in values.get(param.name, []) for v in re.split(r"[,\s]+", v) if v]
        if param.kind == "flag":
            out[param.name] = bool(values.get(param.name))
        elif param.kind == "int":
            example = "t.ex. 5" + (" eller flera: 2, 5" if param.multiple else "")
            wrong = [v for v in given if not v.isdigit()]
            if wrong:
                raise KansliError(f"”{wrong[0]}” är inget nummer: skriv numret i rutan före knappen, {example}")
            if param.required and not given:
                raise KansliError(f"skriv numret i rutan före knappen, {example}")
            numbers = [int(v) for v in given]
            out[param.name] = tuple(numbers) if param.multiple else (numbers[0] if numbers else None)
        elif param.kind == "text":
            out[param.name] = tuple(given) if param.multiple else " ".join(given) or None
    return out


def open_tasks(folder: Path, today: date | None = None) -> list[dict[str, str]] | None:
    """Return the folder's uppdrag not yet klart as rows for the panel (None when this kansli cannot list them)."""
    import importlib

    try:
        tasks = importlib.import_module("pipeline.meeting.tasks")  # comes with the meeting's whole life
        meetings, _ = tasks.meeting_files([folder])
        found, _ = tasks.tasks(meetings, today or date.today())
    except (ImportError, AttributeError):
        return None
    except KansliError:
        return []
    return [{"id": t.id, "organ": t.organ, "rubrik": t.rubrik, "vem": t.vem, "att": t.att,
             "senast": t.senast.isoformat() if t.senast else "", "status": t.status, "fil": t.source.name}
            for t in found if t.status != "klart"]


def to_json(value: Any) -> str:
    """Return *value* as JSON safe inside a page (no "</" can end a script)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
