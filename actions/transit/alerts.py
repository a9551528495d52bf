"""Service disruptions from GTFS-Realtime alerts, for a line, a station or the network.

Alerts carry their text as ``TranslatedString``s; the rider gets the one in their language
(the feed's own when it has no translation). Only alerts active now count, and only those
about the line or station asked about — an alert naming just a station concerns every line
there, one naming just a line every station on it (see ``ServiceAlert.affects``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from actions.clients.gtfs.model import TransitFeed
from actions.clients.gtfs_realtime import ServiceAlert

#: Alerts listed in one reply; a network in meltdown still gets a readable answer.
MAX_SHOWN = 5


def relevant(
    alerts: Iterable[ServiceAlert],
    now: dt.datetime,
    *,
    route_ids: Sequence[str] = (),
    stop_ids: Sequence[str] = (),
) -> list[ServiceAlert]:
    """Alerts active at ``now`` about any of the routes / stops (all of them when none given)."""
    active = [a for a in alerts if a.is_active(now)]
    if not route_ids and not stop_ids:
        return active
    return [
        alert
        for alert in active
        if any(alert.affects(route_id=r, stop_ids=tuple(stop_ids)) for r in route_ids or ("",))
    ]


def about_another_network(feed: TransitFeed, alerts: Iterable[ServiceAlert]) -> bool:
    """Whether the alerts name lines and stops of which this feed has none.

    A city configured with its own GTFS feed but left on another live feed's URL (the
    sandbox's, by default) would otherwise tell its riders "running normally", or read
    out another network's disruptions, as if they were its own. Alerts naming nothing by
    id (a network-wide notice) and an empty feed prove nothing either way.
    """
    named = False
    for alert in alerts:
        for entity in alert.informed:
            if entity.route_id:
                named = True
                if entity.route_id in feed.routes:
                    return False
            if entity.stop_id:
                named = True
                if entity.stop_id in feed.stops:
                    return False
            if entity.trip_id:
                named = True
                if entity.trip_id in feed.trips:
                    return False
    return named


def station_stop_ids(feed: TransitFeed, station_id: str) -> tuple[str, ...]:
    """A station and its platforms: alerts may name either."""
    return (station_id, *feed.children.get(station_id, ()))


def alert_lines(alerts: Sequence[ServiceAlert], language: str) -> str:
    """Each alert as "• header: description" in the rider's language."""
    lines = []
    for alert in alerts[:MAX_SHOWN]:
        header = alert.header_in(language).strip()
        description = alert.description_in(language).strip()
        separator = ": " if language == "en" else "："
        lines.append("• " + (f"{header}{separator}{description}" if description else header))
    return "\n".join(lines)
