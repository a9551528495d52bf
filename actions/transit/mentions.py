"""Stops named in a rider's own words, found from the city's feed whatever the NLU saw.

The NLU model was trained on question shapes, not on this city's stops, so it may mark only
part of a name ("St" in "34 St - Herald Sq"), a wrong word, or nothing at all. The feed,
loaded at start-up, knows every name; this module reads the message against them:

1. **Whole names** anywhere in the text (:func:`~actions.transit.stops.find_stops_in_text`:
   every language of translations.txt, canonical spellings "St"/"Street", with or without
   "站"/"Station", longest first).
2. **Homophones** (Chinese IME errors): a run of Han characters that sounds like a name,
   at least half of its characters right ("车公妙" for 车公庙), through pypinyin.
3. **Places after a marker** ("from X", "to X", "at X", "从X", "到X", "在X", or the words
   before "出发"/"下一班"…): the words there are looked up as a whole name, as whole words
   of a name ("Box Hill" for "Box Hill Central"), or within a few typing mistakes
   (rapidfuzz), longest reading first.

A mention carries every station the words fit; several means "which one?".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from actions.clients.gtfs.model import Stop, TransitFeed
from actions.clients.gtfs.names import normalise_name
from actions.transit import exonyms
from actions.transit.per_feed import PerFeed
from actions.transit.place_words import canonical
from actions.transit.stops import (
    _BRACKETED,
    MAX_CANDIDATES,
    MIN_LATIN_LOOSE,
    StopIndex,
    StopMention,
    _edits_allowed,
    _fold,
    find_stops_in_text,
    rest_alike,
)
from bot.language.script import is_han
from bot.matching.index import fuzzy_syllable, syllable_of

#: Words after a marker that are not a place ("to get", "at this hour", "from here").
NOT_PLACES = frozenset(
    """here there home work this that these those it me my you your now today tonight
    tomorrow the a an where somewhere anywhere everywhere get go know find see take catch
    what which when how who why is are be do does did can could will would should please
    pls thanks thank i im i'm we us our they them one ones train trains bus buses tram
    metro subway ferry station stop stops""".split()
)
#: Words that end a place name in an English message.
LATIN_BOUNDARY = frozenset(
    """to from at by on and or via then please pls now today tonight tomorrow right asap when
    what how is are does do leaving departing going toward towards in for with i i'm im after
    before around about next last first bus buses tram trams train trains metro subway ferry
    line route departure departures timetable schedule fare fares price ticket cost running
    delay delays delayed closed open stop come comes arrive arrives leave leaves change
    transfer direct fastest quickest best cheapest""".split()
)
#: Words after which a place is expected in an English message.
_LATIN_MARKER = re.compile(
    r"(?i)(?<![\w'])(?:from|to|at|near|towards?|via|between|and|outside|into|reach|"
    r"leaving|departing|out\s+of|outta|starting\s+at|off\s+at|(?:what|how)\s+about"
    # "next tram luceros to playa san juan": where from, right after the vehicle asked for
    r"|(?:next|first|last|earliest|latest)\s+(?:tram|bus|train|metro|subway|ferry|boat|one)s?)"
    r"(?=\s)"
)
#: Where a clause starts: the message itself, and after punctuation or a dash.
_CLAUSE_START = re.compile(r"^\s*|[,;:.!?]\s*|\s[-–—]\s*")
_TOKEN = re.compile(r"[^\s,;:!?()\[\]\"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
#: Most words a place name in a message is read from.
MAX_PLACE_WORDS = 7
#: Characters and words that bound a place in a Chinese message.
_HAN_MARKERS = "从由自到去往至在坐乘搭离從離回返"
_HAN_BOUNDARY = re.compile(
    r"怎么|怎样|咋|如何|多少|几点|几|要|的|下一|下趟|下班|末班|首班|头班|最早|最晚|最后|第一|有什么|"
    r"有哪些|有没有|还有|吗|呢|吧|啊|呀|现在|今天|明天|明早|今晚|出发|方向|站台|发车|经过|票价|车费|"
    r"公交|地铁|巴士|电车|轮渡|火车|轻轨|班车|车|路线|换乘|直达|需要|可以|能|请问|麻烦|我|想|是|和|"
    r"跟|与|附近|那边|这边|等|了|[，,。.？?！!、；;：:]"
)
#: Fewest characters of a Han reading, and of Latin letters, that may name a place.
MIN_HAN = 2
#: Names this long or longer may be typed with one syllable slipped ("华强比").
MIN_SLIP_HAN = 3
MIN_LATIN = 3
#: Fewest letters a Latin word needs before a typing mistake in it is forgiven.
MIN_LATIN_TYPO = 5


@dataclass(frozen=True, eq=False)
class MentionIndex:
    """Lookups over one feed's names that make a message's reading a few dictionary probes."""

    stops: StopIndex
    #: Runs of whole words that start a name ("box", "boxhill") -> stations.
    leading_runs: Mapping[str, tuple[str, ...]]
    #: Runs of whole words inside a name ("hill", "hillcentral") -> stations.
    inner_runs: Mapping[str, tuple[str, ...]]
    #: Pinyin of a Han name, one syllable per character -> (name, stations).
    sounds: Mapping[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]
    sound_lengths: frozenset[int]
    #: Whole normalised names and their leading runs, for typo search, by first character
    #: and length (a typo search compares only names of about the same length that start
    #: the same way), with the stations of each.
    typeable: Mapping[tuple[str, int], tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]
    #: The operators' names and their leading words ("深圳", "shenzhen", "caltrain"): a
    #: rider naming the network ("深圳地铁今天正常吗") names no stop.
    operators: frozenset[str] = frozenset()

    @classmethod
    def for_feed(cls, feed: TransitFeed, stops: StopIndex) -> MentionIndex:
        """Built once per feed (the stop index lives as long as its feed)."""
        return _CACHE.get(stops, lambda: cls.build(stops, _operator_words(feed)))

    @classmethod
    def build(cls, stops: StopIndex, operators: frozenset[str] = frozenset()) -> MentionIndex:
        leading: dict[str, dict[str, None]] = {}
        inner: dict[str, dict[str, None]] = {}
        sounds: dict[tuple[str, ...], dict[str, dict[str, None]]] = {}
        for name in stops.names:
            for at, run in _word_runs(name.key, name.word_starts, name.word_ends, name.spaced):
                (inner if at else leading).setdefault(run, {})[name.station_id] = None
            if not name.spaced and len(name.key) >= MIN_HAN and all(map(is_han, name.key)):
                by_name = sounds.setdefault(syllables(name.key), {})
                by_name.setdefault(name.key, {})[name.station_id] = None
        typeable = {key: tuple(ids) for key, ids in stops.by_key.items()}
        for run, ids in leading.items():
            typeable.setdefault(run, tuple(ids))
        buckets: dict[tuple[str, int], list[str]] = {}
        for key in typeable:
            buckets.setdefault((key[0], len(key)), []).append(key)
        return cls(
            stops=stops,
            leading_runs={run: tuple(ids) for run, ids in leading.items()},
            inner_runs={run: tuple(ids) for run, ids in inner.items()},
            sounds={
                sound: tuple((n, tuple(ids)) for n, ids in names.items())
                for sound, names in sounds.items()
            },
            sound_lengths=frozenset(len(s) for s in sounds),
            typeable={
                bucket: (tuple(keys), tuple(typeable[k] for k in keys))
                for bucket, keys in buckets.items()
            },
            operators=operators,
        )


_CACHE: PerFeed[MentionIndex] = PerFeed()


def prepare(feed: TransitFeed) -> None:
    """Build the feed's stop and mention indexes now, not on a resident's first question.

    Blocking (a big feed's names take a second; pypinyin loads its dictionary on first
    use): the action server calls it in a worker thread right after loading the feed.
    """
    MentionIndex.for_feed(feed, StopIndex.for_feed(feed))
    syllables("站")


def find_mentions(feed: TransitFeed, index: StopIndex, text: str) -> list[StopMention]:
    """Every stop the message names, in order, whole names first (see the module docstring)."""
    mentions = list(find_stops_in_text(index, text))
    for start, end, ids in exonyms.for_feed(feed).find(text):
        # "山景城到旧金山" on a feed that names its stations in English only.
        named = StopMention(start, end, text[start:end], tuple(index.stations[s] for s in ids))
        if not _overlaps(named, mentions):
            mentions.append(named)
    lookups = MentionIndex.for_feed(feed, index)
    for mention in _homophones(lookups, text):
        if not _overlaps(mention, mentions):
            mentions.append(mention)
    # Longest first, marked first: "San Jose" must be read before "San" alone can be.
    spans = sorted(set(_marked_spans(text)), key=lambda s: (not s[2], s[0] - s[1], s[0]))
    for start, end, _marked in spans:
        inside = [m for m in mentions if m.start < end and start < m.end]
        if any(m.start < start or m.end > end for m in inside):
            continue
        found = _resolve_span(lookups, text, start, end)
        if found is None:
            continue
        # A longer reading around whole names found inside ("Jln. Pakubuwono" around the
        # stop "Pakubuwono", "Pisangan Laam III" around "Pisangan") names the longer stop.
        if all(found.start <= m.start and m.end <= found.end for m in inside) and all(
            found.end - found.start > m.end - m.start for m in inside
        ):
            mentions = [m for m in mentions if m not in inside] + [found]
    # "English little... bus Palm Cove": the language, not "English St".
    mentions = [
        m
        for m in mentions
        if m.text.strip().casefold() not in LANGUAGE_NAMES or index.names_whole(m.text)
    ]
    return _towns_as_qualifiers(feed, index, text, sorted(mentions, key=lambda m: m.start))


#: A station word alone, as compared ("Bahnhof", "the station", "火车站").
_STATION_ALONE = frozenset({"station", "thestation", "火车"})
#: What may stand between a town and its stop: "Falkensee, Essener", "Dallgow的Gymnasium".
_TOWN_GAP = re.compile(r"\s*(?:,|，|的|嘅|之)?\s*")
#: The words after "Town, " that may name its stop when no whole name was found there.
_STOP_WORDS_AFTER = re.compile(r"[^\W\d_][\w.'’-]*(?:\s+[^\W_][\w.'’-]*){0,2}")


def _town_of(stops: Sequence[Stop]) -> str | None:
    """The one town of names written "Town, Stop" ("Falkensee, Bahnhof": Falkensee)."""
    towns = {stop.name.partition(",")[0].strip() for stop in stops if "," in stop.name}
    return towns.pop() if len(towns) == 1 and all("," in s.name for s in stops) else None


def _towns_as_qualifiers(
    feed: TransitFeed, index: StopIndex, text: str, mentions: list[StopMention]
) -> list[StopMention]:
    """A town written before its stop qualifies it: "Falkensee, Essener" is one stop.

    Feeds that name stops "Town, Stop" make the town alone a station too (its Bahnhof) or
    several; riders copy the feed's way ("Falkensee, Fehrbleliner Str.") or type the town
    before the stop, and that is one stop, not a trip from the town's station.
    """
    kept: list[StopMention] = []
    position = 0
    while position < len(mentions):
        town_mention = mentions[position]
        town = _town_of(town_mention.stops)
        if town is not None and not _names_the_town(town_mention.text, town):
            town = None  # "Potsdam, Eisenbahnbrücke Marquardt": a whole stop, not its town
        after = mentions[position + 1] if position + 1 < len(mentions) else None
        gap_end = _TOWN_GAP.match(text, town_mention.end)
        if town is not None and gap_end is not None and gap_end.end() > town_mention.end:
            next_to = after if after is not None and after.start == gap_end.end() else None
            in_town = [s for s in next_to.stops if _town_of((s,)) == town] if next_to else []
            if next_to is not None and in_town:
                kept.append(_spanning(text, town_mention.start, next_to.end, in_town))
                position += 2
                continue
            if next_to is not None and (
                normalise_name(_fold(canonical(next_to.text))) in _STATION_ALONE
            ):
                # "Nauen的Bahnhof", "Nauen station": the town's own station, not the
                # station "the station" alone would be.
                kept.append(_spanning(text, town_mention.start, next_to.end, town_mention.stops))
                position += 2
                continue
            words = _STOP_WORDS_AFTER.match(text, gap_end.end())
            words_end = words.end() if words else 0
            if after is not None:
                words_end = min(words_end, after.start)  # up to the next name found
            if words_end > gap_end.end():
                named = _stop_of_town(feed, index, text, town_mention.start, words_end, town)
                if named is not None:
                    kept.append(named)
                    position += 1
                    continue
        kept.append(town_mention)
        position += 1
    return _towns_said_again_precisely(kept)


def _towns_said_again_precisely(mentions: list[StopMention]) -> list[StopMention]:
    """A town named alone, then one of its stops: "to Schoenwalde? … she lives right by
    Schönwalde Dorf" is one place, the stop, where the town was (its role with it)."""
    kept = list(mentions)
    for position, town_mention in enumerate(mentions):
        town = _town_of(town_mention.stops)
        if town is None or len(town_mention.stops) < 2:
            continue
        if not _names_the_town(town_mention.text, town):
            continue
        later = [m for m in mentions[position + 1 :] if _town_of(m.stops) == town]
        if len(later) == 1 and len(later[0].stops) == 1 and later[0] in kept:
            # the stop stands where the town was said, so "to …" still makes it the end
            kept[kept.index(town_mention)] = StopMention(
                town_mention.start, town_mention.end, town_mention.text, later[0].stops
            )
            kept.remove(later[0])
    return kept


