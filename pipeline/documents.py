"""The document registry: every document kansli makes, one line each, as light data.

A *document* is something made from one of the two JSON contracts (a meeting or a plan). Each entry
names its contract, its command-line help and options, its signature fields, and the module that
holds the rest (template, rules, context, file naming, the step after the PDF). The commands of
`kansli` are made from this list, so adding a document is one module and one line here; the road
that every document takes is written once, in `road.py`.

This module imports nothing heavy: `kansli --help` reads it without loading pydantic or reportlab.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from .defaults import ORGANISATION
from .errors import EngineError, Problem, UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .road import Job

    M = TypeVar("M", bound=BaseModel)
else:
    M = TypeVar("M")

Options = Mapping[str, Any]
SOURCE = "källfil"  # the options key under which the road gives a document its JSON file's path


@dataclass(frozen=True)
class SignatureSpot:
    """An empty signature field called *name*, placed below the text *label* in the layout."""

    name: str
    label: str


@dataclass(frozen=True)
class Param:
    """A document's own command-line option, as data: `--item N` becomes options["items"]."""

    name: str  # the key in the options mapping the document receives
    flags: tuple[str, ...]  # ("--item", "-i")
    help: str
    kind: Literal["flag", "int", "path", "text"] = "flag"
    multiple: bool = False
    required: bool = False
    metavar: str | None = None


@dataclass(frozen=True)
class Entry:
    """One document in the registry."""

    name: str  # the command and the registry key: "minutes"
    contract: str  # the contract it is made from: "meeting" or "plan"
    label: str  # how messages name it: "minnesanteckningar"
    summary: str  # the command's help, in Swedish
    target: str  # "module:attribute" of its Document (imported only when it is made)
    word: bool = True  # a Word document (with --template, --engine, --no-pdf); else only other files
    output: Literal["folder", "file"] = "folder"  # what -o names
    params: tuple[Param, ...] = ()
    signatures: tuple[SignatureSpot, ...] = ()  # empty fields put in the PDF (also by `kansli pdf`)


@dataclass(frozen=True)
class Properties:
    """What a document says about itself, in the .docx and the PDF alike."""

    title: str
    subject: str
    keywords: str = ""
    author: str = ORGANISATION


def _no_rules(model: Any, options: Options) -> list[Problem]:
    return []


def _no_context(model: Any, options: Options) -> dict[str, Any]:
    return {}


def user_texts(context: Any) -> list[str]:
    """Return every string in *context*, in order: what must come out of the rendered document."""
    if isinstance(context, str):
        return [context]
    if isinstance(context, dict):
        return [t for key, v in context.items() if key != "stil" for t in user_texts(v)]
    if isinstance(context, list):
        return [t for v in context for t in user_texts(v)]
    return []


def _context_texts(model: Any, context: Mapping[str, Any]) -> list[str]:
    return user_texts(dict(context))


def _same_stem(source: Path, model: Any, options: Options) -> str:
    return source.stem


def _no_extras(model: Any, options: Options) -> dict[str, bytes]:
    return {}


class After(Protocol):
    """The step after the engine's PDF for one run (the plan's contents fix-point and appendices)."""

    def companions(self) -> Sequence[tuple[Path, Path]]:
        """Return other (docx, pdf) conversions to do along with the document's own, in one engine start."""

    def shape(self, pdf: Path, converted: Sequence[Path | EngineError]) -> Path:
        """Return the PDF to finish, made from the engine's *pdf* and the companions' results."""

    def confirm(self, pdf: Path) -> None:
        """Raise a KansliError unless the finished *pdf* is right."""


