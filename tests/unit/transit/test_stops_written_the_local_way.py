"""Stops of feeds written in German and Portuguese, named the way riders type them.

Real feeds: VBB's Havelbus extract ("Town, Stop" names with umlauts) and SPTrans's
(accents, "R.", "Pça.", "Aeroporto Guarulhos"), both in tests/data/gtfs with their sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.clients.gtfs.loading import read_feed
from actions.clients.gtfs.model import TransitFeed
from actions.transit.mentions import find_mentions
from actions.transit.stops import MatchKind, StopIndex, match_stop

FEEDS = Path(__file__).resolve().parents[2] / "data" / "gtfs"


@pytest.fixture(scope="module")
def havelbus() -> TransitFeed:
    return read_feed(FEEDS / "vbb-havelbus")


@pytest.fixture(scope="module")
def sao_paulo() -> TransitFeed:
    return read_feed(FEEDS / "sao-paulo")


def named(feed: TransitFeed, query: str) -> str | None:
    match = match_stop(StopIndex.for_feed(feed), query)
    return match.stops[0].name if match.kind is MatchKind.EXACT else None


def mentioned(feed: TransitFeed, text: str) -> list[list[str]]:
    found = find_mentions(feed, StopIndex.for_feed(feed), text)
    return [sorted(stop.name for stop in mention.stops) for mention in found]


@pytest.mark.parametrize(
    ("typed", "stop"),
    [
        ("Kaethe Kollwitz Str", "Falkensee, Käthe-Kollwitz-Str."),  # umlaut as two letters
        ("Schoenwalde Dorf", "Schönwalde (HVL), Dorf"),
        ("Dallgow Bhf", "Dallgow-Döberitz, Bahnhof"),  # first word of the town, Bhf
        ("falkensee train station", "Falkensee, Bahnhof"),
        ("hospital in Hennigsdorf", "Hennigsdorf, Krankenhaus"),  # Krankenhaus in English
        ("Gymnasium in Dallgow", "Dallgow-Döberitz, Gymnasium"),
        ("Nauen", "Nauen, Bahnhof"),  # a town alone: its station
    ],
)
def test_a_german_feeds_stops_are_found_as_riders_type_them(
    havelbus: TransitFeed, typed: str, stop: str
) -> None:
    assert named(havelbus, typed) == stop


@pytest.mark.parametrize(
    ("typed", "stop"),
    [
        ("Consolacao", "Consolação"),  # accents left off
        ("largo da concordia", "Lgo. Da Concordia"),
        ("rua silva teles 281", "R. Silva Teles, 281"),
        ("praça do correio", "Pça. Do Correio"),
        ("Guarulhos airport", "Aeroporto Guarulhos"),  # the place's word where English puts it
        ("the airport", "Aeroporto Guarulhos"),
    ],
)
def test_a_brazilian_feeds_stops_are_found_as_riders_type_them(
    sao_paulo: TransitFeed, typed: str, stop: str
) -> None:
    assert named(sao_paulo, typed) == stop


def test_a_town_before_its_stop_is_one_stop_even_with_a_typo(havelbus: TransitFeed) -> None:
    assert mentioned(havelbus, "next bus at Falkensee, Ndelitzer Str. please") == [
        ["Falkensee, Nedlitzer Str."]
    ]
    assert mentioned(havelbus, "from Falkensee, Falkenhagener to Nauen") == [
        ["Falkensee, Falkenhagener Anger", "Falkensee, Falkenhagener Forst"],
        ["Nauen, Bahnhof"],
    ]


def test_a_whole_stop_name_is_not_cut_short_by_the_words_after_it(havelbus: TransitFeed) -> None:
    assert mentioned(havelbus, "Potsdam, Eisenbahnbrücke Marquardt fare please") == [
        ["Potsdam, Eisenbahnbrücke Marquardt"]
    ]


def test_street_is_no_stops_initials(sao_paulo: TransitFeed) -> None:
    # "street" is compared as "st", the initials of "Santa Terezinha"
    assert mentioned(sao_paulo, "Water is leaking from the pipe in the street") == []


@pytest.mark.parametrize("typed", ["the station", "Bahnhof", "火车站", "Falkensee 火車站"])
def test_the_station_of_a_town_whose_buses_meet_there(havelbus: TransitFeed, typed: str) -> None:
    # Falkensee, Bahnhof is where the Havelbus lines start and end (the feed's hub)
    assert named(havelbus, typed) == "Falkensee, Bahnhof"


def test_a_metro_city_has_no_one_station(sao_paulo: TransitFeed) -> None:
    assert named(sao_paulo, "the station") is None
    assert mentioned(sao_paulo, "我在Brás火车站") == [["Brás"]]  # 火车站 ends the name


def test_a_places_railway_station_is_that_places(havelbus: TransitFeed) -> None:
    # "火车站" after a name is that place's station, not the town's
    assert mentioned(havelbus, "我现在在Finkenkrug火车站门口，想去Havelpark") == [
        ["Falkensee, Finkenkrug Bhf"],
        ["Dallgow-Döberitz, Havelpark"],
    ]
    assert mentioned(havelbus, "想坐652去火车站") == [["Falkensee, Bahnhof"]]


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("我女儿要去Dallgow的Gymnasium，坐过去要多久", "Dallgow-Döberitz, Gymnasium"),
        ("Nauen的Bahnhof", "Nauen, Bahnhof"),  # the town's own station, not Falkensee's
    ],
)
def test_a_town_and_its_stop_joined_in_chinese(havelbus: TransitFeed, text: str, stop: str) -> None:
    assert mentioned(havelbus, text) == [[stop]]


def test_a_town_named_alone_then_one_of_its_stops_is_that_stop(havelbus: TransitFeed) -> None:
    text = "next bus from the station to Schoenwalde? she lives right by Schönwalde Dorf"
    assert mentioned(havelbus, text) == [["Falkensee, Bahnhof"], ["Schönwalde (HVL), Dorf"]]


@pytest.mark.parametrize(
    ("typed", "stop"),
    [
        ("Finkenkrug火车站门口", "Falkensee, Finkenkrug Bhf"),  # not the town's station
        ("去火车站", "Falkensee, Bahnhof"),
    ],
)
def test_a_station_word_after_a_name_belongs_to_it(
    havelbus: TransitFeed, typed: str, stop: str
) -> None:
    assert named(havelbus, typed) == stop


def test_an_unknown_place_before_the_station_word_is_not_the_towns_station(
    havelbus: TransitFeed,
) -> None:
    assert named(havelbus, "波茨坦火车站") is None


def test_an_entity_on_the_station_word_is_widened_to_the_name_before_it() -> None:
    from actions.transit.places import widened

    text = "我现在在Finkenkrug火车站门口，想去Havelpark"
    start = text.index("火车站门口")
    begin, end = widened(text, start, start + len("火车站门口"))
    assert text[begin:end] == "Finkenkrug火车站门口"


def test_the_sentence_before_a_station_word_is_no_name() -> None:
    from actions.transit.places import widened

    text = "算了，那你帮我查一下火车站下一班652"
    start = text.index("火车站")
    begin, end = widened(text, start, start + 3)
    assert text[begin:end] == "火车站"


def test_the_start_of_a_stops_name_followed_by_another_name_is_not_that_stop(
    sao_paulo: TransitFeed,
) -> None:
    # "Rua José" begins "R. José Debieux, 123", but "Paulino" goes on with another street
    text = "我住Bom Retiro，Rua José Paulino 附近，行去Tiradentes站搭藍線去Jabaquara"
    assert mentioned(sao_paulo, text) == [["Tiradentes"], ["Jabaquara"]]


def test_a_towns_chinese_name_with_the_station_word_is_its_railway_station(
    havelbus: TransitFeed,
) -> None:
    from actions.transit.places import resolve

    index = StopIndex.for_feed(havelbus)
    found = resolve(havelbus, index, "波茨坦火车站")  # Potsdam's, by its Chinese name
    assert found.kind is MatchKind.EXACT and found.stops[0].name == "S Potsdam Hauptbahnhof"
    assert resolve(havelbus, index, "波茨坦").kind is MatchKind.AMBIGUOUS


@pytest.fixture(scope="module")
def valencian_names() -> TransitFeed:
    from actions.clients.gtfs.loading import parse_zip
    from tests.factories.gtfs import as_zip, tiny_feed

    # Stops named in Valencian as Alicante's tram signs name them.
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
        "A1,Sant Vicent del Raspeig,38.39,-0.52,,0,\n"
        "B,Av. Benidorm / Platja de San Joan,38.37,-0.41,,0,\n"
        "C,Universitat,38.38,-0.51,,0,\n"
        "D,Mercat,38.35,-0.48,,0,\n"
    )
    return parse_zip(as_zip(tiny_feed(stops=stops, fare_rules=None, translations=None)))


@pytest.mark.parametrize(
    ("typed", "stop"),
    [
        ("playa san juan", "Av. Benidorm / Platja de San Joan"),  # Spanish for Valencian
        ("san vicente del raspeig", "Sant Vicent del Raspeig"),
        ("the uni", "Universitat"),
        ("mercado", "Mercat"),
    ],
)
def test_a_stop_named_in_the_citys_other_language_is_found(
    valencian_names: TransitFeed, typed: str, stop: str
) -> None:
    assert named(valencian_names, typed) == stop


def test_a_stop_named_without_its_small_words_is_found_in_a_sentence(
    valencian_names: TransitFeed,
) -> None:
    assert mentioned(
        valencian_names, "ok in english: next tram from mercado to playa san juan?"
    ) == [
        ["Mercat"],
        ["Av. Benidorm / Platja de San Joan"],
    ]
