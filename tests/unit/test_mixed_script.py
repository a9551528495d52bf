"""English words found where residents glue them to Chinese (bot/language/mixed_script.py)."""

from __future__ import annotations

import re

import pytest

from actions.complaints import form
from actions.complaints.asides import asks_what_a_stage_means, asks_when_handled
from bot.language.clock import time_of_day
from bot.language.mixed_script import mixed_pattern, with_ascii_boundaries

LAST = mixed_pattern(r"\blast\b|末班", re.IGNORECASE)
TICKET = mixed_pattern(r"\b\d{8}\b")


@pytest.mark.parametrize("text", ["明天的last train几点", "the LAST one", "last", "末班车"])
def test_an_english_word_is_whole_beside_chinese_or_spaces(text: str) -> None:
    assert LAST.search(text)


@pytest.mark.parametrize("text", ["lastly", "blast off", "last_one"])
def test_a_word_inside_a_longer_english_word_is_not_found(text: str) -> None:
    assert not LAST.search(text)


def test_a_number_glued_to_chinese_is_whole_but_not_one_glued_to_letters_or_digits() -> None:
    assert TICKET.search("工单20260001怎么样了").group() == "20260001"
    assert not TICKET.search("A20260001")
    assert not TICKET.search("120260001")


def test_only_the_boundary_changes() -> None:
    # a backspace in a class and an escaped backslash before "b" are not boundaries
    assert with_ascii_boundaries(r"[\b]x\\b") == r"[\b]x\\b"
    assert with_ascii_boundaries(r"[]\b]\bx") == r"[]\b]" + with_ascii_boundaries(r"\bx")
    # \w, \d and \s keep their Unicode meaning
    assert mixed_pattern(r"\b\w+\b").search("深圳").group() == "深圳"
    assert mixed_pattern(r"\d+").search("１２").group() == "１２"


def test_code_switched_messages_reach_the_journeys() -> None:
    assert time_of_day("明天8pm的车") == (20, 0)
    assert asks_what_a_stage_means("dispatched是什么意思")
    assert asks_when_handled("什么时候fix好")
    assert form._declines_and_submits("no number吧，直接submit")
