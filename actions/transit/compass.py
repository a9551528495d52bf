"""Which way a train goes on the map, for riders who say "northbound" or "往南".

Riders of a line that runs one way up a coast or a valley name its directions by the
compass ("southbound", "going north", "NB", "南行") rather than by the terminus the
feed's headsign names. GTFS says where a trip ends, and stops have coordinates: the
way from the station to the trip's last stop, along its larger axis, is the trip's
heading. Nothing here depends on a city: a feed without coordinates has no headings
and the board is left as it was.
"""

from __future__ import annotations

import math
import re

from actions.clients.gtfs.model import TransitFeed
from actions.clients.gtfs.queries import Departure
from actions.transit.departures import Board
from actions.transit.per_feed import PerFeed
from bot.language.mixed_script import mixed_pattern
from bot.language.script import to_simplified

__all__ = ["compass_asked", "heading", "going"]

_TOWNS: PerFeed[bool] = PerFeed()

_WAYS = {"north": "north", "south": "south", "east": "east", "west": "west",
         "n": "north", "s": "south", "e": "east", "w": "west",
         "北": "north", "南": "south", "东": "east", "西": "west"}  # fmt: skip
#: Said as a direction of travel: "northbound", "going south", "NB", "南行", "往北走".
_ASKED = (
    mixed_pattern(
        r"\b(?P<way>north|south|east|west)[\s-]?bound\b"
        r"|\b(?:going|heading|headed|travell?ing|go|goes)\s+(?P<way2>north|south|east|west)\b"
        r"|\b(?P<way3>n|s)b\b",
        re.IGNORECASE,
    ),
    # "往北" but not "往北站" (a station), "南行" but not "南行李" (luggage)
    re.compile(
        r"(?:往|向|朝)(?P<way>[北南东西])(?![站门口])|(?P<way2>[北南东西])(?:行|向)(?![李站])"
        r"|(?P<way3>北)上|(?P<way4>南)下"
    ),
)


#: Manhattan's words for north and south ("the downtown 1", "and uptown?", "往下城"), read
#: so only where the feed has no place called downtown or uptown: elsewhere "downtown" is
#: where the city centre is, a place, not a compass point.
_TOWN_WAYS = (
    mixed_pattern(r"\b(?P<town>up|down)[\s-]?t(?:ow|wo)n\b", re.IGNORECASE),
    re.compile(r"(?P<town>[上下])城(?![市区际])"),
)
_TOWN = {"up": "north", "down": "south", "上": "north", "下": "south"}
_TOWN_PLACE = re.compile(r"\b(?:up|down)[\s-]?town\b|[上下]城", re.IGNORECASE)


#: "inbound", "outbound": the way a feed itself may name, on its platforms ("Maverick -
#: Inbound") or in its headsigns ("Inbound to Downtown"), and riders with it.
_IN_OUT_WORD = mixed_pattern(r"\b(?P<io>in|out)[\s-]?bound\b", re.IGNORECASE)


def compass_asked(text: str, feed: TransitFeed | None = None) -> str | None:
    """The compass direction of travel the rider names, if any: "north", "south" …

    With ``feed``, "uptown"/"downtown" (上城/下城) count as north/south too, unless one of
    the feed's stops is named for a downtown; and "inbound"/"outbound" are asked when the
    feed names its ways so.
    """
    simplified = to_simplified(text or "")
    found = _IN_OUT_WORD.search(simplified)
    if found and feed is not None and _says_in_or_out(feed):
        return f"{found.group('io').lower()}bound"
    for pattern in _ASKED:
        found = pattern.search(simplified)
        if found:
            word = next(value for value in found.groupdict().values() if value)
            return _WAYS[word.lower()]
    if feed is not None and not _names_a_town(feed):
        for pattern in _TOWN_WAYS:
            found = pattern.search(simplified)
            if found:
                return _TOWN[found.group("town").lower()]
    return None


def _names_a_town(feed: TransitFeed) -> bool:
    """Whether a stop of the feed is called after a downtown or an uptown (a place)."""
    return _TOWNS.get(
        feed,
        lambda: any(
            _TOWN_PLACE.search(name)
            for stop in feed.stops.values()
            for name in (stop.name, *stop.names.values())
            if name
        ),
    )


def heading(feed: TransitFeed, departure: Departure) -> str | None:
    """The compass way from the departure's stop to its trip's last stop, or None."""
    calls = feed.stop_times.get(departure.trip.trip_id) or ()
    if not calls:
        return None
    here, end = feed.stops.get(departure.stop_id), feed.stops.get(calls[-1].stop_id)
    if here is None or end is None or None in (here.lat, here.lon, end.lat, end.lon):
        return None
    assert here.lat is not None and here.lon is not None and end.lat is not None
    assert end.lon is not None
    north = end.lat - here.lat
    east = (end.lon - here.lon) * math.cos(math.radians(here.lat))
    if north == east == 0:
        return None
    if abs(north) >= abs(east):
        return "north" if north > 0 else "south"
    return "east" if east > 0 else "west"


def going(feed: TransitFeed, board: Board, way: str) -> Board:
    """The board's lines and directions that head ``way``; the whole board if none does."""
    kept = tuple(
        direction
        for direction in board.boards
        if direction.trains and _heads(feed, direction.trains[0].departure, way)
    )
    return Board(kept, board.resumes_at) if kept else board


def _heads(feed: TransitFeed, departure: Departure, way: str) -> bool:
    if way in ("inbound", "outbound"):
        return _in_or_out(feed, departure) == way
    return heading(feed, departure) == way


def _in_or_out(feed: TransitFeed, departure: Departure) -> str | None:
    """ "inbound"/"outbound" as the feed names the departure's platform or headsign."""
    platform = feed.stops.get(departure.stop_id)
    for text in (departure.headsign, platform.name if platform else ""):
        found = _IN_OUT_WORD.search(text or "")
        if found:
            return f"{found.group('io').lower()}bound"
    return None


_SAYS_IN_OR_OUT: PerFeed[bool] = PerFeed()


def _says_in_or_out(feed: TransitFeed) -> bool:
    """Whether the feed names ways inbound/outbound (platforms or headsigns): only then
    can "inbound" be told from "outbound"."""
    return _SAYS_IN_OR_OUT.get(
        feed,
        lambda: (
            any(_IN_OUT_WORD.search(stop.name or "") for stop in feed.stops.values())
            or any(_IN_OUT_WORD.search(trip.headsign or "") for trip in feed.trips.values())
        ),
    )
