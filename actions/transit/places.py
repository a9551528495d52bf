"""Which stations a transit question is about, and which is the origin and the destination.

The message is read against the feed's own stop names (:mod:`actions.transit.mentions`),
so a stop the model never saw still works; the NLU ``stop`` entity adds what the names do
not find ("Hogwarts" is named back as unknown). Origin and destination come from the
sentence's order and markers ("从罗湖到深圳北", "to Shenzhen North from Gangxia"). A button
payload may name a station by its GTFS ``stop_id``. Each name is resolved against the
feed: one station, several (ask which) or none (say so, with the closest names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actions.city import city_services
from actions.clients.gtfs.model import Stop, TransitFeed
from actions.clients.gtfs.names import normalise_name
from actions.transit import exonyms
from actions.transit.feed_words import mode_of, route_types_of
from actions.transit.line_colours import colours_named, routes_of_colours
from actions.transit.mentions import LATIN_BOUNDARY, NOT_PLACES, find_mentions
from actions.transit.network_names import blanked, network_spans
from actions.transit.place_words import canonical
from actions.transit.stops import (
    MatchKind,
    StopIndex,
    StopMatch,
    StopMention,
    decided,
    from_and_to,
    match_stop,
    names_a_facility_after,
    negated,
    role_from_words,
)
from bot.language.mixed_script import mixed_pattern
from bot.language.script import is_han, to_simplified

STOP_ENTITY = "stop"
#: Words that say "a station" without naming one. The model sometimes marks only such a
#: word ("next train at Hogwarts [station]"); the name is then the word before it.
GENERIC_STOP_WORDS = frozenset(
    {
        "station", "stop", "metro station", "subway station", "train station",
        "站", "车站", "地铁站", "車站", "地鐵站", "火车站", "火車站",
    }
)  # fmt: skip
#: Where at a station, said after it ("火车站门口": the station's entrance).
_AT_THE_STATION = re.compile(r"(?:门口|門口|出口|入口|那边|那邊|附近|外面|前面)$")
#: Words before a generic station word that are not part of a name.
NOT_A_NAME = frozenset({"at", "the", "a", "to", "from", "in", "of", "near", "for", "this", "that"})
#: Characters before a Chinese station name that belong to the sentence ("去", "到", "在"…).
NOT_A_NAME_HAN = "去到在从往的坐至由"
#: Characters of the sentence around a name, hardly ever in one ("帮我查", "请问").
_SENTENCE_HAN = "你我他她帮幫查请請问問能要想吗嗎吧呢了"
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z0-9'’.-]*)\s*$")
_LAST_HAN = re.compile(r"([\u4e00-\u9fff]+)$")


def widened(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a stop entity, widened to the name when it covers only "station"/"站"."""
    words = _AT_THE_STATION.sub("", text[start:end].strip().lower())
    if words not in GENERIC_STOP_WORDS:
        return start, end
    before = text[:start]
    found = _LAST_HAN.search(before)
    if found is not None:
        # "去|霍格沃茨", "请问从|波茨坦": the name is what follows the sentence's last
        # word ("那你帮我查一下|火车站": no name at all)
        name = re.split(f"一下|[{NOT_A_NAME_HAN}{_SENTENCE_HAN}]", found.group(1))[-1]
        return (start - len(name), end) if name else (start, end)
    found = _LAST_WORD.search(before)
    if found is None or found.group(1).lower() in NOT_A_NAME:
        return start, end
    return found.start(1), end


@dataclass(frozen=True)
class Place:
    """What the rider called a place and what it resolved to."""

    query: str
    match: StopMatch
    role: str | None = None

    @property
    def station(self) -> Stop | None:
        return self.match.stops[0] if self.match.kind is MatchKind.EXACT else None


@dataclass(frozen=True)
class Places:
    """The places of one message, in order, with the origin and destination when known."""

    all: tuple[Place, ...] = ()
    origin: Place | None = None
    destination: Place | None = None
    #: Stations the message says are not meant ("not Futian", "不是车公庙").
    denied: tuple[Stop, ...] = ()


def _exact(stop: Stop) -> StopMatch:
    return StopMatch(kind=MatchKind.EXACT, stops=(stop,), suggestions=())


