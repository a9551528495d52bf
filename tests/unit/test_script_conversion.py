"""Chinese script conversion: offset-preserving in, phrase-aware out."""

from bot.language import to_simplified, to_traditional
from bot.language.script import is_simplified_only, is_traditional_only


def test_traditional_input_is_simplified_character_for_character() -> None:
    text = "車公廟下一班地鐵幾點？我要辦營業執照"
    simplified = to_simplified(text)
    assert simplified == "车公庙下一班地铁几点？我要办营业执照"
    assert len(simplified) == len(text)


def test_simplified_and_latin_text_is_unchanged() -> None:
    text = "从罗湖到深圳北站 Line 1 SR20261234"
    assert to_simplified(text) == text


def test_characters_valid_in_both_scripts_are_not_evidence() -> None:
    for char in "著乾你好的":
        assert not is_traditional_only(char)
        assert not is_simplified_only(char)


def test_replies_are_converted_to_traditional() -> None:
    assert to_traditional("请拨打热线，办理居住证") == "請撥打熱線，辦理居住證"


def test_traditional_characters_gb2312_keeps_for_names_are_converted_in_words() -> None:
    # 後 and 於 are in GB2312 (names), so the table skipped them: "最後一班" stayed
    # Traditional and was never read as the last one.
    assert to_simplified("最後一班去 Nauen 係幾點？位於") == "最后一班去 Nauen 系几点？位于"
