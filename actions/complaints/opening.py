"""A problem stated out of the blue, without asking for anything: start the report.

"路灯不亮了", "The bins on our street haven't been emptied since Monday": a resident
opening a conversation with the problem alone writes what the complaint form's answers
look like, and the NLU often reads it as a bare answer (``inform``). Out of context,
that got "what would you like to do with that?" (or, read as not understood,
"please rephrase"). A city's assistant should read a
problem told to it as a problem to report: when such a message says something (the
form's own test, ``describes_problem``) and names one of the problem categories or
fits one of the city's services clearly, the complaint form starts with it as the
description, just as if the resident had said "I want to report…". The resident
sees the summary before anything is sent and can cancel.
"""

from __future__ import annotations

import re
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import categories, concepts
from actions.complaints.address import place_told
from actions.complaints.description import describes_problem
from actions.complaints.filing import cleared_form
from actions.complaints.form import DESCRIPTION, LOCATION
from actions.complaints.intent_words import is_affirmation
from actions.complaints.service_match import Verdict, rank_services
from actions.complaints.text import fold
from actions.latest_message import text_of
from bot.language.mixed_script import mixed_pattern

FORM = "complaint_form"
CATEGORY_ENTITY = "complaint_category"


#: "那我搭飞机应该在哪一站下车？", "how do I get to the airport": asking the way or how
#: to do something tells no problem, whatever problem words it holds (飞机 → noise).
_ASKS_WHERE_OR_HOW = mixed_pattern(
    r"哪一站|哪个站|哪站|在哪|去哪|哪里|哪儿|怎么走|怎么去|怎么坐|怎样去|点样去|点去"
    r"|\bwhere\b|\bwhich (?:station|stop|line|exit)|\bhow (?:do|can|should) (?:i|we) (?:get|go)",
    re.IGNORECASE,
)


async def reports_a_problem(
    tracker: Tracker, close_calls: bool = False, text: str | None = None
) -> bool:
    """Does the latest message (or ``text``, the words a person wrote in it) tell a
    problem the city handles, with something said?

    ``close_calls``: a message that fits a few of the city's services is one too (the
    form then asks which); otherwise one must fit clearly.
    """
    if (tracker.active_loop or {}).get("name"):
        return False  # inside a form, the form decides what a message answers
    message = tracker.latest_message or {}
    if text is None:
        text = str(message.get("text") or "")
    text = text.strip()
    if not text or text.startswith("/"):
        return False
    entities = message.get("entities") or ()
    spans = [
        text[e["start"] : e["end"]]
        for e in entities
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    ]
    if not describes_problem(text, spans) or _ASKS_WHERE_OR_HOW.search(fold(text)):
        return False
    if any(e.get("entity") == CATEGORY_ENTITY and e.get("value") for e in entities):
        return True
    services = await categories.load_services(tracker.get_slot("language"))
    if not services:
        return False
    verdict = rank_services(text, services).verdict
    return verdict is Verdict.CONFIDENT or (close_calls and verdict is Verdict.CLOSE_CALL)


def says_what_state_it_is_in(text: str) -> bool:
    """The message names a thing and says it is broken, missing, full, blocked… (a lexicon
    thing and state): "broken parking meter 800 kearny st, wont take coins" is a problem,
    whatever else ("parking") it names; "coming back around 6" is none."""
    hits = concepts.lexicon().find(text)
    return any(hit.concept.weight < 1.0 for hit in hits) and any(
        hit.concept.weight >= 1.0 for hit in hits
    )


#: Concepts of the service itself: "line 1 is broken again" vents about the trains,
#: it reports nothing the city's list repairs.
_TRANSIT_SERVICE = frozenset({"train_service", "bus_service", "ferry_service", "taxi"})


def says_a_facility_is_wrong(text: str, *, min_strength: float = 0.7) -> bool:
    """A thing that is no vehicle of the service said to be broken, dirty, defaced…:
    "the lift at warszawa rakow station has been broken for days", "Salomea 站的候车亭
    被人喷了 graffiti，还有脏话". A station named beside it is where, not a trip.

    Only words that say it: a term found loosely ("convention" for "congestion", below
    ``min_strength``) or a negative term without its negation ("I work near Futian and
    I'm moving" for "not working" and "hasn't moved since") says nothing is wrong.
    """
    hits = [
        h
        for h in concepts.lexicon().find(text)
        if h.strength >= min_strength and _negation_kept(text, h)
    ]
    things = [h for h in hits if h.concept.weight >= 1.0 and h.concept.id not in _TRANSIT_SERVICE]
    return bool(things) and any(hit.concept.weight < 1.0 for hit in hits)


