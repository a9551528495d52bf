"""Rasa's SQL tracker store, made to ride out a database restart instead of forking conversations.

Two things go wrong with Rasa's own ``SQLTrackerStore`` when PostgreSQL restarts
(an upgrade, a fail-over to the standby), both seen in the fault drill
(docs/faults.md):

- Its engine keeps dead connections, so the next message on each one fails.
  Here the pool pings a connection before handing it out (``pool_pre_ping``).
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

Configured in ``endpoints.yml`` and ``endpoints.prod.yml``
(``tracker_store: type: bot.tracker_store.ResilientSQLTrackerStore``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Iterable, Sequence, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.ops.metrics import REGISTRY

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


class ResilientSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with pinged connections and retried reads and writes."""

    retry_delays: Sequence[float] = RETRY_DELAYS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("password") == "":
            kwargs["password"] = None  # trust authentication: no password at all
        super().__init__(*args, **kwargs)
        url = self.engine.url  # type: ignore[has-type]
        self.engine.dispose()  # type: ignore[has-type]
        if url.get_backend_name() == "sqlite":
            self.engine = sqlite_engine(url)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrying(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        for delay in (*self.retry_delays, None):
            try:
                return await operation()
            except Exception as error:
                if delay is None or not is_connection_problem(error):
                    raise
                REGISTRY.inc(
                    "tracker_store_retries_total",
                    "Tracker-store reads and writes retried because the database was unreachable.",
                    operation=what,
                )
                logger.warning(
                    "tracker store %s failed (%s); retrying in %.1f s", what, error, delay
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._retrying("retrieve", lambda: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._retrying(
            "retrieve", lambda: SQLTrackerStore.retrieve_full_tracker(self, conversation_id)
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._retrying("save", lambda: SQLTrackerStore.save(self, tracker))

    async def keys(self) -> Iterable[str]:
        return await self._retrying("keys", lambda: SQLTrackerStore.keys(self))
