"""The one road every document takes: load → rules → context → docx → engine → finish → after-PDF step.

A contract's package says what its model is and which rules hold for it (`Contract`); a document's
module says how it is made from the model (`Document`); this module walks the road for any of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .clock import now
from .contracts import Contract, ContractEntry, contract_entry, guess_contract
from .defaults import default_template
from .documents import SOURCE, Document, Entry, Options, entry
from .docx import DocProperties, render_docx
from .engines import Engine, get_engine
from .errors import InputError, OutputError, Problem
from .finish import Metadata, make_pdf
from .jsontext import dumps
from .load import read_json, validate
from .outputs import Built, Stage, staged, write_atomic

M = TypeVar("M", bound=BaseModel)


def sort_findings(source: Path, findings: Sequence[Problem]) -> Built:
    """Return a Built holding the warnings among *findings*; raise InputError listing the errors."""
    errors = [p for p in findings if not p.warning]
    if errors:
        raise InputError.listing(source, errors)
    return Built(warnings=[p for p in findings if p.warning])


@dataclass
class Job(Generic[M]):
    """One run of the road for one document: what an after-PDF step may use to render again."""

    document: Document[M]
    model: M
    options: Options
    source: Path
    stage: Stage
    engine: Engine | None  # None when only the .docx is made
    template: Path
    own_template: bool  # the user's template: texts it leaves out on purpose are no error
    docx: Path
    properties: DocProperties

    def render(self, context: Mapping[str, Any]) -> Path:
        """Render the document's .docx again with *context* and return its path."""
        expected = () if self.own_template else self.document.expected(self.model, context)
        out = render_docx(self.template, context, self.docx, properties=self.properties, expected=expected)
        if self.document.revise is not None:
            self.document.revise(out, context)
        return out

    def convert(self, docx: Path, pdf: Path) -> Path:
        """Convert *docx* to *pdf* with the run's engine and return *pdf*."""
        if self.engine is None:
            raise TypeError("this run makes no PDF")  # an after-step runs only when a PDF is made
        return self.engine.convert(docx, pdf)


def document(item: Entry) -> Document[Any]:
    """Return the Document that registry entry *item* points at."""
    return _attribute(item.target)  # type: ignore[no-any-return]


def contract(item: ContractEntry) -> Contract[Any]:
    """Return the Contract that *item* points at."""
    return _attribute(item.target)  # type: ignore[no-any-return]


