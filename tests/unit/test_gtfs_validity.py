"""A GTFS validator-style check, applied to the feed the sandbox serves and to Google's sample.

Written independently of ``actions.clients.gtfs`` (plain ``csv`` on the files) so that a bug
in the loader cannot hide a bug in a feed. It covers the errors of the canonical GTFS
validator that matter to riders: required files and columns, unique ids, references between
files, formats of times, dates, positions and colours, and times that move forward along
every trip.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from tests.factories.gtfs import SAMPLE_FEED, shenzhen_zip, tiny_feed

Rows = list[dict[str, str]]

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "agency": ("agency_name", "agency_url", "agency_timezone"),
    "stops": ("stop_id",),
    "routes": ("route_id", "route_type"),
    "trips": ("route_id", "service_id", "trip_id"),
    "stop_times": ("trip_id", "stop_id", "stop_sequence"),
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
    "fare_attributes": ("fare_id", "price", "currency_type", "payment_method", "transfers"),
    "fare_rules": ("fare_id",),
    "frequencies": ("trip_id", "start_time", "end_time", "headway_secs"),
    "transfers": ("from_stop_id", "to_stop_id", "transfer_type"),
    "translations": ("table_name", "field_name", "language", "translation"),
    "feed_info": ("feed_publisher_name", "feed_publisher_url", "feed_lang"),
}
TIME = re.compile(r"^\d{1,3}:[0-5]\d:[0-5]\d$")
DATE = re.compile(r"^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
COLOUR = re.compile(r"^[0-9A-Fa-f]{6}$")
ROUTE_TYPES = {str(t) for t in (*range(8), 11, 12)} | {str(t) for t in range(100, 1800)}


def read_tables(files: Mapping[str, bytes]) -> dict[str, Rows]:
    """The feed's known files as rows of stripped strings (BOM tolerated, as GTFS allows)."""
    tables = {}
    for name, data in files.items():
        table = name.removesuffix(".txt")
        if table in REQUIRED_COLUMNS:
            reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
            tables[table] = [
                {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
                for row in reader
            ]
            tables[f"{table}.columns"] = [dict.fromkeys(reader.fieldnames or [], "")]
    return tables


def _seconds(text: str) -> int:
    h, m, s = (int(p) for p in text.split(":"))
    return h * 3600 + m * 60 + s


def problems(tables: dict[str, Rows]) -> list[str]:
    """Everything wrong with the feed, one readable line each; [] for a valid feed."""
    found: list[str] = []
    for name in ("agency", "stops", "routes", "trips", "stop_times"):
        if name not in tables:
            found.append(f"missing required file {name}.txt")
    if "calendar" not in tables and "calendar_dates" not in tables:
        found.append("missing calendar.txt and calendar_dates.txt (one is required)")
    if "translations" in tables and "feed_info" not in tables:
        found.append("translations.txt needs feed_info.txt")
    for name, columns in REQUIRED_COLUMNS.items():
        if name in tables:
            header = tables[f"{name}.columns"][0]
            found += [f"{name}.txt: missing column {c}" for c in columns if c not in header]
    if found:
        return found

    def ids(name: str, key: str) -> set[str]:
        counts = Counter(row[key] for row in tables.get(name, []))
        found.extend(f"{name}.txt: duplicate {key} {v!r}" for v, n in counts.items() if n > 1)
        return set(counts)

    agencies = tables["agency"]
    for agency in agencies:
        try:
            ZoneInfo(agency["agency_timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            found.append(f"agency.txt: unknown time zone {agency['agency_timezone']!r}")
    agency_ids = {a.get("agency_id", "") for a in agencies}
    stops, routes, trips = (
        ids("stops", "stop_id"),
        ids("routes", "route_id"),
        ids("trips", "trip_id"),
    )
    fares = ids("fare_attributes", "fare_id")
    services = ids("calendar", "service_id") | {
        r["service_id"] for r in tables.get("calendar_dates", [])
    }
    stop_rows = {row["stop_id"]: row for row in tables["stops"]}
    zones = {row.get("zone_id", "") for row in tables["stops"]} - {""}

    for row in tables["stops"]:
        kind = row.get("location_type") or "0"
        if kind in ("0", "1", "2") and not row.get("stop_name"):
            found.append(f"stops.txt: {row['stop_id']} has no stop_name")
        if kind in ("0", "1", "2"):
            try:
                lat, lon = float(row["stop_lat"]), float(row["stop_lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
            except (KeyError, ValueError):
                found.append(f"stops.txt: {row['stop_id']} has no valid position")
        parent = row.get("parent_station", "")
        if parent and (stop_rows.get(parent, {}).get("location_type") or "0") != "1":
            found.append(f"stops.txt: {row['stop_id']} parent {parent!r} is not a station")
    for row in tables["routes"]:
        if not (row.get("route_short_name") or row.get("route_long_name")):
            found.append(f"routes.txt: {row['route_id']} has no name")
        if row["route_type"] not in ROUTE_TYPES:
            found.append(f"routes.txt: {row['route_id']} route_type {row['route_type']!r}")
        if len(agency_ids) > 1 and row.get("agency_id", "") not in agency_ids:
            found.append(f"routes.txt: {row['route_id']} agency {row.get('agency_id')!r}")
        for key in ("route_color", "route_text_color"):
            if row.get(key) and not COLOUR.match(row[key]):
                found.append(f"routes.txt: {row['route_id']} {key} {row[key]!r}")
    for row in tables["trips"]:
        if row["route_id"] not in routes:
            found.append(f"trips.txt: {row['trip_id']} route {row['route_id']!r} unknown")
        if row["service_id"] not in services:
            found.append(f"trips.txt: {row['trip_id']} service {row['service_id']!r} unknown")
    for row in tables.get("calendar", []) + tables.get("calendar_dates", []):
        for key in ("start_date", "end_date", "date"):
            if key in row and not DATE.match(row[key]):
                found.append(f"calendar: {row['service_id']} {key} {row[key]!r}")

    calls: dict[str, list[tuple[int, str, str, str]]] = defaultdict(list)
    for row in tables["stop_times"]:
        if row["trip_id"] not in trips:
            found.append(f"stop_times.txt: trip {row['trip_id']!r} unknown")
        if row["stop_id"] not in stops:
            found.append(f"stop_times.txt: stop {row['stop_id']!r} unknown")
        calls[row["trip_id"]].append(
            (
                int(row["stop_sequence"]),
                row["stop_id"],
                row.get("arrival_time", ""),
                row.get("departure_time", ""),
            )
        )
    for trip_id in trips:
        trip_calls = sorted(calls.get(trip_id, []))
        if len(trip_calls) < 2:
            found.append(f"trip {trip_id}: fewer than two stop times")
            continue
        if len({seq for seq, *_ in trip_calls}) != len(trip_calls):
            found.append(f"trip {trip_id}: repeated stop_sequence")
        previous = -1
        for position, (seq, _stop, arrival, departure) in enumerate(trip_calls):
            if position in (0, len(trip_calls) - 1) and not (arrival or departure):
                found.append(f"trip {trip_id}: no time at its first or last stop")
            for text in (arrival, departure):
                if text and not TIME.match(text):
                    found.append(f"trip {trip_id} seq {seq}: bad time {text!r}")
                    break
                if text:
                    if _seconds(text) < previous:
                        found.append(f"trip {trip_id} seq {seq}: time goes backwards")
                    previous = _seconds(text)

    for row in tables.get("fare_rules", []):
        if row["fare_id"] not in fares:
            found.append(f"fare_rules.txt: fare {row['fare_id']!r} unknown")
        if row.get("route_id") and row["route_id"] not in routes:
            found.append(f"fare_rules.txt: route {row['route_id']!r} unknown")
        for key in ("origin_id", "destination_id", "contains_id"):
            if row.get(key) and row[key] not in zones:
                found.append(f"fare_rules.txt: {key} {row[key]!r} is no stop's zone_id")
    for row in tables.get("frequencies", []):
        if row["trip_id"] not in trips:
            found.append(f"frequencies.txt: trip {row['trip_id']!r} unknown")
        if int(row["headway_secs"]) <= 0 or _seconds(row["end_time"]) <= _seconds(
            row["start_time"]
        ):
            found.append(f"frequencies.txt: {row['trip_id']} bad period")
    for row in tables.get("transfers", []):
        for key in ("from_stop_id", "to_stop_id"):
            if row.get(key) and row[key] not in stops:
                found.append(f"transfers.txt: {key} {row[key]!r} unknown")
    return found


def zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def folder_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.glob("*.txt")}


def test_the_feed_the_sandbox_serves_is_valid() -> None:
    assert problems(read_tables(zip_files(shenzhen_zip()))) == []


def test_googles_sample_feed_is_valid() -> None:
    assert problems(read_tables(folder_files(SAMPLE_FEED))) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"routes": None}, "missing required file routes.txt"),
        ({"feed_info": None}, "translations.txt needs feed_info.txt"),
        (
            {"trips": "route_id,service_id,trip_id\nR,WD,T1\nR,XX,T2\n"},
            "trips.txt: T2 service 'XX' unknown",
        ),
        (
            {
                "stop_times": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                "T1,08:00:00,08:00:00,A1,1\nT1,07:50:00,07:50:00,B,2\n"
                "T2,23:55:00,23:55:00,A1,1\nT2,24:05:00,24:05:00,B,2\n"
            },
            "trip T1 seq 2: time goes backwards",
        ),
        (
            {"fare_rules": "fare_id,origin_id\nF2,ZQ\n"},
            "fare_rules.txt: origin_id 'ZQ' is no stop's zone_id",
        ),
    ],
)
def test_the_check_catches_a_broken_feed(changes: dict[str, str | None], expected: str) -> None:
    assert problems(read_tables(tiny_feed(**changes))) == [expected]


def test_the_tiny_test_feed_is_itself_valid() -> None:
    assert problems(read_tables(tiny_feed())) == []
