"""The dialogue states of a conversation's history, replayed once per new event, not per call.

Why: the rule and memoization policies read the conversation as a list of states, one
before each action of its history (Rasa's ``Domain.states_for_tracker_history``), and
ask for it at every prediction: the rule policy once or twice, the memoization policy
once more with the turns that only rules know hidden, ~2 predictions per message. Each
call replays every loaded event into a fresh tracker and builds a state before each
action. With residents keeping their conversations this was ~17 % of a Rasa server's
samples under load (py-spy, ``make prod-local``), once parsing was cached.

What this changes, and why the states stay the same:

* **One replay serves both kinds of call.** The replay records, before each action,
  the full state and the few facts the hiding of rule-only turns reads (whether the
  turn is hidden, the follow-up action, the latest action, the active loop); both lists
  are then derived from that record by Rasa's own loop (:func:`states_from_turns`).
* **A history that only grew continues the replay.** The next call for the same
  conversation usually sees the same event objects plus a few new ones (the next
  prediction of the message, or its next message with the tracker kept in memory,
  ``bot/tracker_cache.py``). Rasa's replay skips events that undo others (reverts,
  restarts, a new session, a form run again, which hides the turns since its last run);
  when the new events contain none of these, the events Rasa would replay are the ones
  replayed before plus the new ones, so the replay goes on from where it stopped.
  Anything else — another tracker object, fewer or different events, one of those
  events among the new ones — is replayed from the start, as Rasa does; the states
  before the actions that both replays share at their start (all but the last few
  turns, when a form ran again) are taken from the earlier replay rather than built
  again.
* **Callers get copies.** The featurizer edits the last state it is given (it drops the
  text or the intent), so every call hands out fresh state dictionaries.

Kept per conversation (by sender id): the events' objects it has seen, the replay's
tracker and its states, for at most :data:`MAX_CONVERSATIONS` conversations and
:data:`IDLE_SECONDS` after their last use — what the tracker kept in memory between a
resident's messages already holds. Rule trackers (training) are replayed as Rasa does.
tests/unit/test_dialogue_states.py compares every call with Rasa's own.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Dict, List

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)

#: Conversations whose replay is kept, and for how long after its last use.
MAX_CONVERSATIONS = 128
IDLE_SECONDS = 300.0

#: Events after which Rasa's replay is no longer the old replay plus the new events.
UNDOING = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop)

State = Dict[str, Any]


@dataclass(frozen=True)
class Turn:
    """The state before one action, with what hiding rule-only turns reads of the tracker."""

    state: State
    hide_rule_turn: bool
    followup_action: str | None
    latest_action_name: str | None
    active_loop_name: str | None
    previous_action: Any


@dataclass
class Replay:
    """A conversation's events replayed into a fresh tracker, and the turns seen on the way."""

    domain: Any
    omit_unset_slots: bool
    events: List[Event]
    loop_names: frozenset[str]
    tracker: Any
    applied: List[Event] = field(default_factory=list)
    turns: List[Turn] = field(default_factory=list)
    used_at: float = 0.0

    def record(self, hide_rule_turn: bool) -> None:
        tracker = self.tracker
        self.turns.append(
            Turn(
                state=self.domain.get_active_state(tracker, omit_unset_slots=self.omit_unset_slots),
                hide_rule_turn=hide_rule_turn,
                followup_action=tracker.followup_action,
                latest_action_name=tracker.latest_action_name,
                active_loop_name=tracker.active_loop_name,
                previous_action=tracker.latest_action,
            )
        )

    def play(self, applied: Sequence[Event], known: Sequence[Turn] = (), same: int = 0) -> None:
        """Rasa's ``generate_all_prior_trackers`` from where the replay stopped.

        ``known`` are the turns of an earlier replay whose first ``same`` applied events
        were these very ones: the turn before each action among them is the same, and is
        taken instead of built again (the tracker still replays every event)."""
        actions = 0
        for position, event in enumerate(applied):
            if isinstance(event, ActionExecuted):
                if position < same and actions < len(known) - 1:
                    self.turns.append(known[actions])
                else:
                    self.record(event.hide_rule_turn)
                actions += 1
            self.tracker.update(event)
        self.applied.extend(applied)
        self.record(False)  # the tracker after every event


def _same_start(old: Sequence[Event], new: Sequence[Event]) -> int:
    """How many first events of ``old`` and ``new`` are the same objects."""
    for position, (a, b) in enumerate(zip(old, new, strict=False)):
        if a is not b:
            return position
    return min(len(old), len(new))


