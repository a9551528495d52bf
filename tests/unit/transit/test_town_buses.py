"""A town's bus network: routes out from one interchange, stops named with their codes.

Modelled on Cairns (Sunbus): "City - Palm Cove", "City - Redlynch" … all leave The Pier,
riders say "into town" or "去city" for it, and stops are signed "Trinity Beach N12" or
"James Cook University - N242".
"""

from __future__ import annotations

from actions.clients.gtfs.parsing import parse_feed
from actions.transit.mentions import find_mentions
from actions.transit.stops import MatchKind, StopIndex, city_centre, match_stop
from tests.factories.gtfs import tiny_feed

STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon\n"
    "pa,The Pier Terminus Stop A,-16.9205,145.7784\n"
    "pb,The Pier Terminus Stop B,-16.9206,145.7786\n"
    "tb,Trinity Beach N12,-16.7854,145.6989\n"
    "tr,Trinity Beach Rd N220,-16.7958,145.6876\n"
    "jc,James Cook University - N242,-16.8186,145.6873\n"
    "rl,Redlynch Shopping Centre,-16.8838,145.6989\n"
    "pc,Palm Cove N1,-16.7452,145.6706\n"
    "cr,Cedar Rd (Palm Cove) - Hail and Ride Location,-16.7435,145.6682\n"
    "en,English St,-16.9300,145.7500\n"
    "e2,Scott St,-16.9310,145.7510\n"
    "e3,Lake St,-16.9320,145.7520\n"
)


def _feed(routes: dict[str, tuple[str, str]]):
    """One trip per route between its two stops."""
    trips = "route_id,service_id,trip_id\n" + "".join(f"{r},WD,t{r}\n" for r in routes)
    times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "".join(
        f"t{r},08:00:00,08:00:00,{a},1\nt{r},08:30:00,08:30:00,{b},2\n"
        for r, (a, b) in routes.items()
    )
    route_rows = "route_id,agency_id,route_short_name,route_long_name,route_type\n" + "".join(
        f"{r},T,{r},City - {r},3\n" for r in routes
    )
    return parse_feed(
        tiny_feed(
            stops=STOPS, routes=route_rows, trips=trips, stop_times=times,
            fare_attributes=None, fare_rules=None, translations=None, calendar_dates=None,
        )
    )  # fmt: skip


RADIAL = {"110": ("pa", "tb"), "111": ("pb", "tr"), "123": ("pa", "jc"), "121": ("pb", "rl")}


def test_riders_call_the_interchange_most_routes_leave_from_town() -> None:
    feed = _feed(RADIAL)
    centre = city_centre(feed)
    assert centre is not None and feed.stops[centre].name.startswith("The Pier Terminus")
    index = StopIndex.for_feed(feed)
    for said in ("town", "the city", "CBD", "市中心"):
        found = match_stop(index, said)
        assert found.kind is MatchKind.EXACT and found.stops[0].stop_id == centre


def test_a_line_between_two_ends_has_no_town_centre() -> None:
    """Caltrain's trains all run between the same two ends: neither end is "the city"."""
    line = {"L1": ("pa", "tb"), "L2": ("pa", "tb"), "L3": ("tb", "pa"), "L4": ("pb", "tb")}
    feed = _feed(line)
    assert city_centre(feed) is None
    assert match_stop(StopIndex.for_feed(feed), "town").kind is MatchKind.NONE


def test_a_stop_is_found_without_the_code_on_its_sign() -> None:
    index = StopIndex.for_feed(_feed(RADIAL))
    found = match_stop(index, "trinity beach")
    assert found.kind is MatchKind.EXACT and found.stops[0].name == "Trinity Beach N12"
    jcu = match_stop(index, "JCU")  # initials, the code left out
    assert jcu.kind is MatchKind.EXACT and jcu.stops[0].name == "James Cook University - N242"


def test_a_stop_s_own_name_wins_over_another_s_bracketed_note() -> None:
    """ "Palm Cove" is the stop Palm Cove N1, not "Cedar Rd (Palm Cove) - Hail and Ride"."""
    found = match_stop(StopIndex.for_feed(_feed(RADIAL)), "palm cove")
    assert found.kind is MatchKind.EXACT and found.stops[0].name == "Palm Cove N1"


def test_a_language_named_is_no_stop_named_for_it() -> None:
    """ "English little... bus Palm Cove": English is the language, not English St."""
    feed = _feed(RADIAL)
    index = StopIndex.for_feed(feed)
    said = [
        m.text for m in find_mentions(feed, index, "English little... bus Palm Cove what time?")
    ]
    assert said == ["Palm Cove"]
    assert [m.text for m in find_mentions(feed, index, "next bus at English St")] == ["English St"]


