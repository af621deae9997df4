"""What later incremental updates changed that a reader would see: annotations, widgets, metadata.

pyHanko's difference policy judges page content and form structure, but it lets a new signature
field in whatever its widget shows (a white box over the page with other text on it, say), and it
does not look at the document information or the XMP packet. This module compares each revision
with the one before it, page by page, and names every visible change in Swedish.

Allowed without a word: filling one of the document's own empty signature fields (its widget keeps
its place and gets an appearance), invisible additions (a document timestamp's field, the DSS), and
the metadata a signing tool updates (producer and modification dates).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader

# Document information a signing tool rewrites; a change here alters nothing a reader sees.
TOOL_INFO = {"/Producer", "/ModDate"}
# The same in the XMP packet (local names; pdf:Producer, xmp:ModifyDate, xmp:MetadataDate, …).
TOOL_XMP = {"Producer", "ModifyDate", "MetadataDate", "InstanceID", "DocumentID", "VersionID"}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
HIDDEN_FLAGS = 2 | 32  # annotation flags Hidden (bit 2) and NoView (bit 6)
MAX_WALK = 5000  # objects followed from one annotation's appearance; a hostile file may nest without end
MAX_PAGES = 20000
MAX_ANNOTS = 5000  # annotations on one page; more than this is not a document a secretary made


@dataclass(frozen=True)
class Change:
    """One change a revision made that a reader could see, or that alters the metadata."""

    revision: int  # 0 is the original file
    text: str  # Swedish, e.g. "sida 2: ett nytt signaturfält 'X' med synligt utseende"

    def __str__(self) -> str:
        return f"revision {self.revision + 1}: {self.text}"


class _Revision:
    """One revision's view of the file: every reference is resolved as it stood in that revision."""

    def __init__(self, reader: PdfFileReader, number: int) -> None:
        self.resolver: HistoricalResolver = reader.get_historical_resolver(number)

    def deref(self, value: Any) -> Any:
        """Return *value* with an indirect reference resolved in this revision (None when dangling)."""
        if isinstance(value, generic.IndirectObject):
            try:
                return self.resolver.get_object(value.reference)
            except (KeyError, ValueError, TypeError, AttributeError, IndexError):
                return None
        return value

    def get(self, obj: Any, key: str) -> Any:
        """Return the value of *key* in the dictionary *obj*, resolved in this revision, or None."""
        if not isinstance(obj, generic.DictionaryObject):
            return None
        try:
            return self.deref(obj.raw_get(key)) if key in obj else None
        except (KeyError, ValueError, TypeError, AttributeError):
            return None


def _pages(rev: _Revision) -> list[Any]:
    """Return the page dictionaries of one revision in order (cycles and junk are skipped)."""
    root = rev.get(rev.resolver.trailer_view, "/Root")
    out: list[Any] = []
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if len(out) >= MAX_PAGES or not isinstance(node, generic.DictionaryObject) or id(node) in seen:
            return
        seen.add(id(node))
        kids = rev.get(node, "/Kids")
        if isinstance(kids, generic.ArrayObject):
            for kid in kids:
                walk(rev.deref(kid))
        elif rev.get(node, "/Type") == "/Page" or "/Contents" in node or "/MediaBox" in node:
            out.append(node)

    walk(rev.get(root, "/Pages"))
    return out


def _annotations(rev: _Revision, page: Any) -> dict[Any, Any]:
    """Return a page's annotations keyed by object reference (position for direct ones)."""
    annots = rev.get(page, "/Annots")
    found: dict[Any, Any] = {}
    if not isinstance(annots, generic.ArrayObject):
        return found
    for index, item in enumerate(annots):
        key = item.reference if isinstance(item, generic.IndirectObject) else ("direkt", index)
        value = rev.deref(item)
        if isinstance(value, generic.DictionaryObject):
            found[key] = value
    return found


def _rect(rev: _Revision, annot: Any) -> tuple[float, ...]:
    rect = rev.get(annot, "/Rect")
    try:
        return tuple(float(v) for v in rect) if isinstance(rect, generic.ArrayObject) else ()
    except (TypeError, ValueError):
        return ()


