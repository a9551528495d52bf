"""The time of day residents write, for a trip or for when a problem began."""

from __future__ import annotations

import pytest

from bot.language.clock import time_of_day, with_digit_clock


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("晚上十一点从竹子林走还赶得上吗", (23, 0)),
        ("七点一刻", (7, 15)),
        ("下午两点半", (14, 30)),
        ("晚上十点二十", (22, 20)),
        ("明晚11点", (23, 0)),
        ("晚上12点还有车吗", (24, 0)),
        ("凌晨12点", (0, 0)),
        ("中午12点", (12, 0)),
        ("at 7:30pm", (19, 30)),
        ("11pm", (23, 0)),
        ("tonight at 11", (23, 0)),
        ("the night bus at 1:30", (1, 30)),
        ("at 8 tomorrow", (8, 0)),
        ("快一点的路线", None),
        ("早一点出发", None),
        ("凌晨一点", (1, 0)),
        ("3 stops from Luohu", None),
        ("at 5 stops", None),
        ("going back around half 5", (5, 30)),
        ("half past five", (5, 30)),
        ("quarter to 6", (5, 45)),
        ("a quarter past 7 in the evening", (19, 15)),
        ("is there one at 9 o'clock?", (9, 0)),
        ("half nine tomorrow", (9, 30)),
        ("half price for kids?", None),
        ("I'm half way there", None),
        ("half an hour late", None),
    ],
)
def test_the_time_of_day_in_digits_or_words(text: str, clock: tuple[int, int] | None) -> None:
    assert time_of_day(text) == clock


def test_clock_times_in_words_become_digits_and_other_words_stay() -> None:
    assert with_digit_clock("晚上十一点半走") == "晚上11点30走"
    assert with_digit_clock("快一点") == "快一点"


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("昨晚10点", (22, 0)),
        ("寻晚十一点", (23, 0)),
        ("琴晚8點半", (20, 30)),
        ("昨天早上8点", (8, 0)),
    ],
)
def test_last_nights_hours_are_evening_hours(text: str, clock: tuple[int, int]) -> None:
    assert time_of_day(text) == clock


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("is there one around 830 i gotta grab coffee first", (8, 30)),
        ("at 1145pm", (23, 45)),
        ("about 930", (9, 30)),
        ("at 1200 S Jackson St", None),  # a house number
        ("leave at 1520 Broadway", None),
    ],
)
def test_a_time_typed_without_its_colon_is_read_after_a_word_of_time(text, clock) -> None:
    assert time_of_day(text) == clock


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("need to be there by noon", (12, 0)),
        ("we land around midday", (12, 0)),
        ("the last one before midnight", (24, 0)),
        ("中午前要到", (12, 0)),
        ("中午吃什么", None),  # lunchtime, no time to travel by
        ("the afternoon train", None),
    ],
)
def test_noon_and_midnight_by_their_names(text: str, clock: tuple[int, int] | None) -> None:
    assert time_of_day(text) == clock


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("今日下晝兩點喺Dulles返King St", (14, 0)),  # Cantonese: afternoon, 2 o'clock
        ("晏晝三點", (15, 0)),
        ("挨晚六點", (18, 0)),
        ("朝早七點", (7, 0)),
    ],
)
def test_cantonese_parts_of_the_day_set_the_hour(text: str, clock: tuple[int, int]) -> None:
    assert time_of_day(text) == clock
