"""Tagged PDF, the writing half: the structure recorded while drawing (tags.py) written into the PDF.

Writes the StructTreeRoot with its elements, the ParentTree (each page's marked content and each
link annotation back to its element), /StructParents on the pages, /StructParent, /Contents on the
link annotations, tab order by structure, and /MarkInfo. The catalog's /Lang, the PDF/UA
identification and the signature fields' Form elements are the finishing stage's (finish.py).
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tags import Annot, Node, Tagger

KEEP_EMPTY = {"Table", "THead", "TBody", "TR", "TH", "TD"}  # a table keeps its grid, empty cells too
TABLE_ATTRS = ("Scope", "ColSpan", "RowSpan")


def _prune(node: Node) -> bool:
    """Drop the elements with no content under *node*; return True when *node* keeps some."""
    kept: list[Node | tuple[int, int] | Annot] = []
    for kid in node.kids:
        if not isinstance(kid, Node) or _prune(kid):
            kept.append(kid)
    node.kids = kept
    if node.role in ("THead", "TBody", "Table"):
        return any(isinstance(k, Node) for k in kept)
    return bool(kept) or node.role in KEEP_EMPTY and node.parent is not None


def _text(node: Node) -> str:
    """Return the text shown under *node* (for a link's description)."""
    parts = list(node.text)
    for kid in node.kids:
        if isinstance(kid, Node):
            parts.append(_text(kid))
    return "".join(parts)


def _attributes(node: Node) -> Dictionary | Array | None:
    table = {k: node.attrs[k] for k in TABLE_ATTRS if k in node.attrs}
    out: list[Dictionary] = []
    if table:
        attrs = Dictionary(O=Name.Table)
        for key, value in table.items():
            attrs[Name("/" + key)] = Name("/" + value) if isinstance(value, str) else int(value)
        out.append(attrs)
    if "BBox" in node.attrs:
        out.append(Dictionary(O=Name.Layout, BBox=Array([round(v, 2) for v in node.attrs["BBox"]])))
    if not out:
        return None
    return out[0] if len(out) == 1 else Array(out)


def write(data: bytes, tagger: Tagger) -> bytes:
    """Return the PDF *data* with the structure *tagger* recorded written into it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        apply(pdf, tagger)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, deterministic_id=True)
    return out.getvalue()


def apply(pdf: pikepdf.Pdf, tagger: Tagger) -> None:
    """Write the structure *tagger* recorded into *pdf* (pages numbered from 1 as drawn)."""
    pages = [page.obj for page in pdf.pages]
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    _prune(tagger.root)
    mcid_elems: dict[int, list[Any]] = {n: [None] * len(nodes) for n, nodes in tagger.page_mcids.items()}
    annots: dict[tuple[int, int], Dictionary] = {}
    for number, links in tagger.page_links.items():
        if not 0 < number <= len(pages):
            continue
        found = [a for a in pages[number - 1].get("/Annots", Array())
                 if isinstance(a, Dictionary) and a.get("/Subtype") == Name.Link]
        if len(found) >= len(links):  # the body's links come first; the header's follow
            for index in range(len(links)):
                annots[(number, index)] = found[index]
    next_key = len(pages)
    nums: list[tuple[int, Any]] = []

    def element(node: Node, parent: Any) -> Any:
        nonlocal next_key
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
        kids = Array()
        first_page = next((k[0] for k in node.kids if isinstance(k, tuple)), None)
        if first_page is not None and 0 < first_page <= len(pages):
            elem.Pg = pages[first_page - 1]
        for kid in node.kids:
            if isinstance(kid, Node):
                kids.append(element(kid, elem))
            elif isinstance(kid, tuple):
                number, mcid = kid
                if not 0 < number <= len(pages):
                    continue
                mcid_elems[number][mcid] = elem
                if number == first_page:
                    kids.append(mcid)
                else:
                    kids.append(Dictionary(Type=Name.MCR, Pg=pages[number - 1], MCID=mcid))
            else:
                annot = annots.get((kid.page, kid.index))
                if annot is None:
                    continue
                annot.StructParent = next_key
                nums.append((next_key, elem))
                next_key += 1
                annot.Contents = String(_text(node).strip() or str(node.attrs.get("href", "")).lstrip("#"))
                kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=pages[kid.page - 1]))
        elem.K = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else kids
        if "Lang" in node.attrs:
            elem.Lang = String(node.attrs["Lang"])
        if "Alt" in node.attrs:
            elem.Alt = String(node.attrs["Alt"])
        attrs = _attributes(node)
        if attrs is not None:
            elem.A = attrs
        return elem

    document = element(tagger.root, root)
    root.K = Array([document])
    tree: list[Any] = []
    null = pikepdf.Object.parse(b"null")
    for index, page in enumerate(pages, start=1):
        page.StructParents = index - 1
        tree += [index - 1, Array([e if e is not None else null for e in mcid_elems.get(index, [])])]
        if "/Annots" in page:
            page.Tabs = Name.S
    for key, elem in nums:
        tree += [key, elem]
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(tree)))
    root.ParentTreeNextKey = next_key
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
