"""The web chat: the page residents open at ``/chat/`` and the socket.io channel it talks to.

Built on Rasa's socket.io channel (same events: ``session_request`` →
``session_confirm``, ``user_uttered`` → ``bot_uttered``), with what a public
page needs on top:

- The page is served by the Rasa server itself, so the socket is same-origin and
  no CORS set-up is needed (``bot.channels.webchat_page``).
- Sessions persist across reloads, and only the server starts one. The page keeps
  the session token the server issued (``bot.channels.webchat_sessions``: an id
  signed with a server secret) in local storage and asks for it again after a
  reload or a dropped connection; a token the server did not issue starts a new
  conversation, so nobody can join a conversation by guessing or learning its id.
  The conversation id is ``webchat-<id>``. Rasa 3.6.21's channel calls
  python-socketio 5's ``enter_room`` (a coroutine there) without awaiting it, so
  replies to a persistent session reach nobody; here the room is really entered.
- Input is validated (``bot.channels.validation``): an empty, oversized or
  malformed event gets a clear answer in the resident's language, and never
  reaches the assistant.
- Each message is acknowledged once the assistant has finished answering, so
  the page knows when to stop its typing indicator and that nothing needs
  resending.
- With several Rasa instances (production mode) a resident's socket lives on one
  of them, but a push (a complaint update through ``trigger_intent``) may reach
  another. When the lock store's Redis is configured (``CITY_REDIS_HOST``, as in
  endpoints.prod.yml) the instances share python-socketio's Redis manager: a
  reply is delivered to the sockets on its own instance at once and published
  for the others. While Redis is away, each instance still answers its own
  sockets; only pushes to a socket on another instance wait for Redis.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot.channels.ops import record_turn
from bot.channels.shared_store import redis_url_from
from bot.channels.validation import (
    DEFAULT_MAX_METADATA_BYTES,
    ERROR_MESSAGES,
    InvalidRequest,
    parse_socket_message,
)
from bot.channels.webchat_page import (
    ASSETS,
    PageSettings,
    load_assets,
    render_index,
    security_headers,
)
from bot.channels.webchat_sessions import SessionTokens
from bot.city_identity import CityIdentity, load_identity
from bot.ops.logs import conversation

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]

USER_EVENT = "user_uttered"
BOT_EVENT = "bot_uttered"
#: A socket.io packet larger than this is refused by the transport itself.
MAX_PACKET_BYTES = 64 * 1024
#: The Redis pub/sub channel the instances share replies on.
REDIS_CHANNEL = "cityassistant-webchat"
#: Seconds to wait for Redis to accept a connection (an unreachable host must not hold a reply).
REDIS_CONNECT_TIMEOUT_S = 1.0


def session_token_from(data: Any) -> Any:
    """What a client sent as the session to continue (checked by ``SessionTokens``)."""
    return data.get("session_id") if isinstance(data, dict) else None


def error_text(code: str, metadata: Any, **params: Any) -> str:
    """An error message in the language the page is showing (both when unknown)."""
    english, chinese = (text.format(**params) for text in ERROR_MESSAGES[code])
    language = metadata.get("language") if isinstance(metadata, dict) else None
    if language == "en":
        return english
    if language == "zh":
        return chinese
    return f"{chinese}\n{english}"


class WebChatOutput(SocketIOOutput):
    """Replies to every browser tab of one conversation (the session's room)."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        # Rasa's version spreads the JSON into emit()'s keyword arguments; the
        # page receives custom payloads as data instead.
        await self._send_message(recipient_id, {"custom": json_message})


class WebChatInput(InputChannel):
    """The web chat channel and page (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    def __init__(
        self,
        page: PageSettings | None = None,
        cors_allowed_origins: List[str] | None = None,
        max_metadata_bytes: int = DEFAULT_MAX_METADATA_BYTES,
        redis_url: str | None = None,
        identity: CityIdentity | None = None,
        sessions: SessionTokens | None = None,
    ) -> None:
        self.page = page or PageSettings()
        #: Who the city is: its hotline is named when a turn fails.
        self.identity = identity or CityIdentity()
        self.cors_allowed_origins = cors_allowed_origins
        self.max_metadata_bytes = max_metadata_bytes
        self.redis_url = redis_url
        self.sessions = sessions or SessionTokens.from_environment(os.environ)
        self.sio: AsyncServer | None = None

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        origins = credentials.get("cors_allowed_origins")
        identity = load_identity(os.environ)
        page = PageSettings(
            socketio_path=str(credentials.get("socketio_path", "/socket.io")),
            frame_ancestors=str(credentials.get("frame_ancestors", "'self'")),
            max_message_chars=int(credentials.get("max_message_chars", 2000)),
            city_name_en=identity.name_en,
            city_name_zh=identity.name_zh,
        )
        return cls(
            page=page,
            cors_allowed_origins=[str(origin) for origin in origins] if origins else None,
            max_metadata_bytes=int(
                credentials.get("max_metadata_bytes", DEFAULT_MAX_METADATA_BYTES)
            ),
            redis_url=redis_url_from(os.environ),
            identity=identity,
        )

    def url_prefix(self) -> str:
        # An absolute prefix: Rasa joins it onto "/webhooks/", which keeps it as is,
        # so residents get a short address (/chat/).
        return "/chat"

    def get_output_channel(self) -> OutputChannel | None:
        """The channel for pushes (e.g. complaint updates) to a resident who has the page open."""
        if self.sio is None:
            return None
        return WebChatOutput(self.sio, BOT_EVENT)

    def blueprint(self, on_new_message: Handler) -> SocketBlueprint:
        # None = same origin only (python-engineio's default); Rasa's channel
        # disables the check altogether.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins,
            max_http_buffer_size=MAX_PACKET_BYTES,
            client_manager=self._shared_manager(),
        )
        self.sio = sio
        blueprint = SocketBlueprint(sio, self.page.socketio_path, "webchat", __name__)
        self._add_page_routes(blueprint)
        self._add_socket_events(sio, on_new_message)
        return blueprint

    def _shared_manager(self) -> AsyncRedisManager | None:
        """Rooms shared with the other instances through Redis (None: this instance alone)."""
        if not self.redis_url:
            return None
        logger.info("web chat: replies shared with other instances through Redis")
        return AsyncRedisManager(
            self.redis_url,
            channel=REDIS_CHANNEL,
            redis_options={"socket_connect_timeout": REDIS_CONNECT_TIMEOUT_S},
        )

    def _add_page_routes(self, blueprint: SocketBlueprint) -> None:
        assets = load_assets()
        index = render_index(self.page)
        headers = security_headers(self.page.frame_ancestors)

        @blueprint.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):
                # The page's own files are addressed relative to /chat/.
                return response.redirect(request.path + "/", headers=headers)
            return response.html(index, headers=headers)

        @blueprint.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/static/<name:path>", methods=["GET"])
        async def asset(_: Request, name: str) -> HTTPResponse:
            if name not in ASSETS:
                return response.text("not found", status=404, headers=headers)
            return response.raw(assets[name], content_type=ASSETS[name], headers=headers)

    def _add_socket_events(self, sio: AsyncServer, on_new_message: Handler) -> None:
        @sio.on("connect")
        async def connect(sid: str, environ: Dict[str, Any], auth: Any = None) -> bool:
            return True

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            token = session_token_from(data)
            if self.sessions.conversation_of(token) is None:
                token = self.sessions.issue()  # never issued here: a new conversation
            await self._join(sid, str(token))

        @sio.on(USER_EVENT)
        async def user_uttered(sid: str, data: Any = None) -> Dict[str, Any]:
            return await self._handle(sid, data, on_new_message)

    async def _join(self, sid: str, token: str) -> tuple[str, str]:
        """Put the socket in the conversation of a verified token: (conversation, token)."""
        assert self.sio is not None
        conversation_id = self.sessions.conversation_of(token)
        assert conversation_id is not None
        await self.sio.enter_room(sid, conversation_id)
        await self.sio.save_session(sid, {"conversation_id": conversation_id, "token": token})
        await self.sio.emit("session_confirm", token, room=sid)
        return conversation_id, token

    async def _session_of(self, sid: str) -> tuple[str, str]:
        """(conversation, token) of this socket; one is opened if the client never asked."""
        assert self.sio is not None
        saved = await self.sio.get_session(sid)
        if isinstance(saved, dict) and isinstance(saved.get("conversation_id"), str):
            return saved["conversation_id"], str(saved.get("token"))
        return await self._join(sid, self.sessions.issue())

    async def _handle(self, sid: str, data: Any, on_new_message: Handler) -> Dict[str, Any]:
        """Validate, run the turn, acknowledge. The answer is the socket.io ack."""
        assert self.sio is not None
        metadata = data.get("metadata") if isinstance(data, dict) else None
        try:
            text, metadata = parse_socket_message(
                data, self.page.max_message_chars, self.max_metadata_bytes
            )
        except InvalidRequest as error:
            params = {"limit": self.page.max_message_chars}
            if error.code == "metadata_too_large":
                params = {"limit": self.max_metadata_bytes}
            message = error_text(error.code, metadata, **params)
            await self.sio.emit(BOT_EVENT, {"text": message, "error": error.code}, room=sid)
            return {"ok": False, "error": error.code, "message": message}

        session_id, session_token = await self._session_of(sid)
        output = WebChatOutput(self.sio, BOT_EVENT)
        started = time.monotonic()
        token = conversation.set(session_id)
        try:
            await on_new_message(
                UserMessage(text, output, session_id, input_channel=self.name(), metadata=metadata)
            )
        except Exception:  # noqa: BLE001 - the resident must get an answer whatever broke
            record_turn(self.name(), time.monotonic() - started, ok=False)
            logger.exception("web chat turn failed for conversation %s", session_id)
            message = error_text("assistant_error", metadata, hotline=self.identity.hotline)
            await self.sio.emit(BOT_EVENT, {"text": message, "error": "assistant_error"}, room=sid)
            return {"ok": False, "error": "assistant_error", "message": message}
        finally:
            conversation.reset(token)
        record_turn(self.name(), time.monotonic() - started)
        return {"ok": True, "session_id": session_token}
