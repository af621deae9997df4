"""Tagged PDF, the writing half: the structure recorded while drawing (tags.py) written with the PDF.

The objects go into reportlab's document before it is saved (no second pass over the file): the
StructTreeRoot with its elements, the ParentTree (each page's marked content and each link
annotation back to its element), /StructParents on the pages, /StructParent and /Contents on the
link annotations, tab order by structure, and /MarkInfo. The catalog's /Lang, the PDF/UA
identification and the signature fields' Form elements are the finishing stage's (finish.py).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import (
    LinkAnnotation,
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObjectReference,
    PDFPage,
    PDFString,
)

from .tags import Annot, Node, Tagger

KEEP_EMPTY = {"TR", "TH", "TD"}  # a table keeps its grid, empty cells too
TABLE_ATTRS = ("Scope", "ColSpan", "RowSpan")
PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]


def _prune(node: Node) -> bool:
    """Drop the elements with no content under *node*; return True when *node* keeps some."""
    kept: list[Node | tuple[int, int] | Annot] = []
    for kid in node.kids:
        if not isinstance(kid, Node) or _prune(kid):
            kept.append(kid)
    node.kids = kept
    if node.role in ("THead", "TBody", "Table"):
        return any(isinstance(k, Node) for k in kept)
    return bool(kept) or node.role in KEEP_EMPTY


def _text(node: Node) -> str:
    """Return the text shown under *node* (for a link's description)."""
    parts = list(node.text)
    for kid in node.kids:
        if isinstance(kid, Node):
            parts.append(_text(kid))
    return "".join(parts)


def _attributes(node: Node) -> PDFDictionary | PDFArray | None:
    out: list[PDFDictionary] = []
    table = {k: node.attrs[k] for k in TABLE_ATTRS if k in node.attrs}
    if table:
        attrs = PDFDictionary({"O": PDFName("Table")})
        for key, value in table.items():
            attrs[key] = PDFName(value) if isinstance(value, str) else int(value)
        out.append(attrs)
    if "BBox" in node.attrs:
        out.append(PDFDictionary({"O": PDFName("Layout"),
                                  "BBox": PDFArray([round(v, 2) for v in node.attrs["BBox"]])}))
    if not out:
        return None
    return out[0] if len(out) == 1 else PDFArray(out)


def _describe(annotation: Any, key: int, text: str) -> bool:
    """Give a link annotation its /StructParent and /Contents; return False if it is of an unknown kind."""
    if isinstance(annotation, PDFDictionary):
        annotation["StructParent"] = key
        annotation["Contents"] = PDFString(text)
        return True
    if isinstance(annotation, LinkAnnotation):
        annotation.otherkw["StructParent"] = key
        annotation.Contents = text
        annotation.permitted = (*annotation.permitted, "StructParent")
        return True
    return False


def emit(doc: PDFDocument, tagger: Tagger, pages: list[tuple[str, PDFPage]]) -> None:
    """Add the structure *tagger* recorded to *doc*, whose pages (numbered from 1) are *pages*."""
    _prune(tagger.root)
    refs = {number: PDFObjectReference(name) for number, (name, _) in enumerate(pages, start=1)}
    mcid_elems: dict[int, list[Any]] = {n: ["null"] * len(nodes) for n, nodes in tagger.page_mcids.items()}
    annotations: list[tuple[int, PDFObjectReference]] = []
    counter = [0, len(pages)]  # elements made, next ParentTree key

    def element(node: Node, parent: PDFObjectReference) -> PDFObjectReference:
        counter[0] += 1
        elem = PDFDictionary({"Type": PDFName("StructElem"), "S": PDFName(node.role), "P": parent})
        ref = doc.Reference(elem, f"StructElem{counter[0]}")
        kids: list[Any] = []
        first = next((k[0] for k in node.kids if isinstance(k, tuple) and k[0] in refs), None)
        if first is not None:
            elem["Pg"] = refs[first]
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(element(kid, ref))
            elif isinstance(kid, tuple):
                number, mcid = kid
                if number not in refs:
                    continue
                mcid_elems[number][mcid] = ref
                kids.append(mcid if number == first else
                            PDFDictionary({"Type": PDFName("MCR"), "Pg": refs[number], "MCID": mcid}))
            elif kid.page in refs:
                key = counter[1]
                text = _text(node).strip() or str(node.attrs.get("href", "")).lstrip("#")
                if _describe(doc.idToObject.get(kid.name), key, text):
                    counter[1] += 1
                    annotations.append((key, ref))
                    kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": PDFObjectReference(kid.name),
                                               "Pg": refs[kid.page]}))
        elem["K"] = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else PDFArray(kids)
        if "Lang" in node.attrs:
            elem["Lang"] = PDFString(node.attrs["Lang"])
        if "Alt" in node.attrs:
            elem["Alt"] = PDFString(node.attrs["Alt"])
        attrs = _attributes(node)
        if attrs is not None:
            elem["A"] = attrs
        return ref

    root_ref = PDFObjectReference("StructTreeRoot")
    document = element(tagger.root, root_ref)
    nums: list[Any] = []
    for number, (_, page) in enumerate(pages, start=1):
        page.__NoDefault__ = PAGE_KEYS
        page.StructParents = number - 1
        if page.Annots:
            page.Tabs = PDFName("S")
        nums += [number - 1, PDFArray(mcid_elems.get(number, []))]
    for key, ref in annotations:
        nums += [key, ref]
    tree = PDFDictionary({"Nums": PDFArray(nums)})
    root = PDFDictionary({"Type": PDFName("StructTreeRoot"), "K": PDFArray([document]),
                          "ParentTree": doc.Reference(tree, "ParentTree"), "ParentTreeNextKey": counter[1]})
    doc.Catalog.StructTreeRoot = doc.Reference(root, "StructTreeRoot")
    doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})
