"""Build a GTFS feed of a metro network from a short YAML description of it.

The sandbox serves the Shenzhen Metro feed built here at ``GET /gtfs/feed.zip``, so the
transit journey (departures, routing, fares) is developed and tested against a realistic
network without depending on a city's live feed. The YAML (``data/shenzhen_metro.yml``) holds
only facts a person can check and correct: stations, line orders, run times, first and last
trains, headways, the fare rule. Everything derivable is computed here: one trip per
departure, their stop times, the fare between every pair of stations, transfers and English
translations. A city therefore replaces the YAML, not the code.

Only :func:`load_network` (reads the YAML) and :func:`write_zip` touch the file system; the
rest are pure functions, so the feed can be built in memory and checked in tests.

Usage::

    python -m sandbox.gtfs_build out.zip [--network path/to/network.yml]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import heapq
import io
import math
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

DEFAULT_NETWORK = Path(__file__).resolve().parent / "data" / "shenzhen_metro.yml"

Row = dict[str, str]
Tables = dict[str, list[Row]]

#: Column order of every file written, so the CSV is stable whatever order rows were built in.
FIELDS: dict[str, tuple[str, ...]] = {
    "agency": (
        "agency_id",
        "agency_name",
        "agency_url",
        "agency_timezone",
        "agency_lang",
        "agency_phone",
    ),
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
    "fare_rules": ("fare_id", "origin_id", "destination_id"),
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
        "feed_contact_email",
        "feed_contact_url",
    ),
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ROUTE_TYPE_METRO = "1"
TRANSFER_MIN_TIME = "2"  # GTFS transfer_type: needs at least min_transfer_time
EARTH_RADIUS_KM = 6371.0088
# Zip entries get a fixed timestamp so the same network always gives the same bytes: the
# sandbox can serve it with a stable ETag and tests can compare builds.
_ZIP_DATE = (2026, 1, 1, 0, 0, 0)
_TIME_RE = re.compile(r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$")
_COLOUR_RE = re.compile(r"^[0-9A-Fa-f]{6}$")


# --------------------------------------------------------------------------- network model


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    name_en: str
    url: str
    timezone: str
    lang: str
    phone: str = ""


@dataclass(frozen=True)
class FeedInfo:
    publisher_name: str
    publisher_url: str
    lang: str
    version: str
    start_date: dt.date
    end_date: dt.date
    contact_email: str = ""
    contact_url: str = ""


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    name_en: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Period:
    """Trains leave every ``headway_s`` seconds from ``start_s`` (inclusive) to ``end_s``."""

    start_s: int
    end_s: int
    headway_s: int


@dataclass(frozen=True)
class Service:
    id: str
    days: tuple[str, ...]
    headways: tuple[Period, ...]


@dataclass(frozen=True)
class Holiday:
    """A date that runs another service than its weekday would (a weekday holiday)."""

    date: dt.date
    name: str
    name_en: str
    service_id: str


@dataclass(frozen=True)
class Span:
    """First and last departure from a terminal, in seconds after midnight."""

    first_s: int
    last_s: int


@dataclass(frozen=True)
class Line:
    id: str
    short_name: str
    long_name: str
    long_name_en: str
    color: str
    text_color: str
    stations: tuple[str, ...]
    run_s: tuple[int, ...]  # run time to each station from the previous one; len(stations) - 1
    outbound: Span  # direction 0: in the order of `stations`
    inbound: Span  # direction 1: reversed
    headways: Mapping[str, tuple[Period, ...]] = field(default_factory=dict)  # per service id


@dataclass(frozen=True)
class FareRule:
    """A distance-based fare: ``base_fare`` up to ``base_km``, then one unit per band step."""

    currency: str
    payment_method: int
    base_fare: int
    base_km: float
    bands: tuple[tuple[float | None, float], ...]  # (up to km or None, km per extra unit)


@dataclass(frozen=True)
class Network:
    agency: Agency
    feed_info: FeedInfo
    dwell_s: int
    min_transfer_s: int
    stations: Mapping[str, Station]
    lines: tuple[Line, ...]
    services: tuple[Service, ...]
    holidays: tuple[Holiday, ...]
    fares: FareRule


# --------------------------------------------------------------------------- loading


def load_network(path: str | os.PathLike[str]) -> Network:
    """Read a network YAML file; see :func:`parse_network` for what is checked."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return parse_network(data)


