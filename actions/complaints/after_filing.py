"""A resident who wants to add to the report they just filed.

"灯杆上好像喷了个编号 NS-0533，要不要补充一下？", "oh I forgot to mention it's been three
days" — right after a report is sent. Open311 GeoReport v2 has no way to change or add
to a filed request, and starting a second report would file the same problem twice.
So the assistant says so: the report stands under its ticket, and the hotline, given
the ticket number, can add to it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.status import show_reference
from actions.complaints.text import fold
from actions.latest_message import text_of
from bot.language.mixed_script import mixed_pattern

#: Responses that end a report's filing, and where the ticket (or local reference) is.
_FILED = {
    "utter_complaint_filed": "ticket",
    "utter_complaint_filed_no_date": "ticket",
    "utter_complaint_queued": "local_ref",
    "utter_complaint_awaiting_number": "local_ref",
}
#: How many of the resident's messages after the filing still count as "just filed".
_WITHIN = 3
_ADDS = mixed_pattern(
    r"补充|追加|补一句|加一句|加上|再加|忘了说|忘记说|漏了|漏咗|还没说|修改一下|改一下|更新一下"
    r"|\badd\b|\badding\b|\bamend|forgot to (?:mention|say|add|tell)|one more thing"
    r"|also (?:wanted|want|meant) to (?:mention|say|add)|update (?:my|the) (?:report|complaint)"
    r"|change (?:my|the) (?:report|complaint)|more (?:details?|info)",
    re.IGNORECASE,
)
#: "还有一个问题要反映", "I want to add another complaint": a new report, not more detail.
_ANOTHER = mixed_pattern(
    r"另一|另外一?[个件处]|还有一[个件处]|新的|\banother\b|\bnew (?:report|complaint|problem)"
    r"|\bdifferent\b|\bsecond (?:report|complaint|problem)",
    re.IGNORECASE,
)


def just_filed(tracker: Tracker) -> str | None:
    """The ticket (or local reference) of a report filed a few messages ago, if any."""
    seen = 0
    for event in reversed(list(tracker.events or ())):
        kind = event.get("event")
        if kind == "session_started":
            return None
        if kind == "user":
            seen += 1
            if seen > _WITHIN:
                return None
        elif kind == "bot":
            metadata: dict[str, Any] = event.get("metadata") or {}
            key = _FILED.get(str(metadata.get("utter_action") or ""))
            if key and metadata.get(key):
                return str(metadata[key])
    return None


def place_of_the_report_just_filed(tracker: Tracker) -> str | None:
    """The place of the report filed a few messages ago, kept with the filing reply."""
    seen = 0
    for event in reversed(list(tracker.events or ())):
        if event.get("event") == "user":
            seen += 1
            if seen > _WITHIN:
                return None
        elif event.get("event") == "bot":
            metadata: dict[str, Any] = event.get("metadata") or {}
            if metadata.get("utter_action") in _FILED:
                place = metadata.get("place")
                return str(place) if place else None
    return None


def asks_to_add(text: str) -> bool:
    """The message asks to add to or change a report ("要不要补充一下", "I forgot to add")."""
    folded = fold(text)
    return bool(_ADDS.search(folded)) and not _ANOTHER.search(folded)


_TICKET_AGAIN = mixed_pattern(
    r"单号|工单号|工单|\bticket\b|\breference\b|\bref\b|\bnumber\b", re.IGNORECASE
)
#: "cool, what's the status on that one now?", "那现在进度怎么样": where it stands.
_STANDS = mixed_pattern(
    r"进度|进展|状态|到哪一步|处理到|\bstatus\b|\bany updates?\b|\bprogress\b"
    r"|\bwhere (?:is|does) (?:it|that(?: one)?|my report) stand",
    re.IGNORECASE,
)


def asks_for_the_ticket(tracker: Tracker) -> bool:
    """ "what was the ticket number again?", "what's the status on that one now?" right
    after filing: that report, its number and where it stands (not a line's status)."""
    text = fold(text_of(tracker))
    if _TICKET_AGAIN.search(text):
        return just_filed(tracker) is not None
    entities = (tracker.latest_message or {}).get("entities") or ()
    if any(entity.get("entity") in ("stop", "route") for entity in entities):
        return False  # "line 3 status?": the trains
    return bool(_STANDS.search(text)) and just_filed(tracker) is not None


async def show_the_ticket(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Shows the report just filed when the message asks for its number; True if shown."""
    if not asks_for_the_ticket(tracker):
        return False
    ticket = just_filed(tracker)
    if ticket is None:
        return False
    await show_reference(dispatcher, tracker, ticket)
    return True


#: "幾時會有人嚟整呀？", "when will someone come to fix it": when the report will be dealt with.
_WHEN_FIXED = mixed_pattern(
    r"什么时候|啥时候|几时|几耐|多久|多长时间|要等几天|几天"
    r"|\bwhen\b|\bhow long\b|\bhow many days\b|\bany idea how soon\b"
    # "will someone actually come out?", "真的会有人来处理吗": whether it will be handled.
    r"|\b(?:will|would|is|does)\s+(?:someone|anyone|somebody|anybody|a person|the city|they)"
    r"\s+(?:actually\s+|really\s+|even\s+)?(?:come|look|fix|check|deal|handle|do|respond|reply)"
    r"|会有人|有冇人|有没有人(?:来|管|处理)|真的会(?:来|管|处理|修)",
    re.IGNORECASE,
)


async def tell_when_the_filed_report_is_due(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> bool:
    """Right after filing, "when will someone fix it?": what happens next to that report."""
    if not _WHEN_FIXED.search(fold(text_of(tracker))):
        return False
    ticket = just_filed(tracker)
    if ticket is None:
        return False
    dispatcher.utter_message(response="utter_complaint_filed_what_next", ticket=ticket)
    return True


def adds_to_filed_report(tracker: Tracker) -> str | None:
    """The just-filed report's ticket when the latest message asks to add to it."""
    text = text_of(tracker)
    if not asks_to_add(text):
        return None
    return just_filed(tracker)
