"""The trained model predicts the same with the kept replays as with Rasa's own states.

bot/dialogue_states.py replaces ``Domain.states_for_tracker_history`` in the servers.
Here each conversation test (tests/stories) is grown as a server grows it — one tracker,
its events appended — and at every point where the policies are asked, the model's
real graph predicts twice: with the kept replays (continued from the previous point)
and with Rasa's method. The states, the winning policy, its probabilities and its events
must match.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import STORIES
from tests.integration.test_ted_gate import predict, summary

pytestmark = pytest.mark.integration


def test_every_prediction_of_a_growing_conversation_matches_rasa_s_states(agent: Any) -> None:
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    from bot import dialogue_states

    replayed = Domain.states_for_tracker_history
    assert dialogue_states.rasa_states_for_tracker_history is not None, "not installed"
    before = dialogue_states.REPLAYS.continued
    compared = 0
    for path in STORIES:
        steps = YAMLStoryReader(agent.domain).read_from_file(str(path))
        for number, step in enumerate(steps):
            tracker = DialogueStateTracker(f"{path.stem}-{number}", agent.domain.slots)
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            for event in [*step.events, None]:
                asked = event is None or isinstance(event, ActionExecuted)
                if isinstance(event, UserUttered) and tracker.latest_action_name != (
                    ACTION_LISTEN_NAME
                ):
                    asked = True
                if asked:
                    rasa = dialogue_states.rasa_states_for_tracker_history
                    for hidden in (False, True):
                        assert replayed(
                            agent.domain, tracker, ignore_rule_only_turns=hidden
                        ) == rasa(agent.domain, tracker, ignore_rule_only_turns=hidden)
                    ours = summary(predict(agent, tracker)["winner"])
                    Domain.states_for_tracker_history = (
                        dialogue_states.rasa_states_for_tracker_history
                    )
                    try:
                        theirs = summary(predict(agent, tracker)["winner"])
                    finally:
                        Domain.states_for_tracker_history = replayed
                    assert ours == theirs, (tracker.sender_id, len(tracker.events))
                    compared += 1
                if event is None:
                    break
                if isinstance(event, UserUttered) and tracker.latest_action_name != (
                    ACTION_LISTEN_NAME
                ):
                    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                tracker.update(event, agent.domain)
    assert compared > 200
    assert dialogue_states.REPLAYS.continued > before  # the replays did go on, not restart
