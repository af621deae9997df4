"""Atomic outputs: files are staged in a temporary folder and renamed into place together."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KansliError, OutputError, Problem, os_reason


@dataclass
class Built:
    """The files a command wrote and the warnings it found on the way."""

    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the document did to the input, said to the user


def carries_signature(path: Path) -> bool:
    """Return True when *path* is a PDF holding at least one filled signature (a /ByteRange)."""
    try:
        with path.open("rb") as fh:
            return b"/ByteRange" in fh.read()
    except OSError:
        return False


KINDS = {"pdf": "en PDF", "docx": "ett Word-dokument", "json": "en JSON-fil", "ics": "en kalenderfil (.ics)",
         "csv": "en CSV-fil", "other": "en annan sorts fil"}
_SUFFIX_KIND = {".pdf": "pdf", ".docx": "docx", ".json": "json", ".ics": "ics", ".csv": "csv"}


def kind_of_bytes(head: bytes) -> str:
    """Return what the first bytes of a file say it is: pdf, docx, json, ics, other, or '' when empty."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return ""
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if text.upper().startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    if text[:1] in (b"{", b"["):
        return "json"
    first = head.split(b"\n", 1)[0]
    if head.startswith(b"\xef\xbb\xbf") and b";" in first and b"\x00" not in head:
        return "csv"  # what kansli writes for Excel: UTF-8 with a BOM, semicolons
    return "other"


def kind_of(path: Path) -> str:
    """Return the kind of the existing file *path* by its content ('' when empty or unreadable)."""
    try:
        with path.open("rb") as fh:
            return kind_of_bytes(fh.read(1024))
    except OSError:
        return ""


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def guard(target: Path, *, force: bool, inputs: Iterable[Path] = (), made: str | None = None) -> None:
    """Raise OutputError when writing *target* would destroy something (unless *force*).

    The one check every file kansli writes passes, before any work and again just before the
    rename: never one of the command's own *inputs*, never a signed PDF, never an existing file of
    another kind than *made* ("pdf", "docx", "json", "ics"; by default what the name's suffix says).
    A folder in the way is refused even with --force.
    """
    try:
        if target.is_dir():
            raise OutputError("är en mapp; ange ett filnamn, eller en annan mapp med -o", path=target)
        if target.exists() and not target.is_file():  # a pipe or a device (/dev/null) is never replaced
            raise OutputError("är ingen vanlig fil och skrivs inte över; ange ett annat namn med -o", path=target)
    except OSError as exc:  # a name too long, a loop of links
        raise OutputError(f"kan inte skriva filen: {os_reason(exc)}", path=target) from exc
    if force or not (target.exists() or target.is_symlink()):
        return
    if any(_same(target, source) for source in inputs):
        raise OutputError("är kommandots egen indata och skrivs inte över; välj ett annat namn på utfilen, "
                          "eller använd --force om du verkligen vill ersätta den", path=target)
    if carries_signature(target):
        raise OutputError(
            "filen är redan signerad och skrivs inte över; välj en annan mapp med -o, "
            "eller använd --force om du verkligen vill ersätta den",
            path=target,
        )
    made = made or _SUFFIX_KIND.get(target.suffix.lower(), "other")
    found = kind_of(target)
    if found and found != made:
        raise OutputError(f"filen finns redan och är {KINDS[found]}, men kommandot skriver {KINDS[made]}; "
                          "den skrivs inte över. Välj ett annat namn med -o, eller använd --force", path=target)


class Stage:
    """A temporary folder beside the outputs; `commit()` moves every staged file into place."""

    def __init__(self, out_dir: Path, inputs: Iterable[Path] = ()) -> None:
        self.out_dir = out_dir
        self.inputs = [p for p in inputs if p is not None]
        # the folders this run creates, deepest first; a failed run takes them away again
        self._created = [d for d in (out_dir, *out_dir.parents) if not d.exists() and not d.is_symlink()]
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputError("är en fil, inte en mapp; ange en mapp med -o", path=out_dir)
        for attempt in range(3):
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"kan inte skapa mappen: {os_reason(exc)}", path=out_dir) from exc
            try:
                self.tmp = Path(tempfile.mkdtemp(prefix=".kansli-", dir=out_dir))
                break
            except FileNotFoundError:  # another run (a worker of `kansli pdf`) took the empty folder away
                if attempt == 2:
                    raise OutputError("mappen försvann medan den skapades", path=out_dir) from None
            except OSError as exc:
                self._remove_created()
                raise OutputError(f"kan inte skriva i mappen: {os_reason(exc)}", path=out_dir) from exc
        self._targets: dict[Path, Path] = {}
        self._kinds: dict[Path, str | None] = {}

    def path(self, name: str, made: str | None = None) -> Path:
        """Return a staging path for the output file *name* (which lands in out_dir on commit).

        *made* is the kind of file written there ("pdf", "json", …) when the name does not say it.
        """
        staged = self.tmp / name
        self._targets[staged] = self.out_dir / name
        self._kinds[staged] = made
        return staged

    def scratch(self, name: str) -> Path:
        """Return a path for an intermediate file that is never moved into place."""
        return self.tmp / name

    def check(self, *, force: bool) -> None:
        """Raise before any work is done if a target may not be overwritten."""
        for staged, target in self._targets.items():
            guard(target, force=force, inputs=self.inputs, made=self._kinds[staged])

    def commit(self, *, force: bool) -> list[Path]:
        """Move every staged file into place (each by atomic rename) and return the targets."""
        for staged in self._targets:
            if not staged.exists():
                raise OutputError("internt fel: filen skapades aldrig", path=self._targets[staged])
        for staged, target in self._targets.items():  # the kind is known now: what was written
            guard(target, force=force, inputs=self.inputs, made=self._kinds[staged] or kind_of(staged) or None)
        done = []
        for staged, target in self._targets.items():
            try:
                os.replace(staged, target)
            except OSError as exc:
                raise OutputError(f"kan inte skriva filen: {os_reason(exc)}", path=target) from exc
            done.append(target)
        return done

    def discard(self) -> None:
        """Remove the staging folder and everything in it, and the output folders it made if still empty."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        self._remove_created()

    def _remove_created(self) -> None:
        for folder in self._created:
            try:
                folder.rmdir()
            except OSError:  # not empty: the run wrote its outputs there (or someone else did)
                break


@contextmanager
def staged(out_dir: Path, *, source: Path | None = None, inputs: Iterable[Path | None] = ()) -> Iterator[Stage]:
    """Yield a Stage in *out_dir*; whatever happens, the staging folder is gone afterwards.

    An error that names a file inside the staging folder (gone after the run) is made to name
    *source*, the user's file, instead. *source* and *inputs* are never overwritten (without --force).
    """
    stage = Stage(out_dir, [p for p in (source, *inputs) if p is not None])
    try:
        yield stage
    except KansliError as exc:
        if source is not None and exc.path is not None and stage.tmp in exc.path.parents:
            exc.path = source
        raise
    finally:
        stage.discard()


def write_atomic(target: Path, data: bytes, *, force: bool = False, inputs: Iterable[Path] = (),
                 made: str | None = None) -> Path:
    """Write *data* to *target* through a temporary file and a rename; return *target*.

    `guard` decides first whether *target* may be replaced; *made* is the kind of *data*
    ("pdf", "json", "ics", …), by default what its first bytes say.
    """
    made = made or kind_of_bytes(data[:1024]) or None
    guard(target, force=force, inputs=inputs, made=made)
    with staged(target.parent, inputs=inputs) as stage:
        stage.path(target.name, made).write_bytes(data)
        stage.commit(force=force)
    return target
