"""From one station to another, arriving as early as possible: RAPTOR on a day's timetable.

RAPTOR ("Round-Based Public Transit Routing", Delling, Pajor and Werneck, 2012) works in
rounds: round k finds the earliest arrival at every stop with k rides. Each round scans
only the route patterns serving a stop that improved in the previous round, boards the
earliest run it can catch (a bisection, see :mod:`.timetable`), then relaxes footpaths.
So the answer comes with the fewest rides among the earliest arrivals for free, and a
query on a city-size feed touches a few thousand array cells instead of every trip.

The rider gives a departure time (``depart_at``); arrive-by is not supported. Stations
are expanded to their platforms; changing platform costs the station's walking time,
changing vehicle on the same platform costs nothing unless transfers.txt says so.
The chosen rides are finally moved as late as they can be without arriving later, so the
rider is not told to leave an hour early to wait at a transfer.

Walks between stations (transfers.txt, or derived from the stops' coordinates at load)
are relaxed after each round from the stops a ride reached in that round, never from a
stop reached on foot: one walk between two rides, as the footpaths are not transitively
closed (a chain of short walks would add up to a walk nobody asked the rider to take).
The origin's own footpaths are relaxed before the first round, as RAPTOR does: from
Tenjin, the Nanakuma Line is a walk to Tenjin-minami, not a ride away and back.
The journey says where it walks (:attr:`Journey.walks`), and :func:`plan` never returns
one whose times run backwards (a feed's error would otherwise become the rider's).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from actions.clients.gtfs.model import TransitFeed
from actions.clients.gtfs.queries import departures
from actions.transit.timetable import Pattern, Timetable, platforms_of, timetable_for

#: Searches for a later departure arriving as early (each costs about one more query).
LATER_DEPARTURE_SEARCHES = 3
#: What a change of vehicle costs a rider, in seconds of arrival: a journey with one
#: change fewer is chosen when it arrives up to this much later. Riders with luggage or
#: children ask for it ("唔想转太多次车"), and journey planners weigh changes the same
#: way; five minutes is at the low end of the penalties they use.
CHANGE_PENALTY_S = 5 * 60

_NEVER = 1 << 40

logger = logging.getLogger(__name__)


class UnknownStop(LookupError):
    """A station or stop id the feed does not have (ids come from the stop matcher)."""


@dataclass(frozen=True)
class Leg:
    """One ride: board a trip at a stop, stay on for ``stops`` stops, alight."""

    route_id: str
    trip_id: str
    #: The service day the run belongs to (the day before, for a run after midnight).
    service_date: dt.date
    board_stop_id: str
    board_at: dt.datetime
    alight_stop_id: str
    alight_at: dt.datetime
    stops: int


@dataclass(frozen=True)
class Walk:
    """On foot from where a ride ends to a stop of another station, then the next ride.

    After the last ride, the walk leads to the destination's stop instead; before the
    first (``after_leg`` -1), from the origin to the station of the first ride. Changing
    platform inside one station is not a walk here: the rider stays at the station.
    """

    #: Index in :attr:`Journey.legs` of the ride this walk follows (-1: before the first).
    after_leg: int
    from_stop_id: str
    to_stop_id: str
    seconds: int

    @property
    def minutes(self) -> int:
        """Whole minutes, rounded up: what the rider is told to allow."""
        return math.ceil(self.seconds / 60)


@dataclass(frozen=True)
class Journey:
    """Rides from the origin to the destination; no rides when both are the same station."""

    legs: tuple[Leg, ...]
    #: The stations where the rider gets off to change, in order (one fewer than the rides);
    #: for a walk to another station, the one the walk starts from.
    transfers: tuple[str, ...]
    departure: dt.datetime
    arrival: dt.datetime
    #: The walks between stations, in order (none when every change is inside a station).
    walks: tuple[Walk, ...] = ()


def plan(
    feed: TransitFeed,
    origin_station_id: str,
    destination_station_id: str,
    depart_at: dt.datetime,
    max_transfers: int = 3,
    change_penalty_s: int = 0,
) -> Journey | None:
    """The journey leaving at or after ``depart_at`` that arrives first.

    With ``change_penalty_s`` (riders' answers use ``CHANGE_PENALTY_S``), each change
    counts as arriving that much later: a journey with fewer changes wins unless the
    other arrives more than that much earlier per change saved. Among equally early
    arrivals, the one with the fewest transfers, and among those the one leaving last.
    Before the first train of the morning that is the morning's first journey (compare
    its ``departure`` with ``depart_at`` to say so). None when the destination cannot be
    reached today with at most ``max_transfers`` changes — after the last train, or no
    line goes there; then :func:`next_journey` finds the first journey
    of the next service and :func:`first_departure_after` says when the station reopens.

    The first query of a day builds its timetable (see
    :func:`~actions.transit.timetable.timetable_for`); later ones take milliseconds.
    """
    if depart_at.tzinfo is None:
        raise ValueError("depart_at must be timezone-aware (the rider's time, any zone)")
    if max_transfers < 0:
        raise ValueError(f"max_transfers must be 0 or more, not {max_transfers}")
    origins = _platforms(feed, origin_station_id)
    destinations = _platforms(feed, destination_station_id)
    local = depart_at.astimezone(ZoneInfo(feed.timezone))
    if set(origins) & set(destinations):
        return Journey(legs=(), transfers=(), departure=local, arrival=local)
    table = timetable_for(feed, local.date())
    sources = [table.stop_index[s] for s in origins if s in table.stop_index]
    targets = {table.stop_index[s] for s in destinations if s in table.stop_index}
    if not sources or not targets:
        return None
    start_s = table.seconds_at(local)
    best = _earliest(table, sources, targets, start_s, max_transfers + 1)
    if best is None:
        return None
    if change_penalty_s > 0:
        best = _fewer_changes(table, sources, targets, start_s, best, change_penalty_s)
    journey = _journey(feed, table, _leaving_last(table, sources, targets, best))
    problem = impossibility(journey)
    if problem is not None:
        logger.warning(
            "no journey %s -> %s at %s: the plan found %s (a feed error?)",
            origin_station_id,
            destination_station_id,
            local.isoformat(),
            problem,
        )
        return None
    return journey


def on_foot(
    feed: TransitFeed, origin_station_id: str, destination_station_id: str, depart_at: dt.datetime
) -> Journey | None:
    """The walk from one station to the other when they are a footpath apart, else None.

    Tenjin and Tenjin-minami are an 8-minute walk: asked the way from one to the other,
    a rider is told to walk, not to ride one stop out and back. The planner's journeys
    always ride (a walk is only relaxed around rides), so the caller compares the two.
    """
    local = depart_at.astimezone(ZoneInfo(feed.timezone))
    table = timetable_for(feed, local.date())
    origins = [
        table.stop_index[s] for s in _platforms(feed, origin_station_id) if s in table.stop_index
    ]
    destinations = {
        table.stop_index[s]
        for s in _platforms(feed, destination_station_id)
        if s in table.stop_index
    }
    paths = [
        (seconds, start, end)
        for start in origins
        for end, seconds in table.footpaths[start]
        if end in destinations
    ]
    if not paths:
        return None
    seconds, start, end = min(paths)
    return Journey(
        legs=(),
        transfers=(),
        departure=local,
        arrival=local + dt.timedelta(seconds=seconds),
        walks=(Walk(-1, table.stop_ids[start], table.stop_ids[end], seconds),),
    )


def impossibility(journey: Journey) -> str | None:
    """What makes the journey impossible to ride (times running backwards), or None.

    Validation at load should make this unreachable; the check stays so that a feed error
    it misses becomes "no journey" rather than "leave 21:08, arrive 06:41".
    """
    if journey.arrival < journey.departure:
        return f"arrival {journey.arrival:%H:%M} before departure {journey.departure:%H:%M}"
    ready = journey.departure
    for leg in journey.legs:
        if leg.board_at < ready:
            return f"boarding trip {leg.trip_id!r} at {leg.board_at:%H:%M}, before reaching it"
        if leg.alight_at < leg.board_at:
            return f"trip {leg.trip_id!r} arriving {leg.alight_at:%H:%M} before it left"
        ready = leg.alight_at
    return None


def next_journey(
    feed: TransitFeed,
    origin_station_id: str,
    destination_station_id: str,
    after: dt.datetime,
    max_transfers: int = 3,
    *,
    within_days: int = 7,
) -> Journey | None:
    """The first journey of a later day, for when :func:`plan` finds none tonight.

    Planning from midnight of each following day finds that day's first journey (its rides
    taken as late as possible, so it leaves with the first useful train). Each day tried
    builds that day's timetable: call it off the event loop.
    """
    local = after.astimezone(ZoneInfo(feed.timezone))
    for days in range(1, within_days + 1):
        midnight = dt.datetime.combine(
            local.date() + dt.timedelta(days=days), dt.time(), ZoneInfo(feed.timezone)
        )
        journey = plan(feed, origin_station_id, destination_station_id, midnight, max_transfers)
        if journey is not None:
            return journey
    return None


#: How far before the time to be there an arrive-by search starts looking.
ARRIVE_BY_WINDOW = dt.timedelta(hours=4)
#: When two departures in the search are this close, the later found is the answer.
_ARRIVE_BY_PRECISION = dt.timedelta(minutes=1)


def arrive_by(
    feed: TransitFeed,
    origin_station_id: str,
    destination_station_id: str,
    deadline: dt.datetime,
    change_penalty_s: int = 0,
) -> Journey | None:
    """The journey leaving last that still arrives by ``deadline`` ("九点前到").

    Riders with an appointment ask when to leave, not when they would arrive. Earliest
    arrival only grows as the departure moves later, so a search by halves over the
    departure time finds the last departure that makes it; each step is one :func:`plan`.
    None when no journey in the four hours before arrives in time.
    """
    return _latest_journey(
        feed,
        origin_station_id,
        destination_station_id,
        deadline - ARRIVE_BY_WINDOW,
        deadline,
        lambda journey: journey.arrival <= deadline,
        change_penalty_s,
    )


def last_connection(
    feed: TransitFeed,
    origin_station_id: str,
    destination_station_id: str,
    day: dt.date,
    change_penalty_s: int = 0,
) -> Journey | None:
    """The last journey of ``day``'s service from one station to another ("末班车").

    A station's last train answers "the last train from A" only when a line runs from A
    to where the rider goes; otherwise the last *connection* matters, changes included.
    Found as :func:`arrive_by` finds its journey: a search by halves over the departure
    time, each step one :func:`plan` on that day's timetable (whose trips run past
    midnight). None when no journey leaves that day.
    """
    zone = ZoneInfo(feed.timezone)
    early = dt.datetime.combine(day, dt.time(3, 0), tzinfo=zone)
    late = dt.datetime.combine(day, dt.time(23, 59), tzinfo=zone)
    best = _latest_journey(
        feed, origin_station_id, destination_station_id, early, late, None, change_penalty_s
    )
    if best is None:
        return None
    # The day's trips run past midnight (Fukuoka's last trains leave at 24:00 and 24:06):
    # from its last minute, each later journey whose first ride is still that day's.
    found = plan(
        feed,
        origin_station_id,
        destination_station_id,
        max(late, best.departure + dt.timedelta(minutes=1)),
        change_penalty_s=change_penalty_s,
    )
    for _ in range(_AFTER_MIDNIGHT_SEARCHES):
        if found is None or found.departure <= best.departure or not _rides_on(found, day):
            break
        best = found
        found = plan(
            feed,
            origin_station_id,
            destination_station_id,
            found.departure + dt.timedelta(minutes=1),
            change_penalty_s=change_penalty_s,
        )
    return best


#: Journeys looked at after midnight for a day's last connection (a few trains at most).
_AFTER_MIDNIGHT_SEARCHES = 12


def _rides_on(journey: Journey, day: dt.date) -> bool:
    """Whether the journey's first ride is a run of ``day``'s service."""
    return bool(journey.legs) and journey.legs[0].service_date == day


def _latest_journey(
    feed: TransitFeed,
    origin_station_id: str,
    destination_station_id: str,
    early: dt.datetime,
    late: dt.datetime,
    good: Callable[[Journey], bool] | None,
    change_penalty_s: int,
) -> Journey | None:
    """The journey leaving last between ``early`` and ``late`` that is ``good``.

    Earliest arrival only grows as the departure moves later, so a search by halves over
    the departure time finds it; each step is one :func:`plan`. None when the journey
    leaving from ``early`` is none or not good.
    """
    best = plan(
        feed, origin_station_id, destination_station_id, early, change_penalty_s=change_penalty_s
    )
    if best is None or (good is not None and not good(best)):
        return None
    while late - early > _ARRIVE_BY_PRECISION:
        middle = early + (late - early) / 2
        found = plan(
            feed,
            origin_station_id,
            destination_station_id,
            middle,
            change_penalty_s=change_penalty_s,
        )
        if found is not None and (good is None or good(found)):
            best, early = found, min(max(middle, found.departure), late)
        else:
            late = middle
    return best


def first_departure_after(
    feed: TransitFeed, station_id: str, after: dt.datetime, *, within_days: int = 7
) -> dt.datetime | None:
    """When the next vehicle leaves the station ("service resumes at 06:30"), or None.

    Cheap: reads the station's calls, builds no timetable.
    """
    _require(feed, station_id)
    local = after.astimezone(ZoneInfo(feed.timezone))
    after_s = local.hour * 3600 + local.minute * 60 + local.second
    for days in range(within_days + 1):
        date = local.date() + dt.timedelta(days=days)
        found = departures(feed, station_id, date, after_s if days == 0 else 0, limit=1)
        if found:
            return found[0].at(feed.timezone)
    return None


def _platforms(feed: TransitFeed, stop_id: str) -> tuple[str, ...]:
    _require(feed, stop_id)
    return platforms_of(feed, stop_id)


def _require(feed: TransitFeed, stop_id: str) -> None:
    if stop_id not in feed.stops:
        raise UnknownStop(f"stop {stop_id!r} is not in the GTFS feed")


class _Ride(NamedTuple):
    pattern: int
    run: int
    board: int  # position in the pattern
    alight: int


class _Walk(NamedTuple):
    from_stop: int
    seconds: int


class _Found(NamedTuple):
    arrival_s: int
    rides: int  # the round that reached the destination
    label: _Ride | _Walk
    stop: int  # the destination's stop reached


class _Footpath(NamedTuple):
    after: int  # index of the ride it follows
    from_stop: int
    to_stop: int
    seconds: int


#: A ride as the hot loops keep it: a plain (pattern, run, board, alight) tuple, as
#: building a :class:`_Ride` per improvement cost a tenth of a query on a big bus feed.
_RideCells = tuple[int, int, int, int]


class _Search:
    """One query's RAPTOR state: best times per stop and, per round, how each was reached.

    Target pruning: nothing arriving at or after ``self.best`` (the destination's best
    arrival so far, or the bound given) is recorded, and a stop one can only board at or
    after it is not scanned from. Times never run backwards along a journey, so every
    label that could still lead to a better arrival is kept exactly as without pruning.
    """

    def __init__(self, table: Timetable, targets: set[int], arrive_before: int = _NEVER) -> None:
        count = len(table.stop_ids)
        self.table = table
        self.targets = targets
        #: Earliest time one can board a vehicle at each stop, over all rounds.
        self.ready = [_NEVER] * count
        #: Earliest arrival on a vehicle at each stop, over all rounds (walks start there).
        self.alighted = [_NEVER] * count
        #: Per round: the ride to each stop whose arrival improved in that round.
        self.rode: list[dict[int, _RideCells]] = [{}]
        #: Per round: the stop walked from to each stop whose boarding time a walk improved
        #: (a stop improved in a round and not walked to was improved by its ride).
        self.walked: list[dict[int, int]] = [{}]
        self.best = arrive_before
        self.found: _Found | None = None

    def run(self, sources: list[int], start_s: int, max_rides: int) -> _Found | None:
        marked = dict.fromkeys(sources, start_s)
        for stop in sources:
            self.ready[stop] = start_s
        for stop in sources:
            # The origin's footpaths: the first ride may leave from a station nearby.
            # (Not to the destination: a journey here has rides, and its stops' times are
            # what a ride's arrival there must beat.)
            for other, seconds in self.table.footpaths[stop]:
                at = start_s + seconds
                if at < self.ready[other] and other not in self.targets:
                    self.ready[other] = marked[other] = at
                    self.walked[0][other] = stop
        for rides in range(1, max_rides + 1):
            improved: dict[int, None] = {}  # in order: it orders the next round's scans
            rode: dict[int, _RideCells] = {}
            walked: dict[int, int] = {}
            # The marked stops' boarding times in a list: read at every call of every scan.
            boarding = [_NEVER] * len(self.ready)
            for stop, at in marked.items():
                boarding[stop] = at
            if rides < max_rides:
                for pattern, position in self._patterns_to_scan(marked).items():
                    self._scan(pattern, position, boarding, rides, improved, rode)
                self._walk(rides, rode, improved, walked)
            else:
                for pattern, (position, last) in self._patterns_to_targets(marked).items():
                    self._scan(pattern, position, boarding, rides, improved, rode, last)
                self._walk_to_targets(rides, rode)
            self.rode.append(rode)
            self.walked.append(walked)
            ready, best = self.ready, self.best
            marked = {stop: ready[stop] for stop in improved if ready[stop] < best}
            if not marked:
                break
        return self.found

    def _patterns_to_scan(self, marked: dict[int, int]) -> dict[int, int]:
        """Each pattern serving a marked stop, from the earliest such stop along it."""
        queue: dict[int, int] = {}
        boardings = self.table.boardings
        for stop in marked:
            for pattern, position in boardings[stop]:
                if position < queue.get(pattern, _NEVER):
                    queue[pattern] = position
        return queue

    def _patterns_to_targets(self, marked: dict[int, int]) -> dict[int, tuple[int, int]]:
        """The last round's patterns: from the first marked stop to the last useful one.

        In the last round only a ride to the destination, or to a stop walking to it,
        counts. So the patterns are looked up from the destination's side, a few lines,
        instead of every line from every stop reached so far (the biggest round of all).
        """
        table = self.table
        ends = set(self.targets)
        for target in self.targets:
            ends.update(stop for stop, _ in table.walks_into[target])
        last: dict[int, int] = {}
        for stop in ends:
            for pattern, position in table.calls[stop]:
                if position > last.get(pattern, -1):
                    last[pattern] = position
        queue: dict[int, tuple[int, int]] = {}
        for pattern, end in last.items():
            stops = table.patterns[pattern].stops
            first = next((i for i in range(end) if stops[i] in marked), None)
            if first is not None:
                queue[pattern] = (first, end)
        return queue

    def _scan(
        self,
        index: int,
        first: int,
        boarding: list[int],
        rides: int,
        improved: dict[int, None],
        rode: dict[int, _RideCells],
        last: int | None = None,
    ) -> None:
        """Ride the pattern from ``first`` (to ``last``), hopping to an earlier run when caught."""
        pattern: Pattern = self.table.patterns[index]
        stops, deps, arrs = pattern.stops, pattern.departures, pattern.arrivals
        pickups, drop_offs = pattern.pickups, pattern.drop_offs
        change_s, ready, alighted, targets = (
            self.table.change_s,
            self.ready,
            self.alighted,
            self.targets,
        )
        best = self.best
        run = board = -1
        for position in range(first, len(stops) if last is None else last + 1):
            stop = stops[position]
            if run >= 0 and drop_offs[position]:
                arrival = arrs[position][run]
                if arrival < best and arrival < alighted[stop]:
                    if stop in targets:
                        best = self.best = arrival
                        self.found = _Found(
                            arrival, rides, _Ride(index, run, board, position), stop
                        )
                    else:
                        alighted[stop] = arrival
                        rode[stop] = (index, run, board, position)
                        change = change_s[stop]
                        if change is not None and arrival + change < ready[stop]:
                            ready[stop] = arrival + change
                            improved[stop] = None
            can_board = boarding[stop]
            if can_board < _NEVER and pickups[position]:
                column = deps[position]
                end = run if run >= 0 else len(column)
                if end and can_board <= column[end - 1]:
                    run = bisect_left(column, can_board, 0, end)
                    board = position

    def _walk(
        self,
        rides: int,
        rode: dict[int, _RideCells],
        improved: dict[int, None],
        walked: dict[int, int],
    ) -> None:
        """Footpaths from every stop reached by a ride in this round (not chained).

        A stop's footpaths are sorted by time, so its walks stop at the first one that
        would reach nothing before the destination's best arrival.
        """
        footpaths, ready, alighted, targets = (
            self.table.footpaths,
            self.ready,
            self.alighted,
            self.targets,
        )
        best = self.best
        for stop in rode:
            arrival = alighted[stop]
            for other, seconds in footpaths[stop]:
                reached = arrival + seconds
                if reached >= best:
                    break
                if reached < ready[other]:
                    if other in targets:
                        best = self.best = reached
                        self.found = _Found(reached, rides, _Walk(stop, seconds), other)
                    else:
                        ready[other] = reached
                        improved[other] = None
                        walked[other] = stop

    def _walk_to_targets(self, rides: int, rode: dict[int, _RideCells]) -> None:
        """The last round's walks: only those reaching the destination can still matter.

        Looked up from the destination's side, so a round that reached thousands of stops
        costs a few lookups instead of every footpath from each of them.
        """
        for target in self.targets:
            for stop, seconds in self.table.walks_into[target]:
                if stop in rode:
                    reached = self.alighted[stop] + seconds
                    if reached < self.best:
                        self.best = reached
                        self.found = _Found(reached, rides, _Walk(stop, seconds), target)

    def rides_to(self, found: _Found) -> _Rides:
        """The rides of the journey found, in order, with the changes between them."""
        label, round_ = found.label, found.rides
        last_walk = 0
        footpaths = []
        if isinstance(label, _Walk):
            last_walk = label.seconds
            footpaths.append(_Footpath(round_ - 1, label.from_stop, found.stop, label.seconds))
            label = _Ride(*self.rode[round_][label.from_stop])
        rides, changes = [label], []
        while round_ > 1:
            ride = rides[-1]
            stop = self.table.patterns[ride.pattern].stops[ride.board]
            round_ -= 1
            came_from = self.walked[round_].get(stop)
            if came_from is not None:
                seconds = self._walk_seconds(came_from, stop)
                changes.append(seconds)
                footpaths.append(_Footpath(round_ - 1, came_from, stop, seconds))
                stop = came_from
            else:
                changes.append(self.table.change_s[stop] or 0)
            rides.append(_Ride(*self.rode[round_][stop]))
        first = rides[-1]
        start = self.table.patterns[first.pattern].stops[first.board]
        came_from = self.walked[0].get(start)
        if came_from is not None:
            footpaths.append(_Footpath(-1, came_from, start, self._walk_seconds(came_from, start)))
        return _Rides(rides[::-1], changes[::-1], last_walk, footpaths[::-1])

    def _walk_seconds(self, from_stop: int, to_stop: int) -> int:
        return next(s for other, s in self.table.footpaths[from_stop] if other == to_stop)


class _Rides(NamedTuple):
    rides: list[_Ride]
    #: Seconds from each ride's arrival until the next can be boarded (walk or change).
    changes: list[int]
    #: Seconds walked from the last ride to the destination's platform.
    last_walk: int
    #: The walks between rides (and after the last), in order.
    footpaths: list[_Footpath]


class _Best(NamedTuple):
    rides: list[_Ride]
    arrival_s: int
    footpaths: list[_Footpath]


def _earliest(
    table: Timetable,
    sources: list[int],
    targets: set[int],
    start_s: int,
    max_rides: int,
    arrive_before: int = _NEVER,
) -> _Best | None:
    """The earliest arrival with the fewest rides, its rides taken as late as they can be.

    None when nothing arrives before ``arrive_before``: a bound that only prunes, the
    journey found under it is the one found without.
    """
    search = _Search(table, targets, arrive_before)
    found = search.run(sources, start_s, max_rides)
    if found is None:
        return None
    steps = search.rides_to(found)
    return _Best(_latest_rides(table, steps, found.arrival_s), found.arrival_s, steps.footpaths)


def _fewer_changes(
    table: Timetable,
    sources: list[int],
    targets: set[int],
    start_s: int,
    best: _Best,
    penalty_s: int,
) -> _Best:
    """The journey with fewer rides when its later arrival is worth the changes saved.

    RAPTOR's rounds give the earliest arrival for each number of rides; each search here
    is bounded by the arrival it must beat, so a hopeless one stops early.
    """
    chosen = best
    cost = best.arrival_s + penalty_s * (len(best.rides) - 1)
    for rides in range(1, len(best.rides)):
        bound = cost - penalty_s * (rides - 1)
        found = _earliest(table, sources, targets, start_s, rides, bound)
        if found is None:
            continue
        found_cost = found.arrival_s + penalty_s * (len(found.rides) - 1)
        if found_cost < cost:
            chosen, cost = found, found_cost
    return chosen


def _leaving_last(table: Timetable, sources: list[int], targets: set[int], best: _Best) -> _Best:
    """A journey arriving as early with as few rides, leaving later when there is one.

    The rides of ``best`` already leave as late as they can; another line may leave later
    still. So search again from just after its departure with no more rides: arrivals never
    get earlier by leaving later, so the first search arriving later proves ``best`` leaves
    last. On the Shenzhen Metro one more search settles 98% of queries. Each search is
    bounded by the arrival to match, so it gives up on everything arriving later.
    """
    for _ in range(LATER_DEPARTURE_SEARCHES):
        first = best.rides[0]
        leaves = table.patterns[first.pattern].departures[first.board][first.run]
        leaves -= _first_walk_s(best.footpaths)
        later = _earliest(table, sources, targets, leaves + 1, len(best.rides), best.arrival_s + 1)
        if later is None:
            break
        best = later
    return best


def _latest_rides(table: Timetable, found: _Rides, arrival_s: int) -> list[_Ride]:
    """The same rides on the latest runs that still make every change and the arrival.

    Working back from the arrival, each ride takes the last run of its pattern reaching
    its alighting stop in time for the next ride (runs never overtake, so arrival times
    are sorted). The journey arrives as early and leaves as late as these rides allow;
    a later journey on other lines is not looked for.
    """
    latest = list(found.rides)
    deadline = arrival_s - found.last_walk
    for i in reversed(range(len(latest))):
        ride = latest[i]
        pattern = table.patterns[ride.pattern]
        run = max(ride.run, bisect_right(pattern.arrivals[ride.alight], deadline) - 1)
        latest[i] = ride._replace(run=run)
        if i:
            deadline = pattern.departures[ride.board][run] - found.changes[i - 1]
    return latest


def _first_walk_s(footpaths: list[_Footpath]) -> int:
    """Seconds walked from the origin before the first ride (0: it leaves from there)."""
    return footpaths[0].seconds if footpaths and footpaths[0].after < 0 else 0


def _journey(feed: TransitFeed, table: Timetable, best: _Best) -> Journey:
    legs = []
    for ride in best.rides:
        pattern = table.patterns[ride.pattern]
        run = pattern.runs[ride.run]
        legs.append(
            Leg(
                route_id=pattern.route_id,
                trip_id=run.trip_id,
                service_date=run.service_date,
                board_stop_id=table.stop_ids[pattern.stops[ride.board]],
                board_at=table.moment(pattern.departures[ride.board][ride.run]),
                alight_stop_id=table.stop_ids[pattern.stops[ride.alight]],
                alight_at=table.moment(pattern.arrivals[ride.alight][ride.run]),
                stops=ride.alight - ride.board,
            )
        )
    walks = (
        Walk(path.after, table.stop_ids[path.from_stop], table.stop_ids[path.to_stop], path.seconds)
        for path in best.footpaths
    )
    return Journey(
        legs=tuple(legs),
        transfers=tuple(feed.station_of(leg.alight_stop_id).stop_id for leg in legs[:-1]),
        departure=legs[0].board_at - dt.timedelta(seconds=_first_walk_s(best.footpaths)),
        arrival=table.moment(best.arrival_s),
        walks=tuple(
            walk
            for walk in walks
            if feed.station_of(walk.from_stop_id).stop_id
            != feed.station_of(walk.to_stop_id).stop_id
        ),
    )
