"""When the rider means to travel: a day ("周日", "明天", "next Saturday") and a time.

Riders ask about other days and hours as often as about now: "周日末班车几点",
"晚上十一点从竹子林走还赶得上吗", "tomorrow at 7:30 from Luohu", and, after an answer,
just "周日也一样吗" or "what about Saturday?". Timetables differ by day (GTFS service
calendars), so the day matters as much as the hour. These readers are pure: the caller
passes "now" in the feed's time zone and gets a moment in the same zone.

The time of day is read by ``bot.language.clock``, shared with the complaints' date-time
answers.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.language.clock import time_of_day
from bot.language.mixed_script import mixed_pattern
from bot.language.script import to_simplified

_TOMORROW = mixed_pattern(
    r"明天|明早|明晚|明日|听日|听晚|聽日|聽晚|听朝|聽朝|tomorrow"
    r"|\b(?:tmrw|tmr|tmw|tmrow|2moro|2morrow)\b",
    re.IGNORECASE,
)
#: Words that put an hour in the morning: it is never moved to the evening.
_MORNING = mixed_pattern(
    r"早上|早晨|上午|凌晨|清晨|早|朝早|(?<![a-z])(?:am|a\.m\.)(?![a-z])|\bmorning\b",
    re.IGNORECASE,
)
#: How far in the past an hour may be and still be meant as given.
PAST_AND_MEANT = dt.timedelta(hours=2)
#: The end of a working or school day: "五點半下班", "I get off work at 5": an hour before
#: noon said with them is the afternoon's.
_AFTER_WORK = mixed_pattern(
    r"下班|收工|放工|放学|放學|下课|下課|\bget off (?:work|at)\b|\bafter work\b|\bfinish work\b"
    r"|\bshift ends\b|\bget out of (?:work|school)\b",
    re.IGNORECASE,
)
_DAY_AFTER = re.compile(r"后天|後天|后日|後日|day\s+after\s+tomorrow", re.IGNORECASE)
_TODAY = re.compile(r"今天|今日|今晚|今早|today|tonight|this\s+(?:morning|evening)", re.I)
_ZH_WEEKDAY = re.compile(
    r"(?P<which>下个?|下下个?|这个?|本|今)?(?:周|星期|礼拜|禮拜)(?P<day>[一二三四五六日天七])"
)
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_EN_WEEKDAY = mixed_pattern(
    r"\b(?P<which>next|this|coming)?\s*(?:on\s+)?"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
    re.IGNORECASE,
)
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKEND = re.compile(r"周末|週末|weekend", re.IGNORECASE)
#: "平时工作日呢", "what about on a weekday": the working days' timetable.
_WORKING_DAY = re.compile(
    r"工作日|平日|平时|周一到周五|周一至周五|\bweekdays?\b|\bworkdays?\b|\bworking days?\b",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ZH_DATE = re.compile(r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号號]")
_EN_DATE = mixed_pattern(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    # "3 may" is too often "line 3 may be late": May comes first ("May 3") or not at all.
    r"(?P<month2>jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_SATURDAY = 5
#: "on 1 may", "the 3rd of may", "1 may and 3 may?": May after its day, where the words
#: around make it a date and not the verb ("line 3 may be late").
_DAY_OF_MAY = mixed_pattern(
    r"\b(?:on\s+(?:the\s+)?(?P<on>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?may"
    r"|(?P<day>\d{1,2})(?:st|nd|rd|th)\s+(?:of\s+)?may"
    r"|(?P<plain>\d{1,2})\s+may(?=\s*(?:[,.?!;]|and\b|or\b|$)))\b",
    re.IGNORECASE,
)


def requested_day(text: str, now: dt.datetime) -> dt.date | None:
    """The day the rider names: "明天", "后天", "周日", "下周六", "next Saturday", "周末",
    "工作日" (today on a working day, else the coming Monday).

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
    if _WORKING_DAY.search(simplified):
        return today if today.weekday() < _SATURDAY else _coming(today, 0)
    if _TODAY.search(simplified):
        return today
    return None


