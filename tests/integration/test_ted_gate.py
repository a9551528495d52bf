"""Skipping TED when the rules decided changes no prediction of the trained model.

Every state of every conversation test (tests/stories) is predicted twice with
the model's real graph: once with TED gated (bot.policies.ted_gate, as the
servers run) and once with TED run every time, as Rasa does. The winning
policy, its probabilities and its events must be the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import STORIES

pytestmark = pytest.mark.integration


def conversation_states(path: Path, domain: Any) -> list[Any]:
    """Each tracker at which the dialogue policy is asked for the next action."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import (
        YAMLStoryReader,
    )

    states = []
    for number, step in enumerate(YAMLStoryReader(domain).read_from_file(str(path))):
        tracker = DialogueStateTracker(f"{path.stem}-{number}", domain.slots)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        for event in step.events:
            if isinstance(event, UserUttered) and tracker.latest_action_name != ACTION_LISTEN_NAME:
                states.append(tracker.copy())
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            if isinstance(event, ActionExecuted):
                states.append(tracker.copy())
            tracker.update(event, domain)
        states.append(tracker.copy())
    return states


def first_turn_states(domain: Any) -> list[Any]:
    """Every intent as the first message of a conversation: off-script states included."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return [
        DialogueStateTracker.from_events(
            f"first-{intent}",
            [
                ActionExecuted(ACTION_LISTEN_NAME),
                UserUttered(intent, {"name": intent, "confidence": 1.0}),
            ],
            domain.slots,
        )
        for intent in domain.intents
    ]


def unexpected_action_states(domain: Any) -> list[Any]:
    """A greeting answered by each of the bot's actions: mostly states no rule covers."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return [
        DialogueStateTracker.from_events(
            f"after-{action}",
            [
                ActionExecuted(ACTION_LISTEN_NAME),
                UserUttered("hi", {"name": "greet", "confidence": 1.0}),
                ActionExecuted(action),
            ],
            domain.slots,
        )
        for action in [*domain.user_actions_and_forms, *sorted(domain.utterances_for_response)]
    ]


def ted_node_name(runner: Any) -> str:
    return next(name for name in runner._instantiated_nodes if name.startswith("run_TEDPolicy"))


def predict(agent: Any, tracker: Any) -> dict[str, Any]:
    from rasa.engine.constants import PLACEHOLDER_TRACKER

    runner = agent.processor.graph_runner
    ted = ted_node_name(runner)
    outputs = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=["select_prediction", ted])
    return {"winner": outputs["select_prediction"], "ted": outputs[ted]}


def summary(prediction: Any) -> tuple[Any, ...]:
    return (
        prediction.policy_name,
        [round(p, 6) for p in prediction.probabilities],
        [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in prediction.events],
        prediction.is_end_to_end_prediction,
        prediction.is_no_user_prediction,
    )


def test_every_conversation_state_gets_the_same_prediction_with_and_without_the_gate(agent):
    import bot.speedups

    runner = agent.processor.graph_runner
    ted_node = runner._instantiated_nodes[ted_node_name(runner)]
    gated_predict = ted_node._fn  # bound when the model was loaded
    assert gated_predict is not bot.speedups._original_ted_predict, "gate not installed"
    states = [state for path in STORIES for state in conversation_states(path, agent.domain)]
    assert len(states) > 200
    states += first_turn_states(agent.domain) + unexpected_action_states(agent.domain)

    skipped = 0
    for tracker in states:
        gated = predict(agent, tracker)
        ted_node._fn = bot.speedups._original_ted_predict
        try:
            plain = predict(agent, tracker)
        finally:
            ted_node._fn = gated_predict
        assert summary(gated["winner"]) == summary(plain["winner"]), tracker.sender_id
        if not any(gated["ted"].probabilities):
            skipped += 1
            assert any(plain["ted"].probabilities)  # TED did have an opinion, outranked
    # Both paths are exercised: rules decide the scripted states, not the unexpected ones.
    assert 0 < skipped < len(states)
    print(f"TED skipped at {skipped} of {len(states)} states")