@dataclass(frozen=True)
class Document(Generic[M]):
    """How one document is made from its contract's model; its registry entry says the rest."""

    template: str | None  # the default Word template in templates/; None: no Word document
    # turns the model into what this document shows (the publication copy removes personal data),
    # with a line for the user about each change: run first, before the rules and the context
    prepare: Callable[[M, Options], tuple[M, list[str]]] | None = None
    properties: Callable[[M, Options], Properties] | None = None
    context: Callable[[M, Options], dict[str, Any]] = _no_context  # pure
    rules: Callable[[M, Options], list[Problem]] = _no_rules  # what this document needs beyond the contract
    expected: Callable[[M, Mapping[str, Any]], list[str]] = _context_texts  # texts that must come out
    stem: Callable[[Path, M, Options], str] = _same_stem  # the output files' name without suffix
    extras: Callable[[M, Options], dict[str, bytes]] = _no_extras  # other files: {".ics": …}
    after: Callable[[Job[M]], After] | None = None  # makes the run's after-PDF step
    # edits the rendered .docx in place, given the context it was rendered with (the publication copy
    # puts a line where the minutes have their signature block); runs before the PDF is made
    revise: Callable[[Path, Mapping[str, Any]], None] | None = None


MINUTES_SIGNATURES = (
    SignatureSpot("Vid anteckningarna", "Vid anteckningarna"),
    SignatureSpot("Justeras", "Justeras"),
)

REGISTRY: tuple[Entry, ...] = (
    Entry("minutes", "meeting", "minnesanteckningar", "Minnesanteckningar: FIL.json → MAPP/FIL.docx och MAPP/FIL.pdf (med signaturfält).",
          "pipeline.meeting.minutes:DOCUMENT", signatures=MINUTES_SIGNATURES),
    Entry("agenda", "meeting", "kallelse", "Kallelse med dagordning: FIL.json → MAPP/FIL-kallelse.docx, .pdf och "
          ".ics (kalenderinbjudan).", "pipeline.meeting.agenda:DOCUMENT"),
    Entry("extract", "meeting", "protokollsutdrag", "Protokollsutdrag: valda punkter ur minnesanteckningarna → "
          "MAPP/FIL-utdrag-N.docx och .pdf (med signaturfält).", "pipeline.meeting.extract:DOCUMENT",
          params=(Param("items", ("--item", "-i"), "Punktens nummer som i minnesanteckningarna; kan ges flera "
                        "gånger.", kind="int", multiple=True, required=True, metavar="N"),),
          signatures=(SignatureSpot("Utdraget bestyrks", "Utdraget bestyrks"),)),
    Entry("plan", "plan", "verksamhetsplan", "Verksamhetsplan: FIL.json (+ bilagor) → MAPP/FIL.docx och en samlad MAPP/FIL.pdf.",
          "pipeline.plan.document:DOCUMENT"),
    Entry("calendar", "plan", "kalender", "Årets möten ur verksamhetsplanens kalendarium som .ics för Outlook.",
          "pipeline.plan.calendar:DOCUMENT", word=False, output="file"),
    Entry("publish", "meeting", "kopia för webben", "Kopia för webben: FIL.json → MAPP/FIL-webb.pdf och .docx (och .html), utan personuppgifter och signaturfält.",
          "pipeline.meeting.publish:DOCUMENT", params=(
              Param("signed", ("--signed",), "De signerade minnesanteckningarna (PDF): justeringens datum och justerare läses därifrån, efter kontroll.", kind="path", metavar="FIL.pdf"),
              Param("trust", ("--trust",), "CA-certifikat (PEM) som justeringens signatur ska kedja till.", kind="path", multiple=True, metavar="CA.pem"),
              Param("html", ("--html",), "Skriv också kopian som en tillgänglig webbsida, FIL-webb.html."))),
)


def entry(name: str) -> Entry:
    """Return the registry entry *name*; UsageError naming the known documents otherwise."""
    for item in REGISTRY:
        if item.name == name:
            return item
    known = ", ".join(item.name for item in REGISTRY)
    raise UsageError(f"okänt dokument {name!r}; välj ett av: {known}")


def signature_sets() -> list[tuple[SignatureSpot, ...]]:
    """Return the signature fields of every document that has some, in registry order."""
    return [item.signatures for item in REGISTRY if item.signatures]
