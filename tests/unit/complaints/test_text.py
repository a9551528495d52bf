"""The complaint rules read Traditional, full-width and phone-typed text like the word lists."""

import re
from types import ModuleType

import opencc
import pytest

from actions.complaints import after_filing, description, intent_words, phone, text
from actions.complaints.text import (
    Vocabulary,
    clauses,
    fold,
    is_short,
    made_of,
    strip_leading,
    tokens,
)
from tests.unit.complaints.scripts import traditional_forms


def test_fold_turns_traditional_into_simplified() -> None:
    assert fold("取消投訴") == "取消投诉"
    assert fold("電話號碼寫錯了") == "电话号码写错了"


def test_fold_turns_full_width_and_curly_characters_into_plain_ones() -> None:
    assert fold("１３８－００１３") == "138-0013"
    assert fold("Don’t") == "don't"
    assert fold("？！，") == "?!,"


@pytest.mark.parametrize(
    "value", ["福華三路88號", "ＡＢＣ１２３", "Ǆ", "ﬁ", "👍🏻", "İstanbul", ""]
)
def test_fold_keeps_every_position(value: str) -> None:
    assert len(fold(value)) == len(value)


def test_tokens_are_chinese_characters_words_and_emoji_without_punctuation() -> None:
    assert tokens("對的，確認 👍🏻 OK n/a") == ("对", "的", "确", "认", "👍", "ok", "n", "a")


def test_clauses_split_at_punctuation() -> None:
    assert clauses("算了吧，我自己打12345。") == [
        ("算", "了", "吧"),
        ("我", "自", "己", "打", "12345"),
    ]


def test_short_counts_chinese_characters_and_other_tokens_separately() -> None:
    assert is_short(tokens("一二三四五六七八九十一二"))
    assert not is_short(tokens("一二三四五六七八九十一二三"))
    assert not is_short(tokens("one two three four five six seven"))


def test_made_of_needs_one_required_phrase_and_nothing_else() -> None:
    yes = Vocabulary(["对", "ok"])
    filler = Vocabulary(["的", "吧"])
    assert made_of(tokens("对的"), yes, (filler,))
    assert made_of(tokens("ok吧"), yes, (filler,))
    assert not made_of(tokens("的吧"), yes, (filler,))
    assert not made_of(tokens("不对"), yes, (filler,))
    assert not made_of((), yes, (filler,))


def test_strip_leading_removes_opening_fillers_only() -> None:
    filler = Vocabulary(["嗯", "那就"])
    assert strip_leading(tokens("嗯 那就 算了吧"), filler) == tokens("算了吧")
    assert strip_leading(tokens("算了 嗯"), filler) == tokens("算了 嗯")


def test_the_traditional_table_agrees_with_opencc() -> None:
    to_simplified = opencc.OpenCC("t2s")
    disagreements = {
        traditional: simplified
        for traditional, simplified in zip(text._TRADITIONAL, text._SIMPLIFIED, strict=True)
        if to_simplified.convert(traditional) != simplified
    }
    # 著 is also a Simplified character (著名); in Traditional text it is 着 (看著).
    assert disagreements == {"著": "着"}


def _chinese_phrases(module: ModuleType) -> set[str]:
    """Every Chinese word of the module's word lists and patterns.

    Word lists are vocabularies, tuples and dicts of tuples; in a pattern, every
    run of Chinese characters is literal text.
    """
    found: set[str] = set()

    def add(value: object) -> None:
        if isinstance(value, str) and any(text.is_han(char) for char in value):
            found.add(value)
        elif isinstance(value, Vocabulary):
            for phrase in value.phrases:
                if all(len(token) == 1 and text.is_han(token) for token in phrase):
                    found.add("".join(phrase))
        elif isinstance(value, tuple | list | frozenset | set):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, re.Pattern):
            found.update(re.findall(r"[\u4e00-\u9fff]+", value.pattern))

    for name, value in vars(module).items():
        if not name.startswith("__"):
            add(value)
    return found


@pytest.mark.parametrize(
    "module", [intent_words, phone, description, after_filing], ids=lambda m: m.__name__
)
def test_every_chinese_word_list_entry_reads_the_same_in_traditional(module: ModuleType) -> None:
    phrases = _chinese_phrases(module)
    assert phrases, "the module should have Chinese word lists"
    unread = {
        form: phrase
        for phrase in phrases
        for form in traditional_forms(phrase)
        if len(form) == len(phrase) and fold(form) != phrase
    }
    assert unread == {}


def test_cantonese_that_stays_as_residents_write_it() -> None:
    # OpenCC would make 嗰 the rare 𠮶, which no word list and no resident writes.
    assert fold("旁边嗰个地址") == "旁边嗰个地址"
