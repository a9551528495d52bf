"""A long conversation loaded as its recent part plus a snapshot of what came before.

Rasa rebuilds a conversation's tracker from every event of the session on every message
(parse each event, replay it), and its policies then walk the whole history again for
every prediction. A WeChat resident keeps one conversation for life, so that work grew
with every message: the 200th cost five times the first.

What the dialogue needs from the past is its *state* — slot values, the active form,
whether the conversation is paused — plus the last few turns, which the policies read
(``max_history`` is 5; rules are a few turns long; the ML policies skip turns the rules
ran alone, so the cut keeps at least ``ML_TURNS`` of the turns they see). So the
tracker store keeps, per conversation, a snapshot: the events that recreate the state
as it was at an earlier user message (one ``SlotSet`` per slot not at its initial
value, ``ActiveLoop``, ``LoopInterrupted`` and ``ActionExecutionRejected`` for a form in
progress, ``ConversationPaused``, then an ``action_listen`` as at a conversation's
start), and loads the snapshot followed by the events stored after it. The snapshot
moves forward when more than ``2 × keep`` user messages follow it, to the ``keep``-th
latest (further back if the ML policies need it), so a message costs the same at
message 20 and message 2,000.

The events themselves are all still stored, one row each, as Rasa stores them: the
staff console, exports and Rasa's full-tracker API read them all; only what is loaded
for answering a message is cut. A new session (``session_started``) is loaded from its
start as before; a snapshot from an earlier session is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

snapshots_metadata = sa.MetaData()
#: Per conversation: the events recreating its state up to ``last_event_id`` (an
#: ``events.id``), valid while the session that began at ``session_start_id`` lasts.
snapshots_table = sa.Table(
    "tracker_snapshots",
    snapshots_metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
    sa.Column("session_start_id", sa.Integer),
    sa.Column("events", sa.Text, nullable=False),
)

#: User messages kept as events when a snapshot moves (at most twice as many are loaded).
DEFAULT_KEEP_USER_MESSAGES = 8
#: Turns the ML policies see (max_history 5, and the turn before for the previous action)
#: kept after the cut, with a margin.
ML_TURNS = 8


def cut_index(
    events: Sequence[Any],
    keep_user_messages: int,
    ml_turns: int = ML_TURNS,
    most_user_messages: int | None = None,
) -> int | None:
    """Where the loaded part of a conversation begins: the index of a user message with
    at least ``keep_user_messages`` user messages and ``ml_turns`` turns the ML policies
    see (actions not hidden as rule-only) from it on; None if the conversation is shorter.

    The ML policies skip rule-only turns, so in a conversation the rules run they look
    further back than ``max_history`` turns; the cut leaves them that many. Scanning stops
    at ``most_user_messages`` (default four times ``keep_user_messages``) to bound the
    cost in a conversation of rule-only turns; the prefix's conversation-start state
    then stands in for the older ones (see :func:`state_prefix`).
    """
    from rasa.shared.core.events import ActionExecuted, UserUttered

    most = most_user_messages or 4 * keep_user_messages
    users = seen_ml_turns = 0
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, ActionExecuted) and not event.hide_rule_turn:
            seen_ml_turns += 1
        elif isinstance(event, UserUttered):
            users += 1
            enough = users >= keep_user_messages and seen_ml_turns >= ml_turns
            if enough or users >= most:
                return index
    return None


def count_user_messages(events: Iterable[Any]) -> int:
    from rasa.shared.core.events import UserUttered

    return sum(isinstance(event, UserUttered) for event in events)


def state_prefix(events: Sequence[Any], slots: Iterable[Any]) -> list[Any]:
    """Events that recreate the dialogue state after ``events`` (see the module docstring).

    The state is found by replaying ``events`` as Rasa does, so restarts, reverted turns
    and session starts among them count exactly as they would.
    """
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActiveLoop,
        ConversationPaused,
        LoopInterrupted,
        SlotSet,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    replayed = DialogueStateTracker.from_events("snapshot", list(events), slots)
    prefix: list[Any] = [
        SlotSet(name, slot.value)
        for name, slot in replayed.slots.items()
        if slot.value != slot.initial_value
    ]
    loop = replayed.active_loop
    if loop is not None and loop.name:
        prefix.append(ActiveLoop(loop.name))
        if loop.is_interrupted:
            prefix.append(LoopInterrupted(True))
        if loop.rejected:
            prefix.append(ActionExecutionRejected(loop.name))
    if replayed.is_paused():
        prefix.append(ConversationPaused())
    # Like the start of a conversation: a state for the ML policies to begin from.
    prefix.append(ActionExecuted(ACTION_LISTEN_NAME))
    return prefix
