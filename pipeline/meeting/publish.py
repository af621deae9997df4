"""The publication copy of the minutes (`kansli publish`): the same document, without personal data.

Personal data is removed from the *model* before anything is rendered (never covered over), each
piece replaced by a visible marker; the user is told what kind was removed and where, never the
value. The copy has no signature fields: where the minutes have their signature block, the copy
has one line. With `--signed FIL.pdf` (the signed minutes, verified first) the line says when and
by whom the minutes were justerade; without it, it names the secretary and the justerare and
claims no date. `--html` writes the same copy as one accessible web page.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from ..documents import MINUTES_SIGNATURES, Document, Options, Properties
from ..errors import Problem
from ..fields import ListItem, clean_text
from .minutes import DOCUMENT as MINUTES
from .minutes import minutes_context
from .model import Minnesanteckningar
from .personal import FieldPath, Finder, Removal, model_texts, name_pattern, redact_model
from .rules import minutes_rules
from .signed import read_justering

# Where a name stands for an official in their role: kept even when it is listed.
_ROLE_LISTS = {"deltagare": "deltagare", "frånvarande": "frånvarande", "kallade": "kallad"}
_ROLE_FIELDS = {"sekreterare": "sekreterare", "justerare": "justerare"}
_BLOCK_LISTS = ("innehåll", "beslut", "diskussion")
_SINGULAR = {"punkter": "punkt", "kallade": "kallad", "handlingar": "handling", "underpunkter": "underpunkt",
             "punktlista": "rad", "numrerad_lista": "rad", "utestående": "rad", "uppföljning": "rad"}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def official(path: FieldPath) -> str | None:
    """Return the role ('deltagare', 'justerare', 'föredragande', …) when *path* is an official's name."""
    if len(path) == 1 and path[0] in _ROLE_FIELDS:
        return _ROLE_FIELDS[str(path[0])]
    if len(path) == 3 and path[0] in _ROLE_LISTS and path[2] == "namn":
        return _ROLE_LISTS[str(path[0])]
    if len(path) == 3 and path[0] == "punkter" and path[2] == "föredragande":
        return "föredragande"
    return None


def _label(alias: str) -> str:
    return alias.replace("_", " ")


def _kind(node: Any) -> str:
    """Return what a content block is called: 'stycke', 'beslut', 'punktlista', …"""
    if isinstance(node, str):
        return "stycke"
    fields = type(node).model_fields
    if len(fields) == 1:
        name, info = next(iter(fields.items()))
        return _label(info.alias or name)
    return "del"


def _attribute(node: Any, alias: str) -> Any:
    for name, info in type(node).model_fields.items():
        if (info.alias or name) == alias:
            return getattr(node, name)
    raise KeyError(alias)


def where(model: Any, path: FieldPath) -> str:
    """Return where *path* is in words a user can count by: 'punkt 9, innehåll stycke 2'."""
    words: list[str] = []
    node, field = model, ""
    for seg in path:
        if isinstance(seg, int):
            node = node[seg]
            if field in _BLOCK_LISTS:
                word = f"{_kind(node)} {seg + 1}"
                if field == "innehåll":
                    words[-1] += f" {word}"
                else:
                    words.append(word)
            else:
                words.append(f"{_SINGULAR.get(field, _label(field))} {seg + 1}")
            continue
        parent = node
        node, field = _attribute(parent, seg), seg
        if len(type(parent).model_fields) == 1 and path[0] != seg:  # a block's one field: named already
            continue
        if isinstance(parent, ListItem) and seg == "text":
            continue
        if isinstance(node, list) and seg != "innehåll":
            continue  # named with its index
        words.append(_label(seg))
    return ", ".join(words)


def clean(m: Minnesanteckningar) -> tuple[Minnesanteckningar, list[Removal]]:
    """Return *m* without personal data (and without its list of it), and what was removed where."""
    base = m.model_copy(update={"personuppgifter": [], "schema_": None})
    cleaned, removals = redact_model(base, Finder(m.personuppgifter), lambda path: official(path) is not None)
    assert isinstance(cleaned, Minnesanteckningar)
    return cleaned, removals


def _listed_notes(m: Minnesanteckningar) -> list[str]:
    """Return a line for each listed text that is nowhere in the free text, or is also an official's name."""
    texts = model_texts(m.model_copy(update={"personuppgifter": [], "schema_": None}))
    notes = []
    for number, name in enumerate(m.personuppgifter, start=1):
        pattern = name_pattern([name])
        if pattern is None:
            continue
        roles = sorted({role for path, text in texts if (role := official(path)) and pattern.fullmatch(text)})
        if roles:
            notes.append(f"obs: personuppgifter rad {number} är också namnet på {' och '.join(roles)}; "
                         "namnet står kvar i den rollen men tas bort ur den löpande texten")
        elif not any(pattern.search(text) for path, text in texts if official(path) is None):
            notes.append(f"obs: personuppgifter rad {number} finns inte i texten")
    return notes


def removal_notes(m: Minnesanteckningar, removals: Sequence[Removal]) -> list[str]:
    """Return the lines that tell the user what was removed where (never the values)."""
    removed = [r for r in removals if r.kinds]
    count = sum(len(r.kinds) for r in removed)
    notes = [f"tog bort {count} personuppgift{'er' if count != 1 else ''} ur kopian för webben:" if count
             else "inga personuppgifter hittades att ta bort"]
    notes += [f"  {where(m, r.path)}: {r.summary()}" for r in removed]
    notes += [f"kontrollera: {where(m, r.path)}: {r.near_misses} nummer liknar personnummer men kontrollsiffran "
              "stämmer inte; står kvar" for r in removals if r.near_misses]
    return notes + _listed_notes(m)


