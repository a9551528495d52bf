"""Riders name stations loosely, in Chinese or English; the matcher finds the one they mean.

Both the sandbox's Shenzhen Metro feed (Chinese names, English translations, one platform per
line) and Google's "Demo Transit Authority" sample (English, bus stops, "(Demo)" notes) are
matched with the same code: nothing in it knows about either city.
"""

from __future__ import annotations

import pytest

from actions.clients.gtfs import TransitFeed, parse_feed, parse_zip, read_feed
from actions.transit.stops import (
    MatchKind,
    StopIndex,
    StopMention,
    find_stops_in_text,
    from_and_to,
    match_stop,
)
from tests.factories.gtfs import SAMPLE_FEED, shenzhen_zip, tiny_feed


@pytest.fixture(scope="module")
def shenzhen_feed() -> TransitFeed:
    return parse_zip(shenzhen_zip())


@pytest.fixture(scope="module")
def shenzhen(shenzhen_feed: TransitFeed) -> StopIndex:
    return StopIndex.for_feed(shenzhen_feed)


@pytest.fixture(scope="module")
def sample() -> StopIndex:
    return StopIndex.for_feed(read_feed(SAMPLE_FEED))


def _exact(index: StopIndex, query: str) -> str:
    match = match_stop(index, query)
    assert match.kind is MatchKind.EXACT, (query, match)
    assert match.stop is not None
    return match.stop.stop_id


def _candidates(index: StopIndex, query: str) -> list[str]:
    match = match_stop(index, query)
    assert match.kind is MatchKind.AMBIGUOUS, (query, match)
    return [stop.stop_id for stop in match.stops]


def _mentions(index: StopIndex, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.stop.stop_id) for m in find_stops_in_text(index, text)]


def _ends(index: StopIndex, text: str) -> tuple[str | None, str | None]:
    ends = from_and_to(text, find_stops_in_text(index, text))
    origin, destination = (end.stop.stop_id if end else None for end in ends)
    return origin, destination


# --- match_stop on the Shenzhen Metro ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "station_id"),
    [
        ("车公庙", "chegongmiao"),
        ("Chegongmiao", "chegongmiao"),
        ("罗湖站", "luohu"),
        ("罗湖地铁站", "luohu"),
        ("luohu station", "luohu"),
        ("LUOHU", "luohu"),
        ("ＬＵＯＨＵ", "luohu"),
        ("Bao'an", "baoan"),
        ("baoan", "baoan"),
    ],
)
def test_a_station_is_found_by_its_name_in_either_language_any_case_or_width(
    shenzhen: StopIndex, query: str, station_id: str
) -> None:
    assert _exact(shenzhen, query) == station_id


@pytest.mark.parametrize(
    ("query", "station_id"),
    [
        ("深圳北", "shenzhenbeizhan"),
        ("Shenzhen North", "shenzhenbeizhan"),
        ("Shenzhen North Railway Station", "shenzhenbeizhan"),
        ("Window", "shijiezhichuang"),
        ("Sea", "haishangshijie"),
        ("罗湖口岸", "luohu"),
    ],
)
def test_part_of_a_name_or_a_name_with_extra_words_finds_the_station(
    shenzhen: StopIndex, query: str, station_id: str
) -> None:
    assert _exact(shenzhen, query) == station_id


def test_a_whole_name_wins_over_longer_names_containing_it(shenzhen: StopIndex) -> None:
    assert _exact(shenzhen, "Airport") == "jichang"  # not Airport East or Airport North
    assert _exact(shenzhen, "福田") == "futian"  # not 福田口岸


@pytest.mark.parametrize(
    ("query", "station_id"),
    [("車公廟", "chegongmiao"), ("羅湖", "luohu"), ("會展中心", "huizhanzhongxin")],
)
def test_traditional_characters_find_the_simplified_name(
    shenzhen: StopIndex, query: str, station_id: str
) -> None:
    assert _exact(shenzhen, query) == station_id


@pytest.mark.parametrize(
    ("query", "station_id"),
    [
        ("Chegongmaio", "chegongmiao"),
        ("Shenzen North", "shenzhenbeizhan"),
        ("Luohoo", "luohu"),
        ("Futain", "futian"),
        ("Sea Wrold", "haishangshijie"),
    ],
)
def test_a_few_typing_mistakes_are_forgiven(
    shenzhen: StopIndex, query: str, station_id: str
) -> None:
    assert _exact(shenzhen, query) == station_id


