"""The language slot: set from evidence, sticky without it, switched on request."""

from bot.language.reply import chosen_language, next_reply_language

EN = {"language": "en", "script": None}
HANS = {"language": "zh", "script": "hans"}
HANT = {"language": "zh", "script": "hant"}
CHINESE_NO_SCRIPT = {"language": "zh", "script": None}
NONE = {"language": None, "script": None}


def test_first_message_sets_the_language() -> None:
    assert next_reply_language(None, EN) == "en"
    assert next_reply_language(None, HANS) == "zh"
    assert next_reply_language(None, HANT) == "zh-Hant"


def test_message_without_evidence_keeps_the_language() -> None:
    assert next_reply_language("en", NONE) == "en"
    assert next_reply_language("zh-Hant", NONE) == "zh-Hant"
    assert next_reply_language(None, NONE) is None


def test_clear_evidence_switches() -> None:
    assert next_reply_language("zh", EN) == "en"
    assert next_reply_language("en", HANS) == "zh"


def test_script_neutral_chinese_keeps_traditional() -> None:
    assert next_reply_language("zh-Hant", CHINESE_NO_SCRIPT) == "zh-Hant"
    assert next_reply_language("en", CHINESE_NO_SCRIPT) == "zh"


def test_explicit_request_wins_over_the_words_used() -> None:
    assert next_reply_language("zh", HANS, "set_language", "en") == "en"
    assert next_reply_language("en", EN, "set_language", "zh") == "zh"
    assert next_reply_language("en", HANT, "set_language", "zh") == "zh-Hant"


def test_language_entity_outside_a_request_is_ignored() -> None:
    assert next_reply_language("zh", HANS, "permit_requirements", "en") == "zh"


def test_language_picked_on_the_page_wins_over_the_words_used() -> None:
    assert next_reply_language("zh", HANS, chosen="en") == "en"
    assert next_reply_language(None, NONE, chosen="zh") == "zh"
    assert next_reply_language("en", EN, chosen="zh") == "zh"


def test_chinese_picked_on_the_page_keeps_the_script_the_resident_writes() -> None:
    assert next_reply_language("en", HANT, chosen="zh") == "zh-Hant"
    assert next_reply_language("zh-Hant", NONE, chosen="zh") == "zh-Hant"


def test_page_choice_is_read_from_message_metadata_and_junk_is_no_choice() -> None:
    assert chosen_language({"metadata": {"language": "en"}}) == "en"
    assert chosen_language({"metadata": {"language": "zh"}}) == "zh"
    for metadata in (
        None,
        "en",
        {},
        {"language": "fr"},
        {"language": 1},
        {"language": "x" * 10_000},
    ):
        assert chosen_language({"metadata": metadata}) is None
    assert chosen_language({}) is None
