"""The sandbox's tables, and the engine they live in, on SQLite or any other SQLAlchemy database.

Tables are SQLAlchemy Core objects so every module (complaints, permits, the transit module's
realtime tables) writes plain ``select``/``insert`` statements that run unchanged on SQLite
and PostgreSQL. Times are stored as naive UTC by :class:`UtcDateTime`, because SQLite has no
time-zone type; code only ever sees aware datetimes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
)
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class UtcDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC; naive values written are taken to be UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


service_requests = Table(
    "service_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("service_request_id", String(16), nullable=False, unique=True),
    Column("service_code", String(64), nullable=False),
    Column("description", Text),
    Column("lat", Float),
    Column("long", Float),
    Column("address_string", Text),
    Column("address_id", String(128)),
    Column("zipcode", String(16)),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("media_url", Text),
    # Personal data: stored for the city, never returned by the public API.
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("first_name", String(100)),
    Column("last_name", String(100)),
    Column("device_id", String(128)),
    Column("account_id", String(128)),
    # 12345 workflow: accepted → dispatched → in_progress → resolved → closed.
    Column("workflow_state", String(16), nullable=False),
    Column("agency_zh", Text, nullable=False),
    Column("agency_en", Text, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("expected_at", UtcDateTime, nullable=False),
    Column("sample", Boolean, nullable=False, default=False),
    # Which entry of the sample data a seeded row came from, so seeding runs only once.
    Column("seed_key", String(64), unique=True),
)

service_request_history = Table(
    "service_request_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "service_request_id",
        String(16),
        ForeignKey("service_requests.service_request_id"),
        nullable=False,
        index=True,
    ),
    Column("state", String(16), nullable=False),
    Column("note", Text),
    Column("changed_at", UtcDateTime, nullable=False),
)

#: One row per year: the last ticket sequence number handed out, so numbers are never reused.
ticket_counters = Table(
    "ticket_counters",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last_value", Integer, nullable=False),
)

#: Responses already given to a client's Idempotency-Key, to replay them for retries.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("service_request_id", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

permit_applications = Table(
    "permit_applications",
    metadata,
    Column("permit_num", String(10), primary_key=True),
    Column("permit_type", Text, nullable=False),
    Column("permit_type_mapped", String(64), nullable=False),
    Column("description", Text, nullable=False),
    Column("applied_date", Date, nullable=False),
    Column("issued_date", Date),
    Column("status_current", Text, nullable=False),
    Column("status_current_mapped", String(64), nullable=False),
    Column("status_date", UtcDateTime, nullable=False),
    # Personal data kept as a privacy fixture: the API must never return it.
    Column("applicant_name", Text),
    Column("applicant_id_number", String(32)),
    Column("applicant_address", Text),
    Column("sample", Boolean, nullable=False, default=True),
)

#: A delay injected on a route (and optionally one trip or stop), for GTFS-RT TripUpdates.
rt_delays = Table(
    "rt_delays",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("route_id", String(64), nullable=False),
    Column("trip_id", String(128)),
    Column("stop_id", String(128)),
    Column("delay_seconds", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime),
)

#: A service alert for GTFS-RT Alerts; route and stop ids are comma-separated lists.
rt_alerts = Table(
    "rt_alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("route_ids", Text, nullable=False, default=""),
    Column("stop_ids", Text, nullable=False, default=""),
    Column("cause", String(32), nullable=False),
    Column("effect", String(32), nullable=False),
    Column("header_zh", Text, nullable=False),
    Column("header_en", Text, nullable=False),
    Column("description_zh", Text, nullable=False, default=""),
    Column("description_en", Text, nullable=False, default=""),
    Column("active_start", UtcDateTime, nullable=False),
    Column("active_end", UtcDateTime),
)


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; a SQLite file's folder is created if missing.

    Request handlers run queries in worker threads, so an in-memory SQLite database is
    shared across threads (one connection) instead of one empty database per thread.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    if url.database in (None, "", ":memory:"):
        return create_engine(
            url,
            future=True,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, future=True, connect_args={"timeout": 15})


def create_schema(engine: Engine) -> None:
    """Create any missing table; existing tables and their rows are left alone."""
    metadata.create_all(engine)
