"""Telegram, configured from the environment, without Rasa 3.6's start-up network call.

Rasa's ``telegram`` channel registers its webhook with Telegram from
``get_output_channel`` through ``asyncio.run``: at start-up that needs the network (the
server does not start offline), and inside a running event loop — which is where Rasa's
``trigger_intent`` API asks for an output channel to push a complaint update — it fails
outright (RasaHQ/rasa#13040). This subclass builds the output channel without touching
the network; the webhook is registered once, by a GET on
``/webhooks/telegram/set_webhook`` (docs/channels.md), as Rasa's own route does.

A chat's conversation id is ``telegram-<chat id>`` (:mod:`bot.channels.namespaces`).

Keys come from ``credentials.yml`` or the environment (``TELEGRAM_ACCESS_TOKEN``,
``TELEGRAM_BOT_NAME``, ``TELEGRAM_WEBHOOK_URL``); without them the webhook answers 503.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Awaitable, Callable, Dict, List

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import telegram_rows
from bot.channels.namespaces import conversation_id, platform_id

VARIABLES = {
    "access_token": "TELEGRAM_ACCESS_TOKEN",
    "verify": "TELEGRAM_BOT_NAME",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
}


def telegram_settings(
    credentials: Dict[str, Any] | None, environ: Mapping[str, str]
) -> dict[str, str]:
    """Each key from ``credentials.yml``, else from its environment variable, else ""."""
    given = dict(credentials or {})
    return {
        key: str(given.get(key) or environ.get(variable, "")) for key, variable in VARIABLES.items()
    }


class TelegramNotConfigured(InputChannel):
    """Stands in for Telegram until it has keys: its webhook answers 503, saying what to set."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        off = Blueprint("telegram_webhook", __name__)

        @off.route("/", methods=["GET"])
        @off.route("/webhook", methods=["GET", "POST"])
        @off.route("/set_webhook", methods=["GET", "POST"])
        async def not_configured(_: Request) -> HTTPResponse:
            wanted = ", ".join(VARIABLES.values())
            return response.json(
                {"error": "telegram_not_configured", "message": f"Set {wanted}."}, status=503
            )

        return off


class CityTelegramOutput(TelegramOutput):
    """Rasa's Telegram output with buttons in readable rows and data Telegram accepts."""

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Send to the chat behind a ``telegram-<chat id>`` conversation."""
        await super().send_response(platform_id("telegram", recipient_id), message)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        markup = InlineKeyboardMarkup()
        for row in telegram_rows(buttons):
            markup.row(
                *(InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row)
            )
        await self.send_message(recipient_id, text, reply_markup=markup)


class EnvironmentTelegramInput(TelegramInput):
    """Rasa's Telegram channel whose output channel needs no network to be created."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        settings = telegram_settings(credentials, os.environ)
        if not all(settings.values()):
            return TelegramNotConfigured()
        return cls(settings["access_token"], settings["verify"], settings["webhook_url"])

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's webhook, filing each chat under ``telegram-<chat id>`` (see namespaces)."""

        async def namespaced(message: UserMessage) -> Any:
            message.sender_id = conversation_id(self.name(), message.sender_id)
            return await on_new_message(message)

        return super().blueprint(namespaced)

    def get_output_channel(self) -> TelegramOutput:
        """The bot client, without registering the webhook (see the module docstring)."""
        return CityTelegramOutput(self.access_token)
