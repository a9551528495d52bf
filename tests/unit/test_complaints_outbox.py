"""A complaint is never lost and never filed twice, whatever the city's server does."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
import respx

from actions.clients import http
from actions.clients.errors import Rejected, ServiceUnavailable
from actions.clients.open311 import ComplaintSubmission, Open311Client, SubmittedRequest
from actions.complaints_outbox import (
    CLAIM_LEASE,
    ComplaintOutbox,
    OutboxStatus,
    submission_key,
)
from actions.settings import CityServicesSettings

COMPLAINT = ComplaintSubmission(
    service_code="streetlight", description="桃园路的路灯坏了三天", address_string="南山区桃园路"
)


class FakeCity:
    """An Open311 server that honours Idempotency-Key and can be down, slow or failing."""

    def __init__(self) -> None:
        self.mode = "up"
        self.tickets: dict[str, str] = {}
        self.posts: list[str] = []

    async def submit(self, submission: ComplaintSubmission, key: str) -> SubmittedRequest:
        self.posts.append(key)
        if self.mode == "down":
            raise ServiceUnavailable("open311", "unreachable (ConnectError)")
        if self.mode == "rejecting":
            raise Rejected("open311", "HTTP 400 service_code unknown", status=400)
        if self.mode == "broken":
            raise RuntimeError("bug in a client")
        ticket = self.tickets.setdefault(key, f"SR2026{len(self.tickets) + 1:04d}")
        if self.mode == "slow":  # the ticket is filed, but the answer never arrives
            raise ServiceUnavailable("open311", "timed out; the outcome is unknown")
        return SubmittedRequest(service_request_id=ticket)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path, clock) -> ComplaintOutbox:
    from sqlalchemy import create_engine

    return ComplaintOutbox(
        create_engine(f"sqlite:///{tmp_path}/outbox.db", future=True), clock=clock
    )


async def test_a_complaint_is_delivered_at_once_when_the_city_answers(outbox):
    city = FakeCity()
    record = await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    assert record.status is OutboxStatus.DELIVERED
    assert record.ticket_id == "SR20260001"
    assert record.local_ref.startswith("LQ")


async def test_a_retried_turn_does_not_file_a_second_ticket(outbox):
    city = FakeCity()
    first = await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    again = await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    assert again.ticket_id == first.ticket_id
    assert city.posts == ["k1"]


async def test_two_concurrent_runs_of_the_same_turn_post_once(outbox):
    city = FakeCity()
    first, second = await asyncio.gather(
        outbox.submit("alice", "k1", COMPLAINT, city.submit),
        outbox.submit("alice", "k1", COMPLAINT, city.submit),
    )
    assert len(city.posts) == 1
    assert {first.local_ref} == {second.local_ref}


async def test_complaint_is_queued_when_open311_is_down_and_delivered_later(outbox, clock):
    city = FakeCity()
    city.mode = "down"
    record = await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    assert record.status is OutboxStatus.PENDING
    assert record.ticket_id is None and "unreachable" in record.last_error
    assert outbox.by_local_ref(record.local_ref.lower()).submission == COMPLAINT

    assert await outbox.deliver_due(city.submit) == []  # not due yet: backoff
    city.mode = "up"
    clock.advance(dt.timedelta(minutes=1))
    [delivered] = await outbox.deliver_due(city.submit)
    assert delivered.status is OutboxStatus.DELIVERED
    assert delivered.local_ref == record.local_ref
    assert city.posts == ["k1", "k1"]


async def test_a_slow_server_that_filed_the_ticket_is_not_asked_to_file_it_again(outbox, clock):
    city = FakeCity()
    city.mode = "slow"
    record = await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    assert record.status is OutboxStatus.PENDING
    city.mode = "up"
    clock.advance(dt.timedelta(hours=1))
    [delivered] = await outbox.deliver_due(city.submit)
    assert len(city.tickets) == 1
    assert delivered.ticket_id == city.tickets["k1"]


async def test_an_erroring_server_keeps_the_complaint_pending_with_growing_waits(outbox, clock):
    city = FakeCity()
    city.mode = "down"
    await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    for _ in range(4):
        clock.advance(dt.timedelta(minutes=11))
        await outbox.deliver_due(city.submit)
    [record] = outbox.pending()
    assert record.attempts == 5
    assert record.status is OutboxStatus.PENDING


async def test_a_rejected_complaint_is_kept_for_staff_and_not_retried(outbox, clock):
    city = FakeCity()
    city.mode = "rejecting"
    record = await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    assert record.status is OutboxStatus.REJECTED
    assert "service_code" in record.last_error
    clock.advance(dt.timedelta(hours=1))
    assert await outbox.deliver_due(city.submit) == []
    assert outbox.for_sender("alice")[0].status is OutboxStatus.REJECTED


async def test_a_bug_in_delivery_does_not_lose_the_complaint(outbox):
    city = FakeCity()
    city.mode = "broken"
    record = await outbox.submit("alice", "k1", COMPLAINT, city.submit)
    assert record.status is OutboxStatus.PENDING


async def test_a_delivery_interrupted_by_a_crash_is_picked_up_after_the_lease(outbox, clock):
    city = FakeCity()
    outbox.take_in("alice", "k1", COMPLAINT)
    assert outbox._claim("k1")  # a process claimed it, then died
    assert await outbox.deliver_due(city.submit) == []
    clock.advance(CLAIM_LEASE + dt.timedelta(seconds=1))
    [record] = await outbox.deliver_due(city.submit)
    assert record.status is OutboxStatus.DELIVERED


async def test_a_second_complaint_in_the_same_conversation_is_a_new_ticket(outbox):
    city = FakeCity()
    await outbox.submit("alice", submission_key("alice", "msg-1"), COMPLAINT, city.submit)
    await outbox.submit("alice", submission_key("alice", "msg-9"), COMPLAINT, city.submit)
    assert [r.ticket_id for r in outbox.for_sender("alice")] == ["SR20260001", "SR20260002"]
    assert outbox.for_sender("bob") == []


def test_the_key_of_a_turn_is_stable_and_private_to_the_sender():
    assert submission_key("alice", "m1") == submission_key("alice", "m1")
    assert submission_key("alice", "m1") != submission_key("bob", "m1")
    assert len(submission_key("alice", "m1")) == 40


@respx.mock
async def test_through_the_real_client_a_timeout_queues_and_the_retry_sends_the_same_key(
    outbox, clock
):
    settings = CityServicesSettings.from_sources({"open311_url": "https://311.example/v2"}, {})
    fast = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=0)
    route = respx.post("https://311.example/v2/requests.json").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.Response(201, json=[{"service_request_id": "SR20260042"}]),
        ]
    )
    async with httpx.AsyncClient() as raw:
        client = Open311Client(settings, client=raw, policy=fast)
        record = await outbox.submit("alice", "k1", COMPLAINT, client.submit)
        assert record.status is OutboxStatus.PENDING
        clock.advance(dt.timedelta(minutes=5))
        [record] = await outbox.deliver_due(client.submit)
    assert record.ticket_id == "SR20260042"
    keys = [call.request.headers["Idempotency-Key"] for call in route.calls]
    assert keys == ["k1", "k1"]


class TokenCity:
    """A server that answers a POST with a token and gives the ticket number later."""

    def __init__(self) -> None:
        self.numbers: dict[str, str] = {}

    async def submit(self, submission: ComplaintSubmission, key: str) -> SubmittedRequest:
        return SubmittedRequest(service_request_id=None, token=f"tok-{key[:6]}")

    async def request_id_for_token(self, token: str) -> str | None:
        return self.numbers.get(token)


async def test_a_token_answer_is_delivered_and_becomes_a_ticket_number_later(outbox):
    from actions.complaints.tokens import settle_token, token_of

    city = TokenCity()
    record = await outbox.submit("resident-1", "k-token", COMPLAINT, city.submit)
    assert record.status is OutboxStatus.DELIVERED
    token = token_of(record)
    assert token is not None
    assert (await settle_token(outbox, city, record)).ticket_id == f"token:{token}"
    city.numbers[token] = "101000123456"
    settled = await settle_token(outbox, city, record)
    assert settled.ticket_id == "101000123456" and token_of(settled) is None
    assert outbox.get("k-token").ticket_id == "101000123456"


async def test_the_real_client_exchanges_a_token_at_the_tokens_endpoint():
    settings = CityServicesSettings(open311_url="https://311.example.gov/v2")
    client = Open311Client(settings)
    with respx.mock(base_url="https://311.example.gov/v2") as router:
        router.get("/tokens/abc-1.json").respond(
            json=[{"token": "abc-1", "service_request_id": "638344"}]
        )
        router.get("/tokens/abc-2.json").respond(status_code=404)
        assert await client.request_id_for_token("abc-1") == "638344"
        assert await client.request_id_for_token("abc-2") is None
