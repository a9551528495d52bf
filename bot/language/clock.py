"""The time of day a resident writes: "8点半", "晚上十一点", "at 7:30pm", "昨晚10点".

Two journeys read clock times: a rider's "周日晚上十点还有车吗" (transit) and a
resident's "昨晚10点开始的" for a service's date-time question (complaints). One reader
keeps them agreeing on what "晚上12点", "11pm" or "at 5 stops" means.

Clock times in Chinese numerals ("十一点半", "七点一刻") are read as digits first. "一点"
alone is left alone, because "快一点"/"早一点" mean "a bit faster/earlier", not 1:00.
"""

from __future__ import annotations

import re

from bot.language.mixed_script import mixed_pattern
from bot.language.numerals import chinese_number
from bot.language.script import to_simplified

_NUMERALS = "零〇一二两兩三四五六七八九十"
#: Parts of the day before a clock time; Cantonese says 下昼/晏昼 (afternoon), 朝早 (morning),
#: 挨晚 (evening), written here in Simplified as messages are read.
_PERIODS = (
    "凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚|今早|明早|明晚|听晚|夜里|夜晚"
    "|下昼|晏昼|朝早|朝头早|挨晚"
)
_AFTERNOON = ("下午", "傍晚", "下昼", "晏昼", "挨晚")
_MORNING = ("凌晨", "早上", "早晨", "上午", "今早", "明早", "朝早", "朝头早")
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
_HOUR_AMPM = mixed_pattern(r"\b(?P<hour>\d{1,2})\s*(?P<suffix>am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
#: "at 11" in English: an hour after "at"/"around"/"by" that is not a count of something.
_AT_HOUR = mixed_pattern(
    r"\b(?:at|around|by|after|before)\s+(?P<hour>\d{1,2})\b(?!\s*(?:min|stop|station|hour|%|:))",
    re.IGNORECASE,
)
#: "around 830", "at 1145pm": a time typed as three or four digits after a word of time.
_COMPACT = mixed_pattern(
    r"\b(?:at|around|by|about|after|before|leaving|leave|arrive)\s+"
    r"(?P<hour>[01]?\d|2[0-3])(?P<minute>[0-5]\d)(?![\d:])\s*(?P<suffix>am|pm|a\.m\.|p\.m\.)?"
    # not a house number: "at 1200 S Jackson St", "at 1520 Broadway"
    r"(?!\s*(?:(?-i:[A-Z])|号|st\b|nd\b|rd\b|th\b))",
    re.IGNORECASE,
)
_HOUR_WORDS = {
    word: number
    for number, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
}
_ENGLISH_HOUR = r"(?P<hour>1[0-2]|0?[1-9]|" + "|".join(_HOUR_WORDS) + r")"
#: "half past five", "quarter to 6", "half 5" (British: 5:30), "5 o'clock".
_ENGLISH_CLOCK = mixed_pattern(
    r"\b(?:(?P<part>half|quarter|(?-i:a) quarter)\s+(?P<way>past|after|to|till)?\s*"
    + _ENGLISH_HOUR
    + r"|"
    + _ENGLISH_HOUR.replace("hour", "whole")
    + r"\s*o[’']?\s?clock)\b"
    r"(?:\s*(?P<suffix>am|pm|a\.m\.|p\.m\.|in the (?:morning|afternoon|evening)))?",
    re.IGNORECASE,
)
#: Words of an evening, this one, the next or the last ("昨晚", "寻晚" in Cantonese).
_EVENING = mixed_pattern(
    r"下午|傍晚|晚上|今晚|明晚|听晚|昨晚|昨夜|寻晚|琴晚|夜里|夜晚|tonight|evening|\bnight\b", re.I
)


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


#: Times of day said by their names: noon and midnight (midnight ends the day, as 24:00).
_NAMED_HOURS = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0), "中午": (12, 0),
                "正午": (12, 0), "午夜": (24, 0), "半夜十二点": (24, 0)}  # fmt: skip
_NAMED_HOUR = re.compile(
    r"(?<![A-Za-z])(?:noon|midday|midnight)(?![A-Za-z])|正午|午夜|中午(?=前|之前|以前|到|左右)",
    re.IGNORECASE,
)


def time_of_day(text: str) -> tuple[int, int] | None:
    """The time of day the text gives, as (hour, minute) on a 24-hour clock, or None.

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
    elif compact := _COMPACT.search(simplified):
        # "is there one around 830", "at 1145pm": hour and minutes typed without a colon
        hour, minute = int(compact.group("hour")), int(compact.group("minute"))
        suffix = (compact.group("suffix") or "").lower()
    elif english := _ENGLISH_CLOCK.search(simplified):
        hour, minute = _english_clock(english)
        suffix = (english.group("suffix") or "").lower().replace("in the morning", "am")
        suffix = "pm" if suffix.startswith("in the") else suffix
    else:
        ampm = _HOUR_AMPM.search(simplified) or _AT_HOUR.search(simplified)
        if ampm:
            hour, minute = int(ampm.group("hour")), 0
            suffix = (ampm.groupdict().get("suffix") or "").lower()
    if hour is None and (named := _NAMED_HOUR.search(simplified)):
        # "be there by noon", "at midnight", "中午前": a time of day said by its name.
        return _NAMED_HOURS[named.group(0).lower()]
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    if suffix.startswith("p") or prefix in _AFTERNOON:
        hour += 12 if hour < 12 else 0
    elif suffix.startswith("a") or prefix in _MORNING:
        hour = 0 if hour == 12 else hour
    elif prefix != "中午" and _EVENING.search(prefix or simplified):
        # "晚上11点", "tonight at 11": the evening; "night bus at 1:30" is after midnight.
        if 5 <= hour < 12:
            hour += 12
        elif hour == 12:
            hour = 24
    return hour, minute


def _english_clock(match: re.Match[str]) -> tuple[int, int]:
    """ "half past five" → (5, 30); "quarter to 6" → (5, 45); "half 5" → (5, 30)."""
    raw = (match.group("hour") or match.group("whole")).lower()
    hour = _HOUR_WORDS.get(raw) or int(raw)
    part = (match.group("part") or "").lower()
    if not part:
        return hour, 0
    minutes = 30 if part == "half" else 15
    if (match.group("way") or "").lower() in ("to", "till"):
        return (hour - 1) or 12, 60 - minutes
    return hour, minutes
