"""Text as the complaint rules compare it: folded, split into tokens and clauses.

Why a fold of its own: the action server sees what the resident wrote —
Traditional or Simplified Chinese, full-width digits from a Chinese keyboard,
curly apostrophes from a phone — and the word lists of the complaint rules are
written once, in Simplified Chinese and lower-case English. ``fold`` maps each
character to one character (never more, never fewer), so a position found in
the folded text is the same position in the resident's text, and a value cut
from it (a new address) keeps the resident's own script.

The Traditional → Simplified table holds the characters of the complaint vocabulary
whose reading residents mean differently from OpenCC's first choice (係 → 系, 著 → 着);
every other Traditional-only character is simplified as the NLU pipeline does
(``bot.language.script.to_simplified``, OpenCC's character table, read once), so a
word list written in Simplified also reads a resident's 花園 or 講. ``tests/unit/
complaints`` checks the table against OpenCC and checks that every word list survives
a round trip through Traditional.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence

from bot.language.script import is_han, to_simplified

# Character for character, Traditional → Simplified, Hong Kong and Taiwan variants included
# (裏/裡, 麽/麼). Generated from OpenCC's TSCharacters for the characters of the word lists;
# 著 → 着 is added because Traditional writes 著 where Simplified writes 着 (看著).
_TRADITIONAL = (
    "乾來係個們備傢傳兌兒內別勁區唄問單嗎嘍噠囉圍報壞實寫對峯幫幹幾廟彆應換於時暫曉會"
    "條棄樓樣機氣沒況準為無煩熱燈爍爲現發確碼種稱箇節細終結絡給線總繫聯脩舉華著處號"
    "衕裏裝裡見訂訊記訪訴註話該詳認誤說説請論謝譟議資車轉辦迴這週進過還邊銷錯錶鐵長門"
    "閃開間關際隨隻電題願類餵體髮麼麽點齣補規設詞統獄則"
)
_SIMPLIFIED = (
    "干来系个们备家传兑儿内别劲区呗问单吗喽哒啰围报坏实写对峰帮干几庙别应换于时暂晓会"
    "条弃楼样机气没况准为无烦热灯烁为现发确码种称个节细终结络给线总系联修举华着处号"
    "同里装里见订讯记访诉注话该详认误说说请论谢噪议资车转办回这周进过还边销错表铁长门"
    "闪开间关际随只电题愿类喂体发么么点出补规设词统狱则"
)

#: Quotes and apostrophes as phones type them.
_PUNCTUATION = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}

_SPLIT = re.compile(r"[,.!?;:~\n\r\t。！？；：、，…·]+")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|\S", re.UNICODE)
#: Skin-tone modifiers and variation selectors: part of an emoji, not a token.
_EMOJI_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0e\ufe0f\u200d]")
_PUNCTUATION_CATEGORIES = ("P", "Z", "C")


def _pairs() -> dict[str, str]:
    pairs = {}
    for traditional, simplified in zip(_TRADITIONAL, _SIMPLIFIED, strict=True):
        if traditional != simplified:
            pairs[traditional] = simplified
    return pairs


_TRADITIONAL_TO_SIMPLIFIED = {**_pairs(), **_PUNCTUATION}


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    lower = folded.lower()
    if len(lower) == 1:
        folded = lower
    # The table first (its pairs are the ones residents mean: 係 → 系, 著 → 着), then
    # every other Traditional-only character as OpenCC simplifies it (園 → 园, 講 → 讲).
    simplified = to_simplified(_TRADITIONAL_TO_SIMPLIFIED.get(folded, folded))
    # OpenCC writes Cantonese 嗰 ("that") as the rare 𠮶; residents and our word lists
    # write 嗰 ("旁边嗰", "嗰个").
    return "嗰" if simplified == "𠮶" else simplified


def fold(text: str) -> str:
    """``text`` lower-cased, half-width and in Simplified Chinese, with the same length.

    "取消投訴" → "取消投诉", "１３８" → "138", "Don’t" → "don't".
    """
    return "".join(_fold_char(char) for char in text or "")


def han_count(text: str) -> int:
    """How many Chinese characters ``text`` has."""
    return sum(1 for char in text if is_han(char))


def english_words(text: str) -> list[str]:
    """The Latin-letter words of ``text`` (folded), apostrophes kept: "don't", "there's"."""
    return re.findall(r"[a-z]+(?:'[a-z]+)*", fold(text))


def tokens(text: str) -> tuple[str, ...]:
    """``text`` folded into tokens: each Chinese character, each word or number, each emoji.

    Punctuation and spaces are dropped, so "对的，确认" and "对的 确认" read the same.
    """
    folded = _EMOJI_MODIFIERS.sub("", fold(text))
    return tuple(
        token
        for token in _TOKEN.findall(folded)
        if len(token) > 1 or not unicodedata.category(token).startswith(_PUNCTUATION_CATEGORIES)
    )


def clauses(text: str) -> list[tuple[str, ...]]:
    """The tokens of each clause of ``text``, split at punctuation; empty clauses left out."""
    found = [tokens(part) for part in _SPLIT.split(fold(text))]
    return [clause for clause in found if clause]


def is_short(sequence: Sequence[str], han: int = 12, words: int = 6) -> bool:
    """At most ``han`` Chinese characters and at most ``words`` other tokens."""
    han_tokens = sum(1 for token in sequence if len(token) == 1 and is_han(token))
    return han_tokens <= han and len(sequence) - han_tokens <= words


class Vocabulary:
    """Phrases in both languages, each read as a sequence of tokens (``tokens``)."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = frozenset(tokens(phrase) for phrase in phrases)
        self.longest = max((len(phrase) for phrase in self.phrases), default=0)

    def __or__(self, other: Vocabulary) -> Vocabulary:
        merged = Vocabulary(())
        merged.phrases = self.phrases | other.phrases
        merged.longest = max(self.longest, other.longest)
        return merged

    def found_in(self, sequence: Sequence[str]) -> bool:
        """True when one of the phrases occurs in ``sequence`` as whole tokens."""
        for start in range(len(sequence)):
            for size in range(1, min(self.longest, len(sequence) - start) + 1):
                if tuple(sequence[start : start + size]) in self.phrases:
                    return True
        return False

    def starts(self, sequence: Sequence[str]) -> bool:
        """True when ``sequence`` begins with one of the phrases."""
        return any(
            tuple(sequence[:size]) in self.phrases
            for size in range(1, min(self.longest, len(sequence)) + 1)
        )