#: "at/from/to/near <name> station|stop" in Latin script: a place named in the usual
#: English frame, for when the model marked nothing and the feed's names found nothing.
_FRAMED_NAME = mixed_pattern(
    r"\b(?:at|from|to|near|for)\s+(?:the\s+)?"
    r"(?P<name>[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,3}?)\s+(?:station|stop)\b",
    re.IGNORECASE,
)
#: First words of a framed "name" that say which stop without naming it ("the bus stop").
NOT_A_FRAMED_NAME = frozenset(
    {"bus", "train", "metro", "subway", "tram", "ferry", "rail", "railway", "next", "nearest",
     "closest", "this", "that", "which", "what", "my", "your", "our", "same", "last", "first",
     "a", "an", "the", "any", "each", "every", "other", "another"}
)  # fmt: skip


def framed_name(text: str) -> tuple[int, int] | None:
    """Where "at Hogwarts station" names a place the feed does not know, if anywhere."""
    for found in _FRAMED_NAME.finditer(text):
        if found.group("name").split()[0].lower() not in NOT_A_FRAMED_NAME:
            return found.start("name"), found.end()
    return None


def resolve(feed: TransitFeed, index: StopIndex, query: str) -> StopMatch:
    """A name (or a stop_id from a button) → the station(s) it means."""
    if query in feed.stops:
        return _exact(feed.station_of(query))
    identity = city_services().identity
    found = not_the_city(match_stop(index, query), query, (identity.name_en, identity.name_zh))
    if found.kind is MatchKind.NONE and any(map(is_han, query)):
        # "山景", "帕洛阿尔托" on a feed that names its stations in English only.
        named = exonyms.for_feed(feed).lookup(query.strip())
        if named and len(named) > 1 and _STATION_WORD.search(query.strip()):
            # "波茨坦火车站": of Potsdam's stops, the railway station ("S Potsdam Hbf").
            railway = [
                stop_id
                for stop_id in named
                if stop_id in feed.stops
                and _RAILWAY_STATION.search(canonical(feed.stops[stop_id].name))
            ]
            named = tuple(railway) if len(railway) == 1 else named
        if named:
            return decided(index, named)
        facility = facility_in_english(query)
        if facility is not None:
            # "去機場", "到医院": the one airport (hospital…) of the feed, as "the airport"
            # finds it in English.
            return not_the_city(
                match_stop(index, facility), facility, (identity.name_en, identity.name_zh)
            )
    return found


#: Places a city has one (or few) of, which a rider names by their kind alone: "the
#: airport", "机场". Their Chinese words come from the exonym lexicon's ``words``.
_FACILITIES = frozenset(
    {"airport", "university", "hospital", "zoo", "stadium", "museum", "library", "beach",
     "pier", "wharf", "ferry", "mall", "cathedral", "harbor", "harbour", "port"}
)  # fmt: skip
_AROUND_A_KIND = re.compile(r"^(?:那个|那個|个|個)|(?:那边|那邊|那里|那裡|站|的)$")


def facility_in_english(query: str) -> str | None:
    """The English kind a Chinese word alone names ("機場" -> "airport"), or None."""
    han = _AROUND_A_KIND.sub("", to_simplified(query.strip()))
    for english, chinese in exonyms.lexicon().words.items():
        if len(english) == 1 and english[0] in _FACILITIES and han in chinese:
            return english[0]
    return None


#: A railway station's name, in the words it is compared in ("Falkensee, Bahnhof",
#: "S Potsdam Hauptbahnhof").
_RAILWAY_STATION = re.compile(r"\b(?:station|hbf)\b", re.IGNORECASE)
#: "Station" after a name: "Busan Station", "釜山站".
_STATION_WORD = re.compile(r"\s*(?:railway station|train station|station|stn|火车站|站)$", re.I)


def not_the_city(found: StopMatch, query: str, city_names: Sequence[str]) -> StopMatch:
    """No station for the city's own name ("Busan Station") unless the feed names one so.

    "Busan Station" (on Line 1, which the feed lacks) is no typo of Baesan.
    """
    key = normalise_name(_STATION_WORD.sub("", query.strip()))
    if found.kind is not MatchKind.EXACT or key not in {normalise_name(n) for n in city_names}:
        return found
    named = any(
        normalise_name(_STATION_WORD.sub("", name)) == key
        for stop in found.stops
        for name in (stop.name, *stop.names.values())
    )
    return found if named else StopMatch(MatchKind.NONE)


