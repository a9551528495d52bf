"""The complaint outbox keeps its promises on PostgreSQL too."""

from __future__ import annotations

import asyncio
import datetime as dt

from actions.clients.errors import ServiceUnavailable
from actions.clients.open311 import ComplaintSubmission, SubmittedRequest
from actions.complaints_outbox import ComplaintOutbox, OutboxStatus

COMPLAINT = ComplaintSubmission("noise", "工地凌晨两点还在施工", address_string="福田区香蜜湖路")


async def test_outbox_on_postgres_queues_then_delivers_exactly_once(postgres_engine):
    outbox = ComplaintOutbox(postgres_engine)
    posts: list[str] = []
    city_up = False

    async def submit(submission: ComplaintSubmission, key: str) -> SubmittedRequest:
        posts.append(key)
        if not city_up:
            raise ServiceUnavailable("open311", "unreachable")
        return SubmittedRequest(service_request_id="SR20269999")

    queued = await outbox.submit("wechat:o6_bmjrPTlm6", "turn-1", COMPLAINT, submit)
    assert queued.status is OutboxStatus.PENDING
    assert queued.created_at.tzinfo is not None

    city_up = True
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    outbox_later = ComplaintOutbox(postgres_engine, clock=lambda: later)
    results = await asyncio.gather(
        outbox_later.deliver_due(submit), outbox_later.deliver_due(submit)
    )
    delivered = [r for batch in results for r in batch if r.delivered]
    assert {r.ticket_id for r in delivered} == {"SR20269999"}
    assert posts == ["turn-1", "turn-1"]  # one failed attempt, one delivery — never two
    again = await outbox_later.submit("wechat:o6_bmjrPTlm6", "turn-1", COMPLAINT, submit)
    assert again.ticket_id == "SR20269999" and len(posts) == 2