def strip_leading(sequence: Sequence[str], vocabulary: Vocabulary) -> tuple[str, ...]:
    """``sequence`` without the ``vocabulary`` phrases it opens with ("嗯 那就 算了" → "算了")."""
    rest = tuple(sequence)
    while rest:
        for size in range(min(vocabulary.longest, len(rest)), 0, -1):
            if rest[:size] in vocabulary.phrases:
                rest = rest[size:]
                break
        else:
            return rest
    return rest


def made_of(
    sequence: Sequence[str], required: Vocabulary, allowed: Collection[Vocabulary] = ()
) -> bool:
    """True when ``sequence`` is only phrases of ``required`` and ``allowed``, one of ``required``.

    This is what keeps negations and descriptions out: "对" is made of an
    affirmation, "不对" is not; "取消吧" is made of a cancel word and a particle,
    "路灯坏了取消不了" is not.
    """
    if not sequence:
        return False
    vocabularies = (required, *allowed)
    # reachable[i]: for each way the first i tokens split into phrases, whether one was required.
    reachable: list[set[bool]] = [set() for _ in range(len(sequence) + 1)]
    reachable[0].add(False)
    for start in range(len(sequence)):
        if not reachable[start]:
            continue
        for vocabulary in vocabularies:
            for size in range(1, min(vocabulary.longest, len(sequence) - start) + 1):
                if tuple(sequence[start : start + size]) not in vocabulary.phrases:
                    continue
                for used in reachable[start]:
                    reachable[start + size].add(used or vocabulary is required)
    return True in reachable[len(sequence)]
