"""Which station a rider means: names typed loosely, in Chinese or English, matched to a feed.

Riders write "深圳北", "車公廟", "ＬＵＯＨＵ站", "Shenzen North" or "Luohoo"; the feed writes
"深圳北站" and translates it as "Shenzhen North Station" in translations.txt. Every name a
station has, in every language, is normalised once per feed (width, case, punctuation,
bracketed notes, a trailing "站"/"Station", Traditional characters) and a query is tried
against them from the surest reading to the loosest:

1. the same normalised name;
2. a name containing what was typed ("深圳北" in 深圳北站, "Airport" in "Nye County Airport");
3. what was typed containing a name ("罗湖口岸" names 罗湖);
4. a name within a few typing mistakes of it (edit distance, transpositions count once).

The first reading that finds anything decides. Two stations equally good are AMBIGUOUS:
asking "which one?" beats sending a resident to the wrong end of the city. Short queries (one
Han character, fewer than three Latin letters) only ever match a whole name, since anything
looser would match half the network.

Answers are stations, never platforms: a platform stands for its ``parent_station``, so a
station served by five lines is one answer. Nothing here is specific to one city or language
pair; the tests run the Shenzhen Metro feed and Google's "Demo Transit Authority" feed.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from actions.clients.gtfs.grouping import (
    distance_m,
    hub_name,
    hub_place,
    without_designator,
    without_stop_code,
)
from actions.clients.gtfs.model import Stop, TransitFeed
from actions.clients.gtfs.names import normalise_name
from actions.transit.cyrillic import has_cyrillic, latin_forms
from actions.transit.feed_words import mode_of
from actions.transit.kana import is_kana, romaji
from actions.transit.per_feed import PerFeed
from actions.transit.place_words import (
    FACILITIES,
    canonical,
    canonical_with_offsets,
    canonical_words,
    kanji_in_chinese,
)
from bot.language.mixed_script import mixed_pattern
from bot.language.script import is_han, to_simplified

#: Stations offered when a name fits several; more is a list nobody reads in a chat.
MAX_CANDIDATES = 5
#: Near names offered when nothing matches.
MAX_SUGGESTIONS = 3
#: Below these lengths a query only matches a whole name (see the module docstring).
MIN_HAN_LOOSE = 2
MIN_LATIN_LOOSE = 3
#: A Latin query found inside a name needs this many letters unless it is the name's whole
#: first word ("Sea" for "Sea World"): "the" must not find "Window of the World", nor "air"
#: every airport. Near-spellings of a name's first words need one more ("taxi" is not Tai'an).
MIN_LATIN_INSIDE = 4
#: How close a name must be to be *suggested* when nothing matched (1 - edits / length).
SUGGESTION_SIMILARITY = 0.5
#: Words riders put after a station name in a message ("罗湖站", "Luohu station").
STATION_WORDS = (
    "站", "地铁站", "车站", "火车站", "station", "metrostation", "subwaystation", "stop",
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")
_OPENING, _CLOSING = "(（[【", ")）]】"
_APOSTROPHES = re.compile(r"(?<=\w)['’ʼ](?=\w)")
#: What was said just before a station, in the part of the message before it.
_MARKED_BEFORE = mixed_pattern(
    r"(?:(?P<origin>从|由|自|\b(?:from|leaving|departing)\b)"
    # "仲有冇车返罗湖", "从大运回福田口岸": back to a place is to it
    r"|(?P<destination>到|去|至|往|返|回|\b(?:to|towards?|into|back to|be at|arrive at|reach)\b))"
    r"达?[\W_]*(?:\b(?:the|a)\b[\W_]*)?$"
)
#: Something that starts at a place: "a follow up at Tampa General", "my interview at X".
_APPOINTMENT_AT = mixed_pattern(
    r"\b(?:appointment|follow[- ]?up|check-?up|exam|interview|class|lecture|meeting|shift"
    r"|surgery|job interview)\s+(?:is\s+)?(?:at|in)\s+(?:the\s+)?$"
)
_BE_AT = re.compile(r"\bbe at\b")
#: A time to be somewhere by, right after the place: "… by 9", "before noon", "at 7:30".
_BY_A_TIME = re.compile(
    r"^[\W_]*(?:\w+[\W_]+){0,2}?(?:by|before|no later than|for|at)\s*"
    r"(?:\d|noon|midday|nine|ten|eight|seven)"
)
#: What was said just after a station: "罗湖出发".
_MARKED_AFTER = re.compile(r"^[\W_]*(?:出发|上车)")
#: What says a station is *not* the one meant: "不是车公庙，是竹子林出发", "not Luohu".
_NEGATED_BEFORE = mixed_pattern(
    r"(?:不是|并非|不在|\b(?:not|isn't|wasn't)\b)[\W_]*(?:从|在|去|到|\b(?:from|to|at)\b)?"
    r"[\W_]*(?:\bthe\b[\W_]*)?$"
)


class MatchKind(enum.Enum):
    """How sure the matcher is about what the rider typed."""

    EXACT = "exact"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True)
class StopMatch:
    """The answer to "which station is this?"."""

    kind: MatchKind
    #: One station for EXACT; the candidates, best first, for AMBIGUOUS; empty for NONE.
    stops: tuple[Stop, ...] = ()
    #: For NONE: the closest names, to offer as "did you mean"; may be empty.
    suggestions: tuple[Stop, ...] = ()

    @property
    def stop(self) -> Stop | None:
        """The station when the match is EXACT."""
        return self.stops[0] if self.kind is MatchKind.EXACT else None


@dataclass(frozen=True)
class StopMention:
    """A station named in a message; ``text[start:end]`` of the original message names it."""

    start: int
    end: int
    text: str
    #: Usually one; several when the feed gives different stations the same name.
    stops: tuple[Stop, ...]

    @property
    def stop(self) -> Stop:
        """The station named (the feed's first, when several share the name)."""
        return self.stops[0]


@dataclass(frozen=True)
class _Name:
    """One normalised name of one station, with what the matchers need to know about it."""

    key: str
    station_id: str
    #: Written with spaces between words (Latin script): matched on word boundaries.
    spaced: bool
    word_starts: frozenset[int]
    word_ends: frozenset[int]
    letters: Mapping[str, int]


@dataclass(frozen=True, eq=False)
class StopIndex:
    """Every station's names, normalised once per feed, for matching what riders type."""

    #: station_id -> station, in the feed's order (which also breaks ties).
    stations: Mapping[str, Stop]
    names: tuple[_Name, ...]
    by_key: Mapping[str, tuple[str, ...]]
    #: Name forms looked for in messages (with and without "站"/"Station") -> stations.
    scan_keys: Mapping[str, tuple[str, ...]]
    longest_scan_key: int
    #: Chinese names spelt in pinyin ("huaqiangbei") -> stations; matched whole only, since
    #: a loose match of a spelling ("Shenzhen Bay" for "shenzhen bei") is another place.
    spelt: Mapping[str, tuple[str, ...]]
    #: Initials riders use for names of several words ("SF" for San Francisco, "SJ" for
    #: San Jose Diridon) -> stations; matched whole only (see :func:`_initials`).
    initials: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    #: station_id -> the routes calling there (its platforms included).
    served: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)

    def names_whole(self, query: str) -> bool:
        """Whether ``query`` is a station's whole name (not part of one)."""
        return normalise_name(_fold(canonical(query))) in self.by_key

    @classmethod
    def for_feed(cls, feed: TransitFeed) -> StopIndex:
        """The feed's index, built on first use and kept as long as the feed is."""
        return _INDEXES.get(feed, lambda: cls.build(feed))

    @classmethod
    def build(cls, feed: TransitFeed) -> StopIndex:
        """Index the feed's station names (not cached; see :meth:`for_feed`)."""
        stations: dict[str, Stop] = {}
        names: dict[tuple[str, str], _Name] = {}
        scan: dict[str, dict[str, None]] = {}
        for station, name in station_names(feed):
            stations.setdefault(station.stop_id, station)
            folded = _fold(canonical(name))
            key = normalise_name(folded)
            if not key:
                continue
            if (key, station.stop_id) not in names:
                names[key, station.stop_id] = _describe(key, folded, station.stop_id)
            for form in _scan_forms(folded, key):
                scan.setdefault(form, {})[station.stop_id] = None
        by_key: dict[str, dict[str, None]] = {}
        for described in names.values():
            by_key.setdefault(described.key, {})[described.station_id] = None
        scan_keys = {form: tuple(ids) for form, ids in scan.items() if _scannable(form)}
        spelt: dict[str, dict[str, None]] = {}
        for station, name in station_names(feed):
            pinyin = pinyin_of(name)
            key = normalise_name(pinyin) if pinyin else ""
            if key and key not in by_key:
                spelt.setdefault(key, {})[station.stop_id] = None
        initials = {
            letters: ids
            for letters, ids in _initials(feed).items()
            if letters not in by_key and letters not in scan_keys
        }
        # "22nd st" for "22nd St Caltrain": the name without the operator's word; and
        # "finkenkrug", "Finkenkrug火车站" for "Falkensee, Finkenkrug Bhf" (town left out).
        for form, ids in _without_common_words(feed).items():
            bare = form.removesuffix("station")
            forms = [form]
            if bare != form and len(bare) >= MIN_LATIN_INSIDE:
                forms += [bare, *(bare + word for word in STATION_WORDS)]
            for each in forms:
                if each not in scan_keys:
                    scan_keys[each] = ids
        # "gov center" for "Government Center", "times square" for "Times Sq": a word of
        # the name written as riders shorten (or spell out) it, when that names one station.
        for form, ids in _abbreviated(feed).items():
            key = normalise_name(form)
            if key and key not in by_key:
                by_key[key] = dict.fromkeys(ids)
                for scan_form in _scan_forms(form, key):
                    if _scannable(scan_form):
                        scan_keys.setdefault(scan_form, ids)
        # "bellevue" for "Bellevue Transit Center", "UW" for "UW / Husky Stadium Link
        # Station": what riders call a station, when it names one place only.
        for alias, ids in _aliases(feed).items():
            by_key.setdefault(alias, dict.fromkeys(ids))
            scan_keys.setdefault(alias, ids)
        # "times sq" and "42 st" for New York's "Times Sq-42 St", "110 st" for "Cathedral
        # Pkwy (110 St)": each part of a name joined from two names the station. A part
        # several stations share names them all ("116 St": two stations in New York).
        whole = set(by_key)
        for part, (key, ids) in _name_parts(feed).items():
            if key in whole and part in _bracketed_parts(feed):
                # "Palm Cove" is the stop "Palm Cove N1", not the note of "Cedar Rd (Palm Cove)".
                continue
            by_key.setdefault(key, {}).update(dict.fromkeys(ids))
            scan_keys[part] = tuple(dict.fromkeys((*scan_keys.get(part, ()), *ids)))
        # "the station", "Bahnhof", "火车站" alone: the town's railway station, where the
        # feed's hub is one (Falkensee, Bahnhof) or the feed has only one.
        main = _main_station(feed)
        if main is not None:
            for key in ("station", "thestation", "火车"):
                by_key.setdefault(key, {main: None})
            for form in ("thestation", "火车站"):
                scan_keys.setdefault(form, (main,))
        # "Guarulhos airport" for "Aeroporto Guarulhos": the place's word where English
        # puts it (after the name), and the other way round.
        for form, ids in _facility_turned(feed).items():
            key = normalise_name(form)
            if key and key not in whole:
                by_key.setdefault(key, {}).update(dict.fromkeys(ids))
                if _scannable(form):
                    scan_keys.setdefault(form, ids)
        # "Dallgow Bhf", "the hospital in Hennigsdorf" for "Dallgow-Döberitz, Bahnhof" and
        # "Hennigsdorf, Krankenhaus": names written "Town, Stop" said the way riders do.
        for form, ids in _town_forms(feed).items():
            key = normalise_name(form)
            if key and key not in whole:
                by_key.setdefault(key, {}).update(dict.fromkeys(ids))
                if _scannable(form):
                    scan_keys[form] = tuple(dict.fromkeys((*scan_keys.get(form, ()), *ids)))
        return cls(
            stations=stations,
            names=tuple(names.values()),
            by_key={key: tuple(ids) for key, ids in by_key.items()},
            scan_keys={**scan_keys, **initials},
            longest_scan_key=max(map(len, scan_keys), default=0),
            spelt={key: tuple(ids) for key, ids in spelt.items()},
            initials=initials,
            served={sid: feed.route_ids_at.get(sid, frozenset()) for sid in stations},
        )


