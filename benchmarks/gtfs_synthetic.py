"""A synthetic GTFS feed of a metro + bus city, of any size, for the transit scale benchmark.

The bundled Shenzhen Metro feed has 100 000 stop times; a city that publishes its buses too
has many times that. This module builds such a feed so the loader and the queries are
measured where size would hurt. **Everything in it is synthetic**: names are made from a
list of syllables (a Chinese name, and its pinyin as the English translation), places from a
jittered grid, timetables from headway profiles. It is not a real city and must not be
read as one. The same size and seed always give the same bytes.

What it contains, so that every part of the loader and the queries has work to do:

- metro lines laid along rows, columns and diagonals of a grid (16 lines of 20-35 stations
  by default); where lines meet there is one station with a platform per line
  (``parent_station``) and transfers.txt rules between its platforms;
- bus stops make up the rest of the stations; bus routes run along straight corridors
  through them and through metro stations' bus bays (with transfers to the platforms);
- a weekday service from 05:30 to the last departures at 24:30 (trips running past
  ``24:00:00``), metro headways of 2-10 minutes by time of day, bus headways set so the
  weekday has the asked-for number of stop times; a sparser weekend service;
  calendar_dates.txt moves two October holidays to the weekend service and makes one
  Saturday a working day;
- fares by zone (rings around the centre) for the metro, a flat fare by route for buses;
- English names for every Chinese stop, line and headsign in translations.txt.

Run ``python -m benchmarks.gtfs_synthetic out.zip`` to write one; the benchmark
(:mod:`benchmarks.transit_scale`) generates its own into a temporary folder on each run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import random
import sys
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

Row = tuple[str, ...]
#: (from minute, to minute, headway in minutes) through a service day.
Profile = Sequence[tuple[int, int, float]]

#: (Chinese character, its pinyin): the material of every synthetic place name.
SYLLABLES: tuple[tuple[str, str], ...] = (
    ("东", "Dong"), ("南", "Nan"), ("西", "Xi"), ("北", "Bei"), ("山", "Shan"), ("湖", "Hu"),
    ("海", "Hai"), ("田", "Tian"), ("林", "Lin"), ("园", "Yuan"), ("桥", "Qiao"), ("港", "Gang"),
    ("华", "Hua"), ("新", "Xin"), ("龙", "Long"), ("凤", "Feng"), ("沙", "Sha"), ("石", "Shi"),
    ("坪", "Ping"), ("塘", "Tang"), ("湾", "Wan"), ("岭", "Ling"), ("门", "Men"), ("头", "Tou"),
    ("口", "Kou"), ("城", "Cheng"), ("安", "An"), ("宝", "Bao"), ("福", "Fu"), ("民", "Min"),
    ("乐", "Le"), ("春", "Chun"), ("竹", "Zhu"), ("梅", "Mei"), ("松", "Song"), ("云", "Yun"),
    ("水", "Shui"), ("泉", "Quan"), ("河", "He"), ("江", "Jiang"), ("洲", "Zhou"), ("村", "Cun"),
    ("坑", "Keng"), ("围", "Wei"), ("埔", "Pu"), ("涌", "Chong"), ("景", "Jing"), ("光", "Guang"),
)  # fmt: skip
#: Words a place name may end with, in both languages; "" for none. Never "站"/"Station":
#: those are what riders add, and the name matcher strips them.
PLACE_WORDS: tuple[tuple[str, str], ...] = (
    ("", ""), ("", ""), ("", ""), ("公园", "Park"), ("中心", "Centre"), ("广场", "Plaza"),
    ("医院", "Hospital"), ("大学", "University"), ("北", "North"), ("南", "South"),
)  # fmt: skip
LINE_COLOURS = (
    "00A040", "DA291C", "00A9E0", "E35205", "9B26B6", "CFB53B", "F3A0C5", "0072CE",
    "8A6D3B", "6CC24A", "00B2A9", "B8860B", "C8102E", "5F259F", "F6BE00", "007A53",
)  # fmt: skip

TIMEZONE = "Asia/Shanghai"
FIRST_DATE, LAST_DATE = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
#: National Day falls on a Thursday and Friday: the weekend timetable runs; the Saturday
#: after is a make-up working day with the weekday timetable (synthetic, but the pattern
#: is the one Chinese operators publish).
HOLIDAYS = (dt.date(2026, 10, 1), dt.date(2026, 10, 2))
MAKE_UP_WORKDAYS = (dt.date(2026, 10, 10),)

#: (from minute, to minute, headway in minutes) of the weekday: peaks at 07:00-09:30 and
#: 17:00-19:30, the last departures before 24:30.
METRO_HEADWAYS = ((330, 420, 6.0), (420, 570, 3.0), (570, 1020, 5.0), (1020, 1170, 3.0),
                  (1170, 1320, 6.0), (1320, 1470, 9.0))  # fmt: skip
BUS_HEADWAYS = ((330, 420, 10.0), (420, 570, 5.0), (570, 1020, 8.0), (1020, 1170, 5.0),
                (1170, 1320, 10.0), (1320, 1470, 15.0))  # fmt: skip
PEAKS = ((420, 570), (1020, 1170))
WEEKEND_SLOWER = {"metro": 1.4, "bus": 1.6}
#: The metro's share of the weekday's stop times is at most this; buses carry the rest.
METRO_SHARE = 0.5
GRID_KM = 1.1
CENTRE = (22.60, 114.05)
METRO_KMH, BUS_KMH = 36.0, 20.0
METRO_DWELL_S, BUS_DWELL_S = 30, 0
ZONES = 5
BUS_ROUTE_STOPS = (10, 30)
BUS_ROUTE_KM = 18.0
_ZIP_DATE = (2026, 1, 1, 0, 0, 0)

HEADERS: dict[str, Row] = {
    "agency": ("agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"),
    "stops": (
        "stop_id",
        "stop_name",
        "stop_lat",
        "stop_lon",
        "zone_id",
        "location_type",
        "parent_station",
    ),
    "routes": (
        "route_id",
        "agency_id",
        "route_short_name",
        "route_long_name",
        "route_type",
        "route_color",
        "route_text_color",
        "route_sort_order",
    ),
    "trips": ("route_id", "service_id", "trip_id", "trip_headsign", "direction_id"),
    "stop_times": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "calendar": (
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    ),
    "calendar_dates": ("service_id", "date", "exception_type"),
    "fare_attributes": (
        "fare_id",
        "price",
        "currency_type",
        "payment_method",
        "transfers",
        "agency_id",
    ),
    "fare_rules": ("fare_id", "route_id", "origin_id", "destination_id"),
    "transfers": ("from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"),
    "translations": (
        "table_name",
        "field_name",
        "language",
        "translation",
        "record_id",
        "record_sub_id",
        "field_value",
    ),
    "feed_info": (
        "feed_publisher_name",
        "feed_publisher_url",
        "feed_lang",
        "feed_start_date",
        "feed_end_date",
        "feed_version",
    ),
}


@dataclass(frozen=True)
class CitySize:
    """How big the city is: its stations and the stop times of one weekday."""

    #: Metro stations plus bus stops: the places a rider names (platforms and bays not counted).
    stations: int = 600
    weekday_stop_times: int = 500_000
    metro_lines: int = 16
    #: Fewest and most stations on one metro line.
    metro_line_stations: tuple[int, int] = (20, 35)


@dataclass(frozen=True)
class Place:
    """A station or bus stop: what it is called and where (km east and north of the centre)."""

    stop_id: str
    name: str
    name_en: str
    x_km: float
    y_km: float


@dataclass(frozen=True)
class Pattern:
    """The stops one direction of a route calls at, and the running times between them."""

    route_id: str
    direction_id: int
    stop_ids: tuple[str, ...]
    run_s: tuple[int, ...]
    dwell_s: int
    headsign: str


@dataclass(frozen=True)
class PlannedTrip:
    """A trip before it is written out: its pattern and when it leaves the first stop."""

    trip_id: str
    service_id: str
    pattern: int
    start_s: int


@dataclass(frozen=True)
class SyntheticFeed:
    """The generated city: small tables as rows, trips as plans (stop times are derived)."""

    tables: Mapping[str, tuple[Row, ...]]
    patterns: tuple[Pattern, ...]
    trips: tuple[PlannedTrip, ...]
    stations: int

    def stop_times_of(self, service_id: str) -> int:
        return sum(
            len(self.patterns[t.pattern].stop_ids) for t in self.trips if t.service_id == service_id
        )

    @property
    def weekday_stop_times(self) -> int:
        return self.stop_times_of("WD")

    @property
    def stop_time_count(self) -> int:
        return sum(len(self.patterns[t.pattern].stop_ids) for t in self.trips)


# --------------------------------------------------------------------------- the city


def generate_city(size: CitySize | None = None, seed: int = 2026) -> SyntheticFeed:
    """A whole synthetic feed for ``size``; the same size and seed give the same feed.

    Raises ValueError when the size cannot be met (fewer stations than the metro has).
    """
    size = size or CitySize()
    rng = random.Random(seed)
    lines = _metro_lines(size, rng)
    grid_points = list(dict.fromkeys(point for line in lines for point in line))
    if size.stations < len(grid_points):
        raise ValueError(
            f"{size.metro_lines} metro lines of {size.metro_line_stations} stations have "
            f"{len(grid_points)} stations; ask for at least that many, or fewer or shorter lines"
        )
    names = _place_names(size.stations, rng)
    half_km = _grid_size(size) * GRID_KM / 2
    metro = {
        (row, column): Place(
            f"M{row:02d}-{column:02d}",
            *names[i],
            column * GRID_KM - half_km + rng.uniform(-0.25, 0.25) * GRID_KM,
            half_km - row * GRID_KM + rng.uniform(-0.25, 0.25) * GRID_KM,
        )
        for i, (row, column) in enumerate(grid_points)
    }
    bus_stops = [
        Place(
            f"B{i:04d}",
            *names[len(metro) + i],
            rng.uniform(-half_km, half_km),
            rng.uniform(-half_km, half_km),
        )
        for i in range(size.stations - len(metro))
    ]
    metro_routes = [tuple(metro[p] for p in line) for line in lines]
    bus_routes = _bus_routes(bus_stops, list(metro.values()), 2 * half_km, rng)

    patterns = [*_metro_patterns(metro_routes, rng), *_bus_patterns(bus_routes)]
    trips = _timetable(patterns, len(metro_routes) * 2, size.weekday_stop_times, rng)
    bays = sorted({s for p in patterns for s in p.stop_ids if s.endswith("-BUS")})
    tables = {
        "agency": (
            ("METRO", "合成市地铁", "https://metro.example.org", TIMEZONE, "zh"),
            ("BUS", "合成市公交", "https://bus.example.org", TIMEZONE, "zh"),
        ),
        "stops": _stops(metro_routes, bus_stops, bays, half_km),
        "routes": _routes(len(metro_routes), len(bus_routes)),
        "calendar": (
            ("WD", "1", "1", "1", "1", "1", "0", "0", _date(FIRST_DATE), _date(LAST_DATE)),
            ("WE", "0", "0", "0", "0", "0", "1", "1", _date(FIRST_DATE), _date(LAST_DATE)),
        ),
        "calendar_dates": _calendar_dates(),
        **_fares(metro, half_km, len(bus_routes)),
        "transfers": _transfers(metro_routes, bays, rng),
        "translations": _translations([*metro.values(), *bus_stops], patterns, len(bus_routes)),
        "feed_info": (
            (
                "Synthetic benchmark city (not real data)",
                "https://example.org/synthetic-city",
                "zh",
                _date(FIRST_DATE),
                _date(LAST_DATE),
                f"synthetic-{seed}-{size.stations}-{size.weekday_stop_times}",
            ),
        ),
    }
    return SyntheticFeed(tables, tuple(patterns), tuple(trips), size.stations)


def _grid_size(size: CitySize) -> int:
    return size.metro_line_stations[1] + 5


def _metro_lines(size: CitySize, rng: random.Random) -> list[list[tuple[int, int]]]:
    """Lines as lists of grid points (row, column), redrawn until the network is connected.

    Half the lines run along rows, half along columns and two along diagonals; lines meet
    where they share a grid point, which becomes an interchange.
    """
    grid = _grid_size(size)
    low, high = size.metro_line_stations
    diagonals = 2 if size.metro_lines >= 6 else 0
    rows = (size.metro_lines - diagonals + 1) // 2
    columns = size.metro_lines - diagonals - rows
    for _ in range(200):
        lines: list[list[tuple[int, int]]] = []
        for row in rng.sample(range(2, grid - 2), rows):
            length = rng.randint(low, high)
            first = rng.randint(0, grid - length)
            lines.append([(row, c) for c in range(first, first + length)])
        for column in rng.sample(range(2, grid - 2), columns):
            length = rng.randint(low, high)
            first = rng.randint(0, grid - length)
            lines.append([(r, column) for r in range(first, first + length)])
        for anti in range(diagonals):
            length = rng.randint(low, high)
            first = rng.randint(0, grid - length)
            shift = rng.randint(-2, 2)
            points = [(r, r + shift if not anti else grid - 1 - r + shift) for r in range(grid)]
            inside = [(r, c) for r, c in points if 0 <= c < grid]
            lines.append(inside[first : first + length] or inside)
        if _connected(lines):
            return lines
    raise ValueError(f"no connected metro network of {size.metro_lines} lines on this grid")


def _connected(lines: Sequence[Sequence[tuple[int, int]]]) -> bool:
    reached, frontier = {0}, [0]
    points = [set(line) for line in lines]
    while frontier:
        current = frontier.pop()
        for other, stations in enumerate(points):
            if other not in reached and stations & points[current]:
                reached.add(other)
                frontier.append(other)
    return len(reached) == len(lines)


def _place_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` distinct (Chinese, English) names, distinct in each language."""
    candidates = [
        (a + b + word, f"{pa}{pb.lower()} {word_en}".strip())
        for a, pa in SYLLABLES
        for b, pb in SYLLABLES
        if a != b
        for word, word_en in dict.fromkeys(PLACE_WORDS)
    ]
    rng.shuffle(candidates)
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    for zh, en in candidates:
        key = en.replace(" ", "").casefold()
        if zh not in seen and key not in seen:
            seen.update((zh, key))
            names.append((zh, en))
            if len(names) == count:
                return names
    raise ValueError(f"at most {len(names)} synthetic names are available, not {count}")


