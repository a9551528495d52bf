"""TED is skipped only when the rule policy's prediction cannot be beaten by it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.graph import GraphSchema, SchemaNode
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered

from bot.policies import ted_gate


def node(uses: type, fn: str = ted_gate.PREDICT, **needs: str) -> SchemaNode:
    return SchemaNode(needs=dict(needs), uses=uses, constructor_name="load", fn=fn, config={})


def schema(**nodes: SchemaNode) -> GraphSchema:
    return GraphSchema(nodes)


def prediction(
    confidence: float, priority: int = 6, no_user: bool = False, policy: str = "RulePolicy"
) -> PolicyPrediction:
    return PolicyPrediction([0.0, confidence], policy, priority, is_no_user_prediction=no_user)


# -- the graph -----------------------------------------------------------------------------
def test_ted_is_given_the_rule_policys_prediction():
    graph = schema(
        run_RulePolicy1=node(RulePolicy, tracker="tracker"),
        run_MemoizationPolicy2=node(MemoizationPolicy, tracker="tracker"),
        run_TEDPolicy3=node(TEDPolicy, tracker="tracker", domain="domain"),
    )
    wired = ted_gate.wire_rule_prediction(graph)
    assert wired.nodes["run_TEDPolicy3"].needs == {
        "tracker": "tracker",
        "domain": "domain",
        "rule_prediction": "run_RulePolicy1",
    }
    assert wired.nodes["run_MemoizationPolicy2"].needs == {"tracker": "tracker"}
    assert graph.nodes["run_TEDPolicy3"].needs == {"tracker": "tracker", "domain": "domain"}


def test_a_subclass_of_ted_or_of_the_rule_policy_is_wired_too():
    class CityTED(TEDPolicy):
        pass

    class CityRules(RulePolicy):
        pass

    wired = ted_gate.wire_rule_prediction(schema(rules=node(CityRules), ted=node(CityTED)))
    assert wired.nodes["ted"].needs == {"rule_prediction": "rules"}


def test_graphs_without_rules_or_with_two_rule_policies_are_left_alone():
    alone = schema(ted=node(TEDPolicy))
    assert ted_gate.wire_rule_prediction(alone) is alone
    twice = schema(a=node(RulePolicy), b=node(RulePolicy), ted=node(TEDPolicy))
    assert ted_gate.wire_rule_prediction(twice) is twice


def test_the_training_graph_is_left_alone():
    training = schema(rules=node(RulePolicy, fn="train"), ted=node(TEDPolicy, fn="train"))
    assert ted_gate.wire_rule_prediction(training) is training


def test_wiring_twice_changes_nothing_more():
    once = ted_gate.wire_rule_prediction(schema(rules=node(RulePolicy), ted=node(TEDPolicy)))
    assert ted_gate.wire_rule_prediction(once) is once


# -- the decision --------------------------------------------------------------------------
def test_a_certain_rule_of_higher_priority_decides():
    assert ted_gate.rule_decided(prediction(1.0), ted_priority=1, last_action_rejected=False)


@pytest.mark.parametrize(
    "rule, ted_priority, rejected",
    [
        (None, 1, False),  # no rule prediction was passed
        (prediction(0.3), 1, False),  # the rule policy's fallback threshold, not a rule
        (prediction(0.0), 1, False),  # no rule applies
        (prediction(1.0, priority=1), 1, False),  # equal priority: order would decide
        (prediction(1.0, priority=1), 2, False),  # TED configured above the rules
        (prediction(1.0), 1, True),  # the ensemble zeroes a rejected action afterwards
    ],
)
def test_ted_still_runs_when_it_could_win(rule: Any, ted_priority: int, rejected: bool):
    assert not ted_gate.rule_decided(rule, ted_priority, rejected)


def test_a_no_user_prediction_decides_whatever_its_confidence():
    rule = prediction(0.4, priority=1, no_user=True)
    assert ted_gate.rule_decided(rule, ted_priority=5, last_action_rejected=False)


def test_the_last_action_event_tells_whether_it_was_rejected():
    tracker = SimpleNamespace(
        events=[
            ActionExecuted("action_listen"),
            UserUttered("hi"),
            ActionExecutionRejected("complaint_form"),
        ]
    )
    assert ted_gate.last_action_rejected(tracker)
    tracker.events.append(ActionExecuted("utter_greet"))
    assert not ted_gate.last_action_rejected(tracker)
    assert not ted_gate.last_action_rejected(SimpleNamespace(events=[]))


def test_a_ted_trained_on_text_may_outrank_rules():
    assert not ted_gate.can_predict_from_text(SimpleNamespace(only_e2e=False, fake_features={}))
    assert ted_gate.can_predict_from_text(SimpleNamespace(only_e2e=True, fake_features={}))
    assert ted_gate.can_predict_from_text(
        SimpleNamespace(only_e2e=False, fake_features={"text": []})
    )


# -- the wrapped prediction ----------------------------------------------------------------
class FakeTED:
    """Just what the gate reads of a TEDPolicy."""

    priority = 1
    only_e2e = False
    fake_features: dict = {}
    model = object()

    def __init__(self) -> None:
        self.ran = 0

    def _prediction(self, probabilities: list[float]) -> PolicyPrediction:
        return PolicyPrediction(probabilities, "TEDPolicy", self.priority)


def real_predict(self: FakeTED, tracker, domain, rule_only_data=None, precomputations=None, **kw):
    self.ran += 1
    assert "rule_prediction" not in kw
    return PolicyPrediction([0.2, 0.8], "TEDPolicy", self.priority)


TRACKER = SimpleNamespace(events=[ActionExecuted("action_listen"), UserUttered("hi")])
DOMAIN = SimpleNamespace(num_actions=2)


def test_when_the_rule_decided_ted_answers_no_opinion_without_running():
    ted = FakeTED()
    answer = ted_gate.gate(real_predict)(ted, TRACKER, DOMAIN, rule_prediction=prediction(1.0))
    assert answer.probabilities == [0.0, 0.0] and answer.policy_name == "TEDPolicy"
    assert ted.ran == 0


def test_otherwise_ted_runs_as_before():
    ted = FakeTED()
    gated = ted_gate.gate(real_predict)
    assert gated(ted, TRACKER, DOMAIN, rule_prediction=prediction(0.3)).probabilities == [
        0.2,
        0.8,
    ]
    assert gated(ted, TRACKER, DOMAIN).max_confidence == 0.8  # not wired: always runs
    ted.fake_features = {"text": []}
    gated(ted, TRACKER, DOMAIN, rule_prediction=prediction(1.0))
    assert ted.ran == 3


def test_a_ted_without_a_trained_model_keeps_its_own_answer():
    ted = FakeTED()
    ted.model = None
    ted_gate.gate(real_predict)(ted, TRACKER, DOMAIN, rule_prediction=prediction(1.0))
    assert ted.ran == 1


def test_gating_twice_wraps_once():
    once = ted_gate.gate(real_predict)
    assert ted_gate.gate(once) is once
