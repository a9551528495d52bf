"""A report cancelled a moment ago, wanted after all: "那还是帮我报一下吧，地址还是刚才那个".

Residents cancel when they think someone else reported it ("我老公说他已经打过12345了，
那算了不报了") and change their mind a message later. Asking for the problem and the place
again would make them repeat what they said a minute ago; the answers are still in the
conversation's events, set before the cancel cleared them. They come back, and the form
asks only what was still missing (the phone, then the summary before anything is sent).
"""

from __future__ import annotations

import re
from typing import Any, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.complaints.form import CATEGORY, DESCRIPTION, LAT, LOCATION, LONG, NO_PHONE, PHONE
from actions.complaints.phone import declines_phone
from actions.complaints.text import fold
from actions.latest_message import text_of
from bot.language.mixed_script import mixed_pattern

FORM = "complaint_form"
#: The answers a cancelled report gets back (the phone and the summary are asked again).
RESTORED = (CATEGORY, LOCATION, LAT, LONG, DESCRIPTION)
#: How many of the resident's messages may come between the cancel and the change of mind.
MAX_MESSAGES_SINCE = 2

_AFTER_ALL = mixed_pattern(
    r"还是(?:帮我|给我|麻烦你)?(?:报|投|反映|提交|登记)|还是要(?:报|投)|报吧|投吧|再报回去|重新提交"
    r"|都系(?:帮我)?报|还是帮我报"
    r"|\b(?:file|report|submit|send) it after all\b|\bchanged my mind\b"
    r"|\bactually,? (?:do |please )?(?:file|report|submit|send) it\b"
    r"|\bgo ahead and (?:file|report|submit|send) it\b|\bfile it anyway\b|\breport it anyway\b",
    re.IGNORECASE,
)


def wants_it_filed_after_all(text: str) -> bool:
    return bool(_AFTER_ALL.search(fold(text)))


def cancelled_answers(tracker: Tracker) -> dict[str, Any]:
    """The answers of the report cancelled within the last few messages, if there was one."""
    events = list(tracker.events or [])
    messages_since = 0
    for at in range(len(events) - 1, -1, -1):
        event = events[at]
        if event.get("event") == "user":
            messages_since += 1
            if messages_since > MAX_MESSAGES_SINCE:
                return {}
        elif (
            event.get("event") == "bot"
            and (event.get("metadata") or {}).get("utter_action") == "utter_complaint_cancelled"
        ):
            return _answers_before(events[:at])
    return {}


def _answers_before(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The last value each restored slot had before the form was cleared."""
    found: dict[str, Any] = {}
    for event in reversed(events):
        named = event.get("event") == "slot" and event.get("name") in RESTORED
        if named and event.get("value") is not None:
            found.setdefault(event["name"], event["value"])
    return found


def restore_cancelled_report(tracker: Tracker) -> List[EventType] | None:
    """Events that reopen the report just cancelled, when the resident wants it after all.

    Not in the middle of a report (something asked): there the message answers it."""
    if tracker.get_slot("requested_slot") or not wants_it_filed_after_all(text_of(tracker)):
        return None
    answers = cancelled_answers(tracker)
    if not answers.get(DESCRIPTION):
        return None
    # "想了想还是投吧 不留电话": the phone declined in the same breath.
    phone = [SlotSet(PHONE, NO_PHONE)] if declines_phone(text_of(tracker)) else []
    return [
        *(SlotSet(slot, value) for slot, value in answers.items()),
        *phone,
        FollowupAction(FORM),
    ]