_INDEXES: PerFeed[StopIndex] = PerFeed()

#: Words of place names and how riders shorten them in English (a fact of the language,
#: as on street signs): each way round, so "Times Sq" is found as "times square" too.
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "government": ("gov", "govt"), "center": ("ctr", "cntr"), "centre": ("ctr",),
    "square": ("sq",), "street": ("st",), "avenue": ("ave", "av"), "road": ("rd",),
    "boulevard": ("blvd",), "university": ("univ", "uni"), "hospital": ("hosp",),
    "international": ("intl",), "heights": ("hts",), "mount": ("mt",), "fort": ("ft",),
    "junction": ("jct",), "terminal": ("term",), "station": ("stn",), "park": ("pk",),
    "place": ("pl",), "parkway": ("pkwy",), "highway": ("hwy",), "plaza": ("plz",),
    "lane": ("ln",), "drive": ("dr",), "court": ("ct",), "library": ("lib",),
}  # fmt: skip
_LONG_FORMS = {
    short: long for long, shorts in _SHORT_FORMS.items() for short in shorts if short != "st"
}


def _abbreviated(feed: TransitFeed) -> dict[str, tuple[str, ...]]:
    """Station names with one or all of their words shortened or spelt out, as riders
    write them ("gov center", "govt ctr" for Government Center): forms naming one station."""
    found: dict[str, dict[str, None]] = {}
    for station, name in station_names(feed):
        words = _fold(canonical(name)).split()
        if len(words) < 2 or not all(w.isascii() for w in words):
            continue
        options = [(w, *_SHORT_FORMS.get(w, ()), *((_LONG_FORMS[w],) if w in _LONG_FORMS else ()))
                   for w in words]  # fmt: skip
        forms = {" ".join(choice) for choice in _one_or_all(options)} - {" ".join(words)}
        for form in forms:
            found.setdefault(form, {})[station.stop_id] = None
    return {form: tuple(ids) for form, ids in found.items() if len(ids) == 1}


