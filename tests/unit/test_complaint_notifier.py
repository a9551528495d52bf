"""Residents hear once about each step of their ticket, on their channel, even through outages."""

from __future__ import annotations

import datetime as dt
import json
import logging
from types import SimpleNamespace

import httpx
import pytest
import respx
from sqlalchemy import create_engine

from actions.city import CityServices
from actions.clients import http
from actions.clients.assistant import AssistantClient
from actions.clients.errors import NotFound, Rejected, ServiceUnavailable
from actions.clients.open311 import (
    ComplaintSubmission,
    Open311Client,
    ServiceRequest,
    SubmittedRequest,
)
from actions.complaint_notifier import (
    BATCH_SIZE,
    UPDATE_INTENT,
    WATCH_PERIOD,
    ComplaintNotifier,
    changes,
    stale,
)
from actions.complaint_watch import ComplaintWatch, Watched
from actions.complaints_outbox import ComplaintOutbox, OutboxRecord, OutboxStatus
from actions.delivery import notifier_for, one_round
from actions.settings import CityServicesSettings

COMPLAINT = ComplaintSubmission(
    service_code="streetlight", description="桃园路的路灯坏了三天", address_string="南山区桃园路"
)
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.timezone.utc)


# -- the pure decision ---------------------------------------------------------------------
def watched(local_ref: str = "LQ1", last_state: str | None = "accepted", **extra) -> Watched:
    values = {
        "sender_id": "telegram:42",
        "output_channel": "telegram",
        "last_checked_at": None,
        "finished": False,
        **extra,
    }
    return Watched(local_ref=local_ref, last_state=last_state, **values)


def record(
    local_ref: str = "LQ1",
    ticket_id: str | None = "SR20260001",
    status: OutboxStatus = OutboxStatus.DELIVERED,
    created_at: dt.datetime = NOW,
) -> OutboxRecord:
    return OutboxRecord(
        local_ref=local_ref,
        idempotency_key=f"key-{local_ref}",
        sender_id="telegram:42",
        status=status,
        attempts=1,
        ticket_id=ticket_id,
        last_error=None,
        created_at=created_at,
        submission=COMPLAINT,
    )


def ticket(
    ticket_id: str = "SR20260001", state: str | None = "dispatched", status: str = "open"
) -> ServiceRequest:
    return ServiceRequest(service_request_id=ticket_id, status=status, workflow_state=state)


def by_ref(*records: OutboxRecord) -> dict[str, OutboxRecord]:
    return {item.local_ref: item for item in records}


def by_id(*tickets: ServiceRequest) -> dict[str, ServiceRequest]:
    return {item.service_request_id: item for item in tickets}


def test_a_new_workflow_state_is_told_to_the_resident_on_their_channel():
    [change] = changes([watched()], by_ref(record()), by_id(ticket(state="dispatched")))
    assert change.announce and not change.finished
    assert (change.sender_id, change.output_channel) == ("telegram:42", "telegram")
    assert (change.previous_state, change.state) == ("accepted", "dispatched")
    assert change.entities == {"ticket_id": "SR20260001", "workflow_state": "dispatched"}


def test_resident_is_not_told_twice_about_the_same_state():
    assert changes([watched(last_state="dispatched")], by_ref(record()), by_id(ticket())) == []


def test_the_first_look_after_filing_is_noted_without_a_message():
    [change] = changes([watched(last_state=None)], by_ref(record()), by_id(ticket()))
    assert not change.announce
    assert change.state == "dispatched"


def test_a_complaint_still_waiting_in_the_outbox_is_skipped():
    for waiting in (
        record(ticket_id=None, status=OutboxStatus.PENDING),
        record(ticket_id=None, status=OutboxStatus.DELIVERING),
        record(ticket_id=None, status=OutboxStatus.REJECTED),
    ):
        assert changes([watched()], by_ref(waiting), by_id(ticket())) == []


def test_a_watch_without_an_outbox_record_is_skipped():
    assert changes([watched("LQ404")], by_ref(record("LQ1")), by_id(ticket())) == []


def test_a_ticket_missing_from_the_citys_answer_is_skipped():
    assert changes([watched()], by_ref(record()), by_id(ticket("SR20269999"))) == []


def test_an_unknown_state_is_passed_through():
    [change] = changes([watched()], by_ref(record()), by_id(ticket(state="reopened_by_staff")))
    assert change.announce
    assert change.entities["workflow_state"] == "reopened_by_staff"


