"""The REST channel for integrators, with input validation in front of Rasa's.

Same URL and JSON as Rasa's built-in ``rest`` channel
(``POST /webhooks/rest/webhook`` with ``{"sender", "message", "metadata"}``),
but a malformed, empty, oversized or non-UTF-8 request gets a clear 4xx
instead of reaching the assistant (see ``bot.channels.validation``).

The REST channel names the conversation in the request (``sender``), so whoever can
call it can read and continue any conversation of the channel. It is for an
integrator's own systems, never for the public: every message needs
``Authorization: Bearer <REST_CHANNEL_TOKEN>`` (or ``token:`` in credentials.yml), and
without a token configured the channel is off (503). Its ``sender`` may not lie in
another channel's namespace (``wechat-…``, ``webchat-…``; 403). ``make run`` keeps a token in
``var/rest-token``; the production routing examples do not expose the channel.
"""

from __future__ import annotations

import hmac
import inspect
import logging
import os
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.namespaces import reserved_by
from bot.channels.validation import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_MESSAGE_CHARS,
    InvalidRequest,
    parse_rest_body,
)

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "REST_CHANNEL_TOKEN"
NOT_ENABLED = {
    "error": "rest_not_enabled",
    "message": f"The REST channel is off: set {TOKEN_VARIABLE} to enable it for an integrator.",
}
UNAUTHORISED = {
    "error": "unauthorized",
    "message": f"Send Authorization: Bearer <{TOKEN_VARIABLE}>.",
}


def reserved_sender(channel: str) -> Dict[str, str]:
    """The refusal of a ``sender`` in another channel's namespace (bot.channels.namespaces)."""
    return {
        "error": "sender_reserved",
        "message": f"Conversation ids starting with '{channel}-' belong to the {channel} "
        "channel; choose another sender.",
    }


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer …`` header, or ""."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class ValidatingRestInput(RestInput):
    """Rasa's REST channel with validated input (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(
        self,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        token: str = "",
    ) -> None:
        self.max_message_chars = max_message_chars
        self.max_body_bytes = max_body_bytes
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            max_message_chars=int(credentials.get("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS)),
            max_body_bytes=int(credentials.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
            token=str(credentials.get("token") or os.environ.get(TOKEN_VARIABLE, "")),
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.token:
                return response.json(NOT_ENABLED, status=503)
            if not hmac.compare_digest(bearer_token(request).encode(), self.token.encode()):
                return response.json(UNAUTHORISED, status=401)
            try:
                incoming = parse_rest_body(
                    request.body or b"", self.max_message_chars, self.max_body_bytes
                )
            except InvalidRequest as error:
                return response.json(error.as_json(), status=error.status)
            owner = reserved_by(incoming.sender)
            if owner is not None:
                return response.json(reserved_sender(owner), status=403)

            collector = CollectingOutputChannel()
            await on_new_message(
                UserMessage(
                    incoming.text,
                    collector,
                    incoming.sender,
                    input_channel=self.name(),
                    metadata=incoming.metadata,
                )
            )
            return response.json(collector.messages)

        return webhook
