"""Plan + appendices → one PDF: pages appended and marked, bookmarks (appendix outlines nested), page labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, String

from .. import structure
from ..errors import InputError, KansliError, os_reason
from ..finish import unembedded_fonts
from .stamps import lay_marks


@dataclass(frozen=True)
class Mark:
    """A bookmark: its title, the page it points to (0-based) and the bookmarks under it."""

    title: str
    page: int
    children: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Part:
    """An appendix to append: its PDF, the label of its pages ("Bilaga 1") and its bookmark title."""

    pdf: Path
    label: str
    title: str
    source: Path | None = field(default=None, compare=False)  # the user's file, named in messages
    marks: tuple[Mark, ...] = ()  # bookmarks (pages within the part) for a PDF that has none of its own
    stamped: bool = False  # every page gets its mark in the corner: »Bilaga 1, sida 2 av 4«


def _open(part: Part) -> pikepdf.Pdf:
    named = part.source or part.pdf
    try:
        pdf = pikepdf.open(part.pdf)
    except pikepdf.PasswordError as exc:
        raise InputError(f"{part.label}: PDF-filen är lösenordsskyddad", path=named) from exc
    except (pikepdf.PdfError, OSError) as exc:
        raise InputError(f"{part.label}: filen är ingen läsbar PDF", path=named) from exc
    if pdf.is_encrypted:
        pdf.close()
        raise InputError(f"{part.label}: PDF-filen är krypterad; använd en okrypterad kopia", path=named)
    # A user's PDF must bring its fonts; for a converted .docx, finish() judges the engine's work.
    user_pdf = part.source is not None and part.source.suffix.lower() == ".pdf"
    missing = unembedded_fonts(pdf) if user_pdf else []
    if missing:
        pdf.close()
        raise InputError(f"{part.label}: typsnitten {', '.join(missing)} är inte inbäddade, vilket arkivformatet "
                         "PDF/A kräver; spara bilagan som PDF igen med inbäddade typsnitt (t.ex. som PDF/A)",
                         path=named)
    return pdf


def page_count(pdf: Path) -> int:
    """Return the number of pages of *pdf*."""
    try:
        with pikepdf.open(pdf) as doc:
            return len(doc.pages)
    except (pikepdf.PdfError, OSError) as exc:
        raise InputError("filen är ingen läsbar PDF", path=pdf) from exc


def first_pages(pdf: Path, count: int, out: Path) -> Path:
    """Write the first *count* pages of *pdf* to *out* and return *out* (to read the plan part alone)."""
    with pikepdf.open(pdf) as doc, pikepdf.new() as head:
        head.pages.extend(doc.pages[:count])
        head.save(out)
    return out


def _page_index(pdf: pikepdf.Pdf, target: Any) -> int | None:
    """Return the index of the page a destination or action points to, or None."""
    if isinstance(target, Dictionary) and target.get("/S") == Name.GoTo:
        target = target.get("/D")
    if isinstance(target, Name | String):
        target = _named(pdf, target)
    if isinstance(target, Dictionary) and "/D" in target:
        target = target.D
    if isinstance(target, Array) and len(target) > 0:
        first = target[0]
        if isinstance(first, int):
            return first if 0 <= first < len(pdf.pages) else None
        if isinstance(first, Dictionary):
            for index, page in enumerate(pdf.pages):
                if page.obj.objgen == first.objgen:
                    return index
    return None


def _named(pdf: pikepdf.Pdf, name: Name | String) -> Any:
    root = pdf.Root
    if isinstance(name, Name) and "/Dests" in root:
        return root.Dests.get(str(name))
    if "/Names" in root and "/Dests" in root.Names:
        tree = pikepdf.NameTree(root.Names.Dests)
        key = str(name).lstrip("/")
        return tree.get(key)
    return None


def outline(pdf: pikepdf.Pdf, offset: int = 0) -> list[Mark]:
    """Return the bookmarks of *pdf* as Marks, their pages shifted by *offset*; dead ones dropped."""

    def walk(items: Any) -> list[Mark]:
        out: list[Mark] = []
        for item in items:
            page = _page_index(pdf, item.destination if item.destination is not None else item.action)
            children = tuple(walk(item.children))
            if page is None:
                out.extend(children)  # keep what lies under a bookmark that points nowhere
            else:
                out.append(Mark(str(item.title), page + offset, children))
        return out

    with pdf.open_outline() as tree:
        return walk(tree.root)


def _item(mark: Mark) -> OutlineItem:
    item = OutlineItem(mark.title, mark.page)
    item.children.extend(_item(child) for child in mark.children)
    return item


def _shift(mark: Mark, offset: int) -> Mark:
    return Mark(mark.title, mark.page + offset, tuple(_shift(c, offset) for c in mark.children))


def _clean_page(page: pikepdf.Page) -> None:
    """Make an appended page fit its new document.

    Signature widgets go (a merged copy can no longer be validly signed), and so do structure-tree
    references: they point into the appendix's own tree (structure.adopt carries it over and renumbers).
    """
    if "/StructParents" in page.obj:
        del page.obj["/StructParents"]
    annots = page.obj.get("/Annots")
    if not isinstance(annots, Array):
        return
    keep = [a for a in annots if not (isinstance(a, Dictionary) and a.get("/FT") == Name.Sig)]
    for annot in keep:
        if isinstance(annot, Dictionary) and "/StructParent" in annot:
            del annot["/StructParent"]
    if len(keep) != len(annots):
        page.obj.Annots = Array(keep)


def labels(main_pages: int, parts: Sequence[tuple[str, int]]) -> Dictionary:
    """Return a /PageLabels tree: 1, 2, … for the plan, then »Bilaga 1: 1«, … for each appendix."""
    nums: list[Any] = [0, Dictionary(S=Name.D)]
    at = main_pages
    for label, count in parts:
        nums += [at, Dictionary(S=Name.D, P=String(f"{label}: "), St=1)]
        at += count
    return Dictionary(Nums=Array(nums))


def assemble(main: Path, marks: Sequence[Mark], parts: Sequence[Part], out: Path) -> Path:
    """Write *main* followed by every appendix in *parts* to *out*, with bookmarks and page labels.

    The plan's own bookmarks are replaced by *marks*; each appendix gets a bookmark with its own
    bookmarks nested under it. Return *out*.
    """
    try:
        doc = pikepdf.open(main)
    except (pikepdf.PdfError, OSError) as exc:
        raise KansliError("motorns PDF-fil kan inte läsas", path=main) from exc
    with doc:
        main_pages = len(doc.pages)
        tops = list(marks)
        counts: list[tuple[str, int]] = []
        for part in parts:
            with _open(part) as appendix:
                offset = len(doc.pages)
                nested = outline(appendix, offset) or [_shift(m, offset) for m in part.marks]
                for page in appendix.pages:
                    doc.pages.append(page)
                    _clean_page(doc.pages[-1])
                if part.stamped:
                    lay_marks(doc, offset, part.label)  # its marks are artifacts already
                structure.adopt(doc, appendix, offset, stamped=False)
                counts.append((part.label, len(appendix.pages)))
                tops.append(Mark(part.title, offset, tuple(nested)))
        with doc.open_outline() as tree:
            tree.root.clear()
            tree.root.extend(_item(mark) for mark in tops)
        doc.Root.PageLabels = labels(main_pages, counts)
        doc.Root.PageMode = Name.UseOutlines
        try:
            doc.save(out, deterministic_id=True)
        except OSError as exc:
            raise KansliError(f"den sammanfogade PDF-filen kan inte skrivas: {os_reason(exc)}", path=out) from exc
    return out
