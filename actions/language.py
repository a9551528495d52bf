"""Keep the ``language`` slot: which language the assistant replies in.

The NLU pipeline stores what each message shows about its language in the
message's ``language`` property (see ``bot.nlu.language_detector``). This
action turns that evidence into the reply language after every message:
explicit requests win, clear evidence switches, no evidence keeps the current
language, and script-neutral Chinese ("好的") keeps Traditional for a resident
who writes Traditional.

A channel whose page has a language switch (the web chat's 中文 / English) sends
the resident's choice as message metadata ``{"language": "en" | "zh"}``. That
is an explicit request too, made with every message, so it wins over what the
text looks like: a resident who picked English and types a Chinese station
name still gets English.
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
    chosen: str | None = None,
) -> str | None:
    """The reply language after a message.

    ``evidence`` is the message's ``language`` property (``language`` en/zh/None,
    ``script`` hans/hant/None), ``requested`` the ``language`` entity of a
    ``set_language`` message, ``chosen`` the language the channel's page says
    the resident picked (metadata), if any.
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
    if chosen in (ENGLISH, SIMPLIFIED):
        return ENGLISH if chosen == ENGLISH else chinese()
    language = evidence.get("language")
    if language == ENGLISH:
        return ENGLISH
    if language == SIMPLIFIED:
        return chinese()
    return current


def chosen_language(message: Mapping[str, Any]) -> str | None:
    """The reply language the resident picked on the channel's page, from message metadata.

    The page offers English and Chinese (``zh``; the script then follows what the
    resident writes). Anything else (absent, a number, "fr", a 10 kB string)
    counts as no choice.
    """
    metadata = message.get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    chosen = metadata.get("language")
    if chosen in (ENGLISH, SIMPLIFIED):
        return str(chosen)
    return None


class ValidateSlotMappings(ValidationAction):
    """Fills custom-mapped slots after every user message (Rasa's global validation action)."""

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> Dict[str, Any]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        requested = next(tracker.get_latest_entity_values("language"), None)
        current = tracker.get_slot("language")
        language = next_reply_language(
            current, message.get("language"), intent, requested, chosen_language(message)
        )
        if language == current:
            return {}
        return {"language": language}
