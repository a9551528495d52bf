"""NLU component: a permit question's fee or time words decide which of the two it is.

DIET separates the permit questions (requirements, fee, processing time, applying,
status) well in short messages; in long or roundabout ones the few tokens that say
*what* is asked weigh little against the rest, and a fee question is sometimes read
as a processing-time one or the other way round. When DIET's intent is a permit
question and the message has the words of exactly one of the listed questions
(``bot/nlu/permit_aspects.yml``: cost words, time words), that question is the
intent, with the confidence DIET gave all the permit questions together (it was sure
of a permit question, unsure which). A message with both kinds of words, or neither,
keeps DIET's answer, and so does every message DIET did not read as a permit question.

Placed after DIET and before the FallbackClassifier; the words are read when the model
loads. The text seen here is the normalised one (Traditional and written Cantonese
read as Simplified Mandarin, ``bot.language``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.mixed_script import mixed_pattern

ROOT = Path(__file__).resolve().parents[2]
#: The permit questions DIET's answer may be changed from. Not ``permit_status``: a
#: resident asking where their application stands often tells what they paid and how
#: long they have waited ("I paid the fee three weeks ago…").
CHANGEABLE = frozenset(
    {"permit_requirements", "permit_fee", "permit_processing_time", "permit_apply"}
)


class AspectWords:
    """Per intent, its Chinese phrases and one English whole-word pattern."""

    def __init__(self, lists: Dict[str, Any]) -> None:
        lists = dict(lists)
        self._not_asking = tuple(str(p) for p in lists.pop("not_asking", None) or ())
        self._chinese = {
            intent: tuple(str(word) for word in (words or {}).get("zh") or ())
            for intent, words in lists.items()
        }
        self._english: Dict[str, re.Pattern[str]] = {}
        for intent, words in lists.items():
            english = [str(word) for word in (words or {}).get("en") or ()]
            if english:
                alternatives = "|".join(
                    re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(english, key=len, reverse=True)
                )
                self._english[intent] = mixed_pattern(rf"\b(?:{alternatives})\b", re.IGNORECASE)

    @classmethod
    def from_file(cls, path: str) -> AspectWords:
        file = Path(path) if Path(path).is_absolute() else ROOT / path
        return cls(yaml.safe_load(file.read_text(encoding="utf-8")) or {})

    def asked(self, text: str) -> set[str]:
        """The intents whose words ``text`` has."""
        for phrase in self._not_asking:
            text = text.replace(phrase, " ")
        found = {intent for intent, words in self._chinese.items() if any(w in text for w in words)}
        found.update(intent for intent, pattern in self._english.items() if pattern.search(text))
        return found


def decided_intent(predicted: str | None, asked: set[str]) -> str | None:
    """The intent the words decide on, or None to keep the classifier's."""
    if predicted not in CHANGEABLE or len(asked) != 1:
        return None
    (intent,) = asked
    return intent if intent != predicted else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PermitAspectResolver(GraphComponent):
    """Lets fee and time words decide between permit questions (module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"words": "bot/nlu/permit_aspects.yml"}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._words = AspectWords.from_file(
            str(config.get("words") or self.get_default_config()["words"])
        )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PermitAspectResolver:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            decided = decided_intent(
                intent.get("name"), self._words.asked(str(message.get(TEXT) or ""))
            )
            if decided is None:
                continue
            ranking = list(message.get(INTENT_RANKING_KEY) or [])
            scores = {str(r.get("name")): float(r.get("confidence") or 0.0) for r in ranking}
            # DIET was sure it is one of the permit questions, unsure which: the decided
            # one takes what DIET gave all of them (so a fee question it split between
            # fee and time is not sent to the fallback), the one it replaces the score
            # the decided one had.
            confidence = min(1.0, sum(scores.get(name, 0.0) for name in CHANGEABLE))
            confidence = max(confidence, float(intent.get("confidence") or 0.0))
            replaced = str(intent.get("name"))
            reranked = [
                {"name": decided, "confidence": confidence},
                {"name": replaced, "confidence": scores.get(decided, 0.0)},
                *(r for r in ranking if r.get("name") not in (decided, replaced)),
            ]
            message.set(INTENT, reranked[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                sorted(reranked, key=lambda r: -float(r["confidence"] or 0.0)),
                add_to_output=True,
            )
        return messages
