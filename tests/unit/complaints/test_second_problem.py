"""A second problem told mid-report is set aside for a report of its own afterwards."""

from __future__ import annotations

import pytest

from actions.clients.open311 import parse_services
from actions.complaints.second_problem import another_problem
from sandbox.open311_catalogue import load_catalogue, service_list_entry
from tests.unit.complaints.test_service_match import services_of

SAMPLE = parse_services(
    [service_list_entry(service, "zh") for service in load_catalogue().values()]
)
BLOOMINGTON = services_of("bloomington")


def code_of(name: str, services) -> str:
    return next(s.service_code for s in services if s.service_name == name)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("哦还有，楼下那个垃圾桶也满了好几天了", "楼下那个垃圾桶也满了好几天了"),
        ("对了另外，小区门口有个井盖不见了", "小区门口有个井盖不见了"),
    ],
)
def test_another_problem_told_while_a_streetlight_is_reported_is_set_aside(
    text: str, problem: str
) -> None:
    assert another_problem(text, SAMPLE, "streetlight") == problem


def test_in_english_on_a_real_citys_list() -> None:
    text = "oh and also the trash cans on the corner are overflowing everywhere"
    current = code_of("Street Lights", BLOOMINGTON)
    assert another_problem(text, BLOOMINGTON, current) == (
        "the trash cans on the corner are overflowing everywhere"
    )


@pytest.mark.parametrize(
    "text",
    [
        "还有，灯一闪一闪的，晚上很吓人",  # more about the streetlight
        "also it's been out for about a week now",  # more about it, fits no other service
        "哦，在深南大道和华强北路口",  # the place asked for, after an "oh"
        "楼下那个垃圾桶满了",  # no word of "one more": the form reads it as an answer
        "/affirm",
    ],
)
def test_more_about_the_same_report_or_an_answer_is_not_set_aside(text: str) -> None:
    assert another_problem(text, SAMPLE, "streetlight") is None


def test_a_second_problem_fitting_several_services_of_a_fine_list_is_set_aside_too() -> None:
    boston = services_of("boston")
    text = "ok and while i got you, the streetlight outside 30 trenton has been flickering"
    needles = code_of("Needle in public place", boston)
    assert another_problem(text, boston, needles) == (
        "the streetlight outside 30 trenton has been flickering"
    )
    lights = code_of("Street lights out (fewer than five)", boston)
    assert another_problem(text, boston, lights) is None  # one of the lights: more about it
