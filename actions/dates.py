"""Dates and times in replies (complaints, permits), written the way each language writes them.

Why not ``strftime``: "%a"/"%b" follow the process locale (a server set to
zh_CN writes "一" for Monday in the English reply) and "%-d" does not exist on
every platform. The names are spelled out here, so the reply depends only on
the reply language. Times are shown in the city's time zone (settings
``timezone``), which the caller passes by name.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: The same characters in Simplified and Traditional Chinese.
_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def format_date(value: dt.datetime | dt.date, language: str | None, tz: str | None = None) -> str:
    """The day as the reply language writes it: "Mon 15 Dec 2025", "2025年12月15日（星期一）".

    A datetime is first put in the time zone ``tz`` when one is given (see
    ``_local``), so 20:00 UTC is already the next day in Shenzhen.
    """
    day = _local(value, tz).date() if isinstance(value, dt.datetime) else value
    if _is_english(language):
        return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS_ZH[day.weekday()]}）"


def format_datetime(value: dt.datetime, language: str | None, tz: str) -> str:
    """Day and time: "Mon 15 Dec 2025 14:05", "2025年12月15日（星期一）14:05" (zh and zh-Hant).

    ``value`` is shown in the time zone ``tz`` ("Asia/Shanghai"); see ``_local``.
    """
    local = _local(value, tz)
    separator = " " if _is_english(language) else ""
    return f"{format_date(local, language)}{separator}{local:%H:%M}"


def _local(value: dt.datetime, tz: str | None) -> dt.datetime:
    """``value`` in the time zone ``tz``.

    An aware datetime is converted. A naive one is taken as already being wall
    time in ``tz``: city servers that leave out the offset (Open311 asks for
    one, not all send it) mean their own local time, and a reply with the right
    clock time beats failing the whole reply.
    """
    if tz is None:
        return value
    zone = ZoneInfo(tz)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _is_english(language: str | None) -> bool:
    """English for "en" and "en-…"; every other reply language is Chinese, as in the catalogue."""
    return (language or "").lower().split("-")[0] == "en"
