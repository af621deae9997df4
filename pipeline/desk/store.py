"""Saving a meeting file from the form: atomic, formatted like the examples, never over someone else's change.

Each page holds the *version* of the file it was loaded from (a hash of its bytes). A save whose
version is not the file's version on disk is a conflict: the file changed meanwhile (in an editor,
in another tab) and is not overwritten; the form offers to reload it or to keep both.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..outputs import write_atomic

_LOCK = threading.Lock()  # one save at a time in this server: the check and the write go together


@dataclass(frozen=True)
class Saved:
    """The outcome of one save: the new version, or the version found on disk when it conflicted."""

    version: str
    conflict: bool = False
    changed: bool = True


def version_of(data: bytes) -> str:
    """Return the version string of a file's bytes."""
    return hashlib.sha256(data).hexdigest()[:24]


def current_version(path: Path) -> str:
    """Return the version of *path* as it is on disk now ("" when it does not exist)."""
    try:
        return version_of(path.read_bytes())
    except FileNotFoundError:
        return ""


def text_of(data: Any) -> str:
    """Return *data* as JSON text in the examples' style (the meeting contract's key order)."""
    from ..jsontext import dumps
    from ..meeting.model import Minnesanteckningar

    return dumps(data, Minnesanteckningar)


def save(path: Path, data: Any, version: str) -> Saved:
    """Write *data* to *path* if the file on disk is still at *version*; else report the conflict."""
    text = text_of(data).encode("utf-8")
    with _LOCK:
        on_disk = current_version(path)
        new = version_of(text)
        if new == on_disk:  # nothing to write (also when two saves of the same text cross)
            return Saved(new, changed=False)
        if on_disk != version:
            return Saved(on_disk, conflict=True, changed=False)
        write_atomic(path, text)
        return Saved(new)


def create(path: Path, data: Any) -> Path:
    """Write *data* as a new file *path*; refuse to replace a file that exists."""
    with _LOCK:
        if path.exists():
            raise InputError("filen finns redan och skrivs inte över", path=path)
        write_atomic(path, text_of(data).encode("utf-8"))
    return path


def free_name(folder: Path, stem: str, suffix: str = ".json") -> Path:
    """Return a path in *folder* named after *stem* that does not exist yet (stem-2, stem-3, …)."""
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip(".-") or "möte"
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def keep_both(path: Path, data: Any, when: datetime) -> Path:
    """Write the form's *data* beside *path* under a new name (the file on disk stays); return it."""
    return create(free_name(path.parent, f"{path.stem}-kopia-{when:%H%M%S}"), data)
