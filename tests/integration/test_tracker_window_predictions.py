"""A long conversation loaded as snapshot + recent events gets the same predictions.

Every conversation test (tests/stories) is played one after another, twice, as ONE long
conversation — thousands of events, as a WeChat resident who never leaves would make.
Each action is first marked as the server marks it (``hide_rule_turn`` when the rules
predicted it alone), since the ML policies skip such turns and so look further back than
``max_history``. Then, at every other point where the dialogue policies are asked for
the next action, the trained model predicts twice: on the whole conversation, as Rasa
loads it, and on what the windowed tracker store loads (bot.tracker_window: the state
recreated at the cut, then the events since). The winner, its probabilities and its
events must be the same.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.tracker_window import DEFAULT_KEEP_USER_MESSAGES, cut_index, state_prefix
from tests.integration.conftest import ROOT
from tests.integration.test_ted_gate import predict, summary

pytestmark = pytest.mark.integration

STORIES = sorted((ROOT / "tests" / "stories").glob("*.yml"))


def one_long_conversation(domain: Any) -> tuple[list[Any], list[int]]:
    """The events of every conversation-test step, in order, as one conversation, with
    the points (event counts) at which a prediction is asked for."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import (
        YAMLStoryReader,
    )

    events: list[Any] = [ActionExecuted(ACTION_LISTEN_NAME)]
    points: list[int] = []
    steps = [step for path in STORIES for step in YAMLStoryReader(domain).read_from_file(str(path))]
    for step in steps * 2:  # twice: a conversation of well over a thousand events
        for event in step.events:
            last_action = next(
                (e.action_name for e in reversed(events) if isinstance(e, ActionExecuted)), None
            )
            if isinstance(event, UserUttered) and last_action != ACTION_LISTEN_NAME:
                events.append(ActionExecuted(ACTION_LISTEN_NAME))
            if isinstance(event, ActionExecuted):
                points.append(len(events))
            events.append(event)
    return events, points


def mark_rule_turns(model: Any, events: list[Any], points: list[int]) -> int:
    """Set ``hide_rule_turn`` on each action as the processor would log it; how many."""
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = model.domain
    hidden = 0
    for point in points:
        tracker = DialogueStateTracker.from_events("whole", events[:point], domain.slots)
        winner = predict(model, tracker)["winner"]
        action = events[point]
        if domain.action_names_or_texts[winner.max_confidence_index] == action.action_name:
            action.hide_rule_turn = winner.hide_rule_turn
            hidden += winner.hide_rule_turn
    return hidden


def windowed(events: list[Any], domain: Any, keep: int) -> list[Any]:
    """What the windowed store loads for these events (prefix + events since the cut)."""
    cut = cut_index(events, keep)
    if cut is None or cut == 0:
        return list(events)
    return state_prefix(events[:cut], domain.slots) + list(events[cut:])


def test_the_windowed_conversation_gets_every_prediction_the_whole_one_gets(agent):  # noqa: F811
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = agent.domain
    events, points = one_long_conversation(domain)
    assert len(events) > 1000 and len(points) > 200
    hidden = mark_rule_turns(agent, events, points)
    assert 0 < hidden < len(points)  # both kinds of turn are in the conversation
    compared = 0
    for point in points[::2]:  # every other prediction: the comparison is O(n) each
        history = events[:point]
        whole = DialogueStateTracker.from_events("whole", history, domain.slots)
        window = DialogueStateTracker.from_events(
            "window", windowed(history, domain, DEFAULT_KEEP_USER_MESSAGES), domain.slots
        )
        if len(window.events) == len(whole.events):
            continue  # not long enough to be cut yet
        assert summary(predict(agent, window)["winner"]) == summary(
            predict(agent, whole)["winner"]
        ), f"prediction {point} of {len(events)} events"
        compared += 1
    assert compared > 100
    print(
        f"{compared} predictions compared on one conversation of {len(events)} events "
        f"({hidden} of {len(points)} actions rule-only)"
    )
