"""The builtin PDF engine: a pure-Python docx → PDF converter (lxml to read, reportlab to lay out)."""

from __future__ import annotations

import gc
import logging
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree
from reportlab.platypus.doctemplate import LayoutError

from ...clock import now
from ...errors import EngineError, os_reason
from ..base import Engine
from . import fonts
from .layout import LayoutLimit, render
from .model import Document
from .package import Package, PackageError
from .reader import Reader

log = logging.getLogger("kansli")

GC_THRESHOLD = 50_000  # objects allocated between young collections while converting (Python's default: 700)
_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with the cyclic garbage collector waking less often.

    Reading and laying out a document allocates many small objects that live until the PDF is
    written; with the default threshold the collector scans them again and again (about an eighth
    of the conversion time). Nested or concurrent uses restore the setting when the last one ends."""
    global _gc_depth, _gc_saved
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], GC_THRESHOLD), *_gc_saved[1:])
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_saved)


def read_document(docx: Path) -> tuple[Document, list[str]]:
    """Return the document model of *docx* and the unsupported features it uses (each named once)."""
    warnings: list[str] = []

    def warn(feature: str) -> None:
        if feature not in warnings:
            warnings.append(feature)

    try:
        pkg = Package(docx)
    except FileNotFoundError as exc:
        raise EngineError("filen finns inte", path=docx) from exc
    except (PackageError, OSError) as exc:
        raise EngineError(f"kan inte läsa dokumentet: {exc}", path=docx) from exc
    try:
        return Reader(pkg, warn).read(), warnings
    except PackageError as exc:
        raise EngineError(f"kan inte läsa dokumentet: {exc}", path=docx) from exc
    except RecursionError as exc:
        raise EngineError("kan inte läsa dokumentet: det är för djupt nästlat", path=docx) from exc
    except (ValueError, KeyError, etree.LxmlError, zipfile.BadZipFile) as exc:  # the library's words are English
        raise EngineError(f"kan inte läsa dokumentet: ett värde i dokumentets XML är ogiltigt ({type(exc).__name__})",
                          path=docx) from exc
    finally:
        pkg.close()


class BuiltinEngine(Engine):
    """Converts .docx to PDF in-process; needs nothing beyond the Python packages."""

    name = "builtin"
    pdf_ua = True

    def __init__(self) -> None:
        self._said: set[str] = set()  # a document converted again (the plan's contents pass) warns once

    def _warn(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            log.warning("%s", message)

    def check(self) -> None:
        """Nothing to check: everything the engine needs comes with `pip install`."""

    def convert(self, docx: Path, pdf: Path) -> Path:
        """Write the PDF for *docx* to *pdf* and return *pdf*."""
        with fewer_collections():
            return self._convert(docx, pdf)

    def _convert(self, docx: Path, pdf: Path) -> Path:
        doc, warnings = read_document(docx)
        for feature in warnings:
            self._warn(f"{docx.name}: stöds inte fullt ut av motorn builtin: {feature}")
        for family in doc.families():
            used = fonts.stand_in(family)
            if used is not None:
                self._warn(f"{docx.name}: typsnittet »{family}« finns varken i kansli eller på datorn; "
                           f"{used} används i stället")
        try:
            with open(pdf, "wb") as out:
                render(doc, out, now())
        except OSError as exc:
            raise EngineError(f"kan inte skriva PDF-filen: {os_reason(exc)}", path=pdf) from exc
        except (LayoutError, LayoutLimit) as exc:
            raise EngineError(f"dokumentet går inte att sidbryta: {exc}", path=docx) from exc
        except RecursionError as exc:
            raise EngineError("dokumentet är för djupt nästlat", path=docx) from exc
        except Exception as exc:  # the engine must never crash: anything else is a layout failure
            # the library's own words are English (or "None"): the kind of failure is enough, --debug shows more
            raise EngineError(f"motorn builtin kunde inte göra PDF av dokumentet ({type(exc).__name__}); "
                              "prova --engine libreoffice", path=docx) from exc
        return pdf
