"""Keeps the ``language`` slot (the reply language) inside Rasa, after every message.

The reply language follows :func:`bot.language.reply.next_reply_language`. It used to be
set by ``action_validate_slot_mappings`` on the action server, which Rasa calls after
every message: one HTTP round trip carrying the whole conversation, per message, only to
set one slot from what Rasa already knows (profiled: ~5 ms of the Rasa server's CPU and
~2 ms of the action server's per message; docs/benchmarks.md, "What was changed").

A policy can do it in the same place: Rasa applies the events a policy returns with its
prediction, whether or not that policy's action is chosen, before the predicted action
runs. This one never proposes an action (its probabilities are all zero); it only
returns ``SlotSet("language", …)`` at the first prediction after a user message, when
that message changes the reply language — as the action did, once per message.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.language.mixed_script import mixed_pattern
from bot.language.reply import chosen_language, next_reply_language

LANGUAGE_SLOT = "language"


def message_awaiting_reply(tracker: DialogueStateTracker) -> UserUttered | None:
    """The user message no action has answered yet: the first prediction of a turn.

    None later in the turn, and after an action rewound the message (the fallback's
    ``UserUtteranceReverted`` makes an older message "latest" again, whose language
    must not come back).
    """
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            return None
        if isinstance(event, UserUttered):
            return event
    return None


_NEGATED = mixed_pattern(r"(?:\bnot|\bno|\bdon't|不要|不用|别|不是)\s*(?:in\s+)?$", re.IGNORECASE)


def requested_language(text: str, entities: Iterable[Mapping[str, Any]]) -> str | None:
    """The language a message asks for: the last one it names, unless that one is refused.

    "my Chinese typing is slow, let me switch to English" names both; the one asked for
    comes last ("from Chinese to English", "不要英文，用中文"), except after a "not"
    ("English please, not Chinese").
    """
    named = sorted(
        (int(e.get("start") or 0), str(e.get("value")))
        for e in entities
        if e.get("entity") == LANGUAGE_SLOT and e.get("value")
    )
    wanted = [value for start, value in named if not _NEGATED.search(text[:start])]
    candidates = wanted or [value for _, value in named]
    return candidates[-1] if candidates else None


def reply_language_events(tracker: DialogueStateTracker) -> List[SlotSet]:
    """``[SlotSet("language", new)]`` when a new message changes it, else ``[]``."""
    message = message_awaiting_reply(tracker)
    if message is None or LANGUAGE_SLOT not in tracker.slots:
        return []
    current = tracker.get_slot(LANGUAGE_SLOT)
    parse_data: Dict[str, Any] = dict(message.parse_data or {})
    intent = (message.intent or {}).get("name")
    requested = requested_language(
        str(message.parse_data.get("text") or ""), message.parse_data.get("entities") or ()
    )
    language = next_reply_language(
        current,
        parse_data.get("language"),
        intent,
        requested,
        chosen_language({"metadata": message.metadata}),
    )
    if language == current:
        return []
    return [SlotSet(LANGUAGE_SLOT, language)]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ReplyLanguagePolicy(Policy):
    """Sets the reply language; never predicts an action (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 0}

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn: the rule is written down in bot.language.reply."""
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        return self._prediction(
            self._default_predictions(domain), events=reply_language_events(tracker)
        )
