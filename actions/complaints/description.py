"""Is there a description or a location in what the resident wrote, and is it short enough?

Why: a resident who opens with "深南大道上有个大坑" has already said what is
wrong; asking "please describe the problem" again is the kind of question that
makes people give up. But "我要投诉" or "I want to report a problem" says only
that they want to complain, and the form must still ask. The same goes for a
location answer: "不知道" or "?" is no place a city worker can go to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from actions.complaints.text import english_words, fold, han_count
from bot.language.mixed_script import mixed_pattern

#: Open311 GeoReport v2 limits ``description`` to 4,000 characters.
MAX_DESCRIPTION_CHARS = 4000

_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
#: Control characters other than newline: invisible, and some servers refuse them.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def trim_description(text: str) -> tuple[str, bool]:
    """The description as it is sent: tidy whitespace, at most ``MAX_DESCRIPTION_CHARS``.

    Runs of spaces and tabs become one space, lines are stripped, more than one
    blank line in a row becomes one, control characters go. A longer text is
    cut at a character boundary that does not split an accent or emoji from its
    base character. Returns the text and whether it was cut, so the caller can
    tell the resident.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    lines = [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if len(text) <= MAX_DESCRIPTION_CHARS:
        return text, False
    cut = MAX_DESCRIPTION_CHARS
    while cut > 0 and (_continues_previous(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return text[:cut].rstrip(), True


def _continues_previous(char: str) -> bool:
    """True for characters that belong to the one before: accents, emoji joiners and modifiers."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Me")
        or code in (0x200D, 0xFE0E, 0xFE0F)
        or 0x1F3FB <= code <= 0x1F3FF
        or code == 0x20E3
    )


#: "我要投诉", "帮我登记个投诉", "我想反映一下", "投诉一下", "举报", "报修"… in one pattern.
_REQUEST_ZH = re.compile(
    r"(?:我们|我|本人)?(?:现在|这边|这里)?(?:要|想|想要|需要|希望|准备|打算|得|来)?"
    r"(?:帮我|帮忙|请你|请您|请|麻烦你|麻烦您|麻烦|给我)?"
    r"(?:登记|提交|提出|提|做|发起|进行|说|问)?(?:一个|一下|一件|个|下)?"
    r"(?:投诉|反映|反应|举报|报修|上报|报告|报料|报|诉求|意见|建议)"
    r"(?:一下|下)?(?:一个|个|一件|件)?(?:投诉|问题|情况|事情|事|意见|诉求)?"
)
_GENERIC_ZH = re.compile(
    r"你好|您好|喂|哈喽|请问|谢谢|多谢|麻烦了|有个问题|有件事|有个事|有问题|有事|出问题|"
    r"这个问题|一个问题|问题|情况|关于|有关|那个|就是|一下|12345|热线|客服|工单|"
    r"我想问|能不能|可以吗|可不可以|行吗"
)
_GENERIC_EN = mixed_pattern(
    r"\b(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|thanks|thank you|please)\b"
)
#: Words that say nothing about the problem itself, in a request or anywhere.
_NOT_CONTENT_EN = frozenset(
    """
    a an the i i'd i'm i'll i've we we'd we're my our me us you your it it's its this that these
    those there there's here is are was were be been being am to of in on at for with about by
    from into and or but so as if then than just also too very really please want wanna would
    like need needs make made file filing lodge submit raise log register report reporting
    reported complain complaining complaint complaints problem problems issue issues something
    someone thing things some any can could help have has had got get do does did let new one
    again regarding concerning hi hello hey thanks thank ok okay yes no
    """.split()
)
_PUNCTUATION = re.compile(r"[^\w\s']+", re.UNICODE)


#: A Chinese message that says this much besides asking to report tells what happened,
#: whatever of it the model marked as the category ("有车堵消防通道!!").
MIN_TOLD_HAN = 6


def tells_what_happened(text: str) -> bool:
    """ "有车堵消防通道!!": a whole sentence of what happened, though short.

    ``describes_problem`` takes the category's words out ("投诉噪音" says nothing more);
    a sentence of six or more characters besides the request itself ("有车堵消防通道")
    is a description even when most of it is the category's words.
    """
    rest = _GENERIC_ZH.sub(" ", _REQUEST_ZH.sub(" ", fold(text or "")))
    return han_count(rest) >= MIN_TOLD_HAN


def describes_problem(text: str, entity_texts: Sequence[str] = ()) -> bool:
    """True when the opening message already says what is wrong, so the form need not ask.

    Request phrases ("我要投诉", "帮我登记个投诉", "I'd like to make a complaint",
    "file a complaint"), greetings, punctuation and ``entity_texts`` — the spans
    of the message the NLU recognised (the category, the place), as written —
    are taken out; what remains must still
    say something: at least 4 Chinese characters, or at least 3 English words of
    which at least 2 are content words.

    "深南大道上有个大坑" with entity "大坑" → True; "我要投诉噪音" with "噪音" →
    False; "There's a huge pothole on Shennan Avenue" → True. "streetlight broken"
    with entity "streetlight" → False: one word is left, and "broken" alone is
    not worth skipping the description question for — the resident is asked and
    can add where and since when.
    """
    rest = text or ""
    for entity in sorted((value for value in entity_texts if value), key=len, reverse=True):
        rest = rest.replace(entity, " ")
    rest = fold(rest)
    for entity in sorted((fold(value) for value in entity_texts if value), key=len, reverse=True):
        rest = rest.replace(entity, " ")
    rest = _REQUEST_ZH.sub(" ", rest)
    rest = _GENERIC_ZH.sub(" ", rest)
    rest = _GENERIC_EN.sub(" ", rest)
    rest = _PUNCTUATION.sub(" ", rest)
    if han_count(rest) >= 4:
        return True
    words = english_words(rest)
    content = [word for word in words if word not in _NOT_CONTENT_EN and len(word) > 1]
    return len(words) >= 3 and len(content) >= 2


#: Answers that give no place: "不知道", "don't know", "here" (without a shared location).
_NO_PLACE_ZH = re.compile(
    r"不知道|不清楚|不晓得|不确定|不记得|记不得|忘了|忘记了|说不清|说不好|不太清楚|没注意|"
    r"随便|无|没有|这里|这儿|那里|那儿|这边|那边|此处|此地|附近|周围|旁边|"
    r"具体|位置|地址|地点|地方|在哪里|在哪|哪里|哪儿|大概|应该|好像|可能|就在|在|的|是|我|也|"
    r"嗯|啊|吧|呢|了|呀|哦"
)
_NO_PLACE_EN = frozenset(
    """
    i don't dont do not know no idea sure unknown unsure idk dunno n/a na none nowhere somewhere
    anywhere here there over around near nearby the a an it it's is at in on exactly where
    location address place think maybe perhaps probably really can't cannot remember forgot
    tell say which what who how skip pass next later
    """.split()
)


#: What chat apps write in place of a picture, a voice message or a sticker: a word or
#: two in square brackets ("[图片]", "[語音]", "[Photo]", "【动画表情】").
_PLACEHOLDER = re.compile(r"\s*[\[【]\s*[^\]】\d\s]{1,8}(?:\s[^\]】\d\s]{1,8})?\s*[\]】]\s*")


def usable_location(text: str) -> bool:
    """True when a location answer gives something a city worker could look for.

    Enough: 2 Chinese characters of substance ("楼下", "深南大道"), a Latin word of 3+
    letters ("Shennan Road", "near the station"), or a number with a letter or
    character ("88号", "Block 5"). Not enough: empty text, punctuation or emoji
    only, a bare number, "不知道", "不清楚具体在哪", "don't know", "not sure",
    "here", "?". A location shared from the channel is handled by the form.
    """
    folded = fold(text)
    if _PLACEHOLDER.fullmatch(folded):
        return False  # "[图片]": what a chat app shows for a picture, not a place
    chinese = _NO_PLACE_ZH.sub("", folded)
    if han_count(chinese) >= 2:
        return True
    words = [word for word in english_words(folded) if word not in _NO_PLACE_EN]
    if any(len(word) >= 3 for word in words):
        return True
    has_number = bool(re.search(r"\d", folded))
    return has_number and (han_count(chinese) >= 1 or bool(words))


#: Words of where: a number, a street's or a building's kind, a preposition of place.
_PLACE_HINTS = mixed_pattern(
    r"\d|路|街|道|巷|号|门|口|站|楼|栋|座|小区|花园|公园|广场|学校|医院|商场|市场|附近|旁边|对面|门口|楼下"
    r"|\b(?:st|street|ave|avenue|road|rd|blvd|boulevard|lane|ln|way|drive|dr|place|pl|square|sq"
    r"|park|station|stop|corner|near|outside|opposite|behind|across|between|beside|next to"
    r"|in front|block|building|school|church|hospital|library|mall|plaza|bridge|alley|playground"
    r"|entrance|exit|gate)\b",
    re.IGNORECASE,
)


def asks_instead_of_placing(text: str) -> bool:
    """ "can u check on that one" when asked where: a question, and no word of a place."""
    from actions.complaints.intent_words import looks_like_question

    return looks_like_question(text) and not _PLACE_HINTS.search(fold(text))


#: Words pointing back at a place already told: "地址就是上面那个工地", "same as above".
_REFERS_BACK = mixed_pattern(
    r"上面|上述|上边|以上|前面说|刚才说|之前说|刚刚说|\bsame as (?:above|before)\b"
    r"|\b(?:mentioned|said|above)\b",
    re.IGNORECASE,
)


def points_back_at_the_place(text: str) -> bool:
    """ "地址就是上面那个工地": the place already told, not a new one (no street, no number)."""
    folded = fold(text)
    return bool(_REFERS_BACK.search(folded)) and not re.search(r"\d|路|街|道|巷|号", folded)
