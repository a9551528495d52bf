"""NLU component: an entity's value read from the whole message when no word names it.

Residents often ask about a permit without naming it: "我下个月要去澳门看我妈，要准备什么",
"I'm opening a small noodle shop, what do I need". DIET tags spans, and the entity
linker (``bot.nlu.entity_linker``) finds names and the paraphrases of its word lists;
neither has anything to find in such a message, although the rest of it — a trip, a
shop, a newborn — says which permit is meant. A text classifier over the whole message
reads exactly that.

For the configured intents, when the message has no contract value of the entity yet,
an n-gram logistic regression (``bot.nlu.ngram_scorer``) trained on those intents'
examples — labelled with the value they annotate, or ``none`` when they annotate
none — names the value if it is at least ``threshold`` sure and the value is not
``none``. The ``none`` examples (questions about a service outside the seven permits,
questions that name no permit) teach it to stay silent.

Measured by 3-fold cross-validation on the training data, with the linker built from
the training folds only (docs/nlu.md, "Values read from the whole message"): of the
permit questions whose value the linker missed, the classifier named 26 of 29 right
and one wrong, and it named a value for none of 667 questions that annotate none.
For ``complaint_category`` the same test gave values to 16 of 313 complaints about
problems outside the six categories, so it is not used there.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.ngram_component import NgramComponent

logger = logging.getLogger(__name__)

EXTRACTOR = "MessageValueClassifier"
NONE = "none"


def labelled_examples(
    training_data: TrainingData, entity: str, intents: List[str], values: List[str]
) -> tuple[List[str], List[str]]:
    """Texts of the intents' examples and the one contract value each annotates, or none.

    An example annotating two different values says nothing about either and is left out,
    as is one whose value is not the contract's.
    """
    texts: List[str] = []
    labels: List[str] = []
    for example in training_data.intent_examples:
        text = example.get(TEXT)
        if example.get(INTENT) not in intents or not isinstance(text, str) or not text.strip():
            continue
        found = {
            training_data.entity_synonyms.get(str(e.get("value")), str(e.get("value")))
            for e in example.get(ENTITIES) or ()
            if e.get("entity") == entity
        }
        if len(found) > 1 or not found <= set(values):
            continue
        texts.append(text)
        labels.append(found.pop() if found else NONE)
    return texts, labels


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class MessageValueClassifier(NgramComponent):
    """Adds an entity value read from the whole message (see module docstring)."""

    MODEL_FILE = "message_values.joblib"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "entity": None,
            # The intents whose messages it reads, and learns from.
            "intents": [],
            # The contract's values of the entity; anything else is never named.
            "values": [],
            # 0.5 and 0.6 gave the same cross-validated counts; 0.7 lost one right value.
            "threshold": 0.6,
            "c": 30.0,
            "char_ngrams": [1, 4],
            "word_ngrams": [1, 2],
        }

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = labelled_examples(
            training_data,
            str(self._config["entity"]),
            list(self._config["intents"]),
            list(self._config["values"]),
        )
        if len(set(labels)) < 2:
            logger.warning("%s: fewer than two labels to learn; nothing to add.", EXTRACTOR)
            return self._resource
        return self.fit(texts, labels)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = self.value_of(
                message.get(TEXT) or "",
                (message.get(INTENT) or {}).get("name"),
                message.get(ENTITIES) or [],
            )
            if found is not None:
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), found])
        return messages

    def value_of(
        self, text: str, intent: str | None, entities: List[Dict[str, Any]]
    ) -> Dict[str, Any] | None:
        """The entity to add to a message, or None when it has one or nothing is sure."""
        entity, values = self._config["entity"], set(self._config["values"])
        if self._model is None or intent not in self._config["intents"] or not text.strip():
            return None
        if any(e.get("entity") == entity and e.get("value") in values for e in entities):
            return None
        probabilities = self._model.probabilities(text)
        value, sureness = max(probabilities.items(), key=lambda item: item[1])
        if value == NONE or value not in values or sureness < float(self._config["threshold"]):
            return None
        # The whole message says it, so the whole message is the span.
        start = len(text) - len(text.lstrip())
        return {
            "entity": entity,
            "value": value,
            "start": start,
            "end": len(text.rstrip()),
            "confidence_entity": round(sureness, 3),
            "extractor": EXTRACTOR,
        }
