"""NLU component: only entity values the contract allows leave the NLU pipeline.

For ``permit_type``, ``complaint_category`` and ``language`` the contract fixes
the values (``residence_permit``, ``streetlight``, ``en``…). DIET sometimes tags
a word the synonym table does not know ("party", "blocking"), which would reach
the actions as an unusable value; such entities are dropped here, so an action
either gets a canonical value or asks.
"""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Mapping, Sequence

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message


def keep_contract_values(
    entities: List[Dict[str, Any]], allowed: Mapping[str, Collection[str]]
) -> List[Dict[str, Any]]:
    """Entities whose type has no fixed values, or whose value is one of them."""
    return [
        entity
        for entity in entities
        if entity.get("entity") not in allowed or entity.get("value") in allowed[entity["entity"]]
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityContractFilter(GraphComponent):
    """Drops entities with values outside ``canonical_values`` (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"canonical_values": {}}

    def __init__(self, canonical_values: Mapping[str, Sequence[str]]) -> None:
        self._allowed = {name: frozenset(values) for name, values in canonical_values.items()}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityContractFilter:
        return cls(config["canonical_values"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            message.set(ENTITIES, keep_contract_values(entities, self._allowed), add_to_output=True)
        return messages
