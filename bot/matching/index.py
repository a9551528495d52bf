"""An index of a city's list (its services, its permits) that ranks entries for a message.

Each entry is a few weighted texts (a name counts more than a description). A message's
features are looked up in an inverted index and weighed by rarity (IDF), so a word every
entry shares ("road" in a list of road services) decides little and a rare one
("pothole") decides much. Two kinds of slip are forgiven before the lookup, because
residents type on phones: an English word one or two edits from a word the index knows
("potholle", "streetlite"), and a Chinese pair that sounds like one it knows (路登 for
路灯, typed with a pinyin IME), each counted a little less than an exact match.

Building costs one pass over the list; a lookup costs only the message's features, so
a catalogue of thousands of entries answers in milliseconds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matching.features import features, plain_words

#: How much a feature found by a typo or by sound counts, against an exact one.
TYPO_CONFIDENCE = 0.8
SOUND_CONFIDENCE = 0.75
#: Words shorter than this are not corrected (too many near neighbours).
MIN_TYPO_CHARS = 5


@dataclass(frozen=True)
class Entry:
    """One entry of a list: its key and its texts, each with how much it counts."""

    key: str
    texts: tuple[tuple[str, float], ...]


@lru_cache(maxsize=65536)
def _syllable(char: str) -> str:
    return str(pinyin(char, style=Style.NORMAL)[0][0])


def syllable_of(char: str) -> str:
    """A character's toneless pinyin ("北" → "bei"); "" for what has none."""
    syllable = _syllable(char)
    return syllable if syllable.isascii() and syllable.isalpha() else ""


def fuzzy_syllable(char: str) -> str:
    """A character's toneless pinyin as an IME's fuzzy matching hears it (see ``_fuzzy``)."""
    return _fuzzy(_syllable(char))


