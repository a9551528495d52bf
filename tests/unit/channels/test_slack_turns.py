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
from bot.channels.slack import CitySlackBot, EnvironmentSlackInput, post_with_retries
from tests.factories.sanic_app import lifespan

SECRET = "slack-signing-secret"
URL = "/webhooks/slack/webhook"


class FakeSlackApi(OutputChannel):
    """Stands in for Slack's chat.postMessage: records posts, or fails like a revoked token
    (``failing`` times, then succeeds)."""

    def __init__(self, log: List[str], failing: int) -> None:
        self.log, self.failing = log, failing

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.log.append(f"post:{recipient_id}:{text}")
        if self.failing:
            self.failing -= 1
            raise RuntimeError("slack api: ratelimited")


class Channel(EnvironmentSlackInput):
    def __init__(self, log: List[str], failing: int = 0) -> None:
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
    assert log == ["turn:hello", "saved", "post:slack-U1:re hello"]


async def test_the_conversation_is_filed_under_the_slack_namespace() -> None:
    seen: List[str] = []

    async def handle(message: UserMessage) -> None:
        seen.append(str(message.sender_id))

    channel = Channel([])
    app = Sanic(f"slack_{uuid.uuid4().hex[:12]}")
    app.blueprint(channel.blueprint(handle), url_prefix="/webhooks/slack")
    body = json.dumps(event("EvN", "hi")).encode()
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        assert (await client.post(URL, content=body, headers=signed(body))).status_code == 200
        for _ in range(50):
            if seen:
                break
            await asyncio.sleep(0.02)
    assert seen == ["slack-U1"]


async def test_replies_go_to_the_slack_user_behind_the_conversation_id() -> None:
    posted: List[Dict[str, Any]] = []

    class RecordingBot(CitySlackBot):
        async def _post_message(self, channel: str, **kwargs: Any) -> None:
            posted.append({"channel": channel, "text": kwargs.get("text")})

    await RecordingBot("xoxb-test").send_response("slack-U1", {"text": "hello"})
    assert posted == [{"channel": "U1", "text": "hello"}]


async def test_a_failed_post_is_tried_again_until_slack_takes_it() -> None:
    log: List[str] = []
    api = FakeSlackApi(log, failing=2)
    delivered = await post_with_retries(api, "slack-U1", {"text": "hi"}, delays=(0, 0, 0))
    assert delivered and log == ["post:slack-U1:hi"] * 3


async def test_a_post_that_keeps_failing_gives_up_after_the_last_try() -> None:
    log: List[str] = []
    api = FakeSlackApi(log, failing=10)
    delivered = await post_with_retries(api, "slack-U1", {"text": "hi"}, delays=(0, 0))
    assert not delivered and len(log) == 3


async def test_a_slack_api_error_loses_neither_the_turn_nor_the_next_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.channels.slack.POST_RETRY_DELAYS", (0.0,))
    log: List[str] = []
    channel = Channel(log, failing=100)
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
