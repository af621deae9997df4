"""Rules of the plan contract beyond types (pure): the budget balances, the calendar's dates fit the
plan's year and weekdays, and no text still speaks of last year's plan.

A plan is made every year from last year's (`kansli next`, or a copy with `år` changed): the rules
here are what tells the kansli which of the old texts, dates and figures still need a look.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .. import swedish
from ..errors import Problem
from .model import Budget, Calendar, Verksamhetsplan

# Fields whose strings are no prose: dates and times (ruled on their own), file paths, choices.
_NOT_PROSE = frozenset({"$schema", "datum", "invånare_datum", "start", "slut", "fil", "mål", "veckodag", "förslag"})
SNIPPET = 30  # characters either side of a stale year in a warning


def budget_problems(budget: Budget) -> list[Problem]:
    """Return a warning when income and costs do not balance, saying by how much."""
    if budget.balance == 0:
        return []
    income, costs = swedish.amount(budget.income_total), swedish.amount(budget.cost_total)
    kind = "ett överskott" if budget.balance > 0 else "ett underskott"
    return [Problem("budget", f"intäkterna ({income}) och kostnaderna ({costs}) går inte jämnt ut: "
                              f"{kind} på {swedish.amount(abs(budget.balance))}", warning=True)]


def population_problems(budget: Budget, year: int) -> list[Problem]:
    """Return a warning when the population figure is older than the end of the year before *year*."""
    if budget.invanare_datum.year >= year - 1:
        return []
    return [Problem("budget.invånare_datum",
                    f"invånarantalet avser {swedish.iso(budget.invanare_datum)}; planen för {year} bygger på "
                    f"antalet den 31 december {year - 1}: uppdatera invånare och invånare_datum", warning=True)]


def calendar_problems(calendar: Calendar, year: int) -> list[Problem]:
    """Return an error for every meeting outside *year*, a warning for one on another weekday than
    its group's or twice on one day, and a warning while the calendar is marked as a proposal."""
    out: list[Problem] = []
    if calendar.forslag:
        out.append(Problem("kalendarium.förslag", f"kalendariet är ett förslag: {calendar.forslag}", warning=True))
    for g, group in enumerate(calendar.grupper):
        for m, meeting in enumerate(group.moten):
            where = f"kalendarium.grupper[{g}].möten[{m}].datum"
            day = meeting.datum
            if day.year != year:
                out.append(Problem(where, f"{swedish.iso(day)} ligger inte i planens år {year}"))
            if day.weekday() != group.weekday_index:
                out.append(Problem(where, f"{swedish.iso(day)} är en {swedish.weekday(day)}, men {group.organ} "
                                          f"möts på {group.veckodag}ar", warning=True))
            if any(other.datum == day for other in group.moten[:m]):
                out.append(Problem(where, f"{group.organ} har två möten {swedish.iso(day)}", warning=True))
    return out


def prose(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field path, text) for every text a person wrote in *value* (a plan as JSON data)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in _NOT_PROSE:
                yield from prose(inner, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from prose(inner, f"{where}[{index}]")


def _snippet(text: str, start: int, end: int) -> str:
    left, right = max(0, start - SNIPPET), min(len(text), end + SNIPPET)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def stale_year_problems(plan: Verksamhetsplan) -> list[Problem]:
    """Return a warning for every text that names the year before the plan's or the year before that.

    Made from last year's plan, such a text is most often left over ("Om verksamhetsplanen 2026" in
    the plan for 2027); when it rightly speaks of the past, the warning is only a question. An
    adopted plan (`beslutad`) is not asked about years before the year it was adopted: those were
    history when it was decided. A copy that keeps last year's adoption is still asked about that
    year, and `kansli next` drops the adoption.
    """
    years = [y for y in (plan.ar - 1, plan.ar - 2) if plan.beslutad is None or y >= plan.beslutad.datum.year]
    if not years:
        return []
    pattern = re.compile(rf"(?<!\d)({'|'.join(str(y) for y in years)})(?!\d)")
    out: list[Problem] = []
    for where, text in prose(plan.model_dump(mode="json", by_alias=True)):
        found = list(pattern.finditer(text))
        if not found:
            continue
        named = " och ".join(str(y) for y in sorted({int(m.group(1)) for m in found}, reverse=True))
        first = found[0]
        out.append(Problem(where, f"nämner {named}: »{_snippet(text, *first.span())}«; gäller texten planen för "
                                  f"{plan.ar}?", warning=True))
    return out


def plan_rules(plan: Verksamhetsplan) -> list[Problem]:
    """Return every rule of the plan contract that *plan* breaks."""
    problems = stale_year_problems(plan)
    if plan.budget is not None:
        problems += budget_problems(plan.budget) + population_problems(plan.budget, plan.ar)
    if plan.kalendarium is not None:
        problems += calendar_problems(plan.kalendarium, plan.ar)
    return problems
