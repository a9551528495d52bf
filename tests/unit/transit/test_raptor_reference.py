"""The planner's journeys against a plain reference: arrival, rides and departure.

RAPTOR prunes (nothing that cannot beat the destination's best arrival is kept) and
re-searches for a later departure; a mistake in either shows up as a later arrival, an
extra ride or a rider told to leave too early. The reference knows nothing of rounds or
pruning: a connection scan over every ride between two calls finds the earliest arrival
with each number of rides, and a scan backwards from that arrival finds the latest
departure reaching it with as few rides. The planner gives up looking for later
departures after :data:`LATER_DEPARTURE_SEARCHES`; with the limit lifted it must find
exactly the reference's. Checked on the bundled Shenzhen Metro and on a made-up bus
grid where most changes are short walks between stops.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect_left
from zoneinfo import ZoneInfo

import pytest

from actions.clients.gtfs import TransitFeed, parse_feed, parse_zip
from actions.transit import raptor
from actions.transit.raptor import Journey, plan
from actions.transit.timetable import Timetable, platforms_of, timetable_for
from tests.factories.gtfs import shenzhen_zip, tiny_feed

TUESDAY = dt.date(2026, 11, 24)
_NONE = math.inf

#: (departs, arrives, from stop, to stop, run) for every ride between two calls.
Connection = tuple[int, int, int, int, tuple[int, int]]


class Reference:
    """Earliest arrival, fewest rides and latest departure by scanning connections.

    The origin's footpaths count as RAPTOR's first relaxation: the first ride may be
    boarded at a stop a walk away from the origin, the walk taken before it.
    """

    def __init__(self, table: Timetable) -> None:
        connections: list[Connection] = []
        for index, pattern in enumerate(table.patterns):
            for run in range(len(pattern.runs)):
                for position in range(len(pattern.stops) - 1):
                    connections.append(
                        (
                            pattern.departures[position][run],
                            pattern.arrivals[position + 1][run],
                            pattern.stops[position],
                            pattern.stops[position + 1],
                            (index, run),
                        )
                    )
        connections.sort(key=lambda c: (c[0], c[1]))
        self.table = table
        self.connections = connections
        self.leaving = [c[0] for c in connections]

    def earliest(
        self, sources: list[int], targets: set[int], start_s: int, max_rides: int
    ) -> tuple[int, int] | None:
        """(arrival, fewest rides arriving then), or None."""
        table, count = self.table, len(self.table.stop_ids)
        # ready[k][stop]: earliest time to board there having ridden at most k times.
        ready = [[_NONE] * count for _ in range(max_rides + 1)]
        for rides in range(max_rides + 1):
            for stop in sources:
                ready[rides][stop] = start_s
            for stop in sources:  # the first ride may leave from a stop a walk away
                for other, seconds in table.footpaths[stop]:
                    if other not in targets:
                        ready[rides][other] = min(ready[rides][other], start_s + seconds)
        arrived = [_NONE] * (max_rides + 1)
        aboard: dict[tuple[int, int], int] = {}
        for departs, arrives, here, there, run in self.connections[
            bisect_left(self.leaving, start_s) :
        ]:
            if departs > arrived[max_rides]:
                break
            rides = aboard.get(run)
            for fewer in range(1, rides or max_rides + 1):
                if ready[fewer - 1][here] <= departs:
                    rides = fewer
                    break
            if rides is None:
                continue
            aboard[run] = rides
            if there in targets:  # the journey ends here: nobody walks on from it
                for k in range(rides, max_rides + 1):
                    arrived[k] = min(arrived[k], arrives)
                continue
            reached = [(there, arrives, table.change_s[there])]
            reached += [(other, arrives + s, 0) for other, s in table.footpaths[there]]
            for stop, at, change in reached:
                if stop in targets:
                    for k in range(rides, max_rides + 1):
                        arrived[k] = min(arrived[k], at)
                elif change is not None:
                    for k in range(rides, max_rides + 1):
                        ready[k][stop] = min(ready[k][stop], at + change)
        best = arrived[max_rides]
        if best == _NONE:
            return None
        return int(best), arrived.index(best)

    def latest_departure(
        self, sources: list[int], targets: set[int], start_s: int, arrival_s: int, rides: int
    ) -> int:
        """The latest boarding at a source from which ``rides`` rides arrive by ``arrival_s``."""
        table, count = self.table, len(self.table.stop_ids)
        # alight_by[k][stop]: latest arrival there on a vehicle still arriving in time with
        # at most k more rides; board_by[k][stop]: latest boarding there, k rides included.
        alight_by = [[-_NONE] * count for _ in range(rides + 1)]
        board_by = [[-_NONE] * count for _ in range(rides + 1)]
        for k in range(rides + 1):
            for target in targets:
                alight_by[k][target] = arrival_s
                for stop, seconds in table.walks_into[target]:
                    alight_by[k][stop] = max(alight_by[k][stop], arrival_s - seconds)
        needed: dict[tuple[int, int], int] = {}
        window = [c for c in self.connections if c[0] >= start_s and c[1] <= arrival_s]
        for departs, arrives, here, there, run in sorted(window, key=lambda c: (-c[0], -c[1])):
            need = needed.get(run)
            for after in range(0, (need - 1) if need else rides):
                if arrives <= alight_by[after][there]:
                    need = after + 1
                    break
            if need is None:
                continue
            needed[run] = need
            for k in range(need, rides + 1):
                if departs <= board_by[k][here]:
                    continue
                board_by[k][here] = departs
                change = table.change_s[here]
                if change is not None:
                    alight_by[k][here] = max(alight_by[k][here], departs - change)
                for stop, seconds in table.walks_into[here]:
                    alight_by[k][stop] = max(alight_by[k][stop], departs - seconds)
        leaving = [board_by[rides][stop] for stop in sources]
        leaving += [
            board_by[rides][other] - seconds
            for stop in sources
            for other, seconds in table.footpaths[stop]
        ]
        return int(max(leaving))


def compare_with_reference(
    feed: TransitFeed, queries: int, seed: int, max_transfers: int = 3
) -> int:
    """Plan random journeys and check each against the reference; how many had one."""
    zone = ZoneInfo(feed.timezone)
    table = timetable_for(feed, TUESDAY)
    reference = Reference(table)
    stations = sorted({feed.station_of(stop_id).stop_id for stop_id in feed.stops})
    rng = random.Random(seed)
    midnight = dt.datetime.combine(TUESDAY, dt.time(), zone)
    answered = 0
    for _ in range(queries):
        origin, destination = rng.sample(stations, 2)
        start_s = rng.randrange(5 * 3600, 23 * 3600)
        journey = plan(
            feed, origin, destination, midnight + dt.timedelta(seconds=start_s), max_transfers
        )
        sources = [table.stop_index[s] for s in platforms_of(feed, origin) if s in table.stop_index]
        targets = {
            table.stop_index[s] for s in platforms_of(feed, destination) if s in table.stop_index
        }
        expected = reference.earliest(sources, targets, start_s, max_transfers + 1)
        where = f"{origin} -> {destination} at {start_s} s"
        if expected is None:
            assert journey is None, where
            continue
        arrival_s, rides = expected
        departure_s = reference.latest_departure(sources, targets, start_s, arrival_s, rides)
        assert journey is not None, where
        assert journey.arrival == table.moment(arrival_s), where
        assert len(journey.legs) == rides, where
        assert journey.departure == table.moment(departure_s), where
        assert_rideable(journey, where)
        answered += 1
    return answered


def assert_rideable(journey: Journey, where: str) -> None:
    """Each ride leaves after the last one arrived, and walks fit between them."""
    walked = {walk.after_leg: walk.seconds for walk in journey.walks}
    first = (journey.legs[0].board_at - journey.departure).total_seconds()
    assert first >= walked.get(-1, 0), where
    for i, (leg, following) in enumerate(zip(journey.legs, journey.legs[1:], strict=False)):
        gap = (following.board_at - leg.alight_at).total_seconds()
        assert gap >= walked.get(i, 0), where
    assert journey.arrival >= journey.legs[-1].alight_at, where


@pytest.fixture(scope="module")
def shenzhen() -> TransitFeed:
    return parse_zip(shenzhen_zip())


@pytest.fixture
def search_for_the_latest_departure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(raptor, "LATER_DEPARTURE_SEARCHES", 1_000)


@pytest.mark.usefixtures("search_for_the_latest_departure")
def test_metro_journeys_match_the_reference(shenzhen: TransitFeed) -> None:
    answered = compare_with_reference(shenzhen, queries=200, seed=11)
    assert answered > 150


@pytest.mark.usefixtures("search_for_the_latest_departure")
def test_metro_journeys_with_one_change_allowed_match_the_reference(
    shenzhen: TransitFeed,
) -> None:
    answered = compare_with_reference(shenzhen, queries=100, seed=12, max_transfers=1)
    assert answered > 50


@pytest.mark.usefixtures("search_for_the_latest_departure")
def test_bus_journeys_changing_on_foot_match_the_reference() -> None:
    feed = bus_grid(seed=3)
    answered = compare_with_reference(feed, queries=300, seed=13)
    assert answered > 120


# --------------------------------------------------------------------------- a bus grid


def bus_grid(seed: int, side: int = 9, spacing_m: float = 260, routes: int = 14) -> TransitFeed:
    """Stops on a grid a short walk apart and random bus routes over it, both ways.

    Neighbouring stops (260 m, 370 m diagonally) are inside the walking radius, so the
    loader derives walks between them; buses run every 6 to 15 minutes.
    """
    rng = random.Random(seed)
    m_per_lat = 111_195
    m_per_lon = m_per_lat * math.cos(math.radians(22.5))
    stops = ["stop_id,stop_name,stop_lat,stop_lon"]
    for x in range(side):
        for y in range(side):
            lat = 22.5 + y * spacing_m / m_per_lat
            lon = 114.0 + x * spacing_m / m_per_lon
            stops.append(f"S{x}_{y},Stop {x} {y},{lat:.6f},{lon:.6f}")
    route_rows = ["route_id,agency_id,route_short_name,route_long_name,route_type"]
    trip_rows = ["route_id,service_id,trip_id,trip_headsign,direction_id"]
    time_rows = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    for route in range(routes):
        path = _bus_path(rng, side, length=rng.randrange(5, 11))
        hops = [rng.randrange(70, 200) for _ in path[1:]]
        headway = rng.randrange(6, 16) * 60
        first = rng.randrange(5 * 3600, 7 * 3600)
        route_rows.append(f"R{route},T,{route},,3")
        for direction, stops_along in enumerate((path, path[::-1])):
            hop_times = hops if direction == 0 else hops[::-1]
            for n, start in enumerate(range(first, 23 * 3600, headway)):
                trip = f"R{route}_{direction}_{n}"
                trip_rows.append(f"R{route},WD,{trip},,{direction}")
                at = start
                for sequence, stop in enumerate(stops_along):
                    if sequence:
                        at += hop_times[sequence - 1]
                    clock = f"{at // 3600:02d}:{at // 60 % 60:02d}:{at % 60:02d}"
                    time_rows.append(f"{trip},{clock},{clock},{stop},{sequence + 1}")
    files = tiny_feed(
        stops="\n".join(stops) + "\n",
        routes="\n".join(route_rows) + "\n",
        trips="\n".join(trip_rows) + "\n",
        stop_times="\n".join(time_rows) + "\n",
        translations=None,
        fare_attributes=None,
        fare_rules=None,
    )
    return parse_feed(files, today=TUESDAY)


def _bus_path(rng: random.Random, side: int, length: int) -> list[str]:
    """A bus route's stops: a wander over the grid, one or two cells a step, never back."""
    path = [(rng.randrange(side), rng.randrange(side))]
    steps = ((1, 0), (2, 0), (-1, 0), (-2, 0), (0, 1), (0, 2), (0, -1), (0, -2), (1, 1))
    for _ in range(20 * length):
        if len(path) == length:
            break
        dx, dy = rng.choice(steps)
        x, y = path[-1][0] + dx, path[-1][1] + dy
        if 0 <= x < side and 0 <= y < side and (x, y) not in path:
            path.append((x, y))
    return [f"S{x}_{y}" for x, y in path]
