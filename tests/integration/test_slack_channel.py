"""Slack requests reach the assistant only when signed with the app's signing secret.

Slack signs each request: ``X-Slack-Signature = v0=HMAC-SHA256(secret, "v0:{ts}:{body}")``
with ``X-Slack-Request-Timestamp = ts``. The stack runs with a test secret (conftest);
these requests are what Slack sends when an app's event URL is set up (url_verification).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pytest

from tests.integration.conftest import SLACK_SIGNING_SECRET

pytestmark = pytest.mark.integration
WEBHOOK = "/webhooks/slack/webhook"
CHALLENGE = {"type": "url_verification", "token": "t", "challenge": "integration-challenge"}


def signed(body: bytes, secret: str = SLACK_SIGNING_SECRET, at: int | None = None) -> dict:
    timestamp = str(int(time.time()) if at is None else at)
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


def test_a_correctly_signed_event_is_answered(client: httpx.Client) -> None:
    body = json.dumps(CHALLENGE).encode()
    answer = client.post(WEBHOOK, content=body, headers=signed(body))
    assert answer.status_code == 200
    assert answer.json() == "integration-challenge"


def test_a_request_signed_with_another_secret_is_refused(client: httpx.Client) -> None:
    body = json.dumps(CHALLENGE).encode()
    answer = client.post(WEBHOOK, content=body, headers=signed(body, secret="not-the-secret"))
    assert answer.status_code == 400
    assert "signed" in answer.text


def test_a_replayed_request_from_ten_minutes_ago_is_refused(client: httpx.Client) -> None:
    body = json.dumps(CHALLENGE).encode()
    answer = client.post(WEBHOOK, content=body, headers=signed(body, at=int(time.time()) - 600))
    assert answer.status_code == 400


def test_a_body_changed_after_signing_is_refused(client: httpx.Client) -> None:
    body = json.dumps(CHALLENGE).encode()
    headers = signed(body)
    answer = client.post(
        WEBHOOK, content=body.replace(b"integration", b"tampered"), headers=headers
    )
    assert answer.status_code == 400
