"""Filing a confirmed complaint: ticket, queue when the city is down, never twice."""

from __future__ import annotations

from pathlib import Path

import httpx
import respx
import yaml
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.city import CityServices
from actions.complaints.filing import ANSWER_AFTER_CANCELLING, ActionFileComplaint
from tests.factories import resident_says

FORM = {
    "complaint_category": "road_damage",
    "complaint_location": "1001 Shennan Avenue",
    "complaint_description": "huge pothole",
    "complaint_phone": "none",
    "complaint_confirmation": "confirmed",
}
TICKET = {
    "service_request_id": "SR20260123",
    "status": "open",
    "service_code": "road_damage",
    "service_name": "Road damage",
    "agency_responsible": "Futian Roads Office",
    "service_notice": "Crews work at night.",
    "expected_datetime": "2026-12-15T18:00:00+08:00",
    "extended_attributes": {"workflow_state": "accepted"},
}


def confirmed(**slots):
    return resident_says("/affirm", "affirm", slots={**FORM, **slots})


async def file(tracker) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    events = await ActionFileComplaint().run(dispatcher, tracker, {})
    return events, dispatcher.messages


async def test_confirmed_complaint_gets_a_ticket_and_a_due_date(
    city: CityServices, open311: respx.MockRouter
) -> None:
    posted = open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260123"}])
    open311.get("/requests/SR20260123.json").respond(json=[TICKET])
    events, messages = await file(confirmed())
    assert [m["response"] for m in messages] == ["utter_complaint_filed", "utter_complaint_notice"]
    assert messages[0]["ticket"] == "SR20260123"
    assert messages[0]["agency"] == "Futian Roads Office"
    assert messages[0]["expected"] == "Tue 15 Dec 2026"
    assert messages[0]["place"] == FORM["complaint_location"]  # for "the same address" next
    form = dict(httpx.QueryParams(posted.calls.last.request.content.decode()))
    assert form["service_code"] == "road_damage"
    assert form["description"] == "huge pothole"
    assert "phone" not in form
    assert SlotSet("complaint_tickets", ["SR20260123"]) in events
    assert SlotSet("complaint_confirmation", None) in events


async def test_the_same_confirmation_twice_files_one_ticket(
    city: CityServices, open311: respx.MockRouter
) -> None:
    posted = open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260123"}])
    open311.get("/requests/SR20260123.json").respond(json=[TICKET])
    await file(confirmed())
    await file(confirmed())
    assert posted.call_count == 1


