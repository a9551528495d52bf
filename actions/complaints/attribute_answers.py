"""Answers to a service's extra questions (Open311 attributes), read by datatype.

The city's server will refuse a request whose required attribute is missing or of
the wrong type, and a refused complaint helps no one; so each answer is checked here,
before anything is posted, and a resident who types "a lot" to "how many?" is asked
again with what is expected. What is posted is what the spec expects per datatype:
a number as digits, a date-time in ISO 8601 with the city's offset, a list answer as
the value's key (several keys for a multivaluelist).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from actions.clients.open311_definitions import AttributeValue, ServiceAttribute
from bot.language.clock import time_of_day
from bot.language.mixed_script import mixed_pattern
from bot.language.numerals import NUMERAL_RUN, chinese_number
from bot.language.script import to_simplified
from bot.matching.features import fold, plain_words, unaccented

#: Chinese words for common English values of cities' questions.
ANSWER_WORDS = Path(__file__).resolve().parent / "lexicon" / "answer_words.yml"

MAX_STRING_CHARS = 300
MAX_TEXT_CHARS = 2000
#: How alike (0–100) a typed answer and a list value's name must be to count.
MIN_VALUE_SIMILARITY = 80

_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_SPLIT = mixed_pattern(r"\s*(?:[,，、;；/]|\band\b|\bund\b|\by\b|和|及|与|跟)\s*")
_ORDINAL = re.compile(r"^(?:no\.?\s*|#|第)?\s*(\d{1,2})\s*(?:个|项|号)?$")


@dataclass(frozen=True)
class Answer:
    """A checked answer: what to post, and how to show it in the summary (or why not)."""

    value: str | list[str] | None
    shown: str = ""
    problem: str | None = None  # a catalogue phrase key saying what was expected


def parse_number(text: str) -> str | None:
    """The first number in ``text`` as digits ("about 3 metres" → "3", "两个" → "2")."""
    folded = unicodedata.normalize("NFKC", text or "")
    match = _NUMBER.search(folded)
    if match:
        return match.group(0).replace(",", ".").lstrip("+")
    words = NUMERAL_RUN.search(folded)
    if words:
        value = chinese_number(words.group(0))
        return None if value is None else str(value)
    return None


def parse_when(text: str, now: dt.datetime) -> dt.datetime | None:
    """A date-time a resident typed, in the zone of ``now`` ("yesterday 8pm", "昨晚10点").

    ISO dates ("2026-11-30", "2026-11-30 18:30"), days relative to now (today,
    yesterday, the day before yesterday; 今天/昨天/前天) with an optional clock time,
    or a clock time alone (today), read as the transit journey reads a rider's time
    (``bot.language.clock``). "now"/"现在"/"刚才" is now.
    """
    folded = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not folded:
        return None
    if folded in ("now", "just now", "right now", "现在", "刚才", "刚刚"):
        return now.replace(microsecond=0)
    iso = re.search(
        r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:[ t]*(\d{1,2})[:：点](\d{2})?)?", folded
    )
    if iso:
        year, month, day, hour, minute = iso.groups()
        try:
            return now.replace(
                year=int(year),
                month=int(month),
                day=int(day),
                hour=int(hour or 0),
                minute=int(minute or 0),
                second=0,
                microsecond=0,
            )
        except ValueError:
            return None
    offset = None
    for words, days in (
        (("day before yesterday", "前天"), 2),
        (("yesterday", "昨天", "昨晚", "昨夜", "昨日", "尋日", "寻日", "琴日", "寻晚", "琴晚"), 1),
        (("today", "tonight", "this morning", "this evening", "今天", "今晚", "今日", "今早"), 0),
    ):
        if any(word in folded for word in words):
            offset = days
            break
    clock = time_of_day(folded)
    if offset is None and clock is None:
        return None
    day = now - dt.timedelta(days=offset or 0)
    if clock is None:
        return day.replace(second=0, microsecond=0)
    hour, minute = clock
    moment = day.replace(hour=hour % 24, minute=minute, second=0, microsecond=0)
    return moment + dt.timedelta(days=1) if hour == 24 else moment


def match_value(text: str, values: Sequence[AttributeValue]) -> AttributeValue | None:
    """The list value an answer names: by key, by name, by its number in the list, or close;
    a value it rules out ("street, not the alley", "唔係後巷") is no answer."""
    kept = _NOT_THIS.sub(" ", text or "")
    if kept.strip(" ,，.。!！") and kept != text:
        found = match_value(kept, values)
        if found is not None:
            return found
    folded = fold(text).strip().strip(".。!！")
    if not folded:
        return None
    for value in values:
        if folded in (fold(value.key), fold(value.name)):
            return value
    ordinal = _ORDINAL.match(folded)
    if ordinal and 1 <= int(ordinal.group(1)) <= len(values):
        return values[int(ordinal.group(1)) - 1]
    distinct = _named_by_its_own_words(folded, values)
    if distinct is not None:
        return distinct
    names = [fold(value.name) for value in values]
    best = process.extractOne(folded, names, scorer=fuzz.WRatio, score_cutoff=MIN_VALUE_SIMILARITY)
    if best is not None:
        return values[best[2]]
    contained = [v for v, name in zip(values, names, strict=True) if name and name in folded]
    if len(contained) == 1:
        return contained[0]
    return (
        _part_named(folded, values) or _named_in_chinese(text, values) or _same_thing(text, values)
    )


def _named_by_its_own_words(folded: str, values: Sequence[AttributeValue]) -> AttributeValue | None:
    """The one value whose own words (those no other value's name has) the answer says:
    "its in the bike lane, going north" is "In a bike lane", not "In a travel lane"
    (whose "in a … lane" the answer shares, and which a fuzzy score preferred)."""
    stems = [set(plain_words(value.name).values()) for value in values]
    said = set(plain_words(_NOT_THIS.sub(" ", folded)).values())
    named = [
        value
        for value, own in zip(values, stems, strict=True)
        if own - set().union(*(o for o in stems if o is not own)) & said
    ]
    return named[0] if len(named) == 1 else None


#: What separates the alternatives of one value's name: "Sidewalk / footpath", "Roadway
#: (where cars drive)", "Parking area or public square".
_NAME_PARTS = re.compile(r"\s*(?:[/|()（）,，;；]|\bor\b)\s*")


def _part_named(folded: str, values: Sequence[AttributeValue]) -> AttributeValue | None:
    """The one value a part of whose name the answer says as words: "it's on the
    sidewalk, where people walk" is "Sidewalk / footpath", though the whole name is
    said nowhere and "where" is also in "Roadway (where cars drive)"."""
    words = set(re.findall(r"\w+", folded))
    named = [
        value
        for value in values
        if any(
            len(part) >= 3
            and (
                re.search(rf"(?<!\w){re.escape(part)}(?!\w)", folded)
                or (" " not in part and _shortened(part, words))
            )
            for part in _NAME_PARTS.split(fold(value.name))
        )
    ]
    return named[0] if len(named) == 1 else None


def _shortened(part: str, words: set[str]) -> bool:
    """A one-word part said shorter: "road" for "Roadway", "bike" for "Bikeway"."""
    return any(
        len(word) >= 4 and part.startswith(word) and len(part) - len(word) <= 3 for word in words
    )


def _same_thing(text: str, values: Sequence[AttributeValue]) -> AttributeValue | None:
    """The one value naming a thing the answer names in other words, by the concept lexicon:
    "just normal kitchen garbage in black bags" is "Trash" of [Trash, Recycling, Bulk Item]."""
    from actions.complaints.concepts import lexicon

    told = {hit.concept.id for hit in lexicon().find(text)}
    if not told:
        return None
    sharing = [
        value for value in values if told & {hit.concept.id for hit in lexicon().find(value.name)}
    ]
    return sharing[0] if len(sharing) == 1 else None


def _named_in_chinese(text: str, values: Sequence[AttributeValue]) -> AttributeValue | None:
    """The one English value a Chinese answer names ("在路口中间" for Street, not Alley);
    a value said not to be meant ("唔係路口") names nothing."""
    simplified = to_simplified(_NOT_THIS.sub(" ", text)).lower()
    longest = {
        value.key: max(
            (
                len(word)
                for english in re.findall(r"[a-z]+", unaccented(fold(value.name)))
                for word in _answer_words().get(english, ())
                if word in simplified
            ),
            default=0,
        )
        for value in values
    }
    # The longest word said decides: "不是" names No, though 是 (Yes) is in it.
    best = max(longest.values(), default=0)
    named = [value for value in values if best and longest[value.key] == best]
    return named[0] if len(named) == 1 else None


@lru_cache(maxsize=1)
def _answer_words() -> dict[str, tuple[str, ...]]:
    """English value words → the Chinese words that name them (``lexicon/answer_words.yml``)."""
    document = yaml.safe_load(ANSWER_WORDS.read_text(encoding="utf-8")) or {}
    return {
        str(english).lower(): tuple(str(word) for word in words or ())
        for english, words in (document.get("words") or {}).items()
    }


def read_answer(attribute: ServiceAttribute, text: str, now: dt.datetime) -> Answer:
    """Check a resident's answer to ``attribute``; see :class:`Answer`."""
    text = " ".join((text or "").split())
    if not text:
        return Answer(None, problem="attribute.expected_text")
    if attribute.datatype == "number":
        number = parse_number(text)
        return (
            Answer(number, number) if number else Answer(None, problem="attribute.expected_number")
        )
    if attribute.datatype == "datetime":
        moment = parse_when(text, now)
        if moment is None:
            return Answer(None, problem="attribute.expected_datetime")
        return Answer(moment.isoformat(), f"{moment:%Y-%m-%d %H:%M}")
    if attribute.datatype == "singlevaluelist":
        mainly = _MAINLY.search(text)
        # "主要是沙发床垫，砖头也有一点", "mostly the swing, the slide is minor": the value
        # said to be the main one, though others are named after it.
        value = match_value(_clause_at(text, mainly.end()), attribute.values) if mainly else None
        value = value or match_value(text, attribute.values)
        if value is None:
            return Answer(None, problem="attribute.expected_choice")
        return Answer(value.key, value.name)
    if attribute.datatype == "multivaluelist":
        chosen: list[AttributeValue] = []
        pieces = [p for p in _SPLIT.split(text) if p.strip()]
        parts = [match_value(p, attribute.values) for p in pieces]
        if len(pieces) < 2 or any(p is None for p in parts):
            # One value, or one whose name has "and" in it ("Leaf and Yard Waste").
            parts = [match_value(text, attribute.values)]
        if not parts or any(p is None for p in parts):
            return Answer(None, problem="attribute.expected_choices")
        for part in parts:
            if part is not None and part not in chosen:
                chosen.append(part)
        return Answer([v.key for v in chosen], ", ".join(v.name for v in chosen))
    limit = MAX_TEXT_CHARS if attribute.datatype == "text" else MAX_STRING_CHARS
    return Answer(text[:limit], text[:limit])


#: Words that say which of several things is the main one.
_MAINLY = mixed_pattern(
    r"\b(?:mainly|mostly|primarily|chiefly|largely|especially)\b|主要是|主要係|主要系"
    r"|主要|大部分是|大多是|大部分係|最主要",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,，。.;；!！?？]|\bbut\b|\band\b|也|仲有|还有|還有")


def _clause_at(text: str, start: int) -> str:
    """The words from ``start`` to the end of their clause."""
    end = _CLAUSE_END.search(text, start)
    return text[start : end.start() if end else len(text)]


def pending(
    attributes: Sequence[ServiceAttribute], answered: dict[str, object]
) -> list[ServiceAttribute]:
    """The required attributes still without an answer, in the city's order."""
    return [a for a in attributes if a.asked and a.code not in answered]


#: Where a resident's second thoughts start: "… the gutter part... I guess that's the road?"
_CLAUSE_BREAK = re.compile(r"[.!?;。！？；…]+|,|，|\bbut\b|\bactually\b|其实|不过|但是")


#: A value said not to be meant: "not alley", "不是人行道".
_NOT_THIS = re.compile(
    r"\bnot\s+(?:the\s+|an?\s+)?\w+|(?:不是|唔係|唔系|唔喺|不在)[^，,。.!?！？\s]{1,6}",
    re.IGNORECASE,
)


def answer_changed(
    text: str, attributes: Sequence[ServiceAttribute], answers: dict[str, object]
) -> tuple[ServiceAttribute, AttributeValue] | None:
    """A list answer given earlier, changed by a later message: the attribute and the value
    its last clause that names one names ("actually … I guess that's the road?" after
    "Sidewalk"). None when no clause names another value of an answered list question."""
    said = _NOT_THIS.sub(" ", text or "")  # "street not alley": alley is no answer
    clauses = [c for c in _CLAUSE_BREAK.split(said) if c and c.strip()]
    for clause in reversed(clauses):
        for attribute in attributes:
            if attribute.datatype != "singlevaluelist" or attribute.code not in answers:
                continue
            value = match_value(clause, attribute.values)
            if value is not None:
                return None if value.key == answers[attribute.code] else (attribute, value)
    return None


#: Values that say nothing when met in a description: "no" or "other" in a story is no
#: answer to the city's question.
_NO_ANSWER_WHEN_TOLD = frozenset(
    {"yes", "no", "other", "others", "unknown", "none", "n/a", "na", "not sure", "both", "all",
     "don't know", "dont know", "unsure", "maybe", "other (please describe)"}
)  # fmt: skip


#: Names of two or more capitalised words ("Main Street", "Bike Lane Cafe"): an address or
#: a shop's name, no answer to "is it on the street or in the alley?".
_PROPER_NAMES = re.compile(r"\b(?:[A-Z0-9][\w'.-]*\s+)+[A-Z][\w'.-]*")


def told_in(attribute: ServiceAttribute, text: str) -> Answer | None:
    """The answer to a list question the resident gave before it was asked, in the
    report's own words: "the pothole is in the bike lane" answers "Where is it?" with
    "Bike lane", "人行道上有个大坑" with "Sidewalk". Only a value whose name (or a part of
    it, four letters or more; a Chinese word of two or more characters) the text says,
    and only when it says exactly one; never a yes, no or other. A number question is
    answered by a count of the thing it counts ("two lights are out" to "How many lights
    are out?"). None otherwise: the question is asked."""
    if attribute.datatype == "number" and text:
        return _count_told(attribute.description, text)
    if attribute.datatype != "singlevaluelist" or not text:
        return None
    candidates = [v for v in attribute.values if fold(v.name).strip() not in _NO_ANSWER_WHEN_TOLD]
    if len(candidates) < 2:
        return None
    said = fold(_NOT_THIS.sub(" ", _PROPER_NAMES.sub(" ", text)))
    named = [
        value
        for value in candidates
        if any(
            len(part) >= 4 and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", said)
            for part in [fold(value.name).strip(), *_NAME_PARTS.split(fold(value.name))]
        )
    ]
    if not named:
        chinese = _named_in_chinese_words(text, candidates)
        named = [chinese] if chinese is not None else []
    if len(named) != 1:
        return None
    return Answer(named[0].key, named[0].name)


def _named_in_chinese_words(text: str, values: Sequence[AttributeValue]) -> AttributeValue | None:
    """As :func:`_named_in_chinese`, counting only words of two characters or more (a
    story's 路 or 是 names no value)."""
    simplified = to_simplified(text)
    said = {
        value.key: any(
            len(word) >= 2 and word in simplified
            for english in re.findall(r"[a-z]+", unaccented(fold(value.name)))
            for word in _answer_words().get(english, ())
        )
        for value in values
    }
    named = [value for value in values if said[value.key]]
    return named[0] if len(named) == 1 else None


#: The thing a number question counts: "How many lights are out?" → "lights",
#: "有几盏灯不亮？" → "盏" (the measure word, as a Chinese count says it).
_HOW_MANY = re.compile(r"\bhow\s+many\s+([a-z][a-z-]{2,})", re.IGNORECASE)
_MEASURE = "盏盞个個根只隻辆輛处處条條棵块塊支台部位次枝间間座"
_CHINESE_HOW_MANY = re.compile(rf"(?:多少|几|幾)\s*([{_MEASURE}])")
#: Words after "how many" that name no thing ("How many are there?").
_NO_THING = frozenset({"are", "were", "is", "was", "do", "did", "have", "has", "of", "times"})
_ENGLISH_COUNTS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a single": 1, "a couple of": 2, "both": 2,
    "single": 1, "a pair of": 2,
}  # fmt: skip
_ENGLISH_COUNT = r"(\d{1,3}|" + "|".join(sorted(_ENGLISH_COUNTS, key=len, reverse=True)) + ")"
#: "12 main st lights": a house number and its street, no count.
_HOUSE_NUMBER_BEFORE = re.compile(
    r"\d+\s+\w+\s+(?:st|street|rd|road|ave|avenue|blvd|dr|drive|ln|lane|way|pl|ct|hwy)\b",
    re.IGNORECASE,
)
#: "just the one", "only one": a count of one, with the thing named anywhere near.
_JUST_ONE = re.compile(r"\b(?:just|only)\s+(?:the\s+)?one\b(?!\s+of\b)", re.IGNORECASE)


