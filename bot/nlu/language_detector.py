"""NLU component: record each message's language and give the pipeline a normalised text."""

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
from bot.language.normalise import nlu_text
from bot.nlu.surface_text import ORIGINAL_TEXT

LANGUAGE_PROPERTY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds a ``language`` property to every message and normalises its text.

    Must come first in the pipeline. The detection runs on the text as the
    resident wrote it; the text the rest of the pipeline sees is
    ``bot.language.normalise.nlu_text`` (full-width folded, emoji blanked,
    written Cantonese read as Mandarin, Traditional as Simplified), always of the
    same length, so one model serves every way of writing and entity offsets still
    point into the original message.
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
        normalised = nlu_text(text)
        if normalised != text:
            # SurfaceTextRestorer puts the resident's own text back at the end.
            message.set(ORIGINAL_TEXT, text)
            message.set(TEXT, normalised)
