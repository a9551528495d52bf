"""A service whose definition has required attributes: the form asks them, checks them, posts them.

Washington DC's real pothole definition (tests/data/open311/washington-dc) requires
"Where is the pothole located?" (Alley / Street); the city answers 400 without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import respx
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.filing import submission_from
from actions.complaints.form import ActionAskComplaintAttribute, ValidateComplaintForm
from tests.factories import resident_says
from tests.unit.complaints.conftest import SERVICES

DC = Path(__file__).resolve().parents[2] / "data" / "open311" / "washington-dc"
POTHOLE = {
    "service_code": "S0301",
    "service_name": "Pothole",
    "metadata": True,
    "keywords": "pothole",
}
pytestmark = pytest.mark.usefixtures("city")


@pytest.fixture
def dc(open311: respx.MockRouter) -> respx.MockRouter:
    open311.get("/services.json").respond(json=[*SERVICES, POTHOLE])
    definition = json.loads((DC / "services" / "S0301.json").read_text(encoding="utf-8"))
    open311.get("/services/S0301.json").respond(json=definition)
    return open311


def filled(**slots: Any) -> dict[str, Any]:
    return {
        "complaint_category": "S0301",
        "complaint_location": "1200 K St NW",
        "complaint_description": "deep pothole",
        **slots,
    }


async def run_form(tracker: Any, domain: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, dispatcher.messages


async def test_after_the_description_the_form_asks_the_required_attribute(dc, domain) -> None:
    tracker = resident_says(
        "deep pothole", slots=filled(complaint_description=None), requested="complaint_description"
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["requested_slot"] == "complaint_attribute"


async def test_the_question_is_the_citys_own_with_its_values_as_buttons(dc, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = resident_says("", slots=filled(), requested="complaint_attribute")
    await ActionAskComplaintAttribute().run(dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    assert message["response"] == "utter_ask_complaint_attribute"
    assert message["question"] == "Where is the pothole located?"
    assert [b["title"] for b in message["buttons"]] == ["Alley", "Street"]


async def test_an_answer_in_words_is_kept_as_the_values_key(dc, domain) -> None:
    tracker = resident_says("it's in the street", slots=filled(), requested="complaint_attribute")
    slots, _ = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"WHISPOLO": "STREE001"}
    # Nothing more from the city: Rasa asks the domain's next slot (the phone number).
    assert slots.get("requested_slot") != "complaint_attribute"


async def test_a_wrong_answer_is_refused_and_asked_again(dc, domain) -> None:
    tracker = resident_says("no idea", slots=filled(), requested="complaint_attribute")
    slots, said = await run_form(tracker, domain)
    assert "complaint_attributes" not in slots
    assert said[0]["response"] == "utter_complaint_attribute_invalid"
    assert slots["requested_slot"] == "complaint_attribute"


@pytest.mark.parametrize(
    ("text", "phone"), [("电话 138-0013-800", None), ("不好意思，13800138000", "13800138000")]
)
async def test_a_phone_given_for_the_citys_question_is_the_phone(
    dc, domain, text: str, phone: str | None
) -> None:
    tracker = resident_says(text, slots=filled(), requested="complaint_attribute")
    slots, said = await run_form(tracker, domain)
    assert slots.get("complaint_phone") == phone
    assert "utter_complaint_attribute_invalid" not in [m["response"] for m in said]
    assert slots["requested_slot"] == "complaint_attribute"  # the question asked again


async def test_the_answers_are_posted_as_open311_attributes(dc) -> None:
    answers = {"service": "S0301", "answers": {"WHISPOLO": "ALLEY002"}, "shown": {}}
    submission = submission_from(filled(complaint_attributes=answers))
    form = submission.form("key")
    assert form["attribute[WHISPOLO]"] == "ALLEY002"


async def test_answers_given_for_another_service_are_not_posted() -> None:
    answers = {"service": "noise", "answers": {"WHISPOLO": "ALLEY002"}, "shown": {}}
    submission = submission_from(filled(complaint_attributes=answers))
    assert "attribute[WHISPOLO]" not in submission.form("key")


async def test_an_unreachable_definition_does_not_stop_the_report(open311, domain) -> None:
    open311.get("/services.json").respond(json=[*SERVICES, POTHOLE])
    open311.get("/services/S0301.json").respond(status_code=503)
    tracker = resident_says(
        "deep pothole", slots=filled(complaint_description=None), requested="complaint_description"
    )
    slots, _ = await run_form(tracker, domain)
    assert slots.get("requested_slot") in (None, "complaint_phone")


def test_a_hint_that_only_repeats_the_question_is_replaced_by_the_forms_own() -> None:
    from actions.complaints.form import attribute_hint

    assert attribute_hint("What is the graffiti on?", "What is the graffiti on?") == ""
    assert attribute_hint("What is the graffiti on?", " what is the graffiti on ") == ""
    assert attribute_hint("Where is the pothole located?", "Pick the closest") == (
        "Pick the closest"
    )
    assert attribute_hint("Number of lights out", "") == ""


BLOOMINGTON = Path(__file__).resolve().parents[2] / "data" / "open311" / "bloomington"
LIGHTS = "4fb2878bb1fe2cdc24000000"


@pytest.fixture
def street_lights(open311: respx.MockRouter) -> respx.MockRouter:
    light = {"service_code": LIGHTS, "service_name": "Street Lights", "metadata": True}
    open311.get("/services.json").respond(json=[*SERVICES, light])
    definition = (BLOOMINGTON / "services" / f"{LIGHTS}.json").read_text(encoding="utf-8")
    open311.get(f"/services/{LIGHTS}.json").respond(json=json.loads(definition))
    return open311


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        # What is wrong, and how many in a row, in one Chinese answer to the first.
        ("完全不亮，连着两盏都不亮", {"LIGHT_PROBLEM": "OUT", "LIGHTS_OUT": "2"}),
        ("一闪一闪的", {"LIGHT_PROBLEM": "FLICKER"}),
        ("灯杆被车撞歪了", {"LIGHT_PROBLEM": "DAMAGED"}),
        ("2", {"LIGHT_PROBLEM": "FLICKER"}),  # the second button, not two lights
    ],
)
async def test_a_chinese_answer_to_an_english_list_question(
    street_lights, domain, text: str, answers: dict[str, str]
) -> None:
    slots = filled(complaint_category=LIGHTS, complaint_location="Middlefield Rd & Colorado Ave")
    tracker = resident_says(text, slots=slots, requested="complaint_attribute")
    given, said = await run_form(tracker, domain)
    assert given["complaint_attributes"]["answers"] == answers, said


ANSWERED_ALLEY = {
    "service": "S0301",
    "answers": {"WHISPOLO": "ALLEY002"},
    "shown": {"Where is the pothole located?": "Alley"},
}


@pytest.mark.parametrize(
    ("text", "requested"),
    [
        ("actually hold on, it's more out where the cars go... I guess that's the street?",
         "complaint_phone"),
        ("sorry, street not alley", "complaint_confirmation"),
    ],
)  # fmt: skip
async def test_a_list_answer_changed_later_in_the_form_is_taken(
    dc, domain, text: str, requested: str
) -> None:
    tracker = resident_says(
        text, slots=filled(complaint_attributes=ANSWERED_ALLEY), requested=requested
    )
    slots, said = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"WHISPOLO": "STREE001"}
    assert said[0]["response"] == "utter_complaint_corrected"


async def test_a_list_answer_changed_with_the_phone_takes_both(dc, domain) -> None:
    tracker = resident_says(
        "yeah street. 13800138000",
        slots=filled(complaint_attributes=ANSWERED_ALLEY),
        requested="complaint_phone",
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"WHISPOLO": "STREE001"}
    assert slots["complaint_phone"]


async def test_a_phone_answer_that_names_no_value_changes_nothing(dc, domain) -> None:
    tracker = resident_says(
        "my neighbour says the whole street is complaining, 13800138000",
        slots=filled(complaint_attributes=ANSWERED_ALLEY),
        requested="complaint_phone",
    )
    slots, _ = await run_form(tracker, domain)
    assert "complaint_attributes" not in slots


VEHICLE = {
    "service_code": "AV01",
    "service_name": "Abandoned vehicles",
    "metadata": True,
    "keywords": "car,vehicle",
}
VEHICLE_DEFINITION = {
    "service_code": "AV01",
    "attributes": [
        {
            "variable": True,
            "code": "REG",
            "datatype": "string",
            "required": True,
            "order": 1,
            "description": "Registration and make",
        }
    ],
}


@pytest.fixture
def vehicles(open311: respx.MockRouter) -> respx.MockRouter:
    open311.get("/services.json").respond(json=[*SERVICES, VEHICLE])
    open311.get("/services/AV01.json").respond(json=VEHICLE_DEFINITION)
    return open311


@pytest.mark.parametrize("text", ["对，提交吧", "yes", "ok submit it"])
async def test_a_yes_is_no_answer_to_the_citys_written_question(
    vehicles: respx.MockRouter, domain, text: str
) -> None:
    tracker = resident_says(
        text, slots=filled(complaint_category="AV01"), requested="complaint_attribute"
    )
    slots, said = await run_form(tracker, domain)
    assert "complaint_attributes" not in slots
    assert said[0]["response"] == "utter_complaint_attribute_invalid"


async def test_the_plate_and_make_answer_the_citys_written_question(
    vehicles: respx.MockRouter, domain
) -> None:
    tracker = resident_says(
        "grey Honda Civic, plate G45 KLM",
        slots=filled(complaint_category="AV01"),
        requested="complaint_attribute",
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"REG": "grey Honda Civic, plate G45 KLM"}


@pytest.mark.parametrize(
    ("description", "key"),
    [
        ("deep pothole in the alley behind the shop, my tyre burst", "ALLEY002"),
        ("后面那条巷子里有个大坑，好危险", "ALLEY002"),
        ("huge pothole right in the middle of the street, not the alley", "STREE001"),
    ],
)
async def test_a_list_answer_told_in_the_report_is_not_asked_again(
    dc, domain, description: str, key: str
) -> None:
    tracker = resident_says(
        description,
        slots=filled(complaint_description=None),
        requested="complaint_description",
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"WHISPOLO": key}
    assert slots["complaint_attributes"]["shown"]  # the summary shows it, to be changed
    assert slots.get("requested_slot") != "complaint_attribute"


@pytest.mark.parametrize(
    "description",
    [
        "deep pothole",
        "pothole outside the Street Food Market on K St",  # a name, no answer
        "pothole, is it the street or the alley? no idea",  # both said: asked
    ],
)
async def test_a_report_that_does_not_say_which_is_asked(dc, domain, description: str) -> None:
    tracker = resident_says(
        description,
        slots=filled(complaint_description=None),
        requested="complaint_description",
    )
    slots, _ = await run_form(tracker, domain)
    assert slots["requested_slot"] == "complaint_attribute"


async def test_an_answer_and_a_phone_in_one_message_are_both_taken(dc, domain) -> None:
    tracker = resident_says(
        "主要是在巷子里面。电话 13800138000", slots=filled(), requested="complaint_attribute"
    )
    slots, said = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"WHISPOLO": "ALLEY002"}
    assert slots.get("complaint_phone") == "13800138000"
    assert "utter_complaint_attribute_invalid" not in [m["response"] for m in said]


@pytest.mark.parametrize(
    "text", ["喺街度，唔係後巷", "在马路上，不是小巷", "street, not the alley"]
)
async def test_an_answer_ruling_out_another_value_is_an_answer_not_a_correction(
    dc, domain, text: str
) -> None:
    # Read as a "no", it was taken for a correction of an earlier answer: the question was
    # asked again after the phone.
    tracker = resident_says(text, "deny", slots=filled(), requested="complaint_attribute")
    slots, said = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"WHISPOLO": "STREE001"}, said
    assert all(m.get("response") != "utter_complaint_corrected" for m in said)
