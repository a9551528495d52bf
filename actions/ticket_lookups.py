"""Which tickets a conversation looked up that it did not file, to limit walking numbers.

Ticket numbers are sequential at many cities, so a conversation may be shown the stage of
only a few tickets it did not file per day (``actions.complaints.status``). Counting
those answers in the conversation's own events did not hold: Rasa hands the action server
only the current session (a new one starts after an hour's silence), and only the recent
part of a long one (``bot.action_payload``), so the count started again with each
session. The count lives here instead, in the action server's own database (the
outbox's), one row per look-up — the conversation id and the time, nothing the resident
said — kept for a day (``forget_before``, run by ``make retention``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine

#: How long a look-up counts against the conversation.
PERIOD = dt.timedelta(days=1)

metadata = MetaData()

lookups_table = Table(
    "ticket_lookups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class TicketLookups:
    """The look-ups of tickets a conversation did not file (see the module docstring)."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        """``engine``: the outbox's database (``outbox_database_url``)."""
        self._engine = engine
        self._clock = clock
        metadata.create_all(engine)

    def today(self, sender_id: str) -> int:
        """How many such look-ups ``sender_id`` made in the last ``PERIOD``."""
        since = self._clock() - PERIOD
        with self._engine.connect() as connection:
            count = connection.execute(
                select(func.count())
                .select_from(lookups_table)
                .where((lookups_table.c.sender_id == sender_id) & (lookups_table.c.at >= since))
            ).scalar()
        return int(count or 0)

    def record(self, sender_id: str) -> None:
        """One more look-up by ``sender_id``, now."""
        with self._engine.begin() as connection:
            connection.execute(insert(lookups_table).values(sender_id=sender_id, at=self._clock()))

    def forget_before(self, cutoff: dt.datetime | None = None) -> int:
        """Delete look-ups older than ``cutoff`` (default: one ``PERIOD`` ago); how many."""
        cutoff = cutoff or self._clock() - PERIOD
        with self._engine.begin() as connection:
            result = connection.execute(delete(lookups_table).where(lookups_table.c.at < cutoff))
        return int(result.rowcount or 0)
