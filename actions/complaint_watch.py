"""Which complaints residents are waiting to hear about, and what each was last told.

One row per complaint filed through the assistant, keyed by the outbox's local
reference (``LQ…``), which exists even before the city has issued a ticket. The
notifier (:mod:`actions.complaint_notifier`) reads the unfinished rows each
round, compares the ticket's workflow state with ``last_state`` and records each
state it announced, so a resident hears about every step once. A row is
``finished`` once the ticket is closed and is then no longer polled; so is a
complaint the city rejected, and one still open after the watch period (see
:func:`actions.complaint_notifier.stale`): the resident can still ask for its
status, but the worker stops asking the city about it every round.

The table lives in the outbox's database (same URL, SQLAlchemy 2.0 style), so a
city runs one database for both. Several workers may poll at once: a worker
claims a row before it messages the resident, as the outbox claims a record
before it posts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from actions.storage import engine_for

#: A claimed row whose message never finished (worker died) may be claimed again after this.
CLAIM_LEASE = dt.timedelta(minutes=2)

metadata = MetaData()

watch_table = Table(
    "complaint_watch",
    metadata,
    Column("local_ref", String(16), primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("output_channel", String(64)),
    Column("last_state", String(64)),
    Column("last_checked_at", DateTime(timezone=True)),
    Column("finished", Boolean, nullable=False, default=False, index=True),
    Column("claimed_until", DateTime(timezone=True)),
)


@dataclass(frozen=True)
class Watched:
    """One complaint a resident is waiting to hear about."""

    local_ref: str
    sender_id: str
    output_channel: str | None
    last_state: str | None
    last_checked_at: dt.datetime | None
    finished: bool


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; everything here is stored in UTC."""
    if value is None or value.tzinfo:
        return value
    return value.replace(tzinfo=dt.timezone.utc)


def _ref(local_ref: str) -> str:
    return local_ref.strip().upper()


class ComplaintWatch:
    """The watch table: which complaints to poll and the last state each resident saw."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self._engine = engine
        self._clock = clock
        metadata.create_all(engine)

    @classmethod
    def from_url(cls, database_url: str) -> ComplaintWatch:
        """A watch table on any SQLAlchemy URL; give it the outbox's ``outbox_database_url``."""
        return cls(engine_for(database_url))

    # -- reading ---------------------------------------------------------------------------
    def get(self, local_ref: str) -> Watched | None:
        """The watch of one complaint, if there is one."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(watch_table).where(watch_table.c.local_ref == _ref(local_ref))
            ).first()
        return _watched(row) if row else None

    def active(self, after: str | None = None, limit: int | None = None) -> list[Watched]:
        """Complaints whose ticket is not closed yet, in reference order.

        ``after`` and ``limit`` read one page (keyset: the references after
        ``after``), so a round over many open complaints holds one page at a time.
        """
        query = (
            select(watch_table)
            .where(watch_table.c.finished.is_(False))
            .order_by(watch_table.c.local_ref)
        )
        if after is not None:
            query = query.where(watch_table.c.local_ref > _ref(after))
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [_watched(row) for row in rows]

    def active_pages(self, page_size: int) -> Iterator[list[Watched]]:
        """Every unfinished watch, ``page_size`` at a time (each page read when asked for).

        Rows finished while the pages are read are simply not met again; rows
        added meanwhile are met if their reference sorts after the current page.
        """
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        after: str | None = None
        while True:
            page = self.active(after=after, limit=page_size)
            if not page:
                return
            yield page
            if len(page) < page_size:
                return
            after = page[-1].local_ref

    # -- writing ---------------------------------------------------------------------------
    def watch(
        self, local_ref: str, sender_id: str, output_channel: str | None, state: str | None
    ) -> None:
        """Start watching a complaint; ``state`` is what the resident saw when filing it.

        Safe to call again for the same complaint (a retried action): the first
        row is kept, whatever the second call says.
        """
        if self.get(local_ref) is not None:
            return
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(watch_table).values(
                        local_ref=_ref(local_ref),
                        sender_id=sender_id,
                        output_channel=output_channel or None,
                        last_state=state,
                        finished=False,
                    )
                )
        except IntegrityError:
            # A concurrent run of the same turn inserted it first; that row stands.
            if self.get(local_ref) is None:
                raise

    def claim(self, local_ref: str, last_state: str | None) -> bool:
        """Reserve telling the resident about the state after ``last_state`` (atomic).

        Fails when another worker holds the row or has already moved it past
        ``last_state``. The claim ends with :meth:`mark` or :meth:`release`, or
        lapses after :data:`CLAIM_LEASE`.
        """
        now = self._clock()
        table = watch_table
        with self._engine.begin() as connection:
            result = connection.execute(
                update(table)
                .where(table.c.local_ref == _ref(local_ref))
                .where(table.c.finished.is_(False))
                .where(table.c.last_state.is_not_distinct_from(last_state))
                .where(table.c.claimed_until.is_(None) | (table.c.claimed_until < now))
                .values(claimed_until=now + CLAIM_LEASE)
            )
            return bool(result.rowcount)

    def release(self, local_ref: str) -> None:
        """Give a claim up without recording anything (the message could not be sent)."""
        self._update(local_ref, claimed_until=None)

    def stop(self, local_refs: Sequence[str]) -> None:
        """Stop polling these complaints, keeping the state last told (nothing is announced)."""
        refs = sorted({_ref(ref) for ref in local_refs})
        with self._engine.begin() as connection:
            for start in range(0, len(refs), 500):
                connection.execute(
                    update(watch_table)
                    .where(watch_table.c.local_ref.in_(refs[start : start + 500]))
                    .values(finished=True, last_checked_at=self._clock(), claimed_until=None)
                )

    def mark(self, local_ref: str, state: str | None, finished: bool) -> None:
        """Record the state the resident now knows about; ``finished`` stops the polling."""
        self._update(
            local_ref,
            last_state=state,
            finished=finished,
            last_checked_at=self._clock(),
            claimed_until=None,
        )

    def forget_finished(self, before: dt.datetime) -> int:
        """Delete finished watches last checked before ``before``; how many went.

        A finished watch only remembers whom to tell about a ticket that will not move
        again; past the retention period it is one more place holding a resident's id.
        """
        with self._engine.begin() as connection:
            return int(
                connection.execute(
                    delete(watch_table).where(
                        watch_table.c.finished.is_(True) & (watch_table.c.last_checked_at < before)
                    )
                ).rowcount
                or 0
            )

    def _update(self, local_ref: str, **values: object) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(watch_table)
                .where(watch_table.c.local_ref == _ref(local_ref))
                .values(**values)
            )


def _watched(row: object) -> Watched:
    mapping = row._mapping  # type: ignore[attr-defined]
    return Watched(
        local_ref=mapping["local_ref"],
        sender_id=mapping["sender_id"],
        output_channel=mapping["output_channel"],
        last_state=mapping["last_state"],
        last_checked_at=_aware(mapping["last_checked_at"]),
        finished=bool(mapping["finished"]),
    )