def _bus_routes(
    bus_stops: Sequence[Place], metro: Sequence[Place], span_km: float, rng: random.Random
) -> list[tuple[Place, ...]]:
    """Routes along straight corridors until every bus stop is on one.

    A corridor passes through a stop not yet served; the route calls at the stops and metro
    stations inside it, in order along it, for at most :data:`BUS_ROUTE_KM`. Of a few
    random angles the one with the most stops is taken, so few routes are stubs at the
    city's edge.
    """
    places = [*bus_stops, *metro]
    half_width = 0.6 * span_km / math.sqrt(max(len(places), 1))
    unserved = {stop.stop_id: stop for stop in bus_stops}
    routes: list[tuple[Place, ...]] = []
    while unserved:
        start = unserved[rng.choice(sorted(unserved))]
        length = rng.randint(*BUS_ROUTE_STOPS)
        tries = [_corridor(start, places, rng.uniform(0, math.pi), half_width) for _ in range(6)]
        along = max(tries, key=lambda corridor: min(len(corridor), length))
        at = next(i for i, (_, place) in enumerate(along) if place is start)
        first = max(0, min(at - rng.randint(0, length - 1), len(along) - length))
        window = along[first : first + length]
        while window[-1][0] - window[0][0] > BUS_ROUTE_KM:
            window.pop(-1 if window[-1][0] > -window[0][0] else 0)
        route = tuple(place for _, place in window)
        if len(route) < 2:
            route = (start, min(places, key=lambda p: _distance(p, start) or math.inf))
        routes.append(route)
        for place in route:
            unserved.pop(place.stop_id, None)
    return routes


