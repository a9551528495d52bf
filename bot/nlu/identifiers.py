"""NLU component: canonical ticket and application numbers, one entity per number.

Both the regex extractor and DIET find ``ticket_id``/``application_id``; the
regex is exact while DIET generalises but can cut a number short. This keeps
one entity per span, prefers a regex match, drops DIET spans that are not a
valid number, and writes the value in canonical form (``sr 2026 1234`` →
``SR20261234``) so that actions and the contract see one spelling.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

IDENTIFIER_PREFIXES = {"ticket_id": "SR", "application_id": "PA"}
_REGEX_EXTRACTOR = "RegexEntityExtractor"


def canonical_identifier(entity: str, text: str) -> str | None:
    """``SR``/``PA`` + 8 digits in canonical form, or None if ``text`` is not one."""
    prefix = IDENTIFIER_PREFIXES[entity]
    compact = re.sub(r"[\s\-_]", "", text).upper()
    if re.fullmatch(prefix + r"\d{8}", compact):
        return compact
    return None


def merge_identifier_entities(entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Return ``entities`` with identifier entities deduplicated and canonical."""
    kept: List[Dict[str, Any]] = []
    identifiers: List[Dict[str, Any]] = []
    for entity in entities:
        if entity.get("entity") not in IDENTIFIER_PREFIXES:
            kept.append(entity)
            continue
        value = canonical_identifier(entity["entity"], str(entity.get("value", "")))
        if value is None:
            continue
        identifiers.append({**entity, "value": value})
    # Regex matches first, so that they win over overlapping DIET spans.
    identifiers.sort(key=lambda e: (e.get("extractor") != _REGEX_EXTRACTOR, e.get("start", 0)))
    chosen: List[Dict[str, Any]] = []
    for candidate in identifiers:
        if not any(_overlaps(candidate, other) for other in chosen):
            chosen.append(candidate)
    return kept + sorted(chosen, key=lambda e: e.get("start", 0))


def _overlaps(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    return bool(a.get("start", 0) < b.get("end", 0) and b.get("start", 0) < a.get("end", 0))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class IdentifierNormalizer(GraphComponent):
    """Deduplicates and canonicalises ticket and application numbers (see module docstring)."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IdentifierNormalizer:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            message.set(ENTITIES, merge_identifier_entities(entities), add_to_output=True)
        return messages
