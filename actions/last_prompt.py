"""What the assistant asked just before the resident's message.

A resident asked "which ticket?" replies with the number alone, in whatever format
their city uses ("101000123456"). The NLU model knows only the formats it was trained
on and may call that reply anything, so the actions that can receive it look at the
question it answers: the response of the assistant's last message before it (Rasa
records the response name as ``utter_action`` in the bot event's metadata).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rasa_sdk import Tracker


def last_bot_message(tracker: Tracker) -> dict[str, Any] | None:
    """The assistant's last message before the latest one of the resident, if any."""
    latest_message_seen = False
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            if latest_message_seen:
                return None  # two messages in a row: nothing was asked in between
            latest_message_seen = True
        elif kind == "bot" and latest_message_seen:
            return event
    return None


def last_response(tracker: Tracker) -> str | None:
    """The response the assistant sent last before the latest message, if any."""
    message = last_bot_message(tracker)
    response = (message.get("metadata") or {}).get("utter_action") if message else None
    return str(response) if response else None


def answers(tracker: Tracker, responses: Collection[str]) -> bool:
    """Whether the latest message replies to one of ``responses``."""
    return last_response(tracker) in responses


def responses_since_last_message(tracker: Tracker) -> frozenset[str]:
    """Every response the assistant sent between the resident's last two messages."""
    found: set[str] = set()
    latest_message_seen = False
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            if latest_message_seen:
                break
            latest_message_seen = True
        elif kind == "bot" and latest_message_seen:
            response = (event.get("metadata") or {}).get("utter_action")
            if response:
                found.add(str(response))
    return frozenset(found)


def recent_responses(tracker: Tracker, turns: int) -> frozenset[str]:
    """Every response the assistant sent in its last ``turns`` replies (the resident's
    messages between them mark the turns), the latest message not counted."""
    found: set[str] = set()
    messages = 0
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            messages += 1
            if messages > turns:
                break
        elif kind == "bot" and messages:
            response = (event.get("metadata") or {}).get("utter_action")
            if response:
                found.add(str(response))
    return frozenset(found)