def test_a_station_served_by_several_lines_is_one_answer_and_never_a_platform(
    shenzhen: StopIndex, shenzhen_feed: TransitFeed
) -> None:
    assert len(shenzhen_feed.children["futian"]) > 1
    match = match_stop(shenzhen, "Futian")
    assert match.kind is MatchKind.EXACT
    assert [s.stop_id for s in match.stops] == ["futian"]
    assert match.stops[0].is_station


def test_a_platform_name_resolves_to_its_station() -> None:
    feed = parse_feed(tiny_feed())  # 甲站 is a station with platform A1, also named 甲站
    assert _exact(StopIndex.for_feed(feed), "甲站") == "A"
    assert _exact(StopIndex.for_feed(feed), "Jia") == "A"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Shenzhen", ["shenzhenbeizhan", "shenda"]),
        ("莲花", ["lianhuaxi", "lianhuacun", "lianhuabei"]),
        ("Qiaocheng", ["qiaochengdong", "qiaochengbei"]),
        ("Shenzen", ["shenzhenbeizhan", "shenda"]),
    ],
)
def test_a_name_several_stations_share_is_ambiguous_with_the_best_first(
    shenzhen: StopIndex, query: str, expected: list[str]
) -> None:
    assert _candidates(shenzhen, query) == expected


def test_an_ambiguous_answer_offers_at_most_five_stations(shenzhen: StopIndex) -> None:
    assert len(_candidates(shenzhen, "North")) == 5


@pytest.mark.parametrize(
    ("query", "suggested"), [("罗胡", "luohu"), ("Luhoo", "luohu"), ("车公妙", "chegongmiao")]
)
def test_a_name_too_far_from_any_station_is_none_with_the_closest_suggested(
    shenzhen: StopIndex, query: str, suggested: str
) -> None:
    match = match_stop(shenzhen, query)
    assert match.kind is MatchKind.NONE and match.stops == ()
    assert 1 <= len(match.suggestions) <= 3
    assert match.suggestions[0].stop_id == suggested


@pytest.mark.parametrize(
    "query",
    ["hello", "我要投诉", "你好", "weather", "complaint", "information", "the", "taxi", "大学生"],
)
def test_ordinary_words_are_not_stations(shenzhen: StopIndex, query: str) -> None:
    assert match_stop(shenzhen, query).kind is MatchKind.NONE


def test_a_complaint_in_chinese_suggests_nothing(shenzhen: StopIndex) -> None:
    assert match_stop(shenzhen, "我要投诉").suggestions == ()


@pytest.mark.parametrize("query", ["", "  ", "福", "湖", "Lu", "a"])
def test_one_han_character_or_two_letters_match_only_a_whole_name(
    shenzhen: StopIndex, query: str
) -> None:
    match = match_stop(shenzhen, query)
    assert match.kind is MatchKind.NONE and match.suggestions == ()


# --- match_stop on the Demo Transit Authority ----------------------------------------------


@pytest.mark.parametrize(
    ("query", "stop_id"),
    [
        ("Bullfrog (Demo)", "BULLFROG"),
        ("bullfrog", "BULLFROG"),
        ("AMARGOSA VALLEY", "AMV"),
        ("Airport", "BEATTY_AIRPORT"),
        ("Nye County", "BEATTY_AIRPORT"),
        ("Stagecoach", "STAGECOACH"),
        ("Furnace Creek", "FUR_CREEK_RES"),
        ("Main St", "EMSI"),
        ("Amargosa Vally", "AMV"),
        ("Bulfrog", "BULLFROG"),
        ("Stagecoach Hotle", "STAGECOACH"),
    ],
)
def test_the_sample_feeds_stops_are_found_whole_in_part_or_misspelt(
    sample: StopIndex, query: str, stop_id: str
) -> None:
    assert _exact(sample, query) == stop_id


def test_two_sample_stops_on_the_same_avenue_are_ambiguous(sample: StopIndex) -> None:
    assert _candidates(sample, "North Ave") == ["NADAV", "NANAA"]


