"""NLU component: a second, linear intent classifier whose vote is averaged with DIET's.

DIET learns from the same character and word n-grams through a transformer; on messages
unlike its training data (long, roundabout, typed with slips) it is often confidently
wrong, and a plain logistic regression over the same kind of n-grams errs on different
messages. Averaging the two models' probabilities is the oldest trick for that: on the
held-out split the average chose the right intent more often than either model alone,
in every writing style (docs/nlu.md, "Two classifiers").

How the two are combined (``combine``):

- the intents are ranked by the weighted mean of the two probabilities — the
  ensemble's choice;
- each intent's *confidence* is the higher of the two models' probabilities, so the
  FallbackClassifier after this component keeps its meaning: a message falls back when
  neither model is sure of the chosen intent. Averaged probabilities would have sent
  many messages where one model was sure and right to the fallback. When the models
  are sure of two different intents, the top two confidences end close together (or in
  the wrong order) and the FallbackClassifier's ambiguity rule asks to rephrase.

Placed right after DIET, so that the permit question words (``permit_aspect``) and the
fallback see the combined ranking. It reads the normalised text (Traditional and
written Cantonese as Simplified Mandarin, full-width folded: ``LanguageDetector``) and
trains on the intent examples alone; entities stay DIET's.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.ngram_component import NgramComponent

logger = logging.getLogger(__name__)


def combine(
    first: Mapping[str, float], second: Mapping[str, float], weight: float = 0.5
) -> List[Dict[str, Any]]:
    """Intents ranked by the weighted mean of two models' probabilities.

    ``weight`` is the first model's share. Each entry's confidence is the higher of the
    two probabilities (module docstring: the fallback threshold keeps its meaning).
    """
    names = set(first) | set(second)

    def mean(name: str) -> float:
        return weight * first.get(name, 0.0) + (1.0 - weight) * second.get(name, 0.0)

    ranked = sorted(names, key=lambda name: (-mean(name), name))
    return [
        {"name": name, "confidence": max(first.get(name, 0.0), second.get(name, 0.0))}
        for name in ranked
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NgramIntentEnsemble(NgramComponent):
    """Averages DIET's intent probabilities with an n-gram logistic regression's."""

    MODEL_FILE = "ngram_intents.joblib"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # C: 3-fold cross-validation on the training data (not the held-out split)
        # gave 87.2 / 87.6 / 87.9 / 88.1 % for C = 3 / 10 / 30 / 100; 30 is where the
        # gain flattens. weight: DIET's share, an even vote (not tuned).
        return {
            "c": 30.0,
            "char_ngrams": [1, 4],
            "word_ngrams": [1, 2],
            "diet_weight": 0.5,
            "ranking_length": 10,
        }

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            m
            for m in training_data.intent_examples
            if isinstance(m.get(TEXT), str) and m.get(INTENT)
        ]
        intents = {m.get(INTENT) for m in examples}
        if len(intents) < 2:
            logger.warning("Fewer than two intents to learn: DIET decides alone.")
            return self._resource
        return self.fit([str(m.get(TEXT)) for m in examples], [m.get(INTENT) for m in examples])

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            return messages
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            if not intent.get("name") or not isinstance(text, str) or not text.strip():
                continue
            ranking = message.get(INTENT_RANKING_KEY) or [intent]
            diet = {str(r["name"]): float(r.get("confidence") or 0.0) for r in ranking}
            ngrams = self._model.probabilities(text)
            ranked = combine(diet, ngrams, float(self._config["diet_weight"]))
            length = int(self._config["ranking_length"])
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, ranked[:length] if length > 0 else ranked, add_to_output=True
            )
        return messages
