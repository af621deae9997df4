"""The library face of kansli: one function per command, each taking paths and returning results.

Documents are made by name from the registry (`documents.py`); no function here knows one kind
from another. Heavy modules are imported where they are used, so `kansli --help` and `kansli pdf`
start without loading pydantic models or docxtpl.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .contracts import contract_entry, schema_names
from .documents import REGISTRY, Entry
from .engines.base import ENGINES, get_engine
from .errors import KansliError, Problem, UsageError, os_reason

if TYPE_CHECKING:
    from datetime import date, datetime

    from .meeting.tasks import Task
    from .outputs import Built
    from .verify import SignatureReport

__all__ = [
    "Built", "build", "check", "check_all", "check_data", "convert", "documents", "dump_schema", "engines", "needs_passphrase", "schema",
    "schema_names", "sign", "successor", "tasks", "verify",
]


def documents() -> tuple[Entry, ...]:
    """Return every document kansli can make, in registry order."""
    return REGISTRY


def build(name: str, source: Path, out: Path, *, engine: str = "builtin", template: Path | None = None,
          pdf: bool = True, force: bool = False, options: Mapping[str, Any] | None = None,
          out_name: str | None = None, dry_run: bool = False) -> Built:
    """Make the document *name* ("minutes", "plan", …) from the JSON file *source* into the folder *out*.

    Return the files written and the warnings found; *out_name* names the single file of a
    document that writes one (the calendar's .ics); *dry_run* writes nothing and tells what it would.
    """
    from .road import build as _build

    return _build(name, source, out, engine=engine, template=template, pdf=pdf, force=force, options=options,
                  out_name=out_name, dry_run=dry_run)


def _convert_job(job: tuple[Path, Path | None, str, bool]) -> tuple[list[Path], str | None, str | None]:
    """Convert one file in a worker process; return (outputs, error message, error path)."""
    from .convert import convert_one

    docx, out_dir, engine, force = job
    try:
        return convert_one(docx, out_dir, engine=get_engine(engine), force=force).outputs, None, None
    except KansliError as exc:
        return [], exc.message, str(exc.path) if exc.path is not None else None


def _make_folder(folder: Path) -> list[Path]:
    """Create *folder* for workers that share it; return the folders created, deepest first."""
    from .errors import OutputError

    created = [d for d in (folder, *folder.parents) if not d.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"kan inte skapa mappen: {os_reason(exc)}", path=folder) from exc
    return created


def convert(docxs: Sequence[Path], out_dir: Path | None, *, engine: str = "builtin", force: bool = False,
            jobs: int | None = None) -> list[tuple[Path, Built | KansliError]]:
    """Convert each .docx to PDF, in order; a file that fails is reported and the others go on.

    With several files, *jobs* worker processes share the work (default: one per core); each file
    is still written atomically by its own worker.
    """
    from .outputs import Built

    get_engine(engine).check()
    if out_dir is not None:
        stems = [d.stem for d in docxs]
        twice = sorted({s for s in stems if stems.count(s) > 1})
        if twice:
            raise UsageError(f"flera filer skulle bli samma PDF i {out_dir}: {', '.join(twice)}.pdf")
    work = [(d, out_dir, engine, force) for d in docxs]
    workers = min(jobs or os.cpu_count() or 1, len(work))
    made = _make_folder(out_dir) if workers > 1 and out_dir is not None else []
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            done = list(pool.map(_convert_job, work))
    else:
        done = [_convert_job(job) for job in work]
    for folder in made:  # the workers share the folder: it goes again only if nothing landed in it
        try:
            folder.rmdir()
        except OSError:
            break
    results: list[tuple[Path, Built | KansliError]] = []
    for docx, (outputs, message, where) in zip(docxs, done, strict=True):
        results.append((docx, Built(outputs=outputs) if message is None else KansliError(message, path=where)))
    return results


def check(path: Path) -> tuple[Entry, list[Problem]]:
    """Validate *path* without rendering; return (the document its stage makes, warnings).

    Raise InputError listing every error.
    """
    from .road import check as _check

    return _check(path)


def check_all(path: Path) -> tuple[Entry | None, list[Problem]]:
    """Return the document the stage of the file *path* makes (None if it does not validate) and every problem.

    Errors and warnings both, each once; raise InputError only when the file cannot be read as JSON.
    """
    from .road import check_all as _check_all

    return _check_all(path)


def check_data(data: Any, source: Path) -> tuple[Entry | None, list[Problem]]:
    """Return the document the stage of *data* (parsed JSON, not yet saved) makes, and every problem.

    Errors and warnings both (`Problem.warning` tells them apart; `Problem.loc` names the field as
    steps); the document is None when the data does not even validate.
    """
    from .road import check_data as _check_data

    return _check_data(data, source)


def successor(source: Path, out: Path | None = None) -> Path:
    """Write the file that follows *source*: the next meeting, or next year's plan; return its path."""
    from .road import successor as _successor

    return _successor(source, out)


def tasks(paths: Sequence[Path], today: date) -> tuple[list[Task], list[str]]:
    """Return every uppdrag in the meeting files *paths* (files or folders) as of *today*, and notes.

    The notes name files skipped in a folder and follow-ups that name no uppdrag.
    """
    from .meeting.tasks import meeting_files
    from .meeting.tasks import tasks as _tasks

    meetings, skipped = meeting_files(paths)
    found, problems = _tasks(meetings, today)
    return found, skipped + problems


def schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of the contract *name* ('minutes' or 'plan'), with Swedish field names."""
    from .road import contract

    item = contract_entry(name)
    out: dict[str, Any] = contract(item).model.model_json_schema(by_alias=True)
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["$id"] = f"https://www.sodertornskommunerna.se/kansli/{item.schema}.schema.json"
    return out


def dump_schema(name: str) -> str:
    """Return the schema of *name* as pretty JSON text."""
    return json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n"


def sign(pdf: Path, out: Path, *, field: str, key: Path, cert: Path | None = None,
         passphrase: bytes | None = None, tsa: str | None = None, ltv: bool = False,
         trust: Sequence[Path] = ()) -> Path:
    """Sign *pdf* into its empty signature field *field*; write the signed copy to *out*.

    *tsa* adds an RFC 3161 timestamp from that URL; *ltv* (with *tsa* and the CA certificates
    *trust*) embeds the chain and revocation data and a document timestamp (PAdES B-LTA).
    """
    from .sign import sign as _sign

    return _sign(pdf, out, field=field, key=key, cert=cert, passphrase=passphrase, tsa=tsa, ltv=ltv, trust=trust)


def needs_passphrase(key: Path) -> bool:
    """Return True when the key file *key* cannot be opened without a passphrase."""
    from .sign import needs_passphrase as _needs

    return _needs(key)


def verify(pdf: Path, *, trust: Sequence[Path] = (), at: datetime | None = None) -> list[SignatureReport]:
    """Return one report per signature in *pdf*, in signing order.

    A signature holds in full (`SignatureReport.verified`) only with trust anchors *trust*;
    *at* is the moment to validate at when no trusted timestamp proves the signing time.
    """
    from .verify import verify as _verify

    return _verify(pdf, trust=trust, at=at)


def engines() -> list[tuple[str, str | None]]:
    """Return (name, None if usable else why not) for every registered engine."""
    out: list[tuple[str, str | None]] = []
    for name in ENGINES:
        try:
            get_engine(name).check()
            out.append((name, None))
        except KansliError as exc:
            out.append((name, exc.message))
    return out
