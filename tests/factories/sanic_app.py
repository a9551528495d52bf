"""Running a Sanic app in-process for tests, as an ASGI server would."""

from __future__ import annotations

import asyncio
import contextlib
from contextlib import asynccontextmanager
from typing import AsyncIterator, Dict

from sanic import Sanic


@asynccontextmanager
async def lifespan(app: Sanic) -> AsyncIterator[None]:
    """Start and stop the app through the ASGI lifespan protocol, as an ASGI server would."""
    inbox: asyncio.Queue[Dict[str, str]] = asyncio.Queue()
    started, stopped = asyncio.Event(), asyncio.Event()

    async def send(event: Dict[str, str]) -> None:
        (started if event["type"].startswith("lifespan.startup") else stopped).set()

    await inbox.put({"type": "lifespan.startup"})
    running = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, send)
    )
    await asyncio.wait(
        {running, asyncio.ensure_future(started.wait())}, return_when=asyncio.FIRST_COMPLETED
    )
    if running.done():
        running.result()  # the app failed to start: show why
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await stopped.wait()
        # Sanic 21.12 goes on to treat the finished lifespan scope as a request and fails
        # on the missing request; uvicorn ignores that, and so do we.
        with contextlib.suppress(AttributeError):
            await running
