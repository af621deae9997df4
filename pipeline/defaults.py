"""Where the default Word templates are: pipeline/templates (a link to the top-level templates/)."""

from __future__ import annotations

from pathlib import Path

from .errors import TemplateError

_HERE = Path(__file__).resolve().parent
_PLACES = (_HERE / "templates", _HERE.parent / "templates")


def default_template(name: str) -> Path:
    """Return the path of the default template *name* ('minnesanteckningar.docx')."""
    for folder in _PLACES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise TemplateError(f"standardmallen {name} saknas i installationen; installera om kansli")


ORGANISATION = "Södertörnskommunernas samverkan"
"""The author of every document kansli makes, unless the document says otherwise."""
