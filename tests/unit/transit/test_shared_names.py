"""A word dozens of stops share ("wakefield" in "Riverside | École Wakefield", "Centre
Communautaire Wakefield"…) as a trip's end: the stop that gets there first."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from actions.clients.gtfs import parse_feed
from actions.transit.places import places_in
from actions.transit.questions import _settled_by_the_trip
from actions.transit.stops import MatchKind, StopIndex
from tests.factories.gtfs import tiny_feed

STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
    "G,Place Cartier,45.43,-75.71,,0,\n"
    "W1,Riverside | École Wakefield,45.64,-75.93,,0,\n"
    "W2,Centre Communautaire Wakefield,45.63,-75.92,,0,\n"
    "W3,de la Vallée de Wakefield | Riverside,45.65,-75.94,,0,\n"
)
#: Only one bus, Place Cartier to the community centre.
TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,17:24:00,17:24:00,G,1\nT1,18:13:00,18:13:00,W2,2\n"
)
TRIPS = "route_id,service_id,trip_id,trip_headsign,direction_id\nR,WD,T1,Wakefield,0\n"


def test_a_name_several_stops_share_is_the_one_the_trip_reaches() -> None:
    feed = parse_feed(
        tiny_feed(stops=STOPS, stop_times=TIMES, trips=TRIPS, fare_rules=None, translations=None)
    )
    places = places_in(
        feed, StopIndex.for_feed(feed), {"text": "from place cartier to wakefield", "entities": []}
    )
    assert places.destination is not None
    assert places.destination.match.kind is MatchKind.AMBIGUOUS
    tuesday = dt.datetime(2026, 11, 24, 16, 40, tzinfo=ZoneInfo("Asia/Shanghai"))
    origin, destination, _, stop = _settled_by_the_trip(
        feed, places.origin, places.destination, places.origin.station, None, tuesday
    )
    assert stop is not None and stop.name == "Centre Communautaire Wakefield"
    assert destination is not None and destination.station == stop