def _one_or_all(options: Sequence[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    """Each word changed alone, and every word changed at once (first variant of each)."""
    plain = [choice[0] for choice in options]
    for at, choice in enumerate(options):
        for variant in choice[1:]:
            yield (*plain[:at], variant, *plain[at + 1 :])
    yield tuple(choice[1] if len(choice) > 1 else choice[0] for choice in options)


def match_stop(index: StopIndex, query: str) -> StopMatch:
    """The station ``query`` names: EXACT, AMBIGUOUS (candidates) or NONE (suggestions)."""
    key = normalise_name(_fold(canonical(query)))
    if not key:
        return StopMatch(MatchKind.NONE)
    exact = index.by_key.get(key, ()) or index.spelt.get(key, ()) or index.initials.get(key, ())
    if exact:
        return decided(index, exact)
    han = any(is_han(ch) for ch in key)
    if len(key) < (MIN_HAN_LOOSE if han else MIN_LATIN_LOOSE):
        return StopMatch(MatchKind.NONE)
    for reading in (_containing, _contained, _misspelt):
        found = reading(index, key, han, query)
        if found:
            return decided(index, _the_station_if_one(index, found))
    return StopMatch(MatchKind.NONE, suggestions=_suggestions(index, key, han))


def find_stops_in_text(index: StopIndex, text: str) -> list[StopMention]:
    """Stations named anywhere in a message, in order, with offsets into ``text`` itself.

    Whole names only (with or without "站"/"Station"), in any language and script; the
    longest name wins where names overlap ("福田口岸" over "福田"), and a Latin name must be
    whole words ("OCT" is not found in "October"). One-character Han names are left out: in
    running text they are more often an ordinary word than a station.
    """
    folded, origin, starts = _fold_with_offsets(text)
    size = len(folded)
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for i in range(size):
        if not starts[i]:
            continue
        for j in range(min(size, i + index.longest_scan_key), i, -1):
            ids = index.scan_keys.get(folded[i:j])
            if ids and (j == size or starts[j]):
                found.append((i, j, ids))
    taken: list[tuple[int, int, tuple[str, ...]]] = []
    for i, j, ids in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
        if all(j <= a or i >= b for a, b, _ in taken):
            taken.append((i, j, ids))
    mentions = []
    for i, j, ids in sorted(taken):
        start, end = origin[i], origin[j - 1] + 1
        if end < len(text) and text[end] in _CLOSING and _open_bracket(text[start:end]):
            end += 1  # "Bullfrog (Demo)": the note's ")" belongs to the name
        stops = tuple(index.stations[s] for s in ids)
        mentions.append(StopMention(start, end, text[start:end], stops))
    mentions = [m for m in mentions if not _a_named_places_station(text, m)]
    return _facilities_named_for_places(text, mentions)


#: "火车站" alone is the town's station ("去火车站"); after a place's name it is that
#: place's ("Finkenkrug火车站", "波茨坦火车站"), found with the name or not at all.
_BARE_STATION = frozenset({"火车站", "火車站"})
#: Characters that may come right before a bare "火车站" without naming a place.
_BEFORE_A_BARE_STATION = frozenset("去到在从往由至回喺嘅的个個那这這坐搭近边邊旁离離從")


def _a_named_places_station(text: str, mention: StopMention) -> bool:
    if mention.text.strip() not in _BARE_STATION:
        return False
    before = text[: mention.start].rstrip()
    return bool(before) and before[-1].isalnum() and before[-1] not in _BEFORE_A_BARE_STATION


#: Stations named for what is there: a city's name before one of these words names that
#: facility ("bao'an airport", "宝安机场"), not a second station.
_FACILITY = mixed_pattern(
    r"(?:airport|机场|機場|railway station|train station|火车站|火車站|terminal|terminus|"
    r"university|大学|大學|hospital|医院|醫院)(?:\s*(?:station|站))?",
    re.IGNORECASE,
)


def _facilities_named_for_places(text: str, mentions: list[StopMention]) -> list[StopMention]:
    """Without the place named in front of a facility the feed has a station for."""
    return [m for m in mentions if not names_a_facility_after(text, m.end, mentions)]


def names_a_facility_after(text: str, end: int, mentions: Sequence[StopMention]) -> bool:
    """Whether the words ending at ``end`` are followed at once by a facility's station."""
    return any(
        m.start >= end and not text[end : m.start].strip() and _FACILITY.fullmatch(m.text.strip())
        for m in mentions
    )


def from_and_to(
    text: str, mentions: Sequence[StopMention]
) -> tuple[StopMention | None, StopMention | None]:
    """Which mentioned station is the origin and which the destination.

    Markers decide: "从/由/自 X", "from X", "X出发" make an origin; "到/去/至/往 Y", "to Y"
    a destination — only when right before the station, so the "to" of "I want to know" does
    not count. A station without a marker is the other end of a marked one ("X到Y", "X to Y");
    two stations without markers are read in order ("罗湖 福田 票价"). A lone station without a
    marker is neither: it is the station asked about.
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    previous_ends = [0, *(m.end for m in ordered)][:-1]
    next_starts = [*(m.start for m in ordered), len(text)][1:]
    roles = [
        (mention, role_from_words(text[before : mention.start], text[mention.end : after]))
        for mention, before, after in zip(ordered, previous_ends, next_starts, strict=True)
    ]
    origins = [m for m, role in roles if role == "origin"]
    destinations = [m for m, role in roles if role == "destination"]
    unmarked = [m for m, role in roles if role is None]
    origin = origins[0] if origins else None
    destination = destinations[-1] if destinations else None
    if origin is None and len(destinations) >= 2:
        # "行去Tiradentes站搭藍線去Jabaquara", "walk to A and take the train to B": the
        # first place gone to is where the ride starts.
        origin = destinations[0]
    if origin is None and destination is not None:
        origin = _nearest(unmarked, destination, before=True)
    elif destination is None and origin is not None:
        destination = _nearest(unmarked, origin, before=False)
    elif origin is None and len(unmarked) >= 2:
        origin, destination = unmarked[0], unmarked[1]
    return origin, destination


# --- normalising -----------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Width, case and script folded; one character may become several (NFKC, casefold)."""
    return to_simplified(unicodedata.normalize("NFKC", text).casefold())


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def station_names(feed: TransitFeed) -> Iterator[tuple[Stop, str]]:
    """(station, name) for every name of every station and platform, in every language.

    Entrances, nodes and boarding areas (location_type 2-4) are not where anyone travels to.
    """
    for stop in feed.stops.values():
        if stop.location_type not in (0, 1):
            continue
        station = feed.station_of(stop.stop_id)
        # "Trinity Beach N12" is "Trinity Beach" to riders: the code is on the sign only.
        names = (stop.name, *stop.names.values(), without_stop_code(stop.name))
        if stop.parent_station:
            # A platform's way or bay ("State - to Wonderland") is no name of the place:
            # "state to wonderland" is a trip.
            names = tuple(without_designator(name) for name in names)
        for name in dict.fromkeys(names):
            if name:
                yield station, name
            if name and is_kana(name):
                # "ひがしむろらんえき" (a GTFS-JP reading) as visitors type it: Hepburn.
                for spelt in romaji(name):
                    yield station, spelt
            if name and has_cyrillic(name):
                # "Хладилен Завод" as visitors type it: "Hladilen Zavod", "Khladilen Zavod".
                for spelt in latin_forms(name):
                    yield station, spelt
            if name and any(is_han(ch) for ch in name):
                # "福岡空港" as a Chinese reader writes it: "福冈机场".
                in_chinese = _kanji_in_chinese(name)
                if in_chinese != name:
                    yield station, in_chinese


@functools.lru_cache(maxsize=1)
def _kanji_words() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(kanji_in_chinese().items(), key=lambda item: -len(item[0])))


def _kanji_in_chinese(name: str) -> str:
    """A Japanese name with its place words as Chinese writes them (空港 -> 机场)."""
    for japanese, chinese in _kanji_words():
        name = name.replace(japanese, chinese)
    return name


#: Two- and three-letter words a rider writes that are not a station's initials.
_SHORT_WORDS = frozenset(
    "a am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ya "
    "yo pm ad ah eh er hm ha id ie im iv ma na nw ne se sw ur uh um vs the and any are "
    "but can did for get got has her him his how its let may new not now off old one our "
    "out own say see she too two use was way who why yes yet you all day ask bus car ca la".split()
)
#: A name's first word that riders keep when they abbreviate the rest ("so sf").
_COMPASS = {
    word: variants
    for variants in (("south", "so"), ("north", "no"), ("east",), ("west",))
    for word in variants
}
#: A word in more than this share of the feed's station names (and at least 3 of them)
#: is the operator's, not the place's: "Caltrain" in "Palo Alto Caltrain".
_COMMON_WORD_SHARE = 0.3


#: An acronym in a stop's name ("UW", "SODO"), not a compass point or a platform code.
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,5}(?![A-Za-z])")
_NOT_ACRONYMS = frozenset({"NE", "NW", "SE", "SW", "NB", "SB", "EB", "WB", "ST", "AVE", "RD"})


