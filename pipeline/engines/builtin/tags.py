"""Tagged PDF, the drawing half: the logical structure of a document and the marked content that fills it.

The structure is made from the document model before layout, so its order is the reading order of
the .docx (not the order things happen to be drawn in): Document; H1–H6 for headings; P; L/LI/Lbl/LBody
for numbered and bulleted paragraphs; Table/THead/TBody/TR/TH/TD for tables with header rows (header
cells with /Scope /Column); a Div for a table without header rows, which Word uses for layout (the
minutes' Tid/Plats/Deltagare); TOC/TOCI; Link, Span (another language) and Figure (a picture with
alternative text) inside them. While the pages are drawn, each piece of text is wrapped in marked
content (``/P <</MCID n>> BDC … EMC``) and recorded against its element; everything else that is
painted (borders, shading, underlines, leader dots, decorative pictures, repeated header rows) is
wrapped as an artifact, headers and footers as pagination artifacts. ``structure.py`` then writes the
tree into the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .lines import Line
from .model import Block, Document, Paragraph, Table, Toc


class Open(str):
    """A content-stream entry that begins marked content (ends with BDC)."""

    __slots__ = ()


class Close(str):
    """A content-stream entry that ends marked content (EMC)."""

    __slots__ = ()


class Whole(str):
    """A content-stream entry that is complete marked content."""

    __slots__ = ()


# Operators that paint (or show text): an entry holding one must be content or an artifact.
PAINTS = re.compile(r"(?:^|\s)(?:S|s|f\*?|F|B\*?|b\*?|sh|Do|Tj|TJ|'|\"|EI)(?=\s|$)")
STATE = re.compile(r"(?:^|\s)([qQ])(?=\s|$)")
PAGINATION = "/Artifact <</Type /Pagination /Subtype /{}>> BDC"


class Node:
    """One structure element: its role, attributes and kids (elements, marked content, annotations)."""

    __slots__ = ("role", "parent", "kids", "attrs", "text", "attached", "current")

    def __init__(self, role: str, parent: Node | None = None, *, attach: bool = True, **attrs: Any) -> None:
        self.role = role
        self.parent = parent
        self.kids: list[Node | tuple[int, int] | Annot] = []
        self.attrs: dict[str, Any] = attrs
        self.text: list[str] = []  # the text of a Link, for its annotation's /Contents
        self.current: Node | None = None  # the Link or Span the text being drawn goes on in
        self.attached = attach and parent is not None
        if self.attached and parent is not None:
            parent.kids.append(self)

    def attach(self) -> None:
        """Put this element (made while drawing) and its unattached ancestors in their parents' kids,
        now that content goes into it: the kids stay in the order the content is drawn."""
        node: Node | None = self
        while node is not None and not node.attached and node.parent is not None:
            node.parent.kids.append(node)
            node.attached = True
            node = node.parent


class Annot:
    """A link annotation: its page and its name in reportlab's document."""

    __slots__ = ("page", "name")

    def __init__(self, page: int, name: str) -> None:
        self.page = page
        self.name = name