def parse_network(data: Mapping[str, Any]) -> Network:
    """Turn the YAML structure into a :class:`Network`, rejecting inconsistent data.

    The data is edited by hand, so a mistyped station id, a missing run time or a gap in the
    headway periods must fail here with a message naming it, not produce a feed that is
    quietly wrong.
    """
    agency = Agency(**{k: str(v) for k, v in data["agency"].items()})
    info = data["feed_info"]
    feed_info = FeedInfo(
        publisher_name=str(info["publisher_name"]),
        publisher_url=str(info["publisher_url"]),
        lang=str(info["lang"]),
        version=str(info["version"]),
        start_date=_date(info["start_date"]),
        end_date=_date(info["end_date"]),
        contact_email=str(info.get("contact_email") or ""),
        contact_url=str(info.get("contact_url") or ""),
    )
    if feed_info.end_date < feed_info.start_date:
        raise ValueError("feed_info: end_date is before start_date")

    stations: dict[str, Station] = {}
    names: dict[str, str] = {}
    for sid, st in data["stations"].items():
        station = Station(
            id=str(sid),
            name=str(st["name"]),
            name_en=str(st["name_en"]),
            lat=float(st["lat"]),
            lon=float(st["lon"]),
        )
        if not (-90 <= station.lat <= 90 and -180 <= station.lon <= 180):
            raise ValueError(f"station {sid}: position {station.lat}, {station.lon} is not valid")
        if station.name in names:
            # Translations are keyed on the name, and riders could not tell the two apart.
            raise ValueError(
                f"stations {names[station.name]} and {sid} share the name {st['name']}"
            )
        names[station.name] = station.id
        stations[station.id] = station

    services = tuple(
        Service(
            id=str(sid),
            days=tuple(_weekday(d, f"service {sid}") for d in svc["days"]),
            headways=_periods(svc["headways"], f"service {sid}"),
        )
        for sid, svc in data["services"].items()
    )
    service_ids = {s.id for s in services}

    lines = tuple(_line(raw, stations, service_ids) for raw in data["lines"])
    if len({line.id for line in lines}) != len(lines):
        raise ValueError("two lines share an id")

    holidays = tuple(
        Holiday(
            date=_date(h["date"]),
            name=str(h["name"]),
            name_en=str(h["name_en"]),
            service_id=str(h["service"]),
        )
        for h in data.get("holidays") or ()
    )
    for h in holidays:
        if h.service_id not in service_ids:
            raise ValueError(f"holiday {h.date}: unknown service {h.service_id!r}")
        if not feed_info.start_date <= h.date <= feed_info.end_date:
            raise ValueError(f"holiday {h.date} is outside the feed's dates")

    fares = data["fares"]
    rule = FareRule(
        currency=str(fares["currency"]),
        payment_method=int(fares["payment_method"]),
        base_fare=int(fares["base_fare"]),
        base_km=float(fares["base_km"]),
        bands=tuple(
            (None if up is None else float(up), float(step)) for up, step in fares["bands"]
        ),
    )
    return Network(
        agency=agency,
        feed_info=feed_info,
        dwell_s=int(data["dwell_s"]),
        min_transfer_s=int(data["min_transfer_s"]),
        stations=stations,
        lines=lines,
        services=services,
        holidays=holidays,
        fares=rule,
    )


