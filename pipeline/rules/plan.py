"""Domain checks on a plan beyond its types: the budget balances, dates fit, appendices open."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from .. import swedish
from ..errors import Problem
from ..model.plan import Appendix, Budget, Calendar, Verksamhetsplan

SUPPORTED = (".pdf", ".docx")


def appendix_path(appendix: Appendix, source: Path) -> Path:
    """Return the file of *appendix*, its path taken relative to the plan's JSON file *source*."""
    path = Path(appendix.fil).expanduser()
    return path if path.is_absolute() else source.parent / path


def appendix_problem(path: Path) -> str | None:
    """Return why the appendix file *path* cannot be used (in Swedish), or None when it opens."""
    if not path.exists():
        return f"filen finns inte: {path}"
    if not path.is_file():
        return f"är ingen fil: {path}"
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        return f"filtypen {path.suffix or '(ingen)'} stöds inte; en bilaga ska vara en PDF- eller .docx-fil: {path}"
    if suffix == ".pdf":
        return _pdf_problem(path)
    return _docx_problem(path)


def _pdf_problem(path: Path) -> str | None:
    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                return f"PDF-filen är krypterad; spara en okrypterad kopia och använd den: {path}"
            if len(pdf.pages) == 0:
                return f"PDF-filen har inga sidor: {path}"
    except pikepdf.PasswordError:
        return f"PDF-filen är lösenordsskyddad; spara en kopia utan lösenord och använd den: {path}"
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        return f"filen är ingen läsbar PDF ({str(exc).splitlines()[0][:120]}): {path}"
    return None


def _docx_problem(path: Path) -> str | None:
    try:
        Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        return f"filen är inget läsbart Word-dokument ({type(exc).__name__}): {path}"
    except OSError as exc:
        return f"filen kan inte läsas ({exc.strerror}): {path}"
    return None


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


def appendix_problems(plan: Verksamhetsplan, source: Path) -> list[Problem]:
    """Return an error for every appendix whose file is missing, unsupported or does not open."""
    out: list[Problem] = []
    for n, appendix in enumerate(plan.bilagor, start=1):
        why = appendix_problem(appendix_path(appendix, source))
        if why is not None:
            out.append(Problem(f"bilagor[{n - 1}].fil", f"Bilaga {n} (»{appendix.titel}«): {why}"))
    return out


def check_plan(plan: Verksamhetsplan, source: Path) -> list[Problem]:
    """Return every problem of *plan* read from *source*: errors first, then warnings."""
    problems = appendix_problems(plan, source)
    if plan.budget is not None:
        problems += budget_problems(plan.budget)
    if plan.kalendarium is not None:
        problems += calendar_problems(plan.kalendarium, plan.ar)
    return sorted(problems, key=lambda p: p.warning)
