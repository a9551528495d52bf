"""The same sandbox on a real PostgreSQL (127.0.0.1:5432, database ``test``, user postgres).

Each run uses its own schema (through libpq's ``options=-csearch_path=…`` in the URL, so the
sandbox sees an ordinary SQLAlchemy URL) and drops it afterwards. Without a reachable
server the tests are skipped, except on CI (``CI=true``) where that is a failure.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from tests.sandbox.conftest import ADMIN_KEY, API_KEY, running_sandbox
from tests.sandbox.open311_client import Open311Client, assert_spec_error

SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def reachable_server() -> Engine:
    engine = create_engine(SERVER, future=True, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return engine
    except OperationalError as error:
        engine.dispose()
        reason = f"PostgreSQL is not reachable at {SERVER}: {error.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def postgres_schema() -> Iterator[tuple[Engine, str]]:
    engine = reachable_server()
    schema = f"sandbox_test_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield engine, schema
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="module")
def postgres_sandbox(
    postgres_schema: tuple[Engine, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    _, schema = postgres_schema
    url = f"{SERVER}?options=-csearch_path%3D{schema}"
    log = Path(tmp_path_factory.mktemp("pg")) / "sandbox.log"
    with (
        running_sandbox(url, log) as base_url,
        httpx.Client(base_url=base_url, timeout=10) as client,
    ):
        yield client


def test_tables_and_sample_data_are_created_in_postgresql(
    postgres_schema: tuple[Engine, str], postgres_sandbox: httpx.Client
) -> None:
    engine, schema = postgres_schema
    with engine.connect() as connection:
        tables = set(
            connection.execute(
                text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                {"s": schema},
            ).scalars()
        )
        samples = connection.execute(
            text(f'SELECT count(*) FROM "{schema}".service_requests WHERE sample')
        ).scalar_one()
    assert {"service_requests", "permit_applications", "rt_delays", "rt_alerts"} <= tables
    assert samples >= 10


def test_a_ticket_is_filed_replayed_and_closed_on_postgresql(
    postgres_sandbox: httpx.Client,
) -> None:
    open311 = Open311Client(postgres_sandbox, "/open311/v2", API_KEY)
    before = len(open311.search())
    fields = {"service_code": "water_leak", "lat": "22.62", "long": "114.04", "description": "漏水"}

    first = open311.post(fields, Idempotency_Key="pg-retry-1")
    replay = open311.post(fields, Idempotency_Key="pg-retry-1")
    ticket = first.json()[0]["service_request_id"]
    for _ in range(4):
        postgres_sandbox.post(
            f"/admin/requests/{ticket}/advance", headers={"X-Admin-Key": ADMIN_KEY}
        )

    assert replay.json() == first.json()
    assert len(open311.search()) == before + 1
    assert open311.get(ticket)["status"] == "closed"


def test_bad_input_is_refused_on_postgresql_too(postgres_sandbox: httpx.Client) -> None:
    open311 = Open311Client(postgres_sandbox, "/open311/v2", API_KEY)
    before = len(open311.search())

    assert_spec_error(open311.post({"service_code": "noise", "lat": "abc", "long": "1"}), 400)
    assert_spec_error(
        open311.post({"service_code": "noise", "lat": "1", "long": "1", "description": "\x00"}), 400
    )
    assert len(open311.search()) == before


def test_permit_applications_are_served_from_postgresql(postgres_sandbox: httpx.Client) -> None:
    record = postgres_sandbox.get("/permits/v1/applications/PA20261187").json()
    assert record["StatusDate"] == "2026-10-22T10:15:00+08:00"
    assert "ApplicantName" not in record


def test_injected_alerts_and_delays_are_kept_in_postgresql(postgres_sandbox: httpx.Client) -> None:
    admin = {"X-Admin-Key": ADMIN_KEY}
    alert = postgres_sandbox.post(
        "/admin/transit/alerts",
        headers=admin,
        json={
            "route_ids": ["L5"],
            "cause": "WEATHER",
            "effect": "NO_SERVICE",
            "header": {"zh": "受台风影响，5号线暂停运营", "en": "Line 5 suspended (typhoon)"},
            "active_minutes": 60,
        },
    )
    assert alert.status_code in (200, 201), alert.text
    delay = postgres_sandbox.post(
        "/admin/transit/delays", headers=admin, json={"route_id": "L1", "delay_minutes": 5}
    )
    assert delay.status_code in (200, 201), delay.text

    alerts = postgres_sandbox.get("/gtfs-rt/alerts", params={"format": "json"}).json()
    headers = json.dumps(alerts, ensure_ascii=False)
    assert "Line 5 suspended (typhoon)" in headers and "受台风影响" in headers
    assert postgres_sandbox.delete("/admin/transit/delays", headers=admin).status_code in (200, 204)