def _line(raw: Mapping[str, Any], stations: Mapping[str, Station], services: set[str]) -> Line:
    lid = str(raw["id"])
    where = f"line {lid}"
    ids: list[str] = []
    runs: list[int] = []
    for i, stop in enumerate(raw["stops"]):
        sid, run = str(stop[0]), int(stop[1])
        if sid not in stations:
            raise ValueError(f"{where}: unknown station {sid!r} (define it under `stations`)")
        if sid in ids:
            raise ValueError(f"{where}: station {sid!r} appears twice")
        if i == 0:
            if run != 0:
                raise ValueError(f"{where}: the first station's run time must be 0")
        elif run <= 0:
            raise ValueError(f"{where}: run time to {sid!r} must be positive")
        else:
            runs.append(run)
        ids.append(sid)
    if len(ids) < 2:
        raise ValueError(f"{where}: a line needs at least two stations")
    for key in ("color", "text_color"):
        if not _COLOUR_RE.match(str(raw[key])):
            raise ValueError(f"{where}: {key} {raw[key]!r} is not a 6-digit hex colour")
    headways = {}
    for sid, periods in (raw.get("headways") or {}).items():
        if sid not in services:
            raise ValueError(f"{where}: headways for unknown service {sid!r}")
        headways[str(sid)] = _periods(periods, f"{where} service {sid}")
    return Line(
        id=lid,
        short_name=str(raw["short_name"]),
        long_name=str(raw["long_name"]),
        long_name_en=str(raw["long_name_en"]),
        color=str(raw["color"]).upper(),
        text_color=str(raw["text_color"]).upper(),
        stations=tuple(ids),
        run_s=tuple(runs),
        outbound=_span(raw["outbound"], f"{where} outbound"),
        inbound=_span(raw["inbound"], f"{where} inbound"),
        headways=headways,
    )


def _periods(raw: Sequence[Sequence[Any]], where: str) -> tuple[Period, ...]:
    periods = tuple(Period(parse_time(a), parse_time(b), int(h)) for a, b, h in raw)
    for p in periods:
        if p.end_s <= p.start_s or p.headway_s <= 0:
            raise ValueError(f"{where}: bad headway period {format_time(p.start_s)}")
    for before, after in pairwise(periods):
        if before.end_s != after.start_s:
            raise ValueError(
                f"{where}: headway periods must follow each other; gap or overlap at "
                f"{format_time(before.end_s)}"
            )
    return periods


def _span(raw: Mapping[str, Any], where: str) -> Span:
    span = Span(parse_time(raw["first"]), parse_time(raw["last"]))
    if span.last_s < span.first_s:
        raise ValueError(f"{where}: last train before first train")
    return span


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _weekday(value: Any, where: str) -> str:
    day = str(value).lower()
    if day not in WEEKDAYS:
        raise ValueError(f"{where}: {value!r} is not a day of the week")
    return day


# --------------------------------------------------------------------------- small helpers


def parse_time(text: str) -> int:
    """Seconds after midnight of the service day for ``"HH:MM"`` or ``"HH:MM:SS"``.

    Hours may be 24 or more: in GTFS a train leaving at 00:30 on the previous day's service
    is written 24:30, which keeps each service day's times increasing.
    """
    match = _TIME_RE.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a time like 06:30 (quote times in YAML)")
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)


def format_time(seconds: int) -> str:
    """GTFS ``HH:MM:SS``; hours go past 23 for trains after midnight."""
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def haversine_km(a: Station, b: Station) -> float:
    """Great-circle distance; the fare rule is by distance and we only have positions."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def platform_id(station_id: str, line_id: str) -> str:
    """The stop where a line's trains call at a station (one per line, both directions)."""
    return f"{station_id}_{line_id}"


def fare_for_distance(km: float, rule: FareRule) -> int:
    """Fare in whole currency units for a journey of ``km`` along the network.

    Shenzhen-style: the base fare covers ``base_km``; each band then adds one unit per
    started step of its length (1 yuan per 4 km up to 12 km, per 6 km up to 24 km, per 8 km
    beyond). A small tolerance keeps 12.0000001 km from costing an extra yuan.
    """
    fare, lower = rule.base_fare, rule.base_km
    for upper, step in rule.bands:
        if km <= lower + 1e-9:
            break
        top = km if upper is None else min(km, upper)
        fare += math.ceil((top - lower) / step - 1e-9)
        if upper is None:
            break
        lower = upper
    return fare


