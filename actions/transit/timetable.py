"""The timetable of one day, laid out for RAPTOR: route patterns of trips, in arrays.

A journey planner asks "the earliest trip of this line leaving this stop at or after t"
thousands of times per query, so a feed's trips are regrouped once per day into
*patterns*: the trips of one route calling at the same stops in the same order, sorted so
that no trip overtakes another. Each stop of a pattern then has a sorted array of
departure times, and the question is one :func:`bisect.bisect_left`.

**Clock and days.** Every time is in seconds after midnight of the timetable's date (by
the wall clock, as GTFS times and :meth:`Departure.at
<actions.clients.gtfs.queries.Departure.at>` are read; the spec's "noon minus 12 h" only
differs on the night the clocks change). Three service days are combined:

- the day before, shifted by -24 h, keeping only trips still running after midnight
  (yesterday's ``24:30:00`` is ``00:30`` today, so a query at 00:20 sees it);
- the day itself, times as in the feed (a ``25:10:00`` call stays 90 600 s);
- the day after, shifted by +24 h, keeping only trips that leave their first stop before
  :data:`NEXT_DAY_WINDOW_S` — night services some feeds file under the next day rather
  than as ``24:xx`` times — so a trip started late tonight can still connect to them,
  while a rider asking after the last train is not sent off on tomorrow morning's first.

Building a timetable takes about 40 ms for the Shenzhen Metro (50 000 calls a day) and
0.4 s for a city of half a million calls a day; it is cached per feed and date
(:func:`timetable_for`).
"""

from __future__ import annotations

import datetime as dt
import threading
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

from actions.clients.gtfs.model import StopTime, Transfer, TransitFeed, Trip
from actions.clients.gtfs.queries import services_on

#: Walking between two platforms of one station, when transfers.txt does not say otherwise.
DEFAULT_TRANSFER_S = 180
#: Trips of the next service day leaving before this (on that day's clock) run tonight.
NEXT_DAY_WINDOW_S = 3 * 3600
#: Timetables kept: today and tomorrow for a feed or two; a big feed's day is ~10 MB.
CACHE_SIZE = 4

_DAY_S = 24 * 3600


class Run(NamedTuple):
    """One run of a trip: a frequency-based trip runs many times a day under one trip_id."""

    trip_id: str
    service_date: dt.date


@dataclass(frozen=True, eq=False)
class Pattern:
    """Runs of one route calling at the same stops in order, none overtaking another.

    ``departures[i][j]`` is when run ``j`` leaves the pattern's ``i``-th stop; runs are in
    departure order at *every* stop, so the first run leaving at or after t is a bisection
    and a later run never arrives anywhere earlier.
    """

    route_id: str
    stops: tuple[int, ...]
    runs: tuple[Run, ...]
    departures: tuple[array[int], ...]
    arrivals: tuple[array[int], ...]
    #: Per stop of the pattern: whether riders may board there (pickup_type not 1) and
    #: get off there (drop_off_type not 1).
    pickups: tuple[bool, ...] = ()
    drop_offs: tuple[bool, ...] = ()


