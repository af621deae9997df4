"""The desk served for real on a free port, and Debian's chromium for pytest-playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipeline.desk import security
from pipeline.desk.app import Desk, create_app
from tests.conftest import SEED_MINUTES_JSON

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Drive Debian's chromium: `playwright install` cannot download browsers here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--lang=sv-SE"]}


# pytest-playwright keeps one Playwright (and its event loop) for the whole session; while it lives,
# asyncio.run() elsewhere (pyHanko's signing in later tests) fails. The desk's tests start it for
# this package only and stop it after.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser_type(playwright: Any, browser_name: str) -> Any:
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args: dict[str, Any], browser_type: Any) -> Any:
    return lambda **kwargs: browser_type.launch(**{**browser_type_launch_args, **kwargs})


@pytest.fixture(scope="package")
def browser(launch_browser: Any) -> Iterator[Any]:
    opened = launch_browser()
    yield opened
    opened.close()


@pytest.fixture(scope="package")
def browser_context_args() -> dict[str, Any]:
    """A Swedish laptop screen, as the secretary has."""
    return {"viewport": {"width": 1366, "height": 768}, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@dataclass
class Served:
    """A running desk: its address and folders."""

    url: str
    folder: Path
    out: Path
    desk: Desk

    def meeting(self, name: str) -> str:
        return f"{self.url}/m/{name}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Serve an empty meeting folder in tmp_path on 127.0.0.1 (a thread of this process)."""
    import uvicorn

    folder, out = tmp_path / "möten", tmp_path / "outputs"
    folder.mkdir()
    port = _free_port()
    desk = Desk(folder=folder, out=out)
    app = create_app(desk, hosts=security.allowed_hosts("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    yield Served(f"http://127.0.0.1:{port}", folder, out, desk)
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def shots(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Return the folder for this test's screenshots (kept under /tmp/kansli-desk-shots for looking at)."""
    folder = Path("/tmp/kansli-desk-shots") / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    """A desk serving a folder holding a copy of the seed meeting, writing to its own outputs folder."""
    folder = tmp_path / "möten"
    folder.mkdir()
    shutil.copy(SEED_MINUTES_JSON, folder / SEED_MINUTES_JSON.name)
    return Desk(folder=folder, out=tmp_path / "outputs")
