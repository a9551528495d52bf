"""Corners of streets named kind-first (Rua, Av., Calle) or kind-last (-straße, -allee)."""

from __future__ import annotations

import pytest

from actions.complaints.address import place_told
from actions.complaints.streets_local import local_corner


@pytest.mark.parametrize(
    ("text", "corner"),
    [
        (
            "早上好，Bahnhofstr和Seegefelder Str那个路口的红绿灯一直闪黄灯",
            "Bahnhofstr和Seegefelder Str那个路口",
        ),
        (
            "Rua Galvão Bueno 靠近 Rua dos Estudantes 路口那里有个大坑",
            "Rua Galvão Bueno 靠近 Rua dos Estudantes 路口",
        ),
        (
            "dead dog on the corner av. do estado x rua da figueira. smells",
            "av. do estado x rua da figueira",
        ),
        (
            "the light at Av. Rangel Pestana and Largo da Concordia in Bras is broken",
            "Av. Rangel Pestana and Largo da Concordia",
        ),
        ("Kantstraße & Goethestraße, the north corner", "Kantstraße & Goethestraße"),
        ("bache en Calle Mayor y Calle de Toledo", "Calle Mayor y Calle de Toledo"),
    ],
)
def test_two_streets_that_say_they_are_streets_make_a_corner(text: str, corner: str) -> None:
    assert local_corner(text) == corner
    assert place_told(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I walked along the river and the park",
        "via the bus and then the train",
        "the light on Rua da Gloria has been out for two weeks",  # one street: asked for more
    ],
)
def test_no_corner_without_two_streets(text: str) -> None:
    assert local_corner(text) is None


def test_a_house_number_written_in_chinese_after_a_street_named_kind_first() -> None:
    assert place_told("路灯在Rua Conselheiro Furtado 800号门口，晚上完全不亮") == (
        "Rua Conselheiro Furtado 800"
    )


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Ruppiner Str 21, the lamp post right next to our driveway", "Ruppiner Str 21"),
        ("Kantstr. 37 對面，靠近巴士站", "Kantstr. 37"),
        ("Falkenhagener Str. 12，楼门口左边", "Falkenhagener Str. 12"),
    ],
)
def test_a_german_street_with_its_number_is_a_place(text: str, place: str) -> None:
    assert place_told(text) == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("the swing at the playground in the Gutspark is broken", "Gutspark"),
        ("在Stadtpark的游乐场，秋千坏了", "Stadtpark"),
    ],
)
def test_a_park_named_as_one_word_is_a_place(text: str, place: str) -> None:
    assert place_told(text) == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ok... pothole in front of my house, rua tamandare 650", "rua tamandare 650"),
        ("av paulista 1000 has a broken light", "av paulista 1000"),
    ],
)
def test_a_street_named_kind_first_in_lower_case_with_its_number(text: str, place: str) -> None:
    assert place_told(text) == place