def _aliases(feed: TransitFeed) -> dict[str, tuple[str, ...]]:
    """Short names riders use for a station, each naming one station only.

    A name that starts with a station is also its place ("Bellevue Transit Center":
    "bellevue"); an acronym in a name is that station ("UW / Husky Stadium Link
    Station": "uw").
    """
    found: dict[str, dict[str, None]] = {}
    for station, name in station_names(feed):
        place = hub_place(name)
        if place and len(place) >= MIN_LATIN_LOOSE:
            found.setdefault(place, {})[station.stop_id] = None
        for acronym in _ACRONYM.findall(name):
            if acronym not in _NOT_ACRONYMS and acronym.lower() not in _SHORT_WORDS:
                found.setdefault(acronym.lower(), {})[station.stop_id] = None
    centre = city_centre(feed)
    if centre is not None:
        for word in CITY_CENTRE_WORDS:
            found.setdefault(normalise_name(_fold(canonical(word))), {})[centre] = None
    # "towards the central station", "去中央车站": the station whose name says so in the
    # city's language ("Централна Гара", "Hauptbahnhof", "Gare Centrale").
    central = {
        station.stop_id
        for station, name in station_names(feed)
        if _CENTRAL_STATION.search(_fold(name))
    }
    if len(central) == 1 or (central and _close_together(feed, central)):
        for word in CENTRAL_STATION_WORDS:
            found.setdefault(normalise_name(_fold(canonical(word))), {}).update(
                dict.fromkeys(sorted(central))
            )
    return {
        alias: tuple(ids)
        for alias, ids in found.items()
        if len(ids) == 1 or (ids.keys() == central and len(central) > 1)
    }


def _close_together(feed: TransitFeed, station_ids: Iterable[str]) -> bool:
    """Whether the stations lie within a short walk of each other (one place)."""
    stops = [stop for sid in station_ids if (stop := feed.stops.get(sid)) is not None]
    return bool(stops) and all(distance_m(a, b) <= ONE_PLACE_RADIUS_M for a in stops for b in stops)


#: What riders call a city's main railway station, and how the feeds of other countries
#: name it (each a fact of its language: Bulgarian, Russian, German, Dutch, French,
#: Italian, Spanish, Portuguese, Polish, Czech, Slovak, Swedish, Norwegian, Danish,
#: Finnish).
CENTRAL_STATION_WORDS = (
    "central station", "main station", "the central station", "中央车站", "中央火车站",
    "中央站", "中央駅",
)  # fmt: skip
_CENTRAL_STATION = re.compile(
    r"централна гара|централната гара|центральный вокзал|hauptbahnhof|\bhbf\b|"
    r"centraal station|\bcentraal\b|gare centrale|stazione centrale|estaci[oó]n central|"
    r"esta[cç][aã]o central|dworzec centralny|hlavn[ií] n[aá]dra[zž][ií]|hlavn[aá] stanica|"
    r"centralstation|sentralstasjon|hovedbaneg[aå]rd|p[aä][aä]rautatieasema|central station",
    re.IGNORECASE,
)


#: What riders call the city centre when no stop is named for it ("into town", "去city",
#: "回市区"): the feed's hub, where most routes start or end (``city_centre``).
CITY_CENTRE_WORDS = (
    "town", "the city", "city", "city centre", "city center", "town centre", "town center",
    "cbd", "市中心", "市区", "城里", "市内",
)  # fmt: skip
#: A hub ends at least this share of the feed's routes (and at least three of them).
CITY_CENTRE_SHARE = 0.4


