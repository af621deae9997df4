"""`make bench`, the desk's rows: the preview request, and the whole preview in a real browser after typing."""

from __future__ import annotations

import json
import shutil
import socket
import statistics
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from pipeline.desk import security
from pipeline.desk.app import Desk, create_app

CHROMIUM = Path("/usr/bin/chromium")


@contextmanager
def served(folder: Path) -> Iterator[tuple[str, Desk]]:
    """Serve *folder* on a free local port in a thread; yield its address and the desk."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    desk = Desk(folder=folder, out=folder / "outputs")
    app = create_app(desk, hosts=security.allowed_hosts("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", desk
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


def preview_ms(seed: Path, work: Path, runs: int = 15) -> tuple[float, float]:
    """Return the median ms of the preview request after a change, and of it with every page image."""
    folder = work / "desk"
    folder.mkdir()
    path = Path(shutil.copy(seed, folder / seed.name))
    data = json.loads(path.read_text(encoding="utf-8"))
    alone: list[float] = []
    whole: list[float] = []
    with served(folder) as (url, _):
        base = f"{url}/m/{quote(path.name)}"
        for i in range(runs + 1):
            data["plats"] = f"Huddinge kommunhus, lokal {i}"  # a new version: nothing cached
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            start = time.perf_counter()
            fragment = _get(base + "/forhand").decode("utf-8")
            middle = time.perf_counter()
            for src in sorted(set(part.split('"')[0] for part in fragment.split('src="')[1:])):
                _get(url + src)
            end = time.perf_counter()
            if i:  # the first run warms the imports
                alone.append((middle - start) * 1000)
                whole.append((end - start) * 1000)
    return statistics.median(alone), statistics.median(whole)


def browser_ms(seed: Path, work: Path, runs: int = 7) -> float | None:
    """Return the median ms from the last keystroke to the whole preview redrawn, in chromium; None without it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    folder = work / "desk-browser"
    folder.mkdir()
    path = Path(shutil.copy(seed, folder / seed.name))
    times: list[float] = []
    done = """old => { const s = document.querySelector('#forhand .sidor');
        return s && s.dataset.version !== old && [...s.querySelectorAll('img:not([loading=lazy])')].every(i => i.complete && i.naturalWidth); }"""
    with served(folder) as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/m/{quote(path.name)}")
        page.wait_for_selector("#forhand .sidor img")
        field = page.locator('[id="f-plats"]')
        for i in range(runs + 1):
            old = page.locator("#forhand .sidor").get_attribute("data-version")
            field.focus()
            page.keyboard.type(str(i % 10))
            start = time.perf_counter()
            page.wait_for_function(done, arg=old, polling="raf", timeout=10000)
            if i:
                times.append((time.perf_counter() - start) * 1000)
        browser.close()
    return statistics.median(times)
