"""What else a transit question says besides stations: which line, "last train", what time.

Riders write "1号线", "Line 5", "罗宝线", "末班车", "last train", "明早8点", "at 7:30pm".
The NLU model extracts stations and (sometimes) a ``route`` entity; these small readers
cover the rest from the text, in both languages, for any feed: lines are matched against
the feed's own short and long names and their translations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from actions.clients.gtfs.model import Route, TransitFeed
from actions.clients.gtfs.names import normalise_name
from bot.language.script import to_simplified

_LAST = re.compile(
    r"末班|最后一班|尾班|last\s+(?:train|metro|subway|bus|service|departure)|final\s+train",
    re.IGNORECASE,
)
_FIRST = re.compile(
    r"头班|首班|第一班|first\s+(?:train|metro|subway|bus|service|departure)|earliest\s+train",
    re.IGNORECASE,
)
_LINE_NUMBER = re.compile(
    r"(?:(?<![a-z0-9])(?:line|route)\s*([0-9]{1,3}[a-z]?)(?![0-9]))|(?:([0-9]{1,3})\s*号\s*线)",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"(?P<prefix>上午|早上|早晨|中午|下午|傍晚|晚上|今晚|凌晨)?\s*"
    r"(?P<hour>\d{1,2})(?:\s*[:：点時时]\s*(?P<minute>\d{1,2}|半)?)\s*(?:分)?\s*"
    r"(?P<suffix>am|pm|a\.m\.|p\.m\.)?",
    re.IGNORECASE,
)
_HOUR_AMPM = re.compile(r"\b(?P<hour>\d{1,2})\s*(?P<suffix>am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
_TOMORROW = re.compile(r"明天|明早|明晚|明日|tomorrow", re.IGNORECASE)
_AFTERNOON = ("下午", "傍晚", "晚上", "今晚")


def wants_last_departure(text: str) -> bool:
    """ "末班车几点", "when is the last train"."""
    return bool(_LAST.search(to_simplified(text)))


def wants_first_departure(text: str) -> bool:
    """ "头班车几点", "when is the first train"."""
    return bool(_FIRST.search(to_simplified(text)))


def routes_named(feed: TransitFeed, text: str, entity_values: Iterable[str] = ()) -> list[Route]:
    """Lines the message names: by number ("1号线", "Line 1") or by name in any language."""
    found: dict[str, Route] = {}
    simplified = to_simplified(text)
    numbers = {
        (m.group(1) or m.group(2) or "").casefold() for m in _LINE_NUMBER.finditer(simplified)
    }
    keys = {normalise_name(value) for value in entity_values if value}
    for route in feed.routes.values():
        short = route.short_name.casefold()
        if short and (short in numbers or normalise_name(short) in keys):
            found[route.route_id] = route
            continue
        for name in (route.long_name, *route.names.values()):
            key = normalise_name(to_simplified(name)) if name else ""
            if len(key) >= 2 and (key in keys or key in normalise_name(simplified)):
                found[route.route_id] = route
                break
    return list(found.values())


def requested_time(text: str, now: dt.datetime) -> dt.datetime | None:
    """The departure time the rider gives ("8点半", "明早7点", "at 7:30pm"), or None.

    A time already past today means tomorrow only when the rider says so; otherwise it is
    taken as given (someone asking at 9:00 about "8点" may well mean this morning's plan).
    """
    simplified = to_simplified(text)
    match = _CLOCK.search(simplified)
    hour = minute = None
    prefix = suffix = ""
    if match and (
        match.group("minute") is not None or ":" in match.group(0) or "点" in match.group(0)
    ):
        hour = int(match.group("hour"))
        raw_minute = match.group("minute")
        minute = 30 if raw_minute == "半" else int(raw_minute or 0)
        prefix, suffix = match.group("prefix") or "", (match.group("suffix") or "").lower()
    else:
        ampm = _HOUR_AMPM.search(simplified)
        if ampm:
            hour, minute, suffix = int(ampm.group("hour")), 0, ampm.group("suffix").lower()
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    if suffix.startswith("p") or prefix in _AFTERNOON:
        if hour < 12:
            hour += 12
    elif (suffix.startswith("a") or prefix == "凌晨") and hour == 12:
        hour = 0
    day = now.date() + dt.timedelta(days=1 if _TOMORROW.search(simplified) else 0)
    moment = dt.datetime.combine(day, dt.time(hour % 24, minute), now.tzinfo)
    if hour == 24:
        moment += dt.timedelta(days=1)
    return moment
