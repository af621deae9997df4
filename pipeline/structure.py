"""The finishing stage's part of a tagged PDF: whatever the engine tagged stays tagged and says so.

An engine that tags (builtin always, LibreOffice with its tagged export) leaves a StructTreeRoot; the
finishing stage adds what belongs to the archive copy: /MarkInfo, the PDF/UA-1 identification in the
XMP (finish.py writes the packet) and, for each empty signature field it adds, a Form element that
holds the widget (an OBJR), so the fields are in the structure as PDF/UA asks.
"""

from __future__ import annotations

from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree

# The PDF/UA-1 identification. pdfuaid is among the XMP schemas PDF/A-2 validators know (pikepdf's
# refuses a pdfaExtension declaration of it as an unknown namespace), so it stands alone.
UA_ID = """<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>"""


def is_tagged(pdf: pikepdf.Pdf) -> bool:
    """Return True when *pdf* has a structure tree."""
    return isinstance(pdf.Root.get("/StructTreeRoot"), Dictionary)


def mark(pdf: pikepdf.Pdf) -> None:
    """Declare a tagged *pdf* as marked (/MarkInfo /Marked true)."""
    if is_tagged(pdf):
        info = pdf.Root.get("/MarkInfo")
        if not isinstance(info, Dictionary):
            info = pdf.Root.MarkInfo = Dictionary()
        info.Marked = True


def _document(root: Dictionary) -> Dictionary:
    """Return the element that holds the document's content (the Document under the root, else the root)."""
    kids = root.get("/K")
    if isinstance(kids, Dictionary):
        return kids if kids.get("/S") == Name.Document else root
    if isinstance(kids, Array) and len(kids) == 1 and isinstance(kids[0], Dictionary):
        return kids[0]
    return root


def add_form(pdf: pikepdf.Pdf, widget: Dictionary, page: Dictionary) -> None:
    """Put *widget* (a field's widget annotation on *page*) into the structure as a Form element."""
    found = _parent_tree(pdf)
    if found is None:
        return
    root, tree = found
    key = _next_key(root, tree)
    parent = _document(root)
    form = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Form, P=parent, Pg=page,
                                        K=Dictionary(Type=Name.OBJR, Obj=widget, Pg=page)))
    _append_kid(parent, form)
    widget.StructParent = key
    tree[key] = form
    root.ParentTreeNextKey = key + 1
    page.Tabs = Name.S


