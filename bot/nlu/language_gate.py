"""NLU component: a message in a language we do not serve is not guessed at.

The model knows Chinese and English only. Given Korean, Japanese, Russian or
Spanish it still picks its closest intent ("네 감사합니다" read as ``affirm`` got
"好的。请问还有什么可以帮您？" — in Chinese, as if understood). Placed after the
FallbackClassifier, this component turns such a message's intent into
``nlu_fallback``, whose action answers in both languages that the assistant speaks
Chinese and English and names the hotline (``utter_unsupported_language``).
Whether a message is in such a language is ``bot.language.detect_language``'s call,
recorded by ``LanguageDetector`` at the start of the pipeline.

A message that is mostly markup (``<script>alert(1)</script>``, :mod:`bot.nlu.markup`)
goes to the fallback too, answered as a message not understood: the model read that
one as a question about service alerts from its one English word.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_detector import LANGUAGE_PROPERTY
from bot.nlu.markup import mostly_markup


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnsupportedLanguageGate(GraphComponent):
    """Sends messages in unserved languages, and markup, to the fallback (module docstring)."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnsupportedLanguageGate:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            language = message.get(LANGUAGE_PROPERTY) or {}
            if language.get("unsupported") or mostly_markup(message.get(TEXT) or ""):
                gate_message(message)
        return messages


def gate_message(message: Message) -> None:
    """Make ``nlu_fallback`` the message's intent, keeping the model's ranking below it."""
    fallback = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
    ranking = [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME
    ]
    message.set(INTENT, fallback, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
