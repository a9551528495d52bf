"""A problem at a street address that shares a station's name is no trip to plan."""

from __future__ import annotations

import pytest

from actions.transit.questions import _a_problem_at_an_address


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("my landlord STILL hasnt fixed the boiler, its 58 degrees in my apartment. "
         "18 Bowdoin St apt 3 dorchester", True),
        ("the light at 18 Bowdoin St is broken", True),
        ("how do i get from 18 Bowdoin St to state", False),
        ("next train from wood island", False),
        ("how much from 18 Bowdoin St to Airport", False),
    ],
)  # fmt: skip
def test_a_problem_at_a_house_number_is_not_read_as_a_trip(text: str, problem: bool) -> None:
    assert _a_problem_at_an_address(text) is problem
