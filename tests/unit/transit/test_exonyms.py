"""Chinese names for stations a feed writes in English only (actions/transit/exonyms.py).

Real feeds: Caltrain 2017 (every station "X Caltrain", two platforms each) and New York's
subway (2025 extract); the Shenzhen sample feed, whose stations have Chinese names of
their own, gains nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from actions.clients.gtfs import parse_feed
from actions.clients.gtfs.loading import DEFAULT_WALK_RADIUS_M, read_feed
from actions.clients.gtfs.model import TransitFeed
from actions.transit import exonyms
from actions.transit.exonyms import han_skeletons, latin_skeleton, lexicon
from actions.transit.mentions import find_mentions
from actions.transit.stops import StopIndex
from tests.factories.gtfs import tiny_feed
from tests.unit.transit.conftest import shared_feed

FEEDS = Path(__file__).resolve().parents[2] / "data" / "gtfs"


@cache
def feed(name: str) -> TransitFeed:
    if name == "shenzhen":
        return shared_feed(DEFAULT_WALK_RADIUS_M)
    return read_feed(FEEDS / name)


def named(name: str, text: str) -> list[tuple[str, list[str]]]:
    """(words, station names) of every stop the message names."""
    loaded = feed(name)
    mentions = find_mentions(loaded, StopIndex.for_feed(loaded), text)
    return [(m.text, sorted({stop.name for stop in m.stops})) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Standard Chinese names of places (the lexicon's names), in any Chinese script.
        (
            "山景城到旧金山，现在最早一班是几点？",
            [("山景城", ["Mt View Caltrain"]), ("旧金山", ["San Francisco Caltrain"])],
        ),
        (
            "California Ave 站而家有冇車去三藩市？",
            [
                ("California Ave 站", ["California Ave Caltrain"]),
                ("三藩市", ["San Francisco Caltrain"]),
            ],
        ),
        # A name translated word by word: Redwood City, South San Francisco.
        (
            "帕洛阿尔托去红木城",
            [("帕洛阿尔托", ["Palo Alto Caltrain"]), ("红木城", ["Redwood City Caltrain"])],
        ),
        ("南旧金山怎么去", [("南旧金山", ["So. San Francisco Caltrain Station"])]),
        # Transliterations heard: Millbrae, Sunnyvale, Burlingame, Menlo Park.
        (
            "米尔布雷到森尼韦尔",
            [("米尔布雷", ["Millbrae Caltrain"]), ("森尼韦尔", ["Sunnyvale Caltrain"])],
        ),
        ("我想买东西然后去伯灵格姆", [("伯灵格姆", ["Burlingame Caltrain"])]),
        ("門洛帕克有車嗎", [("門洛帕克", ["Menlo Park Caltrain"])]),
    ],
)
def test_caltrain_stations_are_found_by_their_chinese_names(text, expected) -> None:
    assert named("caltrain-2017", text) == expected


def test_san_jose_is_both_stations_a_short_walk_apart() -> None:
    [(words, stations)] = named("caltrain-2017", "去圣何塞")
    assert words == "圣何塞"
    assert stations == ["San Jose Caltrain Station", "San Jose Diridon Caltrain"]


def test_new_york_names_made_of_translated_words() -> None:
    assert named("nyc-subway-2025", "从时代广场去中央公园") == [
        ("时代广场", ["Times Sq-42 St"]),
        ("中央公园", ["Central Park North (110 St)"]),
    ]
    assert named("nyc-subway-2025", "到华尔街要多久") == [("华尔街", ["Wall St"])]


@pytest.mark.parametrize(
    "text",
    [
        "现在下一班去东西",  # ordinary words of characters that also spell names
        "公园里有人吗",  # a word that names a place only with another word
        "我在中心等你",
        "阿姨说下一班车要等很久",
    ],
)
def test_ordinary_chinese_names_no_station(text) -> None:
    assert named("caltrain-2017", text) == []


def test_a_feed_with_chinese_names_of_its_own_gains_none() -> None:
    assert exonyms.for_feed(feed("shenzhen")).forms == {}


def test_skeletons_hear_both_spellings_alike() -> None:
    assert latin_skeleton("Palo Alto") == "plt"
    assert "plt" in han_skeletons("帕洛阿尔托", lexicon())
    assert latin_skeleton("San Jose") in han_skeletons("圣何塞", lexicon())
    assert latin_skeleton("Lawrence") in han_skeletons("劳伦斯", lexicon())
    assert latin_skeleton("Boston") in han_skeletons("波士顿", lexicon())


def test_a_two_character_transliteration_must_sound_like_a_whole_name() -> None:
    index = exonyms.for_feed(feed("caltrain-2017"))
    assert index.heard("东西") == ()


def test_an_entity_the_model_cut_short_is_still_resolved() -> None:
    # DIET tagged "山景" of "山景城": the action resolves that alone.
    index = exonyms.for_feed(feed("caltrain-2017"))
    stations = feed("caltrain-2017").stops
    assert [stations[s].name for s in index.lookup("山景")] == ["Mt View Caltrain"]
    assert [stations[s].name for s in index.lookup("帕洛阿尔托站")] == ["Palo Alto Caltrain"]


def test_a_huge_run_of_transliteration_characters_is_heard_in_short_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A hostile message of 3,000 such characters is read window by window, never as
    # ever longer substrings (work quadratic in its length).
    index = exonyms.for_feed(feed("caltrain-2017"))
    heard: list[int] = []
    original = exonyms.ExonymIndex.heard
    monkeypatch.setattr(
        exonyms.ExonymIndex,
        "heard",
        lambda self, han: heard.append(len(han)) or original(self, han),
    )
    assert list(index.find("巴拉克" * 1000)) == []
    assert heard and max(heard) <= exonyms.MAX_HEARD_CHARS


def test_an_italian_railway_by_its_chinese_names_and_its_ruins() -> None:
    # Stations of Naples's Circumvesuviana as EAV's feed names them (a made-up extract).
    files = tiny_feed(
        stops=(
            "stop_id,stop_name,stop_lat,stop_lon\n"
            "PS,Pompei Scavi Villa dei Misteri,40.7496,14.4856\n"
            "PA,Pompei Santuario,40.7481,14.4992\n"
            "ES,Ercolano Scavi,40.8063,14.3497\n"
            "SO,Sorrento,40.6245,14.3795\n"
        ),
        routes="route_id,agency_id,route_short_name,route_long_name,route_type\nR1,T,1,,2\n",
        trips="route_id,service_id,trip_id,trip_headsign\nR1,WD,T1,Sorrento\n",
        stop_times=(
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "T1,08:00:00,08:00:00,ES,1\nT1,08:20:00,08:20:00,PS,2\n"
            "T1,08:25:00,08:25:00,PA,3\nT1,09:00:00,09:00:00,SO,4\n"
        ),
        fare_rules=None,
    )
    loaded = parse_feed(files)
    index = StopIndex.for_feed(loaded)

    def found(text: str) -> list[list[str]]:
        return [sorted(s.name for s in m.stops) for m in find_mentions(loaded, index, text)]

    # 古城 is the ruins ("Scavi", excavations), so 庞贝古城 is one of the two Pompei stations
    assert found("从索伦托去庞贝古城") == [["Sorrento"], ["Pompei Scavi Villa dei Misteri"]]
    assert found("next train to the ercolano ruins") == [["Ercolano Scavi"]]