@dataclass(frozen=True, eq=False)
class Timetable:
    """Everything RAPTOR reads for journeys starting on one date, stops numbered 0..n-1."""

    date: dt.date
    timezone: str
    stop_ids: tuple[str, ...]
    stop_index: Mapping[str, int]
    patterns: tuple[Pattern, ...]
    #: Per stop: (pattern, position) for every pattern one can board there (not its last stop).
    boardings: tuple[tuple[tuple[int, int], ...], ...]
    #: Per stop: (other stop, seconds) one can walk to after alighting, shortest first.
    footpaths: tuple[tuple[tuple[int, int], ...], ...]
    #: Per stop: seconds needed to change vehicles without leaving it; None: not allowed.
    change_s: tuple[int | None, ...]
    #: Per stop: (other stop, seconds) one can walk from to it: ``footpaths`` reversed.
    walks_into: tuple[tuple[tuple[int, int], ...], ...]
    #: Per stop: (pattern, position) for every pattern calling there, its last stop included.
    calls: tuple[tuple[tuple[int, int], ...], ...]

    def seconds_at(self, moment: dt.datetime) -> int:
        """``moment`` (aware) on this timetable's clock, rounded up to a whole second."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        days = (local.date() - self.date).days
        seconds = days * _DAY_S + local.hour * 3600 + local.minute * 60 + local.second
        return seconds + (1 if local.microsecond else 0)

    def moment(self, seconds: int) -> dt.datetime:
        """A time on this timetable's clock as an aware datetime in the feed's time zone."""
        midnight = dt.datetime.combine(self.date, dt.time(), ZoneInfo(self.timezone))
        return midnight + dt.timedelta(seconds=seconds)


def timetable_for(feed: TransitFeed, date: dt.date) -> Timetable:
    """The timetable of ``date``, built on first use and then cached (a small LRU).

    The first call for a date costs the build (up to about a second on a feed with half a
    million calls a day): call it off the event loop, or once at start-up to warm the cache.
    """
    return _CACHE.get(feed, date)


def build_timetable(feed: TransitFeed, date: dt.date) -> Timetable:
    """The timetable of ``date``: yesterday's late trips, today's, tonight's from tomorrow."""
    by_shape: dict[_Shape, list[_Timed]] = defaultdict(list)
    for offset in (-1, 0, 1):
        service_date = date + dt.timedelta(days=offset)
        running = services_on(feed, service_date)
        if not running:
            continue
        for trip in feed.trips.values():
            if trip.service_id in running:
                _add_trip(feed, trip, service_date, offset * _DAY_S, by_shape)
    stop_ids: dict[str, int] = {}
    patterns: list[Pattern] = []
    for (route_id, shape, barred), timed in by_shape.items():
        stops = tuple(stop_ids.setdefault(s, len(stop_ids)) for s in shape)
        patterns.extend(_patterns(route_id, stops, timed, barred))
    walks, changes = transfer_rules(feed)
    for a, b in walks:
        if a in stop_ids:  # a stop without service today can still be walked to
            stop_ids.setdefault(b, len(stop_ids))
    count = len(stop_ids)
    boardings: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    calls: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for index, pattern in enumerate(patterns):
        for position, stop in enumerate(pattern.stops):
            calls[stop].append((index, position))
            if position < len(pattern.stops) - 1 and pattern.pickups[position]:
                boardings[stop].append((index, position))
    footpaths: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    walks_into: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for (a, b), seconds in walks.items():
        if a in stop_ids and b in stop_ids:
            footpaths[stop_ids[a]].append((stop_ids[b], seconds))
            walks_into[stop_ids[b]].append((stop_ids[a], seconds))
    return Timetable(
        date=date,
        timezone=feed.timezone,
        stop_ids=tuple(stop_ids),
        stop_index=MappingProxyType(stop_ids),
        patterns=tuple(patterns),
        boardings=tuple(tuple(b) for b in boardings),
        footpaths=tuple(tuple(sorted(f, key=_seconds)) for f in footpaths),
        change_s=tuple(changes.get(stop_id, 0) for stop_id in stop_ids),
        walks_into=tuple(tuple(w) for w in walks_into),
        calls=tuple(tuple(c) for c in calls),
    )


def _seconds(footpath: tuple[int, int]) -> int:
    return footpath[1]


def platforms_of(feed: TransitFeed, stop_id: str) -> tuple[str, ...]:
    """Where vehicles call for a stop id: a station's platforms, or the stop itself."""
    children = tuple(
        child for child in feed.children.get(stop_id, ()) if feed.stops[child].location_type == 0
    )
    return children or (stop_id,)


def transfer_rules(
    feed: TransitFeed,
) -> tuple[dict[tuple[str, str], int], dict[str, int | None]]:
    """Walks between stops (seconds) and the time to change vehicles at one stop.

    Platforms of one station are :data:`DEFAULT_TRANSFER_S` apart. Stops of different
    stations within the city's walking radius are joined by the walks derived from their
    coordinates at load (``feed.footpaths``, see :mod:`actions.clients.gtfs.footpaths`).
    transfers.txt then decides, pair by pair, a rule naming a station applying to all its
    platforms and a rule naming platforms overriding it: ``transfer_type`` 2 sets
    ``min_transfer_time``, 3 forbids the change (a derived walk too), 0 and 1 allow it in
    the default time. A rule from a stop to itself sets the change time there (default:
    none needed, the rider stays on the platform). Trip- and route-specific rules (types 4
    and 5, in-seat transfers) are not modelled.
    """
    walks: dict[tuple[str, str], int] = {}
    for station, children in feed.children.items():
        platforms = platforms_of(feed, station)
        if children and len(platforms) > 1:
            for a in platforms:
                for b in platforms:
                    if a != b:
                        walks[a, b] = DEFAULT_TRANSFER_S
    for a, nearby in feed.footpaths.items():
        for b, walk_s in nearby:
            walks[a, b] = walk_s
    changes: dict[str, int | None] = {}
    usable = [t for t in feed.transfers if t.from_stop_id and t.to_stop_id and t.transfer_type < 4]
    by_station = [t for t in usable if _names_station(feed, t)]
    by_stop = [t for t in usable if not _names_station(feed, t)]
    for rule in (*by_station, *by_stop):
        for a in platforms_of(feed, rule.from_stop_id):
            for b in platforms_of(feed, rule.to_stop_id):
                seconds = _rule_seconds(rule, same_stop=a == b)
                if a == b:
                    changes[a] = seconds
                elif seconds is None:
                    walks.pop((a, b), None)
                else:
                    walks[a, b] = seconds
    return walks, changes