def test_the_word_line_names_no_line() -> None:
    """ "fine. what hours is that line open" (the phone line): no line "line" is missing."""
    from actions.transit.asked import line_references

    assert line_references("fine. what hours is that line open", ["line"]) == []
    assert line_references("is line 20 running", ["line 20"]) == ["line 20"]


def _hsl_like():
    """Helsinki's Kamppi: a bus terminal and a metro station a short walk apart, both
    "Kamppi" to riders (the metro's platforms are named so), and Sörnäinen by metro."""
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
        "bt,Kamppi (lähiliikenneterminaali),60.169006,24.931662,1,\n"
        "bt1,Kamppi,60.16912,24.932058,0,bt\n"
        "ms,Kampin metroasema,60.168842,24.931198,1,\n"
        "ms1,Kamppi,60.16883,24.931215,0,ms\n"
        "so,Sörnäinen,60.18730,24.96050,0,\n"
        "ot,Otaniemi,60.18500,24.82700,0,\n"
        "ou,Outer Rd,60.25000,25.10000,0,\n"
    )
    routes = (
        "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "M1,T,M1,Metro,1\nB1,T,110,Bus one,3\nB2,T,111,Bus two,3\n"
    )
    trips = "route_id,service_id,trip_id\nM1,WD,m\nB1,WD,b1\nB2,WD,b2\n"
    times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "m,08:00:00,08:00:00,ms1,1\nm,08:05:00,08:05:00,so,2\n"
        "b1,08:00:00,08:00:00,bt1,1\nb1,08:20:00,08:20:00,ot,2\n"
        "b2,08:00:00,08:00:00,bt1,1\nb2,08:30:00,08:30:00,ou,2\n"
    )
    return parse_feed(
        tiny_feed(
            stops=stops, routes=routes, trips=trips, stop_times=times,
            fare_attributes=None, fare_rules=None, translations=None, calendar_dates=None,
        )
    )  # fmt: skip


def test_stations_a_short_walk_apart_are_one_place_chosen_for_the_trip() -> None:
    from actions.transit.places import places_in

    feed = _hsl_like()
    index = StopIndex.for_feed(feed)
    found = match_stop(index, "Kamppi")
    assert found.kind is MatchKind.EXACT  # one place, not "which Kamppi?"
    assert found.stops[0].stop_id == "bt"  # the busiest first
    trip = places_in(feed, index, {"text": "next metro from Kamppi to Sornainen", "entities": []})
    assert trip.origin is not None and trip.origin.station.stop_id == "ms"  # the metro's
    by_mode = places_in(feed, index, {"text": "next metro at Kamppi", "entities": []})
    assert by_mode.all[0].station.stop_id == "ms"


def test_the_mode_named_picks_the_stations_lines_of_that_mode() -> None:
    from actions.transit.questions import _of_the_mode_named

    feed = _hsl_like()
    place = feed.stops["bt"]
    assert _of_the_mode_named(feed, place, "next bus at Kamppi") is None  # buses only there
    metro = feed.stops["ms"]
    assert _of_the_mode_named(feed, metro, "next metro") is None  # nothing else there
    mixed = _feed({"110": ("pa", "tb"), "111": ("pa", "tr")})
    pier = mixed.station_of("pa")
    assert _of_the_mode_named(mixed, pier, "坐地铁") is None  # no metro there: every line


def test_a_boat_asked_for_at_a_quay_with_buses_is_the_ferry() -> None:
    """Helsinki's Kauppatori: ferry 19 to Suomenlinna and several buses and trams."""
    from actions.transit.questions import _of_the_mode_named

    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "kt,Kauppatori,60.1675,24.9535\nsu,Suomenlinna,60.1450,24.9880\nop,Ooppera,60.1820,24.9310\n"
    )
    routes = (
        "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "19,T,19,Kauppatori - Suomenlinna,4\n4S,T,4S,Kauppatori - Ooppera,3\n"
    )
    trips = "route_id,service_id,trip_id\n19,WD,f\n4S,WD,b\n"
    times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "f,08:20:00,08:20:00,kt,1\nf,08:35:00,08:35:00,su,2\n"
        "b,08:00:00,08:00:00,kt,1\nb,08:20:00,08:20:00,op,2\n"
    )
    feed = parse_feed(
        tiny_feed(
            stops=stops, routes=routes, trips=trips, stop_times=times,
            fare_attributes=None, fare_rules=None, translations=None, calendar_dates=None,
        )
    )  # fmt: skip
    quay = feed.stops["kt"]
    assert _of_the_mode_named(feed, quay, "从Kauppatori坐船去芬兰堡，下一班船是几点？") == ["19"]
    assert _of_the_mode_named(feed, quay, "next departures at Kauppatori") is None
    # A feed cut at the city's edge: the ferry only arrives there. Every line, not none.
    arriving = times.replace("f,08:20:00,08:20:00,kt,1\nf,08:35:00,08:35:00,su,2\n",
                             "f,08:20:00,08:20:00,su,1\nf,08:35:00,08:35:00,kt,2\n")  # fmt: skip
    cut = parse_feed(
        tiny_feed(
            stops=stops, routes=routes, trips=trips, stop_times=arriving,
            fare_attributes=None, fare_rules=None, translations=None, calendar_dates=None,
        )
    )  # fmt: skip
    assert _of_the_mode_named(cut, cut.stops["kt"], "坐船去芬兰堡，下一班船是几点？") is None


