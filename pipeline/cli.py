"""The `kansli` command: click options over api.py, and the one place errors become exit codes."""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__, api, clicksv, documents
from .documents import Entry, Param
from .errors import KansliError, Problem, UsageError, os_reason

if TYPE_CHECKING:
    from .verify import SignatureReport

clicksv.install()  # before the parameter types below are made: click's messages in Swedish
DEFAULT_OUT = Path("outputs")

log = logging.getLogger("kansli")


_TRICKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """Return *text* safe for a terminal: control characters and bidi overrides (in a file name, say) as \\u escapes."""
    return _TRICKS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _say(text: str) -> None:
    click.echo(shown(text), err=True)


def _warn(path: Path, warnings: Sequence[Problem]) -> None:
    for w in warnings:
        _say(f"varning: {path}: {w}")


def _done(paths: Sequence[Path]) -> None:
    for p in paths:
        click.echo(shown(f"skrev {p}"))


@contextmanager
def _errors(debug: bool) -> Iterator[None]:
    """Map every failure to an exit code: 0 ok, 1 input/document problem, 2 usage. No tracebacks."""
    try:
        yield
    except KansliError as exc:
        if debug:
            traceback.print_exc()
        _say(f"fel: {exc}")
        raise SystemExit(exc.exit_code) from None
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.Abort as exc:
        _say("avbrutet")
        # click turns Ctrl-C inside a command into Abort; it still ends like an interrupt (130).
        raise SystemExit(130 if isinstance(exc.__cause__, KeyboardInterrupt) else 1) from None
    except click.UsageError as exc:
        if debug:
            traceback.print_exc()
        _say(exc.format_message() if exc.ctx is None else f"{exc.ctx.get_usage()}\nfel: {exc.format_message()}")
        raise SystemExit(2) from None
    except click.ClickException as exc:
        _say(f"fel: {exc.format_message()}")
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        _say("avbrutet")
        raise SystemExit(130) from None
    except MemoryError:
        _say("fel: slut på minne; dela upp dokumentet")
        raise SystemExit(1) from None
    except OSError as exc:  # a file the system would not read or write, not caught nearer: still said in Swedish
        if debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"fel: {where}{os_reason(exc)}")
        raise SystemExit(1) from None
    except Exception as exc:  # noqa: BLE001 - a bug of ours still must not show a traceback
        if debug:
            traceback.print_exc()
        _say(f"internt fel: {type(exc).__name__}: {exc} (kör med --debug för detaljer)")
        raise SystemExit(1) from None


ENGINE = click.option("--engine", "-e", default="builtin", show_default=True, metavar="MOTOR",
                      help="PDF-motor: builtin (inbyggd) eller libreoffice.")
FORCE = click.option("--force", is_flag=True, help="Skriv över även en signerad PDF eller en fil av annat slag.")
EXISTING = click.Path(path_type=Path, dir_okay=False)


class Commands(click.Group):
    """The fixed commands, and one command per document in the registry (read when asked)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *(item.name for item in documents.REGISTRY)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        fixed = super().get_command(ctx, cmd_name)
        if fixed is not None:
            return fixed
        item = next((item for item in documents.REGISTRY if item.name == cmd_name), None)
        return _document_command(item) if item is not None else None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kansli")
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """kansli: minnesanteckningar och verksamhetsplan, från JSON till Word, PDF/A och signerad PDF."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("files", type=EXISTING, nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Mapp för PDF:erna (standard: samma mapp som varje .docx).")
@ENGINE
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Antal filer som görs samtidigt (standard: en per processorkärna).")
@FORCE
def pdf(files: tuple[Path, ...], out_dir: Path | None, engine: str, jobs: int | None, force: bool) -> None:
    """Gör PDF/A av en eller flera .docx, t.ex. minnesanteckningar som redigerats i Word."""
    failed = 0
    for path, result in api.convert(list(files), out_dir, engine=engine, force=force, jobs=jobs):
        if isinstance(result, KansliError):
            failed += 1
            _say(f"fel: {result}" if result.path else f"fel: {path}: {result}")
        else:
            _done(result.outputs)
    if failed:
        _say(f"{failed} av {len(files)} filer misslyckades")
        raise SystemExit(1)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _check_one(path: Path, *, say_ok: bool = True) -> bool:
    """Print every finding of *path* once and say how many of each; return True when it has no errors.

    With errors: »fel: FIL: 2 fel i filen, 3 varningar«, the errors listed under it, then the warnings;
    without: the warnings, then »ok: FIL (verksamhetsplan, 3 varningar)«.
    """
    made, problems = api.check_all(path)
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    if errors:
        _say(f"fel: {path}: {len(errors)} fel i filen, {_count(len(warnings), 'varning', 'varningar')}")
        for p in errors:
            _say(f"  - {p}")
    _warn(path, warnings)
    if errors:
        return False
    if not say_ok:
        return True
    label = made.label if made is not None else ""
    warned = f", {_count(len(warnings), 'varning', 'varningar')}" if warnings else ""
    click.echo(shown(f"ok: {path} ({label}{warned})"))
    return True