def _calendar_date(text: str, today: dt.date) -> dt.date | None:
    """ "10月1日", "Oct 1st", "1 October", "Christmas": that date, this year or, once
    past, next year."""
    zh = _ZH_DATE.search(text)
    en = _EN_DATE.search(text)
    may = _DAY_OF_MAY.search(text)
    if zh:
        month, day = int(zh.group("month")), int(zh.group("day"))
    elif en:
        name = (en.group("month") or en.group("month2")).lower()[:3]
        month, day = _MONTHS.index(name) + 1, int(en.group("day") or en.group("day2"))
    elif may:
        month, day = 5, int(may.group("on") or may.group("day") or may.group("plain"))
    else:
        return _holiday(text, today)
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


#: Holidays named instead of a date, whose date is the same in every country that keeps
#: them ("is the bus running on christmas day?", "元旦有没有车"), as (month, day), or days
#: after Easter Sunday as ("easter", offset). Holidays whose date differs by country
#: (Labour Day, Thanksgiving, a national day) or follows the lunar calendar are left out:
#: a wrong date would be answered with confidence.
_HOLIDAYS: tuple[tuple[re.Pattern[str], tuple[int, int] | tuple[str, int]], ...] = tuple(
    (mixed_pattern(pattern, re.IGNORECASE), when)
    for pattern, when in (
        (r"\b(?:christmas|xmas|x-mas)\s+eve\b|平安夜|圣诞夜", (12, 24)),
        (r"\bboxing\s+day\b|\bst\.?\s*stephen'?s\s+day\b", (12, 26)),
        (r"\b(?:christmas|xmas|x-mas)\b|圣诞", (12, 25)),
        (r"\bnew\s+year'?s\s+eve\b|\bnye\b|跨年夜", (12, 31)),
        (r"\bnew\s+year'?s(?:\s+day)?\b|\bon\s+new\s+year\b|元旦", (1, 1)),
        (r"\bgood\s+friday\b|耶稣受难日", ("easter", -2)),
        (r"\beaster\s+monday\b|复活节星期一", ("easter", 1)),
        (r"\beaster(?:\s+sunday)?\b|复活节", ("easter", 0)),
        # 五一 names the date itself; 劳动节 (Labour Day) differs by country and is left out
        (r"五一(?:节|假期|期间|当天|那天|黄金周)", (5, 1)),
    )
)


