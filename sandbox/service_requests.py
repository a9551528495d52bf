"""Storing and finding service requests (complaints): tickets, workflow history, idempotency.

These are blocking SQLAlchemy calls; the HTTP layer runs them in a worker thread. Each public
function is one transaction, so a request is stored with its first history entry and its
idempotency record, or not at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from sandbox import workflow
from sandbox.open311_catalogue import Service
from sandbox.open311_submission import NewServiceRequest
from sandbox.storage import (
    idempotency_keys,
    service_request_history,
    service_requests,
    ticket_counters,
)
from sandbox.workdays import ANSWER_WITHIN_WORKING_DAYS, add_working_days

MAX_SEQUENCE = 9999  # "SR" + year + 4 digits
CLOSE_OF_BUSINESS = dt.time(18, 0)
_ATTEMPTS = 3


class TicketNumbersExhausted(RuntimeError):
    """All 9,999 ticket numbers of a year are used."""


class IdempotencyConflict(ValueError):
    """An Idempotency-Key already used for a different request."""


class UnknownServiceRequest(LookupError):
    """No service request has this id."""


@dataclass(frozen=True)
class HistoryEntry:
    """One step the ticket took, when, and the case worker's note if any."""

    state: str
    changed_at: dt.datetime
    note: str | None = None


@dataclass(frozen=True)
class StoredRequest:
    """A service request as stored, personal data included (the API decides what to show)."""

    service_request_id: str
    service_code: str
    description: str | None
    lat: float | None
    long: float | None
    address_string: str | None
    address_id: str | None
    zipcode: str | None
    media_url: str | None
    attributes: dict[str, Any]
    workflow_state: str
    agency_zh: str
    agency_en: str
    requested_at: dt.datetime
    updated_at: dt.datetime
    expected_at: dt.datetime
    sample: bool
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    history: tuple[HistoryEntry, ...] = ()


@dataclass(frozen=True)
class IdempotentCall:
    """The Idempotency-Key a client sent, and the request it was sent with."""

    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class CreateResponse:
    """What to answer a POST: the first answer again when it is a replay."""

    status: int
    body: str
    service_request_id: str
    replayed: bool = False


@dataclass(frozen=True)
class SearchFilter:
    """The GET requests.json query, already checked."""

    service_request_ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    limit: int = 1000


@dataclass(frozen=True)
class SeedRequest:
    """A sample request with its past: states reached and when, for demos."""

    seed_key: str
    request: NewServiceRequest
    agency_zh: str
    agency_en: str
    history: Sequence[HistoryEntry] = field(default_factory=tuple)


def expected_by(requested_at: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """When the answer is due: close of business on the 15th working day after filing."""
    due = add_working_days(requested_at.astimezone(zone).date(), ANSWER_WITHIN_WORKING_DAYS)
    return dt.datetime.combine(due, CLOSE_OF_BUSINESS, tzinfo=zone)


def create_service_request(
    engine: Engine,
    new: NewServiceRequest,
    service: Service,
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    render: Callable[[str], str],
    call: IdempotentCall | None = None,
    ticket_prefix: str = "SR",
) -> CreateResponse:
    """File ``new`` as a ticket, or replay the answer given to the same Idempotency-Key.

    ``render`` turns the new ticket id into the response body, so the body stored for
    replays is byte for byte the one the client got first.
    """
    for _ in range(_ATTEMPTS):
        if call is not None:
            replay = _replay(engine, call)
            if replay is not None:
                return replay
        try:
            with engine.begin() as connection:
                ticket = _insert(
                    connection,
                    new,
                    agency=(service.agency.zh, service.agency.en),
                    history=[HistoryEntry(workflow.FIRST_STATE, now)],
                    zone=zone,
                    ticket_prefix=ticket_prefix,
                )
                body = render(ticket)
                if call is not None:
                    connection.execute(
                        insert(idempotency_keys).values(
                            scope=call.scope,
                            key=call.key,
                            fingerprint=call.fingerprint,
                            status=201,
                            response_body=body,
                            service_request_id=ticket,
                            created_at=now,
                        )
                    )
            return CreateResponse(201, body, ticket)
        except IntegrityError:
            # Another request took the same key or the year's first ticket number at the same
            # moment; go round again to replay its answer or take the next number.
            continue
    raise RuntimeError("could not file the request after several attempts")


def _replay(engine: Engine, call: IdempotentCall) -> CreateResponse | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(idempotency_keys).where(
                and_(idempotency_keys.c.scope == call.scope, idempotency_keys.c.key == call.key)
            )
        ).first()
    if row is None:
        return None
    if row.fingerprint != call.fingerprint:
        raise IdempotencyConflict(
            f"Idempotency-Key {call.key!r} was already used for a different request"
        )
    return CreateResponse(row.status, row.response_body, row.service_request_id, replayed=True)


