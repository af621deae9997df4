"""The one error hierarchy of kansli; the CLI maps it to exit codes in one place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
# Lists whose elements people count from 1 by a name: "punkter[3]" is what a reader calls "punkt 4".
_COUNTED = {"punkter": "punkt"}
_FIRST = re.compile(r"([^.\[\]]+)\[(\d+)\]")


def counted(where: str) -> str:
    """Return *where* led by the element as people count it: "punkter[3].rubrik" → "punkt 4, punkter[3].rubrik"."""
    found = _FIRST.match(where)
    if found is None or found[1] not in _COUNTED:
        return where
    return f"{_COUNTED[found[1]]} {int(found[2]) + 1}, {where}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in one input: where, and what."""

    where: str  # a field path ("punkter[3].beslut[0]"), "rad 12, kolumn 5", or "" for the whole file
    message: str
    warning: bool = False  # a warning is printed and the run goes on; an error stops it

    def __str__(self) -> str:
        return f"{counted(self.where)}: {self.message}" if self.where else self.message

    @property
    def loc(self) -> tuple[str | int, ...]:
        """Return the field path as steps: "punkter[3].rubrik" → ("punkter", 3, "rubrik"); () for the file."""
        if not self.where or self.where.startswith(("(", "rad ")):
            return ()
        return tuple(int(index) if index else name for index, name in _STEP.findall(self.where))


class KansliError(Exception):
    """Base of every error kansli raises on purpose; `exit_code` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path is not None else self.message


class InputError(KansliError):
    """The user's input (JSON, document, appendix) is wrong; may carry several problems."""

    def __init__(self, message: str, *, path: Path | str | None = None,
                 problems: Sequence[Problem] = ()) -> None:
        super().__init__(message, path=path)
        self.problems = list(problems)

    @classmethod
    def listing(cls, path: Path | str, problems: Sequence[Problem]) -> InputError:
        """Return an InputError headed "N fel i filen" that lists every one of *problems*."""
        return cls(f"{len(problems)} fel i filen", path=path, problems=problems)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class TemplateError(KansliError):
    """A Word template is broken (a bad tag, a missing variable)."""


class EngineError(KansliError):
    """A PDF engine failed on a document, or does not exist."""


class EngineUnavailable(EngineError):
    """The engine exists but cannot run here (e.g. LibreOffice is not installed)."""


class OutputError(KansliError):
    """An output cannot be written (refused overwrite of a signed PDF, unwritable folder)."""


class SignatureError(KansliError):
    """Signing or verifying failed (missing field, wrong passphrase, broken certificate)."""


class UsageError(KansliError):
    """The command was called wrongly; exit code 2 like click's own usage errors."""

    exit_code = 2


_OS_REASONS = {
    "EACCES": "saknar behörighet", "EPERM": "saknar behörighet", "EROFS": "filsystemet är skrivskyddat",
    "ENOSPC": "disken är full", "EDQUOT": "diskkvoten är slut", "ENOENT": "finns inte",
    "ENOTDIR": "en del av sökvägen är en fil, inte en mapp", "EISDIR": "är en mapp, inte en fil",
    "EEXIST": "en fil med det namnet står i vägen", "ENAMETOOLONG": "namnet är för långt",
    "ELOOP": "för många symboliska länkar", "EBUSY": "filen används", "ETXTBSY": "filen används",
    "EIO": "läsfel på disken", "EFBIG": "filen blir för stor", "EMFILE": "för många öppna filer",
    "EXDEV": "filen kan inte flyttas mellan två filsystem", "EINVAL": "ogiltigt namn",
}


def os_reason(exc: OSError) -> str:
    """Return why an operating-system call failed, in Swedish (the system's own words are English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, f"systemfel {name}" if name else "ett systemfel")