#: A negation inside a lexicon term ("not working", "hasn't moved", "no light").
_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|without)\b|n['’]?t\b", re.IGNORECASE)


def _negation_kept(text: str, hit: concepts.ConceptHit) -> bool:
    """A term that says "not" is found only where the message says it too (just before
    or in the words found): stop words aside, "not working" is "working"."""
    if not _NEGATION.search(hit.term) or not re.search(r"[a-z]", hit.term, re.IGNORECASE):
        return True
    return bool(_NEGATION.search(text[max(0, hit.start - 16) : hit.end]))


#: Where one request of a message ends and another begins: "…又坏了！！还有下一班…".
_REQUESTS = re.compile(r"[。！？!?；;\n]+|(?:，|,)\s*(?:还有|另外|also|and also)\b|\balso\b")


def problem_told_beside(text: str) -> str | None:
    """The part of a message that tells a facility is broken, dirty or defaced, when
    the message also asks something else ("Tworki 站的电梯又坏了！！还有下一班去 Grodzisk
    的车几点"): the problem, for a report offered after the question is answered."""
    parts = [part.strip() for part in _REQUESTS.split(text or "") if part and part.strip()]
    told = [part for part in parts if says_a_facility_is_wrong(part)]
    return told[0] if told and len(told) < len(parts) else None


#: The assistant's offer to report a problem told beside another question.
OFFER = "utter_offer_report_too"


def report_accepted(tracker: Tracker) -> List[EventType] | None:
    """ "yes" to "shall I report it?": a report of the problem told in the message before,
    its description that part of it; None unless the offer was just made and accepted."""
    from actions.last_prompt import last_response

    if last_response(tracker) != OFFER:
        return None
    said = text_of(tracker).strip()
    yes = _accepts(tracker)
    # "就是不动，out of order，往 Warszawa 方向那边的站台": more about it is a yes too.
    more = not yes and not said.startswith("/") and describes_problem(said)
    if not (yes or more):
        return None
    # The offer answered the message before this one: the problem is told there.
    users = [e for e in tracker.events or () if e.get("event") == "user"]
    told = problem_told_beside(str(users[-2].get("text") or "")) if len(users) > 1 else None
    if not told:
        return None
    return start_report(tracker, f"{told}\n{said}" if more else told)


async def offer_a_report(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After another question's answer, the report of a problem told beside it, offered."""
    if (tracker.active_loop or {}).get("name"):
        return
    told = problem_told_beside(text_of(tracker))
    if told and await reports_a_problem(tracker, close_calls=True, text=told):
        dispatcher.utter_message(response=OFFER)


def _accepts(tracker: Tracker) -> bool:
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return intent == "affirm" or is_affirmation(text_of(tracker))


def start_report(tracker: Tracker, text: str | None = None) -> List[EventType]:
    """Events that open a clean complaint form with the latest message (or ``text``,
    the words a person wrote in it) as its description."""
    from actions.complaints.filing import same_place_as_the_last

    text = (text_of(tracker) if text is None else text).strip()
    place = place_told(text)
    told = [SlotSet(LOCATION, place)] if place else same_place_as_the_last(tracker)
    return [*cleared_form(), SlotSet(DESCRIPTION, text), *told, FollowupAction(FORM)]


#: "can you file a new one then", "put in a new one", "重新报一个": a report again, anew.
_A_NEW_ONE = mixed_pattern(
    r"\b(?:file|put in|open|make|submit|start|do|report|send|create)\b.{0,24}?\b(?:a )?new "
    r"(?:one|report|ticket|request|complaint)\b|\bnew (?:one|report|ticket) (?:then|please|pls)\b"
    r"|\breport it again\b|\bfile it again\b"
    # "just lodge it, its the Esplanade near the lagoon": Australian and British English
    r"|\blodge (?:it|one|a (?:complaint|report|request))\b"
    r"|重新(?:报|提交|投诉|反映|开)|再(?:报|提|开)一(?:个|次|张)|新(?:报|开|提)一(?:个|张)",
    re.IGNORECASE,
)
#: How many of the resident's messages before the latest may hold the story.
_STORY_LOOKBACK = 3


def new_report_of_what_was_told(tracker: Tracker) -> List[EventType] | None:
    """ "ok can you just put in a new one then. 2919 S Lowe Ave" after a ticket the city
    could not find: a new report of the problem told a moment ago.

    The story is the resident's own earlier message ("i called 311 last tuesday about a
    dead raccoon in front of my house, they gave me SR26-00731254…"); it becomes the
    description with what is said now, and a place in either is the place. None when the
    message asks for no new report or nothing before it told a problem.
    """
    if (tracker.active_loop or {}).get("name"):
        return None
    text = text_of(tracker).strip()
    if not text or not _A_NEW_ONE.search(fold(text)):
        return None
    users = [e for e in tracker.events or () if e.get("event") == "user"]
    for event in reversed(users[-1 - _STORY_LOOKBACK : -1]):
        story = str(event.get("text") or "").strip()
        if story and not story.startswith("/") and describes_problem(story):
            place = place_told(text) or place_told(story)
            told = [SlotSet(LOCATION, place)] if place else []
            description = f"{story}\n{text}"
            return [*cleared_form(), SlotSet(DESCRIPTION, description), *told, FollowupAction(FORM)]
    return None
