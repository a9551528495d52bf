"""The day and time a rider means: "周日末班车", "晚上十一点", "next Saturday at 8am"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from actions.transit.when import (
    easter_sunday,
    names_a_time,
    requested_day,
    requested_time,
)

#: Tuesday 24 November 2026, 09:00 in Shenzhen.
TUESDAY = dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("周日也一样吗", 29),
        ("星期天末班车几点", 29),
        ("禮拜六有冇車", 28),
        ("下周一早上7点", 30),
        ("这周二呢", 24),  # today is Tuesday
        ("what about on Sunday?", 29),
        ("next Tuesday", 1),  # a week on, not today
        ("this Saturday morning", 28),
        ("周末呢", 28),
        ("明天呢", 25),
        ("聽日返工", 25),
        ("聽朝最早一班", 25),
        ("first train outta 22nd st tmrw morning", 25),
        ("后天早上", 26),
        ("the day after tomorrow", 26),
        ("today", 24),
        ("平时工作日呢", 24),  # a working day: today
        ("and on weekdays?", 24),
        ("罗湖到福田", None),
        ("the sun is out, next train?", None),
    ],
)
def test_the_day_the_rider_names(text: str, day: int | None) -> None:
    named = requested_day(text, TUESDAY)
    assert (None if named is None else named.day) == day


def test_a_day_without_a_time_keeps_the_time_of_day_and_today_alone_is_no_request() -> None:
    sunday = requested_time("周日也一样吗", TUESDAY)
    assert sunday is not None and (sunday.day, sunday.hour) == (29, 9)
    assert requested_time("今天", TUESDAY) is None
    late = requested_time("周六晚上十一点", TUESDAY)
    assert late is not None and (late.day, late.hour) == (28, 23)
    midnight = requested_time("晚上12点", TUESDAY)
    assert midnight is not None and (midnight.day, midnight.hour) == (25, 0)


def test_a_day_or_a_time_is_a_time_named() -> None:
    assert names_a_time("周日也一样吗") and names_a_time("what about 11pm?")
    assert not names_a_time("那护照呢") and not names_a_time("and to the airport?")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("oh wait tomorrow is Oct 1st, National Day. is it the same??", (2027, 10, 1)),
        ("10月1日地铁几点收车", (2027, 10, 1)),
        ("12月25号末班车", (2026, 12, 25)),
        ("on 3 December", (2026, 12, 3)),
        ("May 3rd", (2027, 5, 3)),
        ("line 3 may be late", None),
    ],
)
def test_a_calendar_date_is_the_next_one_to_come(text: str, date) -> None:
    named = requested_day(text, TUESDAY)
    assert (None if named is None else (named.year, named.month, named.day)) == date


def test_an_hour_long_past_without_a_morning_word_is_this_evenings() -> None:
    # TUESDAY is 09:00
    assert requested_time("k and coming back around 6", TUESDAY).hour == 18
    assert requested_time("8点的车", TUESDAY).hour == 8  # just past: as given
    assert requested_time("早上6点", TUESDAY).hour == 6
    assert requested_time("6am", TUESDAY).hour == 6
    assert requested_time("around 6 tomorrow", TUESDAY).hour == 6
    back = requested_time("going back around half 5", TUESDAY)
    assert (back.hour, back.minute) == (17, 30)


def test_a_flights_time_is_when_to_arrive_not_when_to_leave() -> None:
    # TUESDAY is 09:00: the trip is asked for now, not for the flight's hour
    assert requested_time("我现在在车公庙站，赶10点的飞机，下一班几点", TUESDAY) is None
    assert requested_time("my flight is at 11am, next train to the airport?", TUESDAY) is None
    assert requested_time("need to catch the 9:40 flight from the airport", TUESDAY) is None
    assert requested_time("明天10点的飞机，早上7点有车吗", TUESDAY).hour == 7
    assert requested_time("10点的地铁还有吗", TUESDAY).hour == 10


def test_an_appointments_time_is_when_to_arrive_not_when_to_leave() -> None:
    # TUESDAY is 09:00
    text = "She has a doctor's appointment near Chungnyeolsa station at 11am. Which train?"
    assert requested_time(text, TUESDAY) is None
    assert requested_time("need to be there by 11, which line?", TUESDAY) is None
    assert requested_time("约了11点看医生，现在怎么去", TUESDAY) is None
    assert requested_time("is there a train at 11am", TUESDAY).hour == 11


def test_times_of_day_named_by_a_word() -> None:
    # TUESDAY is 09:00
    assert requested_time("seriously nothing around lunchtime?", TUESDAY).hour == 12
    assert requested_time("中午有车吗", TUESDAY).hour == 12
    assert requested_time("any trains at midnight?", TUESDAY).day == TUESDAY.day + 1
    assert requested_time("I forgot my lunch money", TUESDAY) is None


def test_a_working_day_asked_on_a_weekend_is_the_coming_monday() -> None:
    saturday = TUESDAY + dt.timedelta(days=4)
    named = requested_day("平时工作日呢", saturday)
    assert named is not None and named.weekday() == 0 and named.day == 30


def test_a_working_day_asked_on_one_is_still_a_request_for_that_timetable() -> None:
    # "平时工作日呢" right after Saturday's first train asks for today's (a weekday's)
    asked = requested_time("平时工作日呢", TUESDAY)
    assert asked is not None and asked.day == 24


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("is the bus running on christmas day?", dt.date(2026, 12, 25)),
        ("聖誕節有冇車", dt.date(2026, 12, 25)),
        ("last train on xmas eve", dt.date(2026, 12, 24)),
        ("平安夜末班车几点", dt.date(2026, 12, 24)),
        ("boxing day timetable?", dt.date(2026, 12, 26)),
        ("new year's eve, do the trains run all night?", dt.date(2026, 12, 31)),
        ("元旦有没有车", dt.date(2027, 1, 1)),
        ("trains on good friday", dt.date(2027, 3, 26)),  # Easter 2027 is 28 March
        ("easter monday buses", dt.date(2027, 3, 29)),
        ("五一假期地铁开吗", dt.date(2027, 5, 1)),
    ],
)
def test_a_holiday_named_is_its_next_date(text: str, date: dt.date) -> None:
    assert requested_day(text, TUESDAY) == date


@pytest.mark.parametrize(
    "text", ["五一广场站下一班", "chinese new year trains", "lunar new year", "Happy holidays"]
)
def test_no_holiday_is_read_where_none_is_named(text: str) -> None:
    assert requested_day(text, TUESDAY) is None


def test_easter_sunday_is_the_churches_date() -> None:
    assert [easter_sunday(year) for year in (2024, 2025, 2026, 2038)] == [
        dt.date(2024, 3, 31),
        dt.date(2025, 4, 20),
        dt.date(2026, 4, 5),
        dt.date(2038, 4, 25),
    ]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("does it run normally on 1 may and 3 may?", dt.date(2027, 5, 1)),
        ("the 3rd of may", dt.date(2027, 5, 3)),
        ("what about 3 may?", dt.date(2027, 5, 3)),
    ],
)
def test_may_after_its_day_is_the_month_where_the_words_make_it_a_date(
    text: str, date: dt.date
) -> None:
    assert requested_day(text, TUESDAY) == date


@pytest.mark.parametrize("text", ["line 3 may be late", "i think line 3 may not run"])
def test_may_the_verb_is_no_date(text: str) -> None:
    assert requested_day(text, TUESDAY) is None


def test_an_hour_said_with_the_end_of_work_is_the_afternoons() -> None:
    # TUESDAY is 09:00: "8点下班" is no plan of this morning, just past
    assert requested_time("我8点下班，还有车吗", TUESDAY).hour == 20
    assert requested_time("I get off at 8, any bus home?", TUESDAY).hour == 20
    assert requested_time("8点的车", TUESDAY).hour == 8


@pytest.mark.parametrize(
    ("text", "arrive_by"),
    [
        ("My mom has a follow up at Tampa General at 7:30, we'll be at the transit center", True),
        ("my appointment in town at 9, which bus?", True),
        ("I have an exam at 7:30 at the uni", True),
        ("the bus at 7:30 from the hospital", False),
    ],
)
def test_a_time_something_starts_at_is_a_time_to_arrive_by(text: str, arrive_by: bool) -> None:
    from actions.transit.asked import wants_to_arrive_by

    assert wants_to_arrive_by(text) is arrive_by
