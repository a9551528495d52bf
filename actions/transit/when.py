"""When the rider means to travel: a day ("周日", "明天", "next Saturday") and a time.

Riders ask about other days and hours as often as about now: "周日末班车几点",
"晚上十一点从竹子林走还赶得上吗", "tomorrow at 7:30 from Luohu", and, after an answer,
just "周日也一样吗" or "what about Saturday?". Timetables differ by day (GTFS service
calendars), so the day matters as much as the hour. These readers are pure: the caller
passes "now" in the feed's time zone and gets a moment in the same zone.

Clock times in Chinese numerals ("十一点半", "七点一刻") are read as digits first. "一点"
alone is left alone, because "快一点"/"早一点" mean "a bit faster/earlier", not 1:00.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.language.numerals import chinese_number
from bot.language.script import to_simplified

_NUMERALS = "零〇一二两兩三四五六七八九十"
_PERIODS = "凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚|今早|明早|明晚|听晚|夜里|夜晚"
_ZH_CLOCK = re.compile(
    rf"(?P<period>{_PERIODS})?\s*(?P<hour>[{_NUMERALS}]{{1,3}})\s*[点點時时]"
    rf"(?P<minute>半|一刻|三刻|[{_NUMERALS}]{{1,3}}(?:分)?)?"
)
_CLOCK = re.compile(
    rf"(?P<prefix>{_PERIODS})?\s*"
    r"(?P<hour>\d{1,2})(?:\s*[:：点時时]\s*(?P<minute>\d{1,2}|半)?)\s*(?:分)?\s*"
    r"(?P<suffix>am|pm|a\.m\.|p\.m\.)?",
    re.IGNORECASE,
)
_HOUR_AMPM = re.compile(r"\b(?P<hour>\d{1,2})\s*(?P<suffix>am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
#: "at 11" in English: an hour after "at"/"around"/"by" that is not a count of something.
_AT_HOUR = re.compile(
    r"\b(?:at|around|by|after|before)\s+(?P<hour>\d{1,2})\b(?!\s*(?:min|stop|station|hour|%|:))",
    re.IGNORECASE,
)
_EVENING = re.compile(r"下午|傍晚|晚上|今晚|明晚|听晚|夜里|夜晚|tonight|evening|\bnight\b", re.I)
_TOMORROW = re.compile(r"明天|明早|明晚|明日|听日|听晚|tomorrow", re.IGNORECASE)
_DAY_AFTER = re.compile(r"后天|後天|后日|後日|day\s+after\s+tomorrow", re.IGNORECASE)
_TODAY = re.compile(r"今天|今日|今晚|今早|today|tonight|this\s+(?:morning|evening)", re.I)
_ZH_WEEKDAY = re.compile(
    r"(?P<which>下个?|下下个?|这个?|本|今)?(?:周|星期|礼拜|禮拜)(?P<day>[一二三四五六日天七])"
)
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_EN_WEEKDAY = re.compile(
    r"\b(?P<which>next|this|coming)?\s*(?:on\s+)?"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
    re.IGNORECASE,
)
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKEND = re.compile(r"周末|週末|weekend", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ZH_DATE = re.compile(r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号號]")
_EN_DATE = re.compile(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    # "3 may" is too often "line 3 may be late": May comes first ("May 3") or not at all.
    r"(?P<month2>jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_SATURDAY = 5


def with_digit_clock(text: str) -> str:
    """ "晚上十一点半" → "晚上11点30", "七点一刻" → "7点15"; other text as it is."""

    def digits(match: re.Match[str]) -> str:
        hour_words, minute_words = match.group("hour"), match.group("minute") or ""
        if hour_words == "一" and not match.group("period") and not minute_words:
            return match.group(0)  # "快一点", "早一点": a little, not one o'clock
        hour = chinese_number(hour_words.replace("兩", "两"))
        if hour is None or hour > 24:
            return match.group(0)
        minute = {"半": 30, "一刻": 15, "三刻": 45}.get(minute_words)
        if minute is None and minute_words:
            minute = chinese_number(minute_words.rstrip("分"))
        shown = f"{match.group('period') or ''}{hour}点"
        return shown + (f"{minute:02d}" if minute is not None and minute < 60 else "")

    return _ZH_CLOCK.sub(digits, text)


def requested_day(text: str, now: dt.datetime) -> dt.date | None:
    """The day the rider names: "明天", "后天", "周日", "下周六", "next Saturday", "周末".

    A weekday alone is its next occurrence, today included ("周日" asked on a Sunday is
    today); "next"/"下周" is in the following week; "the weekend" is the coming Saturday
    (today when it is already the weekend). None when no day is named.
    """
    simplified = to_simplified(text)
    today = now.date()
    dated = _calendar_date(simplified, today)
    if dated is not None:
        return dated
    if _DAY_AFTER.search(simplified):
        return today + dt.timedelta(days=2)
    if _TOMORROW.search(simplified):
        return today + dt.timedelta(days=1)
    zh = _ZH_WEEKDAY.search(simplified)
    if zh:
        weekday = _WEEKDAYS_ZH[zh.group("day")]
        which = zh.group("which") or ""
        if which.startswith("下下"):
            return _in_week(today, weekday, weeks=2)
        if which.startswith("下"):
            return _in_week(today, weekday, weeks=1)
        return _coming(today, weekday)
    en = _EN_WEEKDAY.search(simplified)
    if en:
        weekday = _WEEKDAYS_EN.index(en.group("day").lower())
        if (en.group("which") or "").lower() == "next":
            ahead = (weekday - today.weekday()) % 7 or 7
            return today + dt.timedelta(days=ahead)
        return _coming(today, weekday)
    if _WEEKEND.search(simplified):
        return today if today.weekday() >= _SATURDAY else _coming(today, _SATURDAY)
    if _TODAY.search(simplified):
        return today
    return None


def _calendar_date(text: str, today: dt.date) -> dt.date | None:
    """ "10月1日", "Oct 1st", "1 October": that date, this year or, once past, next year."""
    zh = _ZH_DATE.search(text)
    en = _EN_DATE.search(text)
    if zh:
        month, day = int(zh.group("month")), int(zh.group("day"))
    elif en:
        name = (en.group("month") or en.group("month2")).lower()[:3]
        month, day = _MONTHS.index(name) + 1, int(en.group("day") or en.group("day2"))
    else:
        return None
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def _coming(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _in_week(today: dt.date, weekday: int, *, weeks: int) -> dt.date:
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=7 * weeks + weekday)


def requested_clock(text: str) -> tuple[int, int] | None:
    """The time of day the rider gives, as (hour, minute) on a 24-hour clock, or None.

    "8点半", "晚上十一点", "at 7:30pm", "11pm", "tonight at 11". An hour of 24 (or
    "晚上12点") is midnight at the end of the day and comes back as (24, 0).
    """
    simplified = with_digit_clock(to_simplified(text))
    hour = minute = None
    prefix = suffix = ""
    match = next(
        (
            m
            for m in _CLOCK.finditer(simplified)
            if m.group("minute") is not None or ":" in m.group(0) or "点" in m.group(0)
        ),
        None,
    )
    if match:
        hour = int(match.group("hour"))
        raw_minute = match.group("minute")
        minute = 30 if raw_minute == "半" else int(raw_minute or 0)
        prefix, suffix = match.group("prefix") or "", (match.group("suffix") or "").lower()
    else:
        ampm = _HOUR_AMPM.search(simplified) or _AT_HOUR.search(simplified)
        if ampm:
            hour, minute = int(ampm.group("hour")), 0
            suffix = (ampm.groupdict().get("suffix") or "").lower()
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    if suffix.startswith("p") or prefix in ("下午", "傍晚"):
        hour += 12 if hour < 12 else 0
    elif suffix.startswith("a") or prefix in ("凌晨", "早上", "早晨", "上午", "今早", "明早"):
        hour = 0 if hour == 12 else hour
    elif prefix != "中午" and _EVENING.search(prefix or simplified):
        # "晚上11点", "tonight at 11": the evening; "night bus at 1:30" is after midnight.
        if 5 <= hour < 12:
            hour += 12
        elif hour == 12:
            hour = 24
    return hour, minute


def requested_time(text: str, now: dt.datetime) -> dt.datetime | None:
    """The moment the rider means to travel ("明早7点", "周日晚上十点", "at 7:30pm"), or None.

    A time already past today is taken as given (someone asking at 9:00 about "8点" may
    well mean this morning's plan). A day without a time is that day at the same time of
    day as now; today without a time is no request at all.
    """
    day = requested_day(text, now)
    clock = requested_clock(text)
    if clock is None:
        if day is None or day == now.date():
            return None
        return dt.datetime.combine(day, now.timetz().replace(second=0, microsecond=0))
    hour, minute = clock
    moment = dt.datetime.combine(day or now.date(), dt.time(hour % 24, minute), now.tzinfo)
    return moment + dt.timedelta(days=1) if hour == 24 else moment


def names_a_time(text: str) -> bool:
    """The message names a day or a time of day ("周日也一样吗", "what about 11pm?")."""
    probe = dt.datetime(2000, 1, 3, 12, 0)  # any Monday noon: only whether one is named
    return requested_day(text, probe) is not None or requested_clock(text) is not None
