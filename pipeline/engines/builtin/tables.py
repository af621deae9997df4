"""Reading tables: grid, widths, table-style and direct borders, shading, merges and header rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .model import Border, Cell, Row, Table
from .styles import Props, W, borders, merge, num, on, parse_ppr, parse_rpr, shading, val

if TYPE_CHECKING:
    from .reader import Context, Reader

MAX_COLUMNS = 63 * 4
MAX_ROWS = 200_000


def cell_margins(el: etree._Element | None) -> dict[str, float]:
    """Return the margins of a w:tblCellMar/w:tcMar element in points."""
    out: dict[str, float] = {}
    if el is None:
        return out
    for child in el:
        name = etree.QName(child).localname
        name = {"start": "left", "end": "right"}.get(name, name)
        v = num(child, "w")
        if name in ("top", "bottom", "left", "right") and v is not None and val(child, "type") != "pct":
            out[name] = max(0.0, v / 20)
    return out


def _children(el: etree._Element, tag: str, depth: int = 0) -> list[etree._Element]:
    """Return the children of *el* with *tag*, looking through content controls and custom XML."""
    out: list[etree._Element] = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif depth < 5 and child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            out.extend(_children(child, tag, depth + 1))
    return out


def _look(tbl_pr: etree._Element | None) -> dict[str, bool]:
    """Return which conditional parts of the table style apply (w:tblLook)."""
    look = tbl_pr.find(W + "tblLook") if tbl_pr is not None else None
    flags = {"firstRow": 0x20, "firstColumn": 0x80, "noHBand": 0x200}
    out = {"firstRow": True, "firstColumn": False, "noHBand": False}
    if look is not None:
        try:
            bits = int(look.get(W + "val") or "0", 16)
        except ValueError:
            bits = 0
        for name, bit in flags.items():
            attr = look.get(W + name)
            out[name] = attr in ("1", "true", "on") if attr is not None else bool(bits & bit)
    out["hBand"] = not out.pop("noHBand")
    return out


def _conditional(reader: Reader, sid: str, kind: str) -> tuple[Props, Props, str | None, dict[str, Border | None]]:
    """Return paragraph and run properties, fill and borders of one conditional part of a table style."""
    ppr: Props = {}
    rpr: Props = {}
    fill: str | None = None
    edges: dict[str, Border | None] = {}
    for cond in reader.styles.conditional(sid, kind) if sid else []:
        ppr = merge(ppr, parse_ppr(cond.find(W + "pPr")))
        rpr = merge(rpr, parse_rpr(cond.find(W + "rPr"), reader.theme))
        fill = shading(cond.find(f"{W}tcPr/{W}shd")) or fill
        edges.update(borders(cond.find(f"{W}tcPr/{W}tcBorders")))
    return ppr, rpr, fill, edges


def read_table(reader: Reader, tbl: etree._Element, ctx: Context) -> Table:
    """Return the Table model of a w:tbl element."""
    from .reader import Context

    styles = reader.styles
    tbl_pr = tbl.find(W + "tblPr")
    sid = (val(tbl_pr.find(W + "tblStyle")) if tbl_pr is not None else None) or styles.default_table
    edges: dict[str, Border | None] = {}
    for el in styles.table_part(sid, "w:tblPr/w:tblBorders"):
        edges.update(borders(el))
    margins = {"left": 5.4, "right": 5.4, "top": 0.0, "bottom": 0.0}
    for el in styles.table_part(sid, "w:tblPr/w:tblCellMar"):
        margins.update(cell_margins(el))
    table = Table([], [], align="left")
    fill = None
    if tbl_pr is not None:
        edges.update(borders(tbl_pr.find(W + "tblBorders")))
        margins.update(cell_margins(tbl_pr.find(W + "tblCellMar")))
        table.align = {"center": "center", "right": "right", "end": "right"}.get(
            val(tbl_pr.find(W + "jc")) or "", "left")
        table.indent = (num(tbl_pr.find(W + "tblInd"), "w", 0.0) or 0.0) / 20
        width_el = tbl_pr.find(W + "tblW")
        kind, raw = val(width_el, "type"), val(width_el, "w")
        if kind == "dxa" and raw and raw.isdigit() and int(raw) > 0:
            table.width = int(raw) / 20
        elif kind == "pct" and raw:
            pct = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw) / 5000
            table.width_pct = min(max(pct, 0.05), 1.0)
        fill = shading(tbl_pr.find(W + "shd"))
    table.borders, table.margins = edges, margins
    if reader.compat < 15:
        table.indent -= margins.get("left", 0.0)
    ppr = merge(ctx.ppr if ctx.depth else {}, styles.ppr(sid)) if sid else {}
    rpr = styles.rpr(sid) if sid else {}
    look = _look(tbl_pr)
    conds = {kind: _conditional(reader, sid, kind) for kind in ("firstRow", "firstCol", "band1Horz", "band2Horz")}
    contexts: dict[tuple[bool, bool], Context] = {}
    for head in (False, True):
        for first_col in (False, True):
            c_ppr, c_rpr = ppr, rpr
            for kind, active in (("firstCol", first_col and look["firstColumn"]), ("firstRow", head)):
                if active:
                    c_ppr, c_rpr = merge(c_ppr, conds[kind][0]), merge(c_rpr, conds[kind][1])
            contexts[(head, first_col)] = Context(ppr=c_ppr, rpr=c_rpr, body=ctx.body, depth=ctx.depth + 1)
    first_on = look["firstRow"]
    grid_el = tbl.find(W + "tblGrid")
    grid = [max(0.0, (num(c, "w", 0.0) or 0.0) / 20) for c in grid_el.findall(W + "gridCol")] \
        if grid_el is not None else []
    header_run = True
    for index, tr in enumerate(_children(tbl, W + "tr")):
        if index >= MAX_ROWS:
            reader.warn("mycket långa tabeller (avkortade)")
            break
        tr_pr = tr.find(W + "trPr")
        row = Row([])
        if tr_pr is not None:
            row.header = bool(on(tr_pr.find(W + "tblHeader")))
            row.cant_split = bool(on(tr_pr.find(W + "cantSplit")))
            height = num(tr_pr.find(W + "trHeight"))
            if height:
                row.height, row.height_rule = height / 20, val(tr_pr.find(W + "trHeight"), "hRule") or "atLeast"
            row.grid_before = int(num(tr_pr.find(W + "gridBefore"), "val", 0) or 0)
        header_run = header_run and row.header
        row.header = header_run
        first = not table.rows and first_on
        band = "band1Horz" if (len(table.rows) - first_on) % 2 == 0 else "band2Horz"
        row_fill = conds["firstRow"][2] if first else (conds[band][2] if look["hBand"] else None)
        for i, tc in enumerate(_children(tr, W + "tc")):
            col_fill = conds["firstCol"][2] if i == 0 and look["firstColumn"] and not first else None
            row.cells.append(_cell(reader, tc, contexts[(first, i == 0)], col_fill or row_fill,
                                   conds["firstRow"][3] if first else {}, fill))
        table.rows.append(row)
    table.grid = _grid(grid, table.rows)
    return table


def _cell(reader: Reader, tc: etree._Element, ctx: Context, head_fill: str | None,
          head_borders: dict[str, Border | None], fill: str | None) -> Cell:
    tc_pr = tc.find(W + "tcPr")
    cell = Cell(reader.blocks(tc, ctx), shading=head_fill or fill, borders=dict(head_borders))
    if tc_pr is not None:
        span = num(tc_pr.find(W + "gridSpan"))
        cell.span = max(1, min(int(span), MAX_COLUMNS)) if span else 1
        vm = tc_pr.find(W + "vMerge")
        if vm is not None:
            cell.vmerge = "restart" if val(vm) == "restart" else "continue"
        cell.shading = shading(tc_pr.find(W + "shd")) or cell.shading
        cell.borders.update(borders(tc_pr.find(W + "tcBorders")))
        cell.margins = cell_margins(tc_pr.find(W + "tcMar"))
        cell.valign = {"center": "middle", "bottom": "bottom"}.get(val(tc_pr.find(W + "vAlign")) or "", "top")
        width_el = tc_pr.find(W + "tcW")
        if val(width_el, "type") in ("dxa", None) and (num(width_el, "w", 0.0) or 0.0) > 0:
            cell.width = (num(width_el, "w", 0.0) or 0.0) / 20
    return cell


def _grid(grid: list[float], rows: list[Row]) -> list[float]:
    """Return the column widths: the grid (as LibreOffice does), else cell widths, else equal columns."""
    ncols = max((r.grid_before + sum(c.span for c in r.cells) for r in rows), default=0)
    ncols = min(max(ncols, len(grid)), MAX_COLUMNS)
    widths: list[float | None] = [w if w > 0 else None for w in grid[:ncols]]
    widths += [None] * (ncols - len(widths))
    for row in rows:
        col = row.grid_before
        for cell in row.cells:
            if cell.span == 1 and cell.width and col < ncols and widths[col] is None:
                widths[col] = cell.width
            col += cell.span
    known = [w for w in widths if w]
    default = sum(known) / len(known) if known else 72.0
    return [w if w else default for w in widths]
