"""What the resident just said: the latest message's text and intent.

Every journey reads these to decide what a message means beside the model's intent
("exit A" at the phone step, "那护照呢" after a fee), so they live here once rather
than as the same dictionary walk in every module.
"""

from __future__ import annotations

from rasa_sdk import Tracker


def text_of(tracker: Tracker) -> str:
    """The latest message's text as the resident typed it ("" when there is none)."""
    return str((tracker.latest_message or {}).get("text") or "")


def intent_of(tracker: Tracker) -> str | None:
    """The name of the intent the model read in the latest message, if any."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    return str(name) if name else None