def _parent_tree(pdf: pikepdf.Pdf) -> tuple[Dictionary, NumberTree] | None:
    """Return the structure tree root of *pdf* and its ParentTree (made when missing); None if untagged."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, Dictionary):
        return None
    if not isinstance(root.get("/ParentTree"), Dictionary):
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array()))
    return root, NumberTree(root.ParentTree)


def _append_kid(parent: Dictionary, kid: Dictionary) -> None:
    """Append *kid* to the /K of *parent*, which may be missing, one element or an array."""
    kids = parent.get("/K")
    if isinstance(kids, Array):
        kids.append(kid)
    else:
        parent.K = Array([kid] if kids is None else [kids, kid])


def _next_key(root: Dictionary, tree: NumberTree) -> int:
    key = int(root.get("/ParentTreeNextKey", 0))
    for existing in tree:
        key = max(key, int(existing) + 1)
    return key


def adopt(pdf: pikepdf.Pdf, part: pikepdf.Pdf, offset: int, stamped: bool) -> None:
    """Carry the structure of *part* (an appendix whose pages were appended to *pdf* from *offset*) over.

    A tagged appendix brings its elements (under a Sect of their own) with its marked content renumbered
    in *pdf*'s ParentTree; an untagged one is read page by page, each page's content one paragraph in
    the order it was drawn. A *stamped* first page (the appendix label laid over it) has that stamp as
    an artifact.
    """
    found = _parent_tree(pdf)
    if found is None:
        return
    root, tree = found
    shift = _next_key(root, tree)
    document = _document(root)
    sect = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Sect, P=document, K=Array()))
    _append_kid(document, sect)
    pages = [pdf.pages[offset + i].obj for i in range(len(part.pages))]
    their = part.Root.get("/StructTreeRoot")
    tagged = isinstance(their, Dictionary) and isinstance(their.get("/ParentTree"), Dictionary)
    if stamped and pages and tagged:
        _remark(pdf, pages[0], content=False)
    if isinstance(their, Dictionary) and tagged:
        for kid in _kids(their):
            copied = pdf.copy_foreign(kid)
            copied.P = sect
            if copied.get("/S") == Name.Document:
                copied.S = Name.Div
            sect.K.append(copied)
        highest = -1
        for key, value in NumberTree(their.ParentTree).items():
            copied_value = Array([pdf.copy_foreign(v) if v.is_indirect else v for v in value]) \
                if isinstance(value, Array) else pdf.copy_foreign(value)
            tree[int(key) + shift] = copied_value
            highest = max(highest, int(key))
            if isinstance(copied_value, Dictionary):
                for obj in _objrs(copied_value):
                    obj.StructParent = int(key) + shift
        for page, theirs in zip(pages, part.pages, strict=True):
            if "/StructParents" in theirs.obj:
                page.StructParents = int(theirs.obj.StructParents) + shift
        root.ParentTreeNextKey = shift + highest + 1
        return
    key = shift
    for page in pages:  # untagged: each page's text a paragraph, line by line as drawn
        count = _remark(pdf, page, content=True)
        page.StructParents = key
        if count:
            elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=sect, Pg=page,
                                                K=Array(list(range(count)))))
            sect.K.append(elem)
            tree[key] = Array([elem] * count)
        else:
            tree[key] = Array()
        key += 1
    root.ParentTreeNextKey = key


def _kids(root: Dictionary) -> list[Dictionary]:
    kids = root.get("/K")
    if isinstance(kids, Dictionary):
        return [kids]
    return [k for k in kids if isinstance(k, Dictionary)] if isinstance(kids, Array) else []


def _objrs(elem: Dictionary) -> list[Dictionary]:
    """Return the annotations an element holds through OBJR kids."""
    kids = elem.get("/K")
    items = list(kids) if isinstance(kids, Array) else [kids]
    out: list[Dictionary] = []
    for kid in items:
        obj = kid.get("/Obj") if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR else None
        if isinstance(obj, Dictionary):
            out.append(obj)
    return out


def _remark(pdf: pikepdf.Pdf, page: Dictionary, content: bool) -> int:
    """Mark what is painted outside marked content on *page*; return the number of MCIDs made.

    With *content* (an untagged page) every text-showing operator becomes marked content of its own,
    MCID 0, 1, … in the order drawn (one per line, as a reader reads the page); everything else
    painted there, and all of it without *content* (a stamp laid over a tagged page), is an artifact.
    Each top-level graphics object is wrapped on its own, so no q/Q pair is cut in two."""
    out: list[Any] = []
    depth = 0
    unit: list[Any] = []  # an open text or path object at the top level
    closing = ""
    count = 0

    def wrap(ops: list[Any], tag: Name, props: Dictionary | None = None) -> list[Any]:
        begin = pikepdf.ContentStreamInstruction([tag, props] if props is not None else [tag],
                                                 pikepdf.Operator("BDC" if props is not None else "BMC"))
        return [begin, *ops, pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))]

    def close_text(ops: list[Any]) -> list[Any]:
        nonlocal count
        if not any(_op(o) in SHOWS for o in ops):
            return ops
        if not content:
            return wrap(ops, Name.Artifact)
        marked: list[Any] = []
        for o in ops:
            if _op(o) in SHOWS:
                marked += wrap([o], Name.P, Dictionary(MCID=count))
                count += 1
            else:
                marked.append(o)
        return marked

    for op in pikepdf.parse_content_stream(page):
        name = _op(op)
        if unit:
            unit.append(op)
            if closing == "ET" and name == "ET":
                out.extend(close_text(unit))
                unit = []
            elif closing == "paint" and name in PATH_ENDS:
                out.extend(unit if name == "n" else wrap(unit, Name.Artifact))
                unit = []
            continue
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif depth == 0 and name == "BT":
            unit, closing = [op], "ET"
            continue
        elif depth == 0 and name in PATH_STARTS:
            unit, closing = [op], "paint"
            continue
        elif depth == 0 and name in ("Do", "sh", "INLINE"):
            out.extend(wrap([op], Name.Artifact))
            continue
        out.append(op)
    out.extend(unit)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    return count


def _op(op: Any) -> str:
    return str(op.operator) if isinstance(op, pikepdf.ContentStreamInstruction) else "INLINE"


PATH_STARTS = {"m", "re"}
PATH_ENDS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
SHOWS = {"Tj", "TJ", "'", '"'}
