"""Text out of PDFs (pdfium, through pypdfium2): the words of every page, and where a piece of text sits."""

from __future__ import annotations

import ctypes
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import InputError, os_reason

# Where a run's own width is unknown, a glyph is taken to be this wide, in units of the font size;
# right for the sans and serif faces our engines use (Carlito, Liberation, Vera average 0.45-0.55).
AVERAGE_GLYPH_WIDTH = 0.5


class Hit(NamedTuple):
    """Where a needle was found: page (0-based) and the box of its line fragment, in PDF points.

    x and y are the left end of the needle's baseline measured from the page's lower-left corner
    (exact when the needle starts a run of text, estimated inside one); height is the font size;
    width is estimated from the number of characters.
    """

    page: int
    x: float
    y: float
    width: float
    height: float


class Fragment(NamedTuple):
    """One run of text on one line, with its baseline start, font size and (when known) its width."""

    text: str
    x: float
    y: float
    size: float
    span: float | None = None  # the run's drawn width in points, when the reader measured it

    @property
    def width(self) -> float:
        """Return the width of the run in points: measured, or estimated from its length."""
        return self.span if self.span is not None else AVERAGE_GLYPH_WIDTH * self.size * len(self.text)

    def offset(self, chars: int) -> float:
        """Return how far from the run's start its character number *chars* begins, in points."""
        if not self.text:
            return 0.0
        return self.width * chars / len(self.text)


HYPHEN_AT_END = "\ufffe"  # pdfium's mark for a hyphen that ends a line: the hyphen drawn there


def normalise(text: str) -> str:
    """Return *text* with ligatures unfolded (NFKC) and every run of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text.replace(HYPHEN_AT_END, "-")).split())


def read_bytes(pdf: Path) -> bytes:
    """Return the bytes of the file *pdf*; InputError (in Swedish, naming it) when it cannot be read."""
    try:
        return pdf.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", path=pdf) from exc
    except OSError as exc:
        raise InputError(f"filen kan inte läsas: {os_reason(exc)}", path=pdf) from exc


def _open(pdf: Path) -> pdfium.PdfDocument:
    """Return the PDF *pdf* opened with pdfium, turning every failure into an InputError."""
    data = read_bytes(pdf)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(f"filen är ingen läsbar PDF ({exc})", path=pdf) from exc


def _scale(textpage: Any, index: int) -> float:
    """Return how much the text matrix and the page's transformation enlarge character *index*."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix)):
        return 1.0
    return abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0


def _advance_end(textpage: Any, index: int, fallback: float) -> float:
    """Return where character *index* ends by its advance width (its loose box), or *fallback*."""
    box = pdfium_c.FS_RECTF()
    if index >= 0 and pdfium_c.FPDFText_GetLooseCharBox(textpage, index, ctypes.byref(box)):
        return float(box.right)
    return fallback


