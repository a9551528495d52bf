"""Working days in mainland China, for the 12345 hotline's "answered within 15 working days".

A working day is Monday to Friday, except the public holidays the State Council announces each
year, plus the weekend days it declares make-up working days (调休上班). Sources, one notice a
year (国务院办公厅关于部分节假日安排的通知):

- 2025: 国办发明电〔2024〕12号, 12 November 2024.
- 2026: 国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025.

Years not listed fall back to plain Monday-to-Friday, which is wrong only around holidays; add
the year's notice here when the State Council publishes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

ANSWER_WITHIN_WORKING_DAYS = 15  # Guangdong 12345 rule for complaints


def _days(first: str, last: str) -> set[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return {start + dt.timedelta(days=n) for n in range((end - start).days + 1)}


def _union(ranges: Iterable[tuple[str, str]]) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for first, last in ranges:
        days |= _days(first, last)
    return frozenset(days)


#: Days off, weekends inside a holiday block included (they are off either way).
HOLIDAYS: frozenset[dt.date] = _union(
    [
        # 2025
        ("2025-01-01", "2025-01-01"),  # 元旦
        ("2025-01-28", "2025-02-04"),  # 春节
        ("2025-04-04", "2025-04-06"),  # 清明节
        ("2025-05-01", "2025-05-05"),  # 劳动节
        ("2025-05-31", "2025-06-02"),  # 端午节
        ("2025-10-01", "2025-10-08"),  # 国庆节、中秋节
        # 2026
        ("2026-01-01", "2026-01-03"),  # 元旦
        ("2026-02-15", "2026-02-23"),  # 春节
        ("2026-04-04", "2026-04-06"),  # 清明节
        ("2026-05-01", "2026-05-05"),  # 劳动节
        ("2026-06-19", "2026-06-21"),  # 端午节
        ("2026-09-25", "2026-09-27"),  # 中秋节
        ("2026-10-01", "2026-10-07"),  # 国庆节
    ]
)

#: Saturdays and Sundays that are working days (调休上班).
MAKE_UP_WORKING_DAYS: frozenset[dt.date] = frozenset(
    dt.date.fromisoformat(day)
    for day in (
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    )
)

#: Years whose State Council notice is encoded above.
COVERED_YEARS = frozenset({2025, 2026})


def is_working_day(day: dt.date) -> bool:
    """Whether government offices work on ``day``."""
    if day in MAKE_UP_WORKING_DAYS:
        return True
    if day in HOLIDAYS:
        return False
    return day.weekday() < 5


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start``; ``start`` itself is not counted.

    This is how Chinese administrative time limits are read: a request accepted on a Friday
    has its first working day on the following Monday.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    day = start
    remaining = count
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
