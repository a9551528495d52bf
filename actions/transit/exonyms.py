"""Chinese names for stations a feed writes in Latin script only.

A Chinese-speaking resident of the Bay Area asks "山景城到旧金山下一班几点" about "Mt View
Caltrain" and "San Francisco Caltrain"; one in Busan or Boston writes "波士顿", "帕洛阿尔托".
The feed has no Chinese name to match, and pinyin of "旧金山" is no spelling of San
Francisco. Three readings, from the surest:

1. **Names**: the standard Chinese name of a place (旧金山, 三藩市 → San Francisco) from the
   lexicon ``lexicon/zh_place_names.yml``, as a station's name or a run of its words.
2. **Words**: a name translated word by word (山景 → Mt View, 红木城 → Redwood City, 政府中心
   → Government Center). Words that name nothing alone (公园, 中心) need another word.
3. **Sounds**: a transliteration (帕洛阿尔托 → Palo Alto, 米尔布雷 → Millbrae, 圣何塞 → San
   Jose), heard as a skeleton of consonant classes on both sides, so the Chinese spelling's
   vowels and the English spelling's silent letters do not count. Only runs of the
   characters Xinhua's tables use to spell foreign names are heard so ("现在" never is).

Stations with a Chinese name of their own (Shenzhen's) are left to the feed's names: this
only adds names where a feed has none.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from actions.clients.gtfs.model import TransitFeed
from actions.transit.per_feed import PerFeed
from actions.transit.place_words import ABBREVIATIONS, canonical
from actions.transit.stops import StopIndex, common_words, latin_words, one_place, station_names
from bot.language.script import is_han, to_simplified

LEXICON = Path(__file__).with_name("lexicon") / "zh_place_names.yml"
#: Chinese forms kept for one run of a name's words: more is a product nobody types.
MAX_FORMS = 16
#: Fewest consonant classes a heard name needs ("plt" for Palo Alto); fewer match by chance.
MIN_SKELETON = 3
#: The longest transliteration heard as one name ("帕洛阿尔托" is five, "圣克拉拉" four).
MAX_HEARD_CHARS = 8
#: Skeletons this long may differ in one class (门洛帕克 drops the r of "Park").
MIN_FUZZY_SKELETON = 5

_WORD = re.compile(r"[^\W_]+")
#: Words of a street's or a place's type ("St", "Ave"): a run of a name's words starting
#: with one is no name ("Ave Brooklyn" of "Flatbush Ave-Brooklyn College").
_TYPE_WORDS = frozenset(ABBREVIATIONS.values()) | {"station", "stop"}
_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True)
class Lexicon:
    #: English words of a place, canonical ("mt view") -> Chinese names.
    names: Mapping[tuple[str, ...], tuple[str, ...]]
    #: English words names are made of ("park") -> Chinese words; never a place alone.
    words: Mapping[tuple[str, ...], tuple[str, ...]]
    #: Character -> its consonant classes when it spells a foreign name, where pinyin misleads.
    sounds: Mapping[str, tuple[str, ...]]
    #: The characters that spell foreign names.
    transliteration: frozenset[str]

    @functools.cached_property
    def longest(self) -> int:
        return max(map(len, (*self.names, *self.words)), default=1)

    @functools.cached_property
    def spelling(self) -> re.Pattern[str]:
        """Runs of two or more transliteration characters."""
        return re.compile(f"[{''.join(sorted(self.transliteration))}]{{2,}}")


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))

    def table(section: str) -> dict[tuple[str, ...], tuple[str, ...]]:
        return {
            english_words(english): tuple(to_simplified(name) for name in names)
            for english, names in (raw.get(section) or {}).items()
        }

    return Lexicon(
        names=table("names"),
        words=table("words"),
        sounds={ch: tuple(classes) for ch, classes in (raw.get("sounds") or {}).items()},
        transliteration=frozenset(
            to_simplified(ch) for ch in str(raw.get("transliteration") or "") if is_han(ch)
        ),
    )


def english_words(text: str) -> tuple[str, ...]:
    """Canonical, case-folded words ("Mountain View" -> ("mt", "view"))."""
    return tuple(_WORD.findall(canonical(text).casefold()))


# --- Chinese forms of a station's name --------------------------------------------------------


def chinese_forms(words: Sequence[str], table: Lexicon) -> dict[tuple[int, int], list[str]]:
    """(start, end) of each run of ``words`` that translates whole -> its Chinese forms.

    A run needs a place's name in it, or must be the whole name: "公园" alone names every
    park; "山景" for the whole of "Mt View" names one station.
    """
    pieces: dict[int, list[tuple[int, tuple[str, ...], bool]]] = {}
    for start in range(len(words)):
        if words[start].isdigit():
            pieces.setdefault(start, []).append((start + 1, (words[start],), False))
        for end in range(start + 1, min(len(words), start + table.longest) + 1):
            phrase = tuple(words[start:end])
            if phrase in table.names:
                pieces.setdefault(start, []).append((end, table.names[phrase], True))
            elif phrase in table.words:
                pieces.setdefault(start, []).append((end, table.words[phrase], False))
    forms: dict[tuple[int, int], list[str]] = {}
    for start in range(len(words)):
        for end, form, named in _covers(pieces, start, len(words)):
            whole = start == 0 and end == len(words)
            if not (named or whole) or sum(map(is_han, form)) < 2:
                continue
            found = forms.setdefault((start, end), [])
            if form not in found and len(found) < MAX_FORMS:
                found.append(form)
    return forms


def _covers(
    pieces: Mapping[int, list[tuple[int, tuple[str, ...], bool]]], start: int, limit: int
) -> Iterator[tuple[int, str, bool]]:
    """(end, form, names a place) for every run from ``start`` the pieces cover."""
    stack: list[tuple[int, str, bool]] = [(start, "", False)]
    produced = 0
    while stack and produced < 4 * MAX_FORMS:
        at, form, named = stack.pop()
        for end, options, is_name in pieces.get(at, ()):
            for option in options:
                joined = form + option
                produced += 1
                yield end, joined, named or is_name
                if end < limit:
                    stack.append((end, joined, named or is_name))


# --- sounds ---------------------------------------------------------------------------------

_LATIN_DIGRAPHS = (("ph", "f"), ("th", "t"), ("sh", "s"), ("ch", "j"), ("ck", "k"), ("gh", ""))
_LATIN_CLASSES = {
    "b": "p", "p": "p", "d": "t", "t": "t", "g": "k", "k": "k", "q": "k", "s": "s", "z": "s",
    "l": "l", "r": "l", "v": "w", "w": "w", "f": "f", "m": "m", "n": "n", "h": "h", "j": "j",
}  # fmt: skip
_PINYIN_INITIALS = (
    ("zh", "j"), ("ch", "j"), ("sh", "s"), ("b", "p"), ("p", "p"), ("d", "t"), ("t", "t"),
    ("g", "k"), ("k", "k"), ("h", "h"), ("j", "j"), ("q", "j"), ("x", "s"), ("z", "s"),
    ("c", "s"), ("s", "s"), ("r", "l"), ("l", "l"), ("m", "m"), ("n", "n"), ("f", "f"),
    ("w", "w"), ("y", ""),
)  # fmt: skip


def latin_skeleton(text: str) -> str:
    """The consonant classes of a Latin name, repeats merged ("Palo Alto" -> "plt")."""
    letters = "".join(ch for ch in text.casefold() if "a" <= ch <= "z")
    for digraph, sound in _LATIN_DIGRAPHS:
        letters = letters.replace(digraph, sound)
    classes: list[str] = []
    previous = ""
    for i, ch in enumerate(letters):
        if ch == "c":
            ch = "s" if letters[i + 1 : i + 2] in ("e", "i", "y") else "k"
        if ch == "x":
            classes += ["k", "s"]
        elif ch == "w" and previous in _VOWELS:
            pass  # "Lawrence", "Broadway": a vowel's spelling, not a sound of its own
        elif ch in _LATIN_CLASSES:
            classes.append(_LATIN_CLASSES[ch])
        previous = ch
    return _merged(classes)


def han_skeletons(han: str, table: Lexicon) -> set[str]:
    """The skeletons a transliteration may stand for ("圣何塞" -> {"snhs", "snjs"})."""
    options = [_char_classes(ch, table) for ch in han]
    found = set()
    for combination in itertools.islice(itertools.product(*options), 64):
        found.add(_merged([c for part in combination for c in part]))
    return found


def _char_classes(ch: str, table: Lexicon) -> tuple[str, ...]:
    if ch in table.sounds:
        return table.sounds[ch]
    return (_pinyin_classes(ch),)


@functools.lru_cache(maxsize=4096)
def _pinyin_classes(ch: str) -> str:
    """A character's consonant classes heard through its pinyin (one pypinyin call each)."""
    syllable = (lazy_pinyin(ch) or [""])[0]
    if syllable == "er":
        return "l"
    initial = ""
    for spelling, sound in _PINYIN_INITIALS:
        if syllable.startswith(spelling):
            initial, syllable = sound, syllable[len(spelling) :]
            break
    final = "n" if syllable.endswith(("n", "ng")) else ""
    return initial + final


