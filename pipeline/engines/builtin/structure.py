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
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
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


class Ref(str):
    """The name of an object in reportlab's document, written as a reference."""

    __slots__ = ()


class Raw(PDFObject):  # type: ignore[misc]
    """A PDF object written as given: ASCII text and references to named objects.

    A structure tree has an object for every paragraph; reportlab's general objects (a dictionary of
    names and numbers formatted one by one) cost more than the rest of the tagging together."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts

    def format(self, document: PDFDocument) -> bytes:
        table = document.idToObjectNumberAndVersion
        return "".join("%s %s R" % table[p] if isinstance(p, Ref) else p  # noqa: UP031
                       for p in self.parts).encode("ascii")


def text_string(text: str) -> str:
    """Return *text* as a PDF text string (UTF-16BE with its byte order mark, in hex: plain ASCII)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _attributes(node: Node) -> list[str]:
    if not node.attrs:
        return []
    out: list[str] = []
    table = [f"/{k} " + (f"/{v}" if isinstance(v, str) else str(int(v)))
             for k in TABLE_ATTRS if (v := node.attrs.get(k)) is not None]
    if table:
        out.append("<< /O /Table " + " ".join(table) + " >>")
    if "BBox" in node.attrs:
        out.append("<< /O /Layout /BBox [" + " ".join(f"{v:.2f}" for v in node.attrs["BBox"]) + "] >>")
    if not out:
        return []
    return [" /A ", out[0] if len(out) == 1 else "[" + " ".join(out) + "]"]


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
    refs = {number: Ref(name) for number, (name, _) in enumerate(pages, start=1)}
    mcid_elems: dict[int, list[str]] = {n: ["null"] * len(nodes) for n, nodes in tagger.page_mcids.items()}
    annotations: list[tuple[int, Ref]] = []
    counter = [0, len(pages)]  # elements made, next ParentTree key

    def element(node: Node, parent: Ref) -> Ref:
        counter[0] += 1
        ref = Ref(f"StructElem{counter[0]}")
        parts: list[str] = ["<< /Type /StructElem /S /", node.role, " /P ", parent]
        kids: list[str] = []
        first = next((k[0] for k in node.kids if isinstance(k, tuple) and k[0] in refs), None)
        if first is not None:
            parts += [" /Pg ", refs[first]]
        for kid in node.kids:
            if isinstance(kid, Node):
                kids += [element(kid, ref), " "]
            elif isinstance(kid, tuple):
                number, mcid = kid
                if number not in refs:
                    continue
                mcid_elems[number][mcid] = ref
                if number == first:
                    kids.append(f"{mcid} ")
                else:
                    kids += ["<< /Type /MCR /Pg ", refs[number], f" /MCID {mcid} >> "]
            elif kid.page in refs:
                key = counter[1]
                text = _text(node).strip() or str(node.attrs.get("href", "")).lstrip("#")
                if _describe(doc.idToObject.get(kid.name), key, text):
                    counter[1] += 1
                    annotations.append((key, ref))
                    kids += ["<< /Type /OBJR /Obj ", Ref(kid.name), " /Pg ", refs[kid.page], " >> "]
        if len(kids) == 1 and kids[0][:1].isdigit():  # one piece of content: the MCID alone
            parts += [" /K ", kids[0].strip()]
        else:
            parts += [" /K [", *kids, "]"]
        if "Lang" in node.attrs:
            parts += [" /Lang ", text_string(node.attrs["Lang"])]
        if "Alt" in node.attrs:
            parts += [" /Alt ", text_string(node.attrs["Alt"])]
        parts += _attributes(node)
        parts.append(" >>")
        doc.Reference(Raw(parts), ref)
        return ref

    document = element(tagger.root, Ref("StructTreeRoot"))
    nums: list[str] = ["<< /Nums ["]
    for number, (_, page) in enumerate(pages, start=1):
        page.__NoDefault__ = PAGE_KEYS
        page.StructParents = number - 1
        if page.Annots:
            page.Tabs = PDFName("S")
        nums += [f" {number - 1} ["]
        for elem in mcid_elems.get(number, []):
            nums += [" ", elem]
        nums.append("]")
    for key, ref in annotations:
        nums += [f" {key} ", ref]
    nums.append("] >>")
    doc.Reference(Raw(nums), "ParentTree")
    root = Raw(["<< /Type /StructTreeRoot /K [", document, "] /ParentTree ", Ref("ParentTree"),
                f" /ParentTreeNextKey {counter[1]} >>"])
    doc.Catalog.StructTreeRoot = doc.Reference(root, "StructTreeRoot")
    doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})
