"""Builders for trackers and events used by the action tests."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker


def user_event(
    text: str, intent: str, confidence: float = 0.9, language: Dict[str, Any] | None = None
) -> Dict[str, Any]:
    """A user message event as the action server receives it."""
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": [],
            "language": language or {"code": None, "language": None, "script": None},
        },
    }


def tracker_with(events: List[Dict[str, Any]], slots: Dict[str, Any] | None = None) -> Tracker:
    """A tracker whose latest message is the last user event in ``events``."""
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker(
        sender_id="resident-1",
        slots=slots or {"language": None},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def resident_says(
    text: str,
    intent: str | None = "inform",
    *,
    confidence: float = 0.95,
    entities: List[Dict[str, Any]] | None = None,
    metadata: Dict[str, Any] | None = None,
    slots: Dict[str, Any] | None = None,
    requested: str | None = None,
    sender: str = "resident-1",
    channel: str = "rest",
    active_loop: str | None = None,
    after: str | None = None,
) -> Tracker:
    """A tracker right after the resident sent ``text`` (the form's point of view),
    in reply to the response ``after`` when given."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "metadata": metadata or {},
        "message_id": f"msg-{abs(hash((sender, text))) % 10**8}",
    }
    all_slots: Dict[str, Any] = {"language": "en", "requested_slot": requested, **(slots or {})}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    if after:
        events.insert(0, {"event": "bot", "text": "…", "metadata": {"utter_action": after}})
    return Tracker(
        sender_id=sender,
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def entity(name: str, value: str, text: str = "", start: int | None = None) -> Dict[str, Any]:
    """An NLU entity; ``start``/``end`` point at ``value`` inside ``text`` when given."""
    found = text.find(value) if start is None and text else start
    result: Dict[str, Any] = {"entity": name, "value": value}
    if found is not None and found >= 0:
        result.update(start=found, end=found + len(value))
    return result
