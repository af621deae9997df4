"""The mark on every appendix page, »Bilaga 1, sida 2 av 4«, drawn and laid over the page.

The marks are drawn with reportlab in the shipped Carlito (embedded, with its Unicode map, so the
text can be searched and the archive copy holds its fonts), one page of marks for each page of the
appendix and of its size, and laid over the page as a form under a fixed resource name: the same
plan gives the same PDF, byte for byte.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from pikepdf import Rectangle
from reportlab.lib.colors import Color, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..engines.builtin.fonts import SHIPPED_DIR

FONT = "KansliMark"
FONT_FILE = SHIPPED_DIR / "Carlito-Bold.ttf"
SIZE = 10.0
TOP, RIGHT = 0.8 * 72 / 2.54, 1.2 * 72 / 2.54  # from the page's top and right edges, as in the plan's margins
PAD = 2.0
INK = Color(0.12, 0.31, 0.47)  # the plan's accent colour
RESOURCE = "/KansliBilaga"


def mark_text(label: str, page: int, pages: int) -> str:
    """Return »Bilaga 1, sida 2 av 4«."""
    return f"{label}, sida {page} av {pages}"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def marks_pdf(label: str, sizes: Sequence[tuple[float, float]]) -> bytes:
    """Return a PDF with one page per size in *sizes*, each carrying its mark in the top right corner."""
    out = io.BytesIO()
    font = _font()
    # invariant: no dates or random ids; the initial font too is ours (else an unembedded Helvetica)
    canvas = Canvas(out, invariant=True, pageCompression=1, initialFontName=font, initialFontSize=SIZE)
    for number, (width, height) in enumerate(sizes, start=1):
        canvas.setPageSize((width, height))
        text = mark_text(label, number, len(sizes))
        wide = pdfmetrics.stringWidth(text, font, SIZE)
        x, y = width - RIGHT - wide, height - TOP - SIZE
        canvas.setFillColor(white)  # readable on a coloured cover too
        canvas.rect(x - PAD, y - PAD - 0.25 * SIZE, wide + 2 * PAD, SIZE * 1.2 + 2 * PAD, stroke=0, fill=1)
        canvas.setFillColor(INK)
        canvas.setFont(font, SIZE)
        canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _rotation(page: pikepdf.Page) -> int:
    return int(page.obj.get("/Rotate", 0)) % 360


def _visible_size(page: pikepdf.Page) -> tuple[float, float]:
    """Return the page's width and height as the reader sees them (a page turned a quarter shows sideways)."""
    box = Rectangle(page.cropbox)
    width, height = float(box.width), float(box.height)
    return (height, width) if _rotation(page) in (90, 270) else (width, height)


def lay_marks(doc: pikepdf.Pdf, first: int, label: str) -> None:
    """Lay »label, sida k av n« over pages *first*… of *doc* (the n pages of one appendix).

    The mark stands in the corner the reader sees as top right, also on a page turned by /Rotate.
    """
    pages = list(doc.pages)[first:]
    with pikepdf.open(io.BytesIO(marks_pdf(label, [_visible_size(p) for p in pages]))) as marks:
        for page, mark in zip(pages, marks.pages, strict=True):
            _overlay(doc, page, mark)


def _placement(page: pikepdf.Page) -> str:
    """Return the matrix that maps the visible page (origin bottom left) onto the page's own space."""
    box = Rectangle(page.cropbox)
    x0, y0, w, h = float(box.llx), float(box.lly), float(box.width), float(box.height)
    a, b, c, d, e, f = {0: (1, 0, 0, 1, 0, 0), 90: (0, 1, -1, 0, w, 0), 180: (-1, 0, 0, -1, w, h),
                        270: (0, -1, 1, 0, 0, h)}.get(_rotation(page), (1, 0, 0, 1, 0, 0))
    return f"{a} {b} {c} {d} {e + x0:.4f} {f + y0:.4f} cm"


def _overlay(doc: pikepdf.Pdf, page: pikepdf.Page, mark: pikepdf.Page) -> None:
    """Lay *mark* over *page* like Page.add_overlay, but under a fixed resource name (deterministic)."""
    form = doc.copy_foreign(mark.as_form_xobject())
    resources = page.obj.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        page.obj.Resources = resources = pikepdf.Dictionary()
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        resources.XObject = xobjects = pikepdf.Dictionary()
    name, n = RESOURCE, 1
    while name in xobjects:
        n += 1
        name = f"{RESOURCE}{n}"
    xobjects[name] = form
    page.contents_add(b"q\n", prepend=True)
    # marked as an artifact: page furniture, which a tagged PDF's reader skips
    page.contents_add(f"Q\n/Artifact <</Type /Pagination /Subtype /Header>> BDC q {_placement(page)} {name} Do Q EMC\n".encode(),
                      prepend=False)
    page.contents_coalesce()