def _loop_names(events: Sequence[Event]) -> frozenset[str]:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def _continues(replay: Replay, events: Sequence[Event]) -> bool:
    """Whether ``events`` are the replayed ones plus new ones that undo nothing."""
    seen = replay.events
    if len(events) < len(seen) or any(a is not b for a, b in zip(seen, events, strict=False)):
        return False
    return not any(
        isinstance(event, UNDOING)
        or (isinstance(event, ActionExecuted) and event.action_name in replay.loop_names)
        for event in events[len(seen) :]
    )


def _copy(state: State) -> State:
    return {key: dict(value) if isinstance(value, dict) else value for key, value in state.items()}


def states_from_turns(
    domain: Any,
    turns: Sequence[Turn],
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[str, Any] | None = None,
) -> List[State]:
    """Rasa's ``Domain.states_for_tracker_history`` loop, over recorded turns."""
    states: List[State] = []
    last_ml_action_sub_state = None
    turn_was_hidden = False
    for turn in turns:
        if ignore_rule_only_turns:
            if not turn_was_hidden:
                previous = turn.previous_action
                last_ml_action_sub_state = dict(previous) if previous is not None else None
            if not turn.followup_action and turn.latest_action_name != turn.active_loop_name:
                turn_was_hidden = turn.hide_rule_turn
            if turn_was_hidden:
                continue
        state = _copy(turn.state)
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, rule_only_data)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = last_ml_action_sub_state
        states.append(domain._clean_state(state))
    return states


class Replays:
    """Each conversation's last replay, least recently used first out."""

    def __init__(
        self,
        size: int = MAX_CONVERSATIONS,
        idle_seconds: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = size
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._replays: OrderedDict[Any, Replay] = OrderedDict()
        self._lock = threading.Lock()
        self.continued = 0
        self.started = 0
        self.reused = 0

    def __len__(self) -> int:
        return len(self._replays)

    def turns(self, domain: Any, tracker: Any, omit_unset_slots: bool) -> List[Turn]:
        """The turns of ``tracker``'s history, replaying only what was not replayed."""
        events = list(tracker.events)
        key = (tracker.sender_id, id(domain), omit_unset_slots)
        now = self._clock()
        with self._lock:
            self._forget_idle(now)
            replay = self._replays.pop(key, None)
        if replay is not None and replay.domain is not domain:
            replay = None
        if replay is not None and _continues(replay, events):
            replay.turns.pop()  # the tracker after the old events gets its new events
            replay.play(events[len(replay.events) :])
            replay.events = events
            self.continued += 1
        else:
            # Replayed from the start, as Rasa does; when the conversation's earlier
            # replay began with the same applied events (a form run again hid the turns
            # since its last run), the turns before those events are taken from it.
            applied = tracker.applied_events()
            known = replay.turns if replay is not None else []
            same = _same_start(replay.applied, applied) if replay is not None else 0
            replay = Replay(
                domain=domain,
                omit_unset_slots=omit_unset_slots,
                events=events,
                loop_names=_loop_names(events),
                tracker=tracker.init_copy(),
            )
            replay.play(applied, known, same)
            self.started += 1
            self.reused += same > 0
        replay.used_at = now
        turns = list(replay.turns)
        with self._lock:
            self._replays[key] = replay
            while len(self._replays) > self.size:
                self._replays.popitem(last=False)
        return turns

    def _forget_idle(self, now: float) -> None:
        while self._replays:
            oldest = next(iter(self._replays.values()))
            if now - oldest.used_at <= self.idle_seconds:
                break
            self._replays.popitem(last=False)


REPLAYS = Replays()


def states_for_tracker_history(
    domain: Any,
    tracker: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[str, Any] | None = None,
    replays: Replays = REPLAYS,
) -> List[State]:
    """``Domain.states_for_tracker_history``, from the conversation's kept replay."""
    turns = replays.turns(domain, tracker, omit_unset_slots)
    return states_from_turns(domain, turns, ignore_rule_only_turns, rule_only_data)


#: Rasa's own ``Domain.states_for_tracker_history``, while :func:`install` has replaced it.
rasa_states_for_tracker_history: Callable[..., List[State]] | None = None


def install(domain_class: Any) -> None:
    """Make ``domain_class.states_for_tracker_history`` use the kept replays."""
    global rasa_states_for_tracker_history
    if rasa_states_for_tracker_history is None:
        rasa_states_for_tracker_history = domain_class.__dict__["states_for_tracker_history"]
    original = rasa_states_for_tracker_history

    def replayed_states(
        self: Any,
        tracker: Any,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: Dict[str, Any] | None = None,
    ) -> List[State]:
        if tracker.is_rule_tracker:  # training: each tracker is seen once
            return original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        return states_for_tracker_history(
            self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )

    domain_class.states_for_tracker_history = replayed_states


def uninstall(domain_class: Any) -> None:
    """Put Rasa's own method back."""
    if rasa_states_for_tracker_history is not None:
        domain_class.states_for_tracker_history = rasa_states_for_tracker_history
