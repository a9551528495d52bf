"""Text → the features two texts are compared by: word stems and Chinese character pairs.

Why these features: a city's list and a resident's message share meaning through words,
not spellings. English words are folded to a crude stem ("potholes" and "pothole",
"lights" and "light", "blocked" and "block"), and adjacent words are also joined
("street light" meets "streetlight"). Chinese has no spaces, so each pair of adjacent
characters is a feature ("路灯坏了" → 路灯, 灯坏, 坏了), which finds a name inside a
sentence without a word list; a name of one character is kept whole. Text is first
folded with Unicode NFKC (full-width letters and digits from a Chinese keyboard),
lower-cased and converted to Simplified Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.language.script import to_simplified

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

#: Words that carry no meaning about which entry is meant, in either kind of list.
STOP_WORDS = frozenset(
    """a an the and or of to in on at by for from with without into onto over under near
    is are was were be been being am do does did done have has had having it its it's this
    that these those there here i me my we our you your he she they them their his her
    not no yes please can could would should will shall may might must just very really
    so too also some any all every each other others another than then when where what
    which who whom why how if but about as up down out off again still yet more most
    get got getting go going went come came want wanted need needs needed like one two
    s t m ll re ve d im i'm don't can't won't isn't there's it's that's
    report reports reporting reported request requests problem problems issue issues
    complaint complaints complain service services general other misc miscellaneous
    hi hello thanks thank help sir madam day days week weeks time times ago now today
    yesterday tonight morning night since outside front street's city town municipal
    council least whatever ok okay anyway actually maybe already""".split()
)
#: Spellings of texting and signs, written out ("street lite" is a street light).
INFORMAL_SPELLINGS = {
    "lite": "light",
    "streetlite": "streetlight",
    "streetlites": "streetlights",
    "stoplite": "stoplight",
    "stoplites": "stoplights",
    "lites": "lights",
    "nite": "night",
    "nites": "nights",
    "thru": "through",
    "tonite": "tonight",
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "blvd": "boulevard",
    "hwy": "highway",
    "sidewalks": "sidewalk",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "cuz": "because",
    "bc": "because",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "colour": "color",
    "garbages": "garbage",
}
#: Chinese pairs made only of function characters: they join every message to every entry.
_FUNCTION_CHARS = frozenset(
    "的了是在有我你他她它们这那个不也都就还和与及或把被给让吗呢吧啊呀嘛哦么着过很太好要想请帮下上里到说"
)
#: Pairs that say "a report" (or "how do I apply") in Chinese rather than what it is about.
STOP_PAIRS = frozenset(
    {
        "投诉",
        "举报",
        "反映",
        "问题",
        "一下",
        "这个",
        "那个",
        "什么",
        "怎么",
        "已经",
        "现在",
        "今天",
        "昨天",
        "我们",
        "你们",
        "他们",
        "我家",
        "一直",
        "没有",
        "不是",
        "可以",
        "谢谢",
        "麻烦",
        "您好",
        "你好",
        "请问",
        "帮我",
        "处理",
        "解决",
        "情况",
        "市民",
        "附近",
        # Asking how to get something done, not what: every permit question has them
        # ("在哪里办理" named the two entries whose titles end in 办理).
        "办理",
        "申请",
        "申领",
        "哪里",
        "哪儿",
        "多少",
        "多久",
        "需要",
        "怎样",
        "如何",
        "流程",
        "手续",
    }
)


def fold(text: str) -> str:
    """NFKC, lower case and Simplified Chinese: the form every comparison starts from."""
    text = unicodedata.normalize("NFKC", text or "").replace("\u2019", "'").replace("\u2018", "'")
    return to_simplified(text).lower()


#: "park" said of vehicles ("they park on the sidewalk", "parks his van there"): the
#: word is parking then, not green space. Its bare form after "the", "a", "our" is a park.
_PARK_AS_VERB = re.compile(
    r"(?:\b(?:i|we|you|they|people|cars?|drivers?|someone|somebody|he|she|neighbou?rs?|"
    r"trucks?|vans?|vehicles?|who|to|always|keep|still|illegally|cannot|can't|not|"
    r"constantly|often|just|and|then)\s+(park)s?\b)"
    r"|(?:(?<!the )(?<!a )(?<!our )(?<!my )(?<!this )(?<!that )\b(park)s?\s+"
    r"(?:(?:the|their|his|her|a|my|our|your|its)\s+)?(?:cars?|vehicles?|trucks?|vans?|"
    r"lorry|lorries|bus|buses|bikes?|scooters?|motorbikes?|motorcycles?|rvs?|trailers?|"
    r"boats?|on\s+the\s+(?:sidewalk|pavement|curb|kerb|grass|street|road)|illegally|"
    r"in\s+front\s+of|across)\b)"
)
#: Inflections that name another thing than their bare word: "parking" and "parked" are
#: about vehicles, a "park" is green space ("bench in the park" is no parking complaint).
_INFLECTED_APART = {"parking": "parking", "parked": "parking", "parkings": "parking"}


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude English stem, the same on both sides of a comparison (not a linguist's)."""
    if len(word) <= 3 or not word.isascii():
        return word
    if word in _INFLECTED_APART:
        return _INFLECTED_APART[word]
    for suffix, replacement, shortest in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= shortest:
            if suffix == "es" and not word.endswith(("ses", "xes", "ches", "shes", "zes")):
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            base = word[: -len(suffix)] + replacement
            if suffix in ("ing", "ed"):
                if len(base) > 3 and base[-1] == base[-2]:
                    base = base[:-1]  # "dumped" → dump, "blocking" → block, "stopped" → stop
                elif _lost_silent_e(base):
                    base += "e"  # "siting" → site (not "sitting"), "smoking" → smoke
            return base
    return word