def city_centre(feed: TransitFeed) -> str | None:
    """The station most routes start or end at, when one clearly does.

    Bus networks of towns run their routes out from one interchange ("City - Palm Cove",
    "City - Redlynch": The Pier Cairns Terminus), and riders call it "town" or "the
    city". A metro whose lines end at the edges has no such station, and none is made up.
    """
    ends: dict[str, set[str]] = {}
    far_ends: dict[str, set[str]] = {}
    for trip_id, times in feed.stop_times.items():
        trip = feed.trips.get(trip_id)
        if trip is None or len(times) < 2:
            continue
        first = feed.station_of(times[0].stop_id).stop_id
        last = feed.station_of(times[-1].stop_id).stop_id
        for end, other in ((first, last), (last, first)):
            ends.setdefault(end, set()).add(trip.route_id)
            far_ends.setdefault(end, set()).add(other)
    routes = {trip.route_id for trip in feed.trips.values()}
    ranked = sorted(ends.items(), key=lambda item: -len(item[1]))
    if not ranked or len(routes) < 3:
        return None
    hub, served = ranked[0]
    second = len(ranked[1][1]) if len(ranked) > 1 else 0
    # Routes out to three places or more: a line's two ends (Caltrain's Tamien) are no hub.
    radiating = len(far_ends[hub]) >= 3
    share = len(served) >= max(3.0, CITY_CENTRE_SHARE * len(routes))
    return hub if radiating and share and len(served) > second else None


#: A stop's code among the words of its name ("James Cook University - N242"): no initial.
_CODE_WORD = re.compile(r"[a-z]{1,2}\d{1,4}[a-z]?")


#: Between the two names of a station joined into one ("Times Sq-42 St").
_PART_SEPARATOR = re.compile(r"\s*[-–—]\s*")
#: A bracketed other name ("Cathedral Pkwy (110 St)").
_BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]")
#: A part that names where to stand at a station, not the station ("Westlake Station - Bay D").
_PLATFORM_PART = re.compile(
    r"^(?:bay|platform|gate|track|stand|stall|door|zone|entrance|exit|level"
    # the way a platform's trains go: "Government Center - to Wonderland", "- Inbound"
    r"|to|towards?|for|dir|direction|inbound|outbound|northbound|southbound|eastbound"
    r"|westbound|nb|sb|eb|wb)\b",
    re.IGNORECASE,
)


def _name_parts(feed: TransitFeed) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Scan forms of the parts of joined names -> (their key, the stations they name).

    New York's names join two names of a station with a dash ("34 St-Penn Station",
    "Van Cortlandt Park-242 St") and give a third in brackets ("Cathedral Pkwy (110 St)");
    riders say either part. Only dashes beside a part of several words split a name
    ("Seo-dong", "Wilkes" stay whole words), and a part must have several words or a
    number, so one ordinary word ("James", "Demo") never becomes a station.
    """
    found: dict[str, tuple[str, dict[str, None]]] = {}
    for station, name in station_names(feed):
        if any(is_han(ch) for ch in name):
            continue
        pieces = [p.strip() for p in _PART_SEPARATOR.split(_BRACKETED.sub(" ", name).strip())]
        parts = pieces if len(pieces) > 1 and any(" " in p for p in pieces) else []
        for part in (*parts, *(p.strip() for p in _BRACKETED.findall(name))):
            several = " " in part or any(ch.isdigit() for ch in part)
            if not several or _PLATFORM_PART.match(part) or not any(c.isalpha() for c in part):
                continue
            folded = _fold(canonical(part))
            key = normalise_name(folded)
            if not key:
                continue
            for form in _scan_forms(folded, key):
                if _scannable(form):
                    found.setdefault(form, (key, {}))[1][station.stop_id] = None
    return {form: (key, tuple(ids)) for form, (key, ids) in found.items()}


#: Where a stop is in its town, as riders say it: "the hospital in Hennigsdorf".
_IN_TOWN = ("in", "im")
#: Canonical words that say what kind of place a stop is, never which one.
_TYPE_WORDS = frozenset(canonical_words()) | {"station", "stop"}


def _main_station(feed: TransitFeed) -> str | None:
    """The railway station riders mean by "the station": the feed's hub when it is a
    station ("Falkensee, Bahnhof"), or the one station of the feed; else none."""
    named = {
        station.stop_id
        for station, name in station_names(feed)
        if "station" in _WORD.findall(_fold(canonical(name))) or _CENTRAL_STATION.search(name)
    }
    centre = city_centre(feed)
    if centre in named:
        return centre
    # A town's buses call at one railway station; on a metro or rail network "the
    # station" is any of them (São Paulo's one "Estacao" stop is no more the station).
    buses_only = all(mode_of(route.route_type) == "bus" for route in feed.routes.values())
    return next(iter(named)) if len(named) == 1 and buses_only else None


def _facility_turned(feed: TransitFeed) -> dict[str, tuple[str, ...]]:
    """Scan forms of names that begin or end with what the place is, that word moved to
    the other end ("aeroporto guarulhos" -> "guarulhosairport")."""
    found: dict[str, dict[str, None]] = {}
    for station, name in station_names(feed):
        words = _WORD.findall(_fold(canonical(_BRACKETED.sub(" ", name))))
        if len(words) < 2 or any(is_han(ch) for ch in name):
            continue
        if words[0] in FACILITIES:
            found.setdefault("".join(words[1:] + words[:1]), {})[station.stop_id] = None
        if words[-1] in FACILITIES:
            found.setdefault("".join(words[-1:] + words[:-1]), {})[station.stop_id] = None
        if "airport" in (words[0], words[-1]):
            # "to the airport" when the feed has one stop at one. (Not "the hospital":
            # "parked in front of the hospital entrance" names no stop.)
            found.setdefault("theairport", {})[station.stop_id] = None
    return {form: tuple(ids) for form, ids in found.items() if len(ids) == 1}


def _town_forms(feed: TransitFeed) -> dict[str, tuple[str, ...]]:
    """Scan forms of names written "Town, Stop" (German, Austrian, Swiss and Nordic feeds).

    Riders put the stop first ("Gymnasium in Dallgow"), shorten a double-barrelled town
    to its first word ("Dallgow Bhf" for "Dallgow-Döberitz, Bahnhof") or drop a bracketed
    district ("Schönwalde (HVL)"). A town is a part before the comma that at least two
    stations share, so "R. Silva Teles, 281" (a street and a number) is left alone.
    """
    split: list[tuple[str, str, str]] = []
    for station, name in station_names(feed):
        town, comma, rest = name.partition(",")
        if comma and rest.strip() and not any(is_han(ch) for ch in name):
            split.append((station.stop_id, _BRACKETED.sub(" ", town).strip(), rest.strip()))
    towns = Counter(town for _, town, _ in {(sid, t, "") for sid, t, _ in split})
    firsts = Counter(
        _WORD.findall(_fold(canonical(town)))[0] for town in towns if _WORD.search(town)
    )
    found: dict[str, dict[str, None]] = {}
    for station_id, town, rest in split:
        stop_words = _WORD.findall(_fold(canonical(rest)))
        town_words = _WORD.findall(_fold(canonical(town)))
        if towns[town] < 2 or not town_words or sum(map(len, stop_words)) < MIN_LATIN_LOOSE:
            continue
        stop = "".join(stop_words)
        places = {"".join(town_words)}
        first = town_words[0]
        if len(town_words) > 1 and len(first) >= MIN_LATIN_INSIDE and firsts[first] == 1:
            places.add(first)
        for place in places:
            for form in (place + stop, stop + place, *(stop + w + place for w in _IN_TOWN)):
                found.setdefault(form, {})[station_id] = None
    return {form: tuple(ids) for form, ids in found.items()}


def _bracketed_parts(feed: TransitFeed) -> frozenset[str]:
    """Scan forms of the bracketed notes of names only ("Cedar Rd (Palm Cove)": palmcove)."""
    return _BRACKETED_PARTS.get(feed, lambda: _find_bracketed_parts(feed))


def _find_bracketed_parts(feed: TransitFeed) -> frozenset[str]:
    found: set[str] = set()
    for _station, name in station_names(feed):
        outside = _fold(canonical(_BRACKETED.sub(" ", name)))
        for note in _BRACKETED.findall(name):
            folded = _fold(canonical(note.strip()))
            key = normalise_name(folded)
            if key and key not in normalise_name(outside):
                found.update(_scan_forms(folded, key))
    return frozenset(found)


_BRACKETED_PARTS: PerFeed[frozenset[str]] = PerFeed()


def initials(name: str) -> str | None:
    """An operator's initials, as riders and its own stations write them ("Warszawska
    Kolej Dojazdowa" -> "WKD"); None for a name of fewer than three words."""
    words = [word for word in re.split(r"[\s\-]+", name) if word[:1].isalpha()]
    significant = [word for word in words if word[:1].isupper()]
    if len(significant) < 3:
        return None
    return "".join(word[0] for word in significant).upper()


