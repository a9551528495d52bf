"""Application numbers in any case, spacing and width, and the ones that are almost right."""

from __future__ import annotations

import pytest

from actions.permits.numbers import canonical, find_numbers, mistyped_number


@pytest.mark.parametrize(
    "text",
    [
        "PA20261187",
        "pa20261187",
        "pa 2026 1187",
        "PA-2026-1187",
        "申请号：PA20261187，谢谢",
        "ＰＡ２０２６１１８７",
        "PA2O261187",  # a letter O for a zero
    ],
)
def test_numbers_are_found_however_they_are_written(text: str) -> None:
    assert find_numbers(text) == ["PA20261187"]


def test_several_numbers_keep_their_order_without_repeats() -> None:
    assert find_numbers("PA20261187 and PA20250042, again PA20261187") == [
        "PA20261187",
        "PA20250042",
    ]


@pytest.mark.parametrize(
    "text", ["PA202611870", "XPA20261187", "SPA20261187", "my PA number", "PAO2026118", ""]
)
def test_near_misses_are_not_numbers(text: str) -> None:
    assert find_numbers(text) == []


def test_canonical_needs_exactly_one_number() -> None:
    assert canonical(" pa2026 1187 ") == "PA20261187"
    assert canonical("PA20261187 PA20250042") is None


@pytest.mark.parametrize(
    ("text", "given"), [("PA2026118", "PA2026118"), ("查一下pa 2026", "pa 2026")]
)
def test_a_number_with_the_wrong_digit_count_is_caught(text: str, given: str) -> None:
    assert mistyped_number(text) == given


def test_a_good_number_is_not_called_mistyped() -> None:
    assert mistyped_number("PA20261187") is None
    assert mistyped_number("passport please") is None