def test_an_unknown_sample_stop_suggests_the_nearest_name(sample: StopIndex) -> None:
    match = match_stop(sample, "Furnace Lake")
    assert match.kind is MatchKind.NONE
    assert [s.stop_id for s in match.suggestions] == ["FUR_CREEK_RES"]


@pytest.mark.parametrize("query", ["hello", "Shenzhen North", "罗湖", "Demo"])
def test_names_from_elsewhere_are_not_sample_stops(sample: StopIndex, query: str) -> None:
    assert match_stop(sample, query).kind is MatchKind.NONE


# --- find_stops_in_text ----------------------------------------------------------------------


def test_stations_in_a_chinese_message_come_with_their_offsets(shenzhen: StopIndex) -> None:
    text = "从罗湖到深圳北"
    mentions = find_stops_in_text(shenzhen, text)
    assert [(m.start, m.end, m.stop.stop_id) for m in mentions] == [
        (1, 3, "luohu"),
        (4, 7, "shenzhenbeizhan"),
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_names_are_found_with_or_without_the_station_word(shenzhen: StopIndex) -> None:
    assert _mentions(shenzhen, "罗湖到福田多少钱") == [("罗湖", "luohu"), ("福田", "futian")]
    assert _mentions(shenzhen, "我想去深圳北站") == [("深圳北站", "shenzhenbeizhan")]
    assert _mentions(shenzhen, "Shenzhen North Station to OCT") == [
        ("Shenzhen North Station", "shenzhenbeizhan"),
        ("OCT", "huaqiaocheng"),
    ]


def test_traditional_text_keeps_its_own_offsets_and_the_longest_name_wins(
    shenzhen: StopIndex,
) -> None:
    assert _mentions(shenzhen, "從羅湖站到福田口岸") == [
        ("羅湖站", "luohu"),
        ("福田口岸", "futiankouan"),
    ]


def test_stations_in_an_english_message_come_with_their_offsets(shenzhen: StopIndex) -> None:
    text = "How do I get to Shenzhen North from Gangxia?"
    mentions = find_stops_in_text(shenzhen, text)
    assert [(m.start, m.end, m.stop.stop_id) for m in mentions] == [
        (16, 30, "shenzhenbeizhan"),
        (36, 43, "gangxia"),
    ]


def test_full_width_letters_map_back_to_the_original_characters(shenzhen: StopIndex) -> None:
    assert _mentions(shenzhen, "ＬＵＯＨＵ to Futian") == [
        ("ＬＵＯＨＵ", "luohu"),
        ("Futian", "futian"),
    ]


def test_an_english_name_is_only_found_as_whole_words(shenzhen: StopIndex) -> None:
    assert _mentions(shenzhen, "Is there a discount in October?") == []
    assert _mentions(shenzhen, "take me to the airport") == [("airport", "jichang")]


def test_a_message_without_stations_has_no_mentions(shenzhen: StopIndex) -> None:
    assert _mentions(shenzhen, "我要投诉噪音") == []
    assert _mentions(shenzhen, "") == []


def test_sample_stops_are_found_in_text_with_their_bracketed_note(sample: StopIndex) -> None:
    assert _mentions(sample, "from Bullfrog to the Stagecoach Hotel & Casino") == [
        ("Bullfrog", "BULLFROG"),
        ("Stagecoach Hotel & Casino", "STAGECOACH"),
    ]
    assert _mentions(sample, "bullfrog to amargosa valley (demo)?") == [
        ("bullfrog", "BULLFROG"),
        ("amargosa valley (demo)", "AMV"),
    ]


# --- from_and_to -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "origin", "destination"),
    [
        ("从罗湖到深圳北", "luohu", "shenzhenbeizhan"),
        ("罗湖到福田多少钱", "luohu", "futian"),
        ("從羅湖去福田", "luohu", "futian"),
        ("从罗湖坐地铁到福田要多久", "luohu", "futian"),
        ("去福田，从罗湖出发", "luohu", "futian"),
        ("罗湖 福田 票价", "luohu", "futian"),
        ("行去罗湖站搭地铁去福田", "luohu", "futian"),  # walk to one, ride to the other
        ("去福田", None, "futian"),
        ("罗湖有哪些线路", None, None),
    ],
)
def test_origin_and_destination_follow_chinese_word_order_and_markers(
    shenzhen: StopIndex, text: str, origin: str | None, destination: str | None
) -> None:
    assert _ends(shenzhen, text) == (origin, destination)