def _visible(rev: _Revision, annot: Any) -> bool:
    """Return True when a reader would draw something for *annot* (a non-empty box, not hidden)."""
    try:
        flags = int(rev.get(annot, "/F") or 0)
    except (TypeError, ValueError):
        flags = 0
    rect = _rect(rev, annot)
    if flags & HIDDEN_FLAGS or len(rect) != 4:
        return False
    return abs(rect[2] - rect[0]) > 0 and abs(rect[3] - rect[1]) > 0


def _refs_behind(rev: _Revision, annot: Any) -> set[Any]:
    """Return the objects that make up what *annot* shows: its entries (an indirect /F or /Rect too),
    its appearance streams and their resources; not the page or the parent field."""
    found: set[Any] = set()
    stack = [annot.raw_get(key) for key in annot if key not in ("/P", "/Parent", "/Kids")]
    while stack and len(found) < MAX_WALK:
        item = stack.pop()
        if isinstance(item, generic.IndirectObject):
            if item.reference in found:
                continue
            found.add(item.reference)
            try:
                item = rev.deref(item)
            except (KeyError, ValueError, TypeError):
                continue
        if isinstance(item, generic.DictionaryObject):  # streams are dictionaries too
            stack.extend(item.raw_get(k) for k in item if k not in ("/P", "/Kids", "/Parent"))
        elif isinstance(item, generic.ArrayObject):
            stack.extend(item)
    return found


def _field(rev: _Revision, annot: Any) -> Any:
    """Return the form field a widget belongs to (the widget itself when merged with it)."""
    return annot if "/T" in annot or "/FT" in annot else rev.get(annot, "/Parent")


def _field_type(rev: _Revision, field: Any) -> Any:
    depth = 0
    while isinstance(field, generic.DictionaryObject) and depth < 32:
        if "/FT" in field:
            return rev.get(field, "/FT")
        field, depth = rev.get(field, "/Parent"), depth + 1
    return None


def _name(rev: _Revision, annot: Any) -> str:
    field = _field(rev, annot)
    title = rev.get(field, "/T") if field is not None else None
    return str(title) if title is not None else ""


def _fills_own_field(old: _Revision, before: Any, new: _Revision, after: Any, signatures: set[Any]) -> bool:
    """Return True when *after* is *before*, an empty signature field's widget, now signed in place.

    Signed means: its value is one of the *signatures* (references of the signature dictionaries
    that are verified on their own), not merely any value with a stamp-like appearance.
    """
    if new.get(after, "/Subtype") != "/Widget" or _field_type(new, _field(new, after)) != "/Sig":
        return False
    old_field, new_field = _field(old, before), _field(new, after)
    value = new_field.raw_get("/V") if isinstance(new_field, generic.DictionaryObject) and "/V" in new_field else None
    return (old_field is not None and old.get(old_field, "/V") is None
            and isinstance(value, generic.IndirectObject) and value.reference in signatures
            and _rect(old, before) == _rect(new, after) and old.get(before, "/F") == new.get(after, "/F"))


def _what(rev: _Revision, annot: Any) -> str:
    subtype = str(rev.get(annot, "/Subtype") or "/okänd")[1:]
    if subtype == "Widget":
        kind = "signaturfält" if _field_type(rev, _field(rev, annot)) == "/Sig" else "formulärfält"
        return f"{kind} {_name(rev, annot)!r}" if _name(rev, annot) else kind
    return f"anteckning av typen {subtype}"


def _page_changes(number: int, old: _Revision, before: dict[Any, Any], new: _Revision, after: dict[Any, Any],
                  written: set[Any], signatures: set[Any]) -> Iterator[str]:
    """Yield what changed on page *number* between the annotations *before* and *after*."""
    if len(after) > MAX_ANNOTS:
        yield f"sida {number}: {len(after)} anteckningar, fler än som granskas ({MAX_ANNOTS})"
        return
    for key, annot in after.items():
        previous = before.get(key)
        touched = previous is None or key in written or not isinstance(key, generic.Reference) \
            or bool(_refs_behind(new, annot) & written)
        if not touched or not (_visible(new, annot) or (previous is not None and _visible(old, previous))):
            continue
        if previous is not None and _fills_own_field(old, previous, new, annot, signatures):
            continue
        verb = "ett nytt" if previous is None else "ett ändrat"
        yield f"sida {number}: {verb} {_what(new, annot)} med synligt utseende"
    for key, annot in before.items():
        if key not in after and _visible(old, annot):
            yield f"sida {number}: {_what(old, annot)} togs bort"


