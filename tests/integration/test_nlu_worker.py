"""make run parses residents' messages in its NLU worker process (bot/nlu_worker.py).

The stack starts the worker once Rasa is ready; from then on Rasa's metrics count the
messages the worker parsed, and the conversation goes on exactly as before.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest

pytestmark = pytest.mark.integration

WORKER = re.compile(r'^nlu_parses_total\{where="worker"\} (\S+)$', re.MULTILINE)


def parsed_by_worker(client: httpx.Client) -> float:
    found = WORKER.search(client.get("/ops/metrics").text)
    return float(found.group(1)) if found else 0.0


def test_messages_are_parsed_by_the_worker_and_answered_as_before(client: httpx.Client) -> None:
    # The worker loads its model after the stack is ready: up to a few seconds on 2 cores.
    deadline = time.monotonic() + 120
    before = parsed_by_worker(client)
    replies: list[dict] = []
    attempt = 0
    while parsed_by_worker(client) <= before:
        assert time.monotonic() < deadline, "no message was parsed by the NLU worker"
        attempt += 1
        # A new text each time: a text parsed before comes from the parse cache
        # (bot/parse_cache.py) and never reaches the worker.
        replies = client.post(
            "/webhooks/rest/webhook",
            json={
                "sender": "nlu-worker-check",
                "message": "深圳北站下一班地铁几点" + "？" * attempt,
            },
        ).json()
        time.sleep(1)
    assert replies and any("深圳北" in reply.get("text", "") for reply in replies)
    english = client.post(
        "/webhooks/rest/webhook",
        json={"sender": "nlu-worker-check-en", "message": "how much is a passport"},
    ).json()
    assert any("passport" in reply.get("text", "").lower() for reply in english)