def seed_service_requests(engine: Engine, seeds: Sequence[SeedRequest], zone: ZoneInfo) -> int:
    """Store the sample requests not stored yet, oldest first; returns how many were added."""
    added = 0
    with engine.begin() as connection:
        present = set(
            connection.execute(
                select(service_requests.c.seed_key).where(service_requests.c.seed_key.isnot(None))
            ).scalars()
        )
        for seed in sorted(seeds, key=lambda s: s.history[0].changed_at):
            if seed.seed_key in present:
                continue
            _insert(
                connection,
                seed.request,
                agency=(seed.agency_zh, seed.agency_en),
                history=seed.history,
                zone=zone,
                sample=True,
                seed_key=seed.seed_key,
            )
            added += 1
    return added


def _insert(
    connection: Connection,
    new: NewServiceRequest,
    *,
    agency: tuple[str, str],
    history: Sequence[HistoryEntry],
    zone: ZoneInfo,
    sample: bool = False,
    seed_key: str | None = None,
    ticket_prefix: str = "SR",
) -> str:
    requested_at, last = history[0].changed_at, history[-1]
    ticket = _next_ticket(connection, requested_at.astimezone(zone).year, ticket_prefix)
    connection.execute(
        insert(service_requests).values(
            service_request_id=ticket,
            service_code=new.service_code,
            description=new.description,
            lat=new.lat,
            long=new.long,
            address_string=new.address_string,
            address_id=new.address_id,
            zipcode=new.zipcode,
            attributes=dict(new.attributes),
            media_url=new.media_url,
            email=new.email,
            phone=new.phone,
            first_name=new.first_name,
            last_name=new.last_name,
            device_id=new.device_id,
            account_id=new.account_id,
            workflow_state=last.state,
            agency_zh=agency[0],
            agency_en=agency[1],
            requested_at=requested_at,
            updated_at=last.changed_at,
            expected_at=expected_by(requested_at, zone),
            sample=sample,
            seed_key=seed_key,
        )
    )
    connection.execute(
        insert(service_request_history),
        [
            {
                "service_request_id": ticket,
                "state": entry.state,
                "note": entry.note,
                "changed_at": entry.changed_at,
            }
            for entry in history
        ],
    )
    return ticket


def _next_ticket(connection: Connection, year: int, prefix: str = "SR") -> str:
    """The next ticket id of ``year``; the counter only grows, so ids are never reused.

    ``prefix`` is the sandbox city's ticket format ("SR" for Shenzhen's 12345; a city
    whose tickets are plain numbers has none), or a whole format with ``{year}``, ``{yy}``
    and ``{number}`` ("SR{yy}-{number:08d}").
    """
    counter = ticket_counters.c
    bumped = connection.execute(
        update(ticket_counters)
        .where(counter.year == year)
        .values(last_value=counter.last_value + 1)
    )
    if bumped.rowcount == 0:
        connection.execute(insert(ticket_counters).values(year=year, last_value=1))
        value = 1
    else:
        value = connection.execute(
            select(counter.last_value).where(counter.year == year)
        ).scalar_one()
    if "{" in prefix:
        # A city's own format ("SR{yy}-{number:08d}" for Chicago's SR26-00498713).
        width = re.search(r"\{number:0?(\d+)d\}", prefix)
        most = 10 ** int(width.group(1)) - 1 if width else MAX_SEQUENCE
        if value > most:
            raise TicketNumbersExhausted(f"all {most} ticket numbers of {year} are used")
        return prefix.format(year=year, yy=f"{year % 100:02d}", number=value)
    if value > MAX_SEQUENCE:
        raise TicketNumbersExhausted(f"all {MAX_SEQUENCE} ticket numbers of {year} are used")
    return f"{prefix}{year}{value:04d}"


