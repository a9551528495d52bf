"""Lines called by colour or by the number inside their code, on São Paulo's real feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.clients.gtfs.loading import read_feed
from actions.clients.gtfs.model import Route, TransitFeed
from actions.transit.asked import number_within, routes_named
from actions.transit.line_colours import colour_of

FEEDS = Path(__file__).resolve().parents[2] / "data" / "gtfs"


@pytest.fixture(scope="module")
def sao_paulo() -> TransitFeed:
    return read_feed(FEEDS / "sao-paulo")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("要坐红线去Sé那边", "METRÔ L3"),  # Linha Vermelha, #EE372F
        ("the blue line (linha azul)", "METRÔ L1"),
        ("4号线是黄色那条对吧", "METRÔ L4"),
        ("hey does the silver line run now", "METRÔ 15"),  # the monorail, #C0C0C0
        ("linha lilás até Capão Redondo", "METRÔ L5"),
    ],
)
def test_a_metro_line_is_found_by_its_colour(sao_paulo: TransitFeed, text: str, line: str) -> None:
    # CPTM's coral Line 11 is reddish too: the metro's lines are the ones called by colour
    assert [route.short_name for route in routes_named(sao_paulo, text)] == [line]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("請問9號線往哪個方向", "CPTM L09"),
        ("line 15 from vila prudente", "METRÔ 15"),
        ("请问2161公交车下一班", "2161-10"),
        ("is the 6450 bus still running", "6450-51"),
    ],
)
def test_a_line_is_found_by_the_number_inside_its_code(
    sao_paulo: TransitFeed, text: str, line: str
) -> None:
    assert [route.short_name for route in routes_named(sao_paulo, text)] == [line]


def test_a_colour_said_of_something_else_names_no_line(sao_paulo: TransitFeed) -> None:
    assert routes_named(sao_paulo, "a red car has been parked here for weeks") == []


def test_codes_that_are_their_own_names_keep_them() -> None:
    assert number_within("A44") is None and number_within("12") is None
    assert number_within("METRÔ L4") == "4" and number_within("2161-10") == "2161"


def test_colours_are_read_from_route_color() -> None:
    def route(colour: str) -> Route:
        return Route("r", "a", "1", "", 1, color=colour)

    assert [colour_of(route(c)) for c in ("EE372F", "0455A1", "C0C0C0", "", "xyz")] == [
        "red", "blue", "silver", None, None,
    ]  # fmt: skip


def test_a_line_called_by_its_colour_is_no_station_the_model_marked(
    sao_paulo: TransitFeed,
) -> None:
    from actions.transit.places import places_in
    from actions.transit.stops import StopIndex

    text = "那有沒有黃線可以坐"
    start = text.index("黃線")
    message = {
        "text": text,
        "entities": [{"entity": "stop", "value": "黃線", "start": start, "end": start + 2}],
    }
    assert not places_in(sao_paulo, StopIndex.for_feed(sao_paulo), message).all


@pytest.mark.parametrize(
    "text", ["L3 係咪一個鐘先得一班？", "and the L3 to Suyeong tomorrow", "l03?"]
)
def test_a_line_called_l_and_its_number_is_that_numbered_line(text: str) -> None:
    # As Spain, Catalonia and France write their lines ("L9", "L4"); Busan's feed calls
    # its lines "3", "4".
    busan = read_feed(FEEDS / "busan-metro")
    assert [route.short_name for route in routes_named(busan, text)] == ["3"]