def _holiday(text: str, today: dt.date) -> dt.date | None:
    """The next date of a holiday the message names (today included), or None."""
    for pattern, when in _HOLIDAYS:
        if not pattern.search(text):
            continue
        for year in (today.year, today.year + 1):
            first, second = when
            if isinstance(first, str):
                candidate = easter_sunday(year) + dt.timedelta(days=second)
            else:
                candidate = dt.date(year, first, second)
            if candidate >= today:
                return candidate
    return None


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday of ``year`` (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _coming(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _in_week(today: dt.date, weekday: int, *, weeks: int) -> dt.date:
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=7 * weeks + weekday)


#: The time of a flight or a long-distance train the trip must reach in time for: "赶10点的
#: 飞机", "my flight is at 10am", "the 9:40 flight". It is when the rider must arrive
#: somewhere else, not when they mean to leave; the trip is taken from now.
_DEADLINE = mixed_pattern(
    r"[0-9０-９一二两三四五六七八九十]{1,3}\s*(?:[:：点點時时]\s*(?:[0-9]{1,2}|半|一刻|三刻)?)?"
    r"\s*(?:分)?\s*(?:am|pm)?\s*(?:的|嘅)\s*(?:飞机|飛機|航班|高铁|高鐵|动车|動車|火车|火車|船票|船)"
    r"|\b(?:flight|plane)s?\s+(?:is\s+|leaves\s+|departs\s+|takes off\s+)?(?:at\s+)?"
    r"\d{1,2}(?::\d{2})?\s*(?:am|pm)?"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|pm|o'?clock)?\s+(?:flight|plane)\b"
    # an appointment the trip must reach in time: "a doctor's appointment … at 9am",
    # "need to be there by 9", "9点前要到", "约了9点看医生"
    r"|\b(?:appointment|meeting|interview|class|shift|check-?in|booking|reservation)\b"
    r"[^.?!\n]{0,40}?\b(?:at|by)\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?"
    r"|\b(?:be|get|arrive|reach)\s+(?:there\s+|in\s+)?by\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?"
    r"|\d{1,2}\s*[点點](?:半|\d{1,2}分?)?\s*(?:之前|以前|前)\s*(?:要|得|必须)?\s*到"
    r"|(?:约了|预约|挂号|开会|上班|面试)[^，。,.]{0,6}?\d{1,2}\s*[点點](?:半)?",
    re.IGNORECASE,
)


def requested_time(text: str, now: dt.datetime) -> dt.datetime | None:
    """The moment the rider means to travel ("明早7点", "周日晚上十点", "at 7:30pm"), or None.

    A time just past today is taken as given (someone asking at 9:00 about "8点" may
    well mean this morning's plan); an hour long past with no word of the morning is
    this evening's ("coming back around 6" at 08:00 is 18:00). A day without a time is
    that day at the same time of day as now; today without a time is no request at all.
    """
    day = requested_day(text, now)
    clock = time_of_day(_DEADLINE.sub(" ", text)) or _named_time(text)
    if clock is None:
        working_day = bool(_WORKING_DAY.search(to_simplified(text)))
        if day is None or (day == now.date() and not working_day):
            # (today on a working day is a request when asked for after another day:
            # "平时工作日呢" after Saturday's first train)
            return None
        return dt.datetime.combine(day, now.timetz().replace(second=0, microsecond=0))
    hour, minute = clock
    moment = dt.datetime.combine(day or now.date(), dt.time(hour % 24, minute), now.tzinfo)
    if hour == 24:
        return moment + dt.timedelta(days=1)
    evening = moment + dt.timedelta(hours=12)
    if (
        day is None
        and hour < 12
        and not _MORNING.search(to_simplified(text))
        and (moment <= now - PAST_AND_MEANT or _AFTER_WORK.search(to_simplified(text)))
        and evening > now
    ):
        # "coming back around 6" asked at 08:00: this evening, not this morning.
        return evening
    return moment


#: Times of day named by a word: "around lunchtime", "at noon", "中午", "午饭时间".
_NAMED_TIMES = (
    (
        mixed_pattern(
            r"\b(?:noon|midday|lunch ?time|lunch hour|(?:at|around|about|over) lunch)\b"
            r"|中午|午饭|午飯|晏昼|晏晝",
            re.I,
        ),
        (12, 0),
    ),
    (mixed_pattern(r"\bmidnight\b|半夜十二点|午夜", re.I), (24, 0)),
)


def _named_time(text: str) -> tuple[int, int] | None:
    """The time of day a word names ("seriously nothing around lunchtime?": 12:00)."""
    return next((clock for pattern, clock in _NAMED_TIMES if pattern.search(text or "")), None)


def names_a_time(text: str) -> bool:
    """The message names a day or a time of day ("周日也一样吗", "what about 11pm?"), to
    leave or to arrive by ("need to be there by 9pm")."""
    probe = dt.datetime(2000, 1, 3, 12, 0)  # any Monday noon: only whether one is named
    return (
        requested_day(text, probe) is not None
        or time_of_day(text) is not None
        or _named_time(text) is not None
    )


#: "not gonna make the 7:51, whats after that", "8点11分赶唔切": the train at the time named
#: is the one the rider will miss; the answer starts after it.
_MISSING_IT = mixed_pattern(
    r"\b(?:not gonna|not going to|won'?t|can'?t|cannot|never|wont|cant)\s+make\b"
    r"|\bmiss(?:ed|ing)?\s+the\b|\b(?:what'?s|whats|anything|one)\s+after\b|\bafter that\b"
    r"|赶不上|趕不上|赶唔切|趕唔切|来不及|來不及|错过|錯過",
    re.IGNORECASE,
)


def misses_the_time_named(text: str) -> bool:
    """The message names a train's time only to say the rider will miss it."""
    return bool(_MISSING_IT.search(to_simplified(text or "")))
