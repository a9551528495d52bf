"""Cyrillic stop names in Latin letters (actions/transit/cyrillic.py), on Sofia's real
feed: every stop named in Bulgarian only, as a visitor types them."""

from __future__ import annotations

import pytest

from actions.transit.cyrillic import latin_forms
from actions.transit.mentions import find_mentions
from actions.transit.stops import MatchKind, StopIndex, match_stop
from tests.unit.transit.test_exonyms import feed


def test_both_official_spellings() -> None:
    assert latin_forms("Хладилен Завод") == ["Hladilen Zavod", "Khladilen Zavod"]
    assert latin_forms("Ул. Охрид") == ["Ul. Ohrid", "Ul. Okhrid"]
    assert latin_forms("Щастие") == ["Shtastie", "Shchastie"]
    assert latin_forms("Luohu") == []


@pytest.mark.parametrize(
    ("typed", "stop"),
    [("Hladilen Zavod", "Хладилен Завод"), ("khladilen zavod", "Хладилен Завод"),
     ("ul. Ohrid", "Ул. Охрид"), ("Ohrid street", "Ул. Охрид")],
)  # fmt: skip
def test_sofia_stops_typed_in_latin_letters(typed: str, stop: str) -> None:
    found = match_stop(StopIndex.for_feed(feed("sofia-bus")), typed)
    assert found.kind is MatchKind.EXACT and found.stops[0].name == stop


def test_a_trip_between_two_sofia_stops_in_latin_letters() -> None:
    sofia = feed("sofia-bus")
    text = "next bus from Hladilen Zavod to ul. Ohrid?"
    mentions = find_mentions(sofia, StopIndex.for_feed(sofia), text)
    assert [(m.text, m.stops[0].name) for m in mentions] == [
        ("Hladilen Zavod", "Хладилен Завод"),
        ("ul. Ohrid", "Ул. Охрид"),
    ]


@pytest.mark.parametrize("text", ["towards the central station pls", "由 Stochna Gara 去中央車站"])
def test_the_central_station_by_what_riders_call_it(text: str) -> None:
    sofia = feed("sofia-bus")
    mentions = find_mentions(sofia, StopIndex.for_feed(sofia), text)
    assert mentions[-1].stops[0].name == "Централна Гара"
