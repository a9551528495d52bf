"""A report cancelled a moment ago comes back when the resident wants it after all."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

from actions.complaints.after_cancelling import restore_cancelled_report, wants_it_filed_after_all
from tests.factories import resident_says


def slot(name: str, value: object) -> dict:
    return {"event": "slot", "name": name, "value": value}


def after_a_cancel(text: str, *, messages_between: int = 0):
    tracker = resident_says(text, "nlu_fallback")
    earlier = [
        {"event": "user", "text": "消防栓一直在冒水"},
        slot("complaint_description", "消防栓一直在冒水"),
        slot("complaint_category", "water_leak"),
        {"event": "user", "text": "罗湖区黄贝岭，新秀路那个村口"},
        slot("complaint_location", "罗湖区黄贝岭，新秀路那个村口"),
        {"event": "user", "text": "那算了不报了，免得重复"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_complaint_cancelled"}},
        slot("complaint_description", None),
        slot("complaint_location", None),
        slot("complaint_category", None),
    ]
    between = [{"event": "user", "text": "谢谢"}] * messages_between
    tracker.events[:0] = earlier + between
    return tracker


def test_the_answers_come_back_and_the_form_goes_on() -> None:
    events = restore_cancelled_report(after_a_cancel("那还是帮我报一下吧，地址还是刚才那个"))
    assert events == [
        SlotSet("complaint_location", "罗湖区黄贝岭，新秀路那个村口"),
        SlotSet("complaint_category", "water_leak"),
        SlotSet("complaint_description", "消防栓一直在冒水"),
        FollowupAction("complaint_form"),
    ]


def test_a_change_of_mind_long_after_the_cancel_starts_nothing() -> None:
    assert restore_cancelled_report(after_a_cancel("还是报吧", messages_between=3)) is None


def test_without_a_cancel_there_is_nothing_to_restore() -> None:
    assert restore_cancelled_report(resident_says("那还是帮我报一下吧")) is None


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        ("那还是帮我报一下吧，地址还是刚才那个", True),
        ("actually, file it after all", True),
        ("想了想还是投吧 不留电话", True),
        ("ok I changed my mind, go ahead and report it", True),
        ("谢谢", False),
        ("还是那个问题，末班车几点", False),
    ],
)
def test_wanting_it_filed_after_all(text: str, wants: bool) -> None:
    assert wants_it_filed_after_all(text) is wants


def test_the_phone_declined_with_the_change_of_mind_is_taken() -> None:
    events = restore_cancelled_report(after_a_cancel("想了想还是投吧 不留电话"))
    assert SlotSet("complaint_phone", "none") in events
