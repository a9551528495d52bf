"""Slack: a turn is saved before its replies are posted, and a retried event runs once."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from typing import Any, Dict, List

import httpx
import pytest
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Sanic

from bot.channels.shared_store import LocalStore
from bot.channels.slack import EnvironmentSlackInput
from tests.factories.sanic_app import lifespan

SECRET = "slack-signing-secret"
URL = "/webhooks/slack/webhook"


class FakeSlackApi(OutputChannel):
    """Stands in for Slack's chat.postMessage: records posts, or fails like a revoked token."""

    def __init__(self, log: List[str], failing: bool) -> None:
        self.log, self.failing = log, failing

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.log.append(f"post:{text}")
        if self.failing:
            raise RuntimeError("slack api: token_revoked")


class Channel(EnvironmentSlackInput):
    def __init__(self, log: List[str], failing: bool = False) -> None:
        super().__init__(
            "xoxb-test", slack_signing_secret=SECRET, shared=LocalStore()
        )  # fmt: skip
        self.log, self.failing = log, failing

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> Any:
        return FakeSlackApi(self.log, self.failing)


def rasa(log: List[str]) -> Any:
    async def handle(message: UserMessage) -> None:
        log.append(f"turn:{message.text}")
        await message.output_channel.send_text_message(message.sender_id, f"re {message.text}")
        log.append("saved")  # Rasa saves the tracker before handle_message returns

    return handle


def event(event_id: str, text: str) -> Dict[str, Any]:
    return {
        "type": "event_callback",
        "event_id": event_id,
        "team_id": "T1",
        "event": {
            "type": "message", "channel_type": "im", "channel": "D1",
            "user": "U1", "text": text, "ts": "1700000000.0001",
        },
    }  # fmt: skip


def signed(body: bytes, **extra: str) -> Dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    return {
        "content-type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        **extra,
    }


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Sanic, "test_mode", True)


async def deliver(channel: Channel, log: List[str], posts: List[tuple[dict, dict]]) -> None:
    app = Sanic(f"slack_{uuid.uuid4().hex[:12]}")
    app.blueprint(channel.blueprint(rasa(log)), url_prefix="/webhooks/slack")
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        for payload, headers in posts:
            body = json.dumps(payload).encode()
            answer = await client.post(URL, content=body, headers=signed(body, **headers))
            assert answer.status_code == 200, answer.text
        for _ in range(50):
            if not channel._background_tasks:
                break
            await asyncio.sleep(0.02)


async def test_a_reply_is_posted_only_after_the_turn_is_saved() -> None:
    log: List[str] = []
    await deliver(Channel(log), log, [(event("Ev1", "hello"), {})])
    assert log == ["turn:hello", "saved", "post:re hello"]


async def test_a_slack_api_error_loses_neither_the_turn_nor_the_next_one() -> None:
    log: List[str] = []
    channel = Channel(log, failing=True)
    await deliver(channel, log, [(event("Ev1", "one"), {}), (event("Ev2", "two"), {})])
    assert log.count("saved") == 2 and "turn:two" in log


@pytest.mark.parametrize("reason", ["http_error", "http_timeout", "rate_limited", "unknown"])
async def test_a_retried_event_runs_the_turn_once_whatever_the_reason(reason: str) -> None:
    log: List[str] = []
    retry = {"x-slack-retry-num": "1", "x-slack-retry-reason": reason}
    await deliver(Channel(log), log, [(event("Ev9", "hi"), {}), (event("Ev9", "hi"), retry)])
    assert log.count("turn:hi") == 1


async def test_two_events_with_the_same_words_are_two_turns() -> None:
    log: List[str] = []
    await deliver(Channel(log), log, [(event("EvA", "yes"), {}), (event("EvB", "yes"), {})])
    assert log.count("turn:yes") == 2
