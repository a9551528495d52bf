"""What a conversation's events mean to a reviewer: the transcript's turns, the list's summary.

Pure functions over Rasa's event dicts (the ``data`` column of the tracker
store's ``events`` table, with the row id added as ``_id``). The signals a
reviewer filters on are read here, in one place:

- a **fallback**: the ``nlu_fallback`` intent or a fallback action ran;
- a **handoff**: the resident asked for a person (``request_human`` or the
  ``handoff_requested`` slot), with what they needed (``handoff_reason`` or the
  message before);
- a **complaint filed**: the ``complaint_tickets`` slot grew; a **permit status**
  looked up: ``action_permit_status`` ran;
- an **API error**: the assistant said a city service was unavailable or refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Sequence

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = {
    "action_handle_fallback",
    "action_default_fallback",
    "action_two_stage_fallback",
}
HANDOFF_INTENT = "request_human"
HANDOFF_SLOT = "handoff_requested"
HANDOFF_REASON_SLOT = "handoff_reason"
TICKETS_SLOT = "complaint_tickets"
APPLICATION_SLOT = "application_id"
PERMIT_STATUS_ACTION = "action_permit_status"
#: Responses that mean a city service failed the resident.
SERVICE_ERROR_RESPONSES = re.compile(
    r"^utter_(service_unavailable|service_rejected|\w+_unavailable)$"
)
#: Slots Rasa sets for its own bookkeeping, not worth a reviewer's attention.
INTERNAL_SLOTS = {"session_started_metadata", "requested_slot"}
PREVIEW_CHARS = 200
EXTERNAL_PREFIX = "EXTERNAL_"


@dataclass(frozen=True)
class UserTurn:
    """A resident's message with what the NLU made of it."""

    event_id: int
    at: float
    text: str
    intent: str | None
    confidence: float | None
    entities: Sequence[Mapping[str, Any]]
    language: str | None
    channel: str | None


@dataclass(frozen=True)
class BotTurn:
    """Something the assistant said (``response`` is the domain response, when known)."""

    at: float
    text: str
    response: str | None
    buttons: Sequence[str] = ()
    service_error: bool = False


@dataclass(frozen=True)
class ActionTurn:
    """An action the assistant ran, and the policy that chose it."""

    at: float
    name: str
    policy: str | None
    confidence: float | None


@dataclass(frozen=True)
class SlotTurn:
    """A slot the assistant filled."""

    at: float
    name: str
    value: Any


Turn = UserTurn | BotTurn | ActionTurn | SlotTurn


@dataclass
class Summary:
    """One conversation as the list shows and filters it."""

    sender_id: str
    started_at: float
    last_event_at: float
    last_event_id: int
    channel: str = ""
    language: str = ""
    user_messages: int = 0
    min_confidence: float | None = None
    had_fallback: bool = False
    handoff_requested: bool = False
    handoff_at: float | None = None
    complaint_filed: bool = False
    permit_status_checked: bool = False
    api_errors: int = 0
    first_message: str = ""
    intents: Dict[str, int] = field(default_factory=dict)
    texts: List[str] = field(default_factory=list)


def parse_event(data: str | None, event_id: int) -> Dict[str, Any] | None:
    """One ``events.data`` value as a dict, or None when it is not readable JSON."""
    if not data:
        return None
    try:
        event = json.loads(data)
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(event, dict):
        return None
    event["_id"] = event_id
    return event


def turns(events: Iterable[Mapping[str, Any]]) -> List[Turn]:
    """The transcript: messages, actions (not ``action_listen``) and slots, in order."""
    result: List[Turn] = []
    for event in events:
        kind = event.get("event")
        at = float(event.get("timestamp") or 0.0)
        if kind == "user":
            result.append(_user_turn(event, at))
        elif kind == "bot":
            result.append(_bot_turn(event, at))
        elif kind == "action" and event.get("name") not in (None, "action_listen"):
            result.append(
                ActionTurn(
                    at, str(event["name"]), event.get("policy"), _number(event.get("confidence"))
                )
            )
        elif kind == "slot" and event.get("name") not in INTERNAL_SLOTS:
            result.append(SlotTurn(at, str(event.get("name")), event.get("value")))
    return result


def _user_turn(event: Mapping[str, Any], at: float) -> UserTurn:
    parse = _mapping(event.get("parse_data"))
    intent = _mapping(parse.get("intent"))
    entities = [e for e in parse.get("entities") or [] if isinstance(e, Mapping)]
    return UserTurn(
        event_id=int(event.get("_id") or 0),
        at=at,
        text=str(event.get("text") or ""),
        intent=intent.get("name"),
        confidence=_number(intent.get("confidence")),
        entities=entities,
        language=message_language(event),
        channel=event.get("input_channel"),
    )