def _corridor(
    start: Place, places: Sequence[Place], angle: float, half_width: float
) -> list[tuple[float, Place]]:
    """The places within ``half_width`` km of the line through ``start`` at ``angle``, in
    order along it, with their distance along it from ``start``."""
    ux, uy = math.cos(angle), math.sin(angle)
    inside = [
        ((p.x_km - start.x_km) * ux + (p.y_km - start.y_km) * uy, p.stop_id, p)
        for p in places
        if abs((p.x_km - start.x_km) * uy - (p.y_km - start.y_km) * ux) <= half_width
    ]
    return [(along, place) for along, _, place in sorted(inside)]


def _distance(a: Place, b: Place) -> float:
    return math.hypot(a.x_km - b.x_km, a.y_km - b.y_km)


def _run_s(a: Place, b: Place, kmh: float) -> int:
    """Seconds between two stops at ``kmh``, at least a minute, in whole 10 seconds."""
    return max(60, round(_distance(a, b) / kmh * 360) * 10)


def _metro_patterns(routes: Sequence[tuple[Place, ...]], rng: random.Random) -> list[Pattern]:
    patterns = []
    for number, stations in enumerate(routes, start=1):
        route_id = f"L{number}"
        runs = tuple(
            _run_s(a, b, METRO_KMH) + rng.choice((0, 10, 20)) for a, b in pairwise(stations)
        )
        for direction, ordered, ordered_runs in (
            (0, stations, runs),
            (1, stations[::-1], runs[::-1]),
        ):
            patterns.append(
                Pattern(
                    route_id,
                    direction,
                    tuple(f"{p.stop_id}-{route_id}" for p in ordered),
                    ordered_runs,
                    METRO_DWELL_S,
                    ordered[-1].name,
                )
            )
    return patterns