async def test_complaint_is_queued_when_open311_is_down(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.post("/requests.json").mock(side_effect=httpx.ConnectError("down"))
    events, messages = await file(confirmed())
    [message] = messages
    assert message["response"] == "utter_complaint_queued"
    assert message["local_ref"].startswith("LQ")
    [pending] = city.outbox.pending()
    assert pending.submission.description == "huge pothole"
    assert SlotSet("complaint_tickets", [message["local_ref"]]) in events


async def test_a_refused_complaint_is_kept_and_the_resident_told(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.post("/requests.json").respond(
        400, json=[{"code": 400, "description": "service_code not found"}]
    )
    _, messages = await file(confirmed())
    assert [m["response"] for m in messages] == ["utter_complaint_rejected"]
    assert city.outbox.for_sender("resident-1")[0].status.value == "rejected"


async def test_ticket_is_given_even_when_reading_it_back_fails(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260124"}])
    open311.get("/requests/SR20260124.json").mock(side_effect=httpx.ReadTimeout("slow"))
    _, messages = await file(confirmed())
    assert [m["response"] for m in messages] == ["utter_complaint_filed_no_date"]
    assert messages[0]["ticket"] == "SR20260124"


async def test_cancelled_form_files_nothing(city: CityServices, open311: respx.MockRouter) -> None:
    posted = open311.post("/requests.json")
    events, messages = await file(confirmed(complaint_confirmation="cancelled"))
    assert [m["response"] for m in messages] == ["utter_complaint_cancelled"]
    assert not posted.called
    assert SlotSet("complaint_category", None) in events


async def test_a_cancel_that_only_names_the_hotline_asks_nothing_more(
    city: CityServices, open311: respx.MockRouter
) -> None:
    """ "他已经打过12345了，那算了不报了": read as a ticket question, it asks nothing."""
    tracker = resident_says(
        "等等，我老公说他已经打过12345了，那算了不报了，免得重复",
        "complaint_status",
        slots={**FORM, "complaint_confirmation": "cancelled"},
    )
    events, messages = await file(tracker)
    assert [m["response"] for m in messages] == ["utter_complaint_cancelled"]
    assert not [e for e in events if e.get("event") == "followup"]


async def test_a_question_asked_with_the_cancel_is_answered_next(
    city: CityServices, open311: respx.MockRouter
) -> None:
    posted = open311.post("/requests.json")
    tracker = resident_says(
        "算了不投诉了。福田口岸到罗湖怎么坐地铁",
        "transit_route",
        slots={**FORM, "complaint_confirmation": "cancelled"},
    )
    events, messages = await file(tracker)
    assert [m["response"] for m in messages] == ["utter_complaint_cancelled"]
    assert FollowupAction("action_transit_route") in events
    assert not posted.called


def test_the_answers_after_a_cancel_are_the_ones_the_rules_give() -> None:
    given: dict[str, str] = {}
    for path in ("data/rules.yml", "data/complaints.yml"):
        for rule in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["rules"]:
            steps = rule["steps"]
            if len(steps) != 2 or "action" not in steps[1]:
                continue
            intents = [o["intent"] for o in steps[0].get("or", [])] or [steps[0].get("intent")]
            given.update({intent: steps[1]["action"] for intent in intents if intent})
    assert {i: given.get(i) for i in ANSWER_AFTER_CANCELLING} == ANSWER_AFTER_CANCELLING


async def test_shared_location_is_sent_as_coordinates_and_the_phone_as_given(
    city: CityServices, open311: respx.MockRouter
) -> None:
    posted = open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260125"}])
    open311.get("/requests/SR20260125.json").respond(json=[TICKET])
    await file(
        confirmed(
            complaint_location="",
            complaint_lat=22.5431,
            complaint_long=114.0579,
            complaint_phone="+447911123456",
        )
    )
    form = dict(httpx.QueryParams(posted.calls.last.request.content.decode()))
    assert form["lat"] == "22.543100" and form["long"] == "114.057900"
    assert "address_string" not in form
    assert form["phone"] == "+447911123456"


async def test_yes_and_another_report_files_this_one_and_starts_the_next(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260126"}])
    open311.get("/requests/SR20260126.json").respond(json=[TICKET])
    tracker = resident_says(
        "对。另外楼道里那个垃圾能一起报吗", "affirm", slots={**FORM, "language": "zh"}
    )
    events, messages = await file(tracker)
    assert messages[0]["response"] == "utter_complaint_filed"
    assert SlotSet("complaint_description", "另外楼道里那个垃圾能一起报吗") in events
    assert events[-1] == FollowupAction("complaint_form")


async def test_a_problem_set_aside_mid_report_is_reported_next(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260127"}])
    open311.get("/requests/SR20260127.json").respond(json=[TICKET])
    aside = "楼上那家半夜一直放音乐，噪音吵得睡不着"
    events, messages = await file(confirmed(complaint_set_aside=aside))
    assert [m["response"] for m in messages][-1] == "utter_complaint_now_the_set_aside"
    assert SlotSet("complaint_set_aside", None) in events
    assert SlotSet("complaint_description", aside) in events
    assert events[-1] == FollowupAction("complaint_form")


async def test_a_cancelled_report_says_the_problem_set_aside_was_not_filed_either(
    city: CityServices, open311: respx.MockRouter
) -> None:
    tracker = resident_says(
        "算了不报了",
        "deny",
        slots={
            **FORM,
            "complaint_confirmation": "cancelled",
            "complaint_set_aside": "楼下垃圾桶满了",
        },
    )
    events, messages = await file(tracker)
    assert [m["response"] for m in messages] == [
        "utter_complaint_cancelled",
        "utter_complaint_set_aside_not_filed",
    ]
    assert SlotSet("complaint_set_aside", None) in events
    assert not any(e.get("event") == "followup" for e in events)


async def test_the_next_report_next_to_it_keeps_the_place_of_the_one_filed(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260126"}])
    open311.get("/requests/SR20260126.json").respond(json=[TICKET])
    text = (
        "yes file it. and can u also do one for the trash, theres bags on the sidewalk next to it"
    )
    events, _ = await file(resident_says(text, "affirm", slots=FORM))
    assert SlotSet("complaint_location", "1001 Shennan Avenue") in events
    assert events[-1] == FollowupAction("complaint_form")
    # the next one somewhere else is asked where
    text = "yes. can you also do one for the graffiti on the bridge"
    events, _ = await file(resident_says(text, "affirm", slots=FORM))
    assert SlotSet("complaint_location", "1001 Shennan Avenue") not in events


async def test_sent_straight_from_the_phone_question_it_says_what_was_sent(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.post("/requests.json").respond(json=[{"service_request_id": "SR20260123"}])
    open311.get("/requests/SR20260123.json").respond(json=[TICKET])
    tracker = resident_says(
        "no phone. submit please", "deny", slots=FORM, after="utter_ask_complaint_phone"
    )
    _, messages = await file(tracker)
    assert [m["response"] for m in messages][:2] == [
        "utter_complaint_sent_as",
        "utter_complaint_filed",
    ]
    assert messages[0]["location"] == "1001 Shennan Avenue"
