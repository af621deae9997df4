"""`make bench`: medians of every stage of the minutes pipeline, and how cost grows with size."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.clock import now  # noqa: E402
from pipeline.defaults import default_template  # noqa: E402
from pipeline.docx import DocProperties, render_docx  # noqa: E402
from pipeline.engines import get_engine  # noqa: E402
from pipeline.meeting.minutes import minutes_context  # noqa: E402
from pipeline.road import read_model  # noqa: E402

SEED = ROOT / "inputs" / "minutes" / "2023-10-27-ledningsgrupp.json"
KANSLI = Path(sys.executable).parent / "kansli"


def kansli_env() -> dict[str, str]:
    """Return the environment for a whole kansli process: with its bytecode cached, as an installed package has it.

    Under PYTHONDONTWRITEBYTECODE=1 (set on some development machines) a checkout compiles every pipeline
    module again at each start, about 90 ms that no `pip install`ed kansli pays; the cache goes to a
    folder of its own (PYTHONPYCACHEPREFIX), so the checkout gets no __pycache__ folders."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "kansli-bench-pycache"))
    return env


def run_kansli(*args: str) -> None:
    """Run one whole kansli process (bytecode cached, see kansli_env)."""
    subprocess.run([str(KANSLI), *args], check=True, capture_output=True, env=kansli_env())


def median_ms(fn: Callable[[], Any], runs: int, warmup: int = 1) -> float:
    """Return the median wall time of *fn* in milliseconds over *runs* runs after *warmup*."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def scaled(factor: int, folder: Path) -> Path:
    """Write the seed meeting with its agenda repeated *factor* times; return the path."""
    data = json.loads(SEED.read_text(encoding="utf-8"))
    data["punkter"] = data["punkter"] * factor
    path = folder / f"möte-x{factor}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def machine() -> str:
    """Return a one-line description of this machine."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def soffice() -> str | None:
    """Return the soffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_convert(files: list[Path], out: Path) -> None:
    """Convert *files* with one plain soffice call (a private profile), as a user would."""
    exe = soffice()
    assert exe is not None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, files)], check=True, capture_output=True)


def stage_row(label: str, json_path: Path, work: Path, runs: int, with_lo: bool) -> list[str]:
    """Return the table row of medians for one meeting size."""
    _, model = read_model(json_path, "meeting")
    ctx = minutes_context(model)
    docx = work / f"{json_path.stem}.docx"
    props = DocProperties(title="bench", author="bench", created=now())
    t_load = median_ms(lambda: read_model(json_path, "meeting"), runs)
    t_docx = median_ms(lambda: render_docx(default_template("minnesanteckningar.docx"), ctx, docx,
                                           properties=props), runs)
    builtin = get_engine("builtin")
    t_pdf = median_ms(lambda: builtin.convert(docx, work / "b.pdf"), runs)
    t_lo = "-"
    if with_lo and soffice():
        t_lo = f"{median_ms(lambda: lo_convert([docx], work / 'lo'), max(1, min(runs, 3)), warmup=0):.0f}"
    out = work / "cli"
    t_cli = median_ms(lambda: run_kansli("minutes", str(json_path), "-o", str(out), "--force"),
                      max(1, min(runs, 5)), warmup=1)
    return [label, f"{t_load:.1f}", f"{t_docx:.1f}", f"{t_pdf:.1f}", t_lo, f"{t_cli:.0f}"]


def batch_row(work: Path) -> list[str]:
    """Return the 20-copies row: kansli pdf (all cores, then one), soffice, and the speed-ups."""
    _, model = read_model(SEED, "meeting")
    ctx = minutes_context(model)
    src = work / "batch"
    src.mkdir()
    props = DocProperties(title="bench", author="bench", created=now())
    render_docx(default_template("minnesanteckningar.docx"), ctx, src / "m0.docx", properties=props)
    files = [src / "m0.docx"] + [Path(shutil.copy(src / "m0.docx", src / f"m{i}.docx")) for i in range(1, 20)]

    def ours(*extra: str) -> Callable[[], None]:
        return lambda: run_kansli("pdf", *extra, *map(str, files), "-o", str(work / "ours"), "--force")

    def theirs() -> None:
        lo_convert(files, work / "theirs")

    runs: list[tuple[str, Callable[[], None]]] = [("parallel", ours()), ("single", ours("-j", "1"))]
    if soffice():
        runs.append(("soffice", theirs))
    ours("-j", "1")()  # warm-up: the bytecode cache and the file cache
    times: dict[str, list[float]] = {name: [] for name, _ in runs}
    for _ in range(5):  # interleaved, so that a busy machine slows all three alike
        for name, fn in runs:
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    parallel, single = statistics.median(times["parallel"]), statistics.median(times["single"])
    if not soffice():
        return [f"{parallel:.0f}", f"{single:.0f}", "-", "-", "-"]
    lo = statistics.median(times["soffice"])
    return [f"{parallel:.0f}", f"{single:.0f}", f"{lo:.0f}", f"{lo / parallel:.1f}×", f"{lo / single:.2f}×"]


def tagging_row(runs: int = 40) -> list[str]:
    """Return the builtin engine's docx→PDF of the seed minutes untagged and tagged (medians, CPU ms).

    The two are interleaved in one process, so a busy machine slows both alike (target: +25 % at most)."""
    import io

    from pipeline.engines.builtin import fewer_collections, read_document
    from pipeline.engines.builtin.layout import render

    _, model = read_model(SEED, "meeting")
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "m.docx"
        render_docx(default_template("minnesanteckningar.docx"), minutes_context(model), docx,
                    properties=DocProperties(title="bench", author="bench", created=now()))
        times: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(runs + 2):
            for tagged in (False, True):
                start = time.process_time()
                with fewer_collections():  # as the engine converts
                    doc, _ = read_document(docx)
                    render(doc, io.BytesIO(), now(), tagged=tagged)
                times[tagged].append((time.process_time() - start) * 1000)
    plain, tagged_ms = (statistics.median(times[t][2:]) for t in (False, True))
    return [f"{plain:.1f}", f"{tagged_ms:.1f}", f"+{(tagged_ms / plain - 1) * 100:.0f} %"]


def startup_ms() -> float:
    """Return the median wall time of a whole `kansli --help` process (target: under 150 ms)."""
    return median_ms(lambda: run_kansli("--help"), 15)


def table(rows: list[list[str]], head: list[str]) -> str:
    """Return rows as an aligned text table."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))  # noqa: E731
    return "\n".join([line(head), "  ".join("-" * w for w in widths), *map(line, rows)])