def _merged(classes: Sequence[str]) -> str:
    letters = "".join(classes)
    return "".join(ch for i, ch in enumerate(letters) if i == 0 or letters[i - 1] != ch)


# --- per feed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExonymIndex:
    """Chinese forms and heard skeletons of one feed's Latin-only station names."""

    #: Chinese form -> stations; a station's whole name wins over a part of another's.
    forms: Mapping[str, tuple[str, ...]]
    longest_form: int
    #: Skeleton of a name (or a run of its words that names a place) -> stations.
    skeletons: Mapping[str, tuple[str, ...]]
    #: Skeletons of whole names only.
    whole_skeletons: Mapping[str, tuple[str, ...]]

    @functools.cached_property
    def by_length(self) -> dict[int, list[str]]:
        """The skeletons by their length, for the one-class-off search."""
        found: dict[int, list[str]] = {}
        for skeleton in self.skeletons:
            found.setdefault(len(skeleton), []).append(skeleton)
        return found

    @classmethod
    def build(
        cls,
        names: Mapping[str, Sequence[Sequence[str]]],
        generic: frozenset[str],
        one_place: Callable[[Sequence[str]], bool] = lambda ids: False,
    ) -> ExonymIndex:
        """``names``: station_id -> its name's words, with and without the feed's common
        words ("Wall St" is 华尔街 though most of New York's names end in "St").
        ``one_place``: whether stations are one place to a rider (a short walk apart)."""
        table = lexicon()
        whole: dict[str, dict[str, None]] = {}
        parts: dict[str, dict[str, None]] = {}
        whole_sounds: dict[str, dict[str, None]] = {}
        part_sounds: dict[str, dict[str, None]] = {}
        for station_id, spellings in names.items():
            for words in spellings:
                for (start, end), chinese in chinese_forms(words, table).items():
                    is_whole = (start, end) == (0, len(words))
                    if not is_whole and words[start] in _TYPE_WORDS:
                        continue  # "大道布鲁克林" of "Flatbush Ave-Brooklyn College"
                    for form in chinese:
                        (whole if is_whole else parts).setdefault(form, {})[station_id] = None
            words = spellings[-1]
            for start, end in _runs(len(words)):
                run = words[start:end]
                if all(word in generic or word.isdigit() for word in run):
                    continue
                skeleton = latin_skeleton(" ".join(run))
                if len(skeleton) >= MIN_SKELETON:
                    target = whole_sounds if (start, end) == (0, len(words)) else part_sounds
                    target.setdefault(skeleton, {})[station_id] = None
        forms = _whole_first(whole, parts, one_place)
        wholes = {s: tuple(ids) for s, ids in whole_sounds.items()}
        skeletons = _whole_first(whole_sounds, part_sounds, one_place)
        return cls(forms, max(map(len, forms), default=0), skeletons, wholes)

    def lookup(self, han: str) -> tuple[str, ...]:
        """The stations a Chinese name means (simplified, without 站), or ()."""
        folded = to_simplified(han)
        found = self.forms.get(folded) or self.forms.get(_without_station(folded))
        return found or self.heard(_without_station(folded))

    def heard(self, han: str) -> tuple[str, ...]:
        """The stations a transliteration sounds like, if one name fits best."""
        table = lexicon()
        if len(han) < 2 or not all(ch in table.transliteration for ch in han):
            return ()
        skeletons = {s for s in han_skeletons(han, table) if len(s) >= MIN_SKELETON}
        # Two characters ("昆西") are heard only as a whole name: as part of one, too many
        # ordinary pairs of them would sound like something.
        known = self.whole_skeletons if len(han) == 2 else self.skeletons
        exact = {sid: None for s in sorted(skeletons) for sid in known.get(s, ())}
        if exact or len(han) == 2:
            return tuple(exact)
        near: dict[str, None] = {}
        for skeleton in sorted(skeletons):
            if len(skeleton) < MIN_FUZZY_SKELETON:
                continue
            for size in (len(skeleton) - 1, len(skeleton), len(skeleton) + 1):
                bucket = self.by_length.get(size, ())
                for _, _, at in process.extract(
                    skeleton, bucket, scorer=Levenshtein.distance, score_cutoff=1, limit=None
                ):
                    near.update(dict.fromkeys(self.skeletons[bucket[at]]))
        return tuple(near)

    def find(self, text: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """(start, end, stations) of the Chinese names in ``text``, longest first, no overlap."""
        folded = to_simplified(text)
        taken: list[tuple[int, int]] = []
        for run in re.finditer(r"[\u4e00-\u9fff]+", folded):
            for start, end, ids in self._in_run(folded, run.start(), run.end()):
                if all(end <= a or start >= b for a, b in taken):
                    taken.append((start, end))
                    yield start, end, ids

    def _in_run(
        self, text: str, start: int, end: int
    ) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        found = []
        for i in range(start, end):
            for j in range(min(end, i + self.longest_form), i + 1, -1):
                ids = self.forms.get(text[i:j])
                if ids:
                    found.append((i, j, ids))
        for spelled in lexicon().spelling.finditer(text, start, end):
            a, b = spelled.start(), spelled.end()
            # A name is a few characters: a long run (a hostile or pasted message) is read
            # in windows of at most MAX_HEARD_CHARS, so the work grows with its length only.
            for size in range(min(b - a, MAX_HEARD_CHARS), 1, -1):
                hits = [
                    (i, i + size, ids)
                    for i in range(a, b - size + 1)
                    if (ids := self.heard(text[i : i + size]))
                ]
                if hits:
                    found.extend(hits)
                    break
        found.sort(key=lambda m: (m[0] - m[1], m[0]))
        yield from found


def _whole_first(
    whole: Mapping[str, Mapping[str, None]],
    parts: Mapping[str, Mapping[str, None]],
    one_place: Callable[[Sequence[str]], bool],
) -> dict[str, tuple[str, ...]]:
    """Each key's stations: those it names whole, before those it names a part of.

    "旧金山" is San Francisco, not also South San Francisco; "圣何塞" is "San Jose
    Caltrain Station" and "San Jose Diridon" both, a short walk apart, one place.
    """
    found = {key: tuple(ids) for key, ids in parts.items()}
    for key, ids in whole.items():
        both = tuple(dict.fromkeys((*ids, *parts.get(key, {}))))
        found[key] = both if len(both) > len(ids) and one_place(both) else tuple(ids)
    return found


def _runs(size: int) -> Iterator[tuple[int, int]]:
    for start in range(size):
        for end in range(start + 1, size + 1):
            yield start, end


def _without_station(han: str) -> str:
    for suffix in ("火车站", "车站", "地铁站", "站"):
        if han.endswith(suffix) and len(han) > len(suffix) + 1:
            return han[: -len(suffix)]
    return han


_INDEXES: PerFeed[ExonymIndex] = PerFeed()


def for_feed(feed: TransitFeed) -> ExonymIndex:
    """The feed's Chinese forms, built on first use and kept as long as the feed is."""
    return _INDEXES.get(feed, lambda: _build(feed))


def _build(feed: TransitFeed) -> ExonymIndex:
    named_in_han = {
        station.stop_id for station, name in station_names(feed) if any(map(is_han, name))
    }
    words_of = {
        station_id: words
        for station_id, words in latin_words(feed).items()
        if station_id not in named_in_han
    }
    common = common_words(words_of) | {"station", "stop"}
    generic = common | {words[0] for words in lexicon().words if len(words) == 1}
    names = {
        station_id: (tuple(words), kept)
        for station_id, words in words_of.items()
        if (kept := tuple(word for word in words if word not in common))
    }
    stops = StopIndex.for_feed(feed)
    return ExonymIndex.build(names, frozenset(generic), lambda ids: one_place(stops, ids))
