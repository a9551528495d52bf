"""NLU component: record each message's language and read Traditional Chinese as Simplified."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language import detect_language, to_simplified
from bot.nlu.surface_text import ORIGINAL_TEXT

LANGUAGE_PROPERTY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds a ``language`` property to every message and normalises Traditional to Simplified.

    Must come first in the pipeline. The detection runs on the text as the
    resident wrote it; the text the rest of the pipeline sees is converted
    character by character, so one model serves both scripts and entity
    offsets still point into the original message.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    @staticmethod
    def supported_languages() -> List[str] | None:
        return None

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._annotate(example)
            # Annotated values were read from the Traditional text; left as they are,
            # EntitySynonymMapper would learn "5号线 → 5號線" from the converted text.
            for entity in example.get(ENTITIES) or []:
                if isinstance(entity.get("value"), str):
                    entity["value"] = to_simplified(entity["value"])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._annotate(message)
        return messages

    @staticmethod
    def _annotate(message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        message.set(LANGUAGE_PROPERTY, detect_language(text).as_dict(), add_to_output=True)
        simplified = to_simplified(text)
        if simplified != text:
            # SurfaceTextRestorer puts the resident's own text back at the end.
            message.set(ORIGINAL_TEXT, text)
            message.set(TEXT, simplified)
