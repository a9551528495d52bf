"""Answers to a service's extra questions are checked by datatype before anything is posted."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from actions.clients.open311_definitions import AttributeValue, ServiceAttribute
from actions.complaints.attribute_answers import (
    match_value,
    parse_when,
    pending,
    read_answer,
    told_in,
)

NOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=ZoneInfo("America/Chicago"))
WHERE = ServiceAttribute(
    "WHISPOLO",
    "singlevaluelist",
    True,
    "Where is the pothole located?",
    values=(AttributeValue("ALLEY002", "Alley"), AttributeValue("STREE001", "Street")),
)
HOW_MANY = ServiceAttribute("LIGHTS_OUT", "number", True, "How many lights are out?")
WHEN = ServiceAttribute("SEEN_AT", "datetime", True, "When did you see it?")
KINDS = ServiceAttribute(
    "KINDS",
    "multivaluelist",
    True,
    "What was missed?",
    values=(
        AttributeValue("T", "Trash"),
        AttributeValue("R", "Recycling"),
        AttributeValue("Y", "Yard waste"),
    ),
)


def test_a_list_answer_is_the_key_of_the_value_named() -> None:
    answer = read_answer(WHERE, "in the street", NOW)
    assert (answer.value, answer.shown) == ("STREE001", "Street")


def test_a_list_answer_may_be_the_values_number_or_its_key() -> None:
    assert read_answer(WHERE, "1", NOW).value == "ALLEY002"
    assert read_answer(WHERE, "STREE001", NOW).value == "STREE001"


def test_a_list_answer_naming_no_value_is_refused_with_what_was_expected() -> None:
    answer = read_answer(WHERE, "on the moon", NOW)
    assert answer.value is None and answer.problem == "attribute.expected_choice"


def test_several_values_for_a_multivaluelist() -> None:
    answer = read_answer(KINDS, "trash and recycling", NOW)
    assert answer.value == ["T", "R"]


def test_a_number_in_digits_or_chinese_words() -> None:
    assert read_answer(HOW_MANY, "about 3 of them", NOW).value == "3"
    assert read_answer(HOW_MANY, "两个", NOW).value == "2"
    assert read_answer(HOW_MANY, "十二", NOW).value == "12"


def test_words_for_a_number_are_refused() -> None:
    assert read_answer(HOW_MANY, "a lot", NOW).problem == "attribute.expected_number"


def test_a_date_time_in_iso_with_the_citys_offset() -> None:
    answer = read_answer(WHEN, "yesterday 8pm", NOW)
    assert answer.value == "2026-12-01T20:00:00-06:00"


def test_chinese_relative_days_and_evening_hours() -> None:
    assert parse_when("昨晚10点", NOW) == NOW.replace(day=1, hour=22, minute=0)
    assert parse_when("2026-11-30 07:15", NOW) == NOW.replace(day=30, month=11, hour=7, minute=15)
    assert parse_when("琴晚十一点半", NOW) == NOW.replace(day=1, hour=23, minute=30)
    assert parse_when("yesterday", NOW) == NOW.replace(day=1, second=0, microsecond=0)


def test_text_that_is_not_a_time_is_refused() -> None:
    assert read_answer(WHEN, "whenever", NOW).problem == "attribute.expected_datetime"


def test_only_required_unanswered_questions_are_pending() -> None:
    optional = ServiceAttribute("NOTE", "string", False, "Anything else?")
    info = ServiceAttribute("INFO", "string", True, "Read this", variable=False)
    waiting = pending([WHERE, optional, info, HOW_MANY], {"WHISPOLO": "STREE001"})
    assert [a.code for a in waiting] == ["LIGHTS_OUT"]


@pytest.mark.parametrize(
    ("text", "name"),
    [("在路口中间，靠近人行横道", "Street"), ("喺條巷度", "Alley"), ("随便啦", None)],
)
def test_a_chinese_answer_names_one_of_the_citys_english_values(
    text: str, name: str | None
) -> None:
    values = [AttributeValue("ALLEY001", "Alley"), AttributeValue("STREE001", "Street")]
    found = match_value(text, values)
    assert (found.name if found else None) == name


@pytest.mark.parametrize(("text", "name"), [("是的", "Yes"), ("不是", "No"), ("不知道", "Unknown")])
def test_the_longest_word_said_decides_between_yes_no_and_unknown(text: str, name: str) -> None:
    values = [AttributeValue("Y", "Yes"), AttributeValue("N", "No"), AttributeValue("U", "Unknown")]
    found = match_value(text, values)
    assert found is not None and found.name == name


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("curbside, just normal kitchen garbage in black bags nothing weird", "Trash"),
        ("普通生活垃圾", "Trash"),
        ("an old couch", "Bulk Item"),
        ("cardboard boxes and bottles", "Recycling"),
    ],
)
def test_a_list_value_named_in_other_words_is_found_by_what_it_is(text, value) -> None:
    from actions.complaints.attribute_answers import match_value

    values = [
        AttributeValue(name, name)
        for name in ("Trash", "Leaf and Yard Waste", "Recycling", "Bulk Item", "Christmas Tree")
    ]
    found = match_value(text, values)
    assert found is not None and found.name == value


SURFACES = [
    AttributeValue("road", "Roadway (where cars drive)"),
    AttributeValue("cycle", "Cycle path / bike lane"),
    AttributeValue("walk", "Sidewalk / footpath"),
    AttributeValue("square", "Parking area or public square"),
]


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        ("it's on the sidewalk, where people walk", "walk"),
        ("on the footpath by the shops", "walk"),
        ("the bike lane", "cycle"),
        ("in the public square", "square"),
    ],
)
def test_a_value_is_named_by_one_of_its_names_alternatives(answer: str, key: str) -> None:
    value = match_value(answer, SURFACES)
    assert value is not None and value.key == key


BLOCKING = ServiceAttribute(
    "BLOCKING",
    "singlevaluelist",
    True,
    "Is it blocking the road?",
    values=(AttributeValue("Y", "Yes"), AttributeValue("N", "No"), AttributeValue("U", "Unknown")),
)
SURFACE = ServiceAttribute(
    "SURFACE",
    "singlevaluelist",
    True,
    "Where is it?",
    values=(
        AttributeValue("RD", "Roadway (where cars drive)"),
        AttributeValue("SW", "Sidewalk / footpath"),
        AttributeValue("BL", "Bike lane"),
    ),
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("big crack in the bike lane on Pine, cyclists swerve into traffic", "BL"),
        ("the footpath outside no. 12 is lifted, my mum tripped", "SW"),
        ("人行道上的砖翘起来了", "SW"),
    ],
)
def test_a_list_answer_is_found_in_the_report_in_its_own_words(text: str, key: str) -> None:
    answer = told_in(SURFACE, text)
    assert answer is not None and answer.value == key


@pytest.mark.parametrize(
    ("attribute", "text"),
    [
        (BLOCKING, "no, it is not blocking anything, yes I checked"),  # yes/no in a story
        (SURFACE, "crack on the sidewalk spreading into the bike lane"),  # two named
        (SURFACE, "big crack outside Bike Lane Coffee"),  # a shop's name
        (SURFACE, "big crack near the bus stop"),  # none named
    ],
)
def test_a_report_that_does_not_say_one_value_answers_nothing(
    attribute: ServiceAttribute, text: str
) -> None:
    assert told_in(attribute, text) is None


LAMPS_OUT_ZH = ServiceAttribute("LAMPS", "number", True, "有几盏灯不亮？")


@pytest.mark.parametrize(
    ("attribute", "text", "count"),
    [
        (HOW_MANY, "two lights are out on Elm Street", "2"),
        (HOW_MANY, "3 streetlights dark since Monday", "3"),
        (HOW_MANY, "a couple of street lights flicker all night", "2"),
        (HOW_MANY, "two of the lights by the park are out", "2"),
        (HOW_MANY, "the streetlight by my gate is out, just the one", "1"),
        (LAMPS_OUT_ZH, "门口三盏路灯都不亮了", "3"),
        (LAMPS_OUT_ZH, "小区门口有2盏灯坏了", "2"),
    ],
)
def test_a_count_in_the_report_answers_how_many(
    attribute: ServiceAttribute, text: str, count: str
) -> None:
    answer = told_in(attribute, text)
    assert answer is not None and answer.value == count


@pytest.mark.parametrize(
    ("attribute", "text"),
    [
        (HOW_MANY, "the lights at 12 Main St are out"),  # a house number
        (HOW_MANY, "lights at 12 main st are out"),
        (HOW_MANY, "all the lights on my street are out for 2 weeks"),  # no count of lights
        (LAMPS_OUT_ZH, "12号门口的路灯不亮"),  # a house number, no measure word
        (ServiceAttribute("N", "number", True, "How many are there?"), "two bags"),
    ],
)
def test_a_number_the_report_does_not_count_answers_nothing(
    attribute: ServiceAttribute, text: str
) -> None:
    assert told_in(attribute, text) is None


WASTE = ServiceAttribute(
    "WASTE",
    "singlevaluelist",
    True,
    "Was für Abfall liegt dort? / What kind of waste is it?",
    values=(
        AttributeValue("BULKY", "Sperrmüll (Möbel, Matratzen) / bulky items"),
        AttributeValue("RUBBLE", "Bauschutt / building rubble"),
        AttributeValue("BAGS", "Müllsäcke, Hausmüll / bags of household rubbish"),
        AttributeValue("OTHER", "Sonstiges / other"),
    ),
)
EQUIPMENT = ServiceAttribute(
    "EQUIPMENT",
    "singlevaluelist",
    True,
    "Which equipment is affected?",
    values=(
        AttributeValue("SWING", "Schaukel / swing"),
        AttributeValue("SLIDE", "Rutsche / slide"),
        AttributeValue("OTHER", "Sonstiges / other"),
    ),
)


@pytest.mark.parametrize(
    ("attribute", "text", "key"),
    [
        (WASTE, "主要是沙发床垫，砖头也有一点。电话 612 48 33 07", "BULKY"),
        (WASTE, "砖头水泥", "RUBBLE"),
        (EQUIPMENT, "主要是秋千，滑梯是小问题", "SWING"),
        (EQUIPMENT, "mostly the swing, the slide is minor", "SWING"),
        (SURFACE, "喺馬路中間，行車線上面", "RD"),
    ],
)
def test_the_main_thing_named_answers_a_list_question(
    attribute: ServiceAttribute, text: str, key: str
) -> None:
    assert read_answer(attribute, text, NOW).value == key


LANE = ServiceAttribute(
    "LANE",
    "singlevaluelist",
    True,
    "Which part of the road is it in?",
    values=(
        AttributeValue("TRAVEL", "Travel lane"),
        AttributeValue("BIKE", "Bike lane"),
        AttributeValue("SHOULDER", "Shoulder"),
        AttributeValue("CROSSING", "Intersection"),
    ),
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("its in the bike lane, going north", "BIKE"),  # "lane" is every lane's word
        ("not the bike lane, the travel lane", "TRAVEL"),
        ("喺行車線度，唔係路口", "TRAVEL"),  # the one said not to be meant is not it
        ("在自行车道上", "BIKE"),
    ],
)
def test_a_value_is_told_apart_by_the_words_only_it_has(text: str, key: str) -> None:
    assert read_answer(LANE, text, NOW).value == key


BIN_KIND = ServiceAttribute(
    "TIPO",
    "singlevaluelist",
    True,
    "Que tipo de contentor?",
    values=(
        AttributeValue("INDIF", "Contentor de lixo indiferenciado"),
        AttributeValue("ECO", "Ecoponto (papel, embalagens ou vidro)"),
        AttributeValue("ORG", "Contentor de resíduos orgânicos"),
    ),
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("普通垃圾那种", "INDIF"),
        ("the big grey one for normal rubbish", "INDIF"),
        ("the blue one, paper", "ECO"),
        ("厨余的", "ORG"),  # orgânicos, its accent dropped
    ],
)
def test_a_portuguese_list_question_is_answered_in_chinese_or_english(text: str, key: str) -> None:
    assert read_answer(BIN_KIND, text, NOW).value == key
