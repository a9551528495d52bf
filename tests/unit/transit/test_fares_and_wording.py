"""Fares from fare rules (zones or routes), the fare policy, and what riders add to questions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from actions.clients.gtfs.loading import read_feed
from actions.clients.gtfs.model import TransitFeed
from actions.transit.asked import (
    asks_for_a_direct_ride,
    routes_named,
    wants_first_departure,
    wants_last_departure,
)
from actions.transit.fares import Ride, fare_policy, journey_fare, money
from actions.transit.when import requested_time
from tests.factories.gtfs import SAMPLE_FEED

MORNING = dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def sample() -> TransitFeed:
    return read_feed(SAMPLE_FEED)


def test_a_ride_on_one_route_costs_that_routes_fare(sample: TransitFeed) -> None:
    fare = journey_fare(
        sample, "BEATTY_AIRPORT", "BULLFROG", [Ride("BEATTY_AIRPORT", "BULLFROG", "AB")]
    )
    assert fare is not None and fare.price == Decimal("1.25")


def test_rides_on_routes_with_their_own_fares_add_up(sample: TransitFeed) -> None:
    rides = [Ride("BEATTY_AIRPORT", "BULLFROG", "AB"), Ride("BULLFROG", "FUR_CREEK_RES", "BFC")]
    fare = journey_fare(sample, "BEATTY_AIRPORT", "FUR_CREEK_RES", rides)
    # Fare "p" allows no transfers (transfers=0): each ride pays it again.
    assert fare is not None and fare.price == Decimal("2.50")


def test_the_policy_gives_the_range_of_fares(sample: TransitFeed) -> None:
    policy = fare_policy(sample)
    assert policy is not None
    assert (policy.lowest, policy.highest, policy.currency) == (
        Decimal("1.25"),
        Decimal("5.25"),
        "USD",
    )
    assert not policy.by_zone


@pytest.mark.parametrize(
    ("amount", "currency", "language", "text"),
    [
        (Decimal("4"), "CNY", "en", "¥4"),
        (Decimal("4.00"), "CNY", "zh", "4 元"),
        (Decimal("1.25"), "USD", "en", "USD 1.25"),
    ],
)
def test_money_is_written_as_riders_read_it(amount, currency, language, text) -> None:
    assert money(amount, currency, language) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明早8点半出发", (25, 8, 30)),
        ("at 7:30pm", (24, 19, 30)),
        ("下午3点从福田去深圳北", (24, 15, 0)),
        ("leave at 8am", (24, 8, 0)),
        ("tomorrow at 6:05", (25, 6, 5)),
        ("罗湖到福田", None),
        ("1号线下一班", None),
    ],
)
def test_a_departure_time_in_either_language(text: str, expected) -> None:
    moment = requested_time(text, MORNING)
    assert (None if moment is None else (moment.day, moment.hour, moment.minute)) == expected


def test_first_and_last_train_are_recognised_in_both_scripts() -> None:
    assert wants_last_departure("車公廟末班車幾點") and wants_last_departure(
        "when's the last train"
    )
    assert wants_first_departure("头班车几点") and wants_first_departure("first train to Luohu")
    assert wants_last_departure("最尾一班呢")  # Cantonese: the last one
    assert wants_last_departure("whats the latest I can ride back to centennial park tonight")
    assert not wants_last_departure("next train") and not wants_first_departure("next train")


def test_lines_by_number_or_name(sample: TransitFeed) -> None:
    assert [r.route_id for r in routes_named(sample, "is route 10 running?")] == ["AB"]
    assert {r.route_id for r in routes_named(sample, "delays on Airport - Bullfrog?")} == {"AB"}


def test_a_line_number_written_in_words_is_that_line(sample: TransitFeed) -> None:
    assert [r.route_id for r in routes_named(sample, "十号线今天延误了吗")] == ["AB"]


def test_first_and_last_with_the_line_in_between() -> None:
    assert wants_last_departure("what's the last Line 2 train from Keyuan tonight?")
    assert wants_first_departure("the first northbound 3 bus")
    assert not wants_last_departure("at last the bus came")
    assert not wants_first_departure("the first thing is the bus")


@pytest.mark.parametrize("text", ["and last?", "last?", "what about the last one?", "final?"])
def test_last_alone_after_an_answer_asks_the_last_departure(text: str) -> None:
    assert wants_last_departure(text) and not wants_first_departure(text)


@pytest.mark.parametrize("text", ["and first?", "what about the earliest?"])
def test_first_alone_after_an_answer_asks_the_first_departure(text: str) -> None:
    assert wants_first_departure(text) and not wants_last_departure(text)


@pytest.mark.parametrize("text", ["I was at the last stop", "last night the train was late"])
def test_last_in_a_sentence_is_no_last_departure(text: str) -> None:
    assert not wants_last_departure(text)


def test_a_colour_line_named_inside_a_routes_long_name_in_either_language() -> None:
    from actions.clients.gtfs.parsing import parse_feed
    from tests.factories.gtfs import tiny_feed

    routes = (
        "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "R,T,BL,Wonderland-Bowdoin (Blue Line),1\nM,T,1,Metro Line 1,1\n"
    )
    feed = parse_feed(tiny_feed(routes=routes, translations=None))
    for text in (
        "next blue line from state",
        "Maverick 坐蓝线去 State",
        "the Blue Line's last train",
    ):
        assert [r.route_id for r in routes_named(feed, text, ["fine", "state"])] == ["R"], text
    assert routes_named(feed, "is the metro line running") == []  # no colour, no brackets


def test_the_last_one_is_not_the_one_after_and_the_latest_to_leave_is_the_last() -> None:
    from actions.transit.questions import _ONE_AFTER

    assert not _ONE_AFTER.search("最后一班呢?") and _ONE_AFTER.search("再下一班呢")
    assert wants_last_departure("what's the latest she can leave Chungnyeolsa tonight?")
    assert wants_last_departure("how late can i leave to still get home")
    assert not wants_last_departure("any latest news on line 3?")


def test_the_earliest_from_now_is_the_next_one_not_the_first_of_the_day() -> None:
    assert wants_first_departure("山景城到旧金山最早一班是几点？")
    assert not wants_first_departure("山景城到旧金山，现在最早一班是几点？")
    assert not wants_first_departure("what's the earliest train I can get now")


def test_the_next_one_in_cantonese_is_the_one_after() -> None:
    from actions.transit.questions import _ONE_AFTER
    from bot.language.script import to_simplified

    # As the action reads it: 嗰 is 𠮶 once simplified.
    assert _ONE_AFTER.search(to_simplified("跟住嗰班呢？"))


@pytest.mark.parametrize(
    "text",
    ["and if my flight is late and I miss those?", "赶不上的话呢", "要是错过这班呢", "搭唔切點算"],
)
def test_missing_the_trains_shown_asks_for_the_ones_after(text: str) -> None:
    from actions.transit.questions import _ONE_AFTER

    assert _ONE_AFTER.search(text)


def test_the_numbers_of_a_clock_time_are_no_line() -> None:
    from actions.transit.places import Places
    from actions.transit.questions import unknown_line
    from tests.unit.transit.test_exonyms import feed

    text = "8点04太赶了，我走过去要十分钟，下一班呢"
    message = {
        "text": text,
        "entities": [
            {"entity": "route", "value": "8", "start": 0, "end": 1},
            {"entity": "route", "value": "04", "start": 2, "end": 4},
        ],
    }
    assert unknown_line(feed("caltrain-2017"), message, Places()) is None
    line_nine = {"text": "9号线几点", "entities": [{"entity": "route", "value": "9",
                                                   "start": 0, "end": 1}]}  # fmt: skip
    assert unknown_line(feed("caltrain-2017"), line_nine, Places()) == "9号线"


def test_the_last_or_first_of_a_line_named_by_its_code() -> None:
    assert wants_last_departure("what's the last A44 from Tsentralna Gara tonight?")
    assert wants_first_departure("first 550 from Bellevue tomorrow")
    assert not wants_last_departure("the last 3 stops were skipped")
    assert wants_last_departure("whats the last downtown 1 from 72nd st tonight")


def test_from_now_after_the_first_bus_asks_the_trains_from_now() -> None:
    from actions.transit.asked import asks_from_now

    assert asks_from_now("那今天呢？现在最近的一班") and asks_from_now("what about right now")
    assert not asks_from_now("那周六呢")


@pytest.mark.parametrize(
    "text",
    [
        "first yellow line from eisenhower ave on sunday morning?",
        "what time does metro start on saturday",
        "when does the metro open on sunday",
    ],
)
def test_the_first_train_asked_by_the_lines_colour_or_the_opening_hour(text: str) -> None:
    assert wants_first_departure(text) and not wants_last_departure(text)


def test_when_the_line_closes_is_its_last_train() -> None:
    assert wants_last_departure("when does the red line close tonight")
    assert not wants_first_departure("when does the red line close tonight")


@pytest.mark.parametrize(
    "text",
    [
        "is there a way without switching trains",
        "any direct bus to the airport?",
        "I'd rather not change trains, I have a suitcase",
        "does the 5 go all the way to the harbour",
        "有没有直达的",
        "罗湖去机场唔使转车㗎？",
        "可以不用换乘吗",
    ],
)
def test_a_ride_without_changing_is_asked_for(text: str) -> None:
    assert asks_for_a_direct_ride(text)


@pytest.mark.parametrize(
    "text",
    [
        "do I need to change trains?",
        "how do I get directions to Futian",
        "direct debit for the monthly pass?",
        "要在哪里换乘",
        "from Luohu to the airport",
    ],
)
def test_asking_where_to_change_is_no_request_for_a_direct_ride(text: str) -> None:
    assert not asks_for_a_direct_ride(text)


def test_a_lines_branches_are_named_once() -> None:
    from actions.clients.gtfs.model import Route
    from actions.transit.wording import lines_label

    routes = [
        Route("A", "1", "9", "9 - Benidorm - Dénia", 0),
        Route("B", "1", "9", "9 - Benidorm - Garganes", 0),
        Route("C", "1", "1", "1 - Luceros - Benidorm", 0),
    ]
    assert lines_label(routes, "en") == ["Line 9", "Line 1 (1 - Luceros - Benidorm)"]
    assert lines_label(routes, "zh") == ["9号线", "1号线（1 - Luceros - Benidorm）"]


def test_a_line_is_named_by_the_brand_its_long_name_opens_with(sample: TransitFeed) -> None:
    import dataclasses

    rapid = dataclasses.replace(
        sample.routes["AB"], route_id="R400", short_name="400", long_name="MetroRapid - Nebraska"
    )
    feed = dataclasses.replace(sample, routes={**sample.routes, "R400": rapid})
    assert [r.route_id for r in routes_named(feed, "last metrorapid north tonight?")] == ["R400"]
    # a place word opening a name ("Airport - Bullfrog") is no brand
    assert routes_named(feed, "bus to the airport") == []


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("how much will it cost us both", 2),
        ("how much for the 3 of us", 3),
        ("我们两个人多少钱", 2),
        ("两张票多少钱", 2),
        ("how much is it", 1),
        ("we have 2 kids, how much", 1),  # children's fares are the operator's to say
    ],
)
def test_a_fare_asked_for_several_counts_them(text: str, people: int) -> None:
    from actions.transit.fares import party_size

    assert party_size(text) == people


def test_a_fare_for_several_says_each_and_in_all() -> None:
    from actions.transit.fares import price_for

    assert price_for(Decimal("2"), "USD", "en", 2) == "USD 2 each (USD 4 for the 2 of you)"
    assert price_for(Decimal("1.25"), "USD", "zh", 3) == "每人 USD 1.25，3 人共 USD 3.75"
    assert price_for(Decimal("2"), "USD", "en", 1) == "USD 2"


def test_first_last_fare_and_direct_in_the_words_riders_of_romance_cities_mix_in() -> None:
    from actions.transit.asked import asks_fare, asks_for_a_direct_ride

    assert wants_last_departure("qual é o último metro from Campanhã tonight?")
    text = "e o primeiro e o último from Trindade?"
    assert wants_first_departure(text) and wants_last_departure(text)
    assert asks_fare("e quanto custa por viagem? in euros")
    assert asks_for_a_direct_ride("a metro to the airport direto, sem trocar?")
    assert not wants_last_departure("next tram at Ultimo Parque")  # a name, no article


def test_a_line_whose_long_name_is_a_dash_is_named_by_its_code(sample: TransitFeed) -> None:
    import dataclasses

    from actions.transit.wording import line_label

    route = dataclasses.replace(sample.routes["AB"], short_name="E", long_name="-")
    assert line_label(route, "en") == "E"


def test_a_trip_after_midnight_is_told_as_a_clock_shows_it() -> None:
    from actions.transit.questions import _clock_of

    assert _clock_of(5 * 3600 + 44 * 60, "en") == "05:44"
    assert _clock_of(25 * 3600 + 3 * 60, "en") == "01:03 after midnight"
    assert _clock_of(25 * 3600 + 3 * 60, "zh") == "次日 01:03"
