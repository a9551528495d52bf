"""The text the NLU reads: same length as the resident's, spelling variants folded."""

import pytest

from bot.language.normalise import cantonese_to_mandarin, nlu_text, width_fold


def test_full_width_letters_and_digits_from_a_chinese_ime_become_ascii() -> None:
    assert nlu_text("ＳＲ２０２５０１０１进度") == "SR20250101进度"


def test_ideographic_space_and_full_width_punctuation_are_folded() -> None:
    assert width_fold("你好　？！") == "你好 ?!"


def test_emoji_and_their_joiners_become_spaces() -> None:
    assert width_fold("路灯坏了😡👨‍👩‍👧") == "路灯坏了" + " " * 6


def test_characters_whose_compatible_form_is_longer_stay_as_written() -> None:
    assert width_fold("3㎞ ½") == "3㎞ ½"


@pytest.mark.parametrize(
    ("cantonese", "mandarin"),
    [
        ("我嘅居住證幾時可以攞", "我的居住证何时可以拿"),
        ("佢哋喺邊度辦", "他们在哪里办"),
        ("點樣申請港澳通行證", "怎样申请港澳通行证"),
        ("樓上嘈到凌晨", "楼上吵到凌晨"),
        ("有冇巴士去機場", "有没巴士去机场"),
        ("我唔想等咗", "我不想等了"),
    ],
)
def test_written_cantonese_is_read_as_mandarin(cantonese: str, mandarin: str) -> None:
    assert nlu_text(cantonese) == mandarin


@pytest.mark.parametrize("mandarin", ["仲裁委员会", "關係", "联系", "那末班车呢"])
def test_mandarin_words_that_contain_a_cantonese_character_are_kept(mandarin: str) -> None:
    assert cantonese_to_mandarin(mandarin) == mandarin


@pytest.mark.parametrize(
    "text",
    ["ＳＲ１２ 😡😡 嘅 點樣", "Ｈｅｌｌｏ　世界", "㎞ﬁ½", "", "a" * 1000, "🇭🇰 香港"],
)
def test_the_length_never_changes_so_entity_offsets_still_point_into_the_message(
    text: str,
) -> None:
    assert len(nlu_text(text)) == len(text)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("首般车几点", "首班车几点"),
        ("那万一赶不上莫班车呢", "那万一赶不上末班车呢"),
        ("票价多少前", "票价多少钱"),
        ("从福田口按去深圳北站做几号线", "从福田口岸去深圳北站坐几号线"),
        ("身份正丢了怎么补办", "身份证丢了怎么补办"),
        ("楼下一直在冒睡 好像水管爆关了", "楼下一直在冒水 好像水管爆管了"),
    ],
)
def test_pinyin_ime_slips_are_read_as_the_words_meant(typed: str, meant: str) -> None:
    assert nlu_text(typed) == meant


@pytest.mark.parametrize("text", ["一般车辆不能进", "这般车况", "在办里面等"])
def test_real_words_that_hold_a_slip_are_kept(text: str) -> None:
    assert nlu_text(text) == text
