"""Replies speak the feed's own language: buses or trains, stops or stations, its examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.clients.gtfs import parse_zip
from actions.clients.gtfs.loading import read_feed
from actions.clients.gtfs.parsing import parse_feed
from actions.transit.feed_words import feed_words, mode_of, network_mode
from actions.transit.prompts import station_buttons
from tests.factories.gtfs import shenzhen_zip, tiny_feed
from tests.unit.transit.test_place_grouping import BUS_FILES

FEEDS = Path(__file__).resolve().parents[2] / "data" / "gtfs"


@pytest.mark.parametrize(
    ("route_type", "mode"),
    [(3, "bus"), (700, "bus"), (0, "tram"), (1, "metro"), (401, "metro"), (2, "rail"),
     (109, "rail"), (4, "ferry"), (1000, "ferry"), (11, "bus"), (99, "mixed")],
)  # fmt: skip
def test_route_types_are_read_as_the_modes_riders_know(route_type: int, mode: str) -> None:
    assert mode_of(route_type) == mode


def test_a_bus_feed_speaks_of_buses_and_stops_in_both_languages() -> None:
    words = feed_words(read_feed(FEEDS / "sofia-bus"))
    assert (words.vehicles("en"), words.place("en")) == ("buses", "stop")
    assert (words.vehicles("zh"), words.place("zh")) == ("公交车", "站点")
    assert words.network("en") == "The bus network"


def test_the_bundled_metro_speaks_of_trains_and_examples_from_its_busiest_stations() -> None:
    feed = parse_zip(shenzhen_zip())
    words = feed_words(feed)
    assert network_mode(feed) == "metro"
    assert words.vehicles("en") == "trains"
    assert words.example("zh") and words.example("zh") != words.example("zh", 1)
    assert {s.stop_id for s in words.examples} <= set(feed.stops)


def test_examples_come_from_the_feed_of_the_city_served() -> None:
    feed = read_feed(FEEDS / "caltrain-2017")
    words = feed_words(feed)
    assert network_mode(feed) == "mixed"  # trains and a bus shuttle
    assert all(
        example.endswith("Caltrain") for example in (words.example("en"), words.example("en", 1))
    )


def test_buttons_for_places_sharing_a_name_are_told_apart_by_their_lines() -> None:
    feed = parse_feed(tiny_feed(**BUS_FILES))
    shared = (feed.station_of("m-nb"), feed.stops["far"])
    titles = [b["title"] for b in station_buttons(feed, shared, "transit_next_departure", "en")]
    assert len(set(titles)) == 2
    assert titles[0] == "Main St & 3rd Ave (12, 40)"


@pytest.mark.parametrize(
    ("text", "lacking"),
    [
        ("坐652去火车站下一班几点", None),  # the railway station is where the bus goes
        ("幾點有車去 Falkensee 火車站", None),
        ("when's the bus to the subway station", None),
        ("去柏林的火车几点开", "rail"),
        ("which metro goes to Nauen", "metro"),
    ],
)
def test_a_station_is_a_place_to_go_not_a_mode_asked_of_a_bus_feed(
    text: str, lacking: str | None
) -> None:
    from actions.transit.feed_words import mode_the_feed_lacks

    assert mode_the_feed_lacks(read_feed(FEEDS / "sofia-bus"), text) == lacking
