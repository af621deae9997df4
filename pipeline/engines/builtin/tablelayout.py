"""Tables as platypus Tables: column widths, spans and vertical merges, borders, shading, header rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Table as RLTable
from reportlab.platypus.doctemplate import Indenter
from reportlab.platypus.flowables import Flowable

from . import fonts
from .model import Block, Border, Cell, Paragraph, Table

MakeBlocks = Callable[[list[Block], float], list[Flowable]]
Command = tuple[Any, ...]


class SafeTable(RLTable):  # type: ignore[misc]
    """A platypus Table that, when it cannot be split on an empty page, retries without its vertical merges.

    A table whose every row keeps with the next (Word's way to keep a table on one page) is *whole*:
    it is not split but moved to the next page, unless it starts a page (then it must break).
    """

    fallback: Callable[[], RLTable] | None = None
    whole = False

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.whole and not self._at_top():
            return []
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if not self._progress(parts, availWidth):  # a split inside a row that moved nothing on: split between rows
            saved: int = getattr(self, "splitInRow", 0)
            self.splitInRow = 0
            try:
                parts = super().split(availWidth, availHeight)
            finally:
                self.splitInRow = saved
            if not self._progress(parts, availWidth):
                parts = []
        if not parts and self.fallback is not None and self._at_top():
            plain = self.fallback()
            plain.wrap(availWidth, availHeight)
            parts = plain.split(availWidth, availHeight) or [plain]
        return parts

    def _at_top(self) -> bool:
        """Return True when the table starts an empty page (and is not the tail of a keep-with-next group)."""
        frame = self._doctemplateAttr("frame")
        return bool(frame is not None and getattr(frame, "_atTop", False) and not getattr(self, "kept_below", False))

    def _progress(self, parts: list[Flowable], width: float) -> bool:
        """Return False when a split left a remainder as big as the whole (which would loop forever)."""
        if len(parts) < 2:
            return True
        rest = parts[-1]
        rows = getattr(rest, "_cellvalues", None)
        if rows is None or len(rows) < len(self._cellvalues):
            return True
        whole = getattr(self, "_height", None)
        return whole is not None and float(rest.wrap(width, 1e9)[1]) < float(whole) - 0.5


def _color(hexcolor: str) -> colors.Color:
    return colors.HexColor("#" + hexcolor)


def _widths(table: Table, avail: float) -> list[float]:
    grid = list(table.grid)
    total = sum(grid) or 1.0
    target = total
    if table.width_pct is not None:
        target = table.width_pct * avail
    elif table.width is not None and table.width > total * 1.01:
        target = table.width
    if target > avail * 1.03:
        target = avail
    return [max(w * target / total, 6.0) for w in grid]


def _keeps_with_next(cells: list[Cell]) -> bool:
    """Return True when every paragraph of a row keeps with the next: the row stays with the next row."""
    paras = [b for cell in cells for b in cell.blocks if isinstance(b, Paragraph)]
    return bool(paras) and all(p.fmt.keep_next for p in paras)


def _edge(cell: Cell, side: str, table: Table, outer: bool) -> Border | None:
    if side in cell.borders:
        return cell.borders[side]
    inside = "insideH" if side in ("top", "bottom") else "insideV"
    return table.borders.get(side if outer else inside)


def build_table(table: Table, avail: float, make_blocks: MakeBlocks) -> list[Flowable]:
    """Return the flowables (a platypus Table, maybe indented) for *table* in *avail* points of width."""
    if not table.grid or not table.rows:
        return []
    rl = _build(table, avail, make_blocks, merge_rows=True)
    if any(cell.vmerge for row in table.rows for cell in row.cells):
        rl.fallback = lambda: _build(table, avail, make_blocks, merge_rows=False)
    kept = [_keeps_with_next(row.cells) for row in table.rows]
    rl.whole = len(kept) > 1 and all(kept[:-1])  # every row kept with the next: the table stays on one page
    rl.keepWithNext = int(kept[-1])  # its last row kept with the next: so is the table (Word's rule)
    if table.indent and table.align == "left":
        return [Indenter(left=table.indent), rl, Indenter(left=-table.indent)]
    return [rl]


def _build(table: Table, avail: float, make_blocks: MakeBlocks, merge_rows: bool) -> SafeTable:
    """Return the platypus table; without *merge_rows* vertically merged cells are drawn unmerged."""
    widths = _widths(table, avail)
    ncols = len(widths)
    nrows = len(table.rows)
    data: list[list[Any]] = [[""] * ncols for _ in range(nrows)]
    cmds: list[Command] = []
    margins = table.margins
    cmds += [("LEFTPADDING", (0, 0), (-1, -1), margins.get("left", 5.4)),
             ("RIGHTPADDING", (0, 0), (-1, -1), margins.get("right", 5.4)),
             ("TOPPADDING", (0, 0), (-1, -1), margins.get("top", 0.0)),
             ("BOTTOMPADDING", (0, 0), (-1, -1), margins.get("bottom", 0.0)),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("FONTNAME", (0, 0), (-1, -1), fonts.resolve("Calibri").name)]
    open_merges: dict[int, int] = {}  # column -> row where its vertical merge started
    merges: dict[tuple[int, int], int] = {}  # (start row, column) -> last row of the merge
    placed: list[tuple[int, int, int, Cell]] = []
    min_heights: list[float] = [0.0] * nrows
    fixed = False
    whole_rows = any(row.cant_split for row in table.rows)
    for r, row in enumerate(table.rows):
        col = min(row.grid_before, ncols - 1)
        if row.height:
            fixed = fixed or row.height_rule == "exact"
            min_heights[r] = row.height
        for cell in row.cells:
            if col >= ncols:
                break
            span = min(cell.span, ncols - col)
            if merge_rows and cell.vmerge == "continue" and col in open_merges:
                merges[(open_merges[col], col)] = r
                col += span
                continue
            open_merges.pop(col, None)
            if cell.vmerge == "restart":
                open_merges[col] = r
            placed.append((r, col, span, cell))
            col += span
    own_borders = any(cell.borders for _, _, _, cell in placed)
    for r, c, span, cell in placed:
        last_row = merges.get((r, c), r)
        width = sum(widths[c:c + span])
        pad_l = cell.margins.get("left", margins.get("left", 5.4))
        pad_r = cell.margins.get("right", margins.get("right", 5.4))
        end = (c + span - 1, last_row)
        shrunk = pad_l + pad_r > width - 2.0  # margins wider than the column: shrink, never negative room
        if shrunk:
            factor = max(width - 2.0, 0.0) / (pad_l + pad_r)
            pad_l, pad_r = pad_l * factor, pad_r * factor
        content = make_blocks(cell.blocks, max(width - pad_l - pad_r, 1.0))
        data[r][c] = content or ""
        if span > 1 or last_row > r:
            cmds.append(("SPAN", (c, r), end))
        if cell.shading:
            cmds.append(("BACKGROUND", (c, r), end, _color(cell.shading)))
        if cell.valign != "top":
            cmds.append(("VALIGN", (c, r), end, cell.valign.upper()))
        for side, key in (("left", "LEFTPADDING"), ("right", "RIGHTPADDING"), ("top", "TOPPADDING"),
                          ("bottom", "BOTTOMPADDING")):
            if side in cell.margins:
                cmds.append((key, (c, r), end, cell.margins[side]))
        if shrunk:
            cmds += [("LEFTPADDING", (c, r), end, pad_l), ("RIGHTPADDING", (c, r), end, pad_r)]
        if own_borders:
            cmds += _cell_borders(table, cell, r, c, end, nrows, ncols)
    if not own_borders:
        cmds += _table_borders(table)
    header = 0
    while header < nrows - 1 and table.rows[header].header:
        header += 1
    return SafeTable(data, colWidths=widths, style=cmds, repeatRows=header, splitByRow=1,
                 splitInRow=0 if fixed or whole_rows else 1, hAlign=table.align.upper(),
                 rowHeights=[h or None for h in min_heights] if fixed else None,
                 minRowHeights=None if fixed or not any(min_heights) else min_heights)


def _line(kind: str, start: tuple[int, int], end: tuple[int, int], edge: Border | None) -> list[Command]:
    if edge is None:
        return []
    return [(kind, start, end, edge.width, _color(edge.color))]


def _cell_borders(table: Table, cell: Cell, r: int, c: int, end: tuple[int, int],
                  nrows: int, ncols: int) -> list[Command]:
    out: list[Command] = []
    out += _line("LINEABOVE", (c, r), (end[0], r), _edge(cell, "top", table, r == 0))
    out += _line("LINEBELOW", (c, end[1]), end, _edge(cell, "bottom", table, end[1] == nrows - 1))
    out += _line("LINEBEFORE", (c, r), (c, end[1]), _edge(cell, "left", table, c == 0))
    out += _line("LINEAFTER", (end[0], r), end, _edge(cell, "right", table, end[0] == ncols - 1))
    return out


def _table_borders(table: Table) -> list[Command]:
    b = table.borders
    out: list[Command] = []
    out += _line("LINEABOVE", (0, 0), (-1, 0), b.get("top"))
    out += _line("LINEBELOW", (0, -1), (-1, -1), b.get("bottom"))
    out += _line("LINEBEFORE", (0, 0), (0, -1), b.get("left"))
    out += _line("LINEAFTER", (-1, 0), (-1, -1), b.get("right"))
    out += _line("LINEBELOW", (0, 0), (-1, -2), b.get("insideH"))
    out += _line("LINEAFTER", (0, 0), (-2, -1), b.get("insideV"))
    return out
