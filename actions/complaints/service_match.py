"""Which of the city's services a resident's description is about, ranked.

The city's ``services.json`` is the only list: its names, keywords, groups and
descriptions, in whatever language the city wrote them. A message is matched two ways
at once, and the two add up:

* directly, by the features it shares with each service (rarer shared features count
  more; typos and pinyin homophones forgiven — ``bot.matching``);
* through the concept lexicon: "路灯不亮" mentions the concept streetlight, whose
  English terms "street light" are then looked for in each service, so a Chinese
  message finds an English-only list's "Street Light Out" (and the other way round).

The result is a :class:`Ranking` the form acts on: one confident service (used, and
changeable in the summary), a close call (the top few asked as buttons), or nothing.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from actions.clients.open311 import Open311Service, match_service
from actions.complaints.concepts import (
    Concept,
    ConceptFinder,
    ConceptHit,
    aside_share,
    lexicon,
)
from actions.complaints.streets_en import street_spots, streets_with_kind
from actions.complaints.streets_local import local_street_spans
from bot.language.mixed_script import mixed_pattern
from bot.matching.elisions import written_out
from bot.matching.features import features, fold, located_features, plain_words
from bot.matching.index import Entry, ListIndex

#: What each part of a service counts for when matching.
NAME_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.9
DESCRIPTION_WEIGHT = 0.45
GROUP_WEIGHT = 0.3
#: A concept term found whole in a service's name counts as much as this many IDF units.
CONCEPT_WEIGHT = 3.5
#: How much a related concept counts when the concept a message names reaches no service
#: ("stray dog" in a list that only has "Animal Control … stray animals").
RELATED_SHARE = 0.6
#: A one-word term of a list's language this long is a compound ("straßenschäden"): as
#: sure of its thing as a phrase of several words, so a related concept may reach a
#: service by it ("pothole" where the only road service is "Straßen- und Gehwegschäden").
#: English words this long are not ("construction" is in "Construction Plate Shifted").
COMPOUND = 10
#: How much of a concept's term a service must have to be reached by it; for telling a
#: resident the list has nothing for what they report, a stand-in (related) concept's
#: phrase must be there nearly whole to count as something.
MIN_COVER = 0.5
#: A list no finer than the model's own complaint categories (the sample city's seven,
#: and a few more): there the model's reading of a whole message is as fine as the list.
COARSE_LIST = 12
#: The model's category settles a close call only for a service scoring this share of the
#: top one: "broken traffic light" is Traffic Signals, whatever "streetlight" the model saw.
HINT_SETTLES_SHARE = 0.9
#: What a concept's other one-word terms count for against its name (its first term).
ALIAS_SHARE = 0.9
RELATED_MIN_COVER = 0.75
#: How much a word counts directly when a concept found around it already reached a service.
EXPLAINED_SHARE = 0.4
#: A possessive opening a state's term: the owner's thing follows.
_OWNED = re.compile(r"^(?:my|our|your|his|her|their|我的|我们的|我家|我们|我)\s*\S", re.IGNORECASE)
#: How surely a service's name must name a thing (a whole phrase of the lexicon, not one
#: loose word) for that thing to tell equal scores apart.
NAMED_THING_STRENGTH = 1.0
#: Scores equal to this many decimals are equal.
TIE_DECIMALS = 2
#: Services within this share of the best score are tied: a state only a description
#: names may tell them apart.
TIE_SHARE = 0.98
#: Below this score nothing is a match; at or above CONFIDENT (with a clear lead) one is.
MIN_SCORE = 1.6
CONFIDENT_SCORE = 3.0
#: The runner-up must score below this share of the top for the top to be taken alone.
CLEAR_LEAD = 0.7
#: Candidates shown for a close call, and how close to the top they must score.
MAX_CANDIDATES = 5
CANDIDATE_SHARE = 0.45
#: How surely a thing must be named to be told it is not on the list (a single English
#: word is found at 0.85, a typo or a partial phrase less surely).
UNLISTED_STRENGTH = 0.85
#: Words that deny what follows, in a service's name or a message.
_NEGATIONS = frozenset({"not", "non", "no", "un"})
_DENIED_BEFORE = mixed_pattern(
    r"(?:\b(?:not|no|nothing|isn'?t|wasn'?t|without|non)|不是|没有|冇|唔係|并非)"
    r"(?:\s+(?:really|very|at all|that|too|so)\b)?[\s-]*$",
    re.IGNORECASE,
)
#: The longest span of the resident's words shown as the thing not on the list.
MAX_SHOWN_THING = 24
#: How many things a message names that the list lacks are named back.
MAX_SHOWN_THINGS = 2
#: Characters between two things told together.
MAX_GAP_BETWEEN_THINGS = 8
#: Codes and names that mean "anything else" in a city's list.
_OTHER = (
    "other", "others", "general", "misc", "miscellaneous", "其他", "其它", "其他问题",
    # Boston's "General request" (code BOS311GEN), "General inquiry" elsewhere
    "general request", "general inquiry", "general enquiry", "general service request",
)  # fmt: skip
#: How "anything else" services start in the lists' languages: Helsinki's "Muu
#: korjattava asia" (something else to fix), "Övrigt", "Sonstiges", "Otros", "Autre".
_OTHER_STARTS = (
    "other ", "其他", "muu ", "muut ", "övrigt", "övriga", "annat ", "sonstig", "andere ",
    "otro", "otros ", "otra ", "autre", "autres ",
)  # fmt: skip


#: A street address in English ("5 Fuhua Road", "on Elm St"): where, not what. Its street
#: word must not vote for the city's road services.
_ADDRESS = mixed_pattern(
    r"(?:\b\d+[A-Za-z]?\s+)?(?:\b[A-Z][\w'.-]*\s+){1,3}"
    r"(?i:road|rd|street|st|avenue|ave|boulevard|blvd|lane|ln|drive|dr|way|place|pl|"
    r"court|ct|highway|hwy|square|sq|terrace|parkway|pkwy)\b\.?"
    r"(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
)


#: "on our block", "the whole block", "two blocks down": a stretch of street, not
#: something blocked. Its word must not vote for the city's "Blocked Street" service.
_CITY_BLOCK = mixed_pattern(
    r"(?i)\b(?:our|my|the|this|that|whole|same|next|entire|every|each|a|one|two|three|"
    r"four|five|\d+)\s+(?:(?:whole|entire|same|next|city|residential|\d+\w*)\s+)?blocks?\b"
    r"(?!\s*(?:ed|ing)\b)"
)


def without_addresses(text: str) -> str:
    """``text`` with street addresses and city blocks blanked out (same length, so
    offsets still hold): "712 e 4th st", "24th and harrison" too, and a street named with
    its kind after "on"/"at" ("on snow hill st": no snow is reported; ``streets_en``)."""
    blanked = list(_CITY_BLOCK.sub(_blank, _ADDRESS.sub(_blank, text)))
    for start, end in street_spots("".join(blanked)):
        blanked[start:end] = " " * (end - start)
    for start, end in streets_with_kind("".join(blanked)):
        blanked[start:end] = " " * (end - start)
    for start, end in local_street_spans("".join(blanked)):
        # "Via Foria", "Corso Garibaldi": a street named kind first names no problem.
        blanked[start:end] = " " * (end - start)
    return "".join(blanked)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


class Verdict(str, Enum):
    CONFIDENT = "confident"
    CLOSE_CALL = "close_call"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Ranking:
    """The services a message may be about, best first, and what the form should do."""

    verdict: Verdict
    candidates: tuple[tuple[Open311Service, float], ...]

    @property
    def best(self) -> Open311Service | None:
        return self.candidates[0][0] if self.candidates else None

    @property
    def codes(self) -> list[str]:
        return [service.service_code for service, _ in self.candidates]


class ServiceMatcher:
    """Ranks one service list for messages (built once per list: see :func:`matcher_for`)."""

    def __init__(self, services: Sequence[Open311Service], concepts: ConceptFinder) -> None:
        self.services = tuple(services)
        self.concepts = concepts
        # "Straßen- und Gehwegschäden" is read as Straßenschäden and Gehwegschäden.
        whole = functools.partial(written_out, known=concepts.knows_word)
        entries = [
            Entry(
                service.service_code,
                (
                    *(
                        (whole(part), weight)
                        for part, weight in _what_and_where(service.service_name.replace("_", " "))
                    ),
                    (" , ".join(service.keywords), KEYWORD_WEIGHT),
                    (whole(service.description), DESCRIPTION_WEIGHT),
                    (whole(service.group), GROUP_WEIGHT),
                ),
            )
            for service in self.services
        ]
        self.index = ListIndex(
            entries, vocabulary=concepts.vocabulary, spellings=concepts.spellings
        )
        self._concept_covers: dict[str, dict[int, float]] = {}
        #: Each service's name, as features (for telling equal scores apart).
        self._name_features = [
            frozenset(f for f, weight in self.index.weights[p].items() if weight >= NAME_WEIGHT)
            for p in range(len(self.services))
        ]
        #: Words of the states ("not working", "broken"): never what a phrase is about.
        # (Not the things of "my fence", "my wall", "我家墙": those say whose thing it is, and
        # their thing is still a thing: "fence" must carry "Fences".)
        self.state_features = frozenset(
            feature
            for concept in concepts.states()
            for term in concept.terms
            if not _OWNED.match(term)
            for feature in _term_features(term)
        )

    @functools.cached_property
    def _things_named(self) -> list[frozenset[str]]:
        """Each service's name's things (concepts, not states): "Water Quality" names
        water quality, "Water Utility Problems" names nothing in particular."""
        return [
            frozenset(
                hit.concept.id
                for hit in self.concepts.find(service.service_name.replace("_", " "))
                if hit.concept.weight >= 1.0 and hit.strength >= NAMED_THING_STRENGTH
            )
            for service in self.services
        ]

    def _told(self, text: str, found: Sequence[ConceptHit] | None = None) -> set[str]:
        """The features a message says: its own words and the terms it was found by.

        ``found``: the message's concepts when already looked up (one lookup per ranking).
        """
        told = set(plain_words(text))
        for hit in self.concepts.find(text) if found is None else found:
            told.update(_term_features(hit.term))
            for names in (hit.concept.en, hit.concept.zh):
                if names:  # the thing's own name in each language ("街燈" is a street light)
                    told.update(_term_features(names[0]))
        for feature, _, _ in located_features(text):
            told.add(feature)
        return told

    def scores(self, text: str, hint: str = "") -> dict[int, float]:
        """Service position → score for a message (and an optional category hint)."""
        return self._scored(text, hint)[0]

    def _scored(
        self, text: str, hint: str
    ) -> tuple[dict[int, float], set[int], set[int], list[ConceptHit]]:
        """Scores, the services the message names rather than only echoes, those it
        names itself rather than through a related concept, and the concepts found.

        A service is *anchored* when the message shares a word with its name or
        keywords, or mentions one of its concepts; a word found only in a long
        description ("leave" in "trash left out") ranks but never decides alone. A
        service reached only through a related concept is anchored but not *named*:
        it may be offered, never taken without asking.
        """
        query = f"{text} {hint.replace('_', ' ')}" if hint else text
        found = self.concepts.find(query)
        hits = [hit for hit in found if hit.concept.weight >= 1.0]
        states = [hit for hit in found if hit.concept.weight < 1.0]
        concept_scores, reached = self._concept_scores(hits)
        named = set(concept_scores)
        stranded = [hit for hit in hits if hit.concept.id not in reached]
        if stranded:
            related = self._related(stranded, hits)
            for position, score in self._concept_scores(related, phrases_only=True)[0].items():
                concept_scores[position] = concept_scores.get(position, 0.0) + score
        # Words inside a concept's term that reached a service are mostly the concept's
        # to score: "light" in "traffic light" must not vote much for "Street Lights".
        explained = [(hit.start, hit.end) for hit in hits if hit.concept.id in reached]
        # A state's words too: "working" in "not working" is no vote for "Public Works"
        # (the state itself counts below, for the services the message already fits).
        explained += [(hit.start, hit.end) for hit in states]
        resolved: dict[str, float] = {}
        spelt = plain_words(query)
        for feature, start, end in located_features(query):
            share = EXPLAINED_SHARE if any(s <= start and end <= e for s, e in explained) else 1.0
            # "bins sitting out on the curb": the curb is where, not what; "came off my
            # bike": the bike is what it happened to.
            share *= aside_share(query, start, end)
            for known, confidence in self.index.resolve([feature], spelt).items():
                resolved[known] = max(resolved.get(known, 0.0), confidence * share)
        totals = self.index.scores(resolved)
        # A state's word alone ("broken" of "the swing is broken") anchors no service, even
        # one whose name has it ("Broken sidewalk"): it says how, not what.
        anchored = {
            position
            for position in totals
            if any(
                self.index.weights[position].get(f, 0.0) >= KEYWORD_WEIGHT
                for f in resolved
                if f not in self.state_features
            )
        }
        named |= anchored
        for position, score in concept_scores.items():
            totals[position] = totals.get(position, 0.0) + score
            anchored.add(position)
        # A state ("broken", 坏了) only tells apart services the message already fits;
        # a state the message denies ("nothing offensive") counts for the services whose
        # name denies it ("Graffiti - Private - Not_Offensive"), and only for those.
        # A state only in a description ("Report hazardous sidewalks and curbs") breaks a
        # tie between services of one thing, and does nothing else.
        tied = max(totals.values(), default=0.0) * TIE_SHARE
        for hit in states:
            denied = bool(_DENIED_BEFORE.search(query[max(0, hit.start - 16) : hit.start]))
            in_names = self._concept_scores([hit])[0]
            described = self._concept_scores([hit], min_cover=DESCRIPTION_WEIGHT)[0]
            for position, score in described.items():
                before = totals.get(position, 0.0)
                if before <= 0 or denied != self._denies(position, hit.concept):
                    continue
                if position in in_names or before >= tied:
                    totals[position] = before + score
        return totals, anchored, named, found

    def _denies(self, position: int, concept: Concept) -> bool:
        """Whether the service's name says "not" before one of the concept's words."""
        words = re.findall(r"[a-z]+", self.services[position].service_name.lower())
        terms = set(concept.en)
        return any(
            word in _NEGATIONS and following in terms
            for word, following in zip(words, words[1:], strict=False)
        )

    def _related(
        self, stranded: Sequence[ConceptHit], hits: Sequence[ConceptHit]
    ) -> list[ConceptHit]:
        """Stand-ins for concepts the list has no words for: their related concepts.

        A city with one "Animal Control" service has no words for a stray dog; the
        lexicon's related concepts (stray animal) carry the message there, counting
        less than a concept the resident named. Concepts the message names itself
        are not added twice.
        """
        named = {hit.concept.id for hit in hits}
        found: dict[str, ConceptHit] = {}
        for hit in stranded:
            for concept_id in hit.concept.related:
                concept = self.concepts.by_id(concept_id)
                if concept is None or concept_id in named:
                    continue
                strength = hit.strength * RELATED_SHARE
                if concept_id not in found or found[concept_id].strength < strength:
                    found[concept_id] = ConceptHit(concept, strength, hit.term, hit.start, hit.end)
        return list(found.values())

    def _concept_scores(
        self, hits: Sequence[ConceptHit], phrases_only: bool = False, min_cover: float = MIN_COVER
    ) -> tuple[dict[int, float], set[str]]:
        """Each service's best coverage of each mentioned concept's terms, summed; and the
        concepts whose terms some service has.

        Concepts found in the same words (后巷 is alley repair's term and a piece of
        alley cleaning's 后巷…垃圾) vote once for a service, with the stronger of
        their scores: one word, one vote.
        """
        totals: dict[int, float] = {}
        reached: set[str] = set()
        for group in _overlapping(hits):
            scores = self._group_scores(group, reached, phrases_only, min_cover)
            for position, score in scores.items():
                totals[position] = totals.get(position, 0.0) + score
        return totals, reached

    def _covers(
        self, concept: Concept, phrases_only: bool = False, min_cover: float = MIN_COVER
    ) -> dict[int, float]:
        """Service position → how much of the concept's best-covered term it has (0–1),
        for terms it has at least ``min_cover`` of.

        ``phrases_only``: only terms of two or more words count. A related concept
        stands in for one the list has no words for, and its one-word terms are too
        loose for that: "construction" (of construction noise) is in "Construction
        Plate Shifted", "parking" (of illegal parking) in "Damaged Parking Meter".
        Computed once per concept and list: the lexicon and the list do not change
        while the action server runs.
        """
        key = f"{concept.id}\x00{phrases_only}\x00{min_cover}"
        found = self._concept_covers.get(key)
        if found is not None:
            return found
        covers: dict[int, float] = {}
        names = {terms[0] for terms in (concept.zh, concept.en) if terms}
        named = [frozenset(_term_features(name)) for name in names]
        for term in concept.terms:
            phrase = _term_features(term)
            # "broken glass in the playground" is about the playground (the concept's
            # name): a service with "broken glass" and no playground is not covered by it.
            core = frozenset().union(*(name for name in named if name < set(phrase)))
            compound = term in concept.other and len(phrase) == 1 and len(phrase[0]) >= COMPOUND
            if phrases_only and len(phrase) < 2 and not compound:
                continue
            if concept.weight < 1.0 and _OWNED.match(term):
                # "my door", "我家墙" tell a state (it is the resident's own), and their
                # thing is no state word of a service ("Street Light Pole Door Missing").
                continue
            # A service found by the concept's own name ("graffiti") is surer than one
            # found by a lone word it shares with an alias ("Tags" in "DMV - Refunds
            # (License, Registration, Tags)" for "tags").
            share = 1.0 if term in names or len(phrase) > 1 else ALIAS_SHARE
            full = sum(self.index.idf_of(f) for f in phrase)
            if not full:
                continue
            have: dict[int, float] = defaultdict(float)
            things: set[int] = set()
            for feature in phrase:
                idf = self.index.idf_of(feature)
                for position, field_weight in self.index.postings.get(feature, ()):
                    have[position] += idf * field_weight
                    if feature not in self.state_features or concept.weight < 1.0:
                        things.add(position)
            for position, total in have.items():
                if core and not all(
                    any(at == position for at, _ in self.index.postings.get(f, ())) for f in core
                ):
                    continue
                if total / full < min_cover or position not in things:
                    # "work" alone of "ac not working" is in "Public Works Projects":
                    # a state's words never carry a phrase about a thing.
                    continue
                cover = share * total / full
                if cover > covers.get(position, 0.0):
                    covers[position] = cover
        self._concept_covers[key] = covers
        return covers

    def _group_scores(
        self, hits: Sequence[ConceptHit], reached: set[str], phrases_only: bool, min_cover: float
    ) -> dict[int, float]:
        totals: dict[int, float] = {}
        for hit in hits:
            for position, cover in self._covers(hit.concept, phrases_only, min_cover).items():
                if cover > 0:
                    reached.add(hit.concept.id)
                    weight = CONCEPT_WEIGHT * hit.concept.weight
                    score = weight * cover * hit.strength
                    totals[position] = max(totals.get(position, 0.0), score)
        return totals

    def reaches(self, hits: Sequence[ConceptHit]) -> bool:
        """Whether a service of the list has words for any of these concepts."""
        return bool(self._concept_scores(hits)[1])

    def unlisted(self, text: str) -> ConceptHit | None:
        """The first thing the message reports that the list has nothing for (see
        :meth:`unlisted_all`)."""
        found = self.unlisted_all(text)
        return found[0] if found else None

    def unlisted_all(self, text: str) -> list[ConceptHit]:
        """A thing the message reports that no service of the list covers, or None.

        "streetlights been out on cortland ave" in a list without street lights: the
        resident is told the city's list has nothing for it (and who takes it), rather
        than shown services that have nothing to do with it. Only a thing named surely
        (a phrase or a Chinese term, not a lone English word) counts, and only when no
        concept the message names reaches a service.
        """
        found = self.concepts.find(without_addresses(text))
        things = [hit for hit in found if hit.concept.weight >= 1.0]
        if not things:
            return []
        _, reached = self._concept_scores(things)
        if reached:
            return []
        related = self._related(things, things)
        if self._concept_scores(related, phrases_only=True, min_cover=RELATED_MIN_COVER)[1]:
            return []
        # In the order told: "streetlights been out …, pitch black at night".
        return sorted(
            (hit for hit in things if hit.strength >= UNLISTED_STRENGTH), key=lambda h: h.start
        )

    def rank(self, text: str, hint: str = "") -> Ranking:
        """The services ``text`` may be about, and whether one is clear enough to take.

        The resident's own words decide; the NLU's category ``hint`` (a broader word,
        "road damage" for "pothole") is used only when they match nothing.
        """
        text = without_addresses(text)
        ranking = self._rank(text, "")
        if not hint:
            return ranking
        if ranking.verdict is Verdict.NOTHING:
            return self._rank(text, hint)
        if ranking.verdict is Verdict.CLOSE_CALL:
            # The model's category agreeing with one of the close candidates settles it.
            hinted = match_service(hint, self.services)
            top = ranking.candidates[0][1] if ranking.candidates else 0.0
            for service, score in ranking.candidates:
                if service is hinted and score >= top * HINT_SETTLES_SHARE:
                    rest = tuple(c for c in ranking.candidates if c[0] is not service)
                    return Ranking(Verdict.CONFIDENT, ((service, score), *rest))
            if hinted is not None and all(s is not hinted for s, _ in ranking.candidates):
                # The model read the whole message as another category than the few
                # words the list matched: that one is offered too. First on a list as
                # coarse as the model's own categories; on a finer one (Boston's 118) the
                # model's coarse guess ("a branch blocking the sidewalk": illegal parking)
                # comes after what the words matched.
                if len(self.services) <= COARSE_LIST:
                    offered = ((hinted, 0.0), *ranking.candidates[: MAX_CANDIDATES - 1])
                else:
                    offered = (*ranking.candidates[: MAX_CANDIDATES - 1], (hinted, 0.0))
                return Ranking(Verdict.CLOSE_CALL, offered)
        return ranking

    def _rank(self, text: str, hint: str) -> Ranking:
        totals, anchored, named, found = self._scored(text, hint)
        if not _ASKS_FOR_A_PERMIT.search(fold(text)):
            # "a car that hasnt moved in 2 months … in the parking lot": a problem told,
            # not "Residential Parking Permits", however many of its words it shares.
            for position in list(totals):
                if _A_PERMIT.search(self.services[position].service_name):
                    totals[position] *= PERMIT_SHARE
        # With a hint the concepts were looked up in more than the message: look again.
        told = self._told(text, None if hint else found)
        # Equal scores: the service whose name says least that the message does not
        # ("Street Light Out" before "Street Light Pole Door Missing" for a light that is
        # out), then the list's order.
        # Before that, the service whose name names no other thing than those told: a
        # water leak is "Water Utility Problems" before "Water Quality" or "Water
        # Utility Billing Problems", which name things the resident did not mention.
        mentioned = {hit.concept.id for hit in found}
        ranked = sorted(
            ((p, score) for p, score in totals.items() if score > 0),
            key=lambda x: (
                -round(x[1], TIE_DECIMALS),
                len(self._things_named[x[0]] - mentioned),
                len(self._name_features[x[0]] - told),
                x[0],
            ),
        )
        if ranked and ranked[0][0] not in anchored:
            # The best fit by loose words only ("broken" for "Broken sidewalk" of a broken
            # swing): the services the message names come first, if any.
            ranked = [pair for pair in ranked if pair[0] in anchored]
        if not ranked or ranked[0][1] < MIN_SCORE:
            return Ranking(Verdict.NOTHING, ())
        scored = [(self.services[p], score) for p, score in ranked]
        top = scored[0][1]
        close = [pair for pair in scored if pair[1] >= top * CANDIDATE_SHARE][:MAX_CANDIDATES]
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        if top >= CONFIDENT_SCORE and runner_up < top * CLEAR_LEAD and ranked[0][0] in named:
            return Ranking(Verdict.CONFIDENT, tuple(close))
        return Ranking(Verdict.CLOSE_CALL, tuple(close))


#: "Graffiti on a City litter bin", "Pothole in Street Complaint": what the service is
#: about, then where it is; the where counts for less, so uncollected rubbish (a litter
#: bin's matter) is not taken for graffiti on one.
_WHERE_IN_A_NAME = re.compile(
    # "Street Light On During Day": "on" is a state there, not a where
    r"\s+(?:on|in|at|near|along|inside|outside)\s+(?!(?:during|all|day|night|overnight)\b)(?=\S)",
    re.IGNORECASE,
)
#: What the where-part of a service's name counts for, against its what-part.
WHERE_WEIGHT = 0.6


def where_in_a_name(name: str) -> str | None:
    """Where a service's name says it is ("a City sidewalk" of "Graffiti on a City
    sidewalk"), or None."""
    parts = _WHERE_IN_A_NAME.split(name.replace("_", " "), maxsplit=1)
    return parts[1] if len(parts) == 2 and parts[0].strip() else None


def _what_and_where(name: str) -> list[tuple[str, float]]:
    """A service's name as (what, NAME_WEIGHT) and, when it says where, (where,
    WHERE_WEIGHT): "Graffiti on a City road" is graffiti, on a road."""
    parts = _WHERE_IN_A_NAME.split(name, maxsplit=1)
    if len(parts) < 2 or not parts[0].strip():
        return [(name, NAME_WEIGHT)]
    return [(parts[0], NAME_WEIGHT), (parts[1], WHERE_WEIGHT)]


@lru_cache(maxsize=1 << 15)
def _term_features(term: str) -> tuple[str, ...]:
    """A lexicon term's features, once per process (the lexicon is the same for every
    city's matcher, and a term is met again with every message that finds its concept)."""
    return tuple(dict.fromkeys(features(term)))


def _overlapping(hits: Sequence[ConceptHit]) -> list[list[ConceptHit]]:
    """Hits grouped so that hits whose spans overlap (directly or through another) share
    a group; a hit without a span (start == end) is a group of its own."""
    groups: list[list[ConceptHit]] = []
    spans: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if spans and hit.end > hit.start and hit.start < spans[-1][1]:
            groups[-1].append(hit)
            spans[-1] = (spans[-1][0], max(spans[-1][1], hit.end))
        else:
            groups.append([hit])
            spans.append((hit.start, hit.end))
    return groups


@lru_cache(maxsize=8)
def matcher_for(services: tuple[Open311Service, ...]) -> ServiceMatcher:
    """The matcher of one service list (the list is cached upstream, so it is built rarely)."""
    return ServiceMatcher(services, lexicon())


#: A service that grants something (a permit, a licence) rather than fixes a problem.
_A_PERMIT = re.compile(r"\bpermits?\b|\blicen[cs]es?\b|许可|执照|牌照|genehmigung|lupa", re.I)
#: A message that asks for one.
_ASKS_FOR_A_PERMIT = mixed_pattern(
    r"\bpermits?\b|\blicen[cs]es?\b|\bapply\b|\bapplication\b|\brenew|许可|执照|牌照|申请|办证|续期",
    re.IGNORECASE,
)
#: What a permit service's score counts for when the message asks for none.
PERMIT_SHARE = 0.7


def rank_services(text: str, services: Sequence[Open311Service], hint: str = "") -> Ranking:
    """Rank the city's ``services`` for a resident's ``text`` (see the module docstring)."""
    if not services or not fold(text).strip() and not hint:
        return Ranking(Verdict.NOTHING, ())
    return matcher_for(tuple(services)).rank(text, hint)


def unlisted_thing(text: str, services: Sequence[Open311Service], english: bool) -> str | None:
    """What the resident reports that the city's ``services`` have nothing for, if anything:
    in the resident's own words when they are short, else the lexicon's name for it; up to
    two things, in the order told."""
    if not services or not fold(text).strip():
        return None
    found = matcher_for(tuple(services)).unlisted_all(text)
    if not found:
        return None
    hits = [found[0]]
    for hit in found[1:]:
        kin = {c for h in hits for c in (h.concept.id, *h.concept.related)}
        near = hit.start - hits[-1].end <= MAX_GAP_BETWEEN_THINGS
        if (
            len(hits) < MAX_SHOWN_THINGS
            and near
            and hit.concept.id not in kin
            and not (set(hit.concept.related) & {h.concept.id for h in hits})
        ):
            # Another thing in the same breath ("房东一直不开暖气"), not the same one said
            # twice ("bar noise … cant sleep") nor a landmark further on ("by the library").
            hits.append(hit)
    shown = []
    for hit in hits:
        said = text[hit.start : hit.end].strip()
        # The resident's words when they are the term's ("路灯", "the karaoke bar"), not a
        # stretch its words were gathered from ("施工告示牌 晚上十" for 晚上施工).
        scattered = len(fold(said).replace(" ", "")) > 1.5 * len(fold(hit.term).replace(" ", ""))
        if scattered or not 0 < len(said) <= MAX_SHOWN_THING:
            names = hit.concept.en if english else hit.concept.zh
            said = (names or hit.concept.terms or (hit.term,))[0]
        if said not in shown:
            shown.append(said)
    # "房东一直不开暖气": the landlord and the heating, both (the first alone was the party).
    return (" / " if english else "、").join(shown)


def by_group(text: str, services: Sequence[Open311Service]) -> Open311Service | None:
    """The one service whose group the text names ("its on the bike path" between
    "Gefahrenstelle (Gehweg/Radweg/Straße)" and "Gefahrenstelle (Öffentliches Grün/
    Spielplatz)"): a catalogue files one thing under several groups, and the resident
    answers with where it is. None when no group, or several, fit."""
    hits = [hit for hit in lexicon().find(text) if hit.concept.weight >= 1.0]
    if not hits:
        return None
    fitting = []
    for service in services:
        words = set(plain_words(service.group or ""))
        if words and any(
            (said := set(plain_words(term))) and said <= words
            for hit in hits
            for term in hit.concept.terms
        ):
            fitting.append(service)
    return fitting[0] if len(fitting) == 1 else None


def other_service(services: Sequence[Open311Service]) -> Open311Service | None:
    """The city's "anything else" service, if its list has one."""
    for service in services:
        code = service.service_code.strip().lower()
        name = fold(service.service_name).strip()
        if code in _OTHER or name in _OTHER or name.startswith(_OTHER_STARTS):
            return service
    return None
