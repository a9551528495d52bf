"""The outbox worker: delivers queued complaints and tells residents when their tickets move on.

Runs as its own process next to the action server (``make run`` starts it), so
a queued complaint is delivered even when nobody is chatting, and after a
restart. Each round it (1) delivers complaints queued while the city's Open311
server was away and (2) polls the tickets residents are waiting on and messages
them through the assistant's HTTP API when one changed state (see
:mod:`actions.complaint_notifier`). Several workers may run: a record is
claimed atomically before it is sent, and so is a message to a resident.

Usage::

    python -m actions.delivery [--interval 15] [--once]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from actions.city import CityServices, city_services
from actions.clients.http import close_shared_client
from actions.complaint_notifier import Change, ComplaintNotifier
from actions.complaints_outbox import OutboxRecord

logger = logging.getLogger(__name__)


def notifier_for(services: CityServices) -> ComplaintNotifier:
    return ComplaintNotifier(
        services.outbox,
        services.watch,
        services.open311,
        services.assistant,
        watch_period=services.settings.complaint_watch_period(),
    )


async def one_round(
    services: CityServices, notifier: ComplaintNotifier
) -> tuple[list[OutboxRecord], list[Change]]:
    """Deliver what is due, then send the updates; a failure of one does not stop the other."""
    delivered: list[OutboxRecord] = []
    told: list[Change] = []
    try:
        delivered = await services.outbox.deliver_due(services.open311.submit)
    except Exception:  # noqa: BLE001 - keep the worker alive; the records stay pending
        logger.exception("outbox delivery round failed")
    try:
        told = await notifier.run_once()
    except Exception:  # noqa: BLE001 - keep the worker alive; the next round tries again
        logger.exception("complaint update round failed")
    return delivered, told


async def deliver(interval: float, once: bool) -> int:
    services = city_services()
    notifier = notifier_for(services)
    try:
        while True:
            delivered, told = await one_round(services, notifier)
            for record in delivered:
                if once:
                    print(record.local_ref, record.status.value, record.ticket_id or "", flush=True)
                elif record.delivered:
                    logger.info("outbox %s delivered as %s", record.local_ref, record.ticket_id)
            if once:
                for change in told:
                    outcome = "told" if change.announce else "noted"
                    transition = f"{change.previous_state or '-'}->{change.state}"
                    print(change.local_ref, change.ticket_id, transition, outcome, flush=True)
                return 0
            await asyncio.sleep(interval)
    finally:
        await close_shared_client()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--interval", type=float, default=15.0, help="seconds between rounds")
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # httpx logs every request URL at INFO, and the assistant's token is in the URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    print("outbox delivery and complaint updates running", flush=True)
    try:
        return asyncio.run(deliver(args.interval, args.once))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
