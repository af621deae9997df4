"""Rules of the plan contract beyond types: the budget balances and the calendar's dates fit (pure)."""

from __future__ import annotations

from .. import swedish
from ..errors import Problem
from .model import Budget, Calendar, Verksamhetsplan


def budget_problems(budget: Budget) -> list[Problem]:
    """Return a warning when income and costs do not balance, saying by how much."""
    if budget.balance == 0:
        return []
    income, costs = swedish.amount(budget.income_total), swedish.amount(budget.cost_total)
    kind = "ett överskott" if budget.balance > 0 else "ett underskott"
    return [Problem("budget", f"intäkterna ({income}) och kostnaderna ({costs}) går inte jämnt ut: "
                              f"{kind} på {swedish.amount(abs(budget.balance))}", warning=True)]


def calendar_problems(calendar: Calendar, year: int) -> list[Problem]:
    """Return a warning for every meeting on another weekday than its group's, or outside *year*."""
    out: list[Problem] = []
    for g, group in enumerate(calendar.grupper):
        for m, meeting in enumerate(group.moten):
            where = f"kalendarium.grupper[{g}].möten[{m}].datum"
            day = meeting.datum
            if day.weekday() != group.weekday_index:
                out.append(Problem(where, f"{swedish.iso(day)} är en {swedish.weekday(day)}, men {group.organ} "
                                          f"möts på {group.veckodag}ar", warning=True))
            if day.year != year:
                out.append(Problem(where, f"{swedish.iso(day)} ligger inte i planens år {year}", warning=True))
            if any(other.datum == day for other in group.moten[:m]):
                out.append(Problem(where, f"{group.organ} har två möten {swedish.iso(day)}", warning=True))
    return out


def plan_rules(plan: Verksamhetsplan) -> list[Problem]:
    """Return every rule of the plan contract that *plan* breaks (all warnings today)."""
    problems: list[Problem] = []
    if plan.budget is not None:
        problems += budget_problems(plan.budget)
    if plan.kalendarium is not None:
        problems += calendar_problems(plan.kalendarium, plan.ar)
    return problems
