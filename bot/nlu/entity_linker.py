"""NLU component: entity values linked the way residents really type them.

DIET tags a span and the synonym table turns it into a contract value
("居住证" → residence_permit). Both fail on what the synonym table has never seen
spelt that way: "residense permit", 居住正 (a pinyin-IME slip), 營業執照 in
Traditional beside a Simplified synonym, a Cantonese 車牌, or no span tagged at all.
This component, placed after the synonym mapper, links with the same tolerant
matching the actions use for the city's lists (``bot.matching``):

* a tagged span whose value is not a contract value is linked by its words to the
  closest known surface form (or left for the contract filter to drop);
* a message of an intent that takes the entity, with no such entity tagged, is
  searched for a known surface form, and a clear find is added as an entity with
  the span of the resident's own words.

The vocabulary is the training data's own — every annotated example and synonym of
the configured entities, read at training time and stored with the model — plus, for
values mapped to concepts of the complaint concept lexicon (``concepts`` in the
config), every Chinese and English term of those concepts, read when the model loads
(so "天花板一直滴水" is a water leak and "打樁" construction noise without retraining),
plus word lists (``word_lists`` in the config: entity → value → zh/en words) of what
residents say instead of a value's name ("开个小面馆" for a business licence), also
read when the model loads. Words that only say where a problem is ("人行道",
"sidewalk"; ``place_words``) give way to a word of another value's problem in the same
message: cars on the sidewalk are illegal parking, not a damaged sidewalk.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.normalise import nlu_text
from bot.matching.terms import TermFinder

ROOT = Path(__file__).resolve().parents[2]
#: libyaml's loader when PyYAML has it (the lexicon is large), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

EXTRACTOR = "EntityValueLinker"
_VOCABULARY = "vocabulary.json"
#: A found term must be at least this sure, and clearly ahead of another value's term.
MIN_STRENGTH = 0.6
CLEAR_LEAD = 0.15


def vocabulary_of(
    training_data: TrainingData, entities: List[str], canonical: Dict[str, List[str]]
) -> Dict[str, Dict[str, str]]:
    """Per entity type: surface text → contract value, from examples and synonyms."""
    vocabulary: Dict[str, Dict[str, str]] = defaultdict(dict)
    values = {value: entity for entity in entities for value in canonical.get(entity, ())}
    for example in training_data.training_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES) or ():
            kind = entity.get("entity")
            if kind not in entities:
                continue
            value = training_data.entity_synonyms.get(str(entity.get("value")), entity.get("value"))
            surface = text[entity["start"] : entity["end"]]
            if surface and value in canonical.get(kind, (value,)):
                vocabulary[kind][surface] = str(value)
    for surface, value in training_data.entity_synonyms.items():
        kind = values.get(value)
        if kind is not None:
            vocabulary[kind][surface] = value
    for value, kind in values.items():
        vocabulary[kind].setdefault(value.replace("_", " "), value)
    return {kind: dict(sorted(terms.items())) for kind, terms in vocabulary.items()}


def word_list_terms(paths: List[str]) -> Dict[str, Dict[str, str]]:
    """Per entity type: each word of the word lists → its value (first list wins)."""
    terms: Dict[str, Dict[str, str]] = defaultdict(dict)
    for path in paths:
        file = Path(path) if Path(path).is_absolute() else ROOT / path
        document = yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        for kind, values in document.items():
            for value, languages in (values or {}).items():
                for words in (languages or {}).values():
                    for word in words or ():
                        terms[str(kind)].setdefault(str(word), str(value))
    return dict(terms)


def lexicon_terms(
    path: str | None, concepts: Dict[str, Dict[str, List[str]]]
) -> Dict[str, Dict[str, str]]:
    """Per entity type: each Chinese and English term of the mapped concepts → its value."""
    if not path or not concepts:
        return {}
    file = Path(path) if Path(path).is_absolute() else ROOT / path
    document = yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    words: Dict[str, List[str]] = defaultdict(list)
    for concept in document.get("concepts") or ():
        if isinstance(concept, dict):
            words[str(concept.get("id"))] += [
                *(concept.get("zh") or ()),
                *(concept.get("en") or ()),
            ]
    # The residents' words that `more-*.yml` files beside the lexicon add to its concepts
    # (the complaint matcher reads them too: actions/complaints/concepts.py).
    for more in sorted(file.parent.glob("more-*.yml")):
        extra = yaml.load(more.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        for entry in extra.get("more") or ():
            if isinstance(entry, dict) and str(entry.get("id")) in words:
                words[str(entry["id"])] += [*(entry.get("zh") or ()), *(entry.get("en") or ())]
    terms: Dict[str, Dict[str, str]] = defaultdict(dict)
    for kind, values in concepts.items():
        for value, ids in values.items():
            for concept_id in ids:
                if concept_id not in words:
                    raise ValueError(f"{EXTRACTOR}: no concept {concept_id!r} in {file}")
                for term in words[concept_id]:
                    terms[kind].setdefault(str(term), value)
    return dict(terms)


def place_terms(path: str | None) -> Dict[str, frozenset[str]]:
    """Per entity type: the words that name where a problem is (lower-cased)."""
    if not path:
        return {}
    file = Path(path) if Path(path).is_absolute() else ROOT / path
    document = yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    return {
        str(kind): frozenset(
            str(word).lower() for words in (languages or {}).values() for word in words or ()
        )
        for kind, languages in document.items()
    }


def reading_as_the_nlu(terms: List[tuple[str, str]]) -> List[tuple[str, str]]:
    """``terms`` plus each one as the NLU reads a message (``bot.language``).

    The linker sees the normalised text — written Cantonese as Mandarin, Traditional as
    Simplified — while the word lists and the lexicon keep residents' own spellings
    ("车停喺行人路", "嘈到瞓唔着"). Such a term never matched a message that said
    exactly it, because the message's 喺 had become 在; its normalised form does.
    """
    seen = {surface for surface, _ in terms}
    extra = []
    for surface, value in terms:
        read = nlu_text(surface)
        if read not in seen:
            seen.add(read)
            extra.append((read, value))
    return [*terms, *extra]


def without_outranked_places(hits: List[Any], places: frozenset[str]) -> List[Any]:
    """``hits`` without those of place words when another value's problem word is found."""
    problems = [hit for hit in hits if hit.term.lower() not in places]
    if not problems or len(problems) == len(hits):
        return hits
    return [hit for hit in hits if hit.term.lower() not in places or hit.label == problems[0].label]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class EntityValueLinker(GraphComponent):
    """Links entity values tolerantly (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # entity type → intents whose messages may name it without DIET tagging it.
            "entities": {},
            # entity type → its contract values (as the contract filter's).
            "canonical_values": {},
            # The concept lexicon (a path from the project root) and, per entity type,
            # value → the lexicon's concept ids that mean it.
            "lexicon": None,
            "concepts": {},
            # Files of entity → value → {zh: [...], en: [...]} words (paths from the root).
            "word_lists": [],
            # A file of entity → zh/en words that name a place, not a problem (see above).
            "place_words": "bot/nlu/place_words.yml",
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Dict[str, Dict[str, str]] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._finders: Dict[str, TermFinder] = {}
        self._places = place_terms(self._config.get("place_words"))
        self._set_vocabulary(vocabulary or {})

    def _set_vocabulary(self, vocabulary: Dict[str, Dict[str, str]]) -> None:
        self._vocabulary = vocabulary
        merged: Dict[str, Dict[str, str]] = {
            kind: dict(terms) for kind, terms in vocabulary.items()
        }
        for extra in (
            lexicon_terms(self._config.get("lexicon"), self._config.get("concepts") or {}),
            word_list_terms(list(self._config.get("word_lists") or ())),
        ):
            for kind, terms in extra.items():
                for surface, value in terms.items():
                    merged.setdefault(kind, {}).setdefault(surface, value)
        self._finders = {
            kind: TermFinder(
                reading_as_the_nlu([(surface, value) for surface, value in terms.items()])
            )
            for kind, terms in merged.items()
        }

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityValueLinker:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EntityValueLinker:
        vocabulary: Dict[str, Dict[str, str]] = {}
        try:
            with model_storage.read_from(resource) as directory:
                path = Path(directory) / _VOCABULARY
                vocabulary = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            pass
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        entities = list(self._config["entities"])
        vocabulary = vocabulary_of(training_data, entities, self._config["canonical_values"])
        self._set_vocabulary(vocabulary)
        with self._storage.write_to(self._resource) as directory:
            (Path(directory) / _VOCABULARY).write_text(
                json.dumps(vocabulary, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = list(message.get(ENTITIES) or [])
            linked = self.link(
                message.get(TEXT) or "", (message.get(INTENT) or {}).get("name"), entities
            )
            message.set(ENTITIES, linked)
        return messages

    def link(
        self, text: str, intent: str | None, entities: List[Dict[str, Any]]
    ) -> List[Dict[str, Any]]:
        """The message's entities with values linked and clear finds added."""
        canonical = self._config["canonical_values"]
        result: List[Dict[str, Any]] = []
        for entity in entities:
            kind = entity.get("entity")
            finder = self._finders.get(str(kind))
            if finder is None or entity.get("value") in canonical.get(kind, ()):
                result.append(entity)
                continue
            start, end = entity.get("start"), entity.get("end")
            words = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
            value = self._clear_value(finder, words or str(entity.get("value") or ""))
            result.append({**entity, "value": value} if value else entity)
        for kind, intents in self._config["entities"].items():
            finder = self._finders.get(kind)
            if finder is None or intent not in intents:
                continue
            if any(
                e.get("entity") == kind and e.get("value") in canonical.get(kind, ())
                for e in result
            ):
                continue
            hit = self._clear_hit(finder, text, self._places.get(kind, frozenset()))
            if hit is not None:
                result = [e for e in result if e.get("entity") != kind]
                result.append(
                    {
                        "entity": kind,
                        "value": hit.label,
                        "start": hit.start,
                        "end": hit.end,
                        "confidence_entity": round(hit.strength, 3),
                        "extractor": EXTRACTOR,
                    }
                )
        return result

    @staticmethod
    def _clear_hit(finder: TermFinder, text: str, places: frozenset[str] = frozenset()) -> Any:
        hits = without_outranked_places(finder.find(text), places)
        if not hits or hits[0].strength < MIN_STRENGTH:
            return None
        if len(hits) > 1 and hits[1].strength > hits[0].strength - CLEAR_LEAD:
            return None
        return hits[0]

    def _clear_value(self, finder: TermFinder, words: str) -> str | None:
        hit = self._clear_hit(finder, words)
        return hit.label if hit is not None else None
