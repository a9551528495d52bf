"""The network's own name is no place and no line: "the next harbour liner from X"."""

from __future__ import annotations

from actions.clients.gtfs import parse_feed
from actions.clients.gtfs.model import TransitFeed
from actions.transit.network_names import initials, network_names, network_spans
from actions.transit.places import places_in
from actions.transit.questions import unknown_line
from actions.transit.stops import StopIndex
from tests.factories.gtfs import tiny_feed

#: A made-up automated line whose two routes share the network's name, as a real one's do
#: ("Port Liner / Airport line", "Port Liner / Loop line"), with a station whose name
#: starts with the network's first word.
STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
    "A,Sannomiya,34.69,135.19,,0,\n"
    "B,Harbour Terminal,34.68,135.20,,0,\n"
    "C,Airport,34.63,135.22,,0,\n"
)
ROUTES = (
    "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    "R1,T,,Harbour Liner / Airport line,12\n"
    "R2,T,,Harbour Liner / Loop line,12\n"
)
AGENCY = (
    "agency_id,agency_name,agency_url,agency_timezone,agency_lang\n"
    "T,Bay New Transit,https://bay.example,Asia/Tokyo,ja\n"
)
TRIPS = "route_id,service_id,trip_id,trip_headsign,direction_id\nR1,WD,T1,Airport,0\n"
TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:00:00,08:00:00,A,1\nT1,08:04:00,08:04:00,B,2\nT1,08:18:00,08:18:00,C,3\n"
)


def harbour() -> TransitFeed:
    return parse_feed(
        tiny_feed(
            stops=STOPS,
            routes=ROUTES,
            agency=AGENCY,
            trips=TRIPS,
            stop_times=TIMES,
            fare_attributes=None,
            fare_rules=None,
            translations=None,
        )
    )


def message(text: str, entities: list[dict] | None = None) -> dict:
    return {"text": text, "entities": entities or []}


def test_the_operator_and_the_name_every_route_shares_name_the_network() -> None:
    assert network_names(harbour()) == ("Bay New Transit", "Harbour Liner", "BNT")


def test_the_networks_name_is_no_station() -> None:
    feed = harbour()
    places = places_in(
        feed, StopIndex.for_feed(feed), message("when's the next harbour liner from sannomiya")
    )
    assert [place.station.name for place in places.all if place.station] == ["Sannomiya"]


def test_a_station_named_after_the_first_word_is_still_found() -> None:
    feed = harbour()
    places = places_in(feed, StopIndex.for_feed(feed), message("sannomiya to harbour terminal"))
    assert places.destination is not None and places.destination.station is not None
    assert places.destination.station.name == "Harbour Terminal"


def test_the_networks_name_is_no_unknown_line() -> None:
    feed = harbour()
    text = "今天早上 harbour liner 有没有 delay?"
    start = text.index("liner")
    said = message(text, [{"entity": "route", "value": "liner", "start": start, "end": start + 5}])
    places = places_in(feed, StopIndex.for_feed(feed), said)
    assert unknown_line(feed, said, places) is None


def test_the_citys_own_name_for_its_transit_counts_in_its_parts() -> None:
    feed = harbour()
    text = "is the Harbour Line (Bay Rail) running"
    spans = network_spans(feed, StopIndex.for_feed(feed), text, ["Bay Rail (Harbour Line)"])
    assert [text[s:e] for s, e in spans] == ["Harbour Line", "Bay Rail"]


#: A commuter railway whose own stations carry its initials ("Pruszków WKD").
RAILWAY_STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
    "A,Warszawa Ochota WKD,52.22,21.0,,0,\n"
    "B,Michałowice,52.17,20.9,,0,\n"
    "C,Pruszków WKD,52.16,20.8,,0,\n"
)
RAILWAY = (
    "agency_id,agency_name,agency_url,agency_timezone,agency_lang\n"
    "T,Warszawska Kolej Dojazdowa,https://wkd.example,Europe/Warsaw,pl\n"
)


def railway() -> TransitFeed:
    return parse_feed(
        tiny_feed(
            stops=RAILWAY_STOPS,
            routes=ROUTES,
            agency=RAILWAY,
            trips=TRIPS.replace("Airport", "Pruszków WKD"),
            stop_times=TIMES,
            fare_attributes=None,
            fare_rules=None,
            translations=None,
        )
    )


def test_an_operators_initials_are_its_name_too() -> None:
    assert initials("Warszawska Kolej Dojazdowa") == "WKD"
    assert initials("Caltrain") is None and initials("Port Liner") is None


def test_initials_its_stations_carry_name_the_network_not_a_station() -> None:
    feed = railway()
    for text in ("我在Michałowice，想坐WKD去Pruszków", "next wkd from michalowice to pruszkow"):
        places = places_in(feed, StopIndex.for_feed(feed), message(text))
        assert [place.station.name for place in places.all if place.station] == [
            "Michałowice",
            "Pruszków WKD",
        ], text
