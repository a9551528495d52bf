"""The departure board of a station: the next trains per line and direction, live delays in.

A rider standing on a platform wants the next few trains *their way*, so departures are
grouped by line and direction (``direction_id``, or the headsign when a feed has none)
and each group shows at least three. A GTFS-Realtime delay moves a train's expected time:
a train scheduled five minutes ago and running eight minutes late has not left yet, so
the search starts ``MAX_LATE`` before now and keeps what is still to come.

"Last train" answers with the last departure of the service day per direction. When
nothing leaves soon (night, or before the first train) the board says when service
resumes. All functions are pure: the caller passes the feed, the time and the delays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from actions.clients.gtfs.model import Route, TransitFeed
from actions.clients.gtfs.names import pick_name
from actions.clients.gtfs.queries import Departure, departures
from actions.clients.gtfs_realtime import TripDelay, delay_at
from actions.transit.feed_words import mode_of

#: How late a train can be and still be shown as "not yet left".
MAX_LATE = dt.timedelta(minutes=30)
#: Trains per line and direction on the board.
PER_DIRECTION = 3
#: Departures read to fill the board (busy interchanges see many lines).
SEARCH_LIMIT = 400
#: When the next train is further away than this, the board says service resumes then.
QUIET_GAP = dt.timedelta(minutes=45)
_DAY = dt.timedelta(days=1)
#: Where one service day ends and the next begins, for "the first train".
SERVICE_DAY_STARTS = dt.time(3, 0)
#: "Every departure": enough for the busiest station's whole service day.
ALL = 1_000_000


@dataclass(frozen=True)
class LiveDeparture:
    """A departure with what the live feed says about it."""

    departure: Departure
    scheduled: dt.datetime
    #: Seconds late (negative: early); None when the live feed says nothing of this train.
    delay_s: int | None = None

    @property
    def expected(self) -> dt.datetime:
        return self.scheduled + dt.timedelta(seconds=self.delay_s or 0)


@dataclass(frozen=True)
class DirectionBoard:
    """The next trains of one line in one direction."""

    route: Route
    headsign: dict[str, str]
    trains: tuple[LiveDeparture, ...]

    def headsign_in(self, language: str) -> str:
        return pick_name(self.headsign, language, next(iter(self.headsign.values()), ""))


@dataclass(frozen=True)
class Board:
    """What the station board shows: the groups, and whether service has paused."""

    boards: tuple[DirectionBoard, ...]
    #: Set when nothing leaves within QUIET_GAP: the first train after that.
    resumes_at: dt.datetime | None = None


def _direction_key(feed: TransitFeed, departure: Departure) -> tuple[str, str]:
    trip = departure.trip
    direction = str(trip.direction_id) if trip.direction_id is not None else departure.headsign
    return _line_of(feed, trip.route_id), direction


def _line_of(feed: TransitFeed, route_id: str) -> str:
    """The line a route is to riders: routes of one agency and mode with the same short
    name are its variants (MBTA's Blue Line is three routes, all "BL": Wonderland–Bowdoin,
    its evening short turns, Orient Heights–Bowdoin), shown as one line, not three."""
    route = feed.routes.get(route_id)
    if route is None or not route.short_name:
        return route_id
    # By the mode riders know, not the type number: VBB files each Havelbus line twice,
    # as route_type 3 and as the extended 700 ("bus service"), one line to its riders.
    return f"{route.agency_id}\x00{mode_of(route.route_type)}\x00{route.short_name}"


def _order(feed: TransitFeed) -> dict[str, int]:
    return {route_id: i for i, route_id in enumerate(feed.routes)}


def _route_sort_key(feed: TransitFeed, order: dict[str, int], route_id: str) -> tuple:
    route = feed.routes[route_id]
    return (route.sort_order is None, route.sort_order or 0, order.get(route_id, 0))


def _goes_to(feed: TransitFeed, departure: Departure, towards: frozenset[str]) -> bool:
    """Whether the train calls, after this stop, at one of the ``towards`` stops."""
    calls = feed.stop_times[departure.trip.trip_id]
    later = (c.stop_id for c in calls if c.sequence > departure.stop_sequence)
    return any(stop_id in towards for stop_id in later)


def live(
    feed: TransitFeed, found: Iterable[Departure], delays: Sequence[TripDelay]
) -> list[LiveDeparture]:
    return [
        LiveDeparture(
            departure=d,
            scheduled=d.at(feed.timezone),
            delay_s=delay_at(delays, d.trip.trip_id, d.stop_sequence) if delays else None,
        )
        for d in found
    ]


def _seconds_after_midnight(moment: dt.datetime) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def upcoming(
    feed: TransitFeed,
    station_id: str,
    now: dt.datetime,
    delays: Sequence[TripDelay] = (),
    *,
    route_ids: Iterable[str] | None = None,
    towards: Iterable[str] = (),
    limit: int = SEARCH_LIMIT,
) -> list[LiveDeparture]:
    """Departures still to come (by expected time), soonest first; ``limit`` bounds the search."""
    local = now.astimezone(dt.timezone.utc).astimezone(_zone(feed))
    start = local - MAX_LATE
    found = departures(
        feed,
        station_id,
        start.date(),
        _seconds_after_midnight(start),
        limit=limit,
        route_ids=route_ids,
    )
    if start.date() != local.date():
        # The search began before midnight: continue on today's clock too.
        found += departures(feed, station_id, local.date(), 0, limit=limit, route_ids=route_ids)
    wanted = _platforms(feed, towards)
    trains = [
        train
        for train in live(feed, _unique(found), delays)
        if train.expected >= local and (not wanted or _goes_to(feed, train.departure, wanted))
    ]
    trains.sort(key=lambda t: (t.expected, t.departure.route.route_id))
    return trains


def _unique(found: Iterable[Departure]) -> list[Departure]:
    seen: dict[tuple[str, dt.date, int], Departure] = {}
    for d in found:
        seen.setdefault((d.trip.trip_id, d.service_date, d.departure_s), d)
    return list(seen.values())


def _platforms(feed: TransitFeed, station_ids: Iterable[str]) -> frozenset[str]:
    ids: set[str] = set()
    for station_id in station_ids:
        ids.add(station_id)
        ids.update(feed.children.get(station_id, ()))
    return frozenset(ids)


def _zone(feed: TransitFeed) -> dt.tzinfo:
    return ZoneInfo(feed.timezone)


def group(
    feed: TransitFeed, trains: Sequence[LiveDeparture], per_direction: int = PER_DIRECTION
) -> tuple[DirectionBoard, ...]:
    """Trains grouped by line and direction, lines in the feed's order, at most N each."""
    groups: dict[tuple[str, str], list[LiveDeparture]] = {}
    shown_as: dict[tuple[str, str], tuple[str, str]] = {}
    for train in trains:
        key = _direction_key(feed, train.departure)
        # Two directions a rider would read as one row (a loop line whose both ways end
        # at the station, "652 → Falkensee, Bahnhof") are one row, in time order.
        shown = (key[0], train.departure.headsign)
        key = shown_as.setdefault(shown, key)
        groups.setdefault(key, []).append(train)
    order = _order(feed)
    first_route = {key: found[0].departure.trip.route_id for key, found in groups.items()}
    keys = sorted(groups, key=lambda key: (_route_sort_key(feed, order, first_route[key]), key[1]))
    return tuple(
        DirectionBoard(
            route=feed.routes[first_route[key]],
            headsign=_headsign(feed, groups[key][0].departure),
            trains=tuple(groups[key][:per_direction]),
        )
        for key in keys
    )