@pytest.mark.parametrize(
    ("text", "origin", "destination"),
    [
        ("from Luohu to Futian", "luohu", "futian"),
        ("to Shenzhen North from Gangxia", "gangxia", "shenzhenbeizhan"),
        ("Luohu to Futian", "luohu", "futian"),
        ("how do I get to Futian", None, "futian"),
        ("I want to know the fare, Luohu Futian", "luohu", "futian"),
        ("I'll walk to Luohu and take the train to Futian", "luohu", "futian"),
    ],
)
def test_origin_and_destination_follow_english_word_order_and_markers(
    shenzhen: StopIndex, text: str, origin: str | None, destination: str | None
) -> None:
    assert _ends(shenzhen, text) == (origin, destination)


@pytest.mark.parametrize(
    "text", ["from Bullfrog to Amargosa Valley", "to Amargosa Valley (Demo) from Bullfrog"]
)
def test_origin_and_destination_in_the_sample_feed(sample: StopIndex, text: str) -> None:
    assert _ends(sample, text) == ("BULLFROG", "AMV")


def test_no_mentions_mean_no_origin_or_destination() -> None:
    assert from_and_to("hello", []) == (None, None)


def test_mentions_may_come_in_any_order(shenzhen: StopIndex) -> None:
    text = "from Luohu to Futian"
    luohu, futian = find_stops_in_text(shenzhen, text)
    assert from_and_to(text, [futian, luohu]) == (luohu, futian)
    assert isinstance(luohu, StopMention)


# --- the index -------------------------------------------------------------------------------


def test_the_index_is_built_once_per_feed(shenzhen_feed: TransitFeed, shenzhen: StopIndex) -> None:
    assert StopIndex.for_feed(shenzhen_feed) is shenzhen
    assert StopIndex.for_feed(parse_feed(tiny_feed())) is not shenzhen


def test_a_different_first_letter_is_a_different_place_not_a_typo(shenzhen: StopIndex) -> None:
    assert match_stop(shenzhen, "Longgang").kind is not MatchKind.EXACT  # not Songgang
    assert _exact(shenzhen, "Songang") == "songgang"  # a letter left out is still a typo


@pytest.mark.parametrize(
    ("typed", "station"),
    [
        ("Huaqiangbei", "huaqiangbei"),  # the feed says "Huaqiang North"
        ("hua qiang bei", "huaqiangbei"),
        ("Dayun", "dayun"),  # the feed says "Universiade"
        ("chegongmiao", "chegongmiao"),
    ],
)
def test_a_chinese_name_spelt_in_pinyin_is_the_station(
    shenzhen: StopIndex, typed: str, station: str
) -> None:
    assert _exact(shenzhen, typed) == station


def test_a_pinyin_spelling_is_matched_whole_never_loosely(shenzhen: StopIndex) -> None:
    # "shen zhen bei" is one letter from "Shenzhen Bay" but is not what was written.
    assert match_stop(shenzhen, "Shenzhen Bay").kind is MatchKind.NONE


def test_sharing_only_the_citys_name_is_no_match(shenzhen: StopIndex) -> None:
    # Shenzhen Bay Port is not on the sample network; Shenzhen University and Shenzhen
    # North share only "Shenzhen" with it, and are offered, not taken.
    assert match_stop(shenzhen, "Shenzhen Bay").kind is MatchKind.NONE
    assert _exact(shenzhen, "Shenzhen Nroth") == "shenzhenbeizhan"


def test_where_something_starts_is_gone_to_and_where_we_will_be_is_left_from() -> None:
    from actions.transit.stops import role_from_words

    # "My mom has a follow up at Tampa General at 7:30 … we'll be at the Marion Transit
    # Center downtown": read the other way round, the trip went home from the hospital.
    assert role_from_words("My mom has a follow up at ", " at 7:30 and") == "destination"
    assert role_from_words("and we'll be at the ", " downtown and she walks slow") == "origin"
    assert role_from_words("I need to be at ", " by 9") == "destination"
