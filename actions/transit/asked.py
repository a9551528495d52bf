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
    r"末班|最后一班|尾班|last\s+(?:train|metro|subway|bus|tram|ferry|service|departure|one)s?\b"
    r"|final\s+(?:train|bus|one)",
    re.IGNORECASE,
)
_FIRST = re.compile(
    r"头班|首班|第一班|first\s+(?:train|metro|subway|bus|tram|ferry|service|departure|one)s?\b"
    r"|earliest\s+(?:train|bus|one)",
    re.IGNORECASE,
)
_LINE_NUMBER = re.compile(
    r"(?:(?<![a-z0-9])(?:line|route|bus|tram|ferry|no\.?)\s*#?\s*([a-z]?[0-9]{1,4}[a-z]?)(?![0-9]))"
    r"|(?:(?<![a-z0-9])([a-z]?[0-9]{1,4}[a-z]?)\s*(?:号\s*线|路|号\s*巴士)|"
    r"(?:(?<![a-z0-9])([a-z]?[0-9]{1,4}[a-z]?)\s+(?:bus|tram|line)\b))",
    re.IGNORECASE,
)
#: A line code of letters and digits standing alone ("A44", "M2", "12A"), not a time or price.
_LINE_CODE = re.compile(
    r"(?<![A-Za-z0-9.:$¥€£])([a-z]+\d+[a-z]*|\d+[a-z]+)(?![A-Za-z0-9.:])", re.IGNORECASE
)
#: Words around a line's name that are not the name: "the 96", "route 12", "12路", "3号线".
_LINE_WORDS = re.compile(
    r"^(?:the\s+)?(?:line|route|bus|tram|ferry|no\.?)?\s*|\s*(?:号线|路|线|bus|tram|line)$",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"(?P<prefix>上午|早上|早晨|中午|下午|傍晚|晚上|今晚|凌晨)?\s*"
    r"(?P<hour>\d{1,2})(?:\s*[:：点時时]\s*(?P<minute>\d{1,2}|半)?)\s*(?:分)?\s*"
    r"(?P<suffix>am|pm|a\.m\.|p\.m\.)?",
    re.IGNORECASE,
)
_HOUR_AMPM = re.compile(r"\b(?P<hour>\d{1,2})\s*(?P<suffix>am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
_FARE = re.compile(
    r"多少钱|票价|车费|几块|几元|价格|价钱|\bfares?\b|how\s+much|\bprice|\bcost", re.I
)
_DEPARTURES = re.compile(
    r"下一班|下一趟|下趟|末班|首班|头班|几点|发车|时刻|\bnext\b|\blast\b|\bfirst\b|\bwhen\b|"
    r"timetable|schedule|departures?",
    re.IGNORECASE,
)
_TOMORROW = re.compile(r"明天|明早|明晚|明日|tomorrow", re.IGNORECASE)
_AFTERNOON = ("下午", "傍晚", "晚上", "今晚")


def asks_fare(text: str) -> bool:
    """ "多少钱", "how much", "fare": the message asks what a ride costs."""
    return bool(_FARE.search(to_simplified(text)))


def asks_departures(text: str) -> bool:
    """ "下一班", "几点", "next", "when", "timetable": the message asks when vehicles leave."""
    return bool(_DEPARTURES.search(to_simplified(text)))


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
        next(g for g in m.groups() if g).casefold() for m in _LINE_NUMBER.finditer(simplified)
    }
    keys = {normalise_name(value) for value in entity_values if value}
    keys |= {normalise_name(_LINE_WORDS.sub("", value)) for value in entity_values if value}
    keys.discard("")
    # "A44", "M2", "X1" name a line on their own; a bare number ("8") needs "Line"/"路".
    codes = {t.casefold() for t in _LINE_CODE.findall(simplified)}
    for route in feed.routes.values():
        short = route.short_name.casefold()
        if short and (short in numbers or normalise_name(short) in keys or short in codes):
            found[route.route_id] = route
            continue
        for name in (route.long_name, *route.names.values()):
            key = normalise_name(to_simplified(name)) if name else ""
            if len(key) >= 2 and (key in keys or key in normalise_name(simplified)):
                found[route.route_id] = route
                break
    return list(found.values())


def line_references(text: str, entity_values: Iterable[str] = ()) -> list[str]:
    """How the message names lines, as typed: "Line 9", "12路", and the ``route`` entities.

    For telling the rider that a line they asked about is not in the timetable.
    """
    named = [m.group(0).strip() for m in _LINE_NUMBER.finditer(to_simplified(text))]
    named += [value for value in entity_values if value and value not in named]
    return named


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
