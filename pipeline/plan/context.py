"""The plan as a template context: plain strings, lists and dicts, formatted in Swedish."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import swedish
from ..docx import Picture
from ..fields import BulletList, Heading, Item, NumberedList, flatten_items
from .figures import picture_bytes
from .model import (
    Activity,
    ActivityTable,
    Block,
    Budget,
    BudgetLine,
    Calendar,
    CalendarGroup,
    Cell,
    Figure,
    Goal,
    Meeting,
    Organisation,
    Verksamhetsplan,
)

Context = dict[str, Any]

# Levels deeper than this are shown at the deepest level the template has a style for.
MAX_LEVEL = 2
TEXT_WIDTH_CM = 16.0  # the template's text width: a picture is never wider


def _items(kind: str, items: list[Item]) -> list[Context]:
    return [{"typ": kind, "niva": min(level, MAX_LEVEL), "text": text} for level, text in flatten_items(items)]


def _goal(goal: Goal) -> Context:
    return {
        "typ": "mål",
        "niva": goal.niva,
        "rubrik": goal.heading,
        "text": goal.text,
        "delmal": [f"Delmål: {d}" for d in goal.delmal],
        "ansvar": f"Ansvar: {goal.ansvar}" if goal.ansvar else "",
    }


def _cell(cell: Cell) -> list[Context]:
    """Return a cell as paragraphs; never empty, since a Word table cell needs one paragraph."""
    out: list[Context] = []
    for block in [cell] if isinstance(cell, str) else cell:
        if isinstance(block, str):
            if block:
                out.append({"typ": "stycke", "niva": 0, "text": block})
        else:
            out.extend(_items("punkt", block.punktlista))
    return out or [{"typ": "stycke", "niva": 0, "text": ""}]


def _row(row: Activity) -> Context:
    return {"aktivitet": _cell(row.aktivitet), "kommentar": _cell(row.kommentar)}


def _table(table: ActivityTable) -> Context:
    return {"typ": "aktiviteter", "kolumner": list(table.kolumner), "rader": [_row(r) for r in table.aktiviteter]}


def caption(figure: Figure, number: int) -> str:
    """Return »Figur 1. Målstruktur för SUP 2040« (or »Figur 1« without a caption text)."""
    return f"Figur {number}. {figure.bildtext}" if figure.bildtext else f"Figur {number}"


def _figure(figure: Figure, number: int) -> Context:
    width = min(figure.bredd or TEXT_WIDTH_CM, TEXT_WIDTH_CM)
    picture = Picture(figure.file, width, figure.alt, f"Figur {number}", load=picture_bytes)  # read when rendered
    return {"typ": "bild", "bild": picture, "bildtext": caption(figure, number)}


def figure_numbers(plan: Verksamhetsplan) -> dict[int, int]:
    """Return the number of every picture of *plan* (by object identity), counted in order from 1."""
    return {id(figure): n for n, (_, figure) in enumerate(plan.figures(), start=1)}


def blocks(content: Sequence[Block], numbers: Mapping[int, int] | None = None) -> list[Context]:
    """Return content blocks as a flat list the template walks: lists become one entry per item.

    *numbers* gives each picture its figure number (`figure_numbers`).
    """
    out: list[Context] = []
    for block in content:
        if isinstance(block, str):
            out.append({"typ": "stycke", "text": block})
        elif isinstance(block, Heading):
            out.append({"typ": "rubrik", "text": block.rubrik})
        elif isinstance(block, BulletList):
            out.extend(_items("punkt", block.punktlista))
        elif isinstance(block, NumberedList):
            out.extend(_items("nummer", block.numrerad_lista))
        elif isinstance(block, Goal):
            out.append(_goal(block))
        elif isinstance(block, Figure):
            out.append(_figure(block, (numbers or {}).get(id(block), 1)))
        else:
            out.append(_table(block))
    return out


def organisation_blocks(org: Organisation, year: int, numbers: Mapping[int, int] | None = None) -> list[Context]:
    """Return the organisation chapter's paragraphs: who chairs what, then the free text."""
    lines: list[str] = []
    if org.ordforande:
        line = f"Ordförande i samarbetskommittén år {year} är {org.ordforande}"
        if org.vice_ordforande:
            line += f" och vice ordförande {org.vice_ordforande}"
        lines.append(line + ".")
    elif org.vice_ordforande:
        lines.append(f"Vice ordförande i samarbetskommittén år {year} är {org.vice_ordforande}.")
    if org.ledningsgruppens_ordforande:
        lines.append(f"Ordförande i ledningsgruppen är {org.ledningsgruppens_ordforande}.")
    return [{"typ": "stycke", "text": line} for line in lines] + blocks(org.innehall, numbers)