def test_a_server_without_workflow_states_reports_open_and_closed():
    [change] = changes(
        [watched(last_state="open")], by_ref(record()), by_id(ticket(state=None, status="closed"))
    )
    assert change.announce and change.finished
    assert (change.previous_state, change.state) == ("open", "closed")


def test_a_closed_ticket_finishes_the_watch():
    [change] = changes(
        [watched(last_state="resolved")],
        by_ref(record()),
        by_id(ticket(state="closed", status="closed")),
    )
    assert change.announce and change.finished


def test_a_ticket_closed_without_a_new_state_stops_the_polling_silently():
    [change] = changes(
        [watched(last_state="resolved")],
        by_ref(record()),
        by_id(ticket(state="resolved", status="closed")),
    )
    assert change.finished and not change.announce


def test_each_resident_hears_about_their_own_ticket():
    found = changes(
        [watched("LQ1"), watched("LQ2", sender_id="web:7", output_channel="socketio")],
        by_ref(record("LQ1", "SR1"), record("LQ2", "SR2")),
        by_id(ticket("SR1", "in_progress"), ticket("SR2", "accepted")),
    )
    assert [(c.sender_id, c.ticket_id, c.state) for c in found] == [
        ("telegram:42", "SR1", "in_progress")
    ]


def test_a_rejected_complaint_or_one_without_a_record_is_no_longer_polled():
    found = stale(
        [watched("LQ1"), watched("LQ2"), watched("LQ404")],
        by_ref(record("LQ1"), record("LQ2", ticket_id=None, status=OutboxStatus.REJECTED)),
        NOW,
        WATCH_PERIOD,
    )
    assert found == ["LQ2", "LQ404"]


def test_a_delivered_complaint_is_polled_for_the_watch_period_and_no_longer():
    filed = NOW - WATCH_PERIOD
    young = record("LQ1", created_at=filed + dt.timedelta(minutes=1))
    old = record("LQ2", created_at=filed - dt.timedelta(minutes=1))
    assert stale([watched("LQ1"), watched("LQ2")], by_ref(young, old), NOW, WATCH_PERIOD) == ["LQ2"]


def test_a_complaint_still_waiting_in_the_outbox_is_polled_however_old():
    ancient = NOW - 10 * WATCH_PERIOD
    waiting = [
        record("LQ1", ticket_id=None, status=OutboxStatus.PENDING, created_at=ancient),
        record("LQ2", ticket_id=None, status=OutboxStatus.DELIVERING, created_at=ancient),
    ]
    assert stale([watched("LQ1"), watched("LQ2")], by_ref(*waiting), NOW, WATCH_PERIOD) == []


def test_a_naive_filing_time_from_sqlite_is_read_as_utc():
    naive = (NOW - WATCH_PERIOD - dt.timedelta(seconds=1)).replace(tzinfo=None)
    assert stale([watched()], by_ref(record(created_at=naive)), NOW, WATCH_PERIOD) == ["LQ1"]


# -- one round, with the outbox and the watch table on SQLite ---------------------------------
class FakeCity:
    """An Open311 server that files tickets, moves them along and can be down."""

    def __init__(self) -> None:
        self.tickets: dict[str, ServiceRequest] = {}
        self.down = False
        self.batches: list[list[str]] = []

    async def submit(self, submission: ComplaintSubmission, key: str) -> SubmittedRequest:
        ticket_id = f"SR2026{len(self.tickets) + 1:04d}"
        self.tickets[ticket_id] = ticket(ticket_id, "accepted")
        return SubmittedRequest(service_request_id=ticket_id)

    def advance(self, ticket_id: str, state: str) -> None:
        status = "closed" if state == "closed" else "open"
        self.tickets[ticket_id] = ticket(ticket_id, state, status)

    async def requests(self, ids, locale: str = "zh-CN") -> list[ServiceRequest]:
        self.batches.append(list(ids))
        if self.down:
            raise ServiceUnavailable("open311", "unreachable (ConnectError)")
        return [self.tickets[i] for i in ids if i in self.tickets]


