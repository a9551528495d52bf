"""An angry or fed-up resident is heard before being answered."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionHandleFallback, ActionHelp
from actions.feelings import vents
from tests.factories import resident_says


@pytest.mark.parametrize(
    "text",
    [
        "你们深圳地铁就是垃圾，今天1号线又晚点半小时，赔钱！",
        "this is so frustrating honestly",
        "你不给我就投诉你！信不信我曝光你们",
        "你們這幫人到底幹什麼吃的！！！",
        "what a waste of time, useless",
    ],
)
def test_annoyance_at_the_service_is_heard(text: str) -> None:
    assert vents(text)


@pytest.mark.parametrize(
    "text",
    ["楼下垃圾没人清", "I want to complain about noise", "the bins are full of rubbish", "谢谢"],
)
def test_a_problem_reported_is_no_annoyance_at_the_service(text: str) -> None:
    assert not vents(text)


async def test_a_fed_up_resident_asking_for_help_hears_sorry_first() -> None:
    dispatcher = CollectingDispatcher()
    await ActionHelp().run(dispatcher, resident_says("this is so frustrating", "help"), {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_sorry_for_the_trouble",
        "utter_help",
    ]


async def test_a_plain_call_for_help_gets_the_menu() -> None:
    dispatcher = CollectingDispatcher()
    await ActionHelp().run(dispatcher, resident_says("what can you do?", "help"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_help"]


async def test_a_threat_not_understood_is_met_with_sorry_and_a_person() -> None:
    dispatcher = CollectingDispatcher()
    tracker = resident_says("你不给我就投诉你！信不信我曝光你们", "nlu_fallback", confidence=0.5)
    await ActionHandleFallback().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_sorry_for_the_trouble"]


async def test_the_city_called_rubbish_is_no_report_of_rubbish() -> None:
    """The model saw "垃圾" (garbage) in the insult and a report would start."""
    dispatcher = CollectingDispatcher()
    text = "<script>alert('x')</script> 你们这些废物 垃圾政府 什么都不管"
    category = {"entity": "complaint_category", "value": "garbage", "start": 41, "end": 43}
    tracker = resident_says(text, "nlu_fallback", confidence=0.9, entities=[category])
    events = await ActionHandleFallback().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_sorry_for_the_trouble"]
    assert not any(e.get("name") == "complaint_form" for e in events)
