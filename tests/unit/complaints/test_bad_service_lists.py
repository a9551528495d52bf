"""A city's service list or definition that is empty, huge, malformed or unreachable:
the resident is still answered clearly and the report is still taken."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.form import ActionAskComplaintCategory, ValidateComplaintForm
from tests.factories import resident_says

pytestmark = pytest.mark.usefixtures("city")


async def run_form(tracker: Any, domain: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateComplaintForm().run(dispatcher, tracker, domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, [m.get("response") for m in dispatcher.messages]


@pytest.mark.parametrize(
    "answer",
    [
        {"json": []},
        {"json": {"error": "not a list"}},
        {"text": "<html>502 Bad Gateway</html>"},
        {"status_code": 503},
    ],
    ids=["empty", "not-a-list", "html", "unreachable"],
)
async def test_without_a_usable_list_the_report_is_taken_as_other(open311, domain, answer) -> None:
    open311.get("/services.json").respond(**answer)
    tracker = resident_says("a tree fell on the footpath", requested="complaint_category")
    slots, said = await run_form(tracker, domain)
    # The city's server decides at delivery; if it refuses, the outbox keeps it for staff.
    assert slots["complaint_category"] == "other"
    assert said == []


async def test_without_a_usable_list_the_question_has_no_buttons(open311, domain) -> None:
    open311.get("/services.json").respond(json=[])
    dispatcher = CollectingDispatcher()
    await ActionAskComplaintCategory().run(dispatcher, resident_says(""), domain)
    assert dispatcher.messages[0]["buttons"] == []


async def test_entries_without_a_code_or_with_odd_fields_are_skipped_not_fatal(
    open311, domain
) -> None:
    open311.get("/services.json").respond(
        json=[
            {"service_name": "no code"},
            "just a string",
            {"service_code": 42, "service_name": ["odd"], "keywords": ["pothole", 7]},
            {"service_code": "pothole", "service_name": "Pothole repair", "keywords": None},
        ]
    )
    tracker = resident_says("big pothole outside no. 5", requested="complaint_category")
    slots, _ = await run_form(tracker, domain)
    # Both readable entries name potholes: offered as a close call, the broken ones skipped.
    assert set(slots["complaint_candidates"]) == {"42", "pothole"}


async def test_two_thousand_services_are_ranked(open311, domain) -> None:
    services = [
        {"service_code": f"S{i:04d}", "service_name": f"Service number {i}", "description": ""}
        for i in range(1999)
    ]
    services.append({"service_code": "GRAF", "service_name": "Graffiti removal"})
    open311.get("/services.json").respond(json=services)
    tracker = resident_says("graffiti sprayed on my garage door", requested="complaint_category")
    slots, _ = await run_form(tracker, domain)
    assert slots["complaint_category"] == "GRAF"


async def test_a_definition_with_unknown_datatypes_is_asked_as_free_text(open311, domain) -> None:
    open311.get("/services.json").respond(
        json=[{"service_code": "TREE", "service_name": "Fallen tree", "metadata": True}]
    )
    open311.get("/services/TREE.json").respond(
        json={
            "attributes": [
                {"code": "SHAPE", "datatype": "geojson", "required": True, "description": "Where?"},
            ]
        }
    )
    tracker = resident_says(
        "by the north gate",
        slots={
            "complaint_category": "TREE",
            "complaint_location": "Park Rd",
            "complaint_description": "a tree fell",
        },
        requested="complaint_attribute",
    )
    slots, said = await run_form(tracker, domain)
    assert slots["complaint_attributes"]["answers"] == {"SHAPE": "by the north gate"}
    assert said == []