def operator_initials(feed: TransitFeed) -> set[str]:
    """The operators' initials, folded ("wkd"), as their stations' names carry them."""
    return {i.casefold() for agency in feed.agencies.values() if (i := initials(agency.name))}


def common_words(words_of: Mapping[str, Sequence[str]]) -> set[str]:
    """Words most of the feed's names share: the operator's or the mode's ("Caltrain")."""
    counts = Counter(word for words in words_of.values() for word in set(words))
    return {
        word
        for word, count in counts.items()
        if count >= 3 and count > _COMMON_WORD_SHARE * len(words_of)
    }


def latin_words(feed: TransitFeed) -> dict[str, list[str]]:
    """Each station's first name of Latin words only, as canonical folded words."""
    words_of: dict[str, list[str]] = {}
    for station, name in station_names(feed):
        words = _WORD.findall(_fold(canonical(name)))
        if words and all(word.isascii() for word in words):
            words_of.setdefault(station.stop_id, words)
    return words_of


def _without_common_words(feed: TransitFeed) -> dict[str, tuple[str, ...]]:
    """Scan forms of names without the words most names share ("22nd St Caltrain" →
    "22ndst"), for riders who never type the operator's name."""
    words_of = latin_words(feed)
    # "Warszawa Zachodnia" for "Warszawa Zachodnia WKD": the operator's initials too.
    common = common_words(words_of) | operator_initials(feed)
    if not common:
        return {}
    found: dict[str, dict[str, None]] = {}
    for station_id, words in words_of.items():
        kept = [word for word in words if word not in common]
        form = "".join(kept)
        if all(word in _TYPE_WORDS for word in kept):
            continue  # "Falkensee, Bahnhof" without its town is "station": any station
        if len(kept) < len(words) and len(form) >= MIN_LATIN_INSIDE and form not in _SHORT_WORDS:
            found.setdefault(form, {})[station_id] = None
    return {form: tuple(ids) for form, ids in found.items()}


def _initials(feed: TransitFeed) -> dict[str, tuple[str, ...]]:
    """Initials of the feed's names of several words, each naming one station.

    Riders of a US-style network write "SF", "SJ", "MV" for San Francisco, San Jose,
    Mt View. The initials of a name's first two or more words count (words every other
    name has, "Caltrain", "Station", left out); initials two stations share, or that
    spell a common short word ("am", "us", "so"), are not used.
    """
    words_of = {
        station_id: kept
        for station_id, words in latin_words(feed).items()
        if (kept := [word for word in words if not _CODE_WORD.fullmatch(word)])
        and all(word.isalpha() for word in kept)
    }
    common = common_words(words_of) | {"station", "stop"}
    found: dict[str, dict[str, None]] = {}
    spelled: dict[str, set[str]] = {}
    for station_id, words in words_of.items():
        kept = [word for word in words if word not in common]
        for size in range(2, len(kept) + 1):
            letters = "".join(word[0] for word in kept[:size])
            forms = [letters]
            # "So. San Francisco": "so sf" and "south sf" as well as "ssf".
            forms += [way + letters[1:] for way in _COMPASS.get(kept[0], ())]
            for form in forms:
                # "st" is how "street" is written before it is compared: no initials.
                if form not in _SHORT_WORDS and form not in _TYPE_WORDS:
                    found.setdefault(form, {})[station_id] = None
                    spelled.setdefault(form, set()).add(" ".join(kept[:size]))
    # Initials of one name, or of the same words in several ("SJ": San Jose Diridon and
    # San Jose Station, asked about as riders asking "san jose" are).
    return {letters: tuple(ids) for letters, ids in found.items() if len(spelled[letters]) == 1}


def pinyin_of(name: str) -> str | None:
    """A Chinese name as riders spell it in Latin letters: "华强北" → "hua qiang bei".

    Visitors and residents without a Chinese keyboard write the pinyin ("Huaqiangbei",
    "Chegongmiao"), which the feed's English translation ("Huaqiang North") does not
    match. Only names written wholly in Han characters (a trailing 站 aside) have one.
    """
    han = to_simplified(name.strip()).removesuffix("站")
    if len(han) < 2 or not all(is_han(ch) for ch in han):
        return None
    return " ".join(lazy_pinyin(han, errors="ignore"))


def _describe(key: str, folded: str, station_id: str) -> _Name:
    """Where the words of ``folded`` begin and end inside its normalised ``key``.

    An apostrophe separates pinyin syllables ("Xin'an"), not words.
    """
    starts, ends, position = set(), set(), 0
    for word in _WORD.findall(_APOSTROPHES.sub("", folded)):
        if position >= len(key):
            break
        if key.startswith(word, position):
            starts.add(position)
            position += len(word)
            ends.add(position)
        elif word.startswith(key[position:]):  # the word lost its "站"/"station" ending
            starts.add(position)
            position = len(key)
        # else: a bracketed note ("(Demo)") that normalising left out
    ends.add(len(key))
    return _Name(
        key=key,
        station_id=station_id,
        spaced=not any(is_han(ch) for ch in key),
        word_starts=frozenset(starts or {0}),
        word_ends=frozenset(ends),
        letters=Counter(key),
    )


def _scan_forms(folded: str, key: str) -> Iterator[str]:
    """The ways a name appears in a message: as the feed writes it, bare, or with "站"."""
    yield "".join(ch for ch in folded if _is_word_char(ch))
    yield key
    for word in STATION_WORDS:
        yield key + word


def _open_bracket(text: str) -> bool:
    return sum(text.count(b) for b in _OPENING) > sum(text.count(b) for b in _CLOSING)


