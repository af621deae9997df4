"""Text out of PDFs (pypdf): the words of every page, and where on a page a piece of text sits."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from .errors import InputError

# Without font metrics at hand a glyph is taken to be this wide, in units of the font size;
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
    """One run of text as the content stream draws it, with its baseline start and font size."""

    text: str
    x: float
    y: float
    size: float

    @property
    def width(self) -> float:
        """Return the estimated width of the run in points."""
        return AVERAGE_GLYPH_WIDTH * self.size * len(self.text)


def normalise(text: str) -> str:
    """Return *text* with ligatures unfolded (NFKC) and every run of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _reader(pdf: Path) -> PdfReader:
    """Return a PdfReader for *pdf*, turning every failure into an InputError."""
    try:
        reader = PdfReader(pdf)
        _ = len(reader.pages)
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", path=pdf) from exc
    except OSError as exc:
        raise InputError(f"filen kan inte läsas: {exc.strerror}", path=pdf) from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
        raise InputError(f"filen är ingen läsbar PDF ({exc})", path=pdf) from exc
    return reader


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """Return the product m × n of two PDF matrices [a b c d e f]."""
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


class PdfText:
    """The text of one PDF, read page by page on demand (each page at most once)."""

    def __init__(self, pdf: Path) -> None:
        self.path = pdf
        self.reader = _reader(pdf)
        self._fragments: dict[int, list[Fragment]] = {}

    def __len__(self) -> int:
        return len(self.reader.pages)

    def mediabox(self, index: int) -> tuple[float, float, float, float]:
        """Return the media box (x0, y0, x1, y1) of page *index*."""
        box = self.reader.pages[index].mediabox
        return float(box.left), float(box.bottom), float(box.right), float(box.top)

    def text(self, index: int) -> str:
        """Return the extracted text of page *index*."""
        try:
            return self.reader.pages[index].extract_text() or ""
        except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
            raise InputError(f"texten i PDF-filen kan inte läsas ({exc})", path=self.path) from exc

    def fragments(self, index: int) -> list[Fragment]:
        """Return the text runs drawn on page *index*, with their positions."""
        if index not in self._fragments:
            found: list[Fragment] = []

            def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
                clean = normalise(text)
                if clean:
                    m = _multiply([float(v) for v in tm], [float(v) for v in cm])
                    scale = abs(m[0] * m[3] - m[1] * m[2]) ** 0.5 or 1.0
                    found.append(Fragment(clean, m[4], m[5], float(size) * scale))

            try:
                self.reader.pages[index].extract_text(visitor_text=visit)
            except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
                raise InputError(f"texten i PDF-filen kan inte läsas ({exc})", path=self.path) from exc
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
        left = first.x + AVERAGE_GLYPH_WIDTH * first.size * (at - first_at)
        right = last.x + AVERAGE_GLYPH_WIDTH * last.size * (end - last_at)
        yield Hit(page, left, first.y, max(right - left, 0.0), first.size)
        at = joined.find(needle, end)


def find_text(pdf: Path, needle: str) -> list[Hit]:
    """Return a Hit for every occurrence of *needle* in a line of *pdf*, in reading order.

    Matching is exact after normalising whitespace and ligatures; a needle split over several
    runs of the same line (as some producers draw words one by one) is found too.
    """
    return PdfText(pdf).find(needle)
