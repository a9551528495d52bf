"""Keep the ``language`` slot: which language the assistant replies in.

The NLU pipeline stores what each message shows about its language in the
message's ``language`` property (see ``bot.nlu.language_detector``). This
action turns that evidence into the reply language after every message:
explicit requests win, clear evidence switches, no evidence keeps the current
language, and script-neutral Chinese ("好的") keeps Traditional for a resident
who writes Traditional.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

ENGLISH = "en"
SIMPLIFIED = "zh"
TRADITIONAL = "zh-Hant"
SET_LANGUAGE_INTENT = "set_language"


def next_reply_language(
    current: str | None,
    evidence: Mapping[str, Any] | None,
    intent: str | None = None,
    requested: str | None = None,
) -> str | None:
    """The reply language after a message.

    ``evidence`` is the message's ``language`` property (``language`` en/zh/None,
    ``script`` hans/hant/None), ``requested`` the ``language`` entity of a
    ``set_language`` message.
    """
    evidence = evidence or {}
    script = evidence.get("script")

    def chinese() -> str:
        if script == "hant":
            return TRADITIONAL
        if script == "hans":
            return SIMPLIFIED
        return current if current in (SIMPLIFIED, TRADITIONAL) else SIMPLIFIED

    if intent == SET_LANGUAGE_INTENT and requested in (ENGLISH, SIMPLIFIED):
        return ENGLISH if requested == ENGLISH else chinese()
    language = evidence.get("language")
    if language == ENGLISH:
        return ENGLISH
    if language == SIMPLIFIED:
        return chinese()
    return current


class ValidateSlotMappings(ValidationAction):
    """Fills custom-mapped slots after every user message (Rasa's global validation action)."""

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> Dict[str, Any]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        requested = next(tracker.get_latest_entity_values("language"), None)
        current = tracker.get_slot("language")
        language = next_reply_language(current, message.get("language"), intent, requested)
        if language == current:
            return {}
        return {"language": language}
