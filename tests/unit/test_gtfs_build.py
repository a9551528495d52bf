"""The Shenzhen Metro GTFS feed the sandbox serves is complete, consistent and believable.

The tests read the zip back as a GTFS consumer would, so they check the file riders' apps
would get, not the builder's intermediate structures.
"""

import copy
import csv
import io
import zipfile
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from sandbox.gtfs_build import (
    DEFAULT_NETWORK,
    FareRule,
    build_feed,
    fare_for_distance,
    load_network,
    main,
    parse_network,
    parse_time,
    write_zip,
    zip_bytes,
)

Feed = dict[str, list[dict[str, str]]]

REQUIRED_FILES = {
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "calendar.txt",
    "feed_info.txt",  # required once translations.txt is present
}
ALSO_SHIPPED = {
    "calendar_dates.txt",
    "fare_attributes.txt",
    "fare_rules.txt",
    "transfers.txt",
    "translations.txt",
}

# Station name -> lines (route_short_name) that must all call at that one station.
TRANSFER_STATIONS = {
    "老街": {"1", "3"},
    "大剧院": {"1", "2"},
    "会展中心": {"1", "4"},
    "购物公园": {"1", "3"},
    "车公庙": {"1", "11"},
    "世界之窗": {"1", "2"},
    "前海湾": {"1", "5", "11"},
    "宝安中心": {"1", "5"},
    "福田": {"2", "3", "11"},
    "市民中心": {"2", "4"},
    "岗厦北": {"2", "11"},
    "黄贝岭": {"2", "5"},
    "后海": {"2", "11"},
    "赤湾": {"2", "5"},
    "少年宫": {"3", "4"},
    "布吉": {"3", "5"},
    "深圳北站": {"4", "5"},
}


