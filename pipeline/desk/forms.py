"""The form and the JSON file: field names are paths, and a posted form becomes the meeting's data again.

A field's name is the path of its value in the JSON with dots: `punkter.2.innehåll.0.beslut.1.att`
(the form's own markers start with "@" or "_"). What the form does not show (keys it does not know,
content it cannot edit) travels in a hidden `_rest` field as JSON and comes back unchanged, so a
save never loses anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

PERSON_LISTS = ("kallade", "deltagare", "frånvarande")
PERSON_KEYS = ("namn", "organisation", "roll", "digitalt")
MEETING_TEXTS = ("organ", "datum", "start", "slut", "plats", "anslutning", "sekreterare", "justerare")
ITEM_KEYS = ("rubrik", "föredragande", "handlingar", "förslag_till_beslut", "stående", "innehåll")
NEXT_KEYS = ("datum", "start", "slut", "plats", "text")
LISTS = ("punktlista", "numrerad_lista", "utestående")
PARTS = ("stycke", "uppdrag", "punktlista", "numrerad_lista")  # what a decision or a discussion holds
BLOCKS = ("stycke", "rubrik", "punktlista", "numrerad_lista", "diskussion", "beslut", "uppdrag",
          "utestående", "uppföljning")
BLOCK_NAMES = {
    "stycke": "Stycke", "rubrik": "Mellanrubrik", "punktlista": "Punktlista", "numrerad_lista": "Numrerad lista",
    "diskussion": "Diskussion", "beslut": "Beslut", "uppdrag": "Uppdrag", "utestående": "Utestående ärenden",
    "uppföljning": "Uppföljning av uppdrag", "rå": "Annat innehåll",
}
STATUSES = ("öppet", "pågår", "klart")
INDENT = "  "  # a sub-item is written two spaces further in than its parent


# --- JSON → what the form shows -----------------------------------------------------------------

def kind(block: Any, allowed: Iterable[str] = BLOCKS) -> str:
    """Return the kind of a content block ("stycke", "beslut", …), or "rå" for one the form cannot edit."""
    allowed = tuple(allowed)
    if isinstance(block, str):
        return "stycke"
    if isinstance(block, dict) and len(block) == 1:
        (key,) = block
        if key in allowed and key != "stycke" and _editable(key, block[key]):
            return str(key)
    return "rå"


def _editable(key: str, value: Any) -> bool:
    if key == "rubrik":
        return isinstance(value, str)
    if key in LISTS:
        return isinstance(value, list) and all(_item_ok(v) for v in value)
    if key in ("diskussion", "beslut"):
        return isinstance(value, list) and all(kind(v, PARTS) != "rå" for v in value)
    if key == "uppdrag":
        return isinstance(value, dict) and set(value) <= {"vem", "att", "senast"} and all(
            isinstance(v, str) for v in value.values())
    if key == "uppföljning":
        return isinstance(value, list) and all(
            isinstance(v, dict) and set(v) <= {"uppdrag", "status", "text"} for v in value)
    return False


def _item_ok(item: Any) -> bool:
    if isinstance(item, str):
        return "\n" not in item and item == item.strip()
    return (isinstance(item, dict) and set(item) <= {"text", "underpunkter"} and _item_ok(item.get("text", ""))
            and all(_item_ok(v) for v in item.get("underpunkter", [])))


def lines(items: Any, level: int = 0) -> str:
    """Return a list's items as the textarea shows them: one a line, sub-items indented."""
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            out.append(INDENT * level + str(item.get("text", "")))
            sub = lines(item.get("underpunkter", []), level + 1)
            if sub:
                out.append(sub)
        else:
            out.append(INDENT * level + str(item))
    return "\n".join(out)


def rest(value: Any, known: Iterable[str]) -> str:
    """Return the keys of *value* the form does not show, as JSON ("" when there are none)."""
    if not isinstance(value, dict):
        return ""
    extra = {k: v for k, v in value.items() if k not in set(known)}
    return json.dumps(extra, ensure_ascii=False) if extra else ""


def names(data: Any) -> list[str]:
    """Return the names of everyone in the meeting (called, present, absent), once each, in order."""
    seen: list[str] = []
    for key in PERSON_LISTS:
        for person in data.get(key, []) if isinstance(data, dict) and isinstance(data.get(key), list) else []:
            name = person.get("namn") if isinstance(person, dict) else None
            if isinstance(name, str) and name.strip() and name not in seen:
                seen.append(name)
    return seen