class FakeAssistant:
    """Rasa's HTTP API: records triggers; can be down or refuse some senders."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, str], str | None]] = []
        #: Every sender a trigger was attempted for, sent or not.
        self.attempts: list[str] = []
        self.down = False
        self.broken_for: set[str] = set()

    async def trigger_intent(self, sender_id, intent, entities, output_channel=None) -> None:
        self.attempts.append(sender_id)
        if self.down:
            raise ServiceUnavailable("assistant", "unreachable (ConnectError)")
        if sender_id in self.broken_for:
            raise RuntimeError("bug")
        self.sent.append((sender_id, intent, dict(entities), output_channel))


@pytest.fixture
def engine(tmp_path):
    return create_engine(f"sqlite:///{tmp_path}/outbox.db", future=True)


@pytest.fixture
def outbox(engine) -> ComplaintOutbox:
    return ComplaintOutbox(engine)


@pytest.fixture
def watch(engine) -> ComplaintWatch:
    return ComplaintWatch(engine)


@pytest.fixture
def city() -> FakeCity:
    return FakeCity()


@pytest.fixture
def assistant() -> FakeAssistant:
    return FakeAssistant()


@pytest.fixture
def notifier(outbox, watch, city, assistant) -> ComplaintNotifier:
    return ComplaintNotifier(outbox, watch, city, assistant)


async def file_complaint(
    outbox, watch, city, sender="telegram:42", channel="telegram", seen="accepted"
) -> tuple[str, str]:
    filed = await outbox.submit(sender, f"key-{sender}-{len(city.tickets)}", COMPLAINT, city.submit)
    watch.watch(filed.local_ref, sender, channel, seen)
    return filed.local_ref, filed.ticket_id


async def test_run_once_sends_one_trigger_and_records_the_new_state(
    notifier, outbox, watch, city, assistant
):
    local_ref, ticket_id = await file_complaint(outbox, watch, city)
    assert await notifier.run_once() == []
    city.advance(ticket_id, "dispatched")

    [change] = await notifier.run_once()
    assert change.local_ref == local_ref and change.state == "dispatched"
    assert assistant.sent == [
        (
            "telegram:42",
            UPDATE_INTENT,
            {"ticket_id": ticket_id, "workflow_state": "dispatched"},
            "telegram",
        )
    ]
    assert watch.get(local_ref).last_state == "dispatched"


async def test_resident_is_not_told_twice_about_the_same_state_across_rounds(
    notifier, outbox, watch, city, assistant
):
    _, ticket_id = await file_complaint(outbox, watch, city)
    city.advance(ticket_id, "in_progress")
    await notifier.run_once()
    await notifier.run_once()
    assert len(assistant.sent) == 1


async def test_every_step_is_told_and_a_closed_ticket_is_no_longer_polled(
    notifier, outbox, watch, city, assistant
):
    local_ref, ticket_id = await file_complaint(outbox, watch, city)
    for state in ("dispatched", "in_progress", "resolved", "closed"):
        city.advance(ticket_id, state)
        await notifier.run_once()
    assert [entities["workflow_state"] for _, _, entities, _ in assistant.sent] == [
        "dispatched",
        "in_progress",
        "resolved",
        "closed",
    ]
    assert watch.active() == [] and watch.get(local_ref).finished
    city.batches.clear()
    assert await notifier.run_once() == []
    assert city.batches == []


async def test_update_is_retried_when_the_assistant_is_down(
    notifier, outbox, watch, city, assistant
):
    local_ref, ticket_id = await file_complaint(outbox, watch, city)
    city.advance(ticket_id, "dispatched")
    assistant.down = True
    assert await notifier.run_once() == []
    assert watch.get(local_ref).last_state == "accepted"

    assistant.down = False
    [change] = await notifier.run_once()
    assert change.state == "dispatched" and len(assistant.sent) == 1


async def test_while_the_assistant_is_down_the_round_does_not_wait_on_every_message(
    notifier, outbox, watch, city, assistant
):
    for sender in ("web:1", "web:2", "web:3"):
        _, ticket_id = await file_complaint(outbox, watch, city, sender=sender)
        city.advance(ticket_id, "dispatched")
    assistant.down = True
    await notifier.run_once()
    assert len(assistant.attempts) == 1


async def test_nothing_is_lost_when_open311_is_down(
    notifier, outbox, watch, city, assistant, caplog
):
    local_ref, ticket_id = await file_complaint(outbox, watch, city)
    city.advance(ticket_id, "dispatched")
    city.down = True
    with caplog.at_level(logging.WARNING):
        assert await notifier.run_once() == []
    assert "Open311 unavailable" in caplog.text
    assert assistant.sent == [] and watch.get(local_ref).last_state == "accepted"

    city.down = False
    assert [c.state for c in await notifier.run_once()] == ["dispatched"]


async def test_tickets_are_fetched_in_batches_of_at_most_50(notifier, outbox, watch, city):
    for number in range(BATCH_SIZE + 3):
        await file_complaint(outbox, watch, city, sender=f"web:{number}")
    await notifier.run_once()
    assert [len(batch) for batch in city.batches] == [BATCH_SIZE, 3]


async def test_a_complaint_still_in_the_outbox_is_told_only_after_delivery(
    notifier, outbox, watch, city, assistant
):
    async def down(submission, key):
        raise ServiceUnavailable("open311", "unreachable (ConnectError)")

    queued = await outbox.submit("web:9", "k-down", COMPLAINT, down)
    watch.watch(queued.local_ref, "web:9", "socketio", None)
    assert await notifier.run_once() == []
    assert city.batches == []

    outbox._finish("k-down", next_attempt_at=dt.datetime.now(dt.timezone.utc))
    [delivered] = await outbox.deliver_due(city.submit)
    city.advance(delivered.ticket_id, "dispatched")
    [noted] = await notifier.run_once()
    assert not noted.announce and assistant.sent == []  # first look: noted silently
    city.advance(delivered.ticket_id, "in_progress")
    [told] = await notifier.run_once()
    assert told.announce and assistant.sent[0][3] == "socketio"


async def test_without_a_known_channel_rasa_is_asked_to_use_the_latest(
    notifier, outbox, watch, city, assistant
):
    _, ticket_id = await file_complaint(outbox, watch, city, channel=None)
    city.advance(ticket_id, "dispatched")
    await notifier.run_once()
    assert assistant.sent[0][3] == "latest"


async def test_one_bad_record_does_not_stop_the_others(notifier, outbox, watch, city, assistant):
    for sender in ("web:1", "web:2"):
        _, ticket_id = await file_complaint(outbox, watch, city, sender=sender)
        city.advance(ticket_id, "dispatched")
    assistant.broken_for = {"web:1"}
    done = await notifier.run_once()
    assert [c.sender_id for c in done] == ["web:2"]
    assistant.broken_for = set()
    assert [c.sender_id for c in await notifier.run_once()] == ["web:1"]


async def test_a_refusing_assistant_leaves_the_update_for_the_next_round(
    notifier, outbox, watch, city, assistant, caplog
):
    local_ref, ticket_id = await file_complaint(outbox, watch, city)
    city.advance(ticket_id, "dispatched")

    async def refuse(*args, **kwargs):
        raise NotFound("assistant", "The intent EXTERNAL_complaint_update does not exist")

    assistant.trigger_intent = refuse
    with caplog.at_level(logging.WARNING):
        assert await notifier.run_once() == []
    assert "in the domain" in caplog.text
    assert watch.get(local_ref).last_state == "accepted"


async def test_two_workers_do_not_tell_the_resident_twice(outbox, watch, city, assistant):
    local_ref, ticket_id = await file_complaint(outbox, watch, city)
    city.advance(ticket_id, "dispatched")
    first = ComplaintNotifier(outbox, watch, city, assistant)
    second = ComplaintNotifier(outbox, watch, city, assistant)
    watch.claim(local_ref, "accepted")  # the first worker is sending right now
    assert await second.run_once() == []
    watch.mark(local_ref, "dispatched", finished=False)  # … and has recorded it
    assert await first.run_once() == []
    assert await second.run_once() == []
    assert assistant.sent == []


async def test_a_ticket_known_only_by_token_is_not_asked_for(notifier, outbox, watch, city):
    async def token_only(submission, key):
        return SubmittedRequest(service_request_id=None, token="T-123")

    filed = await outbox.submit("web:1", "k-token", COMPLAINT, token_only)
    watch.watch(filed.local_ref, "web:1", "socketio", "accepted")
    assert await notifier.run_once() == []
    assert city.batches == []


@respx.mock
async def test_through_the_real_clients_the_trigger_carries_ticket_state_and_channel(
    outbox, watch, city
):
    settings = CityServicesSettings.from_sources(
        {
            "open311_url": "https://311.example/v2",
            "assistant_url": "https://rasa.example",
            "assistant_token": "tok",
        },
        {},
    )
    fast = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=0)
    local_ref, ticket_id = await file_complaint(outbox, watch, city, sender="4242")
    respx.get("https://311.example/v2/requests.json").mock(
        return_value=httpx.Response(
            200,
            json=[
                {
                    "service_request_id": ticket_id,
                    "status": "open",
                    "extended_attributes": {"workflow_state": "in_progress"},
                }
            ],
        )
    )
    trigger = respx.post("https://rasa.example/conversations/4242/trigger_intent").mock(
        return_value=httpx.Response(200, json={"tracker": {}, "messages": []})
    )
    async with httpx.AsyncClient() as raw:
        notifier = ComplaintNotifier(
            outbox,
            watch,
            Open311Client(settings, client=raw, policy=fast),
            AssistantClient(settings, client=raw, policy=fast),
        )
        [change] = await notifier.run_once()
    assert change.state == "in_progress"
    [call] = trigger.calls
    assert dict(call.request.url.params) == {"token": "tok", "output_channel": "telegram"}
    assert json.loads(call.request.content)["entities"] == {
        "ticket_id": ticket_id,
        "workflow_state": "in_progress",
    }
    assert watch.get(local_ref).last_state == "in_progress"


async def test_the_worker_round_sends_updates_even_when_delivery_fails(
    notifier, outbox, watch, city, assistant
):
    _, ticket_id = await file_complaint(outbox, watch, city)
    city.advance(ticket_id, "dispatched")

    class BrokenOutbox:
        async def deliver_due(self, submit):
            raise RuntimeError("database gone")

    services = SimpleNamespace(outbox=BrokenOutbox(), open311=city)
    delivered, told = await one_round(services, notifier)
    assert delivered == [] and [c.state for c in told] == ["dispatched"]


async def test_a_rejected_complaint_stops_being_polled(notifier, outbox, watch, city):
    async def refuse(submission, key):
        raise Rejected("open311", "service_code unknown", 400)

    refused = await outbox.submit("web:9", "k-refused", COMPLAINT, refuse)
    watch.watch(refused.local_ref, "web:9", "socketio", None)
    assert await notifier.run_once() == []
    assert watch.get(refused.local_ref).finished and watch.active() == []


async def test_an_old_open_complaint_stops_being_polled_without_a_message(
    outbox, watch, city, assistant
):
    local_ref, ticket_id = await file_complaint(outbox, watch, city)
    city.advance(ticket_id, "dispatched")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=31)
    notifier = ComplaintNotifier(
        outbox, watch, city, assistant, watch_period=dt.timedelta(days=30), clock=lambda: later
    )
    assert await notifier.run_once() == []
    assert assistant.sent == [] and city.batches == []
    stopped = watch.get(local_ref)
    assert stopped.finished and stopped.last_state == "accepted"


async def test_a_round_holds_one_page_of_watches_at_a_time(outbox, watch, city, assistant):
    for number in range(5):
        _, ticket_id = await file_complaint(outbox, watch, city, sender=f"web:{number}")
        city.advance(ticket_id, "dispatched")
    loaded: list[int] = []
    real = outbox.by_local_refs

    def counting(refs):
        loaded.append(len(refs))
        return real(refs)

    outbox.by_local_refs = counting
    notifier = ComplaintNotifier(outbox, watch, city, assistant, page_size=2)
    done = await notifier.run_once()
    assert sorted(change.sender_id for change in done) == [f"web:{n}" for n in range(5)]
    assert loaded == [2, 2, 1]
    assert [len(batch) for batch in city.batches] == [2, 2, 1]


async def test_once_the_assistant_is_down_later_pages_wait_for_the_next_round(
    outbox, watch, city, assistant
):
    for number in range(4):
        _, ticket_id = await file_complaint(outbox, watch, city, sender=f"web:{number}")
        city.advance(ticket_id, "dispatched")
    assistant.down = True
    notifier = ComplaintNotifier(outbox, watch, city, assistant, page_size=2)
    assert await notifier.run_once() == []
    assert len(assistant.attempts) == 1
    assistant.down = False
    assert len(await notifier.run_once()) == 4


def test_the_worker_takes_the_watch_period_from_the_settings(tmp_path):
    settings = CityServicesSettings.from_sources(
        {"outbox_database_url": f"sqlite:///{tmp_path}/outbox.db", "complaint_watch_days": 7},
        {},
    )
    notifier = notifier_for(CityServices.from_settings(settings))
    assert notifier._watch_period == dt.timedelta(days=7)