def places_in(feed: TransitFeed, index: StopIndex, message: Mapping[str, Any]) -> Places:
    """Every place the message names, from the feed's own names first, then the NLU's.

    The stops the feed's names find in the text (:mod:`actions.transit.mentions`) win over
    an NLU entity on the same words: the model may mark only part of a name ("St" in "34 St
    - Herald Sq"). An entity on other words is resolved on its own ("Hogwarts" is named
    back as unknown), unless the feed found stops elsewhere and the entity fits none and
    stands after no "from"/"to" (then it is a word the model took for a stop). A
    button's entity names a stop_id. The sentence's own markers ("从/到", "from/to") then
    say which is the origin and which the destination; the model's roles only where the
    text cannot (button payloads).
    """
    text = with_arrows_as_to(str(message.get("text") or ""))
    network = [] if text.startswith("/") else network_spans(feed, index, text, transit_names())
    if network:
        # "next port liner from sannomiya": the network's name is no station ("Port
        # Terminal") and holds none; the words are blanked, offsets kept.
        text = blanked(text, network)
    entities = [
        e
        for e in message.get("entities") or ()
        if e.get("entity") == STOP_ENTITY and not _inside(e, network)
    ]
    entities = joined_fragments(text, entities)
    from_payload = text.startswith("/")
    mentions = [] if from_payload else find_mentions(feed, index, text)
    # "坐 Link 去…": a line's own name found as words of stops' names is the line.
    mentions = [
        m for m in mentions if not (_names_a_line(feed, m.text) and not index.names_whole(m.text))
    ]
    if not entities and not mentions and not from_payload:
        # Neither the model nor the feed found a place: "next train at Hogwarts station"
        # still names one, to be named back as unknown rather than asked for again.
        framed = framed_name(text)
        if framed is not None:
            entities = [{"entity": STOP_ENTITY, "start": framed[0], "end": framed[1]}]
    spans: list[tuple[StopMention, Place]] = [(m, _mentioned(index, m)) for m in mentions]
    without_span: list[Place] = []
    for entity in entities:
        span = None if from_payload else _span(text, entity)
        if span is not None and any(m.start < span[1] and span[0] < m.end for m in mentions):
            continue
        if span is not None and names_a_facility_after(text, span[1], mentions):
            continue  # "bao'an airport": the airport, not the station named Bao'an
        words = text[span[0] : span[1]] if span else ""
        value = str(entity.get("value") or "")
        # A stop_id comes from a button only: typed "156" (the hotline's number) is no
        # id, though SPTrans numbers its stops so.
        query = value if from_payload and value in feed.stops else (words or value)
        if not query:
            continue
        typed_id = not from_payload and query in feed.stops
        match = match_stop(index, query) if typed_id else resolve(feed, index, query)
        place = Place(query, match, entity.get("role"))
        if _names_a_line(feed, query) and not index.names_whole(query):
            continue  # "Link", "550": the line taken, not a stop whose name has the word
        marked = span is not None and role_from_words(text[: span[0]], text[span[1] :])
        if place.match.kind is MatchKind.NONE and (
            (mentions and not marked) or len(query) < 2 or _is_sentence_word(query)
        ):
            # A word the model took for a stop: "丢" in "身份证丢了怎么办", "via" in
            # "how long going round via line 5".
            continue
        if place.station is None and len(mentions) >= 2:
            # "Visiting from Malaysia … near Sea World … to Huaqiangbei": the feed found a
            # trip's stations; a name that is none of the feed's is where the rider is from.
            continue
        if span is not None:
            spans.append((StopMention(span[0], span[1], words, ()), place))
        else:
            without_span.append(place)
    spans.sort(key=lambda pair: pair[0].start)
    spans = _corners_and_appositions(feed, text, spans)
    # "不是车公庙，是竹子林出发": the station said not to be meant is no place of the trip.
    said_not = [negated(text[max(0, m.start - 12) : m.start]) for m, _ in spans]
    denied = tuple(
        station
        for (_, place), no in zip(spans, said_not, strict=True)
        if no and (station := place.station) is not None
    )
    spans = [pair for pair, no in zip(spans, said_not, strict=True) if not no]
    places = [place for _, place in spans] + without_span
    if not places:
        return Places(denied=denied)
    first, second = from_and_to(text, [mention for mention, _ in spans])
    by_start = {mention.start: place for mention, place in spans}
    origin = by_start.get(first.start) if first else None
    destination = by_start.get(second.start) if second else None
    if origin is None and destination is None:
        origin, destination = _by_roles(places)
    modes = modes_named(text)
    chosen = {
        id(place): refined(feed, place, _other(place, origin, destination), modes)
        for place in places
    }
    return Places(
        tuple(chosen[id(place)] for place in places),
        chosen[id(origin)] if origin is not None else None,
        chosen[id(destination)] if destination is not None else None,
        denied,
    )


