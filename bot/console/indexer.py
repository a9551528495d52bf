"""Keep the console's conversation index up to date with Rasa's ``events`` table.

Reads only events it has not seen (``id`` above the last one indexed), a batch
at a time, and folds them into the per-conversation summary rows, intent counts
and search terms. Rasa only ever appends events, so this is exact and cheap:
the console runs it every few seconds and before each list.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from typing import Any, Dict, Iterable, List, Mapping

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from bot.console import schema
from bot.console.redaction import redact
from bot.console.search import index_terms
from bot.console.transcripts import Summary, parse_event, summarise

logger = logging.getLogger(__name__)

#: Rasa's table (rasa/core/tracker_store.py, SQLTrackerStore.SQLEvent), described, never created.
rasa_metadata = MetaData()
events = Table(
    "events",
    rasa_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

STATE_KEY = "events"
BATCH = 20_000


class Indexer:
    """Folds new tracker-store events into the console's tables."""

    def __init__(self, tracker: Engine, console: Engine) -> None:
        self.tracker = tracker
        self.console = console
        # The page handlers and the background round share one indexer: one at a time.
        # Across processes, the state row is locked (FOR UPDATE) for the same reason.
        self._lock = threading.Lock()
        self._has_state_row = False

    def run(self, batch: int = BATCH) -> int:
        """Index everything new; the number of events read."""
        total = 0
        while True:
            read = self.run_once(batch)
            total += read
            if read < batch:
                return total

    def run_once(self, batch: int = BATCH) -> int:
        with self._lock:
            return self._run_once(batch)

    def _run_once(self, batch: int) -> int:
        if not inspect(self.tracker).has_table("events"):
            return 0  # Rasa has not written a conversation yet
        if not self._has_state_row:
            with self.console.begin() as console:
                # The state row, so that even the first round has a row to lock.
                console.execute(
                    _insert_ignoring_duplicates(console, schema.index_state),
                    [{"name": STATE_KEY, "value": 0}],
                )
            self._has_state_row = True
        if not self._anything_new():
            return 0  # no write lock for a page view when nothing happened
        with self.console.begin() as console:
            # Take the write lock before reading where indexing stopped: another console
            # process (a restart overlapping the old one, a second staff machine) must
            # wait, or both fold the same events and insert the same conversation.
            # SQLite ignores FOR UPDATE; a write is what locks its file.
            console.execute(
                update(schema.index_state)
                .where(schema.index_state.c.name == STATE_KEY)
                .values(value=schema.index_state.c.value)
            )
            last = console.execute(
                select(schema.index_state.c.value)
                .where(schema.index_state.c.name == STATE_KEY)
                .with_for_update()
            ).scalar()
            with self.tracker.connect() as tracker:
                rows = tracker.execute(
                    select(events.c.id, events.c.sender_id, events.c.data)
                    .where(events.c.id > (last or 0))
                    .order_by(events.c.id)
                    .limit(batch)
                ).all()
            if not rows:
                return 0
            by_sender: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
            for row in rows:
                event = parse_event(row.data, row.id)
                if event is not None:
                    by_sender[row.sender_id].append(event)
            self._fold(console, by_sender)
            _set_state(console, rows[-1].id)
        return len(rows)

    def _anything_new(self) -> bool:
        """Whether the tracker store has events past where indexing stopped (read
        without locking: the locked round reads the position again)."""
        with self.console.connect() as console:
            last = console.execute(
                select(schema.index_state.c.value).where(schema.index_state.c.name == STATE_KEY)
            ).scalar()
        with self.tracker.connect() as tracker:
            newer = tracker.execute(
                select(events.c.id).where(events.c.id > (last or 0)).limit(1)
            ).first()
        return newer is not None

    def _fold(self, console: Connection, by_sender: Mapping[str, List[Dict[str, Any]]]) -> None:
        conversations = schema.conversations
        known = {
            row.sender_id: row
            for row in console.execute(
                select(conversations).where(conversations.c.sender_id.in_(list(by_sender)))
            )
        }
        for sender_id, new_events in by_sender.items():
            previous = _summary_from_row(known[sender_id]) if sender_id in known else None
            summary = summarise(sender_id, new_events, previous)
            if summary is None:
                continue
            values = _row_values(summary)
            if sender_id in known:
                console.execute(
                    conversations.update()
                    .where(conversations.c.sender_id == sender_id)
                    .values(**values)
                )
            else:
                console.execute(conversations.insert().values(sender_id=sender_id, **values))
            self._add_intents(console, sender_id, summary.intents)
            self._add_terms(console, sender_id, summary.texts)

    def _add_intents(self, console: Connection, sender_id: str, counts: Mapping[str, int]) -> None:
        table = schema.conversation_intents
        for intent, count in counts.items():
            updated = console.execute(
                table.update()
                .where(table.c.sender_id == sender_id, table.c.intent == intent)
                .values(count=table.c.count + count)
            )
            if updated.rowcount == 0:
                console.execute(
                    table.insert().values(sender_id=sender_id, intent=intent, count=count)
                )

    def _add_terms(self, console: Connection, sender_id: str, texts: Iterable[str]) -> None:
        terms = set()
        for text in texts:
            terms |= index_terms(redact(text).text)
        if not terms:
            return
        rows = [{"term": term, "sender_id": sender_id} for term in sorted(terms)]
        console.execute(_insert_ignoring_duplicates(console, schema.search_terms), rows)


def _summary_from_row(row: Any) -> Summary:
    # Intents and texts are kept in their own tables: the summary carries only what is new.
    return Summary(
        sender_id=row.sender_id,
        started_at=row.started_at,
        last_event_at=row.last_event_at,
        last_event_id=row.last_event_id,
        channel=row.channel,
        language=row.language,
        user_messages=row.user_messages,
        min_confidence=row.min_confidence,
        had_fallback=row.had_fallback,
        handoff_requested=row.handoff_requested,
        handoff_at=row.handoff_at,
        complaint_filed=row.complaint_filed,
        permit_status_checked=row.permit_status_checked,
        api_errors=row.api_errors,
        first_message=row.first_message,
    )


def _row_values(summary: Summary) -> Dict[str, Any]:
    return {
        "channel": summary.channel[:64],
        "language": summary.language[:16],
        "started_at": summary.started_at,
        "last_event_at": summary.last_event_at,
        "last_event_id": summary.last_event_id,
        "user_messages": summary.user_messages,
        "min_confidence": summary.min_confidence,
        "had_fallback": summary.had_fallback,
        "handoff_requested": summary.handoff_requested,
        "handoff_at": summary.handoff_at,
        "complaint_filed": summary.complaint_filed,
        "permit_status_checked": summary.permit_status_checked,
        "api_errors": summary.api_errors,
        "first_message": redact(summary.first_message).text,
    }


def _set_state(console: Connection, value: int) -> None:
    table = schema.index_state
    console.execute(table.update().where(table.c.name == STATE_KEY).values(value=value))


def _insert_ignoring_duplicates(connection: Connection, table: Table) -> Any:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return table.insert().prefix_with("IGNORE")
