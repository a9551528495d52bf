"""Complaint submission that never loses a complaint and never files it twice.

Every complaint is written to a local outbox table *before* the city's Open311
server is called, keyed by an idempotency key derived from the conversation
turn that confirmed it. Then:

* the same key again (Rasa retried the action, the resident double-tapped
  "confirm") returns the record already there — no second POST;
* the server answers with a ticket → the record is marked delivered;
* the server is down, slow or failing (outcome unknown) → the record stays
  pending; the resident gets a local reference now and a background task
  delivers it later, sending the *same* ``Idempotency-Key`` so a server that
  did receive the first attempt returns the first ticket instead of a new one;
* the server rejects it (4xx) → the record is marked rejected, with the reason,
  for staff to look at; it is never silently dropped.

Storage is SQLAlchemy (SQLite file by default, any URL such as PostgreSQL for
production), used in the 2.0 style.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from actions.clients.errors import Rejected, ServiceUnavailable
from actions.clients.open311 import ComplaintSubmission, SubmittedRequest
from actions.storage import engine_for

logger = logging.getLogger(__name__)

#: Waits between delivery attempts; the last one repeats.
RETRY_DELAYS = (dt.timedelta(seconds=30), dt.timedelta(minutes=2), dt.timedelta(minutes=10))
#: A claimed record whose delivery never finished (process died) is retried after this.
CLAIM_LEASE = dt.timedelta(minutes=2)

metadata = MetaData()

outbox_table = Table(
    "complaint_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("local_ref", String(16), nullable=False, unique=True),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("payload", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("ticket_id", String(64)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
)


#: The conversation id of a row past the retention period.
FORGOTTEN = ""


class OutboxStatus(str, enum.Enum):
    """Where a complaint is on its way to the city."""

    PENDING = "pending"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    REJECTED = "rejected"


@dataclass(frozen=True)
class OutboxRecord:
    """One complaint in the outbox, as the resident and staff see it."""

    local_ref: str
    idempotency_key: str
    sender_id: str
    status: OutboxStatus
    attempts: int
    ticket_id: str | None
    last_error: str | None
    created_at: dt.datetime
    submission: ComplaintSubmission

    @property
    def delivered(self) -> bool:
        return self.status is OutboxStatus.DELIVERED


def submission_key(sender_id: str, turn_id: str) -> str:
    """The idempotency key of the complaint confirmed in one conversation turn.

    ``turn_id`` is what identifies the confirming user message (Rasa's
    ``message_id``, or the event timestamp), so re-running the action for that
    turn yields the same key, while a second complaint later yields a new one.
    """
    digest = hashlib.sha256(f"{sender_id}\x1f{turn_id}".encode()).hexdigest()
    return digest[:40]


def new_local_ref(now: dt.datetime) -> str:
    """A reference the resident can quote before the city has issued a ticket (``LQ…``)."""
    return f"LQ{now:%y%m%d}{secrets.token_hex(3).upper()}"


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after ``attempts`` failed deliveries."""
    return RETRY_DELAYS[min(max(attempts - 1, 0), len(RETRY_DELAYS) - 1)]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; everything here is stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


Submit = Callable[[ComplaintSubmission, str], Awaitable[SubmittedRequest]]


