"""The action server gets the recent part of a conversation, and our actions read the same."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Tracker

import bot.speedups
from actions.conversation import consecutive_misses, handoff_reason
from actions.last_prompt import last_response
from bot.action_payload import RECENT_USER_MESSAGES, action_call_format

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform, nlu_fallback]
slots:
  language: {type: text, mappings: [{type: custom}]}
actions: [action_hello]
"""
)


def conversation(user_messages: int) -> DialogueStateTracker:
    """A conversation of ``user_messages`` turns; the latest few were not understood."""
    tracker = DialogueStateTracker("wechat-o1", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    for number in range(user_messages):
        intent = "nlu_fallback" if number >= user_messages - 2 else "inform"
        tracker.update(
            UserUttered(f"message {number}", {"name": intent, "confidence": 0.9}), DOMAIN
        )
        tracker.update(SlotSet("language", "zh" if number % 2 else "en"))
        tracker.update(ActionExecuted("utter_ask_more"))
        tracker.update(BotUttered("anything else?", metadata={"utter_action": "utter_ask_more"}))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def payloads(tracker: DialogueStateTracker) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what Rasa 3.6.21 sends, what we send) for one action call."""
    action = RemoteAction("action_hello", EndpointConfig("http://localhost:5055/webhook"))
    bot.speedups.uninstall()
    try:
        rasas = action._action_call_format(tracker, DOMAIN)
    finally:
        bot.speedups.install()
    return rasas, action_call_format(action, tracker, DOMAIN)


def test_a_short_conversation_is_sent_exactly_as_rasa_sends_it() -> None:
    rasas, ours = payloads(conversation(RECENT_USER_MESSAGES - 1))
    assert ours == rasas


def test_a_long_conversation_sends_only_its_recent_events_and_everything_else_whole() -> None:
    rasas, ours = payloads(conversation(200))
    assert len(rasas["tracker"]["events"]) > 900
    users = [e for e in ours["tracker"]["events"] if e["event"] == "user"]
    assert len(users) == RECENT_USER_MESSAGES
    assert (
        ours["tracker"]["events"] == rasas["tracker"]["events"][-len(ours["tracker"]["events"]) :]
    )
    del rasas["tracker"]["events"], ours["tracker"]["events"]
    assert ours == rasas


def test_the_patch_is_what_rasa_uses_once_bot_is_imported() -> None:
    action = RemoteAction("action_hello", EndpointConfig("http://localhost:5055/webhook"))
    sent = action._action_call_format(conversation(100), DOMAIN)
    assert sum(e["event"] == "user" for e in sent["tracker"]["events"]) == RECENT_USER_MESSAGES


@pytest.mark.parametrize("length", [1, 5, 40, 200])
def test_every_reader_of_events_in_our_actions_sees_the_same(length: int) -> None:
    rasas, ours = payloads(conversation(length))
    whole, recent = Tracker.from_dict(rasas["tracker"]), Tracker.from_dict(ours["tracker"])
    assert last_response(recent) == last_response(whole)
    assert consecutive_misses(recent.events) == consecutive_misses(whole.events)
    assert handoff_reason(recent.events) == handoff_reason(whole.events)
    assert recent.slots_to_validate() == whole.slots_to_validate()
    assert recent.latest_message == whole.latest_message and recent.slots == whole.slots


def test_the_recent_events_cover_every_reader_with_one_message_to_spare() -> None:
    """Raising what an action reads back (handoff context, misses before a person is
    offered) must raise what is sent: this fails first."""
    from actions.conversation import HANDOFF_CONTEXT_MESSAGES, MISSES_BEFORE_OFFERING_HUMAN

    needed = max(HANDOFF_CONTEXT_MESSAGES, MISSES_BEFORE_OFFERING_HUMAN, 2)  # 2: last_prompt
    spare = RECENT_USER_MESSAGES - needed
    assert spare >= 1


def test_a_long_run_of_misses_still_offers_a_person() -> None:
    """The count of misses stops at what is sent; the decision it feeds does not change."""
    from actions.conversation import MISSES_BEFORE_OFFERING_HUMAN

    tracker = conversation(3)
    for number in range(RECENT_USER_MESSAGES + 3):
        tracker.update(UserUttered(f"???{number}", {"name": "nlu_fallback", "confidence": 0.2}))
        tracker.update(ActionExecuted("action_listen"))
    rasas, ours = payloads(tracker)
    whole, recent = Tracker.from_dict(rasas["tracker"]), Tracker.from_dict(ours["tracker"])
    assert consecutive_misses(whole.events) > RECENT_USER_MESSAGES
    assert consecutive_misses(recent.events) >= MISSES_BEFORE_OFFERING_HUMAN


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.prod.yml"])
def test_only_the_form_validation_is_sent_the_domain(
    endpoints: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in re.findall(r"\$\{(\w+)\}", (ROOT / endpoints).read_text(encoding="utf-8")):
        monkeypatch.setenv(name, "http://actions/webhook" if name.endswith("URL") else "x")
    endpoint = read_endpoints_from_path(ROOT / endpoints).action
    domain = Domain.load(ROOT / "domain.yml")
    tracker = DialogueStateTracker("webchat-a", domain.slots)
    validation = RemoteAction("validate_complaint_form", endpoint)
    answer = RemoteAction("action_handle_inform", endpoint)
    assert validation._action_call_format(tracker, domain)["domain"] == domain.as_dict()
    assert "domain" not in answer._action_call_format(tracker, domain)


def test_no_action_reads_the_domain_it_is_not_sent() -> None:
    """Only validate_* actions get the domain; every other action passes it on untouched."""
    readers = []
    for path in sorted((ROOT / "actions").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, (ast.Attribute, ast.Subscript))
                and isinstance(node.value, ast.Name)
                and node.value.id == "domain"
            ):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []
