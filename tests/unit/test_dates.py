"""Dates and times read naturally in each reply language, in the city's time zone."""

import datetime as dt

import pytest

from actions.dates import format_date, format_datetime

CITY = "Asia/Shanghai"
MONDAY = dt.date(2025, 12, 15)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Mon 15 Dec 2025"),
        ("zh", "2025年12月15日（星期一）"),
        ("zh-Hant", "2025年12月15日（星期一）"),
    ],
)
def test_a_date_is_written_the_way_each_language_writes_it(language: str, expected: str) -> None:
    assert format_date(MONDAY, language) == expected


def test_single_digit_days_have_no_leading_zero() -> None:
    assert format_date(dt.date(2026, 1, 4), "en") == "Sun 4 Jan 2026"
    assert format_date(dt.date(2026, 1, 4), "zh") == "2026年1月4日（星期日）"


@pytest.mark.parametrize(
    ("day", "english", "chinese"),
    [
        (dt.date(2025, 12, 16), "Tue", "星期二"),
        (dt.date(2025, 12, 17), "Wed", "星期三"),
        (dt.date(2025, 12, 18), "Thu", "星期四"),
        (dt.date(2025, 12, 19), "Fri", "星期五"),
        (dt.date(2025, 12, 20), "Sat", "星期六"),
        (dt.date(2025, 12, 21), "Sun", "星期日"),
    ],
)
def test_every_weekday_has_its_name(day: dt.date, english: str, chinese: str) -> None:
    assert format_date(day, "en").startswith(english + " ")
    assert chinese in format_date(day, "zh")


def test_every_month_has_its_english_abbreviation() -> None:
    months = [format_date(dt.date(2025, month, 1), "en").split()[2] for month in range(1, 13)]
    assert months == "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def test_an_unknown_reply_language_gets_chinese_like_every_reply() -> None:
    assert format_date(MONDAY, None) == "2025年12月15日（星期一）"
    assert format_date(MONDAY, "en-GB") == "Mon 15 Dec 2025"


def test_a_datetime_is_shown_in_the_city_time_zone() -> None:
    value = dt.datetime(2025, 12, 15, 6, 5, tzinfo=dt.timezone.utc)
    assert format_datetime(value, "en", CITY) == "Mon 15 Dec 2025 14:05"
    assert format_datetime(value, "zh", CITY) == "2025年12月15日（星期一）14:05"
    assert format_datetime(value, "zh-Hant", CITY) == "2025年12月15日（星期一）14:05"


def test_a_late_utc_time_is_the_next_day_in_the_city() -> None:
    value = dt.datetime(2025, 12, 15, 20, 0, tzinfo=dt.timezone.utc)
    assert format_date(value, "en", CITY) == "Tue 16 Dec 2025"
    assert format_datetime(value, "zh", CITY) == "2025年12月16日（星期二）04:00"


def test_a_time_with_another_offset_is_converted() -> None:
    new_york = dt.timezone(dt.timedelta(hours=-5))
    value = dt.datetime(2025, 12, 15, 9, 30, tzinfo=new_york)
    assert format_datetime(value, "en", CITY) == "Mon 15 Dec 2025 22:30"


def test_a_datetime_without_a_zone_is_taken_as_city_time() -> None:
    assert format_datetime(dt.datetime(2025, 12, 15, 9, 30), "en", CITY) == "Mon 15 Dec 2025 09:30"


def test_a_datetime_without_a_requested_zone_keeps_its_own_date() -> None:
    value = dt.datetime(2025, 12, 15, 23, 0, tzinfo=dt.timezone.utc)
    assert format_date(value, "en") == "Mon 15 Dec 2025"