def group_heading(group: CalendarGroup) -> str:
    """Return »Ledningsgruppen (fredagar kl 09.00-11.30 i Huddinge kommunhus om inte annat anges)«."""
    usual = f"{group.veckodag}ar {swedish.clock_span(group.start, group.slut)}"
    if group.plats:
        usual += f" i {group.plats} om inte annat anges"
    return f"{group.organ} ({usual})"


def meeting_line(group: CalendarGroup, meeting: Meeting) -> str:
    """Return »21 augusti, planeringskonferens, Sundby Gård« (with the time when it is unusual)."""
    parts = [swedish.day_month(meeting.datum)]
    if meeting.start or meeting.slut:
        parts[0] += f" {swedish.clock_span(group.start_of(meeting), group.end_of(meeting))}"
    if meeting.notering:
        parts.append(meeting.notering)
    parts.append(group.place_of(meeting) or "plats inte bestämd")
    return ", ".join(parts)


def calendar_context(cal: Calendar) -> Context:
    """Return the calendar: introduction, and per body a heading and one line per meeting."""
    return {
        "inledning": list(cal.inledning),
        "grupper": [
            {"rubrik": group_heading(g), "moten": [meeting_line(g, m) for m in g.moten]} for g in cal.grupper
        ],
    }


def footnote_marks(lines: Sequence[BudgetLine]) -> list[str]:
    """Return the footnote mark of each line in table order: '*', '**', … where it has a footnote."""
    marks: list[str] = []
    count = 0
    for line in lines:
        if line.fotnot:
            count += 1
            marks.append("*" * count)
        else:
            marks.append("")
    return marks


def _line(line: BudgetLine, mark: str) -> Context:
    return {"rad": line.rad + mark, "belopp": swedish.amount(line.belopp)}


def budget_context(budget: Budget) -> Context:
    """Return the budget table with every sum computed and every amount formatted."""
    in_order = [*budget.intakter, *budget.kostnader]  # as the table shows them: income, then costs
    marks = footnote_marks(in_order)
    split = len(budget.intakter)
    income = [{"rad": budget.avgiftsrad, "belopp": swedish.amount(budget.fee)}]
    income += [_line(line, mark) for line, mark in zip(budget.intakter, marks[:split], strict=True)]
    costs = [_line(line, mark) for line, mark in zip(budget.kostnader, marks[split:], strict=True)]
    notes = [mark + line.fotnot for mark, line in zip(marks, in_order, strict=True) if line.fotnot]
    per_municipality = [
        {"kommun": name, "invanare": swedish.number(budget.invanare_per_kommun[name]), "avgift": swedish.amount(fee)}
        for name, fee in budget.fee_per_municipality.items()
    ]
    return {
        "per_invanare": swedish.number(budget.avgift_per_invanare),
        "beslut": budget.avgiftsbeslut,
        "invanare": swedish.number(budget.population),
        "invanare_datum": swedish.day_month(budget.invanare_datum, year=True),
        "avgift": swedish.amount(budget.fee),
        "intakter": income,
        "intakter_summa": swedish.amount(budget.income_total),
        "kostnader": costs,
        "kostnader_summa": swedish.amount(budget.cost_total),
        "fotnoter": notes,
        "per_kommun": per_municipality,
        "per_kommun_summa": swedish.amount(sum(budget.fee_per_municipality.values())),
        "efter": list(budget.efter),
    }


