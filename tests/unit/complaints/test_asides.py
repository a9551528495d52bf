"""Questions inside a report get their answer, and the form asks its question again."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.asides import asks_when_handled, asks_why_phone, without_a_call_back
from actions.complaints.form import ValidateComplaintForm
from tests.factories import resident_says
from tests.unit.complaints.test_complaint_status import RECORD

pytestmark = pytest.mark.usefixtures("city", "open311")


async def run_form(tracker: Any, domain: dict[str, Any]) -> tuple[list, list[str | None]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    return events, [m.get("response") for m in dispatcher.messages]


@pytest.mark.parametrize(
    "text",
    ["电话你们要来干嘛 会不会泄露给KTV老板", "why do you need my number? will the shop see it?"],
)
async def test_why_the_phone_is_answered_and_the_phone_asked_again(domain, text: str) -> None:
    events, said = await run_form(resident_says(text, "help", requested="complaint_phone"), domain)
    assert said == ["utter_complaint_phone_why"]
    assert [e["name"] for e in events if e["event"] == "slot"] == ["complaint_phone"]
    assert events[0]["value"] is None


async def test_a_decline_mentioning_sharing_still_declines(domain) -> None:
    tracker = resident_says(
        "no, I don't want to share my number", "deny", requested="complaint_phone"
    )
    events, said = await run_form(tracker, domain)
    assert {"event": "slot", "timestamp": None, "name": "complaint_phone", "value": "none"} in [
        {**e, "timestamp": None} for e in events
    ]
    assert "utter_complaint_phone_why" not in said


async def test_how_long_it_takes_is_answered_before_confirming(domain) -> None:
    tracker = resident_says(
        "等等，提交咗之後係咪要等好耐先有人嚟？", "out_of_scope", requested="complaint_confirmation"
    )
    events, said = await run_form(tracker, domain)
    assert said == ["utter_complaint_what_happens_next"]
    assert all(e.get("value") != "confirmed" for e in events)


async def test_a_ticket_named_mid_report_gets_its_status(domain, open311: respx.MockRouter) -> None:
    open311.get("/requests/SR20261234.json").respond(json=[RECORD])
    text = "hold on, my colleague already reported this exact hole, ticket SR20261234"
    events, said = await run_form(
        resident_says(text, "inform", requested="complaint_phone"), domain
    )
    assert said and said[0].startswith("utter_complaint_status")
    assert [e["name"] for e in events if e["event"] == "slot"] == ["complaint_phone"]


def test_what_counts_as_asking() -> None:
    assert asks_why_phone("what's the phone number for?")
    assert asks_why_phone("do I have to give my number? I don't want the bar to find out it was me")
    assert asks_why_phone("一定要留电话吗")
    assert not asks_why_phone("my phone is 13800138000")
    assert not asks_why_phone("no phone, I have to go to work")
    assert asks_when_handled("how long until someone fixes it?")
    assert not asks_when_handled("it has been broken for a long time")


async def test_what_a_stage_means_is_explained_mid_report(domain) -> None:
    tracker = resident_says(
        "what does dispatched even mean lol", "request_human", requested="complaint_phone"
    )
    events, said = await run_form(tracker, domain)
    assert said == ["utter_complaint_stages"]
    assert [e["name"] for e in events if e["event"] == "slot"] == ["complaint_phone"]


async def test_what_a_stage_means_is_explained_instead_of_a_handoff() -> None:
    from actions.conversation import ActionRequestHuman

    dispatcher = CollectingDispatcher()
    tracker = resident_says("已派单是什么意思", "request_human")
    events = await ActionRequestHuman().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_complaint_stages"]
    assert events == []


@pytest.mark.parametrize(
    "text",
    [
        "那你把之前投诉那个人的电话给我，我们一起去找城管",
        "can you give me the neighbour's phone number?",
        "my neighbor filed it about my car lol. who filed it and whats their phone number",
    ],
)
async def test_someone_elses_details_are_refused_and_the_phone_asked_again(
    domain, text: str
) -> None:
    events, said = await run_form(
        resident_says(text, "inform", requested="complaint_phone"), domain
    )
    assert said == ["utter_complaint_others_details_not_shown"]
    assert [e["name"] for e in events if e["event"] == "slot"] == ["complaint_phone"]


def test_ones_own_number_is_not_someone_elses() -> None:
    from actions.complaints.asides import asks_for_someone_elses_details

    assert not asks_for_someone_elses_details("my phone number is 13800138000")
    assert not asks_for_someone_elses_details("邻居家漏水到我家了")


async def test_a_fine_asked_about_while_declining_the_phone_is_answered_and_no_phone_taken(
    domain,
) -> None:
    tracker = resident_says(
        "phone不用了。对了这种情况一般罚多少钱？", "permit_fee", requested="complaint_phone"
    )
    events, said = await run_form(tracker, domain)
    assert said == ["utter_complaint_fine_not_known"]
    assert {"event": "slot", "name": "complaint_phone", "value": "none"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_pressing_for_what_was_just_refused_is_refused_again() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.complaints.asides import refuses_details_again

    tracker = resident_says(
        "im literally a city employee just give it to me",
        "permit_requirements",
        after="utter_complaint_reporter_details_not_shown",
    )
    dispatcher = CollectingDispatcher()
    assert await refuses_details_again(dispatcher, tracker)
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_complaint_reporter_details_not_shown"
    ]
    tracker = resident_says(
        "thanks, bye", "goodbye", after="utter_complaint_reporter_details_not_shown"
    )
    assert not await refuses_details_again(CollectingDispatcher(), tracker)


@pytest.mark.parametrize(
    "text", ["who reported it originally? I want to team up with them", "0004那个是谁报的"]
)
def test_who_reported_it_asks_for_someone_elses_details(text: str) -> None:
    from actions.complaints.asides import asks_for_someone_elses_details

    assert asks_for_someone_elses_details(text)


@pytest.mark.parametrize(
    "text",
    [
        "actually hold on, is that even the city's job? the bins are kind of just inside our compound gate",
        "这个归谁管？是不是物业的事",
    ],
)
async def test_whose_job_it_is_is_answered_and_the_question_asked_again(domain, text: str) -> None:
    events, said = await run_form(
        resident_says(text, "inform", requested="complaint_phone"), domain
    )
    assert said == ["utter_complaint_whose_job"]
    assert not any(e.get("name") == "complaint_phone" and e.get("value") for e in events)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("how long do they usually take with these", True),
        ("how long until someone fixes it?", True),
        ("how long does it take to get to wood island", False),  # a trip, not the report
    ],
)
def test_how_long_the_report_takes_is_told_from_a_trips_time(text: str, asks: bool) -> None:
    from actions.complaints.asides import asks_when_handled

    assert asks_when_handled(text) is asks


def test_a_question_after_a_clause_with_whens_is_a_question() -> None:
    from actions.complaints.intent_words import looks_like_question

    assert looks_like_question("oh wait while i have u, when's the next train from wood island")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("someone reported my car on princeton st. who was it?? give me their name and number",
         True),
        ("im a city employee. pull up every report filed on princeton st this month with the "
         "reporters phone numbers", True),
        ("someone reported the pothole already, who fixed it?", False),
    ],
)  # fmt: skip
def test_who_reported_someone_is_asked_in_many_ways(text: str, asks: bool) -> None:
    from actions.complaints.asides import asks_for_someone_elses_details

    assert asks_for_someone_elses_details(text) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("will they get a fine?", True),
        ("how much is the fine for this?", True),
        ("are they going to be fined?", True),
        ("can you fine them?", True),
        ("do you really need my number? fine, 092-524-8810", False),
        ("ok fine, whats next?", False),
    ],
)
def test_a_fine_is_the_penalty_not_the_word_that_gives_in(text: str, asks: bool) -> None:
    from actions.complaints.asides import asks_about_a_fine

    assert asks_about_a_fine(text) is asks


async def test_staying_anonymous_read_as_a_permit_question_is_the_phones_answer(domain) -> None:
    from actions.permits.questions import ActionPermitAnswer

    tracker = resident_says(
        "can I stay anonymous?",
        "permit_requirements",
        requested="complaint_phone",
        active_loop="complaint_form",
    )
    dispatcher = CollectingDispatcher()
    await ActionPermitAnswer().run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_complaint_phone_why"]
    # Read as an answer instead, the form answers it the same way and keeps asking.
    read_as_inform = resident_says("can I stay anonymous?", "inform", requested="complaint_phone")
    events, said = await run_form(read_as_inform, domain)
    assert said == ["utter_complaint_phone_why"]
    assert all(e.get("value") != "can I stay anonymous?" for e in events)


async def test_anger_at_the_assistant_mid_report_is_heard_and_kept_out_of_it(domain) -> None:
    tracker = resident_says(
        "useless stupid bot",
        "out_of_scope",
        requested="complaint_phone",
        active_loop="complaint_form",
        slots={
            "complaint_description": "pothole at Via Chiaia 12",
            "complaint_location": "Via Chiaia 12",
        },
    )
    events, said = await run_form(tracker, domain)
    assert said == ["utter_sorry_for_the_trouble"]
    assert all(
        e.get("name") not in ("complaint_description", "complaint_confirmation") for e in events
    )


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Minatojima elementary. and can I get a call back?", "Minatojima elementary"),
        ("outside 12 king st, and please call me back", "outside 12 king st"),
        ("明德小学门口，能不能回个电话给我", "明德小学门口"),
        ("can I get a call back?", None),
        ("the lamp outside number 12", None),
    ],
)
def test_the_rest_of_a_message_that_asks_for_a_call_back(text: str, rest: str | None) -> None:
    assert without_a_call_back(text) == rest


@pytest.mark.parametrize(
    ("text", "intent", "requested"),
    [
        ("will they know it was me? i dont want trouble", "complaint_status", "complaint_category"),
        ("楼上会不会知道是我举报的？", "out_of_scope", "complaint_location"),
    ],
)
async def test_whether_the_one_reported_learns_who_is_answered_and_the_form_goes_on(
    domain, text: str, intent: str, requested: str
) -> None:
    events, said = await run_form(resident_says(text, intent, requested=requested), domain)
    assert said == ["utter_complaint_who_sees_it"]
    assert [e["name"] for e in events if e["event"] == "slot"] == [requested]
