"""Whether a line (or the whole network) runs on a day: "does the 921 run on saturdays?".

Commuter and rural networks run on working days only, and their riders ask before they
plan ("want to take the kids up to wakefield this weekend"). The answer is the
calendar's: no trip that day is said plainly, instead of a timetable question about
which stop was meant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from actions.clients.gtfs import services_on
from actions.clients.gtfs.model import TransitFeed


def service_window(
    feed: TransitFeed, day: dt.date, route_ids: Collection[str] = ()
) -> tuple[int, int] | None:
    """When the first and the last trip of the day leave (seconds after midnight), on
    the routes given (all when none are), or None when none runs that day."""
    running = services_on(feed, day)
    if not running:
        return None
    wanted = frozenset(route_ids)
    first = last = None
    for trip in feed.trips.values():
        if trip.service_id not in running or (wanted and trip.route_id not in wanted):
            continue
        calls = feed.stop_times.get(trip.trip_id)
        if not calls:
            continue
        leaves = calls[0].departure_s
        first = leaves if first is None else min(first, leaves)
        last = leaves if last is None else max(last, leaves)
    return None if first is None or last is None else (first, last)
