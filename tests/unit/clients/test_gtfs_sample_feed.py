"""Nothing in the GTFS code is Shenzhen-specific: Google's "Demo Transit Authority" feed works too.

The sample is a bus network in Nevada, in English, on Pacific time, with frequency-based
trips, route-based fares and the untidiness of the published file (see its README.txt).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from actions.clients.gtfs import (
    TransitFeed,
    departures,
    fare_between,
    find_stops,
    load_feed,
    read_feed,
    routes_serving,
    services_on,
)
from tests.factories.gtfs import SAMPLE_FEED

MONDAY = dt.date(2008, 5, 5)
SATURDAY = dt.date(2008, 5, 10)
REMOVED_DAY = dt.date(2007, 6, 4)  # calendar_dates.txt takes FULLW off that Monday


@pytest.fixture(scope="module")
def sample() -> TransitFeed:
    return read_feed(SAMPLE_FEED)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"


async def test_the_sample_feed_loads_with_its_agency_time_zone() -> None:
    sample = await load_feed(str(SAMPLE_FEED))
    assert [a.name for a in sample.agencies.values()] == ["Demo Transit Authority"]
    assert sample.timezone == "America/Los_Angeles"
    assert len(sample.stops) == 9 and len(sample.routes) == 5 and len(sample.trips) == 11


def test_stops_are_found_by_name_without_the_demo_note(sample: TransitFeed) -> None:
    [resort] = find_stops(sample, "Furnace Creek Resort")
    assert resort.stop_id == "FUR_CREEK_RES"
    [airport] = find_stops(sample, "Nye County Airport (Demo)")
    assert airport.stop_id == "BEATTY_AIRPORT"
    assert airport.name_in("zh") == "Nye County Airport (Demo)"  # no translation: the original


def test_routes_serving_the_airport(sample: TransitFeed) -> None:
    assert {r.route_id for r in routes_serving(sample, "BEATTY_AIRPORT")} == {"AB", "STBA", "AAMV"}
    assert {r.long_name for r in routes_serving(sample, "BULLFROG")} == {
        "Airport - Bullfrog",
        "Bullfrog - Furnace Creek Resort",
    }


def test_frequency_based_trips_give_departures_every_headway(sample: TransitFeed) -> None:
    after = departures(sample, "STAGECOACH", MONDAY, 7 * 3600 + 50 * 60, limit=6)
    assert [(_clock(d.departure_s), d.route.route_id) for d in after] == [
        ("08:00", "CITY"),
        ("08:00", "STBA"),
        ("08:10", "CITY"),
        ("08:20", "CITY"),
        ("08:30", "CITY"),
        ("08:30", "STBA"),
    ]
    # CITY1 has no headsign: its last stop names where it goes.
    assert after[0].headsign == "E Main St / S Irving St (Demo)"
    assert after[1].headsign == "Shuttle"
    assert after[0].at(sample.timezone).isoformat() == "2008-05-05T08:00:00-07:00"


def test_weekend_only_trips_run_on_saturday(sample: TransitFeed) -> None:
    weekday = departures(sample, "BEATTY_AIRPORT", MONDAY, 12 * 3600, limit=10)
    saturday = departures(sample, "BEATTY_AIRPORT", SATURDAY, 12 * 3600, limit=10)
    assert "AAMV3" not in {d.trip.trip_id for d in weekday}
    assert "AAMV3" in {d.trip.trip_id for d in saturday}


def test_a_removed_service_day_has_no_full_week_service(sample: TransitFeed) -> None:
    assert services_on(sample, REMOVED_DAY) == frozenset()
    assert departures(sample, "STAGECOACH", REMOVED_DAY, 6 * 3600) == []
    assert services_on(sample, dt.date(2011, 1, 3)) == frozenset()  # after the feed's end


def test_fares_follow_the_route_rules(sample: TransitFeed) -> None:
    ab = fare_between(sample, "BEATTY_AIRPORT", "BULLFROG")
    assert ab is not None and (ab.fare_id, ab.price, ab.currency) == ("p", Decimal("1.25"), "USD")
    amv = fare_between(sample, "BEATTY_AIRPORT", "AMV")
    assert amv is not None and amv.price == Decimal("5.25")
    # The CITY route has no fare rule: the feed cannot say, so neither do we.
    assert fare_between(sample, "STAGECOACH", "EMSI") is None
