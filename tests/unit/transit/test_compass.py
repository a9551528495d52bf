"""Directions of travel by the compass (actions/transit/compass.py)."""

from __future__ import annotations

import pytest

from actions.transit.compass import compass_asked


@pytest.mark.parametrize(
    ("text", "way"),
    [
        ("first train outta 22nd st tmrw morning going south?", "south"),
        ("is the train leaving hillsdale northbound around 8:15", "north"),
        ("next NB train pls", "north"),
        ("南行嘅車幾點", "south"),
        ("往北走的车", "north"),
        ("北上的列车", "north"),
        ("東行綫", "east"),
    ],
)
def test_a_direction_of_travel_is_read(text: str, way: str) -> None:
    assert compass_asked(text) == way


@pytest.mark.parametrize(
    "text",
    [
        "往北站怎么走",
        "深圳北站下一班",
        "Shenzhen North next train",
        "买东西下车",
        "带着行李南行李箱",
    ],
)
def test_a_place_named_for_a_direction_is_no_direction(text: str) -> None:
    assert compass_asked(text) is None
