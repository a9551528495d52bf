"""The running stack's internal doors refuse callers without their secrets."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.conftest import ACTIONS_PORT

pytestmark = pytest.mark.integration


def test_an_action_call_without_rasas_secret_runs_nothing(stack: str) -> None:
    """A hand-made call for another resident's ticket is refused by the action server."""
    call = {
        "next_action": "action_complaint_status",
        "sender_id": "someone-else",
        "tracker": {"sender_id": "someone-else", "slots": {}, "latest_message": {}, "events": []},
        "domain": {},
    }
    actions = f"http://127.0.0.1:{ACTIONS_PORT}"
    for headers in ({}, {"X-Action-Token": "guess"}):
        answer = httpx.post(f"{actions}/webhook", json=call, headers=headers, timeout=30)
        assert answer.status_code == 401
        assert "events" not in answer.text
    assert httpx.get(f"{actions}/health", timeout=10).status_code == 200
