"""The uppdrag as people read them: a table for the terminal and a CSV file for a Swedish Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..swedish import iso
from .tasks import Task

COLUMNS = ("Id", "Möte", "Mötesdatum", "Punkt", "Rubrik", "Vem", "Uppdrag", "Senast", "Status", "Uppföljning")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # Excel would run a cell starting so as a formula


def _short(text: str, width: int) -> str:
    # one line, and no control or bidi character reaches the terminal
    text = "".join(ch if ch.isprintable() else " " for ch in " ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def rows(tasks: Sequence[Task]) -> list[list[str]]:
    """Return one row of texts per uppdrag, in the order of COLUMNS."""
    return [[t.id, t.organ, iso(t.meeting), str(t.item), t.rubrik, t.vem, " ".join(t.att.split()),
             iso(t.senast) if t.senast else "", t.status, t.note] for t in tasks]


def table(tasks: Sequence[Task], width: int = 120) -> str:
    """Return the uppdrag as a plain-text table that fits *width* columns (the uppdrag text is shortened)."""
    several = len({t.organ for t in tasks}) > 1
    head = ["Status", "Senast", "Vem", "Uppdrag", "Id (möte/punkt)"] + (["Möte"] if several else [])
    body = [[t.status, iso(t.senast) if t.senast else "–", t.vem, t.att, t.id] + ([t.organ] if several else [])
            for t in tasks]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    widths[2] = min(widths[2], 24)
    if several:
        widths[5] = min(widths[5], 30)
    rest = sum(w for i, w in enumerate(widths) if i != 3) + 2 * (len(head) - 1)
    widths[3] = max(20, min(widths[3], width - rest))
    lines = []
    for r in [head, *body]:
        cells = [_short(c, w).ljust(w) for c, w in zip(r, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def csv_bytes(tasks: Sequence[Task]) -> bytes:
    """Return the uppdrag as CSV that a Swedish Excel opens right: semicolons, UTF-8 with BOM, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows([[_cell(c) for c in r] for r in rows(tasks)])
    return out.getvalue().encode("utf-8-sig")
