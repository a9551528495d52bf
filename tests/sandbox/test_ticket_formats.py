"""The sandbox numbers tickets the way the city it plays does."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from sandbox.service_requests import TicketNumbersExhausted, _next_ticket
from sandbox.storage import metadata


@pytest.fixture
def engine():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return engine


@pytest.mark.parametrize(
    ("prefix", "first", "second"),
    [
        ("SR", "SR20260001", "SR20260002"),  # Shenzhen's 12345
        ("", "20260001", "20260002"),  # plain numbers (Washington DC)
        ("SR{yy}-{number:08d}", "SR26-00000001", "SR26-00000002"),  # Chicago
        ("311-{number:08d}", "311-00000001", "311-00000002"),
    ],
)
def test_tickets_follow_the_citys_format(engine, prefix: str, first: str, second: str) -> None:
    with engine.begin() as connection:
        assert _next_ticket(connection, 2026, prefix) == first
        assert _next_ticket(connection, 2026, prefix) == second


def test_a_format_runs_out_of_numbers_at_its_width(engine) -> None:
    with engine.begin() as connection:
        for _ in range(9):
            _next_ticket(connection, 2026, "T{number:1d}")
        with pytest.raises(TicketNumbersExhausted):
            _next_ticket(connection, 2026, "T{number:1d}")


@pytest.mark.parametrize(
    "prefix", ["SR{month}-{number}", "SR{number:q}", "{0}", "WAW-{year}-", "T{yy}"]
)
def test_a_format_that_cannot_number_a_ticket_fails_at_start_up(prefix: str) -> None:
    from sandbox.settings import SandboxSettings

    with pytest.raises(ValueError, match="SANDBOX_TICKET_PREFIX"):
        SandboxSettings(ticket_prefix=prefix)
