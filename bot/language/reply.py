"""The reply language after each message: what the ``language`` slot becomes.

The NLU pipeline stores what each message shows about its language in the
message's ``language`` property (see ``bot.nlu.language_detector``).
``bot.policies.reply_language.ReplyLanguagePolicy`` turns that evidence into the
reply language after every message, inside Rasa:
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

from typing import Any, Mapping

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
