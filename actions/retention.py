"""Forget complaint details the action side keeps once they have served their purpose.

The complaint outbox holds what a resident reported (description, address, phone)
until the city has it, and the complaint watch whom to tell when a ticket moves. The
console's retention (``python -m bot.console retention``) covers the conversations;
this covers these two stores, with the same period:

* outbox rows the city took or refused, last touched before the cutoff: payload
  redacted to the service code (delivered rows are already redacted on delivery);
  the row, its ticket number and its state stay, so nothing is filed twice;
* finished watches last checked before the cutoff: deleted;
* look-ups of other residents' tickets (conversation id and time only) older than a
  day, once they no longer count against the daily limit: deleted.

Pending complaints are never touched. ``make retention`` runs both; cron runs it daily:
``python -m actions.retention [--days N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from actions.complaint_watch import ComplaintWatch
from actions.complaints_outbox import ComplaintOutbox
from actions.settings import CityServicesSettings
from actions.storage import engine_for
from actions.ticket_lookups import TicketLookups
from bot.config_file import section_of

#: The console's default (bot/console/settings.py): one period for every store.
DEFAULT_DAYS = 180


@dataclass(frozen=True)
class Forgotten:
    redacted_complaints: int
    deleted_watches: int


def retention_days(endpoints_file: Path, environ: Mapping[str, str]) -> int:
    """``console.retention_days`` (endpoints.yml), ``CONSOLE_RETENTION_DAYS`` winning."""
    section = section_of(endpoints_file, "console") or {}
    value = environ.get("CONSOLE_RETENTION_DAYS") or section.get("retention_days") or DEFAULT_DAYS
    days = int(value)
    if days < 1:
        raise ValueError("Retention is at least one day.")
    return days


def forget(
    outbox: ComplaintOutbox, watch: ComplaintWatch, days: int, now: dt.datetime
) -> Forgotten:
    """Apply the retention period to both stores."""
    if days < 1:
        raise ValueError("Retention is at least one day.")
    cutoff = now - dt.timedelta(days=days)
    return Forgotten(outbox.forget_details(cutoff), watch.forget_finished(cutoff))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, help="overrides console.retention_days")
    args = parser.parse_args(argv)
    endpoints = Path(os.environ.get("CITY_ENDPOINTS", "endpoints.yml"))
    days = args.days or retention_days(endpoints, os.environ)
    settings = CityServicesSettings.load(endpoints, os.environ)
    own_tables = engine_for(settings.outbox_database_url)
    done = forget(
        ComplaintOutbox(own_tables),
        ComplaintWatch(own_tables),
        days,
        dt.datetime.now(dt.timezone.utc),
    )
    lookups = TicketLookups(own_tables).forget_before()
    print(
        f"retention ({days} days): {done.redacted_complaints} complaint payloads redacted, "
        f"{done.deleted_watches} finished watches deleted, {lookups} ticket look-ups forgotten"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
