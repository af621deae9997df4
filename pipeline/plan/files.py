"""The files a plan names: each appendix must exist and open as a PDF or a Word document, and each
picture must lie in the plan's folder and open as a PNG, JPEG or SVG image."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pikepdf
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree
from PIL import Image, UnidentifiedImageError

from ..errors import Problem, os_reason
from ..zipguard import ZipRefused, check_parts
from .figures import MAX_PIXELS, RASTER
from .figures import SUPPORTED as PICTURES
from .model import Appendix, Figure, Verksamhetsplan

MAX_PICTURE_BYTES = 20_000_000

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
        return f"filen kan inte läsas ({os_reason(exc)}): {path}"
    return None


def appendix_problems(plan: Verksamhetsplan, source: Path) -> list[Problem]:
    """Return an error for every appendix whose file is missing, unsupported or does not open."""
    out: list[Problem] = []
    for n, appendix in enumerate(plan.bilagor, start=1):
        why = place_problem(appendix, source) or appendix_problem(appendix_path(appendix, source))
        if why is not None:
            out.append(Problem(f"bilagor[{n - 1}].fil", f"Bilaga {n} (»{appendix.titel}«): {why}"))
    return out


def picture_problem(figure: Figure, source: Path) -> str | None:
    """Return why the picture of *figure* cannot be used (in Swedish), or None.

    The policy: a path relative to the plan's JSON file *source*, to a file in its folder or below
    (a plan that is moved or shared takes its pictures along, and a plan cannot make kansli read
    another file on the machine).
    """
    folder = source.parent.resolve()
    if Path(figure.bild).is_absolute() or figure.bild.startswith("~"):
        return f"ange bilden relativt planens fil, t.ex. »bilder/bild.png«, inte {figure.bild}"
    path = (source.parent / figure.bild).resolve()
    if not path.is_relative_to(folder):
        return f"bilden ska ligga i planens mapp eller en undermapp till den: {figure.bild}"
    if path.suffix.lower() not in PICTURES:
        return f"filtypen {path.suffix or '(ingen)'} stöds inte; en bild ska vara PNG, JPEG eller SVG: {figure.bild}"
    if not path.is_file():
        return f"bilden finns inte: {figure.bild}"
    if path.stat().st_size > MAX_PICTURE_BYTES:
        return f"bilden är större än {MAX_PICTURE_BYTES // 1_000_000} MB; spara den mindre: {figure.bild}"
    return _raster_problem(path, figure.bild) if path.suffix.lower() in RASTER else _svg_problem(path, figure.bild)


def _raster_problem(path: Path, name: str) -> str | None:
    try:
        with Image.open(path) as img:
            if img.format not in ("PNG", "JPEG"):
                return f"filen är ingen PNG- eller JPEG-bild (den är {img.format}): {name}"
            if img.width * img.height > MAX_PIXELS:
                return f"bilden har för många bildpunkter ({img.width} × {img.height}); spara den mindre: {name}"
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return f"filen är ingen läsbar bild ({type(exc).__name__}): {name}"
    return None


def _svg_problem(path: Path, name: str) -> str | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        return f"filen är ingen läsbar SVG-bild ({type(exc).__name__}): {name}"
    if etree.QName(root).localname != "svg":
        return f"filen är ingen SVG-bild (den börjar med <{etree.QName(root).localname}>): {name}"
    return None


def figure_problems(plan: Verksamhetsplan, source: Path) -> list[Problem]:
    """Return an error for every picture outside the plan's folder, missing, or not a usable image."""
    out: list[Problem] = []
    for where, figure in plan.figures():
        why = picture_problem(figure, source)
        if why is not None:
            out.append(Problem(f"{where}.bild", why))
    return out


def plan_files(plan: Verksamhetsplan, source: Path) -> list[Problem]:
    """Return every problem with the files *plan* names: its appendices and its pictures."""
    return appendix_problems(plan, source) + figure_problems(plan, source)
