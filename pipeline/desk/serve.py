"""Starting the desk: which folder, which address, and the warning when it is not this machine only."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..errors import UsageError
from . import security
from .app import Desk, create_app

DEFAULT_FOLDER = Path("inputs") / "minutes"
LOCAL = "127.0.0.1"


def folder_of(target: Path | None) -> tuple[Path, str | None]:
    """Return the folder to serve for *target* (a meeting file, a folder, or None) and the file to open."""
    if target is None:
        target = DEFAULT_FOLDER
    if target.is_file():
        if target.suffix.lower() != ".json":
            raise UsageError(f"{target}: väntade en JSON-fil med ett möte eller en mapp")
        return target.resolve().parent, target.name
    if not target.is_dir():
        raise UsageError(f"{target}: filen eller mappen finns inte")
    return target.resolve(), None


def serve(target: Path | None, *, port: int, host: str, out: Path, browser: bool,
          say: Callable[[str], None]) -> None:
    """Serve the meetings of *target* on *host*:*port* until interrupted."""
    import uvicorn

    folder, opened = folder_of(target)
    desk = Desk(folder=folder, out=out.resolve())
    app = create_app(desk, hosts=security.allowed_hosts(host, port))
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host == LOCAL else shown}:{port}/" + (f"m/{opened}" if opened else "")
    if host != LOCAL:
        say(f"varning: skrivbordet svarar på {host}, inte bara på den här datorn, och har ingen inloggning; "
            "alla som når adressen kan läsa och ändra mötena")
    say(f"Sekreterarens skrivbord för {folder}: {address}  (avsluta med Ctrl-C)")
    if browser:
        threading.Timer(0.8, webbrowser.open, args=(address,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, date_header=False)