def _names_the_town(said: str, town: str) -> bool:
    """Whether ``said`` is the town's name, its first word ("Dallgow") or a typo of it."""
    said_key = normalise_name(_fold(canonical(said)))
    town_key = normalise_name(_fold(canonical(_BRACKETED.sub(" ", town))))
    if not said_key or not town_key:
        return False
    return town_key.startswith(said_key) or OSA.distance(said_key, town_key) <= _edits_allowed(
        len(town_key), False
    )


def _stop_of_town(
    feed: TransitFeed, index: StopIndex, text: str, start: int, end: int, town: str
) -> StopMention | None:
    """The town's stop the shortest run of the words after the town names, typos allowed.

    Shortest first: "Potsdam, Eisenbahnbrücke Marquardt fare please" contains the name,
    but the stop ends where its name does. Only the town's own stops are compared, so a
    typo ("Falkensee, Ndelitzer Str.") is read against a few dozen names, not the feed.
    """
    rest = start + len(text[start:end]) - len(text[start:end].split(",", 1)[-1])
    words = list(re.finditer(r"\S+", text[rest:end]))
    stops = _stops_of_towns(feed, index).get(town, ())
    for last in range(1, len(words) + 1):
        stop_end = rest + words[last - 1].end()
        said = normalise_name(_fold(canonical(text[rest:stop_end].rstrip(".,;:!?"))))
        if len(said) < MIN_LATIN_LOOSE:
            continue
        same = [stop for stop, key in stops if key == said]
        longer = [stop for stop, key in stops if key.startswith(said)]
        allowed = _edits_allowed(len(said), False)
        typo = [stop for stop, key in stops if OSA.distance(said, key) <= allowed]
        found = same or longer or typo
        if found and len(found) <= MAX_CANDIDATES:
            return _spanning(text, start, stop_end, found)
    return None