#: A part of town said before the stop that is in it: "市中心 Marion Transit Center".
_AREA_WORD = re.compile(
    r"^(?:市中心|市区|市區|中心区|中心區|下城|downtown|city cent(?:re|er)|town cent(?:re|er))$",
    re.IGNORECASE,
)
_APPOSED = re.compile(r"^[\s,，的]*(?:the\s+)?$", re.IGNORECASE)
#: Two streets of one corner: "Kennedy Blvd 跟 Himes Av", "Florida Ave & Whiting St".
_CORNER_JOIN = re.compile(r"^\s*(?:跟|和|与|與|同|及|&|/|@|\+|and|at|x)\s*$", re.IGNORECASE)


def _corners_and_appositions(
    feed: TransitFeed, text: str, spans: list[tuple[StopMention, Place]]
) -> list[tuple[StopMention, Place]]:
    """Places of one place said as two: a part of town before the stop in it ("市中心
    Marion Transit Center" is Marion Transit Center), and the two streets of a corner a
    stop is named after ("Kennedy Blvd 跟 Himes Av" is the stop "Kennedy Blvd @ Himes Av")."""
    kept: list[tuple[StopMention, Place]] = []
    for mention, place in spans:
        if kept:
            before, earlier = kept[-1]
            between = text[before.end : mention.start]
            if (
                _AREA_WORD.match(before.text.strip())
                and _APPOSED.match(between)
                and place.station is not None
            ):
                kept[-1] = (mention, place)
                continue
            corner = (
                _stop_at_the_corner(feed, earlier, place) if _CORNER_JOIN.match(between) else None
            )
            if corner is not None:
                joined = StopMention(
                    before.start, mention.end, text[before.start : mention.end], ()
                )
                kept[-1] = (joined, Place(joined.text, _exact(corner), earlier.role))
                continue
        kept.append((mention, place))
    return kept


def _stop_at_the_corner(feed: TransitFeed, one: Place, other: Place) -> Stop | None:
    """The one station whose name has both streets ("Kennedy Blvd @ Himes Av"), if any."""
    first, second = canonical(one.query), canonical(other.query)
    if len(first) < 3 or len(second) < 3:
        return None
    found = {
        feed.station_of(stop.stop_id).stop_id
        for stop in feed.stops.values()
        if first in canonical(stop.name) and second in canonical(stop.name)
    }
    return feed.stops[next(iter(found))] if len(found) == 1 else None


#: "galeries -> old chelsea", "A → B", "A => B": an arrow between two places is "to".
_ARROW = re.compile(r"\s*(?:-+>|=+>|—+>|→|⇒|➡|➔|⟶)\s*")


def with_arrows_as_to(text: str) -> str:
    """``text`` with each arrow between words as " to " (padded to the arrow's length, so
    entity offsets still fit), the marker the places are read by."""

    def to(match: re.Match[str]) -> str:
        width = len(match.group(0))
        return " to ".center(width) if width >= 4 else {1: "到", 2: " 到", 3: " 到 "}[width]

    return _ARROW.sub(to, text)


def transit_names() -> tuple[str, str]:
    """The city's own names for its transit (``city.transit_name_en`` and ``_zh``)."""
    identity = city_services().identity
    return identity.transit_name_en, identity.transit_name_zh


def _inside(entity: Mapping[str, Any], spans: Sequence[tuple[int, int]]) -> bool:
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return any(s <= start and end <= e for s, e in spans)


def _other(place: Place, origin: Place | None, destination: Place | None) -> Stop | None:
    other = destination if place is origin else origin if place is destination else None
    return other.station if other is not None else None


#: Words for a mode of transport -> GTFS route_type values.
_MODES = (
    (mixed_pattern(r"\b(?:metro|subway|underground|tube)\b|地铁|地鐵|捷运", re.IGNORECASE), {1}),
    (
        mixed_pattern(
            r"\b(?:tram|trams|streetcar|light rail)\b|电车|電車|有轨|有軌", re.IGNORECASE
        ),
        {0},
    ),
    (mixed_pattern(r"\b(?:train|trains|rail)\b|火车|火車|列车|列車", re.IGNORECASE), {2}),
    (mixed_pattern(r"\b(?:bus|buses)\b|公交|巴士|公车", re.IGNORECASE), {3}),
    (mixed_pattern(r"\b(?:ferry|boat)\b|渡轮|渡輪|轮渡|坐船", re.IGNORECASE), {4}),
)


def modes_named(text: str) -> frozenset[int]:
    """The route types a message names ("next metro from Kamppi": 1 and 400–499), the
    extended types of the mode too (VBB files its buses as 700 as well as 3)."""
    return frozenset(
        route_type
        for pattern, types in _MODES
        if pattern.search(text)
        for basic in types
        for route_type in route_types_of(mode_of(basic))
    )


