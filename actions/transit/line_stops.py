"""The stations a line calls at, in order, each way: "A12 線停哪些站？終點是哪裡？".

Riders new to a line ask where it goes before they ask when. A line's trips differ (short
workings, a night variant), so each direction is shown by its longest trip, the one that
covers the others; its last station is where the line ends that way.
"""

from __future__ import annotations

import re
from collections import Counter

from actions.clients.gtfs.model import TransitFeed
from bot.language.mixed_script import mixed_pattern

#: "停哪些站", "经过哪些站", "终点是哪里", "which stops does the 42 make", "where does line 1 end".
_ASKS_THE_STOPS = mixed_pattern(
    r"停哪些站|停靠哪些站|经过哪些站|经过哪几个站|有哪些站|有哪几个站|停边几个站|停啲咩站|沿途|"
    r"终点是?哪|终点站是?哪|总站是?哪|去到边|尾站|"
    r"\b(?:which|what) stops\b|\bwhat stations\b|\bwhich stations\b|\ball the stops\b"
    r"|\blist (?:of )?(?:the )?stops\b|\bstops (?:on|of) (?:the |line |route )\b"
    r"|\bwhere does (?:the |line |route |bus |tram )?\S+ (?:go|end|terminate|run)\b"
    r"|\bend of the line\b|\bterminus\b|\blast stop\b",
    re.IGNORECASE,
)
#: Stations named in one reply per direction; a long line is shown by its ends and middle.
MAX_SHOWN = 30


def asks_the_stops(text: str) -> bool:
    """The message asks which stations a line calls at, or where it ends."""
    return bool(_ASKS_THE_STOPS.search(text))


def line_stations(feed: TransitFeed, route_id: str) -> list[tuple[str, list[str]]]:
    """Per direction, a trip to where most of its trips end (the longest of those) and
    its stations (ids, in order, no repeats): a few trips running on past the usual end
    do not make it the line's end."""
    by_way: dict[str, list[tuple[str, list[str]]]] = {}
    for trip in feed.trips.values():
        if trip.route_id != route_id:
            continue
        stations: list[str] = []
        for call in feed.stop_times.get(trip.trip_id) or ():
            station = feed.station_of(call.stop_id).stop_id
            if not stations or stations[-1] != station:
                stations.append(station)
        if stations:
            way = str(trip.direction_id) if trip.direction_id is not None else trip.headsign
            by_way.setdefault(way, []).append((trip.trip_id, stations))
    shown = []
    for way in sorted(by_way):
        trips = by_way[way]
        ends = Counter(stations[-1] for _, stations in trips)
        usual = ends.most_common(1)[0][0]
        shown.append(max((t for t in trips if t[1][-1] == usual), key=lambda t: len(t[1])))
    return shown


def stations_text(feed: TransitFeed, route_id: str, language: str) -> str:
    """ "• → Milanówek Grudów: Warszawa Reduta Ordona, …, Milanówek Grudów (19 stations)"."""
    english = language == "en"
    lines = []
    for _, stations in line_stations(feed, route_id):
        names = [_name(feed, station, language) for station in stations]
        shown = names
        if len(names) > MAX_SHOWN:
            half = MAX_SHOWN // 2
            shown = [*names[:half], "…", *names[-half:]]
        last = names[-1] if names else ""
        joined = (", " if english else "、").join(shown)
        count = f"{len(names)} stations" if english else f"共 {len(names)} 站"
        lines.append(
            f"• → {last}: {joined} ({count})" if english else f"• 往{last}：{joined}（{count}）"
        )
    return "\n".join(lines)


def _name(feed: TransitFeed, station_id: str, language: str) -> str:
    return feed.stops[station_id].name_in(language)
