"""The finishing stage's part of a tagged PDF: whatever the engine tagged stays tagged and says so.

An engine that tags (builtin always, LibreOffice with its tagged export) leaves a StructTreeRoot; the
finishing stage adds what belongs to the archive copy: /MarkInfo, the PDF/UA-1 identification in the
XMP (finish.py writes the packet) and, for each empty signature field it adds, a Form element that
holds the widget (an OBJR), so the fields are in the structure as PDF/UA asks.
"""

from __future__ import annotations

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
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, Dictionary):
        return
    if not isinstance(root.get("/ParentTree"), Dictionary):
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array()))
    tree = NumberTree(root.ParentTree)
    key = int(root.get("/ParentTreeNextKey", 0))
    while key in tree:
        key += 1
    parent = _document(root)
    form = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Form, P=parent, Pg=page,
                                        K=Dictionary(Type=Name.OBJR, Obj=widget, Pg=page)))
    kids = parent.get("/K")
    if kids is None:
        parent.K = Array([form])
    elif isinstance(kids, Array):
        kids.append(form)
    else:
        parent.K = Array([kids, form])
    widget.StructParent = key
    tree[key] = form
    root.ParentTreeNextKey = key + 1
    page.Tabs = Name.S
