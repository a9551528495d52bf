"""A station named in part, between Chinese markers, in either script: 從X回Y, 从X回Y."""

from __future__ import annotations

import pytest

from actions.clients.gtfs import TransitFeed, parse_feed
from actions.transit.places import places_in
from actions.transit.stops import StopIndex
from tests.factories.gtfs import tiny_feed

#: Two stations of a Japanese feed, one named half in katakana (センター, "centre"), which a
#: Chinese rider writes 中心 and so can name only in part.
STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
    "A,三宮,34.69,135.19,,0,\n"
    "B,医療センター,34.66,135.21,,0,\n"
)


def two_stations() -> TransitFeed:
    return parse_feed(
        tiny_feed(
            stops=STOPS,
            stop_times="trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "T1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n",
            fare_rules=None,
            translations=None,
        )
    )


@pytest.mark.parametrize("text", ["從醫療中心回三宮", "从医疗中心回三宫", "從醫療中心到三宮"])
def test_a_station_named_in_part_before_a_marker_is_the_origin(text: str) -> None:
    feed = two_stations()
    places = places_in(feed, StopIndex.for_feed(feed), {"text": text, "entities": []})
    assert places.origin is not None and places.origin.station is not None
    assert places.origin.station.name == "医療センター"
    assert places.destination is not None and places.destination.station is not None
    assert places.destination.station.name == "三宮"


@pytest.mark.parametrize(
    "text", ["三宮 -> 医療センター", "三宮→医療センター", "三宮 => 医療センター"]
)
def test_an_arrow_between_two_stations_goes_from_one_to_the_other(text: str) -> None:
    from actions.transit.places import with_arrows_as_to

    assert len(with_arrows_as_to(text)) == len(text)  # offsets still fit
    feed = two_stations()
    places = places_in(feed, StopIndex.for_feed(feed), {"text": text, "entities": []})
    assert places.origin is not None and places.origin.query == "三宮"
    assert places.destination is not None and places.destination.station is not None
    assert places.destination.station.name == "医療センター"
