"""The live preview: the current stage's document from the builtin engine, shown as page images.

A preview is made from the saved file (the form saves first) into a scratch folder through
`api.build`, the same road as the commands; it is kept by the file's version, so asking again for
an unchanged file costs nothing, and its pages are drawn to PNG only when the browser asks.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KansliError

SCALE = 1.25  # 90 dpi: sharp beside the form on a laptop screen, small enough to send at once


@dataclass
class Preview:
    """One made preview: the PDF, its page count, the document's label, and why it failed (if it did)."""

    version: str
    pdf: Path | None
    pages: int
    label: str
    problem: str = ""
    images: dict[int, bytes] = field(default_factory=dict)


class Previews:
    """The previews of one server run, in a scratch folder removed when the server stops."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kansli-desk-"))
        self._made: dict[tuple[Path, str], Preview] = {}
        self._lock = threading.Lock()  # one engine run at a time

    def close(self) -> None:
        """Remove the scratch folder."""
        shutil.rmtree(self.root, ignore_errors=True)

    def get(self, source: Path, version: str, stage: str | None, label: str) -> Preview:
        """Return the preview of *source* at *version* in the document *stage*, making it if needed."""
        key = (source, version)
        with self._lock:
            if key in self._made:
                return self._made[key]
            made = self._make(source, version, stage, label)
            # keep the newest few: a preview is asked for again only while it is on screen
            for old in [k for k in self._made if k[0] == source][:-2]:
                self._forget(old)
            self._made[key] = made
            return made

    def _forget(self, key: tuple[Path, str]) -> None:
        gone = self._made.pop(key)
        if gone.pdf is not None:
            shutil.rmtree(gone.pdf.parent, ignore_errors=True)

    def _make(self, source: Path, version: str, stage: str | None, label: str) -> Preview:
        from .. import api

        if stage is None:
            return Preview(version, None, 0, label, "förhandsvisningen visas när felen är rättade")
        out = Path(tempfile.mkdtemp(dir=self.root))
        try:
            built = api.build(stage, source, out, engine="builtin", force=True)
        except KansliError as exc:
            shutil.rmtree(out, ignore_errors=True)
            return Preview(version, None, 0, label, exc.message)
        pdf = next(p for p in built.outputs if p.suffix == ".pdf")
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(pdf)
        try:
            pages = len(document)
        finally:
            document.close()
        return Preview(version, pdf, pages, label)

    def page(self, source: Path, version: str, number: int) -> bytes | None:
        """Return page *number* (1-based) of a made preview as PNG, or None if there is no such page."""
        with self._lock:
            made = self._made.get((source, version))
            if made is None or made.pdf is None or not 1 <= number <= made.pages:
                return None
            if number not in made.images:
                made.images[number] = _png(made.pdf, number)
            return made.images[number]


def _png(pdf: Path, number: int) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[number - 1].render(scale=SCALE).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()
    finally:
        document.close()
