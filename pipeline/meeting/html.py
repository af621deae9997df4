"""The publication copy as one accessible web page, made from the same context as the .docx.

Built with ElementTree, so every text is escaped by the serializer: Swedish set as the page's
language, one h1, an h2 per agenda item, h3 for sub-headings and labels, real ul/ol lists
(nested as written), tables with header cells (th scope), no scripts, no external resources,
a few lines of inline CSS.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

CSS = """
body { font-family: Carlito, Calibri, "Segoe UI", Arial, sans-serif; line-height: 1.5; color: #1a1a1a;
       max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; } h3 { font-size: 1em; margin-bottom: 0.2em; }
table { border-collapse: collapse; margin: 1em 0; } caption { text-align: left; font-weight: bold; }
th, td { text-align: left; vertical-align: top; padding: 0.2em 1.2em 0.2em 0; }
.beslut { margin-left: 2em; } .justering { margin-top: 2em; }
"""

_LISTS = {"punkt": "ul", "nummer": "ol"}


def _lines(parent: ET.Element, text: str) -> None:
    """Put *text* into *parent*, its line breaks as <br>."""
    first, *rest = text.split("\n")
    parent.text = first
    for line in rest:
        ET.SubElement(parent, "br").tail = line


def _element(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text:
        _lines(el, text)
    return el


def _list_kind(stil: str) -> tuple[str, int] | None:
    """Return ('ul', level) for 'punkt2', ('ol', 1) for 'nummer1'; None for a paragraph style."""
    for prefix, tag in _LISTS.items():
        if stil.startswith(prefix) and stil[len(prefix):].isdigit():
            return tag, int(stil[len(prefix):])
    return None


def paragraphs(parent: ET.Element, stycken: Iterable[Mapping[str, str]]) -> None:
    """Append the paragraphs of one agenda item to *parent*, list paragraphs as nested lists."""
    stack: list[tuple[int, str, ET.Element]] = []  # (level, tag, list element), outermost first
    for s in stycken:
        stil, text = s.get("stil", "stycke"), s.get("text", "")
        kind = _list_kind(stil)
        if kind is None:
            stack.clear()
            if stil in ("underrubrik", "etikett"):
                _element(parent, "h3", text)
            else:
                _element(parent, "p", text, **({"class": "beslut"} if stil == "beslut" else {}))
            continue
        tag, level = kind
        while stack and (stack[-1][0] > level or (stack[-1][0] == level and stack[-1][1] != tag)):
            stack.pop()
        if not stack or stack[-1][0] < level:
            holder = stack[-1][2][-1] if stack and len(stack[-1][2]) else parent
            stack.append((level, tag, ET.SubElement(holder, tag)))
        _element(stack[-1][2], "li", text)


def _people(parent: ET.Element, caption: str, people: Sequence[Mapping[str, str]]) -> None:
    if not people:
        return
    table = ET.SubElement(parent, "table")
    _element(table, "caption", caption)
    head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    _element(head, "th", "Namn", scope="col")
    _element(head, "th", "Organisation och roll", scope="col")
    body = ET.SubElement(table, "tbody")
    for p in people:
        row = ET.SubElement(body, "tr")
        _element(row, "th", p.get("namn", ""), scope="row")
        _element(row, "td", p.get("detalj", ""))


def page(context: Mapping[str, Any]) -> bytes:
    """Return the web page for the minutes' *context* (as `publish_context` makes it), UTF-8."""
    html = ET.Element("html", {"lang": "sv"})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
    _element(head, "title", f"{context.get('titel', '')} {context.get('datum', '')}".strip())
    ET.SubElement(head, "style").text = CSS
    main = ET.SubElement(ET.SubElement(html, "body"), "main")
    _element(main, "h1", str(context.get("titel", "")))
    facts = ET.SubElement(main, "table")
    for label, key in (("Tid", "tid"), ("Plats", "plats")):
        if context.get(key):
            row = ET.SubElement(facts, "tr")
            _element(row, "th", label, scope="row")
            _element(row, "td", str(context[key]))
    _people(main, "Deltagare", context.get("deltagare") or [])
    _people(main, "Frånvarande", context.get("franvarande") or [])
    for punkt in context.get("punkter") or []:
        section = ET.SubElement(main, "section")
        _element(section, "h2", f"{punkt['nummer']}. {punkt['rubrik']}")
        paragraphs(section, punkt.get("stycken") or [])
    if context.get("avslutning"):
        _element(main, "p", str(context["avslutning"]))
    if context.get("justering"):
        _element(main, "p", str(context["justering"]), **{"class": "justering"})
    if len(facts) == 0:
        main.remove(facts)
    ET.indent(html, space="  ")
    return b"<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html").encode("utf-8") + b"\n"