def _prepare(m: Minnesanteckningar, options: Options) -> tuple[Minnesanteckningar, list[str]]:
    cleaned, removals = clean(m)
    notes = removal_notes(m, removals)
    signed = options.get("signed")
    if signed is None:
        notes.append("ingen signerad PDF angavs (--signed): kopian säger vem som justerar, men inte när")
    else:
        justering = read_justering(Path(signed), _title(m), options.get("trust") or ())
        trust = ("certifikatet är betrott" if justering.trusted else
                 "certifikatet är inte kontrollerat mot någon betrodd utfärdare (ange --trust CA.pem)")
        notes.append(f"justeringen läst ur {signed}: signaturerna är hela; {trust}")
        if m.justerare and justering.signer.casefold() != m.justerare.casefold():
            notes.append(f"obs: justeringen är signerad av {justering.signer}, men justerare i filen är {m.justerare}")
    return cleaned, notes


def _title(m: Minnesanteckningar) -> str:
    if MINUTES.properties is None:  # the minutes always say what they are
        raise TypeError("the minutes have no properties")
    return MINUTES.properties(m, {}).title


def justering_line(m: Minnesanteckningar, options: Options) -> str:
    """Return the line in place of the signatures: who took the minutes, and who justerade and when."""
    parts = [f"Vid anteckningarna: {m.sekreterare}."] if m.sekreterare else []
    signed = options.get("signed")
    if signed is not None:
        parts.append(read_justering(Path(signed), _title(m), options.get("trust") or ()).sentence())
    elif m.justerare:
        parts.append(f"Justerare: {m.justerare}.")
    return " ".join(parts)


def publish_context(m: Minnesanteckningar, options: Options) -> dict[str, Any]:
    """Return the minutes' context for the (already cleaned) *m*, with the justering line."""
    return {**minutes_context(m), "justering": justering_line(m, options)}


def _expected(m: Minnesanteckningar, context: Mapping[str, Any]) -> list[str]:
    # the justering line is put in by _revise, after the template (which has no place for it)
    return MINUTES.expected(m, {k: v for k, v in context.items() if k != "justering"})


def _paragraph(text: str, before: int = 240) -> etree._Element:
    p = etree.Element(f"{W}p")
    ppr = etree.SubElement(p, f"{W}pPr")
    etree.SubElement(ppr, f"{W}keepLines")
    etree.SubElement(ppr, f"{W}spacing", {f"{W}before": str(before)})
    run = etree.SubElement(p, f"{W}r")
    t = etree.SubElement(run, f"{W}t", {XML_SPACE: "preserve"})
    t.text = clean_text(text)
    return p


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def replace_signature_block(document_xml: bytes, line: str) -> bytes:
    """Return *document_xml* with its signature tables replaced by one paragraph holding *line*.

    A signature table is a table of the body with a cell reading exactly a signature label. Where
    there is none (a template of one's own), the line goes at the end, unless the template already
    shows it.
    """
    root = etree.fromstring(document_xml)
    body = root.find(f"{W}body")
    if body is None:
        return document_xml
    labels = {spot.label for spot in MINUTES_SIGNATURES}
    placed = not line or " ".join(line.split()) in " ".join(_text(body).split())
    for table in body.findall(f"{W}tbl"):
        if any(_text(p).strip() in labels for p in table.iter(f"{W}p")):
            if not placed:
                table.addprevious(_paragraph(line, before=0))  # the template's space before the block stays
                placed = True
            body.remove(table)
    if not placed:
        last = body[-1] if len(body) else None
        if last is not None and last.tag == f"{W}sectPr":
            last.addprevious(_paragraph(line))
        else:
            body.append(_paragraph(line))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _revise(docx: Path, context: Mapping[str, Any]) -> None:
    """Replace the signature block of the rendered *docx* by the justering line, in place."""
    with zipfile.ZipFile(docx) as src:
        parts = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts:
            if info.filename == "word/document.xml":
                data = replace_signature_block(data, str(context.get("justering", "")))
            dst.writestr(info, data)


def _properties(m: Minnesanteckningar, options: Options) -> Properties:
    made = MINUTES.properties(m, options) if MINUTES.properties is not None else None
    title = made.title if made is not None else _title(m)
    return Properties(title=title, subject="Minnesanteckningar, kopia för webben utan personuppgifter",
                      keywords=m.organ)


def _rules(m: Minnesanteckningar, options: Options) -> list[Problem]:
    return minutes_rules(m)


def _extras(m: Minnesanteckningar, options: Options) -> dict[str, bytes]:
    if not options.get("html"):
        return {}
    from .html import page

    return {".html": page(publish_context(m, options))}


def _stem(source: Path, m: Minnesanteckningar, options: Options) -> str:
    return f"{source.stem}-webb"


DOCUMENT: Document[Minnesanteckningar] = Document(
    template="minnesanteckningar.docx", prepare=_prepare, properties=_properties, context=publish_context,
    rules=_rules, expected=_expected, stem=_stem, extras=_extras, revise=_revise)