def _info(rev: _Revision) -> dict[str, str]:
    info = rev.get(rev.resolver.trailer_view, "/Info")
    if not isinstance(info, generic.DictionaryObject):
        return {}
    out = {}
    for key in info:
        try:
            out[str(key)] = str(rev.deref(info.raw_get(key)))
        except (KeyError, ValueError, TypeError):
            out[str(key)] = "?"
    return out


def _xmp(rev: _Revision) -> dict[str, str]:
    """Return the XMP packet's properties as {prefix:name: text}, or {} when there is none."""
    stream = rev.get(rev.get(rev.resolver.trailer_view, "/Root"), "/Metadata")
    if not isinstance(stream, generic.StreamObject):
        return {}
    try:
        data = stream.data
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        tree = etree.fromstring(data, parser)
    except Exception:  # noqa: BLE001 - a broken stream (zlib, filters) or XML: the packet cannot be read
        return {"(XMP)": "oläsbar"}
    out: dict[str, str] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attr, value in element.attrib.items():
            if not attr.startswith(("{" + RDF, "{http://www.w3.org/XML/1998/namespace}")) and attr.startswith("{"):
                key = _prefixed(element, attr)
                out[key] = out.get(key, "") + value + "|"
        if len(element) == 0 and (element.text or "").strip():
            owner: Any = element
            while owner is not None and etree.QName(owner).namespace == RDF:
                owner = owner.getparent()
            if owner is not None:
                key = _prefixed(owner, str(owner.tag))
                out[key] = out.get(key, "") + (element.text or "").strip() + "|"
    return out


def _prefixed(element: Any, tag: str) -> str:
    """Return the "prefix:name" form of the qualified *tag* ("{ns}name") as the packet declares it."""
    name = etree.QName(tag)
    prefixes = {uri: prefix for prefix, uri in element.nsmap.items() if prefix}
    return f"{prefixes.get(name.namespace, name.namespace)}:{name.localname}"


def _metadata_changes(before: _Revision, after: _Revision) -> Iterator[str]:
    old, new = _info(before), _info(after)
    keys = sorted(k for k in old.keys() | new.keys() if k not in TOOL_INFO and old.get(k) != new.get(k))
    if keys:
        yield "dokumentinformationen ändrades: " + ", ".join(k.lstrip("/") for k in keys)
    old_xmp, new_xmp = _xmp(before), _xmp(after)
    names = sorted({k for k in old_xmp.keys() | new_xmp.keys()
                    if old_xmp.get(k) != new_xmp.get(k) and k.split(":")[-1] not in TOOL_XMP})
    if names:
        yield "XMP-metadata ändrades: " + ", ".join(names[:8]) + (" …" if len(names) > 8 else "")


def revision_changes(reader: PdfFileReader, first: int, signatures: set[Any]) -> list[Change]:
    """Return every change made in revisions after *first* (0 = the original file), in order.

    *signatures* are the references of the signature dictionaries in the file that are verified on
    their own; filling an empty signature field with one of them is not a change.
    """
    changes: list[Change] = []
    for revision in range(first + 1, reader.xrefs.total_revisions):
        try:
            changes.extend(_compare(reader, revision, signatures))
        except Exception as exc:  # noqa: BLE001 - a revision that cannot even be read may hide anything
            changes.append(Change(revision, f"revisionen kan inte läsas ({type(exc).__name__})"))
    return changes


def _compare(reader: PdfFileReader, revision: int, signatures: set[Any]) -> list[Change]:
    """Return what *revision* changed compared with the one before it."""
    changes: list[Change] = []
    before, after = _Revision(reader, revision - 1), _Revision(reader, revision)
    written = set(after.resolver.explicit_refs_in_revision())  # type: ignore[no-untyped-call]
    old_pages, new_pages = _pages(before), _pages(after)
    if len(old_pages) != len(new_pages):
        changes.append(Change(revision, f"antalet sidor ändrades från {len(old_pages)} till {len(new_pages)}"))
    for number, page in enumerate(new_pages, start=1):
        old = _annotations(before, old_pages[number - 1]) if number <= len(old_pages) else {}
        found = _page_changes(number, before, old, after, _annotations(after, page), written, signatures)
        changes.extend(Change(revision, text) for text in found)
    changes.extend(Change(revision, text) for text in _metadata_changes(before, after))
    return changes
