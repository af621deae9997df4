"""Run pyHanko's blocking calls from code that already runs an event loop.

pyHanko's synchronous API (signing, validation) calls `asyncio.run`, which refuses to start inside a
running event loop: in a notebook, in an async web handler, or beside a browser driven through
playwright's sync API. There the call is made in a worker thread, which has no loop of its own.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def outside_event_loop(fn: Callable[P, R]) -> Callable[P, R]:
    """Return *fn*, made to run in a worker thread when it is called inside a running event loop."""

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return fn(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kansli-pyhanko") as pool:
            return pool.submit(fn, *args, **kwargs).result()

    return call
