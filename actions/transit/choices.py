"""A station picked from the "which one?" buttons by typing instead of tapping.

"您说的“125 st”是指哪一个站？ [125 St（1）] [125 St（2）]" is often answered in words:
"1号线 broadway那个", "the second one", "125 St (2)", "the one on the 1". Residents
type on channels whose buttons they cannot see (SMS-like WeChat replies, a screen reader)
or simply do not tap. The words are matched to the buttons just shown; a match is the
same as the tap (its payload), a message that matches none of them is left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from actions.clients.gtfs.model import TransitFeed
from actions.clients.gtfs.names import normalise_name
from actions.transit.asked import routes_named
from actions.transit.stops import StopIndex, find_stops_in_text, match_stop
from bot.language.mixed_script import mixed_pattern
from bot.language.script import to_simplified

#: The prompts whose buttons are stations to choose from.
CHOICE_PROMPTS = frozenset({"utter_transit_station_ambiguous", "utter_transit_station_unknown"})
_PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<json>\{.*\})$", re.DOTALL)
#: "the first", "第二个", "2nd one": a button by its place in the list.
_ORDINALS = (
    (0, mixed_pattern(r"\b(?:the\s+)?first\b|\b1st\b|第一|头一个|上面那个", re.IGNORECASE)),
    (1, mixed_pattern(r"\b(?:the\s+)?second\b|\b2nd\b|第二", re.IGNORECASE)),
    (2, mixed_pattern(r"\b(?:the\s+)?third\b|\b3rd\b|第三", re.IGNORECASE)),
)


@dataclass(frozen=True)
class Option:
    """One button of the choice: the tap's intent and stop."""

    intent: str
    stop_id: str
    title: str


@dataclass(frozen=True)
class Choice:
    """The button the resident's words pick, and the question the choice was asked for."""

    option: Option
    question: str

    @property
    def payload(self) -> str:
        return f"/{self.option.intent}" + json.dumps({"stop": self.option.stop_id})


def typed_choice(tracker: Any, feed: TransitFeed, index: StopIndex) -> Choice | None:
    """The station the latest (typed) message picks from the buttons just shown, if any."""
    events = list(getattr(tracker, "events", None) or ())
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return None
    latest = users[-1]
    message = getattr(tracker, "latest_message", None) or {}
    text = str(message.get("text") or events[latest].get("text") or "")
    if not text.strip() or text.startswith("/"):
        return None  # a tap carries its own stop (so does a choice already made of words)
    previous = users[-2] if len(users) > 1 else -1
    options: list[Option] = []
    for event in events[previous + 1 : latest]:
        if event.get("event") != "bot":
            continue
        if (event.get("metadata") or {}).get("utter_action") in CHOICE_PROMPTS:
            options = _options((event.get("data") or {}).get("buttons") or ())
    if len(options) < 2:
        return None
    picked = _picked(text, options, feed, index)
    if picked is None:
        return None
    question = str(events[previous].get("text") or "") if previous >= 0 else ""
    return Choice(picked, question)


def _options(buttons: Sequence[Any]) -> list[Option]:
    options = []
    for button in buttons:
        if not isinstance(button, dict):
            continue
        found = _PAYLOAD.match(str(button.get("payload") or ""))
        if found is None:
            continue
        try:
            values = json.loads(found.group("json"))
        except ValueError:
            continue
        stop = values.get("stop") if isinstance(values, dict) else None
        if isinstance(stop, str) and stop:
            options.append(Option(found.group("intent"), stop, str(button.get("title") or "")))
    return options


def _picked(
    text: str, options: Sequence[Option], feed: TransitFeed, index: StopIndex
) -> Option | None:
    """The one option the words fit: its title, a station of its own, a line, a position."""
    key = normalise_name(to_simplified(text))
    titled = [o for o in options if normalise_name(to_simplified(o.title)) == key]
    if len(titled) == 1:
        return titled[0]
    found = {stop.stop_id for m in find_stops_in_text(index, text) for stop in m.stops}
    named = [o for o in options if o.stop_id in found]
    if len(named) == 1 and len(found) == 1:
        return named[0]
    # "glowna" after "which podkowa?": a word of one option's name, however typed.
    matched = {stop.stop_id for stop in match_stop(index, text).stops}
    fitting = [o for o in options if o.stop_id in matched]
    if len(fitting) == 1:
        return fitting[0]
    lines = {route.route_id for route in routes_named(feed, text)}
    if lines:
        served = [o for o in options if lines & set(feed.route_ids_at.get(o.stop_id, ()))]
        if len(served) == 1:
            return served[0]
    for position, pattern in _ORDINALS:
        if pattern.search(text) and position < len(options):
            return options[position]
    return None
