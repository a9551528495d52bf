"""The words a city's own feed calls for: buses or trains, stops or stations, its examples.

A reply about a bus network must not speak of "trains" and "地铁", nor suggest "from Luohu
to Shenzhen North" to a rider in another city. What the feed runs (``route_type``) decides
the vehicle and place words, and its own busiest stops are the examples. Computed once per
feed and kept as long as the feed is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from actions.clients.gtfs.model import Stop, TransitFeed
from actions.transit.per_feed import PerFeed
from bot.language.mixed_script import mixed_pattern

ENGLISH = "en"

#: Basic GTFS route types and the extended (HVT) ranges, by the mode riders know them as.
_MODES = (
    ("bus", {3, 11, *range(200, 300), *range(700, 800), 800}),
    ("tram", {0, 5, *range(900, 1000)}),
    ("metro", {1, 12, *range(400, 500)}),
    ("rail", {2, *range(100, 200)}),
    ("ferry", {4, *range(1000, 1100), 1200}),
    ("cable", {6, 7, *range(1300, 1500)}),
)
#: Per mode: (vehicles, the network, a place) in English and Chinese.
_WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "bus": {"en": ("buses", "The bus network", "stop"), "zh": ("公交车", "公交线网", "站点")},
    "tram": {"en": ("trams", "The tram network", "stop"), "zh": ("电车", "电车线网", "站点")},
    "metro": {"en": ("trains", "The metro", "station"), "zh": ("列车", "地铁全线网", "车站")},
    "rail": {"en": ("trains", "The rail network", "station"), "zh": ("列车", "铁路线网", "车站")},
    "ferry": {"en": ("ferries", "The ferry network", "pier"), "zh": ("渡轮", "轮渡航线", "码头")},
    "cable": {"en": ("cars", "The cable network", "station"), "zh": ("缆车", "索道线网", "站点")},
    "mixed": {"en": ("services", "The whole network", "stop"), "zh": ("车次", "全线网", "站点")},
}
#: How many of the busiest stops the examples are chosen from (the shortest names win).
_EXAMPLE_POOL = 6


@dataclass(frozen=True)
class FeedWords:
    """The mode of a feed's network and the example stops a reply may suggest."""

    mode: str
    #: The busiest stations, best examples first (short names among the busiest).
    examples: tuple[Stop, ...]
    #: Every mode the feed runs a route of.
    modes: frozenset[str] = frozenset()

    def vehicles(self, language: str | None) -> str:
        return _WORDS[self.mode][_lang(language)][0]

    def network(self, language: str | None) -> str:
        return _WORDS[self.mode][_lang(language)][1]

    def place(self, language: str | None) -> str:
        return _WORDS[self.mode][_lang(language)][2]

    def example(self, language: str | None, which: int = 0) -> str:
        """The name of an example stop in the reply language ("" for an empty feed)."""
        if not self.examples:
            return ""
        stop = self.examples[which % len(self.examples)]
        return stop.name_in(_lang(language))


def feed_words(feed: TransitFeed) -> FeedWords:
    """The words for ``feed``, computed on first use and kept as long as the feed is."""
    return _CACHE.get(
        feed,
        lambda: FeedWords(
            mode=network_mode(feed),
            examples=busiest_stations(feed),
            modes=frozenset(mode_of(route.route_type) for route in feed.routes.values()),
        ),
    )


_CACHE: PerFeed[FeedWords] = PerFeed()


def route_types_of(mode: str) -> frozenset[int]:
    """Every route type, basic and extended, riders know as ``mode`` ("bus": 3, 700…)."""
    return frozenset(next((types for name, types in _MODES if name == mode), ()))


def mode_of(route_type: int) -> str:
    """ "bus", "tram", "metro", "rail", "ferry", "cable", or "mixed" for an unknown type."""
    for mode, types in _MODES:
        if route_type in types:
            return mode
    return "mixed"


def network_mode(feed: TransitFeed) -> str:
    """The one mode every route of the feed has; "mixed" when it runs several.

    Metro with a few suburban rail routes (or the reverse) is still "trains" to a rider.
    """
    modes = {mode_of(route.route_type) for route in feed.routes.values()}
    if modes <= {"metro", "rail"} and modes:
        return "metro" if "metro" in modes else "rail"
    return modes.pop() if len(modes) == 1 else "mixed"


#: A mode asked for by name. "train" is left out: riders say it of metros and railways.
_ASKED_MODES = (
    ("bus", mixed_pattern(r"公交|巴士|公车|大巴|小巴|\bbus(?:es)?\b", re.I)),
    ("tram", mixed_pattern(r"有轨电车|電車|电车|\btrams?\b|\bstreetcars?\b", re.I)),
    ("ferry", mixed_pattern(r"轮渡|渡轮|輪渡|渡輪|\bferry\b|\bferries\b", re.I)),
    # A station is a place to go to, not a way to travel: "坐652去火车站", "walk to the
    # subway station" ask about buses.
    (
        "metro",
        mixed_pattern(
            r"地铁(?![站口])|地鐵(?![站口])|\b(?:metro|subway|underground)\b(?!\s*station)", re.I
        ),
    ),
    (
        "rail",
        re.compile(
            r"高铁(?!站)|高鐵(?!站)|动车(?!站)|動車(?!站)|火车(?!站)|火車(?!站)|城际|城際", re.I
        ),
    ),
)


def mode_the_feed_lacks(feed: TransitFeed, text: str) -> str | None:
    """A mode the message asks for by name ("坐几路公交车", "what bus goes to…") that the
    feed runs no route of, so the answer can say it has no such timetable."""
    modes = feed_words(feed).modes
    if not modes or "mixed" in modes:
        return None
    for mode, words in _ASKED_MODES:
        if words.search(text):
            return None if mode in modes else mode
    return None


def vehicles_of(mode: str, language: str | None) -> str:
    """What a mode's vehicles are called ("buses", "公交车")."""
    return _WORDS[mode][_lang(language)][0]


def busiest_stations(feed: TransitFeed, count: int = 2) -> tuple[Stop, ...]:
    """``count`` stations riders know: among the busiest, the ones with the shortest names."""
    calls: Counter[str] = Counter()
    for stop_id, at in feed.calls_at.items():
        if stop_id in feed.stops:
            calls[feed.station_of(stop_id).stop_id] += len(at)
    busiest = [feed.stops[s] for s, _ in calls.most_common(_EXAMPLE_POOL)]
    return tuple(sorted(busiest, key=lambda s: len(s.name))[:count])


def _lang(language: str | None) -> str:
    return ENGLISH if language == ENGLISH else "zh"
