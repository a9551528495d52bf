"""Ticket numbers and local references as residents write them."""

from actions.complaints.references import canonical, find_references
from actions.complaints.workflow import stage_key


def test_ticket_numbers_in_any_form_are_found_in_order() -> None:
    text = "查一下 sr 2026 1234 和 SR-20260042，还有LQ251124A1B2C3"
    assert find_references(text) == ["SR20261234", "SR20260042", "LQ251124A1B2C3"]


def test_longer_digit_runs_and_words_are_not_tickets() -> None:
    assert find_references("order 120260012345 and SR2026123456") == []
    assert find_references("MSR20261234") == []


def test_canonical_form_of_one_reference() -> None:
    assert canonical("sr20261234") == "SR20261234"
    assert canonical("hello") is None


def test_stage_comes_from_the_workflow_then_from_the_open311_status() -> None:
    assert stage_key("open", "in_progress") == "stage.in_progress"
    assert stage_key("closed", None) == "stage.closed"
    assert stage_key("open", "something_local") == "stage.open"


def test_a_phone_number_is_no_ticket_whose_digits_it_happens_to_have() -> None:
    from actions.number_formats import NumberFormat

    # Alexandria's tickets are two digits, a dash, eight digits: ten digits, as a US phone
    alexandria = NumberFormat.of(r"\d{2}-\d{8}")
    assert find_references("703 555 0142", alexandria, "US") == []
    assert find_references("电话 571-555-0183 提交吧", alexandria, "US") == []
    assert find_references("my number is (703) 555-0142, ticket 26-00004817", alexandria, "US") == [
        "26-00004817"
    ]
    # without a region nothing is dropped (callers that do not know the city)
    assert find_references("703 555 0142", alexandria) == ["70-35550142"]
