"""`kansli serve`: which folder, which address, and the warning when it reaches beyond this machine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record uvicorn.run's arguments instead of serving."""
    calls: list[dict[str, Any]] = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_serve_binds_the_local_address_by_default(kansli: Callable[..., Run], seed_copy: Path,
                                                  started: list[dict[str, Any]]) -> None:
    run = kansli("serve", seed_copy, "--no-browser", "--port", "8799")
    assert run.code == 0
    assert started[0]["host"] == "127.0.0.1" and started[0]["port"] == 8799
    assert f"http://127.0.0.1:8799/m/{seed_copy.name}" in run.err
    assert "ingen inloggning" not in run.err


def test_another_address_comes_with_a_warning(kansli: Callable[..., Run], seed_copy: Path,
                                              started: list[dict[str, Any]]) -> None:
    run = kansli("serve", seed_copy.parent, "--no-browser", "--host", "0.0.0.0")
    assert run.code == 0
    assert started[0]["host"] == "0.0.0.0"
    assert "ingen inloggning" in run.err


def test_a_missing_folder_is_named(kansli: Callable[..., Run], tmp_path: Path, started: list[dict[str, Any]]) -> None:
    run = kansli("serve", tmp_path / "finns-inte", "--no-browser")
    assert run.code == 2
    assert "finns-inte" in run.err and "finns inte" in run.err
    assert not started


def test_help_does_not_load_the_desk() -> None:
    import subprocess
    import sys

    code = "import sys; from pipeline.cli import main; main(['--help']); print('starlette' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.strip().endswith("False")
