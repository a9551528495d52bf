"""The action server gives every action call one budget for all its city calls."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from rasa_sdk import Action
from sanic import Sanic

from actions.clients import http
from tests.factories.sanic_app import lifespan

SEEN: list[float | None] = []


class ActionProbeTurnBudget(Action):
    """Registered by rasa_sdk like every Action subclass; records the turn's deadline."""

    def name(self) -> str:
        return "action_probe_turn_budget"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        SEEN.append(http._turn_ends.get())  # noqa: SLF001
        return []


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Sanic, "test_mode", True)


def call(action: str) -> dict[str, Any]:
    return {
        "next_action": action,
        "sender_id": "budget-test",
        "tracker": {"sender_id": "budget-test", "slots": {}, "latest_message": {}, "events": []},
        "domain": {},
        "version": "3.6.21",
    }


async def test_each_action_call_starts_with_a_fresh_turn_budget() -> None:
    from actions.server import build_app

    SEEN.clear()
    app = build_app(token="test-secret")
    transport = httpx.ASGITransport(app=app)
    async with (
        lifespan(app),
        httpx.AsyncClient(
            transport=transport,
            base_url="http://actions.test",
            headers={"X-Action-Token": "test-secret"},
        ) as client,
    ):
        for _ in range(2):
            before = time.monotonic()
            answer = await client.post("/webhook", json=call("action_probe_turn_budget"))
            assert answer.status_code == 200, answer.text
            deadline = SEEN[-1]
            assert deadline is not None
            assert before < deadline <= time.monotonic() + http.TURN_BUDGET_SECONDS
    assert SEEN[1] > SEEN[0]  # the second call got its own budget, not the first one's
