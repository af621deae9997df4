"""What keeps the desk safe on a shared machine: the Host check, the CSRF token, confined file names.

The desk has no login; it is safe because only this machine reaches it (127.0.0.1), a web page
elsewhere cannot make the browser talk to it (the Host check stops DNS rebinding, the token stops
cross-site form posts) and no request names a file outside the served folder.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import UsageError

TOKEN_HEADER = "x-kansli-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_token() -> str:
    """Return a fresh random token for one run of the server."""
    return secrets.token_urlsafe(32)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Return the Host header values the server answers to when bound to *host*:*port*."""
    names = {host, "127.0.0.1", "localhost", "[::1]"} if host in ("127.0.0.1", "localhost") else {host}
    return frozenset({*names, *(f"{name}:{port}" for name in names)})


class Guard:
    """ASGI middleware: refuse a foreign Host header, and a state-changing request without the token."""

    def __init__(self, app: ASGIApp, *, hosts: Iterable[str], token: str) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            await PlainTextResponse("Okänd värd (Host) – skrivbordet svarar bara på sin egen adress.",
                                    status_code=400)(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.split("://", 1)[-1].lower() != host:
                await PlainTextResponse("Begäran kom från en annan webbplats och avvisades.",
                                        status_code=403)(scope, receive, send)
                return
            if not hmac.compare_digest(headers.get(TOKEN_HEADER, ""), self.token):
                await PlainTextResponse("Begäran saknar giltig nyckel (CSRF) och avvisades; ladda om sidan.",
                                        status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def confined(folder: Path, name: str, *, suffixes: Iterable[str] = (".json",)) -> Path:
    """Return the file *name* inside *folder*; UsageError for any name that could reach elsewhere.

    Only a plain file name is accepted: no folders, no "..", no hidden files, a known suffix.
    """
    bad = (not name or name != Path(name).name or name.startswith(".") or "\\" in name or "\x00" in name
           or Path(name).suffix.lower() not in tuple(suffixes))
    if not bad:
        path = (folder / name).resolve()
        if path.parent == folder.resolve():
            return path
    raise UsageError(f"ogiltigt filnamn: {name!r}")
