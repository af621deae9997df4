"""The Engine interface (docx in, PDF out) and the one registry that maps engine names to engines."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from ..errors import EngineError


class Engine(ABC):
    """Turns a .docx into a PDF. Implementations raise EngineError/EngineUnavailable, never crash."""

    name: str
    pdf_ua = False  # True when its PDFs are tagged for PDF/UA-1 (the finishing stage then declares it)

    @abstractmethod
    def check(self) -> None:
        """Raise EngineUnavailable (with a message that says how to fix it) if it cannot run here."""

    @abstractmethod
    def convert(self, docx: Path, pdf: Path) -> Path:
        """Write the PDF for *docx* to *pdf* (a staging path) and return *pdf*."""

    def convert_many(self, jobs: Sequence[tuple[Path, Path]]) -> list[Path | EngineError]:
        """Convert each (docx, pdf) pair; return, in order, each written PDF or the error it met.

        The default converts one after the other; an engine with a costly start (LibreOffice)
        does them all in one start.
        """
        done: list[Path | EngineError] = []
        for docx, pdf in jobs:
            try:
                done.append(self.convert(docx, pdf))
            except EngineError as exc:
                done.append(exc)
        return done


# name -> "module:Class"; imported lazily so a missing optional engine costs nothing.
ENGINES: dict[str, str] = {
    "builtin": "pipeline.engines.builtin:BuiltinEngine",
    "libreoffice": "pipeline.engines.libreoffice:LibreOfficeEngine",
}

DEFAULT_ENGINE = "builtin"


def get_engine(name: str = DEFAULT_ENGINE) -> Engine:
    """Return the engine registered as *name*; raise EngineError for an unknown name."""
    try:
        ref = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise EngineError(f"okänd motor {name!r}; välj en av: {known}") from None
    module_name, _, cls_name = ref.partition(":")
    try:
        engine: Engine = getattr(importlib.import_module(module_name), cls_name)()
    except (ImportError, AttributeError) as exc:
        raise EngineError(f"motorn {name!r} kunde inte laddas: {exc}") from exc
    return engine