def test_zone_fares_listed_by_the_zones_they_cover() -> None:
    """Helsinki's fares: AB covers zones A and B, BC zones B and C, ABC all three (GTFS
    ``contains_id``); a ride is priced by the cheapest fare covering its ends' zones."""
    from actions.clients.gtfs.queries import fare_between

    stops = (
        "stop_id,stop_name,stop_lat,stop_lon,zone_id\n"
        "a1,Kamppi,60.1690,24.9310,A\na2,Pasila,60.1990,24.9330,A\n"
        "b1,Oulunkylä,60.2290,24.9680,B\nc1,Tikkurila,60.2920,25.0440,C\n"
    )
    fares = (
        "fare_id,price,currency_type,payment_method,transfers,transfer_duration\n"
        "AB,2.8,EUR,0,,4800\nBC,2.8,EUR,0,,4800\nABC,4.1,EUR,0,,5400\n"
    )
    rules = (
        "fare_id,route_id,origin_id,destination_id,contains_id\n"
        "AB,,,,A\nAB,,,,B\nBC,,,,B\nBC,,,,C\nABC,,,,A\nABC,,,,B\nABC,,,,C\n"
    )
    times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,a1,1\nT1,08:10:00,08:10:00,a2,2\n"
        "T1,08:20:00,08:20:00,b1,3\nT1,08:40:00,08:40:00,c1,4\n"
    )
    trips = "route_id,service_id,trip_id\nR,WD,T1\n"
    feed = parse_feed(tiny_feed(stops=stops, stop_times=times, trips=trips, fare_attributes=fares,
                                fare_rules=rules, translations=None, calendar_dates=None))  # fmt: skip
    assert fare_between(feed, "a1", "a2", ()).fare_id == "AB"
    assert fare_between(feed, "a1", "b1", ()).fare_id == "AB"
    assert fare_between(feed, "b1", "c1", ()).fare_id == "BC"
    assert fare_between(feed, "a1", "c1", ()).fare_id == "ABC"


def test_the_last_run_of_a_frequency_based_service_is_its_last_train() -> None:
    """Helsinki's metro runs every 3 minutes until 23:40 by frequencies.txt: the last
    train is the window's last run, not the fiftieth after now."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from actions.transit.departures import last_board

    frequencies = (
        "trip_id,start_time,end_time,headway_secs,exact_times\nT1,06:00:00,23:40:00,180,1\n"
    )
    trips = "route_id,service_id,trip_id,trip_headsign,direction_id\nR,WD,T1,乙,0\n"
    times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,06:00:00,06:00:00,A1,1\nT1,06:10:00,06:10:00,B,2\n"
    )
    files = tiny_feed(
        frequencies=frequencies, trips=trips, stop_times=times, translations=None,
        calendar_dates=None,
    )  # fmt: skip
    feed = parse_feed(files)
    at = dt.datetime(2026, 3, 3, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    [board] = last_board(feed, "A", at).boards
    assert board.trains[0].scheduled.strftime("%H:%M") == "23:39"


def test_a_malls_shops_are_its_shopping_centre() -> None:
    """ "smithfield shops" is Cairns's "Smithfield Shopping Centre"."""
    from actions.transit.mentions import find_mentions

    feed = _feed(RADIAL)
    index = StopIndex.for_feed(feed)
    found = match_stop(index, "redlynch shops")
    assert found.kind is MatchKind.EXACT and found.stops[0].name == "Redlynch Shopping Centre"
    said = find_mentions(feed, index, "im at redlynch shops, latest bus back to town?")
    assert [m.stops[0].name for m in said][0] == "Redlynch Shopping Centre"
