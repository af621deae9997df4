"""The library face of kansli: one function per command, each taking paths and returning results."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engines.base import ENGINES, get_engine
from .errors import InputError, KansliError, Problem, UsageError
from .model import MODELS

if TYPE_CHECKING:
    from .documents.base import Built
    from .sign import SignatureReport

# Recipes are imported where they are used: `kansli pdf` then never loads pydantic models or
# docxtpl, and `kansli minutes` never loads the plan's assembler.

__all__ = [
    "Built", "build_minutes", "build_plan", "calendar", "check", "convert", "engines", "schema", "sign", "verify",
]


def build_minutes(json_path: Path, out_dir: Path, *, template: Path | None = None, engine: str = "builtin",
                  pdf: bool = True, force: bool = False) -> Built:
    """Write out_dir/<stem>.docx (and .pdf with signature fields) for the minutes in *json_path*."""
    from .documents.minutes import build_minutes as _build

    return _build(json_path, out_dir, template=template, engine=engine, pdf=pdf, force=force)


def build_plan(json_path: Path, out_dir: Path, *, engine: str = "builtin", template: Path | None = None,
               force: bool = False) -> Built:
    """Write out_dir/<stem>.docx and <stem>.pdf (with appendices) for the plan in *json_path*."""
    from .documents.plan import build_plan as _build

    return _build(json_path, out_dir, engine=engine, template=template, force=force)


def _convert_job(job: tuple[Path, Path | None, str, bool]) -> tuple[list[Path], str | None, str | None]:
    """Convert one file in a worker process; return (outputs, error message, error path)."""
    from .documents.convert import convert_one

    docx, out_dir, engine, force = job
    try:
        return convert_one(docx, out_dir, engine=engine, force=force).outputs, None, None
    except KansliError as exc:
        return [], exc.message, str(exc.path) if exc.path is not None else None


def convert(docxs: Sequence[Path], out_dir: Path | None, *, engine: str = "builtin", force: bool = False,
            jobs: int | None = None) -> list[tuple[Path, Built | KansliError]]:
    """Convert each .docx to PDF, in order; a file that fails is reported and the others go on.

    With several files, *jobs* worker processes share the work (default: one per core); each file
    is still written atomically by its own worker.
    """
    from .documents.base import Built

    get_engine(engine).check()
    if out_dir is not None:
        stems = [d.stem for d in docxs]
        twice = sorted({s for s in stems if stems.count(s) > 1})
        if twice:
            raise UsageError(f"flera filer skulle bli samma PDF i {out_dir}: {', '.join(twice)}.pdf")
    work = [(d, out_dir, engine, force) for d in docxs]
    workers = min(jobs or os.cpu_count() or 1, len(work))
    if workers > 1:
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            done = list(pool.map(_convert_job, work))
    else:
        done = [_convert_job(job) for job in work]
    results: list[tuple[Path, Built | KansliError]] = []
    for docx, (outputs, message, where) in zip(docxs, done, strict=True):
        results.append((docx, Built(outputs=outputs) if message is None else KansliError(message, path=where)))
    return results


def check(path: Path) -> tuple[str, list[Problem]]:
    """Validate *path* without rendering; return (kind, warnings) or raise InputError with every error."""
    from .documents.minutes import load_minutes
    from .load import read_json, validate
    from .model import guess_kind, model_class

    data = read_json(path)
    kind = guess_kind(data)
    if kind is None:
        raise InputError("kan inte avgöra om filen är minnesanteckningar eller en verksamhetsplan; "
                         "ange \"$schema\" eller fälten \"punkter\"/\"kapitel\"", path=path)
    if kind == "minutes":
        return kind, load_minutes(path)[1].warnings
    from .documents.plan import load_plan

    validate(data, model_class(kind), path)
    return kind, load_plan(path)[1].warnings


def schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of *kind* ('minutes' or 'plan'), with Swedish field names."""
    from .model import model_class

    cls = model_class(kind)
    out: dict[str, Any] = cls.model_json_schema(by_alias=True)
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["$id"] = f"https://www.sodertornskommunerna.se/kansli/{kind}.schema.json"
    return out


def schema_kinds() -> list[str]:
    """Return the kinds `kansli schema` knows."""
    return list(MODELS)


def calendar(json_path: Path, out: Path, *, force: bool = False) -> Built:
    """Write the plan's meeting calendar as an iCalendar file to *out*."""
    from .documents.plan import load_plan
    from .ical import calendar_ics
    from .outputs import write_atomic

    plan, built = load_plan(json_path)
    built.outputs = [write_atomic(out, calendar_ics(plan), force=force)]
    return built


def sign(pdf: Path, out: Path, *, field: str, key: Path, cert: Path | None = None,
         passphrase: bytes | None = None) -> Path:
    """Sign *pdf* into its empty signature field *field*; write the signed copy to *out*."""
    from .sign import sign as _sign

    return _sign(pdf, out, field=field, key=key, cert=cert, passphrase=passphrase)


def needs_passphrase(key: Path) -> bool:
    """Return True when the key file *key* cannot be opened without a passphrase."""
    from .sign import needs_passphrase as _needs

    return _needs(key)


def verify(pdf: Path, *, trust: Sequence[Path] = ()) -> list[SignatureReport]:
    """Return one report per signature in *pdf*, in signing order."""
    from .sign import verify as _verify

    return _verify(pdf, trust=trust)


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


def dump_schema(kind: str) -> str:
    """Return the schema of *kind* as pretty JSON text."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"
