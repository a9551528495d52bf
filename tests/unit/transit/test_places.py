"""A stop entity that covers only "station" / "站" is widened to the name before it."""

from __future__ import annotations

import pytest

from actions.clients.gtfs import TransitFeed, parse_zip
from actions.transit.places import framed_name, places_in, widened
from actions.transit.stops import MatchKind, StopIndex
from tests.factories.gtfs import shenzhen_zip


@pytest.fixture(scope="module")
def feed() -> TransitFeed:
    return parse_zip(shenzhen_zip())


@pytest.fixture(scope="module")
def index(feed: TransitFeed) -> StopIndex:
    return StopIndex.for_feed(feed)


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def only_station_marked(text: str) -> dict:
    """The parse when the model marked only the word "station" as the stop."""
    start, end = span_of(text, "station")
    entity = {"entity": "stop", "value": "station", "start": start, "end": end}
    return {"text": text, "entities": [entity]}


@pytest.mark.parametrize(
    ("text", "marked", "name"),
    [
        ("next train at Hogwarts station", "station", "Hogwarts station"),
        ("when is the next metro at Chegongmiao stop?", "stop", "Chegongmiao stop"),
        ("下一班车 霍格沃茨站 几点", "站", "霍格沃茨站"),
        ("去霍格沃茨地铁站怎么走", "地铁站", "霍格沃茨地铁站"),
        ("去站", "站", "站"),  # only a verb before it
        ("next train at the station", "station", "station"),  # no name before it
        ("station", "station", "station"),
        ("next train at Hogwarts", "Hogwarts", "Hogwarts"),  # a name: left as it is
    ],
)
def test_only_a_generic_station_word_is_widened(text: str, marked: str, name: str) -> None:
    start, end = widened(text, *span_of(text, marked))
    assert text[start:end] == name


def test_a_known_station_marked_only_as_station_is_still_found(
    feed: TransitFeed, index: StopIndex
) -> None:
    [place] = places_in(feed, index, only_station_marked("next train at Chegongmiao station")).all
    assert place.match.kind is MatchKind.EXACT and place.station.stop_id == "chegongmiao"


def test_an_unknown_station_is_named_back_with_its_name(
    feed: TransitFeed, index: StopIndex
) -> None:
    [place] = places_in(feed, index, only_station_marked("next train at Hogwarts station")).all
    assert place.query == "Hogwarts station" and place.station is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("next train at Hogwarts station", "Hogwarts station"),
        ("when does the bus leave from diagon alley stop", "diagon alley stop"),
        ("how do I get to the Narnia station", "Narnia station"),
        ("next bus at the bus stop", None),  # says which stop without naming one
        ("next train at this station", None),
        ("next train at the station", None),
        ("下一班车站几点", None),  # Chinese: the model's and the feed's names only
    ],
)
def test_a_place_framed_as_at_name_station_is_found_without_the_model(
    text: str, name: str | None
) -> None:
    span = framed_name(text)
    assert (text[span[0] : span[1]] if span else None) == name


def test_an_unknown_station_the_model_did_not_mark_is_still_named_back(
    feed: TransitFeed, index: StopIndex
) -> None:
    message = {"text": "next train at Hogwarts station", "entities": []}
    [place] = places_in(feed, index, message).all
    assert place.query == "Hogwarts station" and place.station is None


def test_a_known_station_is_found_by_the_feed_not_the_frame(
    feed: TransitFeed, index: StopIndex
) -> None:
    message = {"text": "next train at Chegongmiao station", "entities": []}
    [place] = places_in(feed, index, message).all
    assert place.station is not None and place.station.stop_id == "chegongmiao"


def test_a_sentence_word_the_model_took_for_a_stop_is_no_place(
    feed: TransitFeed, index: StopIndex
) -> None:
    text = "ok how long would that take going round via line 5"
    start, end = span_of(text, "via")
    entity = {"entity": "stop", "value": "via", "start": start, "end": end}
    assert places_in(feed, index, {"text": text, "entities": [entity]}).all == ()


@pytest.mark.parametrize(
    "text",
    ["staying near chegongmiao, 9am flight out of bao'an airport", "从车公庙去宝安机场怎么坐"],
)
def test_a_city_named_before_its_airport_is_the_airport(
    feed: TransitFeed, index: StopIndex, text: str
) -> None:
    """Bao'an is a station and the airport is "Bao'an airport": the airport is meant."""
    words = "bao'an" if "bao'an" in text else "宝安"
    start, end = span_of(text, words)
    entity = {"entity": "stop", "value": words, "start": start, "end": end}
    places = places_in(feed, index, {"text": text, "entities": [entity]})
    assert places.destination is not None
    assert places.destination.station is not None
    assert places.destination.station.name == "机场"
    assert all(p.station is None or p.station.name != "宝安" for p in places.all)


def test_two_stations_side_by_side_are_still_two(feed: TransitFeed, index: StopIndex) -> None:
    places = places_in(feed, index, {"text": "罗湖 福田 票价", "entities": []})
    assert [p.station.name for p in places.all if p.station] == ["罗湖", "福田"]
