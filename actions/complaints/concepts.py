"""The bilingual concept lexicon: what residents report, named in Chinese and English.

Why it exists: a US city's ``services.json`` says "Street Light Out" and a resident
writes "路灯不亮了"; a Chinese city's list says 占道经营 and a resident writes "street
vendors blocking the pavement". No spelling links the two, a concept does: 路灯 ↔
streetlight. The lexicon (``lexicon/concepts.yml``, sources in its README) is data a
city can extend; this module finds the concepts a message mentions, with the same typo
and homophone tolerance as every other match, and hands their terms in both languages
to the service matcher.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.matching.features import features
from bot.matching.terms import TermFinder, TermHit

#: libyaml's loader when PyYAML has it (the lexicon is large), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
#: The lexicon's files: things residents report, and the states they report them in.
LEXICON_FILES = ("concepts.yml", "states.yml")
#: Files that add terms to existing concepts (``more:`` lists of ``{id, zh, en}``).
MORE_TERMS = "more-*.yml"
#: How much longer than its term a find may be and still hide the finds inside it.
MAX_SPREAD_CHARS = 6
#: How many characters may stand inside a find gathered from its words and still hide
#: the finds inside it.
GAP_CHARS = 2
#: Keys of a concept that are not terms.
_NOT_TERMS = frozenset({"id", "related", "weight", "note", "source"})


@dataclass(frozen=True)
class Concept:
    """One thing residents report, with the words for it in both languages."""

    id: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    #: Terms in other languages a city's list may be written in ("fi", "de", "es" …).
    other: tuple[str, ...] = ()
    #: How much a mention counts (states such as "broken" count less than things).
    weight: float = 1.0
    #: Neighbouring concepts (``related`` in the lexicon): the broader or sibling
    #: things a city may file this under when it has no service of its own for it.
    related: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return self.zh + self.en + self.other


@dataclass(frozen=True)
class ConceptHit:
    """A concept a message mentions, and how surely (1.0: a term written exactly)."""

    concept: Concept
    strength: float
    term: str
    #: Where in the message the term was found.
    start: int = 0
    end: int = 0


class LexiconError(ValueError):
    """The lexicon file is not what this module expects; the message says where."""


def parse_lexicon(document: Mapping[str, Any]) -> tuple[Concept, ...]:
    """Concepts from the parsed YAML, checked so a typo fails at start-up."""
    concepts: list[Concept] = []
    seen: set[str] = set()
    for raw in document.get("concepts") or ():
        if not isinstance(raw, Mapping) or not raw.get("id"):
            raise LexiconError(f"a concept has no id: {raw!r}")
        concept_id = str(raw["id"])
        if concept_id in seen:
            raise LexiconError(f"concept {concept_id!r} appears twice")
        seen.add(concept_id)
        zh = tuple(str(t).strip() for t in raw.get("zh") or () if str(t).strip())
        en = tuple(str(t).strip().lower() for t in raw.get("en") or () if str(t).strip())
        if not zh or not en:
            raise LexiconError(f"concept {concept_id!r} needs zh and en terms")
        other = tuple(
            str(t).strip().lower()
            for key, terms in raw.items()
            if key not in _NOT_TERMS and key not in ("zh", "en") and isinstance(terms, list)
            for t in terms
            if str(t).strip()
        )
        try:
            weight = float(raw.get("weight", 1.0))
        except (TypeError, ValueError):
            raise LexiconError(f"concept {concept_id!r}: weight must be a number") from None
        related = tuple(str(r) for r in raw.get("related") or ())
        concepts.append(Concept(concept_id, zh, en, other, weight, related))
    for concept in concepts:
        unknown = [r for r in concept.related if r not in seen]
        if unknown:
            raise LexiconError(f"concept {concept.id!r}: no related concept {unknown[0]!r}")
    return tuple(concepts)


@lru_cache(maxsize=1)
def lexicon() -> ConceptFinder:
    """The shipped lexicon, read once per process."""
    concepts: list[Concept] = []
    for name in LEXICON_FILES:
        text = (LEXICON_DIR / name).read_text(encoding="utf-8")
        document = yaml.load(text, Loader=_LOADER) or {}
        concepts.extend(parse_lexicon(document))
    for path in sorted(LEXICON_DIR.glob(MORE_TERMS)):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        concepts = with_more_terms(concepts, document, path.name)
    return ConceptFinder(concepts)


def with_more_terms(
    concepts: Sequence[Concept], document: Mapping[str, Any], where: str
) -> list[Concept]:
    """Concepts with the terms a ``more-*.yml`` file adds to them by id (``zh``/``en`` lists).

    More words for existing concepts live in files of their own, so a city (or a
    contributor) can add its residents' words without editing the shared lexicon.
    """
    by_id = {concept.id: concept for concept in concepts}
    for raw in document.get("more") or ():
        concept = by_id.get(str(raw.get("id"))) if isinstance(raw, Mapping) else None
        if concept is None:
            raise LexiconError(f"{where}: no concept {raw!r} to add terms to")
        zh = tuple(str(t).strip() for t in raw.get("zh") or () if str(t).strip())
        en = tuple(str(t).strip().lower() for t in raw.get("en") or () if str(t).strip())
        by_id[concept.id] = Concept(
            concept.id,
            concept.zh + tuple(t for t in zh if t not in concept.zh),
            concept.en + tuple(t for t in en if t not in concept.en),
            concept.other,
            concept.weight,
            concept.related,
        )
    return [by_id[concept.id] for concept in concepts]


def _only_a_whole_terms_words(hit: TermHit, hits: Sequence[TermHit]) -> bool:
    """Whether a term found with words missing was found by another concept's term,
    written whole over the same words: "the seats at the bus stop" has "bus stop" whole,
    and so "parked at bus stop" and "smoking at the bus stop" only partly."""
    return hit.partial and any(
        other.label != hit.label
        and not other.partial
        and not other.gapped
        # written together, not gathered from words far apart ("water … drain")
        and other.end - other.start <= len(other.term) + MAX_SPREAD_CHARS
        and other.start <= hit.start
        and hit.end <= other.end
        for other in hits
    )


def _inside_a_longer(hit: TermHit, hits: Sequence[TermHit]) -> bool:
    """Whether another concept's term covers this one's words and more.

    "垃圾" inside "乱倒垃圾" is illegal dumping, not also uncollected rubbish and litter.
    """
    return any(
        other.label != hit.label
        # found as written, or with a character or two between and from the same first
        # word ("行人路都過唔到" for 行人过唔到 hides 行人路; "后巷乱倒垃圾" for 后巷垃圾
        # does not hide 乱倒垃圾), not gathered from words far apart ("garbage … on our
        # street" must not hide "garbage didnt get picked up")
        and (
            not other.gapped
            or (other.end - other.start <= len(other.term) + GAP_CHARS and other.start == hit.start)
        )
        and other.end - other.start <= len(other.term) + MAX_SPREAD_CHARS
        and other.start <= hit.start
        and hit.end <= other.end
        and other.end - other.start > hit.end - hit.start
        # a longer term than this one ("晚上施工" found as 施工…晚上 around 施工告示牌 does
        # not hide 没有施工告示牌: its span holds this term, its words do not)
        and len(other.term) > len(hit.term)
        for other in hits
    )


class ConceptFinder:
    """Finds the concepts of a lexicon in a message."""

    def __init__(self, concepts: Sequence[Concept]) -> None:
        self.concepts = tuple(concepts)
        self._by_id = {concept.id: concept for concept in self.concepts}
        # Residents write Chinese or English: the terms in other languages are for finding
        # a city's services written in them, never looked for in a message ("haies",
        # French for hedges, was found in "Hing Hay Park").
        self._terms = TermFinder([(term, c.id) for c in self.concepts for term in (*c.zh, *c.en)])

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every feature of every term (so a service index can correct towards them too)."""
        return self._terms.vocabulary

    @functools.cached_property
    def features_of_every_language(self) -> frozenset[str]:
        """Every feature of every term, the other languages' too: the words a city's
        list may be written in (for completing its shortened compounds)."""
        return frozenset(f for c in self.concepts for term in c.terms for f in features(term))

    def knows_word(self, word: str) -> bool:
        """Whether ``word`` is a word of some term, in any language ("Straßenschäden")."""
        found = features(word)
        return bool(found) and all(f in self.features_of_every_language for f in found)

    @property
    def spellings(self) -> dict[str, str]:
        """The terms' words as spelt → their stems."""
        return self._terms.spellings

    def states(self) -> tuple[Concept, ...]:
        """The states ("broken", 坏了): concepts that weigh less than a thing."""
        return tuple(concept for concept in self.concepts if concept.weight < 1.0)

    def by_id(self, concept_id: str) -> Concept | None:
        """The concept of that id, if the lexicon has it."""
        return self._by_id.get(concept_id)

    def find(self, text: str) -> list[ConceptHit]:
        """The concepts ``text`` mentions, strongest first (one hit per concept)."""
        hits = self._terms.find(text)
        found = [
            ConceptHit(
                self._by_id[hit.label],
                hit.strength * aside_share(text, hit.start, hit.end),
                hit.term,
                hit.start,
                hit.end,
            )
            for hit in hits
            if not _only_a_whole_terms_words(hit, hits)
            and not _inside_a_longer(hit, hits)
            # "路灯坏了" is the streetlight and says it is broken: a state inside a
            # thing's term still tells that thing's services apart ("… schadhaft").
            or (
                self._by_id[hit.label].weight < 1.0
                and not _inside_a_longer(hit, [h for h in hits if self._is_state(h.label)])
            )
        ]
        return sorted(found, key=lambda hit: -hit.strength)

    def _is_state(self, concept_id: str) -> bool:
        return self._by_id[concept_id].weight < 1.0