def main() -> None:
    """Run every measurement and print the tables."""
    print(f"kansli bench — {machine()}")
    print(f"LibreOffice: {soffice() or 'not installed (LibreOffice columns skipped)'}\n")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = [stage_row("seed (1×)", SEED, work, 20, True),
                stage_row("10×", scaled(10, work), work, 5, True),
                stage_row("100×", scaled(100, work), work, 3, False)]
        print("Medians in ms (in-process, warm, except the whole `kansli minutes` process):")
        print(table(rows, ["meeting", "JSON→model", "model→docx", "docx→PDF builtin", "docx→PDF LibreOffice",
                           "kansli minutes (process)"]))
        base, big = float(rows[0][3]), float(rows[2][3])
        print(f"\nGrowth, builtin docx→PDF: 100× meeting takes {big / base:.0f}× the seed's time (target ≤ 120×)")
        print(f"\n20 copies of the seed minutes in one call, whole processes (median of 5); kansli pdf uses "
              f"{os.cpu_count()} worker processes by default, -j 1 one:")
        print(table([batch_row(work)], ["kansli pdf ×20 ms", "kansli pdf -j1 ×20 ms", "soffice ×20 ms",
                                        "speed-up", "speed-up -j1"]))
        print("(targets: at least 2.5× with -j 1; interleaved, kansli with its bytecode cached as when installed)")
        print("\nTagged PDF (PDF/UA) from builtin, seed minutes docx→PDF, CPU ms, interleaved in one process:")
        print(table([tagging_row()], ["untagged", "tagged", "tagging adds"]))
        print("(target: at most +25 %)")
        print(f"\n`kansli --help`, a whole process: {startup_ms():.0f} ms median of 15 (target < 150 ms)")
        from bench.desk import browser_ms, preview_ms

        request, with_pages = preview_ms(SEED, work)
        print(f"\nkansli serve, the seed meeting: the preview request after a change {request:.0f} ms median of 15 "
              f"(target ≤ 300 ms); with every page image {with_pages:.0f} ms")
        typed = browser_ms(SEED, work)
        print("whole preview redrawn after the last keystroke, in chromium: "
              + (f"{typed:.0f} ms median of 7, the pages on screen (target ≤ 1000 ms)" if typed is not None
                 else "not measured (Debian package chromium or playwright missing)"))


if __name__ == "__main__":
    main()