def headings(plan: Verksamhetsplan) -> list[str]:
    """Return every numbered chapter heading as it is printed: »1. Om verksamhetsplanen 2026«."""
    titles = [chapter.rubrik for chapter in plan.kapitel]
    if plan.organisationsavsnitt is not None:
        titles.append(plan.organisationsavsnitt.rubrik)
    if plan.kalendarium is not None:
        titles.append(plan.kalendarium.rubrik)
    if plan.budget is not None:
        titles.append(plan.budget.rubrik)
    return [f"{n}. {title}" for n, title in enumerate(titles, start=1)]


def adoption_line(plan: Verksamhetsplan) -> str:
    """Return »Beslutad av samarbetskommittén den 5 december 2025«, or "" when the file does not say."""
    if plan.beslutad is None:
        return ""
    return f"Beslutad av {plan.beslutad.av} den {swedish.day_month(plan.beslutad.datum, year=True)}"


def appendix_label(number: int) -> str:
    """Return »Bilaga 2«."""
    return f"Bilaga {number}"


def _page(pages: Mapping[str, int] | Sequence[int], key: Any) -> str:
    try:
        value = pages[key]
    except (KeyError, IndexError):
        return ""
    return str(value)


def plan_context(plan: Verksamhetsplan, *, toc_pages: Mapping[str, int] | None = None,
                 appendix_pages: Sequence[int] = ()) -> Context:
    """Return the template context for *plan*.

    *toc_pages* maps each heading (as `headings()` prints it) to its page, *appendix_pages* gives the
    page where each appendix starts; both are known after a first rendering, blank before.
    """
    toc_pages = toc_pages or {}
    titles = headings(plan)
    numbers = figure_numbers(plan)
    chapters = [{"rubrik": titles[i], "block": blocks(ch.innehall, numbers)} for i, ch in enumerate(plan.kapitel)]
    at = len(plan.kapitel)
    sections: dict[str, Any] = {"kalendarium": None, "budget": None}
    if plan.organisationsavsnitt is not None:
        # The organisation chapter is an ordinary chapter to the template.
        chapters.append({"rubrik": titles[at],
                         "block": organisation_blocks(plan.organisationsavsnitt, plan.ar, numbers)})
        at += 1
    if plan.kalendarium is not None:
        sections["kalendarium"] = {"rubrik": titles[at], **calendar_context(plan.kalendarium)}
        at += 1
    if plan.budget is not None:
        sections["budget"] = {"rubrik": titles[at], **budget_context(plan.budget)}
    return {
        "titel": plan.full_title,
        "organisation": plan.organisation,
        "datum": swedish.iso(plan.datum),
        "beslutad": adoption_line(plan),
        "ar": str(plan.ar),
        "toc": [{"text": t, "sida": _page(toc_pages, t)} for t in titles],
        "bilagor": [
            {"etikett": appendix_label(n), "titel": a.titel, "sida": _page(appendix_pages, n - 1)}
            for n, a in enumerate(plan.bilagor, start=1)
        ],
        "kapitel": chapters,
        **sections,
    }


def _block_texts(content: Sequence[Block], numbers: Mapping[int, int]) -> list[str]:
    out: list[str] = []
    for block in blocks(content, numbers):
        if block["typ"] == "bild":
            out.append(block["bildtext"])
        elif block["typ"] == "mål":
            out += [block["rubrik"], block["text"], *block["delmal"]]
        elif block["typ"] == "aktiviteter":
            out += [c["text"] for row in block["rader"] for cell in row.values() for c in cell]
        else:
            out.append(block["text"])
    return out


def expected_texts(plan: Verksamhetsplan) -> list[str]:
    """Return texts that must stand in the rendered .docx: every text the user wrote, and the sums."""
    out = [plan.full_title, plan.organisation, adoption_line(plan), *headings(plan)]
    numbers = figure_numbers(plan)
    for chapter in plan.kapitel:
        out += _block_texts(chapter.innehall, numbers)
    if plan.kalendarium is not None:
        out += plan.kalendarium.inledning
        for group in plan.kalendarium.grupper:
            out += [group_heading(group), *(meeting_line(group, m) for m in group.moten)]
    if plan.budget is not None:
        out += [swedish.amount(plan.budget.fee), swedish.amount(plan.budget.cost_total), *plan.budget.efter]
    out += [a.titel for a in plan.bilagor]
    return [text for text in out if text.strip()]
