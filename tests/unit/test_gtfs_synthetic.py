"""The benchmark's synthetic city is a GTFS feed our loader reads, of the size asked for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from actions.clients.gtfs import TransitFeed, fare_between, find_stops, read_feed, services_on
from benchmarks.gtfs_synthetic import CitySize, generate_city, write_zip

TINY = CitySize(stations=40, weekday_stop_times=3_000, metro_lines=3, metro_line_stations=(5, 8))
TUESDAY, SATURDAY = dt.date(2026, 3, 3), dt.date(2026, 3, 7)
NATIONAL_DAY, MAKE_UP_SATURDAY = dt.date(2026, 10, 1), dt.date(2026, 10, 10)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "city.zip"
    write_zip(generate_city(TINY, seed=7), path)
    return path


@pytest.fixture(scope="module")
def feed(written: Path) -> TransitFeed:
    return read_feed(written)


def _metro_route_ids(feed: TransitFeed) -> frozenset[str]:
    return frozenset(r.route_id for r in feed.routes.values() if r.route_type == 1)


def test_the_feed_has_the_stations_asked_for(feed: TransitFeed) -> None:
    stations = [s for s in feed.stops.values() if s.is_station or not s.parent_station]
    assert len(stations) == TINY.stations


def test_a_weekday_has_the_stop_times_asked_for_give_or_take_one_trip(feed: TransitFeed) -> None:
    running = services_on(feed, TUESDAY)
    calls = [
        len(c)
        for trip_id, c in feed.stop_times.items()
        if feed.trips[trip_id].service_id in running
    ]
    assert TINY.weekday_stop_times <= sum(calls) < TINY.weekday_stop_times + max(calls)


def test_lines_meet_at_interchanges_with_a_platform_per_line_and_transfers(
    feed: TransitFeed,
) -> None:
    metro = _metro_route_ids(feed)
    interchanges = [s for s in feed.children if len(feed.route_ids_at[s] & metro) >= 2]
    assert interchanges
    transfers = {(t.from_stop_id, t.to_stop_id) for t in feed.transfers}
    for station in interchanges:
        platforms = [p for p in feed.children[station] if feed.route_ids_at.get(p, set()) & metro]
        assert len(platforms) == len(feed.route_ids_at[station] & metro)
        assert all((a, b) in transfers for a in platforms for b in platforms if a != b)


def test_the_last_trains_run_past_midnight(feed: TransitFeed) -> None:
    assert max(calls[-1].arrival_s for calls in feed.stop_times.values()) > 24 * 3600


def test_national_day_runs_the_weekend_timetable_and_a_saturday_the_weekday_one(
    feed: TransitFeed,
) -> None:
    assert services_on(feed, NATIONAL_DAY) == services_on(feed, SATURDAY)
    assert services_on(feed, MAKE_UP_SATURDAY) == services_on(feed, TUESDAY)
    assert services_on(feed, SATURDAY) != services_on(feed, TUESDAY)


def test_every_stop_has_an_english_name_riders_can_find_it_by(feed: TransitFeed) -> None:
    stations = [s for s in feed.stops.values() if s.is_station or not s.parent_station]
    assert all(s.name_in("en") != s.name for s in feed.stops.values())
    for station in stations:
        assert find_stops(feed, station.name_in("en").lower()) == (station,)
        assert find_stops(feed, station.name + "站") == (station,)


def test_metro_fares_go_by_zone_and_a_bus_ride_costs_two_yuan(feed: TransitFeed) -> None:
    metro = _metro_route_ids(feed)
    stations = [s for s in feed.children if feed.route_ids_at[s] & metro]
    assert all(fare_between(feed, stations[0], other) for other in stations[1:])
    bus_trip = next(t for t in feed.trips.values() if t.route_id not in metro)
    calls = feed.stop_times[bus_trip.trip_id]
    fare = fare_between(feed, calls[0].stop_id, calls[-1].stop_id, [bus_trip.route_id])
    assert fare is not None and fare.price == Decimal("2.00")


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_city(
    written: Path, tmp_path: Path
) -> None:
    write_zip(generate_city(TINY, seed=7), tmp_path / "again.zip")
    write_zip(generate_city(TINY, seed=8), tmp_path / "other.zip")
    assert (tmp_path / "again.zip").read_bytes() == written.read_bytes()
    assert (tmp_path / "other.zip").read_bytes() != written.read_bytes()


def test_a_city_smaller_than_its_metro_is_refused() -> None:
    with pytest.raises(ValueError, match="ask for at least"):
        generate_city(CitySize(stations=10, weekday_stop_times=1_000))
