"""The tracker sent to the action server: the recent part of the conversation, not all of it.

Rasa's ``RemoteAction`` serialises every event of the session and posts it with every
action call — several calls a message — and the action server parses it all back into a
``Tracker``. In a conversation that goes on (a WeChat resident keeps one id for life) that
work grows with every message: by message 200 each call carried hundreds of kilobytes.

What our actions read of the events is recent by nature: the response the assistant
sent before the latest message (:mod:`actions.last_prompt`), the latest user message
(:mod:`actions.complaints.filing`), the latest few not-understood messages and the
resident's last few messages for a handoff (:mod:`actions.conversation`), rasa_sdk's
``slots_to_validate`` (the events since the latest user message). Everything else they
use — slots, the latest message, the active loop — travels outside the event list and is
sent whole. So the event list is cut to the events since the ``RECENT_USER_MESSAGES``-th
latest user message: what every reader above looks at (at most the last three user
messages, for the handoff) and one more. It was twelve until 2026-12-05: each call then
carried ~36 KiB of events, most of them older messages' full parses that no reader
looks at; four cut that to ~13 KiB and a message's action round trips from ~9 to ~7 ms
(docs/benchmarks.md, change 30). Anything
an action must know about the whole conversation belongs in a slot or the action
server's own storage, as the ticket look-up count does (:mod:`actions.ticket_lookups`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Dict

#: User messages (and everything after the earliest of them) the action server sees.
RECENT_USER_MESSAGES = 4


def recent_events(events: Iterable[Any], user_messages: int = RECENT_USER_MESSAGES) -> list[Any]:
    """The events from the ``user_messages``-th latest user message on (all if fewer).

    Walks back from the end (Rasa keeps events in a deque), so the cost is that of the
    events kept, whatever the conversation's length.
    """
    from rasa.shared.core.events import UserUttered

    kept: list[Any] = []
    seen = 0
    for event in reversed(events):  # type: ignore[call-overload]
        kept.append(event)
        if isinstance(event, UserUttered):
            seen += 1
            if seen == user_messages:
                break
    kept.reverse()
    return kept


def action_call_format(action: Any, tracker: Any, domain: Any) -> Dict[str, Any]:
    """What ``RemoteAction._action_call_format`` sends, with only the recent events.

    The same keys and values as Rasa 3.6.21's own but ``tracker["events"]``, built
    without serialising the events left out (tests/unit/test_action_payload.py
    compares the two).
    """
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
    result: Dict[str, Any] = {
        "next_action": action._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if (
        not action._is_selective_domain_enabled()
        or domain.does_custom_action_explicitly_need_domain(action.name())
    ):
        result["domain"] = domain.as_dict()
    return result
