"""Addresses of grid cities as residents type them (actions/complaints/streets_en.py)."""

from __future__ import annotations

import pytest

from actions.complaints.address import place_told
from actions.complaints.streets_en import street_spot


def spot(text: str) -> str | None:
    found = street_spot(text)
    return text[found[0] : found[1]] if found else None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("outside 1450 polk st, just a black tag", "1450 polk st"),
        ("24th and harrison, in front of the laundromat", "24th and harrison"),
        ("bench at the bus stop mission & 30th is smashed", "mission & 30th"),
        ("pothole on geary near 20th ave almost ate my wheel", "geary near 20th ave"),
        ("the alley behind my building, natoma st between 6th and 7th", "natoma st between 6th and 7th"),
        ("trash dumped corner 24th and mission, bags", "corner 24th and mission"),
        ("1350 Pennsylvania Ave NW", "1350 Pennsylvania Ave NW"),
        ("喺 Clement 同 6th Ave 嗰度條路爛咗個大窿", "Clement 同 6th Ave"),
        ("Stockton 街 1200 号,靠近 Pacific 那边", "Stockton 街 1200 号"),
        ("喺 Grant 同 Jackson 街口…等等", "Grant 同 Jackson 街口"),
        ("ok thx. its 1520 broadway, the wall facing the alley", "1520 broadway"),
    ],
)  # fmt: skip
def test_a_house_number_or_two_streets_is_a_spot_a_crew_can_find(text: str, address: str) -> None:
    assert spot(text) == address


@pytest.mark.parametrize(
    "text",
    [
        "its on polk near... wait",
        "3 big holes on the street",
        "i waited 20 minutes and then 2 buses came",
        "the 5th time this month",
        "me and my wife saw it",
        "call me at 5 and 6",
        "there are 2 cars and a truck",
        "first train outta 22nd st tmrw morning going south?",
        "i waited 2 days anyway",
    ],
)
def test_a_lone_street_counts_and_times_are_no_spot(text: str) -> None:
    assert spot(text) is None


def test_the_opening_report_keeps_a_lower_case_address_as_the_place() -> None:
    assert place_told("bench at the bus stop mission & 30th is smashed") == "mission & 30th"
    assert place_told("giant pothole on geary near 20th ave") == "geary near 20th ave"
    # a road kind in lower case is still a road: alone it is not specific
    assert place_told("pothole on nanhai ave") is None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("712 e 4th st southie", "712 e 4th st"),
        ("right in front of 1200 hyde park ave by the bus stop", "1200 hyde park ave"),
        ("corner of blue hill ave and warren st in front of the lot", "corner of blue hill ave and warren st"),
    ],
)  # fmt: skip
def test_directions_and_place_words_belong_to_street_names(text: str, address: str) -> None:
    assert spot(text) == address


def test_every_address_of_a_message_is_found_in_one_pass() -> None:
    from actions.complaints.service_match import without_addresses
    from actions.complaints.streets_en import street_spots

    text = "graffiti outside 1450 polk st and again at 800 kearny st"
    assert [text[s:e] for s, e in street_spots(text)] == ["1450 polk st", "800 kearny st"]
    assert without_addresses(text).split() == ["graffiti", "outside", "and", "again", "at"]
