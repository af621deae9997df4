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
from typing import Any

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
        self._good: dict[Path, str] = {}  # the newest version of each file that made a PDF
        self._lock = threading.Lock()  # one engine run at a time

    def close(self) -> None:
        """Remove the scratch folder."""
        shutil.rmtree(self.root, ignore_errors=True)

    def get(self, source: Path, version: str, stage: str | None, label: str) -> tuple[Preview, Preview]:
        """Return the preview of *source* at *version* in the document *stage* (made if needed), and the
        one to show: itself when it made a PDF, else the newest that did (the page stays while you fix)."""
        key = (source, version)
        with self._lock:
            made = self._made.get(key)
            if made is None:
                made = self._make(source, version, stage, label)
                self._made[key] = made
            if made.pdf is not None:
                self._good[source] = version
            good = self._good.get(source)
            # keep the newest few and the newest good one: a preview is asked for only while on screen
            for old in [k for k in self._made if k[0] == source and k[1] != good][:-2]:
                self._forget(old)
            shown = self._made.get((source, good), made) if good is not None else made
            return made, shown

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

    def warm(self, meeting: dict[str, Any]) -> None:
        """Make *meeting*'s preview in both of its stages (loads the engine, templates and fonts)."""
        import json

        from .. import api

        folder = Path(tempfile.mkdtemp(dir=self.root))
        kallelse = {k: v for k, v in meeting.items() if k not in ("deltagare", "sekreterare", "justerare")}
        for n, data in enumerate((meeting, kallelse)):
            source = folder / f"uppvärmning-{n}.json"
            source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            stage, _ = api.check_data(data, source)
            if stage is not None:
                with self._lock:
                    self._make(source, "", stage.name, stage.label)
        shutil.rmtree(folder, ignore_errors=True)

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
