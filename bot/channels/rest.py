"""The REST channel for integrators, with input validation in front of Rasa's.

Same URL and JSON as Rasa's built-in ``rest`` channel
(``POST /webhooks/rest/webhook`` with ``{"sender", "message", "metadata"}``),
but a malformed, empty, oversized or non-UTF-8 request gets a clear 4xx
instead of reaching the assistant (see ``bot.channels.validation``).
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.validation import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_MESSAGE_CHARS,
    InvalidRequest,
    parse_rest_body,
)

logger = logging.getLogger(__name__)


class ValidatingRestInput(RestInput):
    """Rasa's REST channel with validated input (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(
        self,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        self.max_message_chars = max_message_chars
        self.max_body_bytes = max_body_bytes

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            max_message_chars=int(credentials.get("max_message_chars", DEFAULT_MAX_MESSAGE_CHARS)),
            max_body_bytes=int(credentials.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
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
            try:
                incoming = parse_rest_body(
                    request.body or b"", self.max_message_chars, self.max_body_bytes
                )
            except InvalidRequest as error:
                return response.json(error.as_json(), status=error.status)

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