def _bus_patterns(routes: Sequence[tuple[Place, ...]]) -> list[Pattern]:
    patterns = []
    for number, stops in enumerate(routes, start=1):
        route_id = f"B{number}"
        ids = tuple(s.stop_id if s.stop_id.startswith("B") else f"{s.stop_id}-BUS" for s in stops)
        runs = tuple(_run_s(a, b, BUS_KMH) for a, b in pairwise(stops))
        patterns.append(Pattern(route_id, 0, ids, runs, BUS_DWELL_S, stops[-1].name))
        patterns.append(Pattern(route_id, 1, ids[::-1], runs[::-1], BUS_DWELL_S, stops[0].name))
    return patterns


# --------------------------------------------------------------------------- timetable


def _timetable(
    patterns: Sequence[Pattern], metro_count: int, weekday_stop_times: int, rng: random.Random
) -> list[PlannedTrip]:
    """Weekday trips with just enough stop times, then the weekend's.

    The metro runs its headway profile (slowed down only for a city too small for it);
    buses share what is left of the weekday's stop times, their headways scaled to fit; a
    few extra peak-hour bus trips make up the rest, so the weekday ends at or just above the
    target. Every route has its own pace (busier and quieter lines) and its own first
    departure.
    """
    metro, bus = range(metro_count), range(metro_count, len(patterns))
    pace = {p.route_id: rng.uniform(0.9, 1.1) for p in patterns[:metro_count]}
    pace.update({p.route_id: rng.uniform(0.75, 1.3) for p in patterns[metro_count:]})
    first = [rng.randrange(0, 300, 10) for _ in patterns]

    def planned(indexes: range, profile: Profile, slower: float) -> list[tuple[int, int]]:
        return [
            (i, start)
            for i in indexes
            for start in _starts(profile, first[i], slower * pace[patterns[i].route_id])
        ]

    def size(trips: list[tuple[int, int]]) -> int:
        return sum(len(patterns[i].stop_ids) for i, _ in trips)

    metro_slower = max(
        1.0, size(planned(metro, METRO_HEADWAYS, 1.0)) / (METRO_SHARE * weekday_stop_times)
    )
    weekday = planned(metro, METRO_HEADWAYS, metro_slower)
    left = max(1, weekday_stop_times - size(weekday))
    bus_slower = size(planned(bus, BUS_HEADWAYS, 1.0)) / left
    while bus and size(planned(bus, BUS_HEADWAYS, bus_slower)) > left:
        bus_slower *= 1.02
    weekday += planned(bus, BUS_HEADWAYS, bus_slower)
    weekend = planned(metro, METRO_HEADWAYS, metro_slower * WEEKEND_SLOWER["metro"])
    weekend += planned(bus, BUS_HEADWAYS, bus_slower * WEEKEND_SLOWER["bus"])

    trips = []
    for service_id, plan in (("WD", weekday), ("WE", weekend)):
        for number, (index, start) in enumerate(plan):
            p = patterns[index]
            trip_id = f"{p.route_id}-{service_id}-{p.direction_id}-{number:05d}"
            trips.append(PlannedTrip(trip_id, service_id, index, start))
    missing, extra_pool = weekday_stop_times - size(weekday), bus or metro
    while missing > 0:
        index = rng.choice(extra_pool)
        begin, end = rng.choice(PEAKS)
        p = patterns[index]
        trip_id = f"{p.route_id}-WD-{p.direction_id}-x{len(trips):05d}"
        trips.append(PlannedTrip(trip_id, "WD", index, rng.randrange(begin, end) * 60))
        missing -= len(p.stop_ids)
    return trips