def refined(feed: TransitFeed, place: Place, other: Stop | None, modes: frozenset[int]) -> Place:
    """Of the stations of one place (``stops.one_place``), the one for this trip first:
    a route in common with the trip's other end, then the mode the message names."""
    stops = place.match.stops
    if place.match.kind is not MatchKind.EXACT or len(stops) < 2:
        return place
    there = feed.route_ids_at.get(other.stop_id, frozenset()) if other is not None else frozenset()

    def fits(stop: Stop) -> tuple[bool, bool]:
        served = feed.route_ids_at.get(stop.stop_id, frozenset())
        in_mode = any(feed.routes[r].route_type in modes for r in served if r in feed.routes)
        return bool(served & there), in_mode

    best = max(stops, key=fits)
    ordered = (best, *(stop for stop in stops if stop is not best))
    return Place(place.query, StopMatch(MatchKind.EXACT, ordered), place.role)


def _names_a_line(feed: TransitFeed, query: str) -> bool:
    """The words are a line's own name ("Link", "550", "Baby Bullet"), or a line called
    by its colour ("黃線", "the blue line") that the feed has."""
    folded = query.strip().casefold()
    # "L9" for the feed's line "9", as Spain and France write lines.
    lettered = re.fullmatch(r"l0*(\d{1,3})", folded)
    if any(
        folded in (route.short_name.casefold(), route.long_name.casefold())
        or (lettered is not None and route.short_name.casefold() == lettered.group(1))
        for route in feed.routes.values()
        if route.short_name or route.long_name
    ):
        return True
    colours = colours_named(query)
    return bool(colours) and bool(routes_of_colours(feed, colours))


def _is_sentence_word(query: str) -> bool:
    """A word of the sentence around places ("via", "here", "the"), never a place's name;
    nor a way or a platform ("上城", "下城", "站台", "月台")."""
    folded = to_simplified(query.strip())
    if folded in _WAY_WORDS:
        return True
    return all(word in NOT_PLACES or word in LATIN_BOUNDARY for word in query.casefold().split())


#: Ways and platforms in Chinese, which the model sometimes marks as a stop.
_WAY_WORDS = frozenset({"上城", "下城", "站台", "月台", "方向", "对面", "反方向"})


def _span(text: str, entity: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where an entity stands in the text, widened from "station" alone to the name."""
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return widened(text, start, end)


def _start_of(entity: Mapping[str, Any]) -> int:
    start = entity.get("start")
    return start if isinstance(start, int) else -1


def joined_fragments(text: str, entities: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stop entities the model cut into words ("Box" "Hill") joined back into one name.

    Two entities separated only by spaces or a name's own punctuation ("-", "&", "'", ".")
    are one name; the first one's role stands for both. Chinese names are never joined:
    "罗湖 福田" is two stations.
    """
    joined: list[dict[str, Any]] = []
    for entity in sorted(entities, key=_start_of):
        start, end = entity.get("start"), entity.get("end")
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and isinstance(start, int)
            and isinstance(end, int)
            and isinstance(previous.get("end"), int)
            and start >= previous["end"]
            and _NAME_GAP.fullmatch(text[previous["end"] : start])
            and not any(is_han(ch) for ch in text[previous["start"] : end])
        ):
            previous["end"] = end
            previous["value"] = text[previous["start"] : end]
            continue
        joined.append(dict(entity))
    return joined


_NAME_GAP = re.compile(r"[\s\-–&'’./]{1,3}")


def _mentioned(index: StopIndex, mention: StopMention) -> Place:
    """A place found by the feed's names: one station, or the stations the words fit (one
    place when they are a short walk apart, ``stops.decided``)."""
    return Place(mention.text, decided(index, [stop.stop_id for stop in mention.stops]))


def _by_roles(places: Sequence[Place]) -> tuple[Place | None, Place | None]:
    """Origin and destination from the NLU roles (button payloads carry no text to read)."""
    origin = next((p for p in places if p.role == "from"), None)
    destination = next((p for p in places if p.role == "to"), None)
    unassigned = [p for p in places if p is not origin and p is not destination]
    if origin is None and destination is None and len(unassigned) >= 2:
        return unassigned[0], unassigned[1]
    if origin is None and destination is not None and unassigned:
        origin = unassigned[0]
    elif destination is None and origin is not None and unassigned:
        destination = unassigned[0]
    return origin, destination


def unresolved(places: Sequence[Place | None]) -> Place | None:
    """The first place that did not resolve to exactly one station."""
    return next((p for p in places if p is not None and p.station is None), None)
