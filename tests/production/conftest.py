"""Production-mode tests: the same code against the real PostgreSQL a city would run.

They need PostgreSQL on 127.0.0.1:5432 (override with ``TEST_POSTGRES_URL``). Without
it they skip with the reason — except in CI (``CI=true``), where a missing service
is a failure, not a skip.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """An engine on a fresh, throw-away database (dropped afterwards)."""
    admin = create_engine(ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"city_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure means no usable server
        admin.dispose()
        _unavailable(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    engine = create_engine(make_url(ADMIN_URL).set(database=name), future=True)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
