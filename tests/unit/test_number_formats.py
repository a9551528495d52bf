"""Reference numbers in any city's format, however residents type them."""

from __future__ import annotations

import pytest

from actions.complaints.references import find_references
from actions.number_formats import NumberFormat, lone_number, number_given_first

CHICAGO_TICKETS = NumberFormat.of(r"SR\d{2}-\d{8}")
NUMERIC = NumberFormat.of(r"\d{12}")
YEAR_SERIAL = NumberFormat.of(r"^\d{4}-\d{5}$")


@pytest.mark.parametrize(
    ("numbers", "text", "found"),
    [
        (CHICAGO_TICKETS, "how is SR19-01234567 going?", ["SR19-01234567"]),
        (CHICAGO_TICKETS, "sr19-01234567", ["SR19-01234567"]),
        (NUMERIC, "查一下 101000123456 的进度", ["101000123456"]),
        (NUMERIC, "1010 0012 3456", ["101000123456"]),
        (NUMERIC, "１０１０００１２３４５６", ["101000123456"]),
        (YEAR_SERIAL, "case 2024-00123, please", ["2024-00123"]),
    ],
)
def test_a_citys_own_format_is_found_in_a_message(
    numbers: NumberFormat, text: str, found: list[str]
) -> None:
    assert numbers.find(text) == found


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        (NUMERIC, "1010001234567"),
        (NUMERIC, "order A101000123456"),
        (CHICAGO_TICKETS, "SR19-0123456"),
        (YEAR_SERIAL, "12024-00123"),
    ],
)
def test_longer_runs_and_glued_words_are_not_numbers(numbers: NumberFormat, text: str) -> None:
    assert numbers.find(text) == []


def test_shenzhen_tickets_and_local_references_are_read_as_before() -> None:
    text = "查一下 ＳＲ２０２６１２３４ 和 SR-20260042，还有LQ251124A1B2C3"
    assert find_references(text) == ["SR20261234", "SR20260042", "LQ251124A1B2C3"]


def test_a_local_reference_is_never_taken_for_a_citys_ticket() -> None:
    anything = NumberFormat.of(r"[A-Z0-9]{14}")
    assert find_references("LQ251124A1B2C3", anything) == ["LQ251124A1B2C3"]


def test_only_formats_that_start_with_letters_catch_near_misses() -> None:
    assert NumberFormat.of(r"PA\d{8}").near_miss("PA2026118") == "PA2026118"
    assert NUMERIC.near_miss("10100012345") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("101000123456", "101000123456"),
        (" SR19-01234567 ", "SR19-01234567"),
        ("2024-00123。", "2024-00123"),
        ("“ＡＢ－１２３”", "AB-123"),
        ("case_7", "case_7"),
        # case numbers of Polish and German offices
        ("WAB.6740.1532.2024", "WAB.6740.1532.2024"),
        ("B/2024/0153.", "B/2024/0153"),
    ],
)
def test_a_reply_that_is_one_token_with_a_digit_is_a_number(text: str, number: str) -> None:
    assert lone_number(text) == number


@pytest.mark.parametrize(
    "text", ["hello", "12", "it is 101000123456", "a" * 39 + "12", "/2026", "..1", "a/b"]
)
def test_sentences_words_and_odd_tokens_are_not_lone_numbers(text: str) -> None:
    assert lone_number(text) is None


@pytest.mark.parametrize(
    "text",
    ["帮我查下 fk2019 03318 的进度", "fk 2019 03318", "FK201903318 please", "FK 2019-03318"],
)
def test_a_format_with_dashes_is_found_without_them_and_given_back_its_dashes(text: str) -> None:
    assert NumberFormat.of(r"FK-\d{4}-\d{5}").find(text) == ["FK-2019-03318"]


def test_digits_alone_are_not_a_format_that_starts_with_letters() -> None:
    assert NumberFormat.of(r"FK-\d{4}-\d{5}").find("call 2019 03318") == []


@pytest.mark.parametrize(
    "text", ["checking on ticket kb 2026 4817", "KB-2026-4817 please", "kb 2026-04817?"]
)
def test_a_part_typed_without_its_leading_zeros_is_padded(text: str) -> None:
    assert NumberFormat.of(r"KB-\d{4}-\d{6}").find(text) == ["KB-2026-004817"]


@pytest.mark.parametrize("text", ["kb 2026 17", "2026 4817", "kb20264817"])
def test_zeros_are_only_added_to_a_number_typed_in_its_parts(text: str) -> None:
    # too many zeros missing, no prefix, or no parts to tell where they go
    assert NumberFormat.of(r"KB-\d{4}-\d{6}").find(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("its 4471203, the pothole on Dale Mabry", "4471203"),
        ("4471203 - the pothole", "4471203"),
        ("编号是 4471203，就是那个坑", "4471203"),
        ("WAB.6740.1532.2024 ok", "WAB.6740.1532.2024"),
    ],
)
def test_a_number_the_message_opens_with_is_found(text: str, number: str) -> None:
    assert number_given_first(text) == number


@pytest.mark.parametrize(
    "text", ["it's 2 weeks old", "the pothole on Dale Mabry 4471203", "Elm St 12"]
)
def test_no_number_first_or_too_few_digits_gives_none(text: str) -> None:
    assert number_given_first(text) is None
