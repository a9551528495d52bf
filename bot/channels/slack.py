"""Slack, configured from the environment: Rasa's own Slack channel, off until given keys.

Rasa's ``slack`` channel verifies every request's ``X-Slack-Signature`` (HMAC-SHA256 of
``v0:timestamp:body`` with the app's signing secret, timestamps older than five minutes
refused) and renders buttons as Slack blocks. Listing it in ``credentials.yml`` with
``${SLACK_BOT_TOKEN}`` would stop ``make run`` on every machine without Slack keys, so
this subclass reads ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` itself: without them
its webhook answers 503 "not configured" and the rest of the assistant runs as usual.
See docs/channels.md for setting up the Slack app.

Two changes to how Rasa's channel handles a message:

* **The turn is saved before anything is posted.** Rasa's channel posts each reply to
  Slack while the turn runs, so a Slack API error (rate limit, revoked token) aborted
  the turn before the conversation was saved: the message and the form's state were
  lost. Replies are now collected, and posted once Rasa has saved the turn; a failed
  post is tried again after 1, 4 and 15 s, then logged; the conversation stays saved.
* **Every retry is recognised.** Slack resends an event it thinks failed (timeouts,
  HTTP errors, rate limits…) with the same ``event_id``; Rasa ignores only
  ``http_timeout`` retries, so others ran the turn twice. Each event id (a button
  click's ``trigger_id``) is claimed once, for an hour, in the shared store (Redis in
  production, so it holds across instances).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Mapping
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import slack_blocks
from bot.channels.namespaces import conversation_id, platform_id
from bot.channels.shared_store import SharedStore, shared_store

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "SLACK_BOT_TOKEN"
SECRET_VARIABLE = "SLACK_SIGNING_SECRET"
#: How long an event id is remembered: Slack retries within minutes.
EVENT_MEMORY_SECONDS = 3600.0
#: Pauses before posting a reply again (rate limits and blips last seconds).
POST_RETRY_DELAYS: tuple[float, ...] = (1.0, 4.0, 15.0)


async def post_with_retries(
    slack: OutputChannel,
    recipient: str,
    content: Dict[str, Any],
    delays: tuple[float, ...] | None = None,
) -> bool:
    """Post one reply, trying again after each of ``delays``; whether it got through.

    The turn is already saved, so a reply that never reaches Slack is only unseen,
    never lost from the conversation; the resident sees it if a later try succeeds.
    """
    pauses = POST_RETRY_DELAYS if delays is None else delays
    for attempt in range(len(pauses) + 1):
        try:
            # Rasa's send_response pops what it sends from the dict: each try gets a copy.
            await slack.send_response(recipient, dict(content))
            return True
        except Exception as error:  # noqa: BLE001 - any Slack/API failure is retried
            if attempt == len(pauses):
                logger.warning("A reply could not be posted to Slack: %s", error)
                return False
            await asyncio.sleep(pauses[attempt])
    return False


def event_key(request: Request) -> str | None:
    """The id Slack keeps for one event across its retries, if the request has one."""
    try:
        if request.headers.get("content-type") == "application/json":
            body = request.json or {}
            key = body.get("event_id")
        else:
            payload = json.loads(request.form.get("payload") or "{}")
            key = payload.get("trigger_id") or payload.get("action_ts")
    except (ValueError, TypeError, AttributeError):
        return None
    return f"slack:event:{key}" if isinstance(key, str) and key else None


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

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Send to the Slack user behind a ``slack-<user id>`` conversation."""
        await super().send_response(platform_id("slack", recipient_id), message)

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
    """Rasa's Slack channel, built from credentials.yml and the environment (see module)."""

    def __init__(self, *args: Any, shared: SharedStore | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared = shared if shared is not None else shared_store(os.environ)

    @classmethod
    def name(cls) -> str:
        return "slack"

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str | None,
        metadata: Dict[str, Any] | None,
    ) -> Any:
        """Run the turn once per Slack event, saved before its replies are posted."""
        key = event_key(request)
        if key is not None and not await self._shared.claim(key, "1", EVENT_MEMORY_SECONDS):
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        metadata = metadata or {}
        thread_id = metadata.get("thread_id") if self.use_threads else None
        slack = self.get_output_channel(metadata.get("out_channel"), thread_id)
        collector = CollectingOutputChannel()
        conversation = conversation_id(self.name(), sender_id) if sender_id else None
        message = UserMessage(
            text, collector, conversation, input_channel=self.name(), metadata=metadata
        )
        task = asyncio.create_task(self._turn_then_post(on_new_message, message, slack))
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        return response.text("")

    @staticmethod
    async def _turn_then_post(
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        message: UserMessage,
        slack: OutputChannel,
    ) -> None:
        collector = message.output_channel
        assert isinstance(collector, CollectingOutputChannel)
        try:
            await on_new_message(message)  # Rasa saves the turn before this returns
        except Exception:  # noqa: BLE001 - logged; Slack gets no reply for a failed turn
            logger.exception("A Slack message failed in the assistant")
            return
        for reply in collector.messages:
            content = {key: value for key, value in reply.items() if key != "recipient_id"}
            if not await post_with_retries(slack, str(message.sender_id), content):
                return  # later replies would arrive out of order; the turn is saved

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
