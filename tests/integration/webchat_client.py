"""A resident's browser tab as the tests play it: python-socketio's client on the web chat.

Long-polling only: the client's websocket transport needs a newer aiohttp than
Rasa 3.6 allows (the browser tests use websockets).
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import socketio

#: Seconds to wait for the assistant (a first message may wait for the model).
WAIT = 60


class Resident:
    """One browser tab: a socket.io connection that collects what the assistant says."""

    def __init__(self, base: str, origin: str | None = None) -> None:
        self.base = base
        self.origin = origin or base
        self.client = socketio.AsyncClient(reconnection=False)
        self.said: List[Dict[str, Any]] = []
        self.session: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.arrived = asyncio.Event()
        self.client.on("bot_uttered", self._bot_uttered)
        self.client.on("session_confirm", self._session_confirm)

    async def _bot_uttered(self, data: Dict[str, Any]) -> None:
        self.said.append(data)
        self.arrived.set()

    async def _session_confirm(self, session_id: str) -> None:
        if not self.session.done():
            self.session.set_result(session_id)

    async def open(self, session_id: str | None = None) -> str:
        await self.client.connect(
            self.base, socketio_path="/socket.io", headers={"Origin": self.origin},
            transports=["polling"], wait_timeout=10,
        )  # fmt: skip
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.session, WAIT)

    async def say(self, message: Any, metadata: Any = None) -> Dict[str, Any]:
        """Send and wait for the server's acknowledgement (sent when the turn is over)."""
        data: Dict[str, Any] = {"message": message}
        if metadata is not None:
            data["metadata"] = metadata
        return await self.client.call("user_uttered", data, timeout=WAIT)

    def texts(self) -> str:
        return "\n".join(str(item.get("text", "")) for item in self.said)

    async def close(self) -> None:
        # A polite disconnect waits for the pending long-poll (up to 30 s); the
        # server sees the same close packet either way.
        await self.client.eio.disconnect(abort=True)
