"""Talking to the running stack as a resident does: the REST channel, one sender per test."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

WEBHOOK = "/webhooks/rest/webhook"
#: The integrator's token every stack under test is started with (REST_CHANNEL_TOKEN).
REST_TOKEN = "integration-rest-token"
REST_HEADERS = {"Authorization": f"Bearer {REST_TOKEN}"}


def new_sender(prefix: str) -> str:
    """A sender id no other test (or earlier run) has used."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def send(
    client: httpx.Client, sender: str, message: str, metadata: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    answer = client.post(WEBHOOK, json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def say(client: httpx.Client, sender: str, message: str, **metadata: Any) -> str:
    """The text of every reply to ``message``, joined (fails when there is none)."""
    replies = send(client, sender, message, metadata or None)
    assert replies, f"no reply to {message!r}"
    return "\n".join(r.get("text", "") for r in replies)
