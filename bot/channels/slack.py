"""Slack, configured from the environment: Rasa's own Slack channel, off until given keys.

Rasa's ``slack`` channel verifies every request's ``X-Slack-Signature`` (HMAC-SHA256 of
``v0:timestamp:body`` with the app's signing secret, timestamps older than five minutes
refused) and renders buttons as Slack blocks. Listing it in ``credentials.yml`` with
``${SLACK_BOT_TOKEN}`` would stop ``make run`` on every machine without Slack keys, so
this subclass reads ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` itself: without them
its webhook answers 503 "not configured" and the rest of the assistant runs as usual.
See docs/channels.md for setting up the Slack app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import slack_blocks

TOKEN_VARIABLE = "SLACK_BOT_TOKEN"
SECRET_VARIABLE = "SLACK_SIGNING_SECRET"


def slack_settings(
    credentials: Dict[str, Any] | None, environ: Mapping[str, str]
) -> dict[str, Any]:
    """``credentials.yml`` values, with the token and secret from the environment if absent."""
    settings = dict(credentials or {})
    settings["slack_token"] = settings.get("slack_token") or environ.get(TOKEN_VARIABLE, "")
    settings["slack_signing_secret"] = settings.get("slack_signing_secret") or environ.get(
        SECRET_VARIABLE, ""
    )
    return settings


class SlackNotConfigured(InputChannel):
    """Stands in for Slack until it has keys: its webhook answers 503, saying what to set."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        off = Blueprint("slack_webhook", __name__)

        @off.route("/", methods=["GET"])
        @off.route("/webhook", methods=["GET", "POST"])
        async def not_configured(_: Request) -> HTTPResponse:
            return response.json(
                {
                    "error": "slack_not_configured",
                    "message": f"Set {TOKEN_VARIABLE} and {SECRET_VARIABLE} to enable Slack.",
                },
                status=503,
            )

        return off


class CitySlackBot(SlackBot):
    """Rasa's Slack output with every button shown (see ``bot.channels.buttons``)."""

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._post_message(
            channel=self.slack_channel or recipient_id,
            as_user=True,
            text=text,
            blocks=slack_blocks(text, buttons),
        )


class EnvironmentSlackInput(SlackInput):
    """Rasa's Slack channel, built from credentials.yml and the environment."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        settings = slack_settings(credentials, os.environ)
        if not (settings["slack_token"] and settings["slack_signing_secret"]):
            # Rasa refuses a Slack channel without a signing secret; so do we, quietly.
            return SlackNotConfigured()
        return cls(
            settings["slack_token"],
            settings.get("slack_channel"),
            settings.get("proxy"),
            settings.get("slack_retry_reason_header", "x-slack-retry-reason"),
            settings.get("slack_retry_number_header", "x-slack-retry-num"),
            settings.get("errors_ignore_retry"),
            settings.get("use_threads", False),
            settings["slack_signing_secret"],
            settings.get("conversation_granularity", "sender"),
        )

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        return CitySlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
