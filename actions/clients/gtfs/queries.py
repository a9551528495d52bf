"""Questions the transit journey asks of a feed: which stop, which lines, when, how much.

Pure functions of a loaded :class:`TransitFeed`, so they answer in microseconds inside a
resident's turn and are tested without a server. Nothing here knows about Shenzhen: stops
are found by their names in any language the feed has, services follow calendar.txt and
calendar_dates.txt, frequency-based trips are expanded, fares follow fare_rules.txt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from actions.clients.gtfs.model import Route, Stop, StopTime, TransitFeed, Trip
from actions.clients.gtfs.names import normalise_name

_DAY_S = 24 * 3600


def find_stops(feed: TransitFeed, query: str) -> tuple[Stop, ...]:
    """Stations (or stops without a station) whose name matches ``query`` in any language.

    An exact name wins over a normalised one; platforms are reported as their station, so
    "罗湖" gives one answer however many lines call there. Several results mean the name is
    ambiguous and the resident should be asked which one.
    """
    wanted = query.strip()
    if not wanted:
        return ()
    ids = feed.stops_by_name.get(wanted.casefold()) or feed.stops_by_key.get(
        normalise_name(wanted), ()
    )
    return tuple(feed.stops[stop_id] for stop_id in ids)


def routes_serving(feed: TransitFeed, stop_id: str) -> tuple[Route, ...]:
    """Routes with a trip calling at the stop, or at any platform of the station."""
    route_ids = feed.route_ids_at.get(stop_id, frozenset())
    routes = [feed.routes[r] for r in route_ids]
    order = {route_id: i for i, route_id in enumerate(feed.routes)}
    routes.sort(key=lambda r: (r.sort_order is None, r.sort_order or 0, order[r.route_id]))
    return tuple(routes)


def services_on(feed: TransitFeed, date: dt.date) -> frozenset[str]:
    """Service ids running on ``date``: calendar.txt, then calendar_dates.txt exceptions."""
    running = {
        c.service_id
        for c in feed.calendars.values()
        if c.start <= date <= c.end and date.weekday() in c.days
    }
    for service_id, exception_type in feed.calendar_dates.get(date, {}).items():
        if exception_type == 1:
            running.add(service_id)
        elif exception_type == 2:
            running.discard(service_id)
    return frozenset(running)


@dataclass(frozen=True)
class Departure:
    """A vehicle leaving a stop: the trip, where it goes, and when by the local clock."""

    trip: Trip
    route: Route
    stop_id: str
    stop_sequence: int
    service_date: dt.date
    departure_s: int  # on the service day's clock; past 86 400 after midnight
    headsign: str

    def at(self, timezone: str) -> dt.datetime:
        """The departure as an aware datetime in the feed's time zone."""
        midnight = dt.datetime.combine(self.service_date, dt.time(), ZoneInfo(timezone))
        return midnight + dt.timedelta(seconds=self.departure_s)


def departures(
    feed: TransitFeed,
    stop_id: str,
    date: dt.date,
    after_s: int,
    *,
    limit: int = 5,
    route_ids: Iterable[str] | None = None,
) -> list[Departure]:
    """The next ``limit`` departures from a stop (or any platform of a station).

    ``after_s`` is the local time on ``date`` in seconds after midnight. Yesterday's trips
    that run past midnight count, as do trips repeated by frequencies.txt. A trip's last
    stop is where it arrives, not a departure.
    """
    wanted_routes = None if route_ids is None else frozenset(route_ids)
    stop_ids = (stop_id, *feed.children.get(stop_id, ()))
    found: list[tuple[int, Departure]] = []
    for day_offset in (1, 0):
        service_date = date - dt.timedelta(days=day_offset)
        running = services_on(feed, service_date)
        if not running:
            continue
        earliest = after_s + day_offset * _DAY_S
        for sid in stop_ids:
            for trip_id, index in feed.calls_at.get(sid, ()):
                trip = feed.trips[trip_id]
                if trip.service_id not in running:
                    continue
                if wanted_routes is not None and trip.route_id not in wanted_routes:
                    continue
                calls = feed.stop_times[trip_id]
                if index == len(calls) - 1 or not calls[index].pickup:
                    continue  # arriving, or a stop where riders may only get off
                for seconds in _leaving_times(feed, trip_id, calls, calls[index], earliest):
                    departure = Departure(
                        trip=trip,
                        route=feed.routes[trip.route_id],
                        stop_id=sid,
                        stop_sequence=calls[index].sequence,
                        service_date=service_date,
                        departure_s=seconds,
                        headsign=trip.headsign or _last_stop_name(feed, calls),
                    )
                    found.append((seconds - day_offset * _DAY_S, departure))
    found.sort(key=lambda pair: (pair[0], pair[1].route.route_id, pair[1].trip.trip_id))
    return [departure for _, departure in found[:limit]]


