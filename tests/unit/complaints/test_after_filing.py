"""More about a report just filed: said to stand as filed, never filed a second time."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.city import CityServices
from actions.complaints.after_filing import adds_to_filed_report, asks_to_add
from actions.complaints.filing import ActionFileComplaint
from actions.complaints.form import ValidateComplaintForm
from tests.factories import tracker_with

pytestmark = pytest.mark.usefixtures("city", "open311")


def after_filing(text: str, *, between: int = 0, response: str = "utter_complaint_filed") -> Any:
    """A tracker where a report was filed, ``between`` messages passed, then ``text``."""
    filed = {"utter_action": response, "ticket": "SR20260042", "local_ref": "L-7"}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "确认提交", "parse_data": {"text": "确认提交"}},
        {"event": "bot", "text": "…", "metadata": filed},
    ]
    for index in range(between):
        said = f"第{index}条"
        events += [
            {"event": "user", "text": said, "parse_data": {"text": said}},
            {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_anything_else"}},
        ]
    latest = {"text": text, "intent": {"name": "complaint_file", "confidence": 0.9}}
    events.append({"event": "user", "text": text, "parse_data": {**latest, "entities": []}})
    return tracker_with(events, slots={"language": "zh", "requested_slot": None})


@pytest.mark.parametrize(
    "text",
    [
        "灯杆上好像喷了个编号 NS-0533，要不要补充一下？",
        "oh I forgot to mention it's been like this for three days",
        "can I add a photo to that report?",
        "我忘了说，晚上十点以后最吵",
        "one more thing - it's right outside exit B",
    ],
)
def test_more_about_the_report_just_filed(text: str) -> None:
    assert adds_to_filed_report(after_filing(text)) == "SR20260042"


@pytest.mark.parametrize(
    "text",
    ["还有另外一个问题要反映，路口井盖没了", "I want to add another complaint about a pothole"],
)
def test_another_problem_is_a_new_report(text: str) -> None:
    assert not asks_to_add(text)


def test_long_after_the_filing_it_is_a_new_report() -> None:
    assert adds_to_filed_report(after_filing("要补充一下", between=3)) is None


def test_a_report_waiting_for_the_city_is_named_by_its_local_reference() -> None:
    tracker = after_filing("要补充一下", response="utter_complaint_queued")
    assert adds_to_filed_report(tracker) == "L-7"


async def test_the_form_does_not_start_and_nothing_is_posted_again(
    domain: dict[str, Any], city: CityServices, open311: respx.MockRouter
) -> None:
    tracker = after_filing("灯杆上好像喷了个编号 NS-0533，要不要补充一下？")
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_complaint_cannot_amend"]
    assert dispatcher.messages[0]["ticket"] == "SR20260042"
    assert SlotSet("requested_slot", None) in events
    posted = open311.post("/requests.json")
    tracker.slots["complaint_confirmation"] = "answered"
    filing = CollectingDispatcher()
    await ActionFileComplaint().run(filing, tracker, domain)
    assert filing.messages == [] and not posted.called


async def test_the_ticket_number_again_right_after_filing(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from actions.complaints.after_filing import show_the_ticket
    from tests.unit.complaints.test_complaint_status import RECORD

    open311.get("/requests/SR20260042.json").respond(
        json=[{**RECORD, "service_request_id": "SR20260042"}]
    )
    tracker = after_filing("what was the ticket number again? accidentally scrolled away lol")
    dispatcher = CollectingDispatcher()
    assert await show_the_ticket(dispatcher, tracker)
    assert dispatcher.messages[0]["ticket"] == "SR20260042"
    later = after_filing("what was the ticket number again?", between=3)
    assert not await show_the_ticket(CollectingDispatcher(), later)


async def test_the_status_of_the_report_just_filed_is_its_status(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleFallback
    from tests.unit.complaints.test_complaint_status import RECORD

    open311.get("/requests/SR20260042.json").respond(
        json=[{**RECORD, "service_request_id": "SR20260042"}]
    )
    dispatcher = CollectingDispatcher()
    tracker = after_filing("cool, what's the status on that one now?")
    await ActionHandleFallback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"].startswith("utter_complaint_status")
    assert dispatcher.messages[0]["ticket"] == "SR20260042"


async def test_how_long_right_after_filing_is_about_the_report(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from actions.permits.questions import ActionPermitAnswer

    tracker = after_filing("thx. how long do these usually take")
    tracker.latest_message["intent"] = {"name": "permit_processing_time", "confidence": 0.9}
    dispatcher = CollectingDispatcher()
    await ActionPermitAnswer().run(dispatcher, tracker, {})
    [said] = dispatcher.messages
    assert said["response"] == "utter_complaint_filed_what_next"
    assert said["ticket"] == "SR20260042"  # the report just filed, already on its way


@pytest.mark.parametrize("text", ["幾時會有人嚟整呀？", "so when will someone come and fix it"])
async def test_when_it_will_be_fixed_right_after_filing_is_about_the_report(text: str) -> None:
    from actions.conversation import ActionHandleFallback

    tracker = after_filing(text)
    tracker.latest_message["intent"] = {"name": "nlu_fallback", "confidence": 0.5}
    dispatcher = CollectingDispatcher()
    await ActionHandleFallback().run(dispatcher, tracker, {})
    [said] = dispatcher.messages
    assert said["response"] == "utter_complaint_filed_what_next"
    assert said["ticket"] == "SR20260042"


@pytest.mark.parametrize("text", ["垃圾那个也报一下，同一个地址", "垃圾那個也報一下，同一個地址"])
async def test_the_next_report_at_the_same_address_starts_there(text: str) -> None:
    from actions.complaints.filing import ActionClearComplaint

    tracker = after_filing(text)
    # the form was cleared when the noise report was sent; its place went with the reply
    tracker.events[1]["metadata"]["place"] = "龙岗区布吉街道信义假日名城3栋"
    tracker.slots["complaint_category"] = "garbage"
    events = await ActionClearComplaint().run(CollectingDispatcher(), tracker, {})
    assert SlotSet("complaint_location", "龙岗区布吉街道信义假日名城3栋") in events
    assert SlotSet("complaint_category", None) in events


async def test_a_next_report_elsewhere_starts_with_no_place() -> None:
    from actions.complaints.filing import ActionClearComplaint

    tracker = after_filing("还有一个，楼下垃圾桶满了")
    tracker.events[1]["metadata"]["place"] = "龙岗区布吉街道信义假日名城3栋"
    tracker.slots["complaint_location"] = "龙岗区布吉街道信义假日名城3栋"
    events = await ActionClearComplaint().run(CollectingDispatcher(), tracker, {})
    assert SlotSet("complaint_location", None) in events
    assert SlotSet("complaint_location", "龙岗区布吉街道信义假日名城3栋") not in events


@pytest.mark.parametrize("text", ["will someone actually come out?", "真的会有人来处理吗"])
async def test_whether_someone_will_come_right_after_filing_is_about_the_report(
    text: str,
) -> None:
    from actions.conversation import ActionRequestHuman

    tracker = after_filing(text)
    tracker.latest_message["intent"] = {"name": "request_human", "confidence": 0.97}
    dispatcher = CollectingDispatcher()
    assert await ActionRequestHuman().run(dispatcher, tracker, {}) == []
    [said] = dispatcher.messages
    assert said["response"] == "utter_complaint_filed_what_next"


async def test_asking_for_a_person_right_after_filing_is_still_a_handoff() -> None:
    from actions.conversation import ActionRequestHuman

    tracker = after_filing("can I talk to a real person about when they will come?")
    tracker.latest_message["intent"] = {"name": "request_human", "confidence": 0.97}
    dispatcher = CollectingDispatcher()
    await ActionRequestHuman().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_handoff"