@pytest.fixture(scope="module")
def zip_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gtfs") / "feed.zip"
    assert main([str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def feed(zip_path: Path) -> Feed:
    with zipfile.ZipFile(zip_path) as archive:
        return {
            name.removesuffix(".txt"): list(
                csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8"))
            )
            for name in archive.namelist()
        }


def _by(rows: list[dict[str, str]], key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in rows}


def _station(feed: Feed, name: str) -> dict[str, str]:
    [station] = [s for s in feed["stops"] if s["stop_name"] == name and s["location_type"] == "1"]
    return station


def _zone(feed: Feed, name: str) -> str:
    """The fare zone of a station: the zone_id of its platforms."""
    parent = _station(feed, name)["stop_id"]
    zones = {s["zone_id"] for s in feed["stops"] if s["parent_station"] == parent}
    [zone] = zones
    return zone


def _fare(feed: Feed, origin: str, destination: str) -> float:
    prices = {f["fare_id"]: float(f["price"]) for f in feed["fare_attributes"]}
    o, d = _zone(feed, origin), _zone(feed, destination)
    [rule] = [r for r in feed["fare_rules"] if r["origin_id"] == o and r["destination_id"] == d]
    return prices[rule["fare_id"]]


def _stop_times_by_trip(feed: Feed) -> dict[str, list[dict[str, str]]]:
    by_trip: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in feed["stop_times"]:
        by_trip[row["trip_id"]].append(row)
    for rows in by_trip.values():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
    return by_trip


def _route_id(feed: Feed, short_name: str) -> str:
    [route] = [r for r in feed["routes"] if r["route_short_name"] == short_name]
    return route["route_id"]


def test_the_zip_has_every_required_file_with_a_header_row(zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        assert names >= REQUIRED_FILES | ALSO_SHIPPED
        for name in names:
            header = archive.read(name).decode("utf-8").splitlines()[0]
            assert header and not header.startswith("\ufeff"), name
        assert archive.read("stop_times.txt").decode("utf-8").startswith("trip_id,arrival_time")


def test_the_feed_is_sizeable_but_small_enough_to_serve(feed: Feed, zip_path: Path) -> None:
    assert [r["route_short_name"] for r in feed["routes"]] == ["1", "2", "3", "4", "5", "11"]
    assert {r["route_type"] for r in feed["routes"]} == {"1"}  # metro
    assert len({s["stop_id"] for s in feed["stops"] if s["location_type"] == "1"}) >= 140
    assert 20_000 < len(feed["stop_times"]) < 200_000
    assert zip_path.stat().st_size < 5_000_000


def test_every_reference_between_files_resolves(feed: Feed) -> None:
    stops = _by(feed["stops"], "stop_id")
    routes = _by(feed["routes"], "route_id")
    trips = _by(feed["trips"], "trip_id")
    services = {c["service_id"] for c in feed["calendar"]}
    zones = {s["zone_id"] for s in feed["stops"] if s["zone_id"]}
    fares = {f["fare_id"] for f in feed["fare_attributes"]}

    assert len(trips) == len(feed["trips"]), "trip ids are unique"
    for st in feed["stop_times"]:
        assert st["trip_id"] in trips
        assert stops[st["stop_id"]]["location_type"] == "0", "trains call at platforms"
    for trip in feed["trips"]:
        assert trip["route_id"] in routes
        assert trip["service_id"] in services
    for stop in feed["stops"]:
        if stop["parent_station"]:
            assert stops[stop["parent_station"]]["location_type"] == "1"
    for exception in feed["calendar_dates"]:
        assert exception["service_id"] in services
    for rule in feed["fare_rules"]:
        assert rule["fare_id"] in fares
        assert rule["origin_id"] in zones and rule["destination_id"] in zones
    for transfer in feed["transfers"]:
        assert transfer["from_stop_id"] in stops and transfer["to_stop_id"] in stops


def test_times_only_move_forward_along_every_trip(feed: Feed) -> None:
    for trip_id, calls in _stop_times_by_trip(feed).items():
        assert len(calls) >= 2, trip_id
        previous = -1
        for call in calls:
            arrival, departure = (
                parse_time(call["arrival_time"]),
                parse_time(call["departure_time"]),
            )
            assert previous < arrival <= departure, (trip_id, call)
            previous = departure


def test_transfer_stations_are_one_station_with_a_platform_per_line(feed: Feed) -> None:
    trips = _by(feed["trips"], "trip_id")
    short_name = {r["route_id"]: r["route_short_name"] for r in feed["routes"]}
    lines_at_platform: dict[str, set[str]] = defaultdict(set)
    for st in feed["stop_times"]:
        lines_at_platform[st["stop_id"]].add(short_name[trips[st["trip_id"]]["route_id"]])
    transfers = {(t["from_stop_id"], t["to_stop_id"]): t for t in feed["transfers"]}

    for name, lines in TRANSFER_STATIONS.items():
        parent = _station(feed, name)["stop_id"]
        platforms = [s["stop_id"] for s in feed["stops"] if s["parent_station"] == parent]
        served = set().union(*(lines_at_platform[p] for p in platforms))
        assert served == lines, name
        for a in platforms:
            for b in platforms:
                if a != b:
                    assert transfers[a, b]["transfer_type"] == "2", (name, a, b)
                    assert transfers[a, b]["min_transfer_time"] == "180"


def test_line_1_runs_between_luohu_and_airport_east(feed: Feed) -> None:
    stops = _by(feed["stops"], "stop_id")
    by_trip = _stop_times_by_trip(feed)
    l1 = _route_id(feed, "1")
    ends = set()
    for trip in feed["trips"]:
        if trip["route_id"] == l1:
            calls = by_trip[trip["trip_id"]]
            first, last = (stops[c["stop_id"]]["stop_name"] for c in (calls[0], calls[-1]))
            assert trip["trip_headsign"] == last
            ends.add((trip["direction_id"], first, last))
    assert ends == {("0", "罗湖", "机场东"), ("1", "机场东", "罗湖")}
    route = _by(feed["routes"], "route_id")[l1]
    assert route["route_long_name"] == "罗宝线"


def test_trains_run_more_often_in_the_weekday_peak_than_at_weekends(feed: Feed) -> None:
    by_trip = _stop_times_by_trip(feed)
    l1 = _route_id(feed, "1")

    def starts(service: str) -> list[int]:
        return sorted(
            parse_time(by_trip[t["trip_id"]][0]["departure_time"])
            for t in feed["trips"]
            if t["route_id"] == l1 and t["service_id"] == service and t["direction_id"] == "0"
        )

    weekday, weekend = starts("weekday"), starts("weekend")
    at_8 = [b - a for a, b in pairwise(weekday) if 7.5 * 3600 <= a < 8.5 * 3600]
    at_14 = [b - a for a, b in pairwise(weekday) if 14 * 3600 <= a < 15 * 3600]
    assert max(at_8) <= 240 < min(at_14) <= 480
    assert len(weekend) < len(weekday)
    assert weekday[0] == weekend[0] == parse_time("06:30")


def test_a_weekday_public_holiday_runs_the_weekend_service(feed: Feed) -> None:
    calendar = _by(feed["calendar"], "service_id")
    assert [calendar["weekday"][d] for d in ("monday", "friday", "saturday")] == ["1", "1", "0"]
    assert calendar["weekend"]["sunday"] == "1"
    national_day = {
        (e["service_id"], e["exception_type"])
        for e in feed["calendar_dates"]
        if e["date"] == "20261001"
    }
    assert national_day == {("weekday", "2"), ("weekend", "1")}


def test_the_fare_follows_the_distance_along_the_lines(feed: Feed) -> None:
    assert _fare(feed, "罗湖", "国贸") == 2
    assert _fare(feed, "罗湖", "机场东") == _fare(feed, "机场东", "罗湖")
    assert 6 <= _fare(feed, "罗湖", "机场东") <= 9
    # Across the network costs more than the length of one line, but a fare stays a fare.
    assert _fare(feed, "罗湖", "机场东") < _fare(feed, "碧头", "双龙") <= 16
    assert {f["currency_type"] for f in feed["fare_attributes"]} == {"CNY"}


@pytest.mark.parametrize(
    ("km", "yuan"),
    [(0.5, 2), (4, 2), (4.1, 3), (8, 3), (12, 4), (12.1, 5), (24, 6), (24.1, 7), (40, 8)],
)
def test_the_shenzhen_fare_bands(km: float, yuan: int) -> None:
    rule = FareRule("CNY", 1, base_fare=2, base_km=4, bands=((12, 4), (24, 6), (None, 8)))
    assert fare_for_distance(km, rule) == yuan


def test_every_name_a_rider_reads_has_an_english_translation(feed: Feed) -> None:
    english = {
        (t["table_name"], t["field_name"], t["field_value"]): t["translation"]
        for t in feed["translations"]
        if t["language"] == "en" and not t["record_id"]
    }
    for stop in feed["stops"]:
        assert english.get(("stops", "stop_name", stop["stop_name"])), stop["stop_name"]
    for route in feed["routes"]:
        assert english.get(("routes", "route_long_name", route["route_long_name"]))
    for trip in feed["trips"]:
        assert english.get(("trips", "trip_headsign", trip["trip_headsign"]))
    assert english["stops", "stop_name", "罗湖"] == "Luohu"
    assert english["stops", "stop_name", "机场东"] == "Airport East"
    assert english["routes", "route_long_name", "罗宝线"] == "Luobao Line"
    assert _by(feed["feed_info"], "feed_lang")["zh"]


def test_a_last_train_after_midnight_is_written_past_24_00(feed: Feed) -> None:
    by_trip = _stop_times_by_trip(feed)
    l1 = _route_id(feed, "1")
    last_out = max(
        (t for t in feed["trips"] if t["route_id"] == l1 and t["direction_id"] == "0"),
        key=lambda t: parse_time(by_trip[t["trip_id"]][0]["departure_time"]),
    )
    calls = by_trip[last_out["trip_id"]]
    assert calls[0]["departure_time"] == "23:30:00"
    assert "24:00:00" <= calls[-1]["arrival_time"] < "26:00:00"


def test_a_typo_in_a_station_id_is_caught_when_loading() -> None:
    data = yaml.safe_load(DEFAULT_NETWORK.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["lines"][0]["stops"][1][0] = "guomoa"
    with pytest.raises(ValueError, match="guomoa"):
        parse_network(broken)
    parse_network(data)  # the original is fine


def test_the_same_network_always_gives_the_same_zip(tmp_path: Path) -> None:
    tables = build_feed(load_network(DEFAULT_NETWORK))
    write_zip(tables, tmp_path / "feed.zip")
    assert (tmp_path / "feed.zip").read_bytes() == zip_bytes(
        build_feed(load_network(DEFAULT_NETWORK))
    )