def find_service_requests(engine: Engine, query: SearchFilter) -> list[StoredRequest]:
    """Requests matching ``query``, newest first; ids, when given, override every other filter."""
    columns = service_requests.c
    statement = select(service_requests)
    if query.service_request_ids:
        statement = statement.where(columns.service_request_id.in_(query.service_request_ids))
    else:
        if query.service_codes:
            statement = statement.where(columns.service_code.in_(query.service_codes))
        if set(query.statuses) == {"closed"}:
            statement = statement.where(columns.workflow_state == workflow.FINAL_STATE)
        elif set(query.statuses) == {"open"}:
            statement = statement.where(columns.workflow_state != workflow.FINAL_STATE)
        if query.start is not None:
            statement = statement.where(columns.requested_at >= query.start)
        if query.end is not None:
            statement = statement.where(columns.requested_at <= query.end)
    statement = statement.order_by(columns.requested_at.desc(), columns.id.desc()).limit(
        query.limit
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).mappings().all()
        return _with_history(connection, [_stored(row) for row in rows])


def get_service_request(engine: Engine, service_request_id: str) -> StoredRequest:
    """The request with this id, or :class:`UnknownServiceRequest`."""
    found = find_service_requests(engine, SearchFilter(service_request_ids=(service_request_id,)))
    if not found:
        raise UnknownServiceRequest(service_request_id)
    return found[0]


def advance_service_request(
    engine: Engine,
    service_request_id: str,
    *,
    now: dt.datetime,
    target: str | None = None,
    note: str | None = None,
) -> StoredRequest:
    """Move a ticket to its next workflow state (or ``target``) and record the step."""
    columns = service_requests.c
    with engine.begin() as connection:
        current = connection.execute(
            select(columns.workflow_state).where(columns.service_request_id == service_request_id)
        ).scalar_one_or_none()
        if current is None:
            raise UnknownServiceRequest(service_request_id)
        new_state = workflow.next_state(current, target)
        changed = connection.execute(
            update(service_requests)
            .where(
                and_(
                    columns.service_request_id == service_request_id,
                    columns.workflow_state == current,
                )
            )
            .values(workflow_state=new_state, updated_at=now)
        )
        if changed.rowcount != 1:
            raise workflow.WorkflowError("the ticket changed meanwhile; try again")
        connection.execute(
            insert(service_request_history).values(
                service_request_id=service_request_id,
                state=new_state,
                note=note,
                changed_at=now,
            )
        )
    return get_service_request(engine, service_request_id)


def _stored(row: Any) -> StoredRequest:
    names = StoredRequest.__dataclass_fields__.keys() - {"history"}
    return StoredRequest(**{name: row[name] for name in names})


def _with_history(connection: Connection, found: list[StoredRequest]) -> list[StoredRequest]:
    if not found:
        return []
    history = service_request_history.c
    rows = connection.execute(
        select(history.service_request_id, history.state, history.note, history.changed_at)
        .where(history.service_request_id.in_([r.service_request_id for r in found]))
        .order_by(history.changed_at, history.id)
    ).all()
    steps: dict[str, list[HistoryEntry]] = {}
    for row in rows:
        steps.setdefault(row.service_request_id, []).append(
            HistoryEntry(row.state, row.changed_at, row.note)
        )
    return [replace(r, history=tuple(steps.get(r.service_request_id, ()))) for r in found]