def _names_station(feed: TransitFeed, rule: Transfer) -> bool:
    return any(feed.stops[s].is_station for s in (rule.from_stop_id, rule.to_stop_id))


def _rule_seconds(rule: Transfer, *, same_stop: bool) -> int | None:
    if rule.transfer_type == 3:
        return None
    if rule.transfer_type == 2 and rule.min_transfer_s is not None:
        return rule.min_transfer_s
    return 0 if same_stop else DEFAULT_TRANSFER_S


class _Timed(NamedTuple):
    departures: tuple[int, ...]
    arrivals: tuple[int, ...]
    run: Run


def _add_trip(
    feed: TransitFeed,
    trip: Trip,
    service_date: dt.date,
    shift: int,
    by_shape: dict[_Shape, list[_Timed]],
) -> None:
    """File the trip's runs of one service day under its route and stop sequence."""
    calls = feed.stop_times.get(trip.trip_id, ())
    if len(calls) < 2:
        return
    shape: tuple[str, ...] | None = None
    barred = tuple((call.pickup, call.drop_off) for call in calls)
    run = Run(trip.trip_id, service_date)
    for start in _run_starts(feed, trip.trip_id, calls):
        delta = shift + start - calls[0].departure_s
        if shift < 0 and calls[-1].arrival_s + delta < 0:
            continue  # yesterday's trip, over before midnight
        if shift > 0 and start >= NEXT_DAY_WINDOW_S:
            continue  # tomorrow's trip, not a night service
        if shape is None:
            shape = tuple(call.stop_id for call in calls)
        by_shape[trip.route_id, shape, barred].append(
            _Timed(
                tuple(call.departure_s + delta for call in calls),
                tuple(call.arrival_s + delta for call in calls),
                run,
            )
        )


def _run_starts(feed: TransitFeed, trip_id: str, calls: Sequence[StopTime]) -> Iterator[int]:
    """When each run leaves its first stop: once, or every headway of frequencies.txt.

    Runs of a headway-based trip (``exact_times`` 0) are only approximately on time in
    reality; they are planned as if scheduled, as the departures board shows them.
    """
    frequencies = feed.frequencies.get(trip_id)
    if not frequencies:
        yield calls[0].departure_s
        return
    for frequency in frequencies:
        yield from range(frequency.start_s, frequency.end_s, frequency.headway_s)


#: Runs are grouped by route, stops and where riders may board and get off.
_Shape = tuple[str, tuple[str, ...], tuple[tuple[bool, bool], ...]]


def _patterns(
    route_id: str,
    stops: tuple[int, ...],
    timed: list[_Timed],
    barred: tuple[tuple[bool, bool], ...] = (),
) -> list[Pattern]:
    """Split one route's runs over the same stops into patterns where no run overtakes.

    Runs are taken in departure order and each goes to the first pattern whose last run it
    does not overtake anywhere; a timetable without overtaking (nearly all) gives one.
    """
    groups: list[list[_Timed]] = []
    for run in sorted(timed, key=lambda t: (t.departures, t.arrivals)):
        for group in groups:
            if _never_overtakes(run, group[-1]):
                group.append(run)
                break
        else:
            groups.append([run])
    return [
        Pattern(
            route_id=route_id,
            stops=stops,
            runs=tuple(t.run for t in group),
            departures=_columns([t.departures for t in group]),
            arrivals=_columns([t.arrivals for t in group]),
            pickups=tuple(pickup for pickup, _ in barred) or (True,) * len(stops),
            drop_offs=tuple(drop_off for _, drop_off in barred) or (True,) * len(stops),
        )
        for group in groups
    ]


def _never_overtakes(later: _Timed, earlier: _Timed) -> bool:
    """Whether ``later`` leaves and arrives no earlier than ``earlier`` at every stop."""
    return all(a >= b for a, b in zip(later.departures, earlier.departures, strict=True)) and all(
        a >= b for a, b in zip(later.arrivals, earlier.arrivals, strict=True)
    )


def _columns(rows: list[tuple[int, ...]]) -> tuple[array[int], ...]:
    """Per stop, the times of every run: rows of runs turned into columns of stops."""
    return tuple(array("i", column) for column in zip(*rows, strict=True))


class _TimetableCache:
    """Timetables by (feed identity, date), least recently used first out.

    A feed is a frozen dataclass of dicts, so it cannot be hashed; the key is its ``id`` and
    the entry keeps the feed alive, so the id cannot be reused while the entry exists.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, dt.date], tuple[TransitFeed, Timetable]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, feed: TransitFeed, date: dt.date) -> Timetable:
        key = (id(feed), date)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is feed:
                self._entries.move_to_end(key)
                return entry[1]
        # Built outside the lock: two threads may both build a missing day, which is
        # wasted work but never a wrong answer, and other days stay available meanwhile.
        table = build_timetable(feed, date)
        with self._lock:
            self._entries[key] = (feed, table)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return table


_CACHE = _TimetableCache(CACHE_SIZE)