def _attribute(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def read_model(source: Path, expected: str | None = None) -> tuple[ContractEntry, BaseModel]:
    """Return the contract and the validated model of the JSON file *source*.

    With *expected* (a contract name), a file that is plainly of the other contract is refused by
    name instead of with a list of fields that do not fit.
    """
    data = read_json(source)
    found = guess_contract(data)
    if expected is not None:
        wanted = contract_entry(expected)
        if found is not None and found != wanted:
            raise InputError(f"filen är en {found.label}, inte en {wanted.label}", path=source)
        found = wanted
    if found is None:
        raise InputError("kan inte avgöra om filen är ett möte eller en verksamhetsplan; ange \"$schema\" "
                         "eller fälten \"punkter\"/\"kapitel\"", path=source)
    return found, validate(data, contract(found).model, source)


def findings(item: ContractEntry, model: BaseModel, source: Path, document_name: str,
             options: Options | None = None) -> list[Problem]:
    """Return every problem of *model*: the files it names, the document's rules, the contract's rules."""
    terms = contract(item)
    made = document(entry(document_name))
    found = [*terms.files(model, source), *made.rules(model, options or {}), *terms.rules(model)]
    return list(dict.fromkeys(found))  # a rule both the document and the contract apply is told once


def check(source: Path) -> tuple[Entry, list[Problem]]:
    """Return the document the file's stage makes and the warnings; raise InputError listing errors."""
    item, model = read_model(source)
    stage = entry(contract(item).stage(model))
    return stage, sort_findings(source, findings(item, model, source, stage.name)).warnings


def check_all(source: Path) -> tuple[Entry | None, list[Problem]]:
    """Return the document the file's stage makes (None when it does not validate) and every problem.

    Errors and warnings both, each once: `kansli check` prints them all and counts them; only a file
    that cannot be read at all raises InputError.
    """
    return check_data(read_json(source), source)


def check_data(data: Any, source: Path) -> tuple[Entry | None, list[Problem]]:
    """Return the document *data*'s stage makes (None when it does not validate) and every problem.

    The faces that check as the user types (the web form) use this: the same checks as `kansli
    check`, on data not yet saved; *source* is the file the data belongs to (appendix paths).
    """
    found = guess_contract(data)
    if found is None:
        return None, [Problem("", "kan inte avgöra om filen är ett möte eller en verksamhetsplan")]
    try:
        model = validate(data, contract(found).model, source)
    except InputError as exc:
        return None, exc.problems or [Problem("", exc.message)]
    stage = entry(contract(found).stage(model))
    return stage, findings(found, model, source, stage.name)


def successor(source: Path, out: Path | None = None) -> Path:
    """Write the file that follows *source* (the next meeting, next year's plan) and return its path.

    It goes beside *source* under the name its contract gives, or to *out*; an existing file is
    never overwritten.
    """
    item, model = read_model(source)
    terms = contract(item)
    if terms.successor is None:
        raise InputError(f"det finns inget nästa dokument att göra av en {item.label}", path=source)
    name, data = terms.successor(model, source)
    target = out or source.parent / name
    if target.exists():
        raise OutputError("filen finns redan och skrivs inte över; flytta eller ta bort den först, "
                          "eller ange ett annat namn med -o", path=target)
    terms.model.model_validate(data)  # what kansli writes, kansli can read
    return write_atomic(target, dumps(data, terms.model).encode("utf-8"), inputs=(source,), made="json")


def build(name: str, source: Path, out_dir: Path, *, engine: str = "builtin", template: Path | None = None,
          pdf: bool = True, force: bool = False, options: Options | None = None,
          out_name: str | None = None, dry_run: bool = False) -> Built:
    """Make document *name* from the JSON file *source* into *out_dir*; return what was written.

    *out_name* names the one file a non-Word document writes (`kansli calendar -o FIL.ics`).
    Nothing is written unless everything succeeds; with *dry_run* nothing is written at all, and
    the result tells what the run would find and do.
    """
    item = entry(name)
    made = document(item)
    options = {**(options or {}), SOURCE: source}  # a document may read files beside its JSON file
    chosen = get_engine(engine) if item.word and pdf else None  # resolved once, on the way in
    if chosen is not None:
        chosen.check()
    found, model = read_model(source, item.contract)
    notes: list[str] = []
    if made.prepare is not None:
        model, notes = made.prepare(model, options)
    built = sort_findings(source, findings(found, model, source, name, options))
    built.notes = notes
    if dry_run:
        made.context(model, options)  # everything that can fail before writing, fails now
        return built
    stem = made.stem(source, model, options)
    with staged(out_dir, source=source, inputs=(template,)) as stage:
        extras = made.extras(model, options)
        files = {stage.path(out_name if out_name and len(extras) == 1 else stem + suffix, suffix.lstrip(".")): data
                 for suffix, data in extras.items()}
        docx = stage.path(f"{stem}.docx") if item.word else None
        pdf_path = stage.path(f"{stem}.pdf") if chosen is not None else None
        stage.check(force=force)
        if docx is not None:
            props = _properties(made, model, options)
            job = Job(made, model, options, source, stage, chosen, template or default_template(str(made.template)),
                      template is not None, docx, props)
            job.render(made.context(model, options))
            if chosen is not None and pdf_path is not None:
                meta = Metadata(title=props.title, author=props.author, subject=props.subject,
                                keywords=props.keywords)
                after = made.after(job) if made.after is not None else None
                make_pdf(chosen, docx, pdf_path, stage.scratch("motor.pdf"), meta, signatures=item.signatures,
                         after=after)
                if after is not None:
                    after.confirm(pdf_path)
        for path, data in files.items():
            path.write_bytes(data)
        built.outputs = stage.commit(force=force)
    return built


def _properties(made: Document[Any], model: Any, options: Options) -> DocProperties:
    """Return the .docx properties of *made* for *model*, dated by the one clock."""
    if made.template is None or made.properties is None:
        raise TypeError("a Word document needs a template and properties")  # a registry mistake, not input
    props = made.properties(model, options)
    return DocProperties(title=props.title, author=props.author, created=now(), subject=props.subject,
                         keywords=props.keywords)
