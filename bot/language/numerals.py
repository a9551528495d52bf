"""Small numbers written in Chinese characters: "十二" → 12, "两" → 2, "三百" → 300.

Residents write counts and clock times in words ("两个", "晚上十一点半"). Only small
numbers (up to 999) matter here, for answers to a city's questions and for times of
day; a library for Chinese numerals (with 万, 亿, decimals and financial characters)
would be larger than the few lines this needs.
"""

from __future__ import annotations

import re

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
#: A run of numeral characters, for finding a number written in words.
NUMERAL_RUN = re.compile(r"[零〇一二两兩三四五六七八九十百]+")


def chinese_number(text: str) -> int | None:
    """ "十二" → 12, "二十五" → 25, "三百" → 300, "两" → 2; None if not only numerals."""
    if not text:
        return None
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current
