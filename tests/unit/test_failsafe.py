"""An action that raises still answers the resident (actions/failsafe.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection

from actions.failsafe import FALLBACK_RESPONSE, install


class Broken(Action):
    def name(self) -> str:
        return "action_broken_for_test"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        raise RecursionError("maximum recursion depth exceeded")


class Rejecting(Action):
    def name(self) -> str:
        return "action_rejecting_for_test"

    async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        raise ActionExecutionRejection(self.name())


def call(name: str) -> dict:
    return {"next_action": name, "tracker": {"sender_id": "r1", "events": [], "slots": {}}}


async def test_an_action_that_raises_answers_with_the_service_trouble_reply() -> None:
    install()
    executor = ActionExecutor()
    executor.register_action(Broken())
    reply = await executor.run(call("action_broken_for_test"))
    assert reply is not None and reply["events"] == []
    assert [m["response"] for m in reply["responses"]] == [FALLBACK_RESPONSE]


async def test_a_rejection_is_still_rasas_to_handle() -> None:
    install()
    executor = ActionExecutor()
    executor.register_action(Rejecting())
    with pytest.raises(ActionExecutionRejection):
        await executor.run(call("action_rejecting_for_test"))


def test_installing_twice_wraps_once() -> None:
    install()
    first = ActionExecutor.run
    install()
    assert ActionExecutor.run is first
