"""After retention the complaint outbox and watches hold nothing personal of finished cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from actions.clients.open311 import ComplaintSubmission
from actions.complaint_watch import ComplaintWatch
from actions.complaints_outbox import ComplaintOutbox, OutboxStatus
from actions.retention import forget, retention_days
from tests.unit.test_complaints_outbox import Clock, FakeCity

PHONE = "13912345678"
ID_NUMBER = "440305199001011234"
PERSONAL = ComplaintSubmission(
    service_code="noise",
    description=f"楼下酒吧每晚吵到三点，我是业主，身份证{ID_NUMBER}，电话{PHONE}",
    address_string="南山区桃园路 88 号 3 栋 1201",
    phone=PHONE,
    first_name="小明",
)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/outbox.db"


def everything_stored(url: str) -> str:
    """Every value of every row of every table, as one text to search."""
    engine = create_engine(url, future=True)
    values = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(str(value) for value in row)
    return "\n".join(values)


async def test_a_delivered_complaint_keeps_its_ticket_but_not_the_residents_details(
    database: str, clock: Clock
) -> None:
    outbox = ComplaintOutbox(create_engine(database, future=True), clock=clock)
    record = await outbox.submit("wechat:resident", "k1", PERSONAL, FakeCity().submit)
    assert record.status is OutboxStatus.DELIVERED and record.ticket_id
    stored = everything_stored(database)
    assert PHONE not in stored and ID_NUMBER not in stored and "桃园路" not in stored
    assert record.ticket_id in stored and "noise" in stored


async def test_after_retention_no_phone_or_id_number_is_left_in_any_finished_case(
    database: str, clock: Clock
) -> None:
    engine = create_engine(database, future=True)
    outbox = ComplaintOutbox(engine, clock=clock)
    watch = ComplaintWatch(engine, clock=clock)
    rejecting = FakeCity()
    rejecting.mode = "rejecting"
    await outbox.submit("resident-a", "rejected", PERSONAL, rejecting.submit)
    delivered = await outbox.submit("resident-b", "delivered", PERSONAL, FakeCity().submit)
    watch.watch(delivered.local_ref, "resident-b", "wechat", "open")
    watch.mark(delivered.local_ref, "closed", finished=True)
    assert PHONE in everything_stored(database)  # the refused case is kept for staff...

    clock.advance(dt.timedelta(days=181))
    done = forget(outbox, watch, 180, clock())

    stored = everything_stored(database)  # ...until the retention period ends
    assert PHONE not in stored and ID_NUMBER not in stored and "resident-b" not in stored
    assert done.redacted_complaints == 2 and done.deleted_watches == 1
    assert outbox.get("rejected").status is OutboxStatus.REJECTED  # the case itself stays
    assert outbox.get("delivered").ticket_id == delivered.ticket_id


async def test_a_complaint_still_waiting_for_the_city_is_never_touched(
    database: str, clock: Clock
) -> None:
    engine = create_engine(database, future=True)
    outbox = ComplaintOutbox(engine, clock=clock)
    down = FakeCity()
    down.mode = "down"
    await outbox.submit("resident-c", "pending", PERSONAL, down.submit)
    clock.advance(dt.timedelta(days=400))
    forget(outbox, ComplaintWatch(engine, clock=clock), 180, clock())
    [record] = outbox.for_sender("resident-c")
    assert record.status is OutboxStatus.PENDING and record.submission.phone == PHONE


def test_the_period_is_the_consoles_and_the_environment_wins(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("console:\n  retention_days: 90\n", encoding="utf-8")
    assert retention_days(endpoints, {}) == 90
    assert retention_days(endpoints, {"CONSOLE_RETENTION_DAYS": "30"}) == 30
    assert retention_days(tmp_path / "missing.yml", {}) == 180
    with pytest.raises(ValueError):
        retention_days(endpoints, {"CONSOLE_RETENTION_DAYS": "0"})
