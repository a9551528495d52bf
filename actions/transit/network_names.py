"""The name of the network itself, which is no place: "the Port Liner", "Caltrain".

Residents name the system they ride ("when's the next port liner from sannomiya", "port
liner 有没有 delay"). Read word by word, "port" is a station (Port Terminal) and "liner" a
line the feed lacks. The network's names are the operators' (``agency_name``), the part
every route's long name shares ("Port Liner" in "Port Liner / Airport line" and "Port
Liner / Loop line") and the city's own name for its transit (``city.transit_name``, its
parts around brackets), and the operator's initials ("WKD" for Warszawska Kolej Dojazdowa,
which riders say far more than its name). Their spans in a message are no stop and no
line; a name that is also a station's whole name stays a station.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from actions.clients.gtfs.model import TransitFeed
from actions.transit.per_feed import PerFeed
from actions.transit.stops import StopIndex, initials

#: What separates a network's name from a line's in a route's long name.
_PARTS = re.compile(r"\s*[/|｜:：()（）\[\]]\s*")
#: A letter or digit of a Latin-script word.
_LATIN = r"[0-9A-Za-z\u00C0-\u024F]"
#: Shorter names are too likely a word of something else ("S", "MT").
MIN_CHARS = 3

_NAMES: PerFeed[tuple[str, ...]] = PerFeed()
_STATION_WORDS: PerFeed[str] = PerFeed()
#: Per feed, per set of the city's own names: the names looked for in messages.
_LOOKED_FOR: PerFeed[dict[tuple[str, ...], tuple[str, ...]]] = PerFeed()


def parts(name: str) -> list[str]:
    """A name's pieces around slashes and brackets ("Port Liner (Kobe New Transit)")."""
    return [part for part in _PARTS.split(name.strip()) if part]


def network_names(feed: TransitFeed) -> tuple[str, ...]:
    """The feed's names for the network as a whole (kept as long as the feed is)."""
    return _NAMES.get(feed, lambda: _build(feed))


def _build(feed: TransitFeed) -> tuple[str, ...]:
    names = {agency.name.strip() for agency in feed.agencies.values() if agency.name.strip()}
    acronyms = {initials(name) for name in names} - {None}
    long_names = [route.long_name for route in feed.routes.values() if route.long_name]
    if len(long_names) >= 2:
        shared = set(parts(long_names[0]))
        for long_name in long_names[1:]:
            shared &= set(parts(long_name))
        names |= shared
    kept = {n for n in names if not _in_a_station_name(feed, n)}
    # "Pruszków WKD", "Warszawa Ochota WKD": initials several stations carry name the
    # operator's stations, never one of them.
    kept |= {a for a in acronyms if a and _stations_carrying(feed, a) != 1}
    return tuple(sorted(kept, key=len, reverse=True))


def _stations_carrying(feed: TransitFeed, name: str) -> int:
    """How many stations' names have ``name`` among their words."""
    pattern = _pattern(name)
    return sum(
        1
        for stop in feed.stops.values()
        if stop.location_type in (0, 1) and not stop.parent_station and pattern.search(stop.name)
    )


def _in_a_station_name(feed: TransitFeed, name: str) -> bool:
    """Whether ``name`` is words of some station's name ("Lange" in "Lange Straße", an
    operator's name in VBB's feed): then it may well be the station meant."""
    blob = _STATION_WORDS.get(
        feed, lambda: "\n".join(stop.name.casefold() for stop in feed.stops.values())
    )
    return _pattern(name).search(blob) is not None


def network_spans(
    feed: TransitFeed, index: StopIndex, text: str, also: Iterable[str] = ()
) -> list[tuple[int, int]]:
    """Where ``text`` names the network (the feed's names and ``also``, the city's)."""
    spans: list[tuple[int, int]] = []
    for name in _looked_for(feed, index, tuple(also)):
        for match in _pattern(name).finditer(text):
            if not any(s < match.end() and match.start() < e for s, e in spans):
                spans.append(match.span())
    return sorted(spans)


def _looked_for(feed: TransitFeed, index: StopIndex, also: tuple[str, ...]) -> tuple[str, ...]:
    """The names to look for, longest first, worked out once per feed and city names (a
    name checked against every station's name on every message would cost a scan of
    the whole feed)."""
    known = _LOOKED_FOR.get(feed, dict)
    if also not in known:
        names = {*network_names(feed), *(part for name in also for part in parts(name))}
        known[also] = tuple(
            name
            for name in sorted(names, key=lambda name: (-len(name), name))
            if len(name) >= MIN_CHARS
            and not index.names_whole(name)
            and (not _in_a_station_name(feed, name) or name in network_names(feed))
        )
    return known[also]


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the spans turned to spaces: the same length, so offsets still fit."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in name.split()]
    body = r"[\s\-]*".join(words)
    if name.isascii():
        # Latin letters and digits bound a Latin name; a Han character does not ("坐WKD去").
        return re.compile(rf"(?<!{_LATIN})" + body + rf"(?!{_LATIN})", re.IGNORECASE)
    return re.compile(body, re.IGNORECASE)
