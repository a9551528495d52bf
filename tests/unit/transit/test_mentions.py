"""Stops found in a rider's own words from the feed's names, whatever the NLU saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.clients.gtfs import TransitFeed, parse_feed, parse_zip
from actions.clients.gtfs.loading import read_feed
from actions.transit.mentions import find_mentions, syllables
from actions.transit.place_words import canonical, canonical_with_offsets
from actions.transit.stops import StopIndex
from tests.factories.gtfs import SAMPLE_FEED, shenzhen_zip, tiny_feed

FEEDS = Path(__file__).resolve().parents[2] / "data" / "gtfs"


@pytest.fixture(scope="module")
def shenzhen() -> TransitFeed:
    return parse_zip(shenzhen_zip())


@pytest.fixture(scope="module")
def caltrain() -> TransitFeed:
    return read_feed(FEEDS / "caltrain-2017")


@pytest.fixture(scope="module")
def sample() -> TransitFeed:
    return read_feed(SAMPLE_FEED)


def named(feed: TransitFeed, text: str) -> list[tuple[str, list[str]]]:
    """(words, station names) per mention, in the order of the message."""
    found = find_mentions(feed, StopIndex.for_feed(feed), text)
    return [(m.text, [s.name for s in m.stops]) for m in found]


@pytest.mark.parametrize(
    ("text", "words", "station"),
    [
        ("车公妙下一班车几点", "车公妙", "车公庙"),  # IME homophone: 妙 for 庙
        ("从世界之窗到华强比坐地铁要多久", "华强比", "华强北"),  # a vowel slipped: bi for bei
        ("北站 末班", "北站", "深圳北站"),  # the one station whose name ends in 北站
        ("那从深证北站到松岗怎么走", "深证北站", "深圳北站"),  # fuzzy pinyin: zheng for zhen
        ("how do I get to Huaqiangbei", "Huaqiangbei", "华强北"),  # the name in pinyin
        ("会展下一班车几点", "会展", "会展中心"),  # shortened, and only one station fits
        ("how do I get from Luohoo to the airport", "Luohoo", "罗湖"),
        ("next train at chegongmiao station", "chegongmiao station", "车公庙"),
    ],
)
def test_a_stop_written_loosely_inside_a_sentence_is_found(
    shenzhen: TransitFeed, text: str, words: str, station: str
) -> None:
    assert (words, [station]) in named(shenzhen, text)


def test_a_name_made_of_a_number_a_street_word_and_a_suffix_is_found_whole(
    caltrain: TransitFeed,
) -> None:
    assert named(caltrain, "next train at 22nd Street please") == [
        ("22nd Street", ["22nd St Caltrain"])
    ]


def test_origin_and_destination_of_several_words_each(caltrain: TransitFeed) -> None:
    found = named(caltrain, "How do I get from San Francisco to Mountain View?")
    assert found == [
        ("San Francisco", ["San Francisco Caltrain"]),
        ("Mountain View", ["Mt View Caltrain"]),
    ]


def test_latin_names_between_chinese_markers(caltrain: TransitFeed) -> None:
    assert [w for w, _ in named(caltrain, "从Palo Alto到Millbrae怎么走")] == [
        "Palo Alto",
        "Millbrae",
    ]


def test_names_after_a_colon_or_a_dash_are_read_as_places(sample: TransitFeed) -> None:
    found = named(sample, "Need directions: Furnace Creek to Stagecoach")
    assert [w for w, _ in found] == ["Furnace Creek", "Stagecoach"]


@pytest.mark.parametrize(
    "text",
    [
        "深圳地铁今天正常吗",  # the operator's name is not a stop
        "我想落户深圳",  # sounds like 罗湖 (luo hu) but shares no character
        "how do I get to work from home",
        "Hello there, can you help me?",
        "My neighbour plays loud music every night",
        "营业执照怎么办理",
    ],
)
def test_messages_that_name_no_stop_find_none(shenzhen: TransitFeed, text: str) -> None:
    assert named(shenzhen, text) == []


def test_the_operators_name_is_not_a_stop_on_another_feed(caltrain: TransitFeed) -> None:
    assert named(caltrain, "is caltrain running normally today") == []


def test_mentions_point_into_the_residents_own_text(shenzhen: TransitFeed) -> None:
    text = "ＦＲＯＭ Luohoo TO Shenzen North?"
    mentions = find_mentions(shenzhen, StopIndex.for_feed(shenzhen), text)
    assert [text[m.start : m.end] for m in mentions] == ["Luohoo", "Shenzen North"]


def test_canonical_spelling_keeps_offsets_into_the_original() -> None:
    text = "34th Street - Herald Square & 6th Av"
    rewritten, origin = canonical_with_offsets(text)
    assert rewritten == "34 st - Herald sq  and  6 ave"
    assert len(origin) == len(rewritten)
    assert text[origin[rewritten.index("sq")] :].startswith("Square")
    assert canonical("Площадь Ленина") == canonical("пл Ленина")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Podkowa Lesna Glowna", "Podkowa Leśna Główna"),  # Polish ł has no base letter
        ("Norreport", "Nørreport"),
        ("Strasse", "Straße"),
        ("Aerogard", "Ærøgård"),
    ],
)
def test_letters_unicode_cannot_strip_are_read_as_riders_type_them(
    typed: str, written: str
) -> None:
    assert canonical(typed).casefold() == canonical(written).casefold()


def test_pinyin_is_one_toneless_syllable_per_character() -> None:
    assert syllables("车公妙") == syllables("车公庙") == ("ce", "gon", "miao")


def test_a_place_that_only_begins_like_stations_is_not_them(shenzhen: TransitFeed) -> None:
    # "Shenzhen" begins Shenzhen University and Shenzhen North Station; the place typed
    # goes on ("Bay Port"), and one letter pair away ("Bay"/"Bei") is no typo of either.
    assert named(shenzhen, "Which metro line goes to Shenzhen Bay Port?") == []
    assert named(shenzhen, "from chegongmaio to shenzhen nroth") == [
        ("chegongmaio", ["车公庙"]),
        ("shenzhen nroth", ["深圳北站"]),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("next train sf to palo alto", [["San Francisco Caltrain"], ["Palo Alto Caltrain"]]),
        (
            "whens the next train to SJ from millbrae",
            [["San Jose Diridon Caltrain", "San Jose Caltrain Station"], ["Millbrae Caltrain"]],
        ),
        ("from MV to SSF", [["Mt View Caltrain"], ["So. San Francisco Caltrain Station"]]),
        ("what about to so sf", [["So. San Francisco Caltrain Station"]]),
        ("Millbrae 到 Mtn View 要几多钱", [["Millbrae Caltrain"], ["Mt View Caltrain"]]),
        # the operator's word every name has is left out by riders, with no "from" before
        ("first train outta 22nd st going south?", [["22nd St Caltrain"]]),
        ("is the train leaving hillsdale northbound", [["Hillsdale Caltrain"]]),
    ],
)
def test_riders_initials_and_abbreviations_name_stations(
    caltrain: TransitFeed, text: str, names: list[list[str]]
) -> None:
    assert [stations for _, stations in named(caltrain, text)] == names


@pytest.mark.parametrize(
    ("text", "found"),
    [("so what time is it", []), ("i am at it", []), ("sf, ca is where i live", ["sf"])],
)
def test_short_words_are_not_initials(caltrain: TransitFeed, text: str, found: list[str]) -> None:
    # "ca" would be California Ave's initials, but it is the state
    assert [words for words, _ in named(caltrain, text)] == found


def test_a_name_several_stations_share_after_what_about_is_those_stations() -> None:
    # "ok what about Benevento then" (EAV's Naples feed has four Benevento stations).
    files = tiny_feed(
        stops=(
            "stop_id,stop_name,stop_lat,stop_lon\n"
            "B1,Benevento RFI,41.1419,14.7696\n"
            "B2,Benevento Appia,41.1200,14.7700\n"
            "CE,Caserta,41.0700,14.3300\n"
        ),
        routes="route_id,agency_id,route_short_name,route_long_name,route_type\nR1,T,1,,2\n",
        trips="route_id,service_id,trip_id,trip_headsign\nR1,WD,T1,Benevento\n",
        stop_times=(
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "T1,08:00:00,08:00:00,CE,1\nT1,08:40:00,08:40:00,B2,2\nT1,08:50:00,08:50:00,B1,3\n"
        ),
        fare_rules=None,
    )
    feed = parse_feed(files)
    [mention] = find_mentions(feed, StopIndex.for_feed(feed), "ok what about Benevento then")
    assert {stop.name for stop in mention.stops} == {"Benevento RFI", "Benevento Appia"}


def test_a_name_said_without_its_middle_words_is_that_station() -> None:
    feed = parse_feed(
        tiny_feed(
            stops="stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
            "A,Grodzisk Mazowiecki Radońska,52.10,20.63,,0,\n"
            "A1,Grodzisk Mazowiecki Okrężna,52.10,20.62,,0,\n"
            "B,Podkowa Leśna Główna,52.12,20.72,,0,\n",
            translations=None,
            fare_rules=None,
        )
    )
    text = "first train from grodzisk radonska to podkowa glowna"
    assert named(feed, text) == [
        ("grodzisk radonska", ["Grodzisk Mazowiecki Radońska"]),
        ("podkowa glowna", ["Podkowa Leśna Główna"]),
    ]
