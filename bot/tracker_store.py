"""Rasa's SQL tracker store, made to ride out a database restart instead of forking conversations.

Two things go wrong with Rasa's own ``SQLTrackerStore`` when PostgreSQL restarts
(an upgrade, a fail-over to the standby), both seen in the fault drill
(docs/faults.md):

- Its engine keeps dead connections, so the next message on each one fails.
  Here an operation that fails on a dead connection is run again at once: SQLAlchemy
  then drops every pooled connection, and the retry opens a fresh one. (Pinging each
  connection before use, ``pool_pre_ping``, did the same at the price of a round trip
  to the database before every read and write: ~4 % of a Rasa server's time under
  load, blocking its event loop.)
- Rasa wraps every tracker store in ``FailSafeTrackerStore``, which answers a
  failed read with "no such conversation" and a failed write by keeping the
  events in memory. During the seconds the database is down, a resident's
  complaint form starts again from nothing and what they said is never stored.
  Here reads and writes are retried for a few seconds (a restart takes one or
  two), so the fail-safe only sees an error when the database is really gone.

Retrying a write is safe: Rasa's store writes only the events beyond those the
database already holds, so a write that did commit before the connection
broke is not written twice.

On SQLite (``make run``) the store is made fit for a server rather than a script:
SQLAlchemy 1.4 gives a file database ``NullPool``, so Rasa opened (and closed) a new
SQLite connection for every read and every write; here connections are pooled, and each
is set to write-ahead logging (readers — the staff console's indexer — no longer block
the assistant's writes, and a commit is one append instead of a journal rewrite) with
``synchronous=NORMAL`` (durable across a crash of the process; a power cut may lose the
last commits, as the documentation of WAL mode says) and a busy timeout.

With ``window_user_messages: N`` (both endpoints files set it), a long conversation is
loaded as a snapshot of its state plus its recent events (:mod:`bot.tracker_window`),
so a message costs the same whatever the conversation's length; every event is still
stored. The tracker a save wrote is kept in memory for the conversation's next message
and used when the database holds nothing newer (:mod:`bot.tracker_cache`;
``cache_conversations: 0`` turns that off).

Configured in ``endpoints.yml`` and ``endpoints.prod.yml``
(``tracker_store: type: bot.tracker_store.ResilientSQLTrackerStore``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Iterable, Sequence, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.ops.metrics import REGISTRY
from bot.tracker_cache import DEFAULT_IDLE_SECONDS, DEFAULT_SIZE, LentTrackers
from bot.tracker_window import (
    count_user_messages,
    cut_index,
    snapshots_metadata,
    snapshots_table,
    state_prefix,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")
#: Seconds between attempts: about 7 s in all, more than a PostgreSQL restart takes.
RETRY_DELAYS: Sequence[float] = (0.2, 0.5, 1.0, 2.0, 3.0)


def is_connection_problem(error: Exception) -> bool:
    """Whether ``error`` means the database could not be reached (worth retrying)."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


#: SQLite settings of every pooled connection (see the module docstring).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
)


#: The events of one conversation in order. Rasa indexes ``sender_id`` alone: on
#: PostgreSQL, finding a conversation's newest event (every message, bot.tracker_cache)
#: or its events after the snapshot then read every event the conversation ever had, a
#: cost growing with its length (~0.7 ms at 1,500 events). With this index both are one
#: short walk down a B-tree. (SQLite's index on ``sender_id`` already ends in the row
#: id, which ``id`` is; the same index there costs little and keeps both alike.)
EVENTS_INDEX = "CREATE INDEX IF NOT EXISTS ix_events_sender_id_id ON {table} (sender_id, id)"