def _starts(profile: Profile, first_s: int, slower: float) -> list[int]:
    """Departure times through the day, each period's headway times ``slower`` (min. 1 min)."""
    times, t = [], profile[0][0] * 60 + first_s
    for begin, end, minutes in profile:
        t = max(t, begin * 60)
        while t < end * 60:
            times.append(t)
            t += max(60, round(minutes * slower * 6) * 10)
    return times


def stop_time_rows(feed: SyntheticFeed) -> Iterator[Row]:
    """stop_times.txt rows, made on the fly: a real-size feed has too many to hold as strings."""
    for trip in feed.trips:
        pattern = feed.patterns[trip.pattern]
        last = len(pattern.stop_ids) - 1
        arrival = trip.start_s
        for sequence, stop_id in enumerate(pattern.stop_ids):
            departure = arrival if sequence in (0, last) else arrival + pattern.dwell_s
            yield (
                trip.trip_id,
                _clock(arrival),
                _clock(departure),
                stop_id,
                str(sequence + 1),
            )
            if sequence < last:
                arrival = departure + pattern.run_s[sequence]


def trip_rows(feed: SyntheticFeed) -> Iterator[Row]:
    for trip in feed.trips:
        p = feed.patterns[trip.pattern]
        yield (p.route_id, trip.service_id, trip.trip_id, p.headsign, str(p.direction_id))