class PdfText:
    """The text of one PDF, read page by page on demand (each page at most once)."""

    def __init__(self, pdf: Path) -> None:
        self.path = pdf
        self.document = _open(pdf)
        self._fragments: dict[int, list[Fragment]] = {}
        self._boxes: dict[int, tuple[float, float, float, float]] = {}  # loading a page again costs more than reading

    def __len__(self) -> int:
        return len(self.document)

    def mediabox(self, index: int) -> tuple[float, float, float, float]:
        """Return the media box (x0, y0, x1, y1) of page *index*."""
        if index not in self._boxes:
            left, bottom, right, top = self.document[index].get_mediabox()
            self._boxes[index] = float(left), float(bottom), float(right), float(top)
        return self._boxes[index]

    def _textpage(self, index: int) -> pdfium.PdfTextPage:
        try:
            return self.document[index].get_textpage()
        except pdfium.PdfiumError as exc:
            raise InputError(f"texten i PDF-filen kan inte läsas ({exc})", path=self.path) from exc

    def text(self, index: int) -> str:
        """Return the extracted text of page *index*, lines separated by newlines."""
        text: str = self._textpage(index).get_text_range().replace(HYPHEN_AT_END, "-")
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))

    def fragments(self, index: int) -> list[Fragment]:
        """Return the runs of text on page *index* (one per stretch of a line), with their positions."""
        if index not in self._fragments:
            textpage = self._textpage(index)
            raw = textpage.raw
            found: list[Fragment] = []
            x, y = ctypes.c_double(), ctypes.c_double()
            for rect in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(rect)
                drawn = textpage.get_text_bounded(left, bottom, right, top)
                clean = normalise(drawn)
                first = pdfium_c.FPDFText_GetCharIndexAtPos(raw, left + 0.5, (bottom + top) / 2,
                                                            max(right - left, 1.0), max(top - bottom, 1.0))
                if not clean or first < 0 or not pdfium_c.FPDFText_GetCharOrigin(
                        raw, first, ctypes.byref(x), ctypes.byref(y)):
                    continue
                size = pdfium_c.FPDFText_GetFontSize(raw, first) * _scale(raw, first)
                found.append(Fragment(clean, x.value, y.value, size,
                                      _advance_end(raw, first + len(drawn.rstrip()) - 1, right) - x.value))
            self._fragments[index] = found
        return self._fragments[index]

    def find(self, needle: str, pages: Iterable[int] | None = None) -> list[Hit]:
        """Return a Hit for every occurrence of *needle* on *pages* (default all), in reading order."""
        wanted = normalise(needle)
        if not wanted:
            raise ValueError("find needs a non-empty needle")
        hits: list[Hit] = []
        for index in range(len(self)) if pages is None else pages:
            for row in lines(self.fragments(index)):
                hits.extend(_line_hits(index, row, wanted))
        return hits


def page_texts(pdf: Path) -> list[str]:
    """Return the extracted text of every page of *pdf*, in page order."""
    text = PdfText(pdf)
    return [text.text(i) for i in range(len(text))]


def page_fragments(pdf: Path) -> list[list[Fragment]]:
    """Return, for each page of *pdf*, the text runs drawn on it with their positions."""
    text = PdfText(pdf)
    return [text.fragments(i) for i in range(len(text))]


def lines(fragments: list[Fragment]) -> list[list[Fragment]]:
    """Return *fragments* grouped into lines (same baseline), top to bottom, each left to right."""
    rows: list[list[Fragment]] = []
    for frag in sorted(fragments, key=lambda f: (-f.y, f.x)):
        if rows and abs(rows[-1][0].y - frag.y) <= 0.25 * max(frag.size, 1.0):
            rows[-1].append(frag)
        else:
            rows.append([frag])
    return [sorted(row, key=lambda f: f.x) for row in rows]


def _line_hits(page: int, row: list[Fragment], needle: str) -> Iterator[Hit]:
    """Yield a Hit for each place where *needle* occurs in one line, within or across runs."""
    joined = ""
    starts: list[tuple[int, Fragment]] = []
    for frag in row:
        if joined:
            joined += " "
        starts.append((len(joined), frag))
        joined += frag.text
    at = joined.find(needle)
    while at >= 0:
        end = at + len(needle)
        first_at, first = max((s for s in starts if s[0] <= at), key=lambda s: s[0])
        last_at, last = max((s for s in starts if s[0] < end), key=lambda s: s[0])
        left = first.x + first.offset(at - first_at)
        right = last.x + last.offset(end - last_at)
        yield Hit(page, left, first.y, max(right - left, 0.0), first.size)
        at = joined.find(needle, end)


def find_text(pdf: Path, needle: str) -> list[Hit]:
    """Return a Hit for every occurrence of *needle* in a line of *pdf*, in reading order.

    Matching is exact after normalising whitespace and ligatures; a needle split over several
    runs of the same line (as some producers draw words one by one) is found too.
    """
    return PdfText(pdf).find(needle)
