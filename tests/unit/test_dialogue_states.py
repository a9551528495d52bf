"""A conversation's dialogue states from its kept replay are Rasa's own (bot/dialogue_states.py).

Every conversation test (tests/stories) is grown one event at a time, as a Rasa server
grows a conversation, and at every step the states the policies would read are asked
for both ways — with and without the turns only rules know, with and without unset
slots — and compared with Rasa's ``Domain.states_for_tracker_history``. So are forms
that are rejected, run again and closed, reverted messages, restarts and new sessions.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from bot import dialogue_states
from bot.dialogue_states import Replays, states_for_tracker_history

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
RULE_ONLY = {"rule_only_slots": ["complaint_category"], "rule_only_loops": ["complaint_form"]}
WAYS = [
    {},
    {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
    {"ignore_rule_only_turns": True, "rule_only_data": None},
    {"omit_unset_slots": True},
]


def rasa_states(tracker: DialogueStateTracker, **way: Any) -> list[dict]:
    rasa = dialogue_states.rasa_states_for_tracker_history
    assert rasa is not None
    return rasa(DOMAIN, tracker, **way)


def user(intent: str, **entities: str) -> UserUttered:
    return UserUttered(
        f"text of {intent}",
        {"name": intent, "confidence": 1.0},
        [{"entity": name, "value": value} for name, value in entities.items()],
    )


def story_events() -> Iterator[tuple[str, list[Event]]]:
    for path in sorted((ROOT / "tests" / "stories").glob("*.yml")):
        for number, step in enumerate(YAMLStoryReader(DOMAIN).read_from_file(str(path))):
            events: list[Event] = [ActionExecuted(ACTION_LISTEN_NAME)]
            for event in step.events:
                if isinstance(event, UserUttered) and not (
                    isinstance(events[-1], ActionExecuted)
                    and events[-1].action_name == ACTION_LISTEN_NAME
                ):
                    events.append(ActionExecuted(ACTION_LISTEN_NAME))
                events.append(event)
            yield f"{path.stem}-{number}", events


def form_with_everything() -> list[Event]:
    """A complaint form rejected, resumed, run again, reverted; a restart and a new session."""
    return [
        ActionExecuted(ACTION_LISTEN_NAME),
        user("complaint_file", complaint_category="noise"),
        ActionExecuted("complaint_form"),
        ActiveLoop("complaint_form"),
        SlotSet("requested_slot", "location"),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("transit_fare"),
        ActionExecutionRejected("complaint_form"),
        ActionExecuted("action_transit_fare", hide_rule_turn=True),
        ActionExecuted("complaint_form"),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("inform"),
        ActionExecuted("complaint_form"),
        SlotSet("requested_slot", "phone"),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("inform"),
        UserUtteranceReverted(),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("inform"),
        ActionExecuted("complaint_form"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        FollowupAction("action_file_complaint"),
        ActionExecuted("action_file_complaint"),
        ActionExecuted("utter_anything_else", hide_rule_turn=True),
        ActionReverted(),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("thank"),
        Restarted(),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("greet"),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        SlotSet("language", "zh"),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("permit_fee", permit_type="passport"),
        ActionExecuted("action_permit_answer"),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


CONVERSATIONS = [*story_events(), ("form-with-everything", form_with_everything())]


@pytest.mark.parametrize(("sender", "events"), CONVERSATIONS, ids=[c[0] for c in CONVERSATIONS])
def test_states_at_every_step_of_a_conversation_are_rasa_s(sender: str, events: list) -> None:
    replays = Replays()
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event)
        for way in WAYS:
            ours = states_for_tracker_history(DOMAIN, tracker, replays=replays, **way)
            assert ours == rasa_states(tracker, **way), (len(tracker.events), way)
    assert replays.continued > replays.started  # most steps went on from the replay before


@pytest.mark.parametrize(("sender", "events"), CONVERSATIONS, ids=[c[0] for c in CONVERSATIONS])
def test_states_after_several_new_events_at_once_are_rasa_s(sender: str, events: list) -> None:
    """A message adds several events between two predictions (an action's events, a
    revert and the message after it): the replay must follow them all at once."""
    replays = Replays()
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    sizes = [3, 1, 4, 2, 5, 6]
    position = 0
    for step in range(len(events)):
        for event in events[position : position + sizes[step % len(sizes)]]:
            tracker.update(event)
        position += sizes[step % len(sizes)]
        for way in WAYS[:2]:
            ours = states_for_tracker_history(DOMAIN, tracker, replays=replays, **way)
            assert ours == rasa_states(tracker, **way), (len(tracker.events), way)
        if position >= len(events):
            break


def test_a_tracker_that_forgets_its_oldest_events_is_replayed_from_what_it_holds() -> None:
    replays = Replays()
    tracker = DialogueStateTracker("short-memory", DOMAIN.slots, max_event_history=8)
    for event in form_with_everything():
        tracker.update(event)
        for way in WAYS[:2]:
            ours = states_for_tracker_history(DOMAIN, tracker, replays=replays, **way)
            assert ours == rasa_states(tracker, **way), (len(tracker.events), way)


def test_a_form_run_again_takes_the_earlier_turns_from_the_replay_before() -> None:
    replays = Replays()
    tracker = DialogueStateTracker("form-again", DOMAIN.slots)
    for event in form_with_everything()[:13]:  # up to the form's third run
        tracker.update(event)
        for way in WAYS:
            ours = states_for_tracker_history(DOMAIN, tracker, replays=replays, **way)
            assert ours == rasa_states(tracker, **way)
    assert replays.reused > 0


def test_a_caller_that_edits_its_states_does_not_change_the_next_caller_s() -> None:
    replays = Replays()
    tracker = DialogueStateTracker("edits", DOMAIN.slots)
    for event in form_with_everything()[:12]:
        tracker.update(event)
    first = states_for_tracker_history(DOMAIN, tracker, replays=replays)
    expected = copy.deepcopy(first)
    for state in first:  # what the featurizer does to the last state, and worse
        for sub_state in state.values():
            sub_state.clear()
    for way in WAYS:
        assert states_for_tracker_history(DOMAIN, tracker, replays=replays, **way) == rasa_states(
            tracker, **way
        )
    assert states_for_tracker_history(DOMAIN, tracker, replays=replays) == expected


def test_another_tracker_of_the_conversation_is_replayed_from_its_own_events() -> None:
    replays = Replays()
    events = form_with_everything()
    tracker = DialogueStateTracker.from_events("same", events[:20], DOMAIN.slots)
    states_for_tracker_history(DOMAIN, tracker, replays=replays)
    # Loaded afresh from the database: equal events, other objects, and fewer of them.
    reloaded = DialogueStateTracker.from_dict(
        "same", [e.as_dict() for e in events[:9]], DOMAIN.slots
    )
    assert states_for_tracker_history(DOMAIN, reloaded, replays=replays) == rasa_states(reloaded)
    assert replays.started == 2


def test_replays_are_kept_for_a_bounded_number_of_conversations_and_time() -> None:
    now = [0.0]
    replays = Replays(size=2, idle_seconds=300, clock=lambda: now[0])
    trackers = [
        DialogueStateTracker.from_events(name, form_with_everything()[:6], DOMAIN.slots)
        for name in ("a", "b", "c")
    ]
    for tracker in trackers:
        replays.turns(DOMAIN, tracker, False)
    assert len(replays) == 2
    now[0] = 301.0
    replays.turns(DOMAIN, trackers[0], False)
    assert len(replays) == 1