@cli.command()
@click.argument("files", type=EXISTING, nargs=-1, required=True)
def check(files: tuple[Path, ...]) -> None:
    """Kontrollera JSON-filer utan att skapa dokument; skriver varje fel och varning en gång.

    Slutkoden är 1 om någon fil har fel, 0 om det bara finns varningar.
    """
    failed = 0
    for path in files:
        try:
            ok = _check_one(path)
        except KansliError as exc:
            _say(f"fel: {exc}")
            ok = False
        failed += not ok
    if len(files) > 1:
        _say(f"{failed} av {len(files)} filer har fel" if failed else f"alla {len(files)} filer är ok")
    if failed:
        raise SystemExit(1)


@cli.command("next")
@click.argument("file", type=EXISTING)
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Den nya filen (standard: bredvid FILE, med nästa datum eller år i namnet).")
def next_file(file: Path, out: Path | None) -> None:
    """Nästa möte eller nästa års plan: skriver en ny JSON-fil att fylla i, utifrån FILE.

    Därefter kontrolleras den nya filen som med `kansli check`: det som ska ses över står som varningar.
    """
    written = api.successor(file, out)
    _done([written])
    _check_one(written, say_ok=False)  # what the new file still needs is told now (stderr), not at the next build


@cli.command("tasks")
@click.argument("paths", type=click.Path(path_type=Path, exists=True), nargs=-1, required=True,
                metavar="FIL.json|MAPP...")
@click.option("--date", "day", default=None, metavar="ÅÅÅÅ-MM-DD",
              help="Status per detta datum (standard: i dag).")
@click.option("--csv", "csv_out", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), default=None,
              metavar="FIL.csv",
              help="Skriv en CSV-fil för Excel (semikolon, UTF-8) i stället för tabellen; - för standard ut.")
@FORCE
def task_list(paths: tuple[Path, ...], day: str | None, csv_out: Path | None, force: bool) -> None:
    """Lista uppdragen ur mötesfiler eller mappar med mötesfiler: vem, vad, senast, status."""
    from datetime import date

    from .clock import now
    from .meeting import tasklist

    try:
        today = date.fromisoformat(day.strip()) if day else now().date()
    except ValueError:
        raise UsageError(f"--date ska vara ett datum som 2023-12-15, inte {day!r}") from None
    found, notes = api.tasks(list(paths), today)
    for note in notes:
        _say(f"varning: {note}")
    if csv_out is None:
        click.echo(shown(tasklist.table(found)) if found else "Inga uppdrag.", nl=not found)
    elif str(csv_out) == "-":
        sys.stdout.buffer.write(tasklist.csv_bytes(found))
        sys.stdout.flush()
    else:
        from .outputs import write_atomic

        _done([write_atomic(csv_out, tasklist.csv_bytes(found), force=force, inputs=paths, made="csv")])


@cli.command()
@click.argument("kind", type=click.Choice(api.schema_names()))
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False), help="Skriv till fil.")
@click.option("--force", is_flag=True, help="Skriv över även en fil av annat slag än ett JSON-schema.")
def schema(kind: str, out: Path | None, force: bool) -> None:
    """Skriv JSON-schemat för KIND (minutes eller plan), för editorns komplettering och kontroll."""
    text = api.dump_schema(kind)
    if out is None:
        click.echo(text, nl=False)
    else:
        from .outputs import write_atomic

        _done([write_atomic(out, text.encode("utf-8"), force=force, made="json")])


def _passphrase(env: str | None, key: Path) -> bytes | None:
    if env:
        value = os.environ.get(env)
        if value is None:
            raise UsageError(f"miljövariabeln {env} är inte satt")
        return value.encode("utf-8")
    if api.needs_passphrase(key):
        if not sys.stdin.isatty():
            raise UsageError("nyckeln kräver lösenord; ange --passphrase-env VARIABEL när ingen terminal finns")
        return click.prompt("Lösenord för nyckeln", hide_input=True, default="", show_default=False).encode()
    return None