_VOWELS = frozenset("aeiou")


def _lost_silent_e(base: str) -> bool:
    """Whether ``base`` is a one-syllable stem that lost its final "e" to -ing or -ed.

    Porter's rule: a stem of one vowel group between consonants, ending consonant,
    vowel, consonant (not w, x or y), had an "e" ("smok" of smoking, "pil" of piled,
    "sit" of siting); without it "siting" met "sitting" and "smoking" missed "smoke".
    """
    if len(base) < 3 or base[-1] in "wxy" or base[-1] in _VOWELS:
        return False
    if base[-2] not in _VOWELS or base[-3] in _VOWELS:
        return False
    groups = re.findall(r"[aeiou]+", base.rstrip("y") if base.endswith("y") else base)
    return len(groups) == 1 and base[0] not in _VOWELS


def _meaningful(word: str) -> bool:
    return word not in STOP_WORDS and not word.isdigit() and not word.endswith("n't")


def _plain(word: str) -> str:
    """A word without its possessive and as it is usually spelt ("neighbor's" → neighbour)."""
    if word.endswith("'s"):
        word = word[:-2]
    if not word.isascii():
        word = unaccented(word)
    return INFORMAL_SPELLINGS.get(word, word)


def unaccented(word: str) -> str:
    """Latin letters without their marks ("schäden" → schaden, "señal" → senal).

    German forms plurals with an umlaut (Schaden, Schäden) and residents type names
    without accents; other scripts are left as they are.
    """
    if _HAN_CHAR.search(word):
        return word
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", word.replace("ß", "ss")):
        if unicodedata.combining(ch) and kept and kept[-1].isascii():
            continue  # a mark on a Latin letter (one on a Cyrillic or kana letter stays)
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def features(text: str) -> list[str]:
    """Every feature of ``text``, repeats kept (a query counts them once)."""
    return [feature for feature, _, _ in located_features(text)]


def plain_words(text: str) -> dict[str, str]:
    """Each meaningful word of ``text`` as spelt (folded, possessive off) → its stem.

    A typo is corrected on the word as written, not on its stem: "parkign" is one swap
    from "parking", but three edits from its stem "park".
    """
    found: dict[str, str] = {}
    for match in _WORD.finditer(fold(text)):
        word = _plain(match.group(0))
        if word.isascii() and word.isalpha() and _meaningful(word):
            found[word] = stem(word)
    return found


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each folded character, where it came from in ``text``.

    NFKC may turn one character into several ("ﬁ" → "fi"); the offsets let a match
    found in the folded text be cut from the resident's own words.
    """
    folded: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(text or ""):
        for out in fold(char):
            folded.append(out)
            origin.append(position)
    return "".join(folded), origin


def located_features(text: str) -> list[tuple[str, int, int]]:
    """(feature, start, end) in ``text`` for every feature of :func:`features`."""
    folded, origin = fold_with_offsets(text)
    located: list[tuple[str, int, int]] = []

    def span(start: int, end: int) -> tuple[int, int]:
        return origin[start], origin[end - 1] + 1

    previous: tuple[str, int, int] | None = None
    previous_end = 0
    parking = {m.start(1) if m.group(1) else m.start(2) for m in _PARK_AS_VERB.finditer(folded)}
    for match in _WORD.finditer(folded):
        raw = match.group(0)
        if _HAN_CHAR.search(raw):
            previous = None
            continue
        word = _plain(raw)
        here = span(match.start(), match.end())
        if not _meaningful(word):
            previous = None
            continue
        verb_park = match.start() in parking
        located.append(("parking" if verb_park else stem(word), *here))
        between = folded[previous_end : match.start()] if previous else ""
        if previous is not None and (between.isspace() or between == "-"):
            located.append((stem(previous[0] + word), previous[1], here[1]))
        previous, previous_end = (word, *here), match.end()
    for run in _HAN_RUN.finditer(folded):
        chars = run.group(0)
        if len(chars) == 1:
            if chars not in _FUNCTION_CHARS:
                located.append((chars, *span(run.start(), run.end())))
            continue
        for i in range(len(chars) - 1):
            pair = chars[i : i + 2]
            if pair in STOP_PAIRS or (pair[0] in _FUNCTION_CHARS and pair[1] in _FUNCTION_CHARS):
                continue
            start = run.start() + i
            located.append((pair, *span(start, start + 2)))
    return located
