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
