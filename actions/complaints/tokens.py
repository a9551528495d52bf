"""Complaints the city took with a token instead of a ticket number (Open311 ``token``).

A GeoReport v2 server that assigns ticket numbers later answers a POST with a token,
to be exchanged at ``GET tokens/{token}.json`` once the number exists. The outbox keeps
``token:<token>`` as the ticket until then; whoever next needs the number (the resident
asking, the update poller) exchanges it and records the number, so the resident is told
a real ticket number as soon as the city has one.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from actions.clients.errors import CityServiceError
from actions.complaints_outbox import ComplaintOutbox, OutboxRecord

logger = logging.getLogger(__name__)

PREFIX = "token:"


@runtime_checkable
class TokenExchange(Protocol):
    """The part of the Open311 client that exchanges tokens (some test doubles lack it)."""

    async def request_id_for_token(self, token: str) -> str | None: ...


def token_of(record: OutboxRecord) -> str | None:
    """The token a delivered complaint is waiting on, or None when it has a number."""
    ticket = record.ticket_id or ""
    if record.delivered and ticket.startswith(PREFIX):
        return ticket[len(PREFIX) :]
    return None


async def settle_token(
    outbox: ComplaintOutbox, open311: TokenExchange, record: OutboxRecord
) -> OutboxRecord:
    """The record with its ticket number if the city has one now (else unchanged)."""
    token = token_of(record)
    if token is None:
        return record
    try:
        ticket = await open311.request_id_for_token(token)
    except CityServiceError as error:
        logger.info("token %s not exchanged yet: %s", token, error)
        return record
    if not ticket:
        return record
    return outbox.set_ticket(record.idempotency_key, ticket) or record
