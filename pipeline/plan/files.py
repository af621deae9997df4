"""The files a plan names: each appendix must exist and open as a PDF or a Word document."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pikepdf
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..errors import Problem
from ..zipguard import ZipRefused, check_parts
from .model import Appendix, Verksamhetsplan

SUPPORTED = (".pdf", ".docx")


def appendix_path(appendix: Appendix, source: Path) -> Path:
    """Return the file of *appendix*, its path taken relative to the plan's JSON file *source*."""
    path = Path(appendix.fil).expanduser()
    return path if path.is_absolute() else source.parent / path


def place_problem(appendix: Appendix, source: Path) -> str | None:
    """Return why the appendix's path may not be read (in Swedish), or None when it may.

    An appendix lies in the plan's folder or a folder under it, and is no symbolic link (nor
    reached through one): a plan that is mailed, or put behind the web desk, must not make kansli
    read a file elsewhere on the computer that the user never chose.
    """
    base = source.parent
    raw = Path(appendix.fil)
    if str(appendix.fil).startswith("~"):
        return f"sökvägen pekar ut ur planens mapp; lägg bilagan i planens mapp eller en undermapp: {appendix.fil}"
    if raw.is_absolute():
        try:
            raw = Path(os.path.normpath(raw)).relative_to(os.path.normpath(base.absolute()))
        except ValueError:
            return (f"bilagan ligger utanför planens mapp ({base}); lägg den i planens mapp eller en undermapp "
                    f"och ange sökvägen relativt planen: {appendix.fil}")
    parts = Path(os.path.normpath(raw)).parts
    if not parts or parts[0] == ".." or parts == (".",):
        return (f"sökvägen pekar ut ur planens mapp; lägg bilagan i planens mapp eller en undermapp: "
                f"{appendix.fil}")
    current = base
    for part in parts:
        current = current / part
        if current.is_symlink():
            return (f"{current} är en symbolisk länk; kansli läser bara filer som ligger i planens mapp, "
                    "så kopiera dit filen själv")
    return None


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
        check_parts(path)  # sizes and element counts before python-docx parses any part
    except ZipRefused as exc:
        return f"filen är inget läsbart Word-dokument ({exc}): {path}"
    try:
        Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as exc:
        return f"filen är inget läsbart Word-dokument ({type(exc).__name__}): {path}"
    except OSError as exc:
        return f"filen kan inte läsas ({exc.strerror}): {path}"
    return None


def appendix_problems(plan: Verksamhetsplan, source: Path) -> list[Problem]:
    """Return an error for every appendix whose file is missing, unsupported or does not open."""
    out: list[Problem] = []
    for n, appendix in enumerate(plan.bilagor, start=1):
        why = place_problem(appendix, source) or appendix_problem(appendix_path(appendix, source))
        if why is not None:
            out.append(Problem(f"bilagor[{n - 1}].fil", f"Bilaga {n} (»{appendix.titel}«): {why}"))
    return out