#: "How often does it run?": the trains of this long a window from the time asked.
HEADWAY_WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Headway:
    """How often one line leaves one way: its trains in the window and their usual gap."""

    route: Route
    headsign: dict[str, str]
    trains: tuple[LiveDeparture, ...]

    @property
    def usual_gap(self) -> dt.timedelta | None:
        """The median time between consecutive trains; None for fewer than two."""
        times = [t.scheduled for t in self.trains]
        gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False) if b > a)
        return gaps[len(gaps) // 2] if gaps else None

    def headsign_in(self, language: str) -> str:
        return pick_name(self.headsign, language, next(iter(self.headsign.values()), ""))


def headways(
    feed: TransitFeed,
    station_id: str,
    at: dt.datetime,
    *,
    route_ids: Iterable[str] | None = None,
    towards: Iterable[str] = (),
    window: dt.timedelta = HEADWAY_WINDOW,
) -> tuple[Headway, ...]:
    """Per line and direction, the timetable's trains leaving in ``window`` from ``at``.

    "How often does the 5 come?" is answered by the timetable (a live delay moves one
    train, not the frequency), for the hour the rider asks about.
    """
    routes = None if route_ids is None else tuple(route_ids)
    end = at + window
    trains = [
        t
        for t in upcoming(feed, station_id, at, (), route_ids=routes, towards=towards)
        if t.scheduled < end
    ]
    return tuple(
        Headway(route=board.route, headsign=board.headsign, trains=board.trains)
        for board in group(feed, trains, per_direction=max(1, len(trains)))
    )


def _headsign(feed: TransitFeed, departure: Departure) -> dict[str, str]:
    names = feed.headsign_names(departure.trip)
    return names or {feed.language: departure.headsign}


def next_board(
    feed: TransitFeed,
    station_id: str,
    now: dt.datetime,
    delays: Sequence[TripDelay] = (),
    *,
    route_ids: Iterable[str] | None = None,
    towards: Iterable[str] = (),
) -> Board:
    """The next trains per line and direction; ``resumes_at`` when none leaves soon."""
    routes = None if route_ids is None else tuple(route_ids)
    trains = upcoming(feed, station_id, now, delays, route_ids=routes, towards=towards)
    if not trains:
        tomorrow = now.astimezone(_zone(feed)).replace(hour=0, minute=0, second=0) + _DAY
        trains = upcoming(feed, station_id, tomorrow, delays, route_ids=routes, towards=towards)
    if not trains:
        return Board(boards=())
    first = trains[0].expected
    quiet = first - now > QUIET_GAP
    return Board(boards=group(feed, trains), resumes_at=first if quiet else None)


def last_board(
    feed: TransitFeed,
    station_id: str,
    now: dt.datetime,
    *,
    route_ids: Iterable[str] | None = None,
    towards: Iterable[str] = (),
) -> Board:
    """The last departure of the current service day, per line and direction.

    Before the first train of the day (early morning) "the last train" is tonight's; after
    the last one has gone the board is empty and says when service resumes.
    """
    routes = None if route_ids is None else tuple(route_ids)
    trains = upcoming(feed, station_id, now, (), route_ids=routes, towards=towards, limit=ALL)
    service_days = {t.departure.service_date for t in trains}
    if trains:
        today = min(service_days)
        todays = [t for t in trains if t.departure.service_date == today]
        return _one_per_direction(feed, reversed(todays))
    later = next_board(feed, station_id, now, route_ids=routes, towards=towards)
    return Board(boards=(), resumes_at=_first(later))


def first_board(
    feed: TransitFeed,
    station_id: str,
    now: dt.datetime,
    *,
    route_ids: Iterable[str] | None = None,
    towards: Iterable[str] = (),
) -> Board:
    """The first departure per line and direction of today's service day.

    The service day is taken to start at ``SERVICE_DAY_STARTS`` local time, when every
    metro in the world is closed; before that, "the first train" is this morning's.
    """
    local = now.astimezone(_zone(feed))
    day = local.date()
    start = dt.datetime.combine(day, SERVICE_DAY_STARTS, _zone(feed))
    routes = None if route_ids is None else tuple(route_ids)
    trains = upcoming(feed, station_id, start, (), route_ids=routes, towards=towards, limit=ALL)
    todays = [t for t in trains if t.departure.service_date == day]
    return _one_per_direction(feed, todays)


def _one_per_direction(feed: TransitFeed, trains: Iterable[LiveDeparture]) -> Board:
    """A board with the first of ``trains`` (in the order given) per line and direction."""
    chosen: dict[tuple[str, str], LiveDeparture] = {}
    for train in trains:
        chosen.setdefault(_direction_key(feed, train.departure), train)
    return Board(boards=group(feed, sorted(chosen.values(), key=lambda t: t.scheduled), 1))


def _first(board: Board) -> dt.datetime | None:
    times = [t.expected for b in board.boards for t in b.trains]
    return min(times) if times else None