# --------------------------------------------------------------------------- tables


def _stops(
    metro_routes: Sequence[tuple[Place, ...]],
    bus_stops: Sequence[Place],
    bays: Sequence[str],
    half_km: float,
) -> tuple[Row, ...]:
    """Metro stations with a platform per line (zoned) and a bus bay where buses call."""
    lines_at: dict[str, list[str]] = {}
    stations: dict[str, Place] = {}
    for number, route in enumerate(metro_routes, start=1):
        for place in route:
            stations[place.stop_id] = place
            lines_at.setdefault(place.stop_id, []).append(f"L{number}")
    bay_set = set(bays)
    rows: list[Row] = []
    for station_id, place in stations.items():
        lat, lon = _lat_lon(place)
        zone = _zone(place, half_km)
        rows.append((station_id, place.name, lat, lon, "", "1", ""))
        for route_id in lines_at[station_id]:
            rows.append((f"{station_id}-{route_id}", place.name, lat, lon, zone, "0", station_id))
        if f"{station_id}-BUS" in bay_set:
            rows.append((f"{station_id}-BUS", place.name, lat, lon, "", "0", station_id))
    rows.extend((s.stop_id, s.name, *_lat_lon(s), "", "0", "") for s in bus_stops)
    return tuple(rows)


def _lat_lon(place: Place) -> tuple[str, str]:
    lat = CENTRE[0] + place.y_km / 111.0
    lon = CENTRE[1] + place.x_km / (111.32 * math.cos(math.radians(CENTRE[0])))
    return f"{lat:.6f}", f"{lon:.6f}"


def _zone(place: Place, half_km: float) -> str:
    """Fare zone: rings around the city centre, Z1 in the middle."""
    ring = math.hypot(place.x_km, place.y_km) / (half_km * 1.2 / ZONES)
    return f"Z{min(ZONES, int(ring) + 1)}"


def _routes(metro_lines: int, bus_routes: int) -> tuple[Row, ...]:
    metro = [
        (f"L{n}", "METRO", str(n), f"{n}号线", "1", LINE_COLOURS[(n - 1) % 16], "FFFFFF", str(n))
        for n in range(1, metro_lines + 1)
    ]
    bus = [
        (f"B{n}", "BUS", str(100 + n), f"{100 + n}路", "3", "", "", str(metro_lines + n))
        for n in range(1, bus_routes + 1)
    ]
    return tuple(metro + bus)


def _calendar_dates() -> tuple[Row, ...]:
    rows = []
    for day in HOLIDAYS:
        rows += [("WD", _date(day), "2"), ("WE", _date(day), "1")]
    for day in MAKE_UP_WORKDAYS:
        rows += [("WE", _date(day), "2"), ("WD", _date(day), "1")]
    return tuple(rows)