def _leaving_times(
    feed: TransitFeed,
    trip_id: str,
    calls: tuple[StopTime, ...],
    call: StopTime,
    earliest: int,
) -> list[int]:
    """When the trip leaves this call at or after ``earliest``.

    A frequency-based trip gives its runs (up to 50 per window, far more than a reply
    lists) and always its window's last run, which "the last train" needs.
    """
    frequencies = feed.frequencies.get(trip_id)
    if not frequencies:
        return [call.departure_s] if call.departure_s >= earliest else []
    offset = call.departure_s - calls[0].departure_s
    times: list[int] = []
    for frequency in frequencies:
        headway = max(1, frequency.headway_s)
        first_run = max(0, -(-(earliest - offset - frequency.start_s) // headway))
        start = frequency.start_s + first_run * headway
        runs = 0
        while start < frequency.end_s and runs < 50:
            times.append(start + offset)
            start += headway
            runs += 1
        last = frequency.start_s + (frequency.end_s - 1 - frequency.start_s) // headway * headway
        if start < frequency.end_s and last + offset >= earliest:
            times.append(last + offset)  # runs cut at 50: the window's last one still counts
    return times


def _last_stop_name(feed: TransitFeed, calls: tuple[StopTime, ...]) -> str:
    return feed.station_of(calls[-1].stop_id).name


@dataclass(frozen=True)
class Fare:
    """The price of a ride: what the resident is told."""

    fare_id: str
    price: Decimal
    currency: str


def fare_between(
    feed: TransitFeed,
    origin_stop_id: str,
    destination_stop_id: str,
    route_ids: Iterable[str] | None = None,
) -> Fare | None:
    """The fare from one stop to another, or None when the feed cannot say.

    Rules match on the stops' fare zones (a station's zones are its platforms') and on
    ``route_ids``, the routes ridden — by default the routes serving both stops, i.e. a
    direct ride. Where several fares apply, the cheapest is what a rider would pay. Rules
    with ``contains_id`` list the zones a fare covers (Helsinki's AB ticket: zones A and
    B): such a fare applies when it covers every zone of the two stops (the zones passed
    between them are not known from a pair; a ride out of the zones of its ends is rare
    in a zone system drawn as rings). A feed with one fare and no rules charges that fare
    everywhere.
    """
    if not feed.fare_attributes:
        return None
    if not feed.fare_rules:
        if len(feed.fare_attributes) == 1:
            return _fare(feed, next(iter(feed.fare_attributes)))
        return None
    origins, destinations = _zones(feed, origin_stop_id), _zones(feed, destination_stop_id)
    if route_ids is None:
        routes = feed.route_ids_at.get(origin_stop_id, frozenset()) & feed.route_ids_at.get(
            destination_stop_id, frozenset()
        )
    else:
        routes = frozenset(route_ids)
    matching = {
        rule.fare_id
        for rule in feed.fare_rules
        if not rule.contains_id
        and (not rule.route_id or rule.route_id in routes)
        and (not rule.origin_id or rule.origin_id in origins)
        and (not rule.destination_id or rule.destination_id in destinations)
    }
    matching |= _covering(feed, origins | destinations, routes)
    matching &= set(feed.fare_attributes)
    if not matching:
        return None
    cheapest = min(matching, key=lambda fare_id: (feed.fare_attributes[fare_id].price, fare_id))
    return _fare(feed, cheapest)


def _covering(feed: TransitFeed, zones: frozenset[str], routes: frozenset[str]) -> set[str]:
    """The fares whose ``contains_id`` zones cover every zone in ``zones``."""
    if not zones:
        return set()
    covered: dict[str, set[str]] = {}
    for rule in feed.fare_rules:
        if rule.contains_id and (not rule.route_id or rule.route_id in routes):
            covered.setdefault(rule.fare_id, set()).add(rule.contains_id)
    return {fare_id for fare_id, inside in covered.items() if zones <= inside}


def _zones(feed: TransitFeed, stop_id: str) -> frozenset[str]:
    stop_ids = (stop_id, *feed.children.get(stop_id, ()))
    return frozenset(
        feed.stops[s].zone_id for s in stop_ids if s in feed.stops and feed.stops[s].zone_id
    )


def _fare(feed: TransitFeed, fare_id: str) -> Fare:
    attribute = feed.fare_attributes[fare_id]
    return Fare(fare_id, attribute.price, attribute.currency)
