"""Stops that a rider sees as one place are one station: both sides of a road, one interchange."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from actions.clients.gtfs.grouping import PLACE_PREFIX, group_places, name_stem
from actions.clients.gtfs.model import Stop
from actions.clients.gtfs.parsing import parse_feed
from actions.transit.departures import next_board
from actions.transit.stops import MatchKind, StopIndex, find_stops_in_text, match_stop
from tests.factories.gtfs import tiny_feed

#: A bus network without parent stations: "Main St & 3rd Ave" on both sides of the road
#: (about 30 m apart), another "Main St & 3rd Ave" in a town 20 km away, and a bus
#: interchange with two stands.
BUS_STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon\n"
    "m-nb,Main St & 3rd Ave,40.00000,-75.00000\n"
    "m-sb,Main St & 3rd Ave,40.00027,-75.00000\n"
    "far,Main St & 3rd Ave,40.18000,-75.00000\n"
    "tc-a,Transit Center Stand A,40.01000,-75.00000\n"
    "tc-b,Transit Center Stand B,40.01050,-75.00030\n"
    "park,Park Rd,40.02000,-75.00000\n"
)
BUS_FILES = {
    "agency": "agency_id,agency_name,agency_url,agency_timezone\nB,Bus Co,https://b.example,America/New_York\n",
    "stops": BUS_STOPS,
    "routes": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    "N,B,12,Northbound Twelve,3\nS,B,40,Southbound Forty,3\n",
    "trips": "route_id,service_id,trip_id\nN,WD,n1\nS,WD,s1\n",
    "stop_times": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "n1,08:19:00,08:19:00,m-nb,1\nn1,08:30:00,08:30:00,park,2\n"
    "s1,08:48:00,08:48:00,m-sb,1\ns1,08:55:00,08:55:00,tc-a,2\n",
    "calendar": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
    "start_date,end_date\nWD,1,1,1,1,1,1,1,20260101,20271231\n",
    "calendar_dates": None,
    "fare_attributes": None,
    "fare_rules": None,
    "translations": None,
    "feed_info": None,
}


def bus_feed():
    return parse_feed(tiny_feed(**BUS_FILES))


def test_both_sides_of_a_road_are_one_place_and_a_town_away_is_another():
    feed = bus_feed()
    here = feed.station_of("m-nb")
    assert here.stop_id.startswith(PLACE_PREFIX)
    assert feed.station_of("m-sb") is here
    assert feed.station_of("far").stop_id == "far"
    assert set(feed.children[here.stop_id]) == {"m-nb", "m-sb"}


def test_stands_of_one_interchange_are_one_place_named_without_the_stand():
    feed = bus_feed()
    interchange = feed.station_of("tc-a")
    assert feed.station_of("tc-b") is interchange
    assert interchange.name == "Transit Center"


def test_a_name_shared_by_two_sides_of_the_road_is_asked_about_once():
    feed = bus_feed()
    index = StopIndex.for_feed(feed)
    found = match_stop(index, "Main St & 3rd Ave")
    # One nearby place and the one in the other town: never the same stop twice.
    assert found.kind is MatchKind.AMBIGUOUS
    assert {s.stop_id for s in found.stops} == {feed.station_of("m-nb").stop_id, "far"}
    assert match_stop(index, "Transit Center").kind is MatchKind.EXACT


def test_departures_at_a_place_list_the_buses_of_both_sides():
    feed = bus_feed()
    place = feed.station_of("m-nb").stop_id
    now = dt.datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    board = next_board(feed, place, now)
    assert {group.route.short_name for group in board.boards} == {"12", "40"}
    times = sorted(t.scheduled.strftime("%H:%M") for g in board.boards for t in g.trains)
    assert times[:2] == ["08:19", "08:48"]


def test_stops_of_the_feeds_own_stations_are_left_as_the_feed_says():
    feed = parse_feed(tiny_feed())
    assert not any(s.startswith(PLACE_PREFIX) for s in feed.stops)


def test_name_stem_leaves_out_bays_stands_platforms_and_directions():
    assert name_stem("Transit Center Stand B") == "transitcenter"
    assert name_stem("Central Station Bay 12") == "central"
    assert name_stem("Oak St (NB)") == "oakst"
    assert name_stem("Oak St - Southbound") == "oakst"
    assert name_stem("火车站站台2") == "火车"


def test_grouping_keeps_stops_without_positions_apart():
    stops = {
        "a": Stop("a", "Depot", None, None),
        "b": Stop("b", "Depot", None, None),
    }
    assert group_places(stops) == stops


#: Seattle-style names (from Sound Transit's feed): a tunnel station's bays named each its
#: own way, avenues named after the station, a transit center and an acronym.
HUB_STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon\n"
    "wl-d,Westlake Station - Bay D,47.61160,-122.33720\n"
    "wl-c,Westlake Tunnel Station & Pine St - 3rd 4th & 5th Avenue - Bay C,47.61190,-122.33690\n"
    "wl-av,Westlake Ave & Olive Way,47.61400,-122.33800\n"
    "bv-tc,Bellevue Transit Center,47.61550,-122.19540\n"
    "bv-way,Bellevue Way NE & NE 4th St,47.61300,-122.20100\n"
    "uw,UW / Husky Stadium Link Station,47.64960,-122.30390\n"
    "aw,Airport Way S & S Royal Brougham Way,47.59100,-122.32700\n"
    "sea,Seatac/Airport Stn Rail & Intl Blvd S/S 176 St,47.44500,-122.29700\n"
)
HUB_FILES = {
    **BUS_FILES,
    "stops": HUB_STOPS,
    "routes": "route_id,agency_id,route_short_name,route_long_name,route_type\nL,B,Link,,0\n",
    "trips": "route_id,service_id,trip_id\nL,WD,l1\n",
    "stop_times": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "l1,08:00:00,08:00:00,wl-d,1\nl1,08:10:00,08:10:00,uw,2\n",
}


def test_bays_of_one_station_named_differently_are_one_place() -> None:
    feed = parse_feed(tiny_feed(**HUB_FILES))
    station = feed.station_of("wl-d")
    assert feed.station_of("wl-c") is station
    assert feed.station_of("wl-av").stop_id == "wl-av"  # the avenue named after it is not


def test_riders_short_names_for_stations_name_them() -> None:
    feed = parse_feed(tiny_feed(**HUB_FILES))
    index = StopIndex.for_feed(feed)
    # "airport" also fits an avenue; the station is meant
    named = (("westlake", "wl-d"), ("bellevue", "bv-tc"), ("uw", "uw"), ("airport", "sea"))
    for query, stop_id in named:
        found = match_stop(index, query)
        assert found.kind is MatchKind.EXACT, query
        assert found.stops[0].stop_id == feed.station_of(stop_id).stop_id, query


def test_a_lines_name_the_model_took_for_a_stop_is_no_place() -> None:
    from actions.transit.places import places_in

    feed = parse_feed(tiny_feed(**HUB_FILES))
    text = "next Link to UW pls"
    start = text.index("Link")
    message = {
        "text": text,
        "entities": [{"entity": "stop", "start": start, "end": start + 4, "value": "Link"}],
    }
    places = places_in(feed, StopIndex.for_feed(feed), message)
    assert [p.station.name for p in places.all if p.station] == ["UW / Husky Stadium Link Station"]
    assert len(places.all) == 1


def test_a_lines_name_found_in_stop_names_is_the_line() -> None:
    from actions.transit.places import places_in

    feed = parse_feed(tiny_feed(**HUB_FILES))
    message = {"text": "坐 Link 去 UW 下一班几点", "entities": []}
    places = places_in(feed, StopIndex.for_feed(feed), message)
    assert [p.station.name for p in places.all if p.station] == ["UW / Husky Stadium Link Station"]


def test_a_stop_code_after_the_name_is_no_part_of_the_place():
    """Cairns (Sunbus) names its stops "Cairns Base Hospital C11" and "… C12", one each
    side of the road, and "Smithfield Shopping Centre- N228"; a number of the name stays."""
    assert name_stem("Cairns Base Hospital C11") == name_stem("Cairns Base Hospital C12")
    assert name_stem("Smithfield Shopping Centre- N228") == "smithfieldshoppingcentre"
    assert name_stem("Mt Sheridan Plaza - S225") == "mtsheridanplaza"
    assert name_stem("Pier 39") == "pier39"
    assert name_stem("Highway 101") == "highway101"


def test_the_stops_around_a_shopping_centre_are_one_place():
    """Cairns Central Shopping Centre's three stops: two on one side, one on Spence St
    about 410 m from the nearer of them."""
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "c253,Cairns Central Shopping Centre C253,-16.922989,145.771593\n"
        "c88,Cairns Central Shopping Centre - C88,-16.92348,145.771687\n"
        "sp,Cairns Central Shopping Centre (Spence),-16.926828,145.773281\n"
        "park,Park Rd,40.02000,-75.00000\n"
    )
    trips = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "n1,08:19:00,08:19:00,c253,1\nn1,08:30:00,08:30:00,park,2\n"
        "s1,08:48:00,08:48:00,sp,1\ns1,08:55:00,08:55:00,c88,2\n"
    )
    feed = parse_feed(tiny_feed(**{**BUS_FILES, "stops": stops, "stop_times": trips}))
    place = feed.station_of("c253")
    assert feed.station_of("c88") is place and feed.station_of("sp") is place
    assert place.name == "Cairns Central Shopping Centre"


def test_platforms_named_for_the_way_their_trains_go_are_one_station() -> None:
    # MBTA's Blue Line as its scheduling system exports it: a platform per direction,
    # named "<station> - to <terminus>" or "<station> - Outbound", and no parent stations.
    stops = {
        s.stop_id: s
        for s in (
            Stop("70039", "Government Center - to Bowdoin", 42.359286, -71.059494),
            Stop("70040", "Government Center - to Wonderland", 42.359285, -71.059537),
            Stop("70059", "Wonderland - Outbound", 42.41342, -70.991648),
            Stop("70060", "Wonderland", 42.41342, -70.991648),
            Stop("70838", "Bowdoin - Inbound", 42.361165, -71.062397),
        )
    }
    grouped = group_places(stops)
    gov = grouped[grouped["70039"].parent_station]
    assert gov.name == "Government Center" and grouped["70040"].parent_station == gov.stop_id
    assert grouped[grouped["70059"].parent_station].name == "Wonderland"
    assert name_stem("Bowdoin - Inbound") == name_stem("Bowdoin")


def test_routes_sharing_a_short_name_are_one_line_on_the_board() -> None:
    # MBTA's Blue Line: Wonderland–Bowdoin and Orient Heights–Bowdoin, both "BL"
    routes = (
        "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "R,T,BL,Wonderland-Bowdoin (Blue Line),1\nR2,T,BL,Orient Heights - Bowdoin,1\n"
    )
    trips = "route_id,service_id,trip_id,trip_headsign,direction_id\nR,WD,T1,乙,0\nR2,WD,T2,乙,0\n"
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,A1,1\nT1,08:10:00,08:10:00,B,2\n"
        "T2,08:05:00,08:05:00,A1,1\nT2,08:15:00,08:15:00,B,2\n"
    )
    feed = parse_feed(
        tiny_feed(routes=routes, trips=trips, stop_times=stop_times, translations=None)
    )
    now = dt.datetime(2026, 11, 24, 7, 55, tzinfo=ZoneInfo("Asia/Shanghai"))
    board = next_board(feed, "A", now)
    assert len(board.boards) == 1
    assert [t.scheduled.strftime("%H:%M") for t in board.boards[0].trains] == ["08:00", "08:05"]


def test_a_station_is_found_by_the_short_forms_riders_write() -> None:
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "g,Government Center,42.3593,-71.0595\nt,Times Sq,40.7559,-73.9871\n"
        "B,Bowdoin,42.3612,-71.0624\n"
    )
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,g,1\nT1,08:05:00,08:05:00,t,2\nT1,08:10:00,08:10:00,B,3\n"
        "T2,09:00:00,09:00:00,g,1\nT2,09:10:00,09:10:00,B,2\n"
    )
    feed = parse_feed(tiny_feed(stops=stops, stop_times=stop_times, translations=None))
    index = StopIndex.for_feed(feed)
    for query in ("gov center", "govt center", "Gov Ctr"):
        assert [s.stop_id for s in match_stop(index, query).stops] == ["g"], query
    assert [s.stop_id for s in match_stop(index, "times square").stops] == ["t"]


def test_a_platforms_direction_is_no_name_of_its_station() -> None:
    # "to wonderland" is where "State - to Wonderland"'s trains go, not State.
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "s1,State - to Wonderland,42.358833,-71.057383\ns2,State - to Bowdoin,42.358918,-71.057302\n"
        "w1,Wonderland - Inbound,42.413646,-70.991561\nw2,Wonderland - Outbound,42.413637,-70.991512\n"
    )
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,s1,1\nT1,08:20:00,08:20:00,w2,2\n"
        "T2,09:00:00,09:00:00,w1,1\nT2,09:20:00,09:20:00,s2,2\n"
    )
    feed = parse_feed(tiny_feed(stops=stops, stop_times=stop_times, translations=None))
    index = StopIndex.for_feed(feed)
    found = find_stops_in_text(index, "last train state to wonderland?")
    assert [(m.text, [s.name for s in m.stops]) for m in found] == [
        ("state", ["State"]),
        ("wonderland", ["Wonderland"]),
    ]


def test_inbound_and_outbound_as_the_feeds_platforms_name_them() -> None:
    from actions.transit.compass import compass_asked, going

    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "mi,Maverick - Inbound,42.368820,-71.039831\nmo,Maverick - Outbound,42.368783,-71.039767\n"
        "B,Bowdoin,42.3612,-71.0624\nW,Wonderland,42.4136,-70.9915\n"
    )
    trips = (
        "route_id,service_id,trip_id,trip_headsign,direction_id\n"
        "R,WD,T1,Bowdoin,0\nR,WD,T2,Wonderland,1\n"
    )
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,mi,1\nT1,08:10:00,08:10:00,B,2\n"
        "T2,08:02:00,08:02:00,mo,1\nT2,08:12:00,08:12:00,W,2\n"
    )
    feed = parse_feed(tiny_feed(stops=stops, trips=trips, stop_times=stop_times, translations=None))
    now = dt.datetime(2026, 11, 24, 7, 55, tzinfo=ZoneInfo("Asia/Shanghai"))
    board = next_board(feed, feed.station_of("mi").stop_id, now)
    inbound = going(feed, board, compass_asked("next inbound train?", feed) or "")
    assert [b.headsign_in("en") for b in inbound.boards] == ["Bowdoin"]
    assert compass_asked("inbound", parse_feed(tiny_feed())) is None  # a feed that never says