def _fares(
    metro: Mapping[tuple[int, int], Place], half_km: float, bus_routes: int
) -> dict[str, tuple[Row, ...]]:
    """Metro: 2 yuan, plus 1 per zone crossed and 1 for reaching the outer rings. Bus: 2 yuan.

    The bus fare applies by route (its rules name the route and no zones), so it is found
    for a ride on one bus and not for a metro trip.
    """
    zones = sorted({int(_zone(p, half_km)[1:]) for p in metro.values()})
    prices = {
        (a, b): 2 + abs(a - b) + (1 if max(a, b) > ZONES // 2 + 1 else 0)
        for a in zones
        for b in zones
    }
    attributes = [
        (f"METRO_{p}", f"{p:.2f}", "CNY", "1", "", "METRO") for p in sorted(set(prices.values()))
    ]
    attributes.append(("BUS_2", "2.00", "CNY", "0", "0", "BUS"))
    rules = [(f"METRO_{p}", "", f"Z{a}", f"Z{b}") for (a, b), p in prices.items()]
    rules += [("BUS_2", f"B{n}", "", "") for n in range(1, bus_routes + 1)]
    return {"fare_attributes": tuple(attributes), "fare_rules": tuple(rules)}


def _transfers(
    metro_routes: Sequence[tuple[Place, ...]], bays: Sequence[str], rng: random.Random
) -> tuple[Row, ...]:
    """Between the platforms of an interchange both ways, and between bus bay and platforms."""
    platforms: dict[str, list[str]] = {}
    for number, route in enumerate(metro_routes, start=1):
        for place in route:
            platforms.setdefault(place.stop_id, []).append(f"{place.stop_id}-L{number}")
    rows: list[Row] = []
    for station_id, own in platforms.items():
        walk = str(rng.choice((120, 180, 240)))
        for a in own:
            for b in own:
                if a != b:
                    rows.append((a, b, "2", walk))
        bay = f"{station_id}-BUS"
        if bay in bays:
            for platform in own:
                rows += [(bay, platform, "2", "180"), (platform, bay, "2", "180")]
    return tuple(rows)


def _translations(
    places: Sequence[Place], patterns: Sequence[Pattern], bus_routes: int
) -> tuple[Row, ...]:
    """English for every Chinese name, keyed by the Chinese text (one row per distinct name)."""
    english = {p.name: p.name_en for p in places}
    rows: list[Row] = [
        ("agency", "agency_name", "en", "Synthetic City Metro", "", "", "合成市地铁"),
        ("agency", "agency_name", "en", "Synthetic City Bus", "", "", "合成市公交"),
    ]
    rows += [("stops", "stop_name", "en", en, "", "", zh) for zh, en in english.items()]
    metro_lines = len({p.route_id for p in patterns if p.route_id.startswith("L")})
    rows += [
        ("routes", "route_long_name", "en", f"Line {n}", "", "", f"{n}号线")
        for n in range(1, metro_lines + 1)
    ]
    rows += [
        ("routes", "route_long_name", "en", f"Bus {100 + n}", "", "", f"{100 + n}路")
        for n in range(1, bus_routes + 1)
    ]
    headsigns = dict.fromkeys(p.headsign for p in patterns)
    rows += [("trips", "trip_headsign", "en", english[h], "", "", h) for h in headsigns]
    return tuple(rows)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


# --------------------------------------------------------------------------- writing


def write_zip(feed: SyntheticFeed, path: Path) -> None:
    """Write the feed as a GTFS zip; stop_times.txt is streamed, never held in memory whole.

    Entries carry a fixed timestamp so the same feed always gives the same bytes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    contents: dict[str, Iterator[Row] | tuple[Row, ...]] = {
        **feed.tables,
        "trips": trip_rows(feed),
        "stop_times": stop_time_rows(feed),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in HEADERS:
            info = zipfile.ZipInfo(f"{name}.txt", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            with (
                archive.open(info, "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text, lineterminator="\n")
                writer.writerow(HEADERS[name])
                writer.writerows(contents[name])


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write one synthetic feed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the zip to write")
    parser.add_argument("--stations", type=int, default=CitySize.stations)
    parser.add_argument("--stop-times", type=int, default=CitySize.weekday_stop_times)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    feed = generate_city(CitySize(args.stations, args.stop_times), args.seed)
    write_zip(feed, args.out)
    print(
        f"{args.out}: {feed.stations} stations, {len(feed.trips)} trips, "
        f"{feed.weekday_stop_times} weekday stop times ({feed.stop_time_count} in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
