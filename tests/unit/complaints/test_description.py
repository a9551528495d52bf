"""Descriptions are tidied and kept within Open311's limit; openings and places are judged."""

import pytest

from actions.complaints.description import (
    MAX_DESCRIPTION_CHARS,
    describes_problem,
    trim_description,
    usable_location,
)
from tests.unit.complaints.scripts import in_both_scripts

# --- trim_description -----------------------------------------------------------------


def test_the_limit_is_open311s_4000_characters() -> None:
    assert MAX_DESCRIPTION_CHARS == 4000


def test_spaces_are_collapsed_and_lines_kept() -> None:
    text = "  路灯   不亮\r\n\r\n\r\n\t已经\u3000一周了  "
    assert trim_description(text) == ("路灯 不亮\n\n已经 一周了", False)


def test_single_line_breaks_stay_and_control_characters_go() -> None:
    assert trim_description("line one\nline two\x00\x07") == ("line one\nline two", False)


def test_a_short_text_is_not_trimmed() -> None:
    assert trim_description("Pothole on Fuhua Road") == ("Pothole on Fuhua Road", False)


def test_empty_text_stays_empty() -> None:
    assert trim_description("") == ("", False)
    assert trim_description("   \n  ") == ("", False)


def test_a_long_text_is_cut_to_the_limit_and_says_so() -> None:
    text, trimmed = trim_description("噪" * 5000)
    assert trimmed
    assert text == "噪" * MAX_DESCRIPTION_CHARS


def test_a_text_of_exactly_the_limit_is_kept_whole() -> None:
    assert trim_description("a" * MAX_DESCRIPTION_CHARS) == ("a" * MAX_DESCRIPTION_CHARS, False)


def test_collapsing_spaces_can_bring_a_text_under_the_limit() -> None:
    text, trimmed = trim_description("word    " * 800)
    assert not trimmed
    assert text == " ".join(["word"] * 800)


def test_the_cut_does_not_separate_an_accent_from_its_letter() -> None:
    text, trimmed = trim_description("a" * (MAX_DESCRIPTION_CHARS - 1) + "e\u0301" + "b" * 10)
    assert trimmed
    assert text == "a" * (MAX_DESCRIPTION_CHARS - 1)


def test_the_cut_does_not_split_a_joined_emoji() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    text, trimmed = trim_description("a" * (MAX_DESCRIPTION_CHARS - 2) + family)
    assert trimmed
    assert text == "a" * (MAX_DESCRIPTION_CHARS - 2)


def test_the_cut_does_not_leave_trailing_space() -> None:
    text, _ = trim_description("a" * (MAX_DESCRIPTION_CHARS - 1) + " bcd")
    assert text == "a" * (MAX_DESCRIPTION_CHARS - 1)


# --- describes_problem ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("深南大道上有个大坑", ["大坑"]),
        ("深南大道上有個大坑", ["大坑"]),
        ("我要投诉楼下餐馆油烟太大，晚上开窗都不行", ["油烟"]),
        ("你好，福华三路的路灯三天没亮了", ["路灯"]),
        ("There's a huge pothole on Shennan Avenue", []),
        ("I want to report noise from the bar downstairs every night", ["noise"]),
        ("The streetlight outside 88 Fuhua Road has been off for a week", ["streetlight"]),
    ],
)
def test_an_opening_that_says_what_is_wrong_describes_the_problem(
    text: str, entities: list[str]
) -> None:
    assert describes_problem(text, entities)


@pytest.mark.parametrize(
    ("text", "entities"),
    [(text, []) for text in in_both_scripts(
        ["我要投诉", "我想反映一下", "帮我登记个投诉", "投诉一下", "举报", "你好，我要投诉",
         "我想反映一个问题。", "我要报修", "您好！我有个问题要反映"]
    )]
    + [
        ("我要投诉噪音", ["噪音"]),
        ("我要投訴噪音", ["噪音"]),
        ("投诉路灯", ["路灯"]),
        ("I want to report a problem", []),
        ("I'd like to make a complaint", []),
        ("file a complaint", []),
        ("Hi, I need to report an issue", []),
        ("report a problem", []),
        ("hi", []),
        ("你好", []),
        ("?!", []),
        ("", []),
        ("I want to complain about noise", ["noise"]),
        ("streetlight broken", ["streetlight"]),
    ],
)  # fmt: skip
def test_a_request_to_complain_alone_does_not_describe_the_problem(
    text: str, entities: list[str]
) -> None:
    assert not describes_problem(text, entities)


def test_entity_texts_are_removed_as_the_resident_wrote_them() -> None:
    assert not describes_problem("我要投訴噪音擾民", ["噪音擾民"])
    assert not describes_problem("I want to report a Pothole", ["Pothole"])


# --- usable_location ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        ["福华三路88号", "88号", "车公庙地铁站A出口", "楼下", "深南大道和金田路交叉口",
         "不知道门牌号，在福华三路和金田路交叉口"]
    )
    + ["Shennan Road", "near the station", "Block 5", "1 Fuhua Rd", "B2"],
)  # fmt: skip
def test_a_place_with_a_name_or_a_number_is_a_usable_location(text: str) -> None:
    assert usable_location(text)


@pytest.mark.parametrize(
    "text",
    in_both_scripts(["不知道", "不清楚具体在哪", "这里", "就在这儿", "附近", "我也不确定"])
    + ["", "   ", "?", "？", "。。。", "😀😀", "123", "don't know", "I don't know exactly where",
       "not sure", "here", "over there", "idk", "N/A", "[图片]", "[Photo]", "【语音】", "skip",
       "pass"],
)  # fmt: skip
def test_nothing_a_city_worker_could_find_is_not_a_usable_location(text: str) -> None:
    assert not usable_location(text)
