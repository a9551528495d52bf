"""Working days skip weekends and PRC public holidays, and count make-up Saturdays (调休)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sandbox.service_requests import expected_by
from sandbox.workdays import add_working_days, is_working_day

D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_fifteen_working_days_across_national_day_2026() -> None:
    # 30 Sep (Wed) + 15: Oct 1-7 are off, Sat 10 Oct is a make-up working day.
    # Working days: Oct 8, 9, 10, 12-16, 19-23, 26, 27 → the 15th is Tue 27 Oct.
    assert add_working_days(D("2026-09-30"), 15) == D("2026-10-27")


def test_fifteen_working_days_across_spring_festival_2026() -> None:
    # Feb 15-23 are off; Sat 14 Feb and Sat 28 Feb are working days.
    # From Fri 13 Feb: 14, 24, 25, 26, 27, 28, Mar 2-6, 9, 10, 11, 12 → Thu 12 Mar.
    assert add_working_days(D("2026-02-13"), 15) == D("2026-03-12")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-10-01", False),  # National Day
        ("2026-10-10", True),  # make-up Saturday
        ("2026-09-20", True),  # make-up Sunday
        ("2026-01-04", True),  # make-up Sunday after New Year
        ("2026-05-09", True),  # make-up Saturday after Labour Day
        ("2026-06-19", False),  # Dragon Boat Festival (a Friday)
        ("2026-09-25", False),  # Mid-Autumn Festival (a Friday)
        ("2025-10-08", False),  # 2025 National Day and Mid-Autumn, eight days
        ("2025-10-11", True),  # 2025 make-up Saturday
        ("2025-01-26", True),  # 2025 make-up Sunday before Spring Festival
        ("2026-11-21", False),  # an ordinary Saturday
        ("2026-11-24", True),  # an ordinary Tuesday
    ],
)
def test_holidays_and_make_up_days(day: str, working: bool) -> None:
    assert is_working_day(D(day)) is working


def test_the_start_day_is_not_counted() -> None:
    assert add_working_days(D("2026-11-20"), 1) == D("2026-11-23")  # Fri → Mon
    assert add_working_days(D("2026-11-24"), 0) == D("2026-11-24")


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(D("2026-11-24"), -1)


def test_a_complaint_is_due_at_close_of_business_on_the_fifteenth_working_day() -> None:
    filed = dt.datetime(2026, 9, 30, 22, 15, tzinfo=SHANGHAI)
    assert expected_by(filed, SHANGHAI) == dt.datetime(2026, 10, 27, 18, 0, tzinfo=SHANGHAI)


def test_the_due_date_uses_the_city_date_not_the_utc_date() -> None:
    # Fri 20 Nov 00:30 in Shenzhen is still Thu 19 Nov in UTC; counting from Thursday
    # would give Thu 10 Dec.
    filed = dt.datetime(2026, 11, 19, 16, 30, tzinfo=dt.timezone.utc)
    assert expected_by(filed, SHANGHAI).date() == D("2026-12-11")