def _scannable(form: str) -> bool:
    han = any(is_han(ch) for ch in form)
    return len(form) >= (MIN_HAN_LOOSE if han else MIN_LATIN_LOOSE)


def _fold_with_offsets(text: str) -> tuple[str, list[int], list[bool]]:
    """``text`` folded to its letters and digits, each one's index in ``text``, word starts.

    A word starts after anything left out (space, punctuation) and wherever Han and Latin
    script meet; every Han character starts a word, as Chinese has no spaces. Words are
    first put in their canonical spelling ("Street" -> "st", see
    :mod:`actions.transit.place_words`), as the feed's names are.
    """
    rewritten, rewritten_at = canonical_with_offsets(text)
    chars: list[str] = []
    origin: list[int] = []
    starts: list[bool] = []
    for position, original in enumerate(rewritten):
        for ch in _fold(original):
            if not _is_word_char(ch):
                continue
            if not chars:
                start = True
            elif position == origin[-1]:  # one character folded into several ("ﬁ" -> "fi")
                start = False
            else:
                start = position - origin[-1] > 1 or is_han(ch) or is_han(chars[-1])
            chars.append(ch)
            origin.append(position)
            starts.append(start)
    return "".join(chars), [rewritten_at[p] for p in origin], starts


# --- the readings of a query, surest first ---------------------------------------------------

#: A reading's answer: station ids, best first (empty: this reading finds nothing).
_Found = Sequence[str]


def _containing(index: StopIndex, key: str, han: bool, query: str) -> _Found:
    """Stations with a name containing the query.

    Best first: the query ending on a word ("Lianhua" before "Lianh"), then names it begins,
    then names it covers more of.
    """
    ranked: dict[str, tuple[bool, bool, float]] = {}
    for name in index.names:
        if name.spaced == han or len(name.key) <= len(key):
            continue
        if han:
            at = name.key.find(key)
            if at < 0:
                continue
            rank = (False, at != 0, -len(key) / len(name.key))
        else:
            rank_or_none = _latin_containment(name, key)
            if rank_or_none is None:
                continue
            rank = rank_or_none
        best = ranked.get(name.station_id)
        if best is None or rank < best:
            ranked[name.station_id] = rank
    return _best_first(index, ranked)


def _latin_containment(name: _Name, key: str) -> tuple[bool, bool, float] | None:
    """How ``key`` sits in a Latin name: starting a word, ending on one or inside one."""
    best = None
    for at in name.word_starts:
        if not name.key.startswith(key, at):
            continue
        whole = at + len(key) in name.word_ends
        if len(key) < MIN_LATIN_INSIDE and not (whole and at == 0):
            continue
        rank = (not whole, at != 0, -len(key) / len(name.key))
        if best is None or rank < best:
            best = rank
    return best


def _contained(index: StopIndex, key: str, han: bool, query: str) -> _Found:
    """Stations whose whole name is in the query ("罗湖口岸", "Luohu metro exit A")."""
    ranked: dict[str, tuple[int]] = {}
    for mention in find_stops_in_text(index, query):
        for stop in mention.stops:
            rank = (mention.start - mention.end,)
            if stop.stop_id not in ranked or rank < ranked[stop.stop_id]:
                ranked[stop.stop_id] = rank
    return _best_first(index, ranked)


def _misspelt(index: StopIndex, key: str, han: bool, query: str) -> _Found:
    """Stations with a name a few typing mistakes away: fewest mistakes, then most of it typed.

    A Latin name must start with the letter typed: "Longgang" is no typo of Songgang (a
    first letter is seldom mistyped, and names that differ there are different places);
    and its numbers must be the ones typed (New York's "110 St" and "116 St" are two
    stations). Such names are still offered as suggestions.
    """
    ranked: dict[str, tuple[float, float]] = {}
    numbers = _NUMBER.findall(key)
    for name, edits, compared, partial in _near_names(index, key, han, loose=False):
        if not han and (name.key[:1] != key[:1] or not rest_alike(key, name)):
            continue
        if numbers != _NUMBER.findall(name.key[:compared]):
            continue  # "110 St" is not a typo of "116 St": a number typed is meant
        rank = (edits + (0.5 if partial else 0.0), -min(compared, len(name.key)) / len(name.key))
        if name.station_id not in ranked or rank < ranked[name.station_id]:
            ranked[name.station_id] = rank
    if not ranked:
        return ()
    fewest = min(score for score, _ in ranked.values())
    return _best_first(index, {s: r for s, r in ranked.items() if r[0] == fewest})


def rest_alike(key: str, name: _Name) -> bool:
    """After a first word typed exactly, is the rest a typo of the rest of the name?

    "Shenzhen Bay" shares only "Shenzhen" with Shenzhen University: the letters that
    tell the two apart ("bay", "university") are nothing alike, though the whole names
    are within three edits. "Shenzhen Nroth" is still Shenzhen North.
    """
    if not name.spaced:
        return True
    first = min((end for end in name.word_ends if end > 0), default=len(name.key))
    if first >= len(name.key) or not key.startswith(name.key[:first]) or len(key) <= first:
        return True
    typed, rest = key[first:], name.key[first:]
    limit = _edits_allowed(len(typed), False)
    row = _edit_row(typed, rest, limit)
    # The rest typed may be the start of the name's rest ("Shenzhen Nor"): any prefix of
    # about its length will do.
    near = row[max(0, len(typed) - limit) : len(typed) + limit + 1] if row else []
    return any(cost <= limit for cost in near)


def _suggestions(index: StopIndex, key: str, han: bool) -> tuple[Stop, ...]:
    """The closest names when nothing matched: at least half of the name typed right."""
    ranked: dict[str, tuple[float]] = {}
    for name, edits, compared, partial in _near_names(index, key, han, loose=True):
        rank = (edits / compared + (0.05 if partial else 0.0),)
        if name.station_id not in ranked or rank < ranked[name.station_id]:
            ranked[name.station_id] = rank
    ids = _best_first(index, ranked)[:MAX_SUGGESTIONS]
    return tuple(index.stations[s] for s in ids)


def _best_first(index: StopIndex, ranked: Mapping[str, tuple[object, ...]]) -> list[str]:
    order = {station_id: i for i, station_id in enumerate(index.stations)}
    return sorted(ranked, key=lambda s: (ranked[s], order[s]))


def _the_station_if_one(index: StopIndex, station_ids: Sequence[str]) -> Sequence[str]:
    """Of several places a name fits, the one station among streets, if there is one.

    "airport" fits "Airport Way S & S Royal Brougham Way" and "Seatac/Airport Stn Rail &
    Intl Blvd S/S 176 St": a rider asking for trains means the station. Only when the
    others are streets: "San Jose Caltrain Station" and "San Jose Diridon Caltrain" are
    two stations, asked about.
    """
    if len(station_ids) < 2:
        return station_ids
    stations = [i for i in station_ids if hub_name(index.stations[i].name) is not None]
    streets = [
        i for i in station_ids if i not in stations and _STREET.search(index.stations[i].name)
    ]
    if len(stations) == 1 and len(stations) + len(streets) == len(station_ids):
        return stations
    return station_ids