def _bot_turn(event: Mapping[str, Any], at: float) -> BotTurn:
    metadata = _mapping(event.get("metadata"))
    data = _mapping(event.get("data"))
    response = metadata.get("utter_action")
    buttons = [str(b.get("title", "")) for b in data.get("buttons") or [] if isinstance(b, Mapping)]
    return BotTurn(
        at=at,
        text=str(event.get("text") or ""),
        response=response,
        buttons=buttons,
        service_error=bool(response and SERVICE_ERROR_RESPONSES.match(str(response))),
    )


def message_language(event: Mapping[str, Any]) -> str | None:
    """The language the NLU read a message as (``en``/``zh``), or the page's choice."""
    parse = _mapping(event.get("parse_data"))
    detected = parse.get("language")
    if isinstance(detected, Mapping) and detected.get("language"):
        return str(detected["language"])
    metadata = _mapping(event.get("metadata"))
    chosen = metadata.get("language")
    return str(chosen) if chosen in ("en", "zh") else None


def summarise(
    sender_id: str, events: Sequence[Mapping[str, Any]], previous: Summary | None = None
) -> Summary | None:
    """The list row for a conversation, from its events (appended to ``previous`` if given)."""
    if not events and previous is None:
        return None
    summary = previous or Summary(
        sender_id=sender_id,
        started_at=float(events[0].get("timestamp") or 0.0),
        last_event_at=0.0,
        last_event_id=0,
    )
    for event in events:
        _add(summary, event)
    return summary


def _add(summary: Summary, event: Mapping[str, Any]) -> None:
    at = float(event.get("timestamp") or 0.0)
    summary.last_event_at = max(summary.last_event_at, at)
    summary.last_event_id = max(summary.last_event_id, int(event.get("_id") or 0))
    kind = event.get("event")
    if kind == "user":
        turn = _user_turn(event, at)
        _add_user_turn(summary, turn, at)
    elif kind == "bot":
        if _bot_turn(event, at).service_error:
            summary.api_errors += 1
    elif kind == "action":
        name = event.get("name")
        if name in FALLBACK_ACTIONS:
            summary.had_fallback = True
        elif name == PERMIT_STATUS_ACTION:
            summary.permit_status_checked = True
    elif kind == "slot":
        _add_slot(summary, str(event.get("name")), event.get("value"), at)


def _add_user_turn(summary: Summary, turn: UserTurn, at: float) -> None:
    summary.channel = turn.channel or summary.channel
    if turn.text.startswith("/") or (turn.intent or "").startswith(EXTERNAL_PREFIX):
        # A button, a page's hidden message or a push the assistant triggered itself
        # (a complaint update): not something the resident typed.
        return
    summary.user_messages += 1
    summary.texts.append(turn.text)
    if turn.language and not summary.language:
        summary.language = turn.language  # until the language slot says otherwise
    if not summary.first_message:
        summary.first_message = turn.text[:PREVIEW_CHARS]
    if turn.intent:
        summary.intents[turn.intent] = summary.intents.get(turn.intent, 0) + 1
    if turn.intent == FALLBACK_INTENT:
        summary.had_fallback = True
    if turn.intent == HANDOFF_INTENT:
        _mark_handoff(summary, at)
    if turn.confidence is not None:
        summary.min_confidence = (
            turn.confidence
            if summary.min_confidence is None
            else min(summary.min_confidence, turn.confidence)
        )


def _add_slot(summary: Summary, name: str, value: Any, at: float) -> None:
    if name == "language" and isinstance(value, str):
        summary.language = "zh" if value.startswith("zh") else value
    elif name == HANDOFF_SLOT and value:
        _mark_handoff(summary, at)
    elif name == TICKETS_SLOT and value:
        summary.complaint_filed = True


def _mark_handoff(summary: Summary, at: float) -> None:
    summary.handoff_requested = True
    summary.handoff_at = summary.handoff_at or at


def handoff_need(events: Sequence[Mapping[str, Any]]) -> str:
    """What a resident who asked for a person needed: the stated reason or their last question."""
    reason = ""
    last_question = ""
    for event in events:
        if event.get("event") == "slot" and event.get("name") == HANDOFF_REASON_SLOT:
            reason = str(event.get("value") or "") or reason
        if event.get("event") == "user":
            turn = _user_turn(event, 0.0)
            if turn.intent not in (HANDOFF_INTENT, None) and not turn.text.startswith("/"):
                last_question = turn.text
            if turn.intent == HANDOFF_INTENT:
                break
    return reason or last_question


def tickets(events: Sequence[Mapping[str, Any]]) -> Dict[str, List[str]]:
    """Complaint tickets and permit applications the conversation touched."""
    complaints: List[str] = []
    applications: List[str] = []
    for event in events:
        if event.get("event") != "slot":
            continue
        value = event.get("value")
        if event.get("name") == TICKETS_SLOT and isinstance(value, list):
            complaints += [str(v) for v in value if str(v) not in complaints]
        elif event.get("name") == APPLICATION_SLOT and value and str(value) not in applications:
            applications.append(str(value))
    return {"complaints": complaints, "applications": applications}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None