def _count_told(question: str, text: str) -> Answer | None:
    """The count of the thing ``question`` asks about that ``text`` gives ("two of the
    lights", "3 streetlights", "三盏路灯", "just the one light"), or None. Words between
    the number and the thing are lower-case, so "12 Main St lights" is no count."""
    folded = unicodedata.normalize("NFKC", text)
    measure = _CHINESE_HOW_MANY.search(question or "")
    if measure:
        said = re.search(rf"(\d{{1,3}}|{NUMERAL_RUN.pattern})\s*{measure.group(1)}", folded)
        if said and not said.group(1).isdigit():
            value = chinese_number(said.group(1))
            return None if value is None else Answer(str(value), str(value))
        return Answer(said.group(1), said.group(1)) if said else None
    thing = _HOW_MANY.search(question or "")
    if not thing or thing.group(1).casefold() in _NO_THING:
        return None
    stem = re.sub(r"(?:es|s)$", "", thing.group(1).casefold())
    if len(stem) < 3:
        return None
    counted = re.search(
        rf"(?<![\w.,]){_ENGLISH_COUNT}\s+"
        rf"(?:(?:of\s+)?(?:the|these|those|our|my)\s+|(?-i:[a-z-]+)\s+){{0,2}}\w*{re.escape(stem)}",
        folded,
        re.IGNORECASE,
    )
    if counted and not _HOUSE_NUMBER_BEFORE.match(counted.group(0)):
        word = counted.group(1).casefold()
        count = word if word.isdigit() else str(_ENGLISH_COUNTS[" ".join(word.split())])
        return Answer(count, count)
    if _JUST_ONE.search(folded) and re.search(rf"\w*{re.escape(stem)}", folded, re.IGNORECASE):
        return Answer("1", "1")
    return None