class Tagger:
    """The structure of one document and the marked content recorded for it while drawing."""

    def __init__(self, doc: Document) -> None:
        self.root = Node("Document")
        self.lang = doc.lang.lower()
        self.content: dict[int, Node] = {}  # id(model paragraph or Toc) -> its element
        self.page_mcids: dict[int, list[Node]] = {}  # physical page -> the element of each MCID
        self._drawn: dict[int, object] = {}  # flowables drawn once (a second time is a repeated header row)
        self._keep: list[object] = []
        for section in doc.sections:
            self._blocks(section.blocks, self.root)

    # -- the structure from the model ---------------------------------------------------------------

    def _blocks(self, blocks: Iterable[Block], parent: Node) -> None:
        lists: list[tuple[float, Node]] = []  # open lists: (indent, L), innermost last
        for block in blocks:
            if isinstance(block, Paragraph):
                if block.label and block.outline is None:
                    self._item(block, parent, lists)
                    continue
                lists.clear()
                role = f"H{min(block.outline + 1, 6)}" if block.outline is not None and block.outline < 9 else "P"
                self.content[id(block)] = Node(role, parent)
            elif isinstance(block, Table):
                lists.clear()
                self._table(block, parent)
            elif isinstance(block, Toc):
                lists.clear()
                self.content[id(block)] = Node("TOC", parent)

    def _item(self, para: Paragraph, parent: Node, lists: list[tuple[float, Node]]) -> None:
        indent = para.fmt.left
        while lists and indent < lists[-1][0] - 0.5:
            lists.pop()
        if not lists:
            lists.append((indent, Node("L", parent)))
        elif indent > lists[-1][0] + 0.5 and lists[-1][1].kids:
            last = lists[-1][1].kids[-1]
            body = last.kids[1] if isinstance(last, Node) and len(last.kids) > 1 else parent
            lists.append((indent, Node("L", body if isinstance(body, Node) else parent)))
        item = Node("LI", lists[-1][1])
        Node("Lbl", item)
        Node("LBody", item)
        self.content[id(para)] = item

    def _table(self, table: Table, parent: Node) -> None:
        heads = sum(1 for row in table.rows if row.header)
        if not heads or heads >= len(table.rows):  # no header rows: a layout table, read cell by cell
            div = Node("Div", parent)
            for row in table.rows:
                for cell in row.cells:
                    self._blocks(cell.blocks, div)
            return
        node = Node("Table", parent)
        groups = (Node("THead", node), Node("TBody", node))
        above: dict[int, Node] = {}  # grid column -> the cell a vertical merge continues
        for row in table.rows:
            tr = Node("TR", groups[0] if row.header else groups[1])
            col = row.grid_before
            for cell in row.cells:
                if cell.vmerge == "continue" and col in above:
                    merged = above[col]
                    merged.attrs["RowSpan"] = merged.attrs.get("RowSpan", 1) + 1
                    self._blocks(cell.blocks, merged)
                    col += cell.span
                    continue
                attrs: dict[str, Any] = {"Scope": "Column"} if row.header else {}
                if cell.span > 1:
                    attrs["ColSpan"] = cell.span
                td = Node("TH" if row.header else "TD", tr, **attrs)
                above.pop(col, None)
                if cell.vmerge == "restart":
                    above[col] = td
                self._blocks(cell.blocks, td)
                col += cell.span

    def toc_entry(self, toc: Toc, entry: Paragraph) -> None:
        """Register *entry*, a table-of-contents line rebuilt at layout time, under the element of *toc*."""
        parent = self.content.get(id(toc))
        if parent is not None:
            self.content[id(entry)] = Node("TOCI", parent)
            self._keep.append(entry)  # its id stays unique while the tagger lives

    # -- marked content while drawing ---------------------------------------------------------------

    def element(self, para: Paragraph, flowable: object) -> Node | None:
        """Return the element *para*'s content goes into, or None when it is an artifact here
        (page furniture, or a flowable drawn a second time: a table header row repeated on a new page)."""
        node = self.content.get(id(para))
        if node is None:
            return None
        if id(flowable) in self._drawn:
            return None
        self._drawn[id(flowable)] = flowable
        return node

    def plain(self, node: Node, lines: Iterable[Line]) -> bool:
        """Return True when all of *lines* is *node*'s own text (no label, link, other language, picture,
        leader dots)."""
        if node.role == "LI":
            return False
        lang = self.lang
        for line in lines:
            if line.leaders:  # leader dots are artifacts between the texts
                return False
            for frag in line.frags:
                tok = frag.tok
                if tok.kind == "i" or tok.link or (tok.style.lang and tok.style.lang.lower() != lang):
                    return False
        return True

    def target(self, node: Node, lbl: bool, link: str | None, lang: str) -> Node:
        """Return the element a piece of *node*'s text goes into: its Lbl or LBody, a Link, a Span."""
        if node.role == "LI":
            lbl_node, body = node.kids[0], node.kids[1]
            assert isinstance(lbl_node, Node) and isinstance(body, Node)
            if lbl:
                return lbl_node
            node = body
        if link:
            node = self._inner(node, "Link", "href", link)
        else:
            node.current = None
        if lang and lang.lower() != self.lang:
            return self._inner(node, "Span", "Lang", lang)
        node.current = None
        return node

    @staticmethod
    def _inner(node: Node, role: str, key: str, value: str) -> Node:
        """Return the *role* element under *node* the text goes on in, or a new one."""
        last = node.current
        if last is None or last.role != role or last.attrs.get(key) != value:
            last = node.current = Node(role, node, attach=False, **{key: value})
        return last

    def figure(self, parent: Node, alt: str, bbox: tuple[float, float, float, float]) -> Node:
        """Return a new Figure element with *alt* text under *parent*."""
        return Node("Figure", parent, Alt=alt, BBox=bbox)

    def mark(self, page: int, node: Node) -> str:
        """Return the BDC operator for a new piece of *node*'s content on *page* (recorded)."""
        mcids = self.page_mcids.setdefault(page, [])
        node.attach()
        node.kids.append((page, len(mcids)))
        mcids.append(node)
        return f"/{node.role} <</MCID {len(mcids) - 1}>> BDC"

    def annotation(self, page: int, node: Node, name: str) -> None:
        """Record that the link annotation *name* on *page* belongs to *node*'s Link."""
        while node.role != "Link" and node.parent is not None:
            node = node.parent
        if node.role != "Link":
            return
        node.attach()
        node.kids.append(Annot(page, name))


def artifacts(code: list[str]) -> list[str]:
    """Return a page's content entries with everything painted outside marked content as an artifact."""
    out: list[str] = []
    run: list[str] = []
    depth = 0

    def flush() -> None:
        if not run:
            return
        if any(PAINTS.search(entry) for entry in run):
            balance, low = 0, 0
            for entry in run:
                for op in STATE.findall(entry):
                    balance += 1 if op == "q" else -1
                    low = min(low, balance)
            if balance == 0 and low == 0:
                out.extend(["/Artifact BMC", *run, "EMC"])
            else:  # q … Q cross the marked content: wrap each painting entry on its own
                for entry in run:
                    out.extend(["/Artifact BMC", entry, "EMC"] if PAINTS.search(entry) else [entry])
        else:
            out.extend(run)
        run.clear()

    for entry in code:
        kind = type(entry)
        if kind is str and depth == 0:
            run.append(entry)
            continue
        if run:
            flush()
        if kind is Open:
            depth += 1
        elif kind is Close:
            depth -= 1
        out.append(entry)
    flush()
    return out


def pagination(code: list[str], kind: str) -> list[str]:
    """Return *code* (a header or footer) wrapped as a pagination artifact of *kind* (Header, Footer)."""
    if not any(PAINTS.search(entry) for entry in code):
        return code
    return [PAGINATION.format(kind), *code, "EMC"]