class ComplaintOutbox:
    """The outbox table plus the rules for delivering what is in it."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self._engine = engine
        self._clock = clock
        metadata.create_all(engine)

    @classmethod
    def from_url(cls, database_url: str) -> ComplaintOutbox:
        """An outbox on any SQLAlchemy URL (``sqlite:///var/outbox.db``, ``postgresql://…``)."""
        return cls(engine_for(database_url))

    # -- reading ---------------------------------------------------------------------------
    def get(self, idempotency_key: str) -> OutboxRecord | None:
        """The record for a key, if that complaint was already taken in."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(outbox_table).where(outbox_table.c.idempotency_key == idempotency_key)
            ).first()
        return _record(row) if row else None

    def by_local_ref(self, local_ref: str) -> OutboxRecord | None:
        """The record a resident quotes by its local reference."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(outbox_table).where(outbox_table.c.local_ref == local_ref.strip().upper())
            ).first()
        return _record(row) if row else None

    def by_local_refs(self, local_refs: Sequence[str]) -> dict[str, OutboxRecord]:
        """Several records by local reference in a few reads (the notifier's round)."""
        wanted = sorted({ref.strip().upper() for ref in local_refs})
        found: dict[str, OutboxRecord] = {}
        with self._engine.connect() as connection:
            # Chunks keep under the bound-parameter limit of older SQLite builds.
            for start in range(0, len(wanted), 500):
                rows = connection.execute(
                    select(outbox_table).where(
                        outbox_table.c.local_ref.in_(wanted[start : start + 500])
                    )
                ).all()
                found.update((row.local_ref, _record(row)) for row in rows)
        return found

    def for_sender(self, sender_id: str) -> list[OutboxRecord]:
        """Everything one resident filed, oldest first (for "my complaint")."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(outbox_table)
                .where(outbox_table.c.sender_id == sender_id)
                .order_by(outbox_table.c.id)
            ).all()
        return [_record(row) for row in rows]

    def pending(self) -> list[OutboxRecord]:
        """Records not yet delivered nor rejected (staff dashboards, tests)."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(outbox_table).where(
                    outbox_table.c.status.in_(
                        [OutboxStatus.PENDING.value, OutboxStatus.DELIVERING.value]
                    )
                )
            ).all()
        return [_record(row) for row in rows]

    # -- writing ---------------------------------------------------------------------------
    def take_in(
        self, sender_id: str, idempotency_key: str, submission: ComplaintSubmission
    ) -> tuple[OutboxRecord, bool]:
        """Store a complaint before anything else happens; (record, newly_created)."""
        existing = self.get(idempotency_key)
        if existing:
            return existing, False
        now = self._clock()
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(outbox_table).values(
                        local_ref=new_local_ref(now),
                        idempotency_key=idempotency_key,
                        sender_id=sender_id,
                        payload=json.dumps(asdict(submission), ensure_ascii=False),
                        status=OutboxStatus.PENDING.value,
                        attempts=0,
                        created_at=now,
                        updated_at=now,
                        next_attempt_at=now,
                    )
                )
        except IntegrityError:
            # A concurrent run of the same turn got there first: use its record.
            existing = self.get(idempotency_key)
            if existing is None:
                raise
            return existing, False
        record = self.get(idempotency_key)
        assert record is not None
        return record, True

    def _claim(self, idempotency_key: str) -> bool:
        """Mark a record as being delivered, unless someone else holds it (atomic)."""
        now = self._clock()
        with self._engine.begin() as connection:
            result = connection.execute(
                update(outbox_table)
                .where(outbox_table.c.idempotency_key == idempotency_key)
                .where(
                    (outbox_table.c.status == OutboxStatus.PENDING.value)
                    | (
                        (outbox_table.c.status == OutboxStatus.DELIVERING.value)
                        & (outbox_table.c.updated_at < now - CLAIM_LEASE)
                    )
                )
                .values(
                    status=OutboxStatus.DELIVERING.value,
                    attempts=outbox_table.c.attempts + 1,
                    updated_at=now,
                )
            )
            return bool(result.rowcount)

    def _finish(self, idempotency_key: str, **values: object) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(outbox_table)
                .where(outbox_table.c.idempotency_key == idempotency_key)
                .values(updated_at=self._clock(), **values)
            )

    def set_ticket(self, idempotency_key: str, ticket_id: str) -> OutboxRecord | None:
        """Record the ticket number a delivered complaint's token became."""
        self._finish(idempotency_key, ticket_id=ticket_id)
        return self.get(idempotency_key)

    async def deliver(self, record: OutboxRecord, submit: Submit) -> OutboxRecord:
        """Try to hand one record to the city; returns it as it stands afterwards."""
        key = record.idempotency_key
        if not self._claim(key):
            current = self.get(key)
            return current or record
        try:
            answer = await submit(record.submission, key)
        except ServiceUnavailable as error:
            logger.warning("complaint %s not delivered yet: %s", record.local_ref, error)
            attempts = (self.get(key) or record).attempts
            self._finish(
                key,
                status=OutboxStatus.PENDING.value,
                last_error=str(error)[:500],
                next_attempt_at=self._clock() + retry_delay(attempts),
            )
        except Rejected as error:
            logger.warning("complaint %s rejected by the city: %s", record.local_ref, error)
            self._finish(key, status=OutboxStatus.REJECTED.value, last_error=str(error)[:500])
        except Exception as error:  # noqa: BLE001 - a bug must not lose the complaint
            logger.exception("complaint %s: unexpected delivery error", record.local_ref)
            self._finish(
                key,
                status=OutboxStatus.PENDING.value,
                last_error=f"unexpected: {type(error).__name__}",
                next_attempt_at=self._clock() + retry_delay(len(RETRY_DELAYS)),
            )
        else:
            ticket = answer.service_request_id or (f"token:{answer.token}" if answer.token else "")
            self._finish(
                key,
                status=OutboxStatus.DELIVERED.value,
                ticket_id=ticket,
                last_error=None,
                payload=redacted(record.submission),
            )
        updated = self.get(key)
        assert updated is not None
        return updated

    def forget_details(self, before: dt.datetime) -> int:
        """Forget who and what of every finished row last touched before ``before``.

        Delivered rows' payloads are redacted when the city takes them; past the
        retention period (the conversation itself is deleted then) the row also loses
        its conversation id, and rows the city rejected (kept for staff until then)
        their payload and error. Ticket, state and idempotency key stay, so the
        complaint is never filed again. Pending rows are never touched: a complaint is
        never lost. Returns how many rows were changed.
        """
        finished = [OutboxStatus.DELIVERED.value, OutboxStatus.REJECTED.value]
        count = 0
        with self._engine.begin() as connection:
            rows = connection.execute(
                select(
                    outbox_table.c.idempotency_key,
                    outbox_table.c.payload,
                    outbox_table.c.sender_id,
                ).where(
                    outbox_table.c.status.in_(finished)
                    & (outbox_table.c.updated_at < before)
                    # Rows forgotten by an earlier run are not read again every day.
                    & (outbox_table.c.sender_id != FORGOTTEN)
                )
            ).all()
            for key, payload, sender_id in rows:
                kept = redacted(ComplaintSubmission(**json.loads(payload)))
                if payload == kept and sender_id == FORGOTTEN:
                    continue
                connection.execute(
                    update(outbox_table)
                    .where(outbox_table.c.idempotency_key == key)
                    .values(payload=kept, last_error=None, sender_id=FORGOTTEN)
                )
                count += 1
        return count

    async def submit(
        self,
        sender_id: str,
        idempotency_key: str,
        submission: ComplaintSubmission,
        submit: Submit,
    ) -> OutboxRecord:
        """Take a complaint in and try to deliver it now; safe to call again for the same turn."""
        record, created = self.take_in(sender_id, idempotency_key, submission)
        if not created and record.status is not OutboxStatus.PENDING:
            return record
        return await self.deliver(record, submit)

    async def deliver_due(self, submit: Submit) -> list[OutboxRecord]:
        """Deliver every pending record whose retry time has come (the background task's job)."""
        now = self._clock()
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(outbox_table)
                .where(
                    (
                        (outbox_table.c.status == OutboxStatus.PENDING.value)
                        & (outbox_table.c.next_attempt_at <= now)
                    )
                    | (
                        (outbox_table.c.status == OutboxStatus.DELIVERING.value)
                        & (outbox_table.c.updated_at < now - CLAIM_LEASE)
                    )
                )
                .order_by(outbox_table.c.id)
                .limit(50)
            ).all()
        return [await self.deliver(_record(row), submit) for row in rows]


def redacted(submission: ComplaintSubmission) -> str:
    """The payload kept once the city has a complaint: its service, nothing personal.

    The city holds the description, address and phone from then on; the outbox needs
    only what it shows the resident and staff about the row (its ticket and state).
    """
    return json.dumps(
        asdict(ComplaintSubmission(service_code=submission.service_code, description="")),
        ensure_ascii=False,
    )


def _record(row: object) -> OutboxRecord:
    mapping = row._mapping  # type: ignore[attr-defined]
    payload = json.loads(mapping["payload"])
    return OutboxRecord(
        local_ref=mapping["local_ref"],
        idempotency_key=mapping["idempotency_key"],
        sender_id=mapping["sender_id"],
        status=OutboxStatus(mapping["status"]),
        attempts=mapping["attempts"],
        ticket_id=mapping["ticket_id"],
        last_error=mapping["last_error"],
        created_at=_aware(mapping["created_at"]),
        submission=ComplaintSubmission(**payload),
    )