#: A stop named for a street or a corner ("Airport Way S & S Royal Brougham Way").
_STREET = re.compile(
    r"&|/|\b(?:st|ave|av|way|rd|blvd|dr|pl|ln|ct|pkwy|hwy|street|avenue|road|boulevard)\b\.?",
    re.IGNORECASE,
)


def decided(index: StopIndex, station_ids: Iterable[str]) -> StopMatch:
    """The match for the stations a name fits: one, one place, or a choice."""
    ids = tuple(dict.fromkeys(station_ids))
    if len(ids) > 1 and one_place(index, ids):
        # "Kamppi": the bus terminal, the metro station and the long-distance terminal
        # a short walk apart, one place to a rider. EXACT, the busiest first; the others
        # stay as choices for the trip (``places.refined``).
        ranked = sorted(ids, key=lambda s: -len(index.served.get(s, ())))
        return StopMatch(MatchKind.EXACT, tuple(index.stations[s] for s in ranked))
    stops = tuple(index.stations[s] for s in ids[:MAX_CANDIDATES])
    return StopMatch(MatchKind.EXACT if len(ids) == 1 else MatchKind.AMBIGUOUS, stops)


#: Stations a name fits that all lie within this of each other are one place.
ONE_PLACE_RADIUS_M = 500.0


def one_place(index: StopIndex, station_ids: Sequence[str]) -> bool:
    """Whether the stations lie within a short walk of each other (positions known)."""
    stops = [index.stations[s] for s in station_ids]
    return all(
        distance_m(a, b) <= ONE_PLACE_RADIUS_M for i, a in enumerate(stops) for b in stops[i + 1 :]
    )


# --- spelling distance -----------------------------------------------------------------------


def _edits_allowed(length: int, han: bool) -> int:
    """Typing mistakes forgiven in a name of ``length`` characters.

    Latin: one up to five letters, two up to nine, three beyond — "Luohoo" is Luohu, "hello"
    is not Heao. Han: one in four characters or more. Shorter Han names that differ by one
    character are usually different words ("大学生" is not 大学城), so "车公妙" is offered as a
    suggestion rather than taken for 车公庙.
    """
    if han:
        return 1 if length >= 4 else 0
    if length < MIN_LATIN_LOOSE:
        return 0
    return 1 if length <= 5 else 2 if length <= 9 else 3


def _near_names(
    index: StopIndex, key: str, han: bool, *, loose: bool
) -> Iterator[tuple[_Name, int, int, bool]]:
    """(name, edits, length compared, partial) for names within the forgiven edits of ``key``.

    A Latin name also counts when its first words are ("Shenzen" for "Shenzhen North"):
    ``partial`` says so. ``loose`` widens the limit to what suggestions allow.
    One distance computation per name serves the whole name and its leading words alike.
    """
    typed = Counter(key)
    for name in index.names:
        if han == name.spaced:
            continue
        ends = _comparable_ends(key, name, loose=loose)
        if not ends:
            continue
        widest = max(ends.values())
        if _missing(typed, name.letters) > widest:
            continue
        row = _edit_row(key, name.key[: max(ends)], widest)
        if row is None:
            continue
        for end, limit in ends.items():
            if row[end] <= limit:
                yield name, row[end], max(len(key), end), end < len(name.key)


def _comparable_ends(key: str, name: _Name, *, loose: bool) -> dict[int, int]:
    """Where the part of ``name`` compared with ``key`` may end -> the edits forgiven there."""
    leading_words = name.spaced and len(key) > MIN_LATIN_INSIDE
    ends = {}
    for end in name.word_ends:
        if end < len(name.key) and not (leading_words and end > MIN_LATIN_INSIDE):
            continue
        longest = max(len(key), end)
        limit = _suggestion_limit(longest) if loose else _edits_allowed(longest, not name.spaced)
        if abs(len(key) - end) <= limit:
            ends[end] = limit
    return ends


def _suggestion_limit(length: int) -> int:
    return int(length * (1 - SUGGESTION_SIMILARITY))


def _missing(typed: Mapping[str, int], letters: Mapping[str, int]) -> int:
    """Typed characters the name lacks: each costs at least one edit, a cheap first filter."""
    return sum(
        count - letters.get(ch, 0) for ch, count in typed.items() if count > letters.get(ch, 0)
    )


def _edit_row(typed: str, name: str, limit: int) -> list[int] | None:
    """Optimal-string-alignment distances from ``typed`` to each prefix of ``name``.

    Insertions, deletions, substitutions and swapping two neighbours ("maio"/"miao") each
    count one. Only the band of cells that can stay within ``limit`` is computed, and the
    work stops (None) once every cell of a row is over it: most names are rejected after a
    few characters, which keeps a whole feed's comparison within a millisecond or two.
    """
    over = limit + 1
    width = len(name)
    previous = [j if j <= limit else over for j in range(width + 1)]
    before_previous: list[int] = []
    for i in range(1, len(typed) + 1):
        current = [over] * (width + 1)
        if i <= limit:
            current[0] = i
        lowest = current[0]
        ch = typed[i - 1]
        for j in range(max(1, i - limit), min(width, i + limit) + 1):
            cost = 0 if ch == name[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ch == name[j - 2] and typed[i - 2] == name[j - 1]:
                value = min(value, before_previous[j - 2] + 1)
            current[j] = min(value, over)
            lowest = min(lowest, current[j])
        if lowest > limit:
            return None
        before_previous, previous = previous, current
    return previous


# --- origin and destination ------------------------------------------------------------------


def negated(before: str) -> bool:
    """Do the words just before a station say it is not the one meant?"""
    return bool(_NEGATED_BEFORE.search(_fold(before)))


def role_from_words(before: str, after: str) -> str | None:
    """The part a mention plays ("origin", "destination", None) from the words around it."""
    folded = _fold(before)
    if _APPOINTMENT_AT.search(folded):
        return "destination"  # "a follow up at Tampa General at 7:30": where they go
    marked = _MARKED_BEFORE.search(folded)
    if marked and _BE_AT.search(marked.group(0)) and not _BY_A_TIME.match(_fold(after)):
        # "we'll be at the Marion Transit Center downtown" (no time to be there by): where
        # the ride starts; "need to be at X by 9" is where it goes.
        return "origin"
    if marked:
        return "origin" if marked.group("origin") else "destination"
    if _MARKED_AFTER.search(_fold(after)):
        return "origin"
    return None


def _nearest(
    candidates: Sequence[StopMention], marked: StopMention, *, before: bool
) -> StopMention | None:
    """The unmarked station on the expected side of a marked one, else on the other side."""
    same_side = [m for m in candidates if (m.start < marked.start) == before]
    if same_side:
        return same_side[-1] if before else same_side[0]
    return candidates[0] if candidates else None