# --- what the form posts → JSON -----------------------------------------------------------------

def tree(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Return posted (name, value) pairs as nested dicts keyed by the dotted name's steps."""
    root: dict[str, Any] = {}
    for name, value in pairs:
        if name.startswith("@"):
            continue
        node = root
        *steps, last = name.split(".")
        for step in steps:
            nxt = node.setdefault(step, {})
            if not isinstance(nxt, dict):
                break
            node = nxt
        else:
            node[last] = value
    return root


def _rows(node: Any) -> list[Any]:
    """Return the children of a tree node numbered 0, 1, … in numeric order."""
    if not isinstance(node, dict):
        return []
    return [node[k] for k in sorted((k for k in node if k.isdigit()), key=int)]


def _restore(out: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    raw = node.get("_rest", "")
    if raw:
        try:
            extra = json.loads(raw)
        except ValueError:
            extra = {}
        if isinstance(extra, dict):
            out.update({k: v for k, v in extra.items() if k not in out})
    return out


def _texts(node: dict[str, Any], keys: Iterable[str], out: dict[str, Any]) -> None:
    for key in keys:
        value = node.get(key)
        if isinstance(value, str) and value != "":
            out[key] = value


def items(text: str) -> list[Any]:
    """Return a textarea's lines as list items: indented lines are sub-items of the line above."""
    root: list[Any] = []
    stack: list[tuple[int, list[Any]]] = [(0, root)]
    for raw in text.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            continue
        depth = (len(raw) - len(raw.lstrip(" \t"))) // len(INDENT)
        while len(stack) > 1 and depth < stack[-1][0]:
            stack.pop()
        level, siblings = stack[-1]
        if depth > level and siblings:  # deeper than the line above: its sub-item
            last = siblings[-1]
            if isinstance(last, str):
                last = siblings[-1] = {"text": last, "underpunkter": []}
            stack.append((level + 1, last["underpunkter"]))
            siblings = last["underpunkter"]
        siblings.append(raw.strip())
    return root


def _lines_list(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def person(node: Any) -> dict[str, Any]:
    """Return one participant row as a person object."""
    node = node if isinstance(node, dict) else {}
    out: dict[str, Any] = {"namn": node.get("namn", "")}
    _texts(node, ("organisation", "roll"), out)
    if node.get("digitalt"):
        out["digitalt"] = True
    return _restore(out, node)


def block(node: Any, allowed: Iterable[str] = BLOCKS) -> Any:
    """Return one content block from its form fields (its kind is in `_kind`, the rest named as in JSON)."""
    node = node if isinstance(node, dict) else {}
    what = node.get("_kind", "stycke")
    if what == "rå" or what not in tuple(allowed):
        try:
            return json.loads(node.get("_rå", "") or '""')
        except ValueError:
            return node.get("_rå", "")
    if what == "stycke":
        return node.get("text", "")
    value = node.get(what)
    if what == "rubrik":
        return {"rubrik": value if isinstance(value, str) else ""}
    if what in LISTS:
        return {what: items(value if isinstance(value, str) else "")}
    if what in ("diskussion", "beslut"):
        return {what: [block(part, PARTS) for part in _rows(value)]}
    if what == "uppdrag":
        value = value if isinstance(value, dict) else {}
        task: dict[str, Any] = {"vem": value.get("vem", ""), "att": value.get("att", "")}
        _texts(value, ("senast",), task)
        return {"uppdrag": task}
    follow = []
    for row in _rows(value):
        follow.append({"uppdrag": row.get("uppdrag", ""), "status": row.get("status", "öppet"),
                       "text": row.get("text", "")})
    return {"uppföljning": follow}


def agenda_item(node: Any) -> dict[str, Any]:
    """Return one agenda item from its form fields."""
    node = node if isinstance(node, dict) else {}
    out: dict[str, Any] = {"rubrik": node.get("rubrik", "")}
    _texts(node, ("föredragande",), out)
    if "handlingar" in node and _lines_list(node["handlingar"]):
        out["handlingar"] = _lines_list(node["handlingar"])
    _texts(node, ("förslag_till_beslut",), out)
    if node.get("stående"):
        out["stående"] = True
    content = [block(b) for b in _rows(node.get("innehåll"))]
    if content:  # an item of a kallelse often has none yet
        out["innehåll"] = content
    return _restore(out, node)


def meeting(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Return the meeting data the posted form holds."""
    node = tree(pairs)
    out: dict[str, Any] = {}
    _texts(node, ("$schema", "organ", "datum", "start", "slut", "plats", "anslutning"), out)
    for key in PERSON_LISTS:
        rows = [person(p) for p in _rows(node.get(key))]
        if rows:  # no participants yet: a meeting still to be held (its kallelse stage)
            out[key] = rows
    _texts(node, ("sekreterare", "justerare"), out)
    out["punkter"] = [agenda_item(p) for p in _rows(node.get("punkter"))]
    nxt: dict[str, Any] = {}
    _texts(node.get("nästa_möte") or {}, NEXT_KEYS, nxt)
    if nxt:
        out["nästa_möte"] = _restore(nxt, node.get("nästa_möte") or {})
    _texts(node, ("avslutning",), out)
    return _restore(out, node)


# --- changing the structure: add, remove, move ----------------------------------------------------

def _new(list_key: str, what: str) -> Any:
    """Return a fresh element for the list *list_key* (of kind *what* for content)."""
    if list_key in PERSON_LISTS:
        return {"namn": ""}
    if list_key == "punkter":
        return {"rubrik": ""}
    if list_key == "uppföljning":
        return {"uppdrag": "", "status": "öppet"}
    if what == "stycke":
        return ""
    if what == "rubrik":
        return {"rubrik": ""}
    if what in LISTS:
        return {what: []}
    if what in ("diskussion", "beslut"):
        return {what: [""]}
    if what == "uppdrag":
        return {"uppdrag": {"vem": "", "att": ""}}
    if what == "uppföljning":
        return {"uppföljning": [{"uppdrag": "", "status": "öppet"}]}
    raise ValueError(what)


def _steps(path: str) -> list[str | int]:
    return [int(s) if s.isdigit() else s for s in path.split(".") if s != ""]


def _at(data: Any, steps: list[str | int], create: bool = False) -> Any:
    node = data
    for step in steps:
        if isinstance(step, int):
            node = node[step]
        elif create and isinstance(node, dict):
            node = node.setdefault(step, [])
        else:
            node = node[step]
    return node


def apply(data: dict[str, Any], op: str) -> str:
    """Apply the form operation *op* to *data* in place; return the id of the element to focus next.

    Operations: `add:LIST:KIND` appends, `del:PATH` removes, `up:PATH`/`down:PATH` move one step,
    `to:PATH:LIST` moves a person to another list (absent ↔ present). A PATH is dotted steps.
    An operation that does not fit the data raises ValueError.
    """
    verb, _, rest_ = op.partition(":")
    path, _, arg = rest_.partition(":")
    steps = _steps(path)
    try:
        if verb == "add":
            target = _at(data, steps, create=True)
            if not isinstance(target, list):
                raise ValueError(op)
            target.append(_new(str(steps[-1]), arg))
            return f"f-{path}.{len(target) - 1}"
        if verb == "copy" and arg in PERSON_LISTS:  # everyone called is present: kallade → deltagare
            source = _at(data, steps)
            data[arg] = [dict(p) for p in source if isinstance(p, dict)]
            return f"f-{arg}.0.namn"
        *parent_steps, index = steps
        parent = _at(data, parent_steps)
        if not isinstance(parent, list) or not isinstance(index, int) or not 0 <= index < len(parent):
            raise ValueError(op)
        parent_path = ".".join(str(s) for s in parent_steps)
        if verb == "del":
            del parent[index]
            if not parent and parent_steps and isinstance(parent_steps[-1], str) and parent_steps[-1] in PERSON_LISTS:
                del _at(data, parent_steps[:-1])[parent_steps[-1]]
            return f"b-add-{parent_path}"
        if verb in ("up", "down"):
            other = index - 1 if verb == "up" else index + 1
            if not 0 <= other < len(parent):
                return f"b-{verb}-{path}"
            parent[index], parent[other] = parent[other], parent[index]
            return f"b-{verb}-{parent_path}.{other}"
        if verb == "to" and arg in PERSON_LISTS:
            moved = parent.pop(index)
            if not parent:
                del data[str(parent_steps[-1])]
            data.setdefault(arg, []).append(moved)
            return f"b-to-{arg}.{len(data[arg]) - 1}"
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError(op) from exc
    raise ValueError(op)
