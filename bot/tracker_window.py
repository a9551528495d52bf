"""A long conversation loaded as its recent part plus a snapshot of what came before.

Rasa rebuilds a conversation's tracker from every event of the session on every message
(parse each event, replay it), and its policies then walk the whole history again for
every prediction. A WeChat resident keeps one conversation for life, so that work grew
with every message: the 200th cost five times the first.

What the dialogue needs from the past is its *state* — slot values, the active form,
whether the conversation is paused — plus the last few turns, which the policies read
(``max_history`` is 5; rules are a few turns long). So the tracker store keeps, per
conversation, a snapshot: the events that recreate the state as it was at some earlier
user message (one ``SlotSet`` per slot not at its initial value, ``ActiveLoop``,
``LoopInterrupted`` and ``ActionExecutionRejected`` for a form in progress,
``ConversationPaused``), and loads the
snapshot followed by the events stored after it. The snapshot is moved forward when
more than ``2 × keep`` user messages follow it, to the ``keep``-th latest, so a message
costs the same at message 20 and message 2,000.

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
DEFAULT_KEEP_USER_MESSAGES = 12


def cut_index(events: Sequence[Any], keep_user_messages: int) -> int | None:
    """Index of the ``keep_user_messages``-th latest user message, or None if fewer."""
    from rasa.shared.core.events import UserUttered

    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == keep_user_messages:
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
    from rasa.shared.core.events import (
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
    return prefix