@cli.command()
@click.argument("pdf_file", metavar="PDF", type=EXISTING)
@click.option("--field", "-f", required=True, help="Signaturfältet: \"Vid anteckningarna\" eller \"Justeras\".")
@click.option("--key", "-k", required=True, type=EXISTING, help="Privat nyckel (PEM) eller PKCS#12 (.p12/.pfx).")
@click.option("--cert", "-c", type=EXISTING, help="Certifikat (PEM/DER); behövs inte med PKCS#12.")
@click.option("--passphrase-env", metavar="VARIABEL", help="Läs nyckelns lösenord från denna miljövariabel.")
@click.option("-o", "--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Den signerade filen (standard: PDF-filen själv, som då ersätts atomärt).")
@click.option("--tsa", metavar="URL", help="Tidsstämpla signaturen (RFC 3161) hos denna tidsstämpeltjänst.")
@click.option("--ltv", is_flag=True,
              help="För arkivet: bädda in kedja och spärrinformation och en dokumenttidsstämpel (PAdES B-LTA); "
                   "kräver --tsa och --trust.")
@click.option("--trust", type=EXISTING, multiple=True, help="CA-certifikat (PEM) som kedjan byggs till (för --ltv).")
def sign(pdf_file: Path, field: str, key: Path, cert: Path | None, passphrase_env: str | None,
         out: Path | None, tsa: str | None, ltv: bool, trust: tuple[Path, ...]) -> None:
    """Signera PDF i ett tomt signaturfält (PAdES, som inkrementell uppdatering)."""
    target = out or pdf_file
    _done([api.sign(pdf_file, target, field=field, key=key, cert=cert,
                    passphrase=_passphrase(passphrase_env, key), tsa=tsa, ltv=ltv, trust=list(trust))])


def _moment(value: str | None) -> datetime | None:
    """Return the --at moment (ISO 8601; UTC when no zone is given)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--at vill ha en tidpunkt som 2030-01-31T12:00:00+01:00, inte {value!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _verdict(report: SignatureReport, integrity_only: bool) -> list[str]:
    """Return the lines verify prints for one signature."""
    from . import swedish

    when = swedish.moment(report.signed_at) if report.signed_at else "okänd tid"
    proof = " (tidsstämplad)" if report.timestamped else ""
    lines = [f"{report.field}: {report.signer}, signerad {when}{proof}"]
    state = "hel" if report.intact else "BRUTEN (innehållet har ändrats eller signaturen är ogiltig)"
    after = "inget synligt ändrat efteråt" if not report.modified else "ÄNDRAT EFTERÅT"
    if integrity_only or not report.identity_checked:
        who = "signerarens identitet ej kontrollerad"
    else:
        who = "betrodd" if report.trusted else "EJ BETRODD"
    lines.append(f"  {state}; {after}; {who}")
    if report.problem:
        lines.append(f"  {report.problem}")
    lines += [f"  ändrat: {change}" for change in report.changes]
    if report.identity_checked and not integrity_only and report.intact:  # a broken one has no signer to judge
        lines += [f"  ej betrodd: {reason}" for reason in report.trust_problems]
    if report.validation_data:
        lines.append("  kedja och spärrinformation finns inbäddade (LTV)")
    return lines


@cli.command()
@click.argument("pdf_file", metavar="PDF", type=EXISTING)
@click.option("--trust", type=EXISTING, multiple=True,
              help="CA-certifikat (PEM) att lita på; flera går bra. Utan --trust kontrolleras inte vem som signerat.")
@click.option("--integrity-only", is_flag=True,
              help="Kontrollera bara att signaturerna är hela och att inget ändrats efteråt, INTE vem som "
                   "signerat. Ingen fullständig granskning.")
@click.option("--at", "at", metavar="TIDPUNKT", hidden=True,
              help="Granska som vid denna tidpunkt (ISO 8601), när ingen tidsstämpel visar signeringstiden.")
def verify(pdf_file: Path, trust: tuple[Path, ...], integrity_only: bool, at: str | None) -> None:
    """Granska signaturerna i PDF; exit 0 bara om alla är hela, inget ändrats efteråt och signerarna är betrodda."""
    if integrity_only and trust:
        raise UsageError("--integrity-only och --trust går inte ihop: välj hel granskning (--trust) eller bara integritet")
    reports = api.verify(pdf_file, trust=list(trust), at=_moment(at))
    if not reports:
        _say(f"fel: {pdf_file}: inga signaturer i filen")
        raise SystemExit(1)
    for report in reports:
        for line in _verdict(report, integrity_only):
            click.echo(shown(line))
    whole = [r for r in reports if r.ok]
    if len(whole) < len(reports):
        click.echo(f"{len(reports) - len(whole)} av {len(reports)} signaturer håller inte.")
        raise SystemExit(1)
    if integrity_only:
        click.echo("Bara integriteten granskad: signaturerna är hela och inget synligt har ändrats efteråt. "
                   "Vem som signerat är INTE kontrollerat.")
        raise SystemExit(0)
    if not trust:
        click.echo("Signerarnas identitet är inte kontrollerad: ange --trust CA.pem för en fullständig granskning "
                   "(eller --integrity-only för att bara granska integriteten).")
        raise SystemExit(1)
    untrusted = [r for r in reports if not r.verified]
    if untrusted:
        click.echo(f"{len(untrusted)} av {len(reports)} signaturer håller inte: signeraren är inte betrodd.")
        raise SystemExit(1)
    click.echo("Alla signaturer håller: hela, inget synligt ändrat efteråt, och signerarna är betrodda.")
    raise SystemExit(0)


@cli.command()
@click.argument("target", metavar="[FIL.json | MAPP]", required=False, type=click.Path(path_type=Path))
@click.option("--port", "-p", type=click.IntRange(1, 65535), default=8765, show_default=True, help="Porten.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adressen att svara på; en annan än 127.0.0.1 når andra datorer (ingen inloggning!).")
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUT,
              show_default=True, help="Mapp för dokumenten som görs.")
@click.option("--no-browser", is_flag=True, help="Öppna inte webbläsaren.")
def serve(target: Path | None, port: int, host: str, out: Path, no_browser: bool) -> None:
    """Sekreterarens skrivbord: möten i ett formulär i webbläsaren, med förhandsvisning (standard: inputs/minutes/)."""
    from .desk.serve import serve as _serve

    _serve(target, port=port, host=host, out=out, browser=not no_browser, say=_say)


@cli.command()
def engines() -> None:
    """Lista PDF-motorerna och om de går att använda här."""
    for name, problem in api.engines():
        click.echo(f"{name}: {'tillgänglig' if problem is None else problem}")


KINDS: dict[str, Any] = {"int": click.INT, "path": EXISTING, "text": click.STRING}


def _option(param: Param) -> click.Option:
    """Return the click option for a document's own *param*."""
    names = [*param.flags, param.name]  # a name without dashes is the key the options get
    if param.kind == "flag":
        return click.Option(names, is_flag=True, help=param.help)
    return click.Option(names, type=KINDS[param.kind], multiple=param.multiple,
                        required=param.required, metavar=param.metavar, help=param.help)