def network_distances(network: Network) -> dict[str, dict[str, float]]:
    """Shortest distance in km between every pair of stations, travelling along the lines.

    Fares are charged on the shortest distance whatever route the rider takes, so this is
    Dijkstra over the station graph (transfers cost no distance).
    """
    graph: dict[str, dict[str, float]] = {sid: {} for sid in network.stations}
    for line in network.lines:
        for a, b in pairwise(line.stations):
            km = haversine_km(network.stations[a], network.stations[b])
            graph[a][b] = min(km, graph[a].get(b, math.inf))
            graph[b][a] = graph[a][b]
    result: dict[str, dict[str, float]] = {}
    for source in graph:
        best = {source: 0.0}
        queue = [(0.0, source)]
        while queue:
            km, here = heapq.heappop(queue)
            if km > best[here]:
                continue
            for there, step in graph[here].items():
                if km + step < best.get(there, math.inf):
                    best[there] = km + step
                    heapq.heappush(queue, (km + step, there))
        result[source] = best
    return result


def departures(span: Span, periods: Sequence[Period]) -> list[int]:
    """Departure times from a terminal: first train, then every headway, then the last train.

    The headway is the one of the period the previous train left in. The last train always
    runs at its published time; a scheduled train less than half a headway before it is
    dropped rather than run two trains almost together.
    """
    times: list[int] = []
    t = span.first_s
    while t < span.last_s:
        times.append(t)
        t += _headway_at(t, periods)
    if times and span.last_s - times[-1] < _headway_at(times[-1], periods) / 2:
        times.pop()
    times.append(span.last_s)
    return times


def _headway_at(t: int, periods: Sequence[Period]) -> int:
    for p in periods:
        if p.start_s <= t < p.end_s:
            return p.headway_s
    raise ValueError(f"no headway period covers {format_time(t)}")


# --------------------------------------------------------------------------- building


def build_feed(network: Network) -> Tables:
    """All GTFS tables for the network, as rows of strings keyed by column name.

    The table name is the file name without ``.txt``. Rows are ordered deterministically.
    """
    return {
        "agency": _agency(network),
        "stops": _stops(network),
        "routes": _routes(network),
        **_trips_and_stop_times(network),
        "calendar": _calendar(network),
        "calendar_dates": _calendar_dates(network),
        **_fares(network),
        "transfers": _transfers(network),
        "translations": _translations(network),
        "feed_info": _feed_info(network),
    }


def _agency(network: Network) -> list[Row]:
    a = network.agency
    return [
        {
            "agency_id": a.id,
            "agency_name": a.name,
            "agency_url": a.url,
            "agency_timezone": a.timezone,
            "agency_lang": a.lang,
            "agency_phone": a.phone,
        }
    ]


def _lines_at(network: Network) -> dict[str, list[str]]:
    """Line ids calling at each station, in the order the lines are listed."""
    at: dict[str, list[str]] = {sid: [] for sid in network.stations}
    for line in network.lines:
        for sid in line.stations:
            at[sid].append(line.id)
    return at


def _stops(network: Network) -> list[Row]:
    """A parent station per station and one platform per line calling there.

    Fare zones (one per station) sit on the platforms: GTFS ignores zone_id on stations, and
    riders board at platforms.
    """
    rows: list[Row] = []
    for sid, lines in _lines_at(network).items():
        if not lines:
            continue  # defined but on no line: not part of this feed
        st = network.stations[sid]
        lat, lon = str(round(st.lat, 6)), str(round(st.lon, 6))
        rows.append(
            {
                "stop_id": sid,
                "stop_name": st.name,
                "stop_lat": lat,
                "stop_lon": lon,
                "zone_id": "",
                "location_type": "1",
                "parent_station": "",
            }
        )
        for lid in lines:
            rows.append(
                {
                    "stop_id": platform_id(sid, lid),
                    "stop_name": st.name,
                    "stop_lat": lat,
                    "stop_lon": lon,
                    "zone_id": sid,
                    "location_type": "0",
                    "parent_station": sid,
                }
            )
    return rows


