"""Atomic outputs: files are staged in a temporary folder and renamed into place together."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KansliError, OutputError, Problem


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


def guard(target: Path, *, force: bool) -> None:
    """Raise OutputError when writing *target* would destroy a signed PDF (unless *force*)."""
    if not force and target.suffix.lower() == ".pdf" and carries_signature(target):
        raise OutputError(
            "filen är redan signerad och skrivs inte över; välj en annan mapp med -o, "
            "eller använd --force om du verkligen vill ersätta den",
            path=target,
        )


class Stage:
    """A temporary folder beside the outputs; `commit()` moves every staged file into place."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        # the folders this run creates, deepest first; a failed run takes them away again
        self._created = [d for d in (out_dir, *out_dir.parents) if not d.exists()]
        for attempt in range(3):
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
                self.tmp = Path(tempfile.mkdtemp(prefix=".kansli-", dir=out_dir))
                break
            except FileNotFoundError:  # another run (a worker of `kansli pdf`) took the empty folder away
                if attempt == 2:
                    raise OutputError("mappen försvann medan den skapades", path=out_dir) from None
            except OSError as exc:
                raise OutputError(f"kan inte skapa mappen: {exc.strerror}", path=out_dir) from exc
        self._targets: dict[Path, Path] = {}

    def path(self, name: str) -> Path:
        """Return a staging path for the output file *name* (which lands in out_dir on commit)."""
        staged = self.tmp / name
        self._targets[staged] = self.out_dir / name
        return staged

    def scratch(self, name: str) -> Path:
        """Return a path for an intermediate file that is never moved into place."""
        return self.tmp / name

    def check(self, *, force: bool) -> None:
        """Raise before any work is done if a target may not be overwritten."""
        for target in self._targets.values():
            guard(target, force=force)

    def commit(self, *, force: bool) -> list[Path]:
        """Move every staged file into place (each by atomic rename) and return the targets."""
        self.check(force=force)
        for staged in self._targets:
            if not staged.exists():
                raise OutputError("internt fel: filen skapades aldrig", path=self._targets[staged])
        done = []
        for staged, target in self._targets.items():
            os.replace(staged, target)
            done.append(target)
        return done

    def discard(self) -> None:
        """Remove the staging folder and everything in it, and the output folders it made if still empty."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        for folder in self._created:
            try:
                folder.rmdir()
            except OSError:  # not empty: the run wrote its outputs there (or someone else did)
                break


@contextmanager
def staged(out_dir: Path, *, source: Path | None = None) -> Iterator[Stage]:
    """Yield a Stage in *out_dir*; whatever happens, the staging folder is gone afterwards.

    An error that names a file inside the staging folder (gone after the run) is made to name
    *source*, the user's file, instead.
    """
    stage = Stage(out_dir)
    try:
        yield stage
    except KansliError as exc:
        if source is not None and exc.path is not None and stage.tmp in exc.path.parents:
            exc.path = source
        raise
    finally:
        stage.discard()


def write_atomic(target: Path, data: bytes, *, force: bool = False) -> Path:
    """Write *data* to *target* through a temporary file and a rename; return *target*."""
    guard(target, force=force)
    with staged(target.parent) as stage:
        stage.path(target.name).write_bytes(data)
        stage.commit(force=force)
    return target