def _stops_of_towns(feed: TransitFeed, index: StopIndex) -> dict[str, list[tuple[Stop, str]]]:
    """Town -> its stations, each with the key of its name after the town."""
    return _TOWNS.get(feed, lambda: _find_towns(index))


def _find_towns(index: StopIndex) -> dict[str, list[tuple[Stop, str]]]:
    towns: dict[str, list[tuple[Stop, str]]] = {}
    for stop in index.stations.values():
        town = _town_of((stop,))
        if town is not None:
            key = normalise_name(_fold(canonical(stop.name.partition(",")[2])))
            if key:
                towns.setdefault(town, []).append((stop, key))
    return towns


_TOWNS: PerFeed[dict[str, list[tuple[Stop, str]]]] = PerFeed()


def _spanning(text: str, start: int, end: int, stops: Sequence[Stop]) -> StopMention:
    end = len(text[:end].rstrip(".,;:!?"))
    return StopMention(start, end, text[start:end], tuple(stops))


#: Languages named in a message ("English ok", "中文可以吗"): never a stop by a part of its
#: name; a station named so in full still is.
LANGUAGE_NAMES = frozenset(
    """english chinese mandarin cantonese putonghua spanish japanese korean french german
    vietnamese tagalog thai arabic russian portuguese italian hindi 中文 英文 英语 英語 普通话
    普通話 粤语 粵語 广东话 廣東話 国语 國語 日文 韩文 韓文""".split()
)


