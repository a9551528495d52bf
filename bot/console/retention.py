"""Delete conversations older than the retention period, everywhere the console knows them.

A conversation is old when its last event is older than ``days`` days: its
events go from the tracker store (with its state snapshot, ``tracker_snapshots``,
which holds slot values such as a complaint's phone number) and its rows from
every console table (index, intents, search terms, tags, notes, corrections,
unmask grants). The audit log
keeps its entries (it records what was done, not what residents said); one
entry records the run itself.

Run it daily from cron (see docs/console.md):
``python -m bot.console retention``
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import List

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from bot.console import audit, schema
from bot.console.indexer import events
from bot.tracker_window import snapshots_table

CHUNK = 500
SYSTEM_USER = "retention"


@dataclass(frozen=True)
class RetentionResult:
    conversations: int
    events: int
    cutoff: float


def expired_conversations(tracker: Engine, cutoff: float) -> List[str]:
    """Conversations whose last event is before ``cutoff`` (epoch seconds)."""
    if not inspect(tracker).has_table("events"):
        return []
    with tracker.connect() as connection:
        return list(
            connection.execute(
                select(events.c.sender_id)
                .group_by(events.c.sender_id)
                .having(func.max(events.c.timestamp) < cutoff)
            ).scalars()
        )


def apply_retention(
    tracker: Engine, console: Engine, days: int, now: float | None = None
) -> RetentionResult:
    """Delete what is older than ``days`` days; how much went."""
    if days < 1:
        raise ValueError("Retention is at least one day.")
    cutoff = (now if now is not None else time.time()) - days * 86400
    senders = expired_conversations(tracker, cutoff)
    has_snapshots = inspect(tracker).has_table(snapshots_table.name)
    deleted_events = 0
    for start in range(0, len(senders), CHUNK):
        chunk = senders[start : start + CHUNK]
        with tracker.begin() as connection:
            deleted_events += connection.execute(
                events.delete().where(events.c.sender_id.in_(chunk))
            ).rowcount
            if has_snapshots:
                connection.execute(
                    snapshots_table.delete().where(snapshots_table.c.sender_id.in_(chunk))
                )
        with console.begin() as connection:
            for table in (
                schema.conversations,
                schema.conversation_intents,
                schema.search_terms,
                schema.tags,
                schema.notes,
                schema.corrections,
                schema.unmask_grants,
            ):
                connection.execute(table.delete().where(table.c.sender_id.in_(chunk)))
    with console.begin() as connection:
        audit.record(
            connection,
            SYSTEM_USER,
            audit.RETENTION,
            f"{days} days",
            {"conversations": len(senders), "events": deleted_events, "cutoff": cutoff},
        )
    return RetentionResult(len(senders), deleted_events, cutoff)
