"""Finding known terms inside a message, each with its label and where it was written.

A term list is phrases with labels: the concept lexicon (路灯 → streetlight), the NLU's
entity vocabulary ("HK travel pass" → hk_macau_travel_permit). A term is found when
the message has (nearly) all of its features — typos and pinyin homophones forgiven
by the index, word order free, other words in between allowed — so "居住證" (Traditional),
"居住正" (an IME slip) and "my residense permit" all find their term. The span covers
the message's features that made the match, so an entity can point at the resident's
own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.matching.features import located_features, plain_words
from bot.matching.index import ListIndex, sound

#: Share of a term's (rarity-weighted) features a message must have for the term to count.
MIN_TERM_COVERAGE = 0.74
#: How sure a term of one English word is, against a phrase or a Chinese term.
SINGLE_WORD_STRENGTH = 0.85
#: The most a long term counts for over a two-character or two-word one.
MAX_SPECIFICITY = 1.3
#: A Chinese term written in two pieces with a few characters between them ("污水…倒灌"
#: for 污水倒灌): the most characters between, and how sure such a find is.
MAX_GAP_CHARS = 6
BRIDGED_STRENGTH = 0.9
#: Coverage from which a term counts as found whole (rounding aside).
FULL_COVERAGE = 0.999


@dataclass(frozen=True)
class TermHit:
    """A term found in a message: its label, how surely (0–1), and the span it covers."""

    label: str
    term: str
    strength: float
    start: int
    end: int
    #: Written in two pieces with other words between ("污水…倒灌"): its span covers
    #: words that are not the term's, so it hides no other term found inside it.
    gapped: bool = False
    #: Found with some of its words missing ("parked at bus stop" in "the seats at the
    #: bus stop"): a term found whole over the same words says more surely what they are.
    partial: bool = False


class TermFinder:
    """Finds the terms of one list in messages (build once, then reuse)."""

    def __init__(self, terms: Sequence[tuple[str, str]]) -> None:
        """``terms``: (term, label) pairs; a term without features is ignored."""
        located = [(term, label, located_features(term)) for term, label in terms]
        kept = [(term, label, found) for term, label, found in located if found]
        self.labels = [label for _, label, _ in kept]
        self._features = [tuple(sorted({f for f, _, _ in found})) for _, _, found in kept]
        # Each term's Chinese character pairs by where they start in it, for bridging.
        self._pairs = [
            {start: feature for feature, start, _ in found if sound(feature)}
            for _, _, found in kept
        ]
        spellings: dict[str, str] = {}
        for term, _, _ in kept:
            spellings.update(plain_words(term))
        self.index = ListIndex.of_features(
            [
                (term, {feature: 1.0 for feature in words})
                for (term, _, _), words in zip(kept, self._features, strict=True)
            ],
            spellings=spellings,
        )

    @property
    def spellings(self) -> dict[str, str]:
        """The words of the terms as spelt → their stems (for another index's typo fixing)."""
        return self.index.spellings

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every feature of every term (so another index can correct towards them too)."""
        return self.index.known

    def find(self, text: str) -> list[TermHit]:
        """The best hit per label, strongest first."""
        located = located_features(text)
        spelt = plain_words(text)
        resolved: dict[str, float] = {}
        where: dict[str, list[tuple[int, int]]] = {}
        for feature, start, end in located:
            for known, confidence in self.index.resolve([feature], spelt).items():
                if resolved.get(known, 0.0) < confidence:
                    resolved[known] = confidence
                where.setdefault(known, []).append((start, end))
        best: dict[str, TermHit] = {}
        for position, score in self.index.scores(resolved).items():
            term_features = self._features[position]
            full = sum(self.index.idf_of(f) for f in term_features)
            coverage = score / full if full else 0.0
            bridged = 1.0
            if coverage < MIN_TERM_COVERAGE and self._pairs[position]:
                gained = self._bridged(self._pairs[position], resolved, where)
                if gained and (score + gained) / full >= MIN_TERM_COVERAGE:
                    coverage, bridged = (score + gained) / full, BRIDGED_STRENGTH
            if coverage < MIN_TERM_COVERAGE:
                continue
            spans = [span for f in term_features for span in where.get(f, ())]
            start = min((s for s, _ in spans), default=0)
            end = max((e for _, e in spans), default=0)
            # A single English word is less sure than a phrase ("light" < "street light");
            # a Chinese term is at least a pair of characters (路灯, 大坑) and specific.
            term = self.index.keys[position]
            single_word = len(term_features) == 1 and not sound(next(iter(term_features)))
            # A longer term found is more specific evidence ("乱倒垃圾" beats "后巷").
            specific = min(MAX_SPECIFICITY, 1.0 + 0.1 * (len(term_features) - 1))
            strength = min(coverage, 1.0) * (SINGLE_WORD_STRENGTH if single_word else specific)
            strength *= bridged
            label = self.labels[position]
            current = best.get(label)
            longer = (
                current is not None
                and strength == current.strength
                and (end - start > current.end - current.start)
            )
            if current is None or strength > current.strength or longer:
                best[label] = TermHit(
                    label, term, strength, start, end, bridged < 1.0, coverage < FULL_COVERAGE
                )
        return sorted(best.values(), key=lambda hit: (-hit.strength, hit.start, hit.label))

    def _bridged(
        self,
        pairs: dict[int, str],
        resolved: dict[str, float],
        where: dict[str, list[tuple[int, int]]],
    ) -> float:
        """Rarity-weighted credit for a Chinese term's pairs that span where a message
        split the term.

        "污水从市政管道倒灌" has 污水 and 倒灌 but not 水倒, the pair that only joins
        the term's two words; when the pairs on both sides of a missing one are in
        the message, in order and at most :data:`MAX_GAP_CHARS` apart, the missing
        pair counts as found (as surely as the weaker side).
        """
        gained = 0.0
        for start, pair in pairs.items():
            if pair in resolved:
                continue
            left, right = pairs.get(start - 1), pairs.get(start + 1)
            if left is None or right is None or left not in resolved or right not in resolved:
                continue
            if any(
                0 <= r_start - l_end <= MAX_GAP_CHARS
                for _, l_end in where.get(left, ())
                for r_start, _ in where.get(right, ())
            ):
                gained += self.index.idf_of(pair) * min(resolved[left], resolved[right])
        return gained
