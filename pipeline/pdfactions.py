"""Actions out of the archive copy: no scripts, no launched programs, only links to the web and within.

A .docx may carry a hyperlink to `javascript:…` or `file:///…`, and an engine's PDF may carry
automatic actions. The archive copy (PDF/A, which forbids most of these) keeps a link annotation's
rectangle but loses any action that is not a plain jump within the document or a web/mail address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pikepdf
from pikepdf import Dictionary, Name

SAFE_SCHEMES = ("http", "https", "mailto")
SAFE_NAMED = ("/NextPage", "/PrevPage", "/FirstPage", "/LastPage")  # the named actions PDF/A allows
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def safe_uri(uri: str) -> bool:
    """Return True when *uri* is a web or mail address (or relative), not a script or a local program."""
    # Readers and browsers skip whitespace and controls inside a scheme ("java\tscript:"): so do we.
    squeezed = _INVISIBLE.sub("", uri)
    scheme = _SCHEME.match(squeezed)
    if scheme is None:
        return ":" not in squeezed.split("/", 1)[0]  # relative, or no scheme we can read: not allowed
    return scheme[1].lower() in SAFE_SCHEMES


def safe_action(action: object) -> bool:
    """Return True when the action dictionary *action* (and every action chained after it) is harmless."""
    seen: set[tuple[int, int]] = set()
    todo = [action]
    while todo:
        current = todo.pop()
        if not isinstance(current, Dictionary):
            return False
        if current.is_indirect:
            if current.objgen in seen:
                continue
            seen.add(current.objgen)
        kind = current.get("/S")
        if kind == Name.GoTo:
            pass
        elif kind == Name.URI:
            uri = current.get("/URI")
            text = bytes(uri).decode("latin-1") if isinstance(uri, pikepdf.String) else ""
            if not safe_uri(text):
                return False
        elif kind == Name.Named:
            if str(current.get("/N")) not in SAFE_NAMED:
                return False
        else:  # JavaScript, Launch, SubmitForm, ImportData, GoToR, GoToE, Rendition, Sound, Movie, Hide, …
            return False
        following = current.get("/Next")
        if following is not None:
            todo.extend(following if isinstance(following, pikepdf.Array) else [following])
    return True


def _walk(todo: list[Any], children: Callable[[Dictionary], list[Any]]) -> Iterator[Dictionary]:
    """Yield every dictionary reachable from *todo* through *children*, each once (a hostile file may loop)."""
    seen: set[tuple[int, int]] = set()
    while todo:
        item = todo.pop()
        if not isinstance(item, Dictionary) or (item.is_indirect and item.objgen in seen):
            continue
        if item.is_indirect:
            seen.add(item.objgen)
        yield item
        todo.extend(children(item))


def _outline_items(root: pikepdf.Object) -> Iterator[Dictionary]:
    outlines = root.get("/Outlines")
    if not isinstance(outlines, Dictionary):
        return iter(())
    return _walk([outlines.get("/First")], lambda item: [item.get("/First"), item.get("/Next")])


def _fields(root: pikepdf.Object) -> Iterator[Dictionary]:
    form = root.get("/AcroForm")
    todo = list(form.get("/Fields", [])) if isinstance(form, Dictionary) else []
    return _walk(todo, lambda field: list(field.get("/Kids", [])))


def remove_actions(pdf: pikepdf.Pdf) -> int:
    """Remove scripts, automatic actions, unsafe link actions and page transitions; return how many went.

    Saving afterwards also drops encryption.
    """
    removed = 0
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
                removed += 1
    if "/OpenAction" in root:  # an action, or a view PDF/A validators cannot judge; page 1 is the default
        del root["/OpenAction"]
        removed += 1
    holders: list[pikepdf.Object] = [root, *(page.obj for page in pdf.pages), *_fields(root)]
    for page in pdf.pages:
        holders.extend(a for a in page.obj.get("/Annots", []) if isinstance(a, Dictionary))
    for holder in holders:
        for key in ("/AA", "/Trans"):  # automatic actions; slide-show transitions (reportlab adds them)
            if key in holder:
                del holder[key]
                removed += 1
    for holder in [*holders, *_outline_items(root)]:
        if "/A" in holder and not safe_action(holder.get("/A")):
            del holder["/A"]  # the link's rectangle stays; it no longer does anything
            removed += 1
    if "/DocChecksum" in pdf.trailer:  # LibreOffice's private key; unknown to PDF/A validators
        del pdf.trailer["/DocChecksum"]
    return removed