def _document_params(item: Entry) -> list[click.Parameter]:
    """Return the arguments and options of the command that makes *item*."""
    params: list[click.Parameter] = [click.Argument(["file"], type=EXISTING)]
    if item.output == "file":
        params.append(click.Option(["-o", "--out", "out"], type=click.Path(path_type=Path, dir_okay=False),
                                   default=None, help="Filen att skriva (standard: outputs/FIL med rätt ändelse)."))
    else:
        params.append(click.Option(["-o", "--out", "out"], type=click.Path(path_type=Path, file_okay=False),
                                   default=DEFAULT_OUT, show_default=True, help="Mapp för filerna."))
    if item.word:
        params += [
            click.Option(["--template", "-t"], type=EXISTING, help="Egen Word-mall i stället för standardmallen."),
            click.Option(["--engine", "-e"], default="builtin", show_default=True, metavar="MOTOR",
                         help="PDF-motor: builtin (inbyggd) eller libreoffice."),
            click.Option(["--no-pdf"], is_flag=True, help="Skriv bara .docx."),
        ]
    params.append(click.Option(["--force"], is_flag=True,
                               help="Skriv över även en signerad PDF, indatafilen eller en fil av annat slag."))
    params.append(click.Option(["--check", "dry_run"], is_flag=True,
                               help="Visa vad som skulle göras (varningar, ändringar), utan att skriva något."))
    return params + [_option(p) for p in item.params]


def _document_command(item: Entry) -> click.Command:
    """Return the command that makes the registry document *item*."""

    def make(file: Path, out: Path | None, force: bool, dry_run: bool, template: Path | None = None,
             engine: str = "builtin", no_pdf: bool = False, **options: object) -> None:
        folder, name = (out.parent, out.name) if item.output == "file" and out is not None else (out, None)
        built = api.build(item.name, file, folder or DEFAULT_OUT, engine=engine, template=template,
                          pdf=not no_pdf, force=force, options=options, out_name=name, dry_run=dry_run)
        _warn(file, built.warnings)
        for note in built.notes:
            click.echo(shown(note))
        _done(built.outputs)
        if dry_run:
            click.echo(shown(f"ok: {file} (inget skrevs{f', {len(built.warnings)} varningar' if built.warnings else ''})"))

    return click.Command(item.name, params=_document_params(item), callback=make, help=item.summary)


def _logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("varning: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.WARNING)
    log.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the kansli command with *argv* (default: sys.argv[1:]) and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    _logging()
    debug = "--debug" in args
    try:
        with _errors(debug), warnings.catch_warnings():
            if not debug:  # a library's own (English) warnings are for developers; kansli says its own
                warnings.simplefilter("ignore")
            cli.main(args=args, prog_name="kansli", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0

