"""Questions about the assistant itself and the hotline, answered wherever they come."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assistant_questions import (
    asks_about_the_hotline,
    asks_for_the_website,
    asks_if_a_person,
)
from actions.conversation import ActionHandleFallback, ActionRequestHuman
from tests.factories import tracker_with, user_event


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


@pytest.mark.parametrize(
    "text",
    [
        "你是真人还是机器人",
        "你係咪真人嚟㗎",
        "are u a real person?",
        "am I talking to a bot",
        "is this a robot lol",
    ],
)
def test_whether_the_assistant_is_a_person_is_a_question(text: str) -> None:
    assert asks_if_a_person(text)


@pytest.mark.parametrize("text", ["我要找真人", "I want a real person", "the robot vacuum is loud"])
def test_asking_for_a_person_is_not_asking_whether_this_is_one(text: str) -> None:
    assert not asks_if_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "那311几点有人接",
        "is 311 open on sundays?",
        "热线电话是多少",
        "whats the number if im calling from my work in jersey",
        "hey what time does 311 close today",
        "whats the council phone number? and are they open saturdays",
        "what's the city's phone number",
        "It's still dark out there. who can I call about it?",
        "那我应该找谁？",
        "ok whatever, what are the call center hours",
        "whats the number for the city and are they open on sundays",
        "what number do i call the city on",
        "好的 那周六打电话有人接吗",
    ],
)
def test_questions_about_the_hotline(text: str) -> None:
    assert asks_about_the_hotline(text, "311")


@pytest.mark.parametrize(
    "text",
    [
        "they gave me 311-20481736, any update?",
        "I called 311 last week and they gave me a number, when will it be fixed?",
        "call 311",
        "when does the 311 bus come",  # a line numbered like the hotline
        "311路几点有车",
        "I called the council last week. They gave me a number. When will it be fixed?",
        "I don't know who can I call when the neighbours party every night and the music "
        "is so loud that the whole building shakes",
        "whats the number for the bus to the city",
    ],
)
def test_a_story_that_mentions_the_hotline_is_no_question_about_it(text: str) -> None:
    assert not asks_about_the_hotline(text, "311")


async def test_are_you_a_person_is_answered_honestly_and_hands_nothing_off() -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_with([user_event("你是真人还是机器人", "request_human")])
    events = await ActionRequestHuman().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_i_am_an_assistant"]
    assert SlotSet("handoff_requested", True) not in events


async def test_the_hotlines_hours_are_told_when_asked() -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_with([user_event("12345几点有人接", "nlu_fallback", 0.4)])
    await ActionHandleFallback().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_hotline"]


@pytest.mark.parametrize(
    "text", ["ok whats the website then", "你们官网是什么？", "send me the link to the website"]
)
def test_the_website_asked_for(text: str) -> None:
    assert asks_for_the_website(text)


@pytest.mark.parametrize(
    "text", ["the website keeps crashing when I pay my rates, I've tried three times already"]
)
def test_a_story_about_the_website_is_no_question_for_it(text: str) -> None:
    assert not asks_for_the_website(text)


async def test_the_website_is_given_where_the_model_read_where_to_apply() -> None:
    from actions.permits.questions import ActionPermitAnswer

    dispatcher = CollectingDispatcher()
    tracker = tracker_with([user_event("ok whats the website then", "permit_apply", 0.95)])
    await ActionPermitAnswer().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_portal"]


@pytest.mark.parametrize(
    ("text", "hotline"),
    [
        ("ugh ok. what are the phone hours", "115"),
        ("那明天周六能打吗", "115"),  # right after the hotline was given
        ("ok whatever. 156 is open now at least?", "156"),  # a sentence before it
    ],
)
def test_the_hotlines_hours_asked_every_way(text: str, hotline: str) -> None:
    assert asks_about_the_hotline(text, hotline)


def test_a_line_or_a_day_alone_is_no_hotline_question() -> None:
    assert not asks_about_the_hotline("is the metro running today", "115")
    assert not asks_about_the_hotline("when does the 311 bus come", "311")