def _operator_words(feed: TransitFeed) -> frozenset[str]:
    """Normalised operator names and their leading words or characters."""
    words: set[str] = set()
    for agency in feed.agencies.values():
        folded = _fold(canonical(agency.name))
        parts = re.findall(r"[^\W_]+", folded)
        for end in range(1, len(parts) + 1):
            words.add("".join(parts[:end]))
        key = normalise_name(folded)
        if key and is_han(key[0]):
            words.update(key[:end] for end in range(MIN_HAN, len(key) + 1))
    return frozenset(words)


def syllables(text: str) -> tuple[str, ...]:
    """One toneless pinyin syllable per character ("车公妙" -> che, gong, miao), heard as
    a pinyin IME's fuzzy matching hears it (zh/z, -ng/-n …: 深证北 for 深圳北)."""
    return tuple(fuzzy_syllable(ch) for ch in text)


def _word_runs(
    key: str, starts: frozenset[int], ends: frozenset[int], spaced: bool
) -> Iterator[tuple[int, str]]:
    """(where, part) for the parts of a name a rider may say alone: runs of whole words,
    and its first words with its last ones, the words between left out ("Grodzisk
    Radońska" for Grodzisk Mazowiecki Radońska, "Podkowa Główna" for Podkowa Leśna Główna)."""
    if spaced:
        for start in starts:
            for end in ends:
                if end - start >= MIN_LATIN and not (start == 0 and end == len(key)):
                    yield start, key[start:end]
        for head_end in ends:
            for tail_start in starts:
                if 0 < head_end < tail_start < len(key):
                    yield 0, key[:head_end] + key[tail_start:]
        return
    # A Chinese name is shortened from its end ("会展中心" -> "会展"; "火车北站" -> "火车北").
    for end in range(MIN_HAN, len(key)):
        yield 0, key[:end]


