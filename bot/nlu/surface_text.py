"""NLU component: give back the resident's own text once the model has read it.

``LanguageDetector`` lets the model read Traditional Chinese as Simplified, so
the pipeline's text and the entity values cut from it are Simplified. What
leaves the NLU pipeline should be what the resident wrote: the message text
(staff read it in transcripts) and the surface-text entities of the contract
(``stop``, ``route``: "車公廟" stays "車公廟"; resolving it against the feed is
the transit journey's job, which matches both scripts). Entities with canonical
values (synonym-mapped, identifiers) are left as they are.
"""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Sequence

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

#: Message property where LanguageDetector keeps the text as written.
ORIGINAL_TEXT = "original_text"


def restore_surface_values(
    entities: List[Dict[str, Any]],
    original: str,
    normalised: str,
    surface_entities: Collection[str],
) -> List[Dict[str, Any]]:
    """Entities whose value is their span of ``normalised`` get that span of ``original``.

    The conversion is character for character, so offsets are the same in both
    texts; when they are not (lengths differ) nothing is changed.
    """
    if len(original) != len(normalised):
        return entities
    restored = []
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if (
            entity.get("entity") in surface_entities
            and isinstance(start, int)
            and isinstance(end, int)
            and entity.get("value") == normalised[start:end]
        ):
            entity = {**entity, "value": original[start:end]}
        restored.append(entity)
    return restored


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class SurfaceTextRestorer(GraphComponent):
    """Restores the original text and surface entity values (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"surface_entities": ["stop", "route"]}

    def __init__(self, surface_entities: Sequence[str]) -> None:
        self._surface = frozenset(surface_entities)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SurfaceTextRestorer:
        return cls(config["surface_entities"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            original = message.get(ORIGINAL_TEXT)
            normalised = message.get(TEXT)
            if not isinstance(original, str) or not isinstance(normalised, str):
                continue
            entities = message.get(ENTITIES) or []
            message.set(
                ENTITIES,
                restore_surface_values(entities, original, normalised, self._surface),
                add_to_output=True,
            )
            message.set(TEXT, original)
        return messages