#: What a thing named only as where something is counts for: "人行道上有一隻死貓" is a dead
#: cat, on the sidewalk; "on the sidewalk" alike.
WHERE_SHARE = 0.75
#: What the resident's own thing the problem happened to counts for: "my bike".
VICTIM_SHARE = 0.5
_LOCATIVE_AFTER = re.compile(r"^\s*(?:上|里|裡|边|邊|旁边|旁邊|附近|门口|門口|对面|對面)")
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:on|in|at|along|across|near|beside|by|over|under|onto|outside|behind"
    r"|in front of|next to|close to|across from|opposite)\s+"
    r"(?:the|a|our|my)\s+(?:[a-z]+\s+)?$",
    re.IGNORECASE,
)


def said_as_where(text: str, start: int, end: int) -> bool:
    """The term is named as where ("人行道上", "on the sidewalk"), not as what is wrong."""
    return bool(_LOCATIVE_AFTER.match(text[end : end + 3])) or bool(
        _LOCATIVE_BEFORE.search(text[max(0, start - 20) : start])
    )


def aside_share(text: str, start: int, end: int) -> float:
    """What a term counts for by how it is said: in full as what is wrong; three quarters
    as where ("on the sidewalk"); half as what the problem happened to ("came off my
    bike", "hit it with my car")."""
    if _VICTIM_BEFORE.search(text[max(0, start - 24) : start]):
        return VICTIM_SHARE
    return WHERE_SHARE if said_as_where(text, start, end) else 1.0


#: "nearly came off my bike", "hit it with my car", "blew my tyre": the resident's own
#: vehicle, what the problem did something to, not what is reported.
_VICTIM_BEFORE = re.compile(
    r"\b(?:off|on|with|in|into|under|from)\s+(?:my|our|his|her|their)\s+(?:[a-z]+\s+)?$"
    # "我骑摩托差点摔倒", "我開緊車", "我嘅單車": the resident riding or driving their own
    r"|(?:我|我们|我哋|我們)(?:的|嘅)?(?:骑|騎|开|開|踩|揸|坐)?(?:着|著|住|紧|緊)?$",
    re.IGNORECASE,
)