def create_despite_a_race(create: Callable[[], None], attempts: int) -> None:
    """Run ``create``, looking again after a short pause when it fails because another
    instance was creating the same thing at that moment.

    Two Rasa instances starting at once on an empty PostgreSQL database both see no
    table and both create it; the second fails on PostgreSQL's own catalogue
    (``pg_type`` unique violation, or "already exists"). Looking again then finds what
    the other instance made. The last attempt's failure is raised.
    """
    for attempt in range(attempts):
        try:
            create()
            return
        except (sa.exc.IntegrityError, sa.exc.ProgrammingError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def create_snapshots_table(
    engine: sa.engine.Engine, events_table: str = "events", attempts: int = 3
) -> None:
    """Create the snapshots table and the events' per-conversation index unless they
    exist, also when instances start together (:func:`create_despite_a_race`). (On a
    large existing ``events`` table the index is built once, at the first start:
    docs/production.md.)
    """

    def create() -> None:
        snapshots_metadata.create_all(engine)
        if sa.inspect(engine).has_table(events_table):  # Rasa made it just before
            with engine.begin() as connection:
                connection.execute(sa.text(EVENTS_INDEX.format(table=events_table)))

    create_despite_a_race(create, attempts)


def create_rasa_tables(url: Any, attempts: int = 5) -> None:
    """Create Rasa's own tables (``events``) before Rasa's store tries, also when
    instances start together on an empty database.

    Rasa's ``SQLTrackerStore`` creates them itself, but the loser of that race (see
    :func:`create_despite_a_race`) sleeps 5 s before trying again: every first start
    of ``make prod-local`` lost 5 s. Here the loser looks again after a fifth of a
    second. Whatever still fails, an unreachable database included, is left to Rasa's
    own attempt.
    """
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    try:
        create_despite_a_race(lambda: SQLTrackerStore.Base.metadata.create_all(engine), attempts)
    except sa.exc.SQLAlchemyError:
        pass
    finally:
        engine.dispose()


def sqlite_engine(url: Any) -> sa.engine.Engine:
    """A pooled engine for a SQLite file, each connection in WAL mode (module docstring)."""
    engine = sa.create_engine(
        url,
        poolclass=sa.pool.QueuePool,
        pool_size=2,
        max_overflow=8,
        connect_args={"check_same_thread": False, "timeout": 10},
    )

    @sa.event.listens_for(engine, "connect")
    def configure(connection: Any, _: Any) -> None:
        cursor = connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    return engine


#: Where a windowed tracker came from, kept on the tracker between retrieve and save.
_WINDOW_ATTRIBUTE = "_city_window"


@dataclass
class _Window:
    """How many of a tracker's events are stored, their row ids (None: snapshot), and
    the last stored row of the conversation when it was loaded."""

    loaded: int
    ids: list[int | None] = field(default_factory=list)
    session_start_id: int | None = None
    last_event_id: int = 0


class ResilientSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with retried reads and writes (module docstring)."""

    retry_delays: Sequence[float] = RETRY_DELAYS

    def __init__(
        self,
        *args: Any,
        window_user_messages: int = 0,
        cache_conversations: int = DEFAULT_SIZE,
        cache_idle_seconds: float = DEFAULT_IDLE_SECONDS,
        **kwargs: Any,
    ) -> None:
        self.keep_user_messages = int(window_user_messages or 0)
        #: Saved windowed trackers lent to their conversation's next message.
        self.lent = LentTrackers(
            int(cache_conversations or 0) if self.keep_user_messages else 0,
            float(cache_idle_seconds),
        )
        if kwargs.get("password") == "":
            kwargs["password"] = None  # trust authentication: no password at all
        if kwargs.get("dialect") == "postgresql" and not kwargs.get("login_db") and not args:
            create_rasa_tables(
                SQLTrackerStore.get_db_url(
                    "postgresql",
                    kwargs.get("host"),
                    kwargs.get("port"),
                    kwargs.get("db", "rasa.db"),
                    kwargs.get("username"),
                    kwargs.get("password"),
                    query=kwargs.get("query"),
                )
            )
        super().__init__(*args, **kwargs)
        url = self.engine.url  # type: ignore[has-type]
        self.engine.dispose()  # type: ignore[has-type]
        if url.get_backend_name() == "sqlite":
            self.engine = sqlite_engine(url)
        else:
            self.engine = sa.create_engine(url, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        if self.keep_user_messages:
            create_snapshots_table(self.engine, self.SQLEvent.__tablename__)
        # Built once: the statements of every message (bot.tracker_cache's check, a save).
        events = self.SQLEvent.__table__
        self._newest_event = sa.select(sa.func.max(events.c.id)).where(
            events.c.sender_id == sa.bindparam("sender")
        )
        self._insert_event = events.insert()

    async def _retrying(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        """Run ``operation``, again when the database could not be reached: at once the
        first time a pooled connection turns out dead (the pool has been emptied, a new
        connection will do), then after each of ``retry_delays``."""
        delays = list(self.retry_delays)
        first = True
        while True:
            try:
                return await operation()
            except Exception as error:
                if not delays or not is_connection_problem(error):
                    raise
                dead_connection = isinstance(error, DBAPIError) and error.connection_invalidated
                delay = 0.0 if first and dead_connection else delays.pop(0)
                first = False
                REGISTRY.inc(
                    "tracker_store_retries_total",
                    "Tracker-store reads and writes retried because the database was unreachable.",
                    operation=what,
                )
                logger.warning(
                    "tracker store %s failed (%s); retrying in %.1f s", what, error, delay
                )
                await asyncio.sleep(delay)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if self.keep_user_messages:
            return await self._retrying("retrieve", lambda: self._retrieve_window(sender_id))
        return await self._retrying("retrieve", lambda: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._retrying(
            "retrieve", lambda: SQLTrackerStore.retrieve_full_tracker(self, conversation_id)
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self.keep_user_messages and getattr(tracker, _WINDOW_ATTRIBUTE, None) is None:
            await self._retrying("save", lambda: self._window_if_unstored(tracker))
        if self.keep_user_messages and getattr(tracker, _WINDOW_ATTRIBUTE, None) is not None:
            attempts = itertools.count()
            await self._retrying(
                "save", lambda: self._save_window(tracker, retried=next(attempts) > 0)
            )
            return
        await self._retrying("save", lambda: SQLTrackerStore.save(self, tracker))

    async def _window_if_unstored(self, tracker: DialogueStateTracker) -> None:
        """Give a tracker of a conversation with nothing stored an empty window.

        A new conversation's tracker is made by Rasa's ``create_tracker`` (run by Rasa's
        store wrapper, not by this store), so it has no window, and every save of its
        first turn went through Rasa's own ``save``: a count of the session's stored
        events and the ORM, each time. With nothing stored for the conversation (one
        indexed query), an empty window is exactly what is stored, so the windowed save
        writes the same rows (all the tracker's events) and the turn's later saves of the
        same tracker are windowed too. A tracker of a conversation with stored events
        and no window (read whole, e.g. by the HTTP API) still goes to Rasa's ``save``.
        """
        with self.engine.connect() as connection:
            newest = connection.execute(self._newest_event, {"sender": tracker.sender_id}).scalar()
        if newest is None:
            setattr(tracker, _WINDOW_ATTRIBUTE, _Window(0))

    # -- windowed loading (bot.tracker_window) ---------------------------------------------
    async def _retrieve_window(self, sender_id: str) -> DialogueStateTracker | None:
        """The current session as its snapshot plus the events stored after it; the
        tracker this process saved last when nothing was stored since."""
        event = self.SQLEvent
        lent = self.lent.take(sender_id)
        if lent is not None:
            with self.engine.connect() as connection:
                newest = connection.execute(self._newest_event, {"sender": sender_id}).scalar()
            fresh = newest == lent.last_event_id and lent.domain is self.domain
            REGISTRY.inc(
                "tracker_cache_total",
                "Conversations loaded: the tracker kept in memory (hit) or, because "
                "the database has newer events, loaded afresh (stale).",
                result="hit" if fresh else "stale",
            )
            if fresh:
                return lent.tracker
        with self.session_scope() as session:
            session_start_id = (
                session.query(sa.func.max(event.id))
                .filter(event.sender_id == sender_id, event.type_name == SessionStarted.type_name)
                .scalar()
            )
            snapshot = session.execute(
                sa.select(snapshots_table).where(snapshots_table.c.sender_id == sender_id)
            ).first()
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            prefix: list[dict[str, Any]] = []
            last_event_id = 0
            if snapshot is not None and snapshot.session_start_id == session_start_id:
                query = query.filter(event.id > snapshot.last_event_id)
                prefix = json.loads(snapshot.events)
                last_event_id = snapshot.last_event_id
            rows = query.with_entities(event.id, event.data).all()
        if not rows and not prefix:
            return None
        if self.domain is None:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, prefix + [json.loads(row.data) for row in rows], self.domain.slots
        )
        ids: list[int | None] = [None] * (len(tracker.events) - len(rows))
        ids.extend(row.id for row in rows)
        last = rows[-1].id if rows else last_event_id
        setattr(
            tracker, _WINDOW_ATTRIBUTE, _Window(len(tracker.events), ids, session_start_id, last)
        )
        return tracker

    async def _save_window(self, tracker: DialogueStateTracker, retried: bool = False) -> None:
        """Store the events added since the tracker was loaded; move the snapshot if due.

        Safe to retry, like Rasa's own save: the lock store lets one process at a time
        write a conversation, so rows after the last one this tracker knew of can only
        be an earlier attempt of this save that committed before its connection broke;
        when ``retried`` they are looked up and taken as stored, not written again. (A
        first attempt has no earlier one: it skips that query, a round trip per message.)
        """
        await self.stream_events(tracker)
        window: _Window = getattr(tracker, _WINDOW_ATTRIBUTE)
        new_events = list(itertools.islice(tracker.events, window.loaded, None))
        table = self.SQLEvent.__table__
        with self.engine.begin() as connection:
            stored: list[int] = []
            if retried:
                stored = [
                    row_id
                    for (row_id,) in connection.execute(
                        sa.select(table.c.id)
                        .where(
                            table.c.sender_id == tracker.sender_id,
                            table.c.id > window.last_event_id,
                        )
                        .order_by(table.c.id)
                    )
                ][: len(new_events)]
            rows = [self._row(tracker.sender_id, e) for e in new_events[len(stored) :]]
            new_ids = stored + self._insert(connection, rows)
            ids = window.ids + new_ids
            session_start_id = window.session_start_id
            for added, row_id in zip(new_events, new_ids, strict=True):
                if isinstance(added, SessionStarted):
                    session_start_id = row_id
            moved = self._move_snapshot(connection, tracker, ids, session_start_id)
        last = new_ids[-1] if new_ids else window.last_event_id
        setattr(
            tracker,
            _WINDOW_ATTRIBUTE,
            _Window(len(tracker.events), ids, session_start_id, last),
        )
        began = any(isinstance(added, SessionStarted) for added in new_events)
        if moved or began:
            # Loaded again, the tracker is cut back to its window or its new session
            # (bot.tracker_cache).
            self.lent.drop(tracker.sender_id)
        else:
            self.lent.put(tracker.sender_id, tracker, last, self.domain)

    @staticmethod
    def _row(sender_id: str, event: Any) -> dict[str, Any]:
        """One ``events`` row, exactly as Rasa's own ``save`` writes it."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _insert(self, connection: sa.engine.Connection, rows: list[dict[str, Any]]) -> list[int]:
        """Insert ``rows`` into ``events``; their ids, in order.

        Written with SQLAlchemy Core, not the ORM: its unit of work cost more CPU than
        the database did (py-spy, docs/benchmarks.md). PostgreSQL takes every row in one
        statement and returns the ids; the sequence hands them out in the rows' order,
        so sorted they are the rows' ids. SQLite (no RETURNING in SQLAlchemy 1.4) gets
        one cached statement per row and its row id.
        """
        if not rows:
            return []
        table = self.SQLEvent.__table__
        if connection.dialect.name == "postgresql":
            result = connection.execute(table.insert().values(rows).returning(table.c.id))
            return sorted(row_id for (row_id,) in result)
        return [connection.execute(self._insert_event, row).inserted_primary_key[0] for row in rows]

    def _move_snapshot(
        self,
        connection: Any,
        tracker: DialogueStateTracker,
        ids: list[int | None],
        session_start_id: int | None,
    ) -> bool:
        """Fold all but the latest ``keep`` user messages into the snapshot, when more
        than twice that many are loaded (so it moves once every ``keep`` messages).
        Whether it moved."""
        events = list(tracker.events)
        if count_user_messages(events) <= 2 * self.keep_user_messages:
            return False
        cut = cut_index(events, self.keep_user_messages)
        if cut is None or cut == 0 or ids[cut - 1] is None or self.domain is None:
            return False
        if any(isinstance(event, SessionStarted) for event in events[cut:]):
            return False  # a session began since: its own events are loaded from its start
        prefix = [event.as_dict() for event in state_prefix(events[:cut], self.domain.slots)]
        connection.execute(
            sa.delete(snapshots_table).where(snapshots_table.c.sender_id == tracker.sender_id)
        )
        connection.execute(
            sa.insert(snapshots_table).values(
                sender_id=tracker.sender_id,
                last_event_id=ids[cut - 1],
                session_start_id=session_start_id,
                events=json.dumps(prefix),
            )
        )
        return True

    async def keys(self) -> Iterable[str]:
        return await self._retrying("keys", lambda: SQLTrackerStore.keys(self))