def _homophones(lookups: MentionIndex, text: str) -> Iterator[StopMention]:
    """Han runs that sound like a name and share at least half of its characters."""
    for run in re.finditer(r"[\u4e00-\u9fff]+", text):
        chars = run.group(0)
        simplified = _fold(chars)
        if len(simplified) != len(chars):
            continue
        sounds = syllables(simplified)
        taken_until = 0
        for i in range(len(chars)):
            if i < taken_until:
                continue
            for size in sorted(lookups.sound_lengths, reverse=True):
                if i + size > len(chars):
                    continue
                window = simplified[i : i + size]
                for name, stations in lookups.sounds.get(sounds[i : i + size], ()):
                    same = sum(a == b for a, b in zip(window, name, strict=True))
                    if same * 2 >= size and window != name:
                        start = run.start() + i
                        yield StopMention(
                            start,
                            start + size,
                            text[start : start + size],
                            tuple(lookups.stops.stations[s] for s in stations),
                        )
                        taken_until = i + size
                        break
                if taken_until > i:
                    break


def _marked_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, after a marker) where a place may stand.

    After an English marker ("from X", "to X", "at X", "out of X"), the words up to the next
    sentence word or punctuation; the words that open the message or a clause ("Flinders
    St - next tram?", "Need directions: X to Y"); and the pieces of a Chinese message
    between markers and question words.
    """
    for marker in _LATIN_MARKER.finditer(text):
        span = _latin_span(text, marker.end())
        if span is not None:
            yield (*span, True)
    for clause in _CLAUSE_START.finditer(text):
        span = _latin_span(text, clause.end())
        if span is not None:
            yield (*span, False)
    for start, end in _han_chunks(text):
        yield start, end, True


def _latin_span(text: str, position: int) -> tuple[int, int] | None:
    """Words from ``position`` until a sentence word, punctuation or Han character."""
    start = end = -1
    for count, token in enumerate(_TOKEN.finditer(text, position)):
        word = token.group(0).strip(".").casefold()
        gap = text[end if end >= 0 else position : token.start()]
        if count >= MAX_PLACE_WORDS or word in LATIN_BOUNDARY or (end >= 0 and gap.strip()):
            break
        if any(is_han(ch) for ch in token.group(0)):
            break
        if start < 0:
            start = token.start()
        end = token.end()
    if start < 0:
        return None
    return start, end


def _han_chunks(text: str) -> Iterator[tuple[int, int]]:
    """Pieces of a Chinese message between markers and question words ("从|X|到|Y|怎么走")."""
    if not any(is_han(ch) for ch in text):
        return
    cuts = [0, len(text)]
    for boundary in _HAN_BOUNDARY.finditer(text):
        cuts += [boundary.start(), boundary.end()]
    for i, ch in enumerate(text):
        if ch in _HAN_MARKERS:
            cuts += [i, i + 1]
    points = sorted(set(cuts))
    for start, end in zip(points, points[1:], strict=False):
        piece = text[start:end]
        if piece.strip() and not _HAN_BOUNDARY.fullmatch(piece) and piece not in _HAN_MARKERS:
            left = len(piece) - len(piece.lstrip())
            right = len(piece.rstrip())
            yield start + left, start + right


def _resolve_span(lookups: MentionIndex, text: str, start: int, end: int) -> StopMention | None:
    """The longest leading part of ``text[start:end]`` that names stations, as a mention."""
    words = list(re.finditer(r"\S+", text[start:end]))
    han = any(is_han(ch) for ch in text[start:end])
    if han:
        ends = [start + k for k in range(end - start, MIN_HAN - 1, -1)]
    else:
        ends = [start + w.end() for w in reversed(words)]
    for stop_at in ends:
        piece = text[start:stop_at].strip(" ,.;:!?'\"")
        if not piece or piece.casefold() in NOT_PLACES:
            continue
        first_word = piece.split()[0].casefold()
        if first_word in NOT_PLACES and len(piece.split()) == 1:
            continue
        if piece.isdigit() and not text[:start].rstrip().endswith(","):
            # A number is a stop's house number only after its street ("Av. Cruzeiro Do
            # Sul, 1801"): "156 is open now?" asks about the hotline, not R. Oriente, 156.
            continue
        stations = _lookup(lookups, piece)
        if (
            len(stations) == 1
            and not han
            and _another_proper_name_goes_on(lookups, text, start + len(piece), piece, stations)
        ):
            # "Rua José Paulino": "Rua José" begins one stop's name (R. José Debieux, 123),
            # but the name typed goes on with a capitalised word that one lacks.
            continue
        if len(stations) > 1 and not han and _name_goes_on(text, start + len(piece)):
            # "Shenzhen Bay Port": "Shenzhen" begins two station names, but the name
            # typed goes on with words of its own; it is some other place.
            continue
        if (
            stations
            and not han
            and _another_name_goes_on(lookups, text, start + len(piece), piece, stations)
        ):
            # "grand central": "grand" begins Grand Army Plaza, but "central" is a word of
            # other names, not this one's next: the rider names another place.
            continue
        if stations:
            return StopMention(
                start,
                start + len(piece),
                piece,
                tuple(lookups.stops.stations[s] for s in stations[:MAX_CANDIDATES]),
            )
    return None


#: Words that may follow a place name without being part of it.
_AFTER_A_PLACE = frozenset(
    """to from and or station stop please pls now today tonight then in at on for is was by
    via first last next line metro train bus subway exit gate side please thanks""".split()
)


def _another_name_goes_on(
    lookups: MentionIndex, text: str, end: int, piece: str, stations: Sequence[str]
) -> bool:
    """Does a word of other names follow a part of a name, a word these stations lack?"""
    if normalise_name(_fold(canonical(piece))) in lookups.stops.by_key:
        return False  # a whole name ("96 St downtown") stands on its own
    following = re.match(r"[ \t]+([A-Za-z][\w'-]*)", text[end:])
    if following is None or following.group(1).casefold() in _AFTER_A_PLACE:
        return False
    word = normalise_name(_fold(canonical(following.group(1))))
    if len(word) < MIN_LATIN or not (word in lookups.leading_runs or word in lookups.inner_runs):
        return False
    own = " ".join(
        _fold(canonical(lookups.stops.stations[s].name))
        for s in stations
        if s in lookups.stops.stations
    )
    return word not in re.findall(r"[^\W_]+", own)  # "flatbush college": its own word


def _another_proper_name_goes_on(
    lookups: MentionIndex, text: str, end: int, piece: str, stations: Sequence[str]
) -> bool:
    """A part of one station's name followed by a capitalised word the name lacks."""
    if normalise_name(_fold(canonical(piece))) in lookups.stops.by_key:
        return False  # a whole name stands on its own
    following = re.match(r"[ \t]+([A-Z][\w'-]*)", text[end:])
    if following is None or following.group(1).casefold() in _AFTER_A_PLACE:
        return False
    word = _fold(canonical(following.group(1)))
    own = _fold(canonical(lookups.stops.stations[stations[0]].name))
    return word not in re.findall(r"[^\W_]+", own)


def _name_goes_on(text: str, end: int) -> bool:
    """Is the word right after ``end`` more of a name (not "to", "station", "please" …)?"""
    following = re.match(r"[ \t]+([A-Za-z][\w'-]*)", text[end:])
    return following is not None and following.group(1).casefold() not in _AFTER_A_PLACE


def _lookup(lookups: MentionIndex, words: str) -> tuple[str, ...]:
    """Stations for a few words: whole name, whole words of a name, a homophone, a typo."""
    key = normalise_name(_fold(canonical(words)))
    han = any(is_han(ch) for ch in key)
    if han and len(key) < MIN_HAN:
        return _by_direction(lookups, words)
    if len(key) < (MIN_HAN if han else MIN_LATIN) or key in lookups.operators:
        return ()
    found = lookups.stops.by_key.get(key) or lookups.stops.spelt.get(key)
    if not found:
        found = lookups.leading_runs.get(key) or lookups.inner_runs.get(key) or ()
        # Two Han characters are as often a district or an ordinary word ("宝安", "深圳") as
        # the start of a name: they stand for a name only when they fit exactly one station.
        if han and len(key) < 3 and len(found) != 1:
            found = ()
    if found:
        return found
    if han and all(map(is_han, key)):
        for name, stations in lookups.sounds.get(syllables(key), ()):
            if sum(a == b for a, b in zip(key, name, strict=True)) * 2 >= len(key):
                return stations
        slipped = _one_syllable_slip(lookups, key)
        if slipped:
            return slipped
    return _misspelt(lookups, key, han)


def _by_direction(lookups: MentionIndex, words: str) -> tuple[str, ...]:
    """ "北站", "东站": what riders call the one station whose name ends so (深圳北站,
    深圳东站); nothing when no name, or several, end so."""
    said = _fold(words.strip())
    if not re.fullmatch(r"[东南西北]站", said):
        return ()
    found = {
        stop_id
        for stop_id, stop in lookups.stops.stations.items()
        if any(
            len(name) > len(said) and _fold(name).endswith(said)
            for name in (stop.name, *stop.names.values())
            if name
        )
    }
    return tuple(found) if len(found) == 1 else ()


def _one_syllable_slip(lookups: MentionIndex, key: str) -> tuple[str, ...]:
    """Names one character off whose pinyin is one letter off after the same first letter:
    "华强比" (bi) for 华强北 (bei), an IME candidate picked after a slip of one key. Not
    华强路 (lu): a different word. Several names that fit are all returned ("which one?")."""
    if len(key) < MIN_SLIP_HAN:
        return ()
    found: dict[str, None] = {}
    keys, stations = lookups.typeable.get((key[0], len(key)), ((), ()))
    for name, ids in zip(keys, stations, strict=True):
        differ = [i for i, (a, b) in enumerate(zip(key, name, strict=True)) if a != b]
        if len(differ) != 1 or not all(map(is_han, name)):
            continue
        typed, meant = syllable_of(key[differ[0]]), syllable_of(name[differ[0]])
        # The same first letter: a vowel slipped ("bi" for "bei"), not another word
        # ("大学生", sheng, is no slip of 大学城, cheng).
        if typed and meant and typed[0] == meant[0] and OSA.distance(typed, meant) <= 1:
            found.update(dict.fromkeys(ids))
    return tuple(found)


def _misspelt(lookups: MentionIndex, key: str, han: bool) -> tuple[str, ...]:
    """Names within the forgiven typing mistakes of ``key`` (OSA distance, fewest first)."""
    limit = _edits_allowed(len(key), han)
    if limit == 0 or (not han and len(key) < MIN_LATIN_TYPO):
        return ()
    # Only names starting with the same character: a first letter typed wrong is rare, a
    # different word one letter away from some stop of a big feed is not.
    found: list[tuple[int, tuple[str, ...]]] = []
    for length in range(len(key) - limit, len(key) + limit + 1):
        keys, stations = lookups.typeable.get((key[0], length), ((), ()))
        for _, distance, position in process.extract(
            key, keys, scorer=OSA.distance, score_cutoff=limit, limit=MAX_CANDIDATES * 2
        ):
            found.append((int(distance), stations[position]))
    if not found:
        return ()
    fewest = min(distance for distance, _ in found)
    ids: dict[str, None] = {}
    for distance, station_ids in found:
        if distance == fewest:
            ids.update(dict.fromkeys(station_ids))
    if han:
        return tuple(ids)
    # "Shenzhen Bay" is two letters from "Shenzhen Bei…", all of them in the word that
    # tells the places apart: no typo of it (``stops.rest_alike``).
    return tuple(
        station
        for station in ids
        if any(
            rest_alike(key, name)
            for name in lookups.stops.names
            if name.station_id == station and name.spaced
        )
    )


def _overlaps(mention: StopMention, others: Sequence[StopMention]) -> bool:
    return any(o.start < mention.end and mention.start < o.end for o in others)