@lru_cache(maxsize=65536)
def _fuzzy(syllable: str) -> str:
    """A syllable as pinyin IMEs' fuzzy matching hears it (模糊音): zh/z, ch/c, sh/s, n/l
    at the start and -ng/-n at the end sound alike to many speakers, southern ones most,
    so 噪英 (zao ying) is typed for 噪音 (zao yin)."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
            break
    if syllable.startswith("n"):
        syllable = "l" + syllable[1:]
    if syllable.endswith("ng") and len(syllable) > 2:
        syllable = syllable[:-1]
    return syllable


def sound(feature: str) -> str | None:
    """The toneless, fuzzy pinyin of a Chinese feature ("路灯" → "lu den"), else None."""
    if not feature or not all("\u3400" <= ch <= "\u9fff" for ch in feature):
        return None
    return " ".join(_fuzzy(_syllable(ch)) for ch in feature)


def _max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


class ListIndex:
    """Ranks the entries of one list for a message (build once per list, then reuse)."""

    def __init__(
        self,
        entries: Sequence[Entry],
        vocabulary: Iterable[str] = (),
        spellings: Mapping[str, str] | None = None,
    ) -> None:
        weighed: list[tuple[str, dict[str, float]]] = []
        spelt: dict[str, str] = dict(spellings or {})
        for entry in entries:
            weights: dict[str, float] = {}
            for text, weight in entry.texts:
                for feature in features(text):
                    if weights.get(feature, 0.0) < weight:
                        weights[feature] = weight
                spelt.update(plain_words(text))
            weighed.append((entry.key, weights))
        self._build(weighed, vocabulary, spelt)

    @classmethod
    def of_features(
        cls,
        entries: Sequence[tuple[str, dict[str, float]]],
        vocabulary: Iterable[str] = (),
        spellings: Mapping[str, str] | None = None,
    ) -> ListIndex:
        """An index of entries whose features are already known (feature → weight).

        ``spellings`` maps the words the entries were written with to their stems, so
        typos are corrected on whole words.
        """
        index = cls.__new__(cls)
        index._build(entries, vocabulary, dict(spellings or {}))
        return index

    def _build(
        self,
        entries: Sequence[tuple[str, dict[str, float]]],
        vocabulary: Iterable[str],
        spellings: dict[str, str],
    ) -> None:
        self.keys: tuple[str, ...] = tuple(key for key, _ in entries)
        self.weights: list[dict[str, float]] = [weights for _, weights in entries]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, weights in enumerate(self.weights):
            for feature, weight in weights.items():
                postings[feature].append((position, weight))
        self.postings = dict(postings)
        total = max(len(entries), 1)
        self.idf = {f: math.log(1.0 + total / len(p)) for f, p in self.postings.items()}
        self._default_idf = math.log(1.0 + total)
        known = set(self.postings) | set(vocabulary)
        self.known = frozenset(known)
        # Words as spelt → stem, for those whose stem is known; stems spell themselves.
        self.spellings = {word: stem for word, stem in spellings.items() if stem in known}
        by_letter: dict[str, set[str]] = defaultdict(set)
        sounds: dict[str, set[str]] = defaultdict(set)
        for feature in known:
            heard = sound(feature)
            if heard is not None:
                sounds[heard].add(feature)
            elif feature.isascii() and feature.isalpha() and len(feature) >= MIN_TYPO_CHARS - 1:
                by_letter[feature[0]].add(feature)
        for word in self.spellings:
            if len(word) >= MIN_TYPO_CHARS - 1:
                by_letter[word[0]].add(word)
        # Sorted: a typo equally near two words must find the same one in every process.
        self._by_letter = {letter: tuple(sorted(words)) for letter, words in by_letter.items()}
        self._sounds = {heard: tuple(sorted(found)) for heard, found in sounds.items()}

    def idf_of(self, feature: str) -> float:
        """How telling a feature is in this list (a feature no entry has: as rare as can be)."""
        return self.idf.get(feature, self._default_idf)

    def resolve(
        self, found: Iterable[str], spelt: Mapping[str, str] | None = None
    ) -> dict[str, float]:
        """Features of a message → features this index knows, with how sure each is.

        Known features count fully; an unknown English word becomes the known word one
        or two edits away (compared as written when ``spelt`` — the message's
        :func:`plain_words` — says how), an unknown Chinese pair every known pair that
        sounds the same.
        """
        written = {stem: word for word, stem in (spelt or {}).items()}
        resolved: dict[str, float] = {}
        for feature in found:
            for known, confidence in self._alternatives(feature, written.get(feature, feature)):
                if resolved.get(known, 0.0) < confidence:
                    resolved[known] = confidence
        return resolved

    def _alternatives(self, feature: str, word: str) -> list[tuple[str, float]]:
        if feature in self.known:
            return [(feature, 1.0)]
        heard = sound(feature)
        if heard is not None:
            # An IME slip changes a character, rarely all of them: a pair that only sounds
            # like a known one (罗湖 / 落户, 确实 / 雀屎) is another word, not a typo.
            return [
                (alike, SOUND_CONFIDENCE)
                for alike in self._sounds.get(heard, ())
                if any(a == b for a, b in zip(alike, feature, strict=False))
            ]
        if len(word) < MIN_TYPO_CHARS or not word.isascii() or not word.isalpha():
            return []
        best = self._nearest_word(word)
        if best is None:
            # A slip in the first letter ("streetlite" is fine, "ptohole" is not): a swap
            # of the first two letters is still caught.
            swapped = word[1] + word[0] + word[2:]
            match = self.spellings.get(swapped, swapped if swapped in self.known else None)
            return [(match, TYPO_CONFIDENCE)] if match else []
        return [(self.spellings.get(best, best), TYPO_CONFIDENCE)]

    def _nearest_word(self, word: str) -> str | None:
        """The known word fewest edits from ``word`` (within :func:`_max_edits`), if any.

        Among equally near ones a word some entry is written with wins over a feature
        that only joins two words: "abandonded" is one edit from "abandoned" and from
        "abandonde" (a French term's "abandon" + "de"), and means the first.
        """
        near = process.extract(
            word,
            self._by_letter.get(word[0], ()),
            scorer=OSA.distance,
            score_cutoff=_max_edits(word),
            limit=None,
        )
        if not near:
            return None
        fewest = min(distance for _, distance, _ in near)
        closest = sorted(found for found, distance, _ in near if distance == fewest)
        spelt = [found for found in closest if found in self.spellings]
        return (spelt or closest)[0]

    def scores(self, resolved: Mapping[str, float]) -> dict[int, float]:
        """Entry position → how well the resolved features point at it (0 when not at all)."""
        totals: dict[int, float] = defaultdict(float)
        for feature, confidence in resolved.items():
            postings = self.postings.get(feature)
            if not postings:
                continue
            weight = confidence * self.idf[feature]
            for position, field_weight in postings:
                totals[position] += weight * field_weight
        return dict(totals)
