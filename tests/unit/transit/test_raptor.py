"""Planning a journey with RAPTOR: earliest arrival, fewest changes, on any GTFS feed.

The Shenzhen Metro feed checks real changes between lines and, against a brute-force
connection scan written here, the earliest arrival of many random journeys. Google's sample
feed checks buses with frequency-based trips and a day removed by calendar_dates.txt. Tiny
feeds isolate one rule each: a minimum transfer time, a forbidden change, a walk between two
stops that only transfers.txt connects, trips after midnight.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from zoneinfo import ZoneInfo

import pytest

from actions.clients.gtfs import TransitFeed, parse_feed, parse_zip, read_feed, services_on
from actions.transit.raptor import (
    CHANGE_PENALTY_S,
    Journey,
    UnknownStop,
    arrive_by,
    first_departure_after,
    last_connection,
    next_journey,
    plan,
)
from actions.transit.timetable import DEFAULT_TRANSFER_S, timetable_for
from tests.factories.gtfs import SAMPLE_FEED, shenzhen_zip, tiny_feed

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEVADA = ZoneInfo("America/Los_Angeles")
TUESDAY = dt.date(2026, 11, 24)
NATIONAL_DAY = dt.date(2026, 10, 1)  # a Thursday that runs the weekend timetable


def at(date: dt.date, hour: int, minute: int = 0, zone: ZoneInfo = SHANGHAI) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(hour, minute), zone)


@pytest.fixture(scope="module")
def shenzhen() -> TransitFeed:
    return parse_zip(shenzhen_zip())


@pytest.fixture(scope="module")
def sample() -> TransitFeed:
    return read_feed(SAMPLE_FEED)


def station(feed: TransitFeed, stop_id: str) -> str:
    return feed.station_of(stop_id).stop_id


def assert_consistent(
    feed: TransitFeed, journey: Journey, origin: str, destination: str, depart_at: dt.datetime
) -> None:
    """Every leg rides a real trip between its calls; every change leaves time to walk."""
    assert journey.legs, "a journey between two stations rides something"
    assert journey.departure == journey.legs[0].board_at >= depart_at
    assert journey.arrival == journey.legs[-1].alight_at
    assert station(feed, journey.legs[0].board_stop_id) == origin
    assert station(feed, journey.legs[-1].alight_stop_id) == destination
    assert len(journey.transfers) == len(journey.legs) - 1
    for leg in journey.legs:
        calls = [c.stop_id for c in feed.stop_times[leg.trip_id]]
        board, alight = calls.index(leg.board_stop_id), calls.index(leg.alight_stop_id)
        assert leg.stops == alight - board > 0
        assert feed.trips[leg.trip_id].route_id == leg.route_id
        assert leg.trip_id in {
            t.trip_id
            for t in feed.trips.values()
            if t.service_id in services_on(feed, leg.service_date)
        }
        midnight = dt.datetime.combine(leg.service_date, dt.time(), ZoneInfo(feed.timezone))
        assert leg.board_at == midnight + dt.timedelta(
            seconds=feed.stop_times[leg.trip_id][board].departure_s
        )
        assert leg.alight_at == midnight + dt.timedelta(
            seconds=feed.stop_times[leg.trip_id][alight].arrival_s
        )
    for i, change in enumerate(journey.transfers):
        before, after = journey.legs[i], journey.legs[i + 1]
        walk = 0 if before.alight_stop_id == after.board_stop_id else DEFAULT_TRANSFER_S
        assert after.board_at >= before.alight_at + dt.timedelta(seconds=walk)
        assert station(feed, before.alight_stop_id) == station(feed, after.board_stop_id) == change


# --------------------------------------------------------------------------- Shenzhen Metro


def test_luohu_to_shenzhen_north_changes_from_line_1_to_line_4_at_the_convention_center(
    shenzhen: TransitFeed,
) -> None:
    leaving = at(TUESDAY, 8)
    journey = plan(shenzhen, "luohu", "shenzhenbeizhan", leaving)
    assert journey is not None
    assert [leg.route_id for leg in journey.legs] == ["L1", "L4"]
    assert journey.transfers == ("huizhanzhongxin",)
    assert dt.timedelta(minutes=25) < journey.arrival - leaving < dt.timedelta(minutes=50)
    assert_consistent(shenzhen, journey, "luohu", "shenzhenbeizhan", leaving)


def test_a_journey_along_one_line_has_no_transfer(shenzhen: TransitFeed) -> None:
    leaving = at(TUESDAY, 8)
    journey = plan(shenzhen, "luohu", "jichangdong", leaving)
    assert journey is not None and journey.transfers == ()
    [leg] = journey.legs
    assert (leg.route_id, leg.board_stop_id, leg.alight_stop_id, leg.stops) == (
        "L1",
        "luohu_L1",
        "jichangdong_L1",
        29,
    )
    assert leg.board_at - leaving < dt.timedelta(minutes=4)  # a train every 3 min at peak
    assert_consistent(shenzhen, journey, "luohu", "jichangdong", leaving)


def test_too_few_transfers_allowed_means_no_journey(shenzhen: TransitFeed) -> None:
    assert plan(shenzhen, "luohu", "shenzhenbeizhan", at(TUESDAY, 8), max_transfers=0) is None
    assert plan(shenzhen, "luohu", "shenzhenbeizhan", at(TUESDAY, 8), max_transfers=1)


def test_the_time_is_read_in_the_feeds_time_zone(shenzhen: TransitFeed) -> None:
    in_utc = dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.timezone.utc)  # 08:00 in Shenzhen
    assert plan(shenzhen, "luohu", "shenzhenbeizhan", in_utc) == plan(
        shenzhen, "luohu", "shenzhenbeizhan", at(TUESDAY, 8)
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        plan(shenzhen, "luohu", "shenzhenbeizhan", dt.datetime(2026, 11, 24, 8))


def test_an_unknown_station_is_an_error_naming_it(shenzhen: TransitFeed) -> None:
    with pytest.raises(UnknownStop, match="'gotham'"):
        plan(shenzhen, "luohu", "gotham", at(TUESDAY, 8))


def test_a_journey_to_the_same_station_has_no_rides(shenzhen: TransitFeed) -> None:
    journey = plan(shenzhen, "laojie", "laojie", at(TUESDAY, 8))
    assert journey is not None and journey.legs == ()
    assert journey.departure == journey.arrival == at(TUESDAY, 8)


def test_yesterdays_last_trains_still_run_after_midnight(shenzhen: TransitFeed) -> None:
    # Tuesday's last Line 1 train towards Luohu passes Huaqiang Rd just after midnight.
    leaving = at(TUESDAY + dt.timedelta(days=1), 0, 0)
    journey = plan(shenzhen, "huaqianglu", "luohu", leaving)
    assert journey is not None
    [leg] = journey.legs
    assert leg.service_date == TUESDAY
    assert leg.board_at - leaving < dt.timedelta(minutes=5)
    assert_consistent(shenzhen, journey, "huaqianglu", "luohu", leaving)


def test_after_the_last_train_there_is_no_journey_until_the_morning(
    shenzhen: TransitFeed,
) -> None:
    late = at(TUESDAY, 23, 40)
    assert plan(shenzhen, "luohu", "shenzhenbeizhan", late) is None
    wednesday = TUESDAY + dt.timedelta(days=1)
    assert first_departure_after(shenzhen, "luohu", late) == at(wednesday, 6, 30)
    morning = next_journey(shenzhen, "luohu", "shenzhenbeizhan", late)
    assert morning is not None and morning.departure == at(wednesday, 6, 30)
    assert_consistent(shenzhen, morning, "luohu", "shenzhenbeizhan", late)


def test_a_public_holiday_is_planned_on_the_weekend_timetable(shenzhen: TransitFeed) -> None:
    journey = plan(shenzhen, "luohu", "shenzhenbeizhan", at(NATIONAL_DAY, 8))
    assert journey is not None
    assert {shenzhen.trips[leg.trip_id].service_id for leg in journey.legs} == {"weekend"}


def test_a_days_timetable_is_built_once(shenzhen: TransitFeed) -> None:
    assert timetable_for(shenzhen, TUESDAY) is timetable_for(shenzhen, TUESDAY)


# --------------------------------------------------------------------------- against brute force


class ConnectionScan:
    """The earliest arrival by scanning every ride between two calls in time order.

    Deliberately simple and independent of the planner: same-platform changes are free,
    changing platform within a station takes the default transfer time, no transfer limit.
    """

    def __init__(self, feed: TransitFeed, date: dt.date) -> None:
        rides: list[tuple[int, int, str, str, tuple[str, int]]] = []
        for offset in (-1, 0):
            running = services_on(feed, date + dt.timedelta(days=offset))
            for trip in feed.trips.values():
                if trip.service_id in running:
                    calls = feed.stop_times[trip.trip_id]
                    shift = offset * 86_400
                    for a, b in zip(calls, calls[1:], strict=False):
                        key = (trip.trip_id, offset)
                        rides.append(
                            (a.departure_s + shift, b.arrival_s + shift, a.stop_id, b.stop_id, key)
                        )
        rides.sort()
        self.feed = feed
        self.rides = rides
        self.leaving = [ride[0] for ride in rides]

    def platforms(self, stop_id: str) -> tuple[str, ...]:
        return self.feed.children.get(stop_id) or (stop_id,)

    def earliest_arrival(self, origin: str, destination: str, start_s: int) -> int | None:
        ready = dict.fromkeys(self.platforms(origin), start_s)
        targets = set(self.platforms(destination))
        aboard: set[tuple[str, int]] = set()
        best: int | None = None
        for leaves, arrives, here, there, trip in self.rides[bisect_left(self.leaving, start_s) :]:
            if best is not None and leaves >= best:
                break
            if trip not in aboard and ready.get(here, leaves + 1) > leaves:
                continue
            aboard.add(trip)
            if there in targets:
                best = arrives if best is None else min(best, arrives)
                continue
            for platform in self.platforms(station(self.feed, there)):
                walk = 0 if platform == there else DEFAULT_TRANSFER_S
                if arrives + walk < ready.get(platform, arrives + walk + 1):
                    ready[platform] = arrives + walk
        return best


def test_earliest_arrivals_match_a_brute_force_connection_scan(shenzhen: TransitFeed) -> None:
    scan = ConnectionScan(shenzhen, TUESDAY)
    stations = sorted(s.stop_id for s in shenzhen.stops.values() if s.is_station)
    rng = random.Random(20261124)
    midnight = at(TUESDAY, 0)
    reached = 0
    for _ in range(150):
        origin, destination = rng.sample(stations, 2)
        start_s = rng.randrange(0, 86_400)
        leaving = midnight + dt.timedelta(seconds=start_s)
        journey = plan(shenzhen, origin, destination, leaving, max_transfers=8)
        expected = scan.earliest_arrival(origin, destination, start_s)
        where = f"{origin} -> {destination} at {leaving:%H:%M:%S}"
        if expected is None:
            assert journey is None, where
            continue
        assert journey is not None, where
        assert journey.arrival == midnight + dt.timedelta(seconds=expected), where
        assert_consistent(shenzhen, journey, origin, destination, leaving)
        reached += 1
    assert reached > 100  # most random times are in service hours


# --------------------------------------------------------------------------- Google's sample feed


def test_stagecoach_to_amargosa_valley_changes_at_the_airport_on_a_saturday(
    sample: TransitFeed,
) -> None:
    saturday = dt.date(2008, 5, 10)
    journey = plan(sample, "STAGECOACH", "AMV", at(saturday, 6, zone=NEVADA))
    assert journey is not None
    assert [(leg.route_id, leg.trip_id) for leg in journey.legs] == [
        ("STBA", "STBA"),
        ("AAMV", "AAMV1"),
    ]
    assert journey.transfers == ("BEATTY_AIRPORT",)
    # The shuttle runs every 30 min: take the last one that still makes the 08:00 bus.
    assert journey.departure == at(saturday, 7, 30, zone=NEVADA)
    assert journey.arrival == at(saturday, 9, zone=NEVADA)


def test_amargosa_valley_has_no_weekday_service(sample: TransitFeed) -> None:
    assert plan(sample, "STAGECOACH", "AMV", at(dt.date(2008, 5, 5), 6, zone=NEVADA)) is None


def test_a_frequency_based_trip_is_boarded_at_its_next_run(sample: TransitFeed) -> None:
    journey = plan(sample, "STAGECOACH", "EMSI", at(dt.date(2008, 5, 5), 8, 1, zone=NEVADA))
    assert journey is not None
    [leg] = journey.legs
    assert (leg.trip_id, leg.stops) == ("CITY1", 4)
    assert (leg.board_at.time(), leg.alight_at.time()) == (dt.time(8, 10), dt.time(8, 36))


def test_a_day_removed_in_calendar_dates_has_no_journey(sample: TransitFeed) -> None:
    removed, next_day = dt.date(2007, 6, 4), dt.date(2007, 6, 5)
    assert plan(sample, "STAGECOACH", "BULLFROG", at(removed, 6, zone=NEVADA)) is None
    journey = plan(sample, "STAGECOACH", "BULLFROG", at(next_day, 6, zone=NEVADA))
    assert journey is not None and journey.transfers == ("BEATTY_AIRPORT",)
    assert journey.arrival == at(next_day, 8, 10, zone=NEVADA)
    resumes = first_departure_after(sample, "STAGECOACH", at(removed, 6, zone=NEVADA))
    assert resumes == at(next_day, 6, zone=NEVADA)


# --------------------------------------------------------------------------- tiny feeds

# X --R1--> station S (platforms S1, S2) --R2--> Y, and Z --R3--> Y a short walk from S.
STOPS = """stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
X,西,22.50,114.00,0,
S,中,22.51,114.01,1,
S1,中,22.51,114.01,0,S
S2,中,22.51,114.01,0,S
Z,南,22.51,114.02,0,
Y,东,22.52,114.02,0,
"""
ROUTES = """route_id,agency_id,route_short_name,route_long_name,route_type
R1,T,1,一号线,1
R2,T,2,二号线,1
R3,T,3,三号线,3
"""
TRIPS = """route_id,service_id,trip_id
R1,WD,R1_0800
R1,WD,R1_2405
R2,WD,R2_0820
R2,WD,R2_0840
R3,WD,R3_0816
"""
STOP_TIMES = """trip_id,arrival_time,departure_time,stop_id,stop_sequence
R1_0800,08:00:00,08:00:00,X,1
R1_0800,08:10:00,08:10:00,S1,2
R1_2405,24:05:00,24:05:00,X,1
R1_2405,24:15:00,24:15:00,S1,2
R2_0820,08:20:00,08:20:00,S2,1
R2_0820,08:30:00,08:30:00,Y,2
R2_0840,08:40:00,08:40:00,S2,1
R2_0840,08:50:00,08:50:00,Y,2
R3_0816,08:16:00,08:16:00,Z,1
R3_0816,08:26:00,08:26:00,Y,2
"""


def tiny_network(transfers: str | None = None, **changes: str | None) -> TransitFeed:
    files = {
        "stops": STOPS,
        "routes": ROUTES,
        "trips": TRIPS,
        "stop_times": STOP_TIMES,
        "transfers": transfers,
        "fare_rules": None,
        "translations": None,
        **changes,
    }
    return parse_feed(tiny_feed(**files))


def arrival_and_rides(journey: Journey | None) -> tuple[dt.time, list[str]] | None:
    if journey is None:
        return None
    return journey.arrival.time(), [leg.trip_id for leg in journey.legs]


def transfers_file(*rules: str) -> str:
    return "from_stop_id,to_stop_id,transfer_type,min_transfer_time\n" + "".join(
        f"{rule}\n" for rule in rules
    )


def test_changing_platform_takes_the_default_transfer_time() -> None:
    journey = plan(tiny_network(), "X", "Y", at(TUESDAY, 7, 50))
    assert arrival_and_rides(journey) == (dt.time(8, 30), ["R1_0800", "R2_0820"])
    assert journey is not None and journey.transfers == ("S",)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("S1,S2,2,600", (dt.time(8, 30), ["R1_0800", "R2_0820"])),  # 08:10 + 10 min: just made
        ("S1,S2,2,900", (dt.time(8, 50), ["R1_0800", "R2_0840"])),  # 08:25: missed, next train
        ("S,S,2,900", (dt.time(8, 50), ["R1_0800", "R2_0840"])),  # a station-wide rule
        ("S1,S2,0,", (dt.time(8, 30), ["R1_0800", "R2_0820"])),  # recommended: default time
        ("S1,S2,3,", None),  # the change is not possible at all
    ],
)
def test_transfers_txt_sets_the_time_to_change_platform(
    rule: str, expected: tuple[dt.time, list[str]] | None
) -> None:
    feed = tiny_network(transfers_file(rule))
    assert arrival_and_rides(plan(feed, "X", "Y", at(TUESDAY, 7, 50))) == expected


def test_a_platform_rule_overrides_its_station_rule() -> None:
    feed = tiny_network(transfers_file("S1,S2,2,600", "S,S,2,900"))
    assert arrival_and_rides(plan(feed, "X", "Y", at(TUESDAY, 7, 50))) == (
        dt.time(8, 30),
        ["R1_0800", "R2_0820"],
    )


def test_different_stations_connect_only_through_transfers_txt() -> None:
    # Z is a five-minute walk from S, but only transfers.txt can say so.
    walk = tiny_network(transfers_file("S1,Z,2,300"))
    journey = plan(walk, "X", "Y", at(TUESDAY, 7, 50))
    assert arrival_and_rides(journey) == (dt.time(8, 26), ["R1_0800", "R3_0816"])
    assert journey is not None and journey.legs[1].board_stop_id == "Z"
    assert journey.transfers == ("S",)
    assert plan(walk, "X", "Z", at(TUESDAY, 7, 50)) is not None  # walking is the last step
    assert plan(tiny_network(), "X", "Z", at(TUESDAY, 7, 50)) is None


def test_a_change_at_the_same_stop_is_free_unless_transfers_txt_sets_a_time() -> None:
    # R2 runs on from S1 too: stay on the platform, or wait out its minimum change time.
    stop_times = STOP_TIMES.replace("R2_0820,08:20:00,08:20:00,S2", "R2_0820,08:10:00,08:10:00,S1")
    free = tiny_network(stop_times=stop_times)
    assert arrival_and_rides(plan(free, "X", "Y", at(TUESDAY, 7, 50))) == (
        dt.time(8, 30),
        ["R1_0800", "R2_0820"],
    )
    slow = tiny_network(transfers_file("S1,S1,2,60"), stop_times=stop_times)
    assert arrival_and_rides(plan(slow, "X", "Y", at(TUESDAY, 7, 50))) == (
        dt.time(8, 50),
        ["R1_0800", "R2_0840"],
    )


def test_a_trip_after_midnight_runs_on_the_previous_service_day() -> None:
    feed = tiny_network()
    wednesday = TUESDAY + dt.timedelta(days=1)
    journey = plan(feed, "X", "S", at(wednesday, 0, 1))
    assert journey is not None
    [leg] = journey.legs
    assert (leg.trip_id, leg.service_date, leg.board_at) == (
        "R1_2405",
        TUESDAY,
        at(wednesday, 0, 5),
    )
    assert journey.arrival == at(wednesday, 0, 15)
    # The evening before, the same 24:05 run is tonight's last train.
    assert plan(feed, "X", "S", at(TUESDAY, 23, 59)) == journey
    # Early on Sunday, Saturday had no weekday service to run past midnight.
    sunday = dt.date(2026, 11, 29)
    assert plan(feed, "X", "S", at(sunday, 0, 1)) is None
    assert first_departure_after(feed, "X", at(sunday, 0, 1)) == at(sunday + dt.timedelta(1), 8)


def test_a_night_trip_filed_under_the_next_day_is_seen_the_evening_before() -> None:
    # A Saturday-only night bus at 00:30, filed under Saturday rather than as Friday 24:30.
    feed = tiny_network(
        calendar="service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\n"
        "WD,1,1,1,1,1,0,0,20260101,20261231\n"
        "NIGHT,0,0,0,0,0,1,0,20260101,20261231\n",
        trips=TRIPS + "R3,NIGHT,R3_0030\n",
        stop_times=STOP_TIMES + "R3_0030,00:30:00,00:30:00,Z,1\nR3_0030,00:40:00,00:40:00,Y,2\n",
    )
    friday, saturday = dt.date(2026, 11, 27), dt.date(2026, 11, 28)
    journey = plan(feed, "Z", "Y", at(friday, 23, 50))
    assert journey is not None and journey.legs[0].service_date == saturday
    assert journey.departure == at(saturday, 0, 30)
    # The next day's morning trips are not tonight's: after the last one, nothing.
    assert plan(tiny_network(), "Z", "Y", at(friday, 23, 50)) is None


def assert_no_overtaking(feed: TransitFeed, date: dt.date) -> None:
    for pattern in timetable_for(feed, date).patterns:
        for column in (*pattern.departures, *pattern.arrivals):
            assert list(column) == sorted(column)


def test_a_trip_overtaking_another_on_the_same_line_is_still_found() -> None:
    # An express leaves X after the stopping train and reaches S first.
    trips = TRIPS + "R1,WD,R1_0801_express\n"
    stop_times = STOP_TIMES + "R1_0801_express,08:01:00,08:01:00,X,1\n"
    stop_times += "R1_0801_express,08:05:00,08:05:00,S1,2\n"
    feed = tiny_network(trips=trips, stop_times=stop_times)
    assert_no_overtaking(feed, TUESDAY)
    journey = plan(feed, "X", "S", at(TUESDAY, 7, 55))
    assert arrival_and_rides(journey) == (dt.time(8, 5), ["R1_0801_express"])


def test_a_negative_transfer_limit_is_refused(shenzhen: TransitFeed) -> None:
    with pytest.raises(ValueError, match="max_transfers"):
        plan(shenzhen, "luohu", "guomao", at(TUESDAY, 8), max_transfers=-1)


def test_a_journey_with_fewer_changes_wins_unless_the_other_is_much_earlier(
    shenzhen: TransitFeed,
) -> None:
    leave = dt.datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    fastest = plan(shenzhen, "shekougang", "huaqiangbei", leave)
    easiest = plan(shenzhen, "shekougang", "huaqiangbei", leave, change_penalty_s=CHANGE_PENALTY_S)
    assert fastest is not None and easiest is not None
    assert len(fastest.legs) > 1 and len(easiest.legs) == 1  # Line 2 all the way
    saved = len(fastest.legs) - len(easiest.legs)
    assert easiest.arrival - fastest.arrival <= saved * dt.timedelta(seconds=CHANGE_PENALTY_S)
    # A bigger penalty cannot do better than no change at all.
    patient = plan(shenzhen, "shekougang", "huaqiangbei", leave, change_penalty_s=3600)
    assert patient is not None and patient.arrival == easiest.arrival


def test_to_arrive_by_nine_the_last_connection_that_makes_it_is_taken(
    shenzhen: TransitFeed,
) -> None:
    nine = at(TUESDAY, 9)
    journey = arrive_by(shenzhen, "luohu", "shenzhenbeizhan", nine)
    assert journey is not None and journey.arrival <= nine
    # Leaving a few minutes later no longer makes it.
    later = plan(shenzhen, "luohu", "shenzhenbeizhan", journey.departure + dt.timedelta(minutes=4))
    assert later is not None and later.arrival > nine
    assert_consistent(shenzhen, journey, "luohu", "shenzhenbeizhan", journey.departure)


def test_the_last_connection_of_a_day_is_the_last_journey_that_leaves_that_day(
    shenzhen: TransitFeed,
) -> None:
    # No line runs from Dayun (Line 3) to Futian Checkpoint (Line 4): a change is needed.
    journey = last_connection(shenzhen, "dayun", "futiankouan", TUESDAY)
    assert journey is not None and journey.legs and len(journey.legs) > 1
    # A minute later nothing leaves that still gets there the same night.
    later = plan(shenzhen, "dayun", "futiankouan", journey.departure + dt.timedelta(minutes=1))
    assert later is None
    assert_consistent(shenzhen, journey, "dayun", "futiankouan", journey.departure)


def test_nothing_arrives_before_the_first_train_of_the_day(shenzhen: TransitFeed) -> None:
    assert arrive_by(shenzhen, "luohu", "shenzhenbeizhan", at(TUESDAY, 5)) is None


# A commuter bus X -> S1 -> Y whose stop S1 in town is drop-off only on the way out
# (pickup_type 1), and Y -> S1 -> X whose S1 is pickup only on the way in (drop_off_type 1).
COMMUTER_TIMES = """trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type
R1_0800,08:00:00,08:00:00,X,1,0,1
R1_0800,08:10:00,08:10:00,S1,2,1,0
R1_0800,08:20:00,08:20:00,Y,3,1,0
R2_0820,08:20:00,08:20:00,Y,1,0,1
R2_0820,08:30:00,08:30:00,S1,2,0,1
R2_0820,08:40:00,08:40:00,X,3,1,0
"""
COMMUTER_TRIPS = "route_id,service_id,trip_id\nR1,WD,R1_0800\nR2,WD,R2_0820\n"


def commuter() -> TransitFeed:
    return tiny_network(stop_times=COMMUTER_TIMES, trips=COMMUTER_TRIPS)


def test_pickup_and_drop_off_types_are_read_per_call() -> None:
    calls = commuter().stop_times["R1_0800"]
    assert [(c.pickup, c.drop_off) for c in calls] == [(True, False), (False, True), (False, True)]


def test_no_ride_ends_where_riders_may_not_get_off() -> None:
    feed = commuter()
    # Y -> S1 on R2: S1 is pickup only that way, so no ride there at all that morning
    assert plan(feed, "Y", "S", at(TUESDAY, 8, 0)) is None
    # X -> S1 on R1 is fine: S1 lets riders off on the way in
    assert arrival_and_rides(plan(feed, "X", "S", at(TUESDAY, 7, 50))) == (
        dt.time(8, 10),
        ["R1_0800"],
    )


def test_no_ride_starts_where_riders_may_not_board() -> None:
    feed = commuter()
    # S1 -> Y on R1: S1 is drop-off only that way
    assert plan(feed, "S", "Y", at(TUESDAY, 8, 0)) is None
    # S1 -> X on R2 boards where it may
    assert arrival_and_rides(plan(feed, "S", "X", at(TUESDAY, 8, 0))) == (
        dt.time(8, 40),
        ["R2_0820"],
    )


def test_a_stop_where_riders_may_only_get_off_shows_no_departure() -> None:
    from actions.clients.gtfs.queries import departures

    leaving = departures(commuter(), "S1", TUESDAY, 7 * 3600)
    assert [d.trip.trip_id for d in leaving] == ["R2_0820"]
