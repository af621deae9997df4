"""The Engine protocol and the one registry that maps engine names to engines."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from ..errors import EngineError


class Engine(Protocol):
    """Turns a .docx into a PDF. Implementations raise EngineError/EngineUnavailable, never crash."""

    name: str

    def check(self) -> None:
        """Raise EngineUnavailable (with a message that says how to fix it) if it cannot run here."""

    def convert(self, docx: Path, pdf: Path) -> Path:
        """Write the PDF for *docx* to *pdf* (a staging path) and return *pdf*."""


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