def _routes(network: Network) -> list[Row]:
    return [
        {
            "route_id": line.id,
            "agency_id": network.agency.id,
            "route_short_name": line.short_name,
            "route_long_name": line.long_name,
            "route_type": ROUTE_TYPE_METRO,
            "route_color": line.color,
            "route_text_color": line.text_color,
            "route_sort_order": str(order),
        }
        for order, line in enumerate(network.lines, start=1)
    ]


def _trips_and_stop_times(network: Network) -> Tables:
    """One trip per departure, per line, service and direction, calling at every station."""
    trips: list[Row] = []
    stop_times: list[Row] = []
    for line in network.lines:
        directions = (
            ("0", line.stations, line.run_s, line.outbound),
            ("1", line.stations[::-1], line.run_s[::-1], line.inbound),
        )
        for service in network.services:
            periods = line.headways.get(service.id, service.headways)
            for direction, stations, runs, span in directions:
                headsign = network.stations[stations[-1]].name
                for start in departures(span, periods):
                    clock = format_time(start).replace(":", "")
                    trip_id = f"{line.id}_{service.id}_{direction}_{clock}"
                    trips.append(
                        {
                            "route_id": line.id,
                            "service_id": service.id,
                            "trip_id": trip_id,
                            "trip_headsign": headsign,
                            "direction_id": direction,
                        }
                    )
                    stop_times.extend(
                        _calls(trip_id, line.id, stations, runs, start, network.dwell_s)
                    )
    return {"trips": trips, "stop_times": stop_times}


def _calls(
    trip_id: str,
    line_id: str,
    stations: Sequence[str],
    runs: Sequence[int],
    start: int,
    dwell_s: int,
) -> Iterable[Row]:
    arrival = departure = start
    for seq, sid in enumerate(stations, start=1):
        if seq > 1:
            arrival = departure + runs[seq - 2]
            departure = arrival if seq == len(stations) else arrival + dwell_s
        yield {
            "trip_id": trip_id,
            "arrival_time": format_time(arrival),
            "departure_time": format_time(departure),
            "stop_id": platform_id(sid, line_id),
            "stop_sequence": str(seq),
        }


def _calendar(network: Network) -> list[Row]:
    info = network.feed_info
    return [
        {
            "service_id": service.id,
            **{day: "1" if day in service.days else "0" for day in WEEKDAYS},
            "start_date": _gtfs_date(info.start_date),
            "end_date": _gtfs_date(info.end_date),
        }
        for service in network.services
    ]


def _calendar_dates(network: Network) -> list[Row]:
    """On a holiday, the services that run on its weekday stop and the holiday's one runs."""
    rows: list[Row] = []
    for holiday in sorted(network.holidays, key=lambda h: h.date):
        day = WEEKDAYS[holiday.date.weekday()]
        regular = [s.id for s in network.services if day in s.days]
        if regular == [holiday.service_id]:
            continue  # e.g. a Sunday holiday already runs the Sunday service
        date = _gtfs_date(holiday.date)
        for sid in regular:
            if sid != holiday.service_id:
                rows.append({"service_id": sid, "date": date, "exception_type": "2"})
        if holiday.service_id not in regular:
            rows.append({"service_id": holiday.service_id, "date": date, "exception_type": "1"})
    return rows


def _fares(network: Network) -> Tables:
    """A fare_attribute per price and a fare_rule for every ordered pair of stations.

    GTFS fares v1 has no distance-based fares, so the distance rule is expanded into
    origin/destination zones, one zone per station (the way many metro feeds do it).
    """
    rule = network.fares
    served = [sid for sid, lines in _lines_at(network).items() if lines]
    distances = network_distances(network)
    prices: dict[tuple[str, str], int] = {}
    for origin in served:
        for destination in served:
            if origin != destination:
                km = distances[origin].get(destination)
                if km is None:
                    continue  # not connected: no fare to sell
                prices[origin, destination] = fare_for_distance(km, rule)
    attributes = [
        {
            "fare_id": _fare_id(price, rule),
            "price": f"{price:.2f}",
            "currency_type": rule.currency,
            "payment_method": str(rule.payment_method),
            "transfers": "",  # empty = unlimited: changing lines inside the gates is free
            "agency_id": network.agency.id,
        }
        for price in sorted(set(prices.values()))
    ]
    rules = [
        {"fare_id": _fare_id(price, rule), "origin_id": o, "destination_id": d}
        for (o, d), price in prices.items()
    ]
    return {"fare_attributes": attributes, "fare_rules": rules}


