"""The optional high-fidelity engine: LibreOffice (soffice --headless) with a private profile per run."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import EngineError, EngineUnavailable, os_reason
from .base import Engine

log = logging.getLogger(__name__)

MISSING = "LibreOffice (soffice) saknas; installera libreoffice-writer eller använd --engine builtin"

# writer_pdf_Export options: PDF/A-2b (SelectPdfVersion 2), tagged for accessibility, with the
# document title shown in the reader's window and the headings as bookmarks.
PDF_FILTER: dict[str, tuple[str, str]] = {
    "SelectPdfVersion": ("long", "2"),
    "UseTaggedPDF": ("boolean", "true"),
    "ExportBookmarks": ("boolean", "true"),
    "DisplayPDFDocumentTitle": ("boolean", "true"),
    "ExportNotes": ("boolean", "false"),
    "ExportFormFields": ("boolean", "false"),
    "EmbedStandardFonts": ("boolean", "true"),
    "IsSkipEmptyPages": ("boolean", "false"),
}

# Run by a Python that can `import uno` (the system python3 with python3-uno, or the one that
# ships inside LibreOffice). It starts soffice itself, so killing its process group ends both.
UNO_SCRIPT = r'''
import json, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

def main():
    job = json.load(sys.stdin)
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % job["pipe"]
    office = subprocess.Popen(job["command"] + ["--accept=" + url[4:]], stdin=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + job["start_timeout"]
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                why = ("soffice avslutades med slutkod %s" % office.poll() if office.poll() is not None
                       else "soffice svarade inte inom %s sekunder" % job["start_timeout"])
                print(json.dumps({"fatal": why}), flush=True)
                office.kill()
                return 3
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    fdata = tuple(prop(k, (v == "true") if t == "boolean" else int(v)) for k, (t, v) in job["filter"].items())
    store = (prop("FilterName", "writer_pdf_Export"),
             prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", fdata)))
    for src, dst in job["docs"]:
        doc = None
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                               (prop("Hidden", True), prop("UpdateDocMode", 0),
                                                prop("MacroExecutionMode", 0)))
            if doc is None or not hasattr(doc, "getDocumentIndexes"):
                raise RuntimeError("not a text document")
            indexes = doc.getDocumentIndexes()
            for _ in range(2):  # twice: the first update may move the pages the second one cites
                for i in range(indexes.getCount()):
                    indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
            uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(dst),
                                           uno.Any("[]com.sun.star.beans.PropertyValue", store)))
            print(json.dumps({"src": src, "indexes": indexes.getCount()}), flush=True)
        except Exception as exc:
            print(json.dumps({"src": src, "error": "%s: %s" % (type(exc).__name__, exc)}), flush=True)
        finally:
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:
                    pass
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
    return 0

sys.exit(main())
'''


def find_soffice() -> Path | None:
    """Return the soffice executable (KANSLI_SOFFICE, then PATH, then the usual places), or None."""
    override = os.environ.get("KANSLI_SOFFICE", "").strip()
    if override:
        return Path(override) if Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for place in ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if Path(place).is_file():
            return Path(place)
    return None


@functools.lru_cache(maxsize=4)
def find_uno_python(soffice: Path) -> Path | None:
    """Return a Python that can `import uno`: LibreOffice's own, else the system's; or None."""
    program = soffice.resolve().parent
    candidates = [program / "python", program / "python.exe", Path("/usr/bin/python3")]
    for python in candidates:
        if not python.is_file():
            continue
        try:
            probe = subprocess.run([str(python), "-c", "import uno"], capture_output=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return python
    return None


def looks_like_pdf(path: Path) -> bool:
    """Return True when *path* exists and holds a complete PDF (header and end-of-file mark)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            fh.seek(max(path.stat().st_size - 1024, 0))
            tail = fh.read()
    except OSError:
        return False
    return head.startswith(b"%PDF-") and b"%%EOF" in tail


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """Kill *proc* and every process left in its group (it was started in a session of its own)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # Windows has no process groups of this kind
            proc.kill()


def _last_line(stderr: str, code: int) -> str:
    """Return the last line soffice wrote to stderr, or its exit code when it wrote nothing."""
    lines = [line for line in stderr.strip().splitlines() if "javaldx" not in line]
    return lines[-1] if lines else f"slutkod {code}"


class LibreOfficeEngine(Engine):
    """Converts .docx to PDF/A-2b (tagged) with LibreOffice, updating indexes before export."""

    name = "libreoffice"

    def __init__(self, *, timeout: float = 60.0, start_timeout: float = 60.0) -> None:
        self.timeout = timeout  # seconds per document
        self.start_timeout = start_timeout  # seconds for soffice to start

    def check(self) -> None:
        """Raise EngineUnavailable when soffice is not installed here."""
        if find_soffice() is None:
            raise EngineUnavailable(MISSING)

    def convert(self, docx: Path, pdf: Path) -> Path:
        """Write the PDF for *docx* to *pdf* and return *pdf*; raise EngineError on failure."""
        (result,) = self.convert_many([(docx, pdf)])
        if isinstance(result, EngineError):
            raise result
        return result

    def convert_many(self, jobs: Sequence[tuple[Path, Path]]) -> list[Path | EngineError]:
        """Convert every (docx, pdf) pair in one soffice start; return, in order, each PDF or its error.

        Each PDF is moved into place only once it is complete; a document that fails leaves any
        earlier PDF at its place untouched.
        """
        soffice = find_soffice()
        if soffice is None:
            raise EngineUnavailable(MISSING)
        if not jobs:
            return []
        try:
            work = Path(tempfile.mkdtemp(prefix="kansli-lo-"))
        except OSError as exc:
            raise EngineError(f"en tillfällig mapp kan inte skapas: {os_reason(exc)}") from exc
        try:
            # soffice names each PDF after its document: numbered copies keep the names apart.
            sources = [Path(docx).resolve() for docx, _ in jobs]
            copies = [work / f"dokument-{n}.docx" for n in range(len(jobs))]
            ready = []
            for src, copy in zip(sources, copies, strict=True):
                if src.is_file() and zipfile.is_zipfile(src):
                    shutil.copyfile(src, copy)
                    ready.append((copy, copy.with_suffix(".pdf")))
            try:
                errors = self._run(soffice, ready) if ready else {}
            except EngineError as exc:
                if exc.path in copies:  # name the user's document, not our copy of it
                    exc.path = sources[copies.index(exc.path)]
                raise
            return [self._outcome(src, copy, Path(pdf), errors)
                    for src, copy, (_, pdf) in zip(sources, copies, jobs, strict=True)]
        except OSError as exc:
            raise EngineError(f"dokumentet kan inte kopieras för LibreOffice: {os_reason(exc)}") from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _outcome(self, src: Path, copy: Path, target: Path, errors: dict[Path, str]) -> Path | EngineError:
        """Move the PDF made from *copy* (of *src*) to *target* and return it, or what went wrong."""
        if not src.is_file():
            return EngineError("filen finns inte", path=src)
        if not zipfile.is_zipfile(src):
            return EngineError("filen är ingen .docx (inte ett Word-dokument)", path=src)
        if copy in errors:
            return EngineError(f"LibreOffice kunde inte konvertera dokumentet ({errors[copy]})", path=src)
        made = copy.with_suffix(".pdf")
        if not looks_like_pdf(made):
            return EngineError("LibreOffice skrev ingen PDF-fil (är dokumentet en giltig .docx?)", path=src)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(made, target)
        except OSError as exc:
            return EngineError(f"PDF-filen kan inte skrivas: {os_reason(exc)}", path=target)
        return target

    def _command(self, soffice: Path, profile: Path) -> list[str]:
        """Return the soffice command line for a headless run with the private *profile*."""
        return [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                "--nologo", "--nodefault", "--norestore", "--nolockcheck", "--nofirststartwizard"]

    def _run(self, soffice: Path, docs: list[tuple[Path, Path]]) -> dict[Path, str]:
        """Convert *docs* in one soffice run; return the error text reported for each failed source."""
        timeout = self.start_timeout + self.timeout * len(docs)
        with tempfile.TemporaryDirectory(prefix="kansli-lo-profile-", ignore_cleanup_errors=True) as profile:
            command = self._command(soffice, Path(profile) / "user")
            python = find_uno_python(soffice)
            if python is None:
                log.warning("python3-uno saknas: innehållsförteckningar uppdateras inte före PDF-exporten")
                return self._run_plain(command, docs, timeout)
            job = {"pipe": f"kansli-{uuid.uuid4().hex}", "command": command, "docs": [(str(s), str(d)) for s, d in docs],
                   "filter": PDF_FILTER, "start_timeout": self.start_timeout}
            code, out, err = self._spawn([str(python), "-c", UNO_SCRIPT], json.dumps(job), timeout, docs[0][0])
        errors: dict[Path, str] = {}
        for line in out.splitlines():
            try:
                report = json.loads(line)
            except ValueError:
                continue
            if "fatal" in report:
                raise EngineError(f"LibreOffice startade inte ({report['fatal']})", path=docs[0][0])
            if "error" in report:
                errors[Path(report["src"])] = str(report["error"])
        if code != 0:
            raise EngineError(f"LibreOffice misslyckades ({_last_line(err, code)})", path=docs[0][0])
        return errors

    def _run_plain(self, command: list[str], docs: list[tuple[Path, Path]], timeout: float) -> dict[Path, str]:
        """Convert with plain --convert-to (no index update), one run per output folder."""
        options = ",".join(f'"{k}":{{"type":"{t}","value":"{v}"}}' for k, (t, v) in PDF_FILTER.items())
        by_dir: dict[Path, list[Path]] = {}
        for src, dst in docs:
            by_dir.setdefault(dst.parent, []).append(src)
        for out_dir, sources in by_dir.items():
            argv = [*command, "--convert-to", f"pdf:writer_pdf_Export:{{{options}}}",
                    "--outdir", str(out_dir), *map(str, sources)]
            code, _, err = self._spawn(argv, "", timeout, sources[0])
            if code != 0:
                raise EngineError(f"LibreOffice misslyckades ({_last_line(err, code)})", path=sources[0])
        return {}

    def _spawn(self, argv: list[str], stdin: str, timeout: float, doc: Path) -> tuple[int, str, str]:
        """Run *argv* in its own process group and return (exit code, stdout, stderr).

        The whole group is killed after *timeout* seconds (an EngineError), and in any case when
        the run ends, so no soffice of ours outlives it.
        """
        env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        except OSError as exc:
            raise EngineUnavailable(f"{MISSING} ({os_reason(exc)})") from exc
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            proc.communicate()
            raise EngineError(f"LibreOffice svarade inte inom {timeout:.0f} sekunder och avbröts",
                              path=doc) from exc
        finally:
            _kill_group(proc)
        return proc.returncode, out, err
