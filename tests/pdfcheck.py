"""PDF checks the tests share, done with pikepdf: qpdf's structural check, and the fonts and their embedding."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name


@dataclass(frozen=True)
class Font:
    """One font object of a PDF as pdffonts lists it: its name and whether its program is embedded."""

    name: str  # the BaseFont without the slash, e.g. "AAAAAA+Carlito-Bold"
    embedded: bool

    @property
    def family(self) -> str:
        """Return the name without a subset prefix and style: "AAAAAA+Carlito-Bold" → "Carlito"."""
        return self.name.split("+", 1)[-1].split("-", 1)[0]


def check(pdf: Path) -> list[str]:
    """Return the problems qpdf's check finds in *pdf* (syntax, cross-references, streams); [] when clean."""
    with pikepdf.open(pdf) as doc:
        # pikepdf 10 renamed Pdf.check() to check_pdf_syntax(), which follows `qpdf --check` step by step.
        run = getattr(doc, "check_pdf_syntax", None) or doc.check
        return [str(problem) for problem in run()]


def fonts(pdf: Path) -> list[Font]:
    """Return every font object *pdf* uses on its pages, in their forms and in annotation appearances."""
    found: list[Font] = []
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            appearances = [annot.AP.get("/N") for annot in page.obj.get("/Annots") or [] if "/AP" in annot]
            holders = [page.resources] + [ap.get("/Resources") for ap in appearances if isinstance(ap, pikepdf.Stream)]
            for font in (font for holder in holders for font in _fonts_in(holder, seen)):
                if font.is_indirect and font.objgen in seen:
                    continue
                if font.is_indirect:
                    seen.add(font.objgen)
                found.append(Font(str(font.get("/BaseFont", "")).lstrip("/"), _embedded(font)))
    return found


def _fonts_in(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Object]:
    """Yield the font dictionaries of a resource dictionary and of the form XObjects it names."""
    if not isinstance(resources, Dictionary):
        return
    yield from (resources.get("/Font") or Dictionary()).values()
    for form in (resources.get("/XObject") or Dictionary()).values():
        if form.get("/Subtype") == Name.Form and form.objgen not in seen:
            seen.add(form.objgen)
            yield from _fonts_in(form.get("/Resources"), seen)


def _embedded(font: pikepdf.Object) -> bool:
    """Return True when the font program is in the file (a Type 3 font is drawn by the file itself)."""
    if font.get("/Subtype") == Name.Type3:
        return True
    if font.get("/Subtype") == Name.Type0:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def uncompressed(pdf: Path) -> bytes:
    """Return *pdf* as `qpdf --qdf` writes it: every stream decoded, no object streams, to search in."""
    out = io.BytesIO()
    with pikepdf.open(pdf) as doc:
        doc.save(out, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
    return out.getvalue()