def _fare_id(price: int, rule: FareRule) -> str:
    return f"{rule.currency}_{price}"


def _transfers(network: Network) -> list[Row]:
    """Between every two lines' platforms at a transfer station, both ways."""
    rows: list[Row] = []
    for sid, lines in _lines_at(network).items():
        for a in lines:
            for b in lines:
                if a != b:
                    rows.append(
                        {
                            "from_stop_id": platform_id(sid, a),
                            "to_stop_id": platform_id(sid, b),
                            "transfer_type": TRANSFER_MIN_TIME,
                            "min_transfer_time": str(network.min_transfer_s),
                        }
                    )
    return rows


def _translations(network: Network) -> list[Row]:
    """English for names riders read, in the current translations.txt form.

    Keyed on ``field_value`` (the Chinese text) rather than record ids: a station's name is
    on its parent and every platform, and a terminal's name is the headsign of thousands of
    trips, so one row per distinct text covers them all.
    """
    pairs: dict[tuple[str, str, str], str] = {}
    pairs["agency", "agency_name", network.agency.name] = network.agency.name_en
    for sid, lines in _lines_at(network).items():
        if lines:
            st = network.stations[sid]
            pairs["stops", "stop_name", st.name] = st.name_en
    for line in network.lines:
        pairs["routes", "route_long_name", line.long_name] = line.long_name_en
        for terminal in (line.stations[0], line.stations[-1]):
            st = network.stations[terminal]
            pairs["trips", "trip_headsign", st.name] = st.name_en
    return [
        {
            "table_name": table,
            "field_name": column,
            "language": "en",
            "translation": english,
            "record_id": "",
            "record_sub_id": "",
            "field_value": value,
        }
        for (table, column, value), english in pairs.items()
    ]


def _feed_info(network: Network) -> list[Row]:
    info = network.feed_info
    return [
        {
            "feed_publisher_name": info.publisher_name,
            "feed_publisher_url": info.publisher_url,
            "feed_lang": info.lang,
            "feed_start_date": _gtfs_date(info.start_date),
            "feed_end_date": _gtfs_date(info.end_date),
            "feed_version": info.version,
            "feed_contact_email": info.contact_email,
            "feed_contact_url": info.contact_url,
        }
    ]


def _gtfs_date(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


# --------------------------------------------------------------------------- writing


def zip_bytes(tables: Tables) -> bytes:
    """The feed as a zip in memory: one UTF-8 CSV per table, header row first.

    Empty tables are left out (GTFS treats a missing optional file and an empty one alike,
    and validators warn about empty ones). Entries carry a fixed timestamp so identical
    tables give identical bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            if not rows:
                continue
            text = io.StringIO()
            columns = FIELDS.get(name) or tuple(rows[0])
            writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            info = zipfile.ZipInfo(f"{name}.txt", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.getvalue().encode("utf-8"))
    return buffer.getvalue()


def write_zip(tables: Tables, path: str | os.PathLike[str]) -> None:
    """Write the feed to ``path``, replacing it atomically.

    The sandbox may be serving the previous file while this runs; writing a temporary file
    next to it and renaming means a client never downloads half a zip.
    """
    target = Path(path)
    data = zip_bytes(tables)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a feed is public
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the feed from the network YAML and write it as a zip."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox.gtfs_build", description="Build a GTFS zip from a network YAML."
    )
    parser.add_argument("out", type=Path, help="zip file to write, e.g. var/gtfs/feed.zip")
    parser.add_argument(
        "--network",
        type=Path,
        default=DEFAULT_NETWORK,
        help=f"network description (default: {DEFAULT_NETWORK.name})",
    )
    args = parser.parse_args(argv)
    try:
        tables = build_feed(load_network(args.network))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"{args.network}: {exc!r}", file=sys.stderr)
        return 1
    write_zip(tables, args.out)
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in tables.items())
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes): {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
