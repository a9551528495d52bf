"""Walking between nearby stops of a bus feed that has no transfers.txt.

A two-route bus city: route 1 from Airport Rd to Market St, route 2 from the Library, a
150 m walk from Market St, to the Harbour. Without the walk the only way is the slow
direct route 3. Fisher Lane, 500 m from Market St (beyond the default 400 m), has a
faster route 4 that a rider is only sent to when the city widens the radius.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from zoneinfo import ZoneInfo

import pytest

from actions.clients.gtfs import TransitFeed, parse_feed
from actions.clients.gtfs.footpaths import (
    DEFAULT_WALK_RADIUS_M,
    haversine_m,
    pairs_within,
    walk_seconds,
)
from actions.transit.questions import _legs_text
from actions.transit.raptor import Journey, Walk, on_foot, plan
from tests.factories.gtfs import tiny_feed

SHANGHAI = ZoneInfo("Asia/Shanghai")
TUESDAY = dt.date(2026, 11, 24)
#: Metres per degree of longitude at the feed's latitude.
M_PER_LON = 111_195 * math.cos(math.radians(22.51))

STOPS = f"""stop_id,stop_name,stop_lat,stop_lon
AIR,机场路,22.500000,114.000000
MKT,市场街,22.510000,114.000000
LIB,图书馆,22.510000,{114 + 150 / M_PER_LON:.6f}
FSH,渔人巷,22.510000,{114 - 500 / M_PER_LON:.6f}
HBR,海港,22.530000,114.000000
"""
ROUTES = """route_id,agency_id,route_short_name,route_long_name,route_type
B1,T,1,,3
B2,T,2,,3
B3,T,3,,3
B4,T,4,,3
"""
TRIPS = """route_id,service_id,trip_id,trip_headsign
B1,WD,B1_0800,市场街
B2,WD,B2_0815,海港
B3,WD,B3_0800,海港
B4,WD,B4_0821,海港
"""
STOP_TIMES = """trip_id,arrival_time,departure_time,stop_id,stop_sequence
B1_0800,08:00:00,08:00:00,AIR,1
B1_0800,08:10:00,08:10:00,MKT,2
B2_0815,08:15:00,08:15:00,LIB,1
B2_0815,08:25:00,08:25:00,HBR,2
B3_0800,08:00:00,08:00:00,AIR,1
B3_0800,09:00:00,09:00:00,HBR,2
B4_0821,08:21:00,08:21:00,FSH,1
B4_0821,08:23:00,08:23:00,HBR,2
"""
TRANSLATIONS = """table_name,field_name,language,translation,field_value
stops,stop_name,en,Airport Rd,机场路
stops,stop_name,en,Market St,市场街
stops,stop_name,en,Library,图书馆
stops,stop_name,en,Fisher Lane,渔人巷
stops,stop_name,en,Harbour,海港
trips,trip_headsign,en,Harbour,海港
trips,trip_headsign,en,Market St,市场街
"""


def bus_city(
    transfers: str | None = None, walk_radius_m: float = DEFAULT_WALK_RADIUS_M
) -> TransitFeed:
    files = tiny_feed(
        stops=STOPS,
        routes=ROUTES,
        trips=TRIPS,
        stop_times=STOP_TIMES,
        translations=TRANSLATIONS,
        transfers=transfers,
        fare_rules=None,
    )
    return parse_feed(files, walk_radius_m=walk_radius_m, today=TUESDAY)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TUESDAY, dt.time(hour, minute), SHANGHAI)


def rides(journey: Journey | None) -> list[str]:
    assert journey is not None
    return [leg.trip_id for leg in journey.legs]


def test_a_change_needing_a_150_m_walk_between_differently_named_stops_is_planned() -> None:
    journey = plan(bus_city(), "AIR", "HBR", at(7, 50))
    assert rides(journey) == ["B1_0800", "B2_0815"]
    assert journey is not None
    assert journey.arrival == at(8, 25)  # not 09:00 on the direct route 3
    assert journey.legs[1].board_stop_id == "LIB"
    assert journey.transfers == ("MKT",)
    assert journey.walks == (Walk(after_leg=0, from_stop_id="MKT", to_stop_id="LIB", seconds=180),)


def test_the_answer_says_the_walk_in_english_and_in_chinese() -> None:
    feed = bus_city()
    journey = plan(feed, "AIR", "HBR", at(7, 50))
    english = _legs_text(feed, journey, "en").splitlines()
    chinese = _legs_text(feed, journey, "zh").splitlines()
    assert len(english) == len(chinese) == 3
    assert english[1] == "• Walk 3 min to Library"
    assert chinese[1] == "• 步行约3分钟到图书馆"
    assert "get off at Market St" in english[0] and "board at Library" in english[2]


def test_a_walk_after_the_last_ride_ends_the_journey_and_is_said() -> None:
    feed = bus_city()
    journey = plan(feed, "AIR", "LIB", at(7, 50))
    assert rides(journey) == ["B1_0800"]
    assert journey is not None and journey.arrival == at(8, 13)
    assert [(w.after_leg, w.to_stop_id) for w in journey.walks] == [(0, "LIB")]
    assert _legs_text(feed, journey, "en").splitlines()[-1] == "• Walk 3 min to Library"


def test_a_journey_may_start_with_a_walk_to_a_nearby_stop_whose_line_goes_there() -> None:
    # From Market St nothing leaves for the Harbour; route 2 does, from the Library a
    # 150 m walk away. Riding route 1 back and forth is no way to get there.
    feed = bus_city()
    journey = plan(feed, "MKT", "HBR", at(8, 5))
    assert rides(journey) == ["B2_0815"]
    assert journey is not None
    assert journey.walks == (Walk(after_leg=-1, from_stop_id="MKT", to_stop_id="LIB", seconds=180),)
    assert journey.departure == at(8, 12)  # the walk's start, not the bus's
    lines = _legs_text(feed, journey, "en").splitlines()
    assert lines[0] == "• Walk 3 min to Library"
    assert "board at Library 08:15" in lines[1]


def test_two_stops_a_short_walk_apart_are_a_walk_and_far_ones_are_not() -> None:
    feed = bus_city()
    walk = on_foot(feed, "MKT", "LIB", at(8, 5))
    assert walk is not None and not walk.legs
    assert walk.walks == (Walk(after_leg=-1, from_stop_id="MKT", to_stop_id="LIB", seconds=180),)
    assert (walk.departure, walk.arrival) == (at(8, 5), at(8, 8))
    assert _legs_text(feed, walk, "zh") == "• 步行约3分钟到图书馆"
    assert on_foot(feed, "AIR", "HBR", at(8, 5)) is None


def test_walks_count_when_the_change_limit_makes_the_ride_the_last_one_searched() -> None:
    # The planner's last round only looks at lines and walks that can reach the destination.
    feed = bus_city()
    assert rides(plan(feed, "AIR", "LIB", at(7, 50), max_transfers=0)) == ["B1_0800"]
    journey = plan(feed, "AIR", "HBR", at(7, 50), max_transfers=1)
    assert rides(journey) == ["B1_0800", "B2_0815"]
    assert rides(plan(feed, "AIR", "HBR", at(7, 50), max_transfers=0)) == ["B3_0800"]


def test_a_stop_beyond_the_walking_radius_is_not_walked_to() -> None:
    feed = bus_city()
    assert "FSH" not in {other for other, _ in feed.footpaths["MKT"]}
    assert rides(plan(feed, "AIR", "HBR", at(7, 50))) == ["B1_0800", "B2_0815"]


def test_a_city_that_widens_the_radius_gets_the_longer_walk() -> None:
    feed = bus_city(walk_radius_m=600)
    journey = plan(feed, "AIR", "HBR", at(7, 50))
    assert rides(journey) == ["B1_0800", "B4_0821"]
    assert journey is not None and journey.arrival == at(8, 23)
    assert [(w.to_stop_id, w.minutes) for w in journey.walks] == [("FSH", 10)]


def test_a_radius_of_zero_leaves_only_transfers_txt() -> None:
    feed = bus_city(walk_radius_m=0)
    assert not feed.footpaths
    assert rides(plan(feed, "AIR", "HBR", at(7, 50))) == ["B3_0800"]


def test_transfers_txt_type_3_forbids_a_derived_walk() -> None:
    forbidden = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nMKT,LIB,3,\n"
    journey = plan(bus_city(forbidden), "AIR", "HBR", at(7, 50))
    assert rides(journey) == ["B3_0800"]
    assert journey is not None and journey.walks == ()


def test_transfers_txt_sets_a_longer_time_for_a_walk_it_names() -> None:
    slow = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nMKT,LIB,2,600\n"
    assert rides(plan(bus_city(slow), "AIR", "HBR", at(7, 50))) == ["B3_0800"]  # 08:20: missed


def test_a_walk_does_not_chain_into_another_walk() -> None:
    # Stops 300 m apart in a row: Market St - Library' - Pier. Market St to Pier is 600 m,
    # beyond the radius; walking it as two 300 m walks would be a walk nobody offered.
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "AIR,机场路,22.500000,114.000000\n"
        "MKT,市场街,22.510000,114.000000\n"
        f"MID,中街,22.510000,{114 + 300 / M_PER_LON:.6f}\n"
        f"PIR,码头,22.510000,{114 + 600 / M_PER_LON:.6f}\n"
        "HBR,海港,22.530000,114.000000\n"
    )
    feed = parse_feed(
        tiny_feed(
            stops=stops,
            routes=ROUTES,
            trips=TRIPS + "B3,WD,B5_0805,海港\n",
            # Route 2 now leaves from the Pier; a bus calls at the middle stop too.
            stop_times=STOP_TIMES.replace("LIB", "PIR")
            + "B5_0805,08:05:00,08:05:00,MID,1\nB5_0805,09:30:00,09:30:00,HBR,2\n",
            translations=None,
            fare_rules=None,
        ),
        today=TUESDAY,
    )
    assert {o for o, _ in feed.footpaths["MKT"]} == {"MID"}
    assert {o for o, _ in feed.footpaths["MID"]} == {"MKT", "PIR"}
    assert rides(plan(feed, "AIR", "HBR", at(7, 50))) == ["B3_0800"]


def test_walking_time_is_rounded_up_to_the_minute_with_a_minimum() -> None:
    assert walk_seconds(150) == 180  # 162.5 s at 1.2 m/s with the 1.3 detour
    assert walk_seconds(5) == 60
    assert walk_seconds(400) == 480


@pytest.mark.parametrize(
    ("seed", "latitude", "radius"), [(1, 22.5, 400), (2, 60.0, 250), (3, -33.9, 800)]
)
def test_the_grid_finds_the_same_pairs_as_comparing_every_pair(
    seed: int, latitude: float, radius: float
) -> None:
    rng = random.Random(seed)
    span = 3000 / 111_195  # about 3 km each way: several neighbours per stop
    points = [
        (
            latitude + rng.uniform(0, span),
            114 + rng.uniform(0, span) / math.cos(math.radians(latitude)),
        )
        for _ in range(500)
    ]
    brute = {
        (i, j)
        for i in range(len(points))
        for j in range(i + 1, len(points))
        if haversine_m(*points[i], *points[j]) <= radius
    }
    found = pairs_within(points, radius)
    assert {(i, j) for i, j, _ in found} == brute
    assert len(found) == len(brute) > 100  # each pair once, and the test has pairs to find
