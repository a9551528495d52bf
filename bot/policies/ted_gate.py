"""TED is not run when the rule policy has already decided the next action.

Rasa runs every policy for every prediction and then picks the winner
(``DefaultPolicyPredictionEnsemble._pick_best_policy``): the highest confidence,
ties going to the higher priority, except that a "no user" prediction (a form's
happy path) beats everything and an end-to-end prediction beats predictions
made from intents. When ``RulePolicy`` (priority 6) predicts an action with
confidence 1.0, ``TEDPolicy`` (priority 1) cannot win, whatever it predicts: its
confidences are at most 1.0. Yet TED was run, about twice per message, and it is
the most expensive node of the graph (benchmarks/profile_turn.py: ~9 ms of the
~38 ms of CPU a message costs).

So the prediction graph gives TED the rule policy's prediction as one more input
(:func:`wire_rule_prediction`, applied to the schema when a model is loaded) and
TED answers with zero confidence for every action — the same thing as "no
opinion", which the ensemble never picks — when :func:`rule_decided` says it
cannot win. TED still runs whenever it could: a rule prediction below 1.0, a
lower-priority rule policy, an action the conversation just rejected (the
ensemble zeroes its confidence afterwards), or a TED trained on end-to-end
stories (which could outrank the rule with a prediction from the text).

Installed by :mod:`bot.speedups`; the dialogue tests (``make conversation-tests``)
run with it, and tests/integration/test_ted_gate.py compares every prediction
with and without it.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable

#: The graph function every policy node runs to predict.
PREDICT = "predict_action_probabilities"
#: The keyword under which TED receives the rule policy's prediction.
RULE_PREDICTION = "rule_prediction"
#: Marks a TED ``predict_action_probabilities`` already wrapped by :func:`gate`.
_GATED = "_skips_when_rule_decided"


def _subclass_of(uses: Any, name: str) -> bool:
    return isinstance(uses, type) and any(base.__name__ == name for base in uses.__mro__)


def wire_rule_prediction(schema: Any) -> Any:
    """The prediction graph with the rule policy's output added to each TED node's inputs.

    Returns the schema unchanged when it has no TED node, or no rule policy node,
    predicting (a training graph, a model without rules).
    """
    nodes = schema.nodes
    rules = [
        name
        for name, node in nodes.items()
        if node.fn == PREDICT and _subclass_of(node.uses, "RulePolicy")
    ]
    if len(rules) != 1:
        return schema
    changed = {
        name: dataclasses.replace(node, needs={**node.needs, RULE_PREDICTION: rules[0]})
        for name, node in nodes.items()
        if node.fn == PREDICT
        and _subclass_of(node.uses, "TEDPolicy")
        and RULE_PREDICTION not in node.needs
    }
    if not changed:
        return schema
    return dataclasses.replace(schema, nodes={**nodes, **changed})


def rule_decided(rule: Any, ted_priority: int, last_action_rejected: bool) -> bool:
    """Whether TED's prediction cannot change the winner, given the rule policy's one.

    ``rule`` is the rule policy's ``PolicyPrediction`` (None: not available).
    Assumes TED cannot make an end-to-end prediction (see :func:`can_predict_from_text`).
    """
    if rule is None or last_action_rejected:
        return False
    if rule.is_no_user_prediction:
        return True  # only "no user" predictions compete, and TED never makes one
    return rule.max_confidence >= 1.0 and rule.policy_priority > ted_priority


def can_predict_from_text(ted: Any) -> bool:
    """TED trained on end-to-end stories may predict from the text, outranking rules."""
    from rasa.shared.nlu.constants import TEXT

    return bool(ted.only_e2e or TEXT in (ted.fake_features or {}))


def last_action_rejected(tracker: Any) -> bool:
    """The conversation's last action event is a rejection (the ensemble then zeroes it)."""
    from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected

    for event in reversed(tracker.events):
        if isinstance(event, (ActionExecutionRejected, ActionExecuted)):
            return isinstance(event, ActionExecutionRejected)
    return False


def gate(predict: Callable[..., Any]) -> Callable[..., Any]:
    """TED's ``predict_action_probabilities``, skipped when the rule policy decided."""
    if getattr(predict, _GATED, False):
        return predict

    @functools.wraps(predict)
    def predict_action_probabilities(
        self: Any,
        tracker: Any,
        domain: Any,
        rule_only_data: dict | None = None,
        precomputations: Any = None,
        **kwargs: Any,
    ) -> Any:
        rule = kwargs.pop(RULE_PREDICTION, None)
        if (
            self.model is not None
            and rule_decided(rule, self.priority, last_action_rejected(tracker))
            and not can_predict_from_text(self)
        ):
            return self._prediction([0.0] * domain.num_actions)
        return predict(self, tracker, domain, rule_only_data, precomputations, **kwargs)

    setattr(predict_action_probabilities, _GATED, True)
    return predict_action_probabilities
