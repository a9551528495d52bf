"""The outbox worker: delivers complaints queued while the city's Open311 server was away.

Runs as its own process next to the action server (``make run`` starts it), so
a queued complaint is delivered even when nobody is chatting, and after a
restart. Several workers may run: a record is claimed atomically before it is
sent (see :mod:`actions.complaints_outbox`).

Usage::

    python -m actions.delivery [--interval 15] [--once]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from actions.city import city_services
from actions.clients.http import close_shared_client
from actions.complaints_outbox import OutboxDeliveryTask


async def deliver(interval: float, once: bool) -> int:
    services = city_services()
    try:
        if once:
            records = await services.outbox.deliver_due(services.open311.submit)
            for record in records:
                print(record.local_ref, record.status.value, record.ticket_id or "", flush=True)
            return 0
        task = OutboxDeliveryTask(services.outbox, services.open311.submit, interval)
        task.ensure_running()
        await asyncio.Event().wait()  # until Ctrl-C / SIGTERM
        return 0
    finally:
        await close_shared_client()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--interval", type=float, default=15.0, help="seconds between rounds")
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    print("outbox delivery running", flush=True)
    try:
        return asyncio.run(deliver(args.interval, args.once))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
