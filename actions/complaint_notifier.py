"""Telling residents, unprompted, that a complaint they filed has moved on.

Open311 has no standard webhook, so the outbox worker polls, which works with any
Open311 server: each round it reads the complaints being watched
(:mod:`actions.complaint_watch`), asks the city for their tickets in batches,
and for every ticket whose state differs from what the resident last heard it
triggers ``EXTERNAL_complaint_update`` in the resident's conversation through
Rasa's HTTP API. The message itself, in the resident's language, is rendered
inside Rasa by the rule for that intent.

The state is a 12345-style ``extended_attributes.workflow_state`` (accepted →
dispatched → in_progress → resolved → closed) or, from a server without one,
the plain Open311 ``status`` (open/closed); states this module does not know are
passed on as they are. Deciding who is told what is the pure :func:`changes`;
:class:`ComplaintNotifier` does the reading, sending and recording.

A state is recorded only after Rasa accepted the trigger, so when the assistant
is down the resident is told next round instead; a worker that dies between
sending and recording may tell one step twice, never skip it.

A round reads the watches a page at a time, so its memory does not grow with
the number of open complaints, and stops polling what can no longer change for
the resident (:func:`stale`): a complaint the city rejected, one whose outbox
record is gone, and one still open after the watch period
(``complaint_watch_days``; the resident can still ask for its status).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from actions.clients.errors import CityServiceError, ServiceUnavailable
from actions.clients.open311 import ServiceRequest
from actions.complaint_watch import ComplaintWatch, Watched
from actions.complaints.tokens import TokenExchange, settle_token, token_of
from actions.complaints_outbox import ComplaintOutbox, OutboxRecord, OutboxStatus

logger = logging.getLogger(__name__)

#: The intent Rasa's rule answers with the update message (see domain.yml).
UPDATE_INTENT = "EXTERNAL_complaint_update"
#: Tickets asked for in one ``GET requests.json?service_request_id=…``.
BATCH_SIZE = 50
#: Where Rasa sends the message when the channel the complaint came from is not known.
LATEST_CHANNEL = "latest"
#: Watches read, and outbox records loaded, at a time within one round.
PAGE_SIZE = 200
#: How long after filing an open complaint is polled (``complaint_watch_days``).
WATCH_PERIOD = dt.timedelta(days=90)


@dataclass(frozen=True)
class Change:
    """A ticket whose state moved on since the resident last heard about it."""

    local_ref: str
    sender_id: str
    output_channel: str | None
    ticket_id: str
    previous_state: str | None
    state: str
    #: The ticket is closed: nothing more will happen to it, stop polling.
    finished: bool
    #: False when the state is only noted: the first look after filing (the
    #: resident was just told), or a ticket that closed without a new state.
    announce: bool

    @property
    def entities(self) -> dict[str, str]:
        """The entities of the trigger, as the rule in Rasa reads them."""
        return {"ticket_id": self.ticket_id, "workflow_state": self.state}


def ticket_state(ticket: ServiceRequest) -> str:
    """The state a resident is told: the workflow step if the server has one, else the status."""
    return ticket.workflow_state or ticket.status


def changes(
    watched: Iterable[Watched],
    outbox_records_by_ref: Mapping[str, OutboxRecord],
    tickets_by_id: Mapping[str, ServiceRequest],
) -> list[Change]:
    """Who must be told what, given the watches, their outbox records and the city's tickets.

    A complaint not delivered yet has no ticket to look at, and a ticket the
    city did not return this time is looked at next round; both are skipped.
    """
    found = []
    for item in watched:
        record = outbox_records_by_ref.get(item.local_ref)
        if record is None or not record.delivered or not record.ticket_id:
            continue
        ticket = tickets_by_id.get(record.ticket_id)
        if ticket is None:
            continue
        state = ticket_state(ticket)
        finished = not ticket.is_open
        if state == item.last_state and not finished:
            continue
        found.append(
            Change(
                local_ref=item.local_ref,
                sender_id=item.sender_id,
                output_channel=item.output_channel,
                ticket_id=record.ticket_id,
                previous_state=item.last_state,
                state=state,
                finished=finished,
                announce=item.last_state is not None and state != item.last_state,
            )
        )
    return found


def stale(
    watched: Iterable[Watched],
    outbox_records_by_ref: Mapping[str, OutboxRecord],
    now: dt.datetime,
    watch_period: dt.timedelta,
) -> list[str]:
    """The watches to stop polling: nothing more will ever be told to the resident.

    That is a complaint the city rejected (it has no ticket), one whose outbox
    record is gone, and one filed longer than ``watch_period`` ago. A complaint
    still waiting in the outbox is kept, however old: it may yet be delivered.
    """
    oldest = now - watch_period
    found = []
    for item in watched:
        record = outbox_records_by_ref.get(item.local_ref)
        if _never_told_again(record, oldest):
            found.append(item.local_ref)
    return found


def _never_told_again(record: OutboxRecord | None, oldest: dt.datetime) -> bool:
    if record is None or record.status is OutboxStatus.REJECTED:
        return True
    return record.delivered and _aware(record.created_at) < oldest


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; the outbox stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def pollable_ticket_ids(records: Iterable[OutboxRecord]) -> list[str]:
    """The ticket numbers to ask the city about (a ``token:…`` has no ticket number yet)."""
    return sorted(
        {
            record.ticket_id
            for record in records
            if record.delivered and record.ticket_id and not record.ticket_id.startswith("token:")
        }
    )


class TicketReader(Protocol):
    """The part of the Open311 client the notifier uses."""

    async def requests(
        self, service_request_ids: Sequence[str], locale: str = ...
    ) -> list[ServiceRequest]: ...


class Messenger(Protocol):
    """The part of the assistant client the notifier uses."""

    async def trigger_intent(
        self,
        sender_id: str,
        intent: str,
        entities: Mapping[str, str],
        output_channel: str | None = None,
    ) -> None: ...


class ComplaintNotifier:
    """One polling round: read the watches, ask the city, tell the residents, record it."""

    def __init__(
        self,
        outbox: ComplaintOutbox,
        watch: ComplaintWatch,
        open311: TicketReader,
        assistant: Messenger,
        watch_period: dt.timedelta = WATCH_PERIOD,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._outbox = outbox
        self._watch = watch
        self._open311 = open311
        self._assistant = assistant
        self._watch_period = watch_period
        self._page_size = page_size
        self._clock = clock

    async def run_once(self) -> list[Change]:
        """Tell every resident whose ticket moved on; returns the changes sent or noted.

        A change that could not be sent is left for the next round; when the
        assistant is unreachable the rest of the round's messages wait too.
        """
        done: list[Change] = []
        assistant_reachable = True
        for page in self._watch.active_pages(self._page_size):
            told, assistant_reachable = await self._page(page, assistant_reachable)
            done.extend(told)
        return done

    async def _page(
        self, watched: list[Watched], assistant_reachable: bool
    ) -> tuple[list[Change], bool]:
        """One page of watches; also says whether the assistant is still thought reachable."""
        records = self._outbox.by_local_refs([item.local_ref for item in watched])
        finished = stale(watched, records, self._clock(), self._watch_period)
        if finished:
            self._watch.stop(finished)
            logger.info("complaint updates: stopped polling %d complaints", len(finished))
            gone = set(finished)
            watched = [item for item in watched if item.local_ref not in gone]
        if isinstance(self._open311, TokenExchange):
            for item in watched:
                record = records.get(item.local_ref)
                if record is not None and token_of(record) is not None:
                    records[item.local_ref] = await settle_token(
                        self._outbox, self._open311, record
                    )
        tickets = await self._tickets(
            pollable_ticket_ids(records[item.local_ref] for item in watched)
        )
        done = []
        for change in changes(watched, records, tickets):
            if change.announce and not assistant_reachable:
                continue
            try:
                if await self._settle(change):
                    done.append(change)
            except ServiceUnavailable as error:
                assistant_reachable = False
                logger.warning(
                    "complaint %s: update not sent, next round: %s", change.local_ref, error
                )
            except CityServiceError as error:
                logger.warning(
                    "complaint %s: the assistant refused the update (is %s in the domain, "
                    "is the token right?): %s",
                    change.local_ref,
                    UPDATE_INTENT,
                    error,
                )
            except Exception:  # noqa: BLE001 - one bad record must not stop the others
                logger.exception("complaint %s: update failed", change.local_ref)
        return done, assistant_reachable

    async def _tickets(self, ticket_ids: Sequence[str]) -> dict[str, ServiceRequest]:
        found: dict[str, ServiceRequest] = {}
        for start in range(0, len(ticket_ids), BATCH_SIZE):
            batch = ticket_ids[start : start + BATCH_SIZE]
            try:
                answer = await self._open311.requests(batch)
            except ServiceUnavailable as error:
                logger.warning("complaint updates: Open311 unavailable, next round: %s", error)
                break
            except Exception:  # noqa: BLE001 - the other batches may still answer
                logger.exception("complaint updates: %d tickets could not be read", len(batch))
                continue
            found.update((ticket.service_request_id, ticket) for ticket in answer)
        return found

    async def _settle(self, change: Change) -> bool:
        """Send and record one change; False when another worker is already on it."""
        if not change.announce:
            self._watch.mark(change.local_ref, change.state, change.finished)
            return True
        if not self._watch.claim(change.local_ref, change.previous_state):
            return False
        try:
            await self._assistant.trigger_intent(
                change.sender_id,
                UPDATE_INTENT,
                change.entities,
                output_channel=change.output_channel or LATEST_CHANNEL,
            )
        except BaseException:
            self._watch.release(change.local_ref)
            raise
        self._watch.mark(change.local_ref, change.state, change.finished)
        logger.info(
            "complaint %s (%s): resident told %s → %s",
            change.local_ref,
            change.ticket_id,
            change.previous_state,
            change.state,
        )
        return True
