"""Another city's ticket and application numbers are followed up, whatever their format.

Chicago's identity (tests/data/cities/chicago.yml): tickets like SR26-00498713,
application numbers of 9 digits, US phone numbers. Its Open311 and permits servers are
mocked at the transport; they know ids in other formats too ("101000123456",
"2024-00123", "BP-2024-00123"), as a real city's systems may.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml

from actions.city import CityServices
from actions.complaints.status import ActionComplaintStatus
from actions.conversation import ActionHandleFallback, ActionHandleInform
from actions.permits.applications import ActionPermitStatus
from bot.city_identity import CityIdentity
from tests.factories import resident_says
from tests.factories.city import city_for_tests, run_action
from tests.unit.permits.conftest import APPLICATION

ROOT = Path(__file__).resolve().parents[2]
OPEN311 = "https://311.chicago.example/open311/v2"
PERMITS = "https://permits.chicago.example/v1"
CHICAGO = CityIdentity.from_sources(
    yaml.safe_load((ROOT / "tests" / "data" / "cities" / "chicago.yml").read_text("utf-8")), {}
)


def ticket(number: str) -> dict[str, Any]:
    return {
        "service_request_id": number,
        "status": "open",
        "service_name": "Pothole in street",
        "status_notes": "",
        "updated_datetime": "2026-11-20T09:30:00-06:00",
        "expected_datetime": None,
    }


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CityServices]:
    modules = [
        "actions.complaints.status",
        "actions.permits.applications",
        "actions.permits.questions",
    ]
    section = {"open311_url": OPEN311, "permits_url": PERMITS, "timezone": "America/Chicago"}
    yield city_for_tests(tmp_path, monkeypatch, section, modules, identity=CHICAGO)


@pytest.fixture
def open311() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=OPEN311, assert_all_called=False) as router:
        for number in ("SR26-00498713", "101000123456", "SR19-01234567", "2024-00123"):
            router.get(f"/requests/{number}.json").respond(json=[ticket(number)])
        router.get("/requests/999.json").respond(404, json=[{"code": 404, "description": "no"}])
        yield router


@pytest.mark.parametrize(
    "number", ["101000123456", "SR19-01234567", "2024-00123", "２０２４－００１２３"]
)
@pytest.mark.parametrize("action", [ActionHandleInform(), ActionHandleFallback()])
async def test_a_ticket_number_in_any_format_answers_which_ticket(
    city: CityServices, open311: respx.MockRouter, number: str, action: Any
) -> None:
    intent = "nlu_fallback" if isinstance(action, ActionHandleFallback) else "inform"
    tracker = resident_says(number, intent, after="utter_ask_ticket_number")
    messages, _ = await run_action(action, tracker)
    assert [m["response"] for m in messages] == ["utter_complaint_status_brief"]
    assert messages[0]["ticket"] in {"101000123456", "SR19-01234567", "2024-00123"}


async def test_the_citys_own_format_is_found_in_a_sentence_without_being_asked(
    city: CityServices, open311: respx.MockRouter
) -> None:
    [message], _ = await run_action(
        ActionComplaintStatus(),
        resident_says("how is sr26-00498713 going?", "complaint_status"),
    )
    assert message["response"] == "utter_complaint_status_brief"
    assert message["ticket"] == "SR26-00498713"


async def test_a_lone_number_not_asked_for_is_not_taken_for_a_ticket(
    city: CityServices, open311: respx.MockRouter
) -> None:
    [message], _ = await run_action(
        ActionComplaintStatus(), resident_says("2024-00123", "complaint_status")
    )
    assert message["response"] == "utter_ask_ticket_number"


async def test_a_ticket_the_city_does_not_know_gets_the_not_found_reply(
    city: CityServices, open311: respx.MockRouter
) -> None:
    [message], _ = await run_action(
        ActionComplaintStatus(),
        resident_says("999", "complaint_status", after="utter_ask_ticket_number"),
    )
    assert message["response"] == "utter_complaint_ticket_unknown"
    assert message["ticket"] == "999"


@pytest.mark.parametrize("number", ["100987654", "BP-2024-00123"])
async def test_an_application_number_in_any_format_answers_what_is_your_number(
    city: CityServices, number: str
) -> None:
    with respx.mock(base_url=PERMITS, assert_all_called=False) as permits:
        route = permits.get(f"/applications/{number}").respond(
            json={**APPLICATION, "PermitNum": number, "PermitTypeMapped": ""}
        )
        [message], slots = await run_action(
            ActionPermitStatus(),
            resident_says(number, "permit_status", after="utter_ask_application_id"),
        )
    assert route.called
    assert message["response"] == "utter_permit_status" and message["number"] == number
    assert slots == {"application_id": number}


async def test_digits_grouped_with_dashes_are_the_citys_number(city: CityServices) -> None:
    with respx.mock(base_url=PERMITS, assert_all_called=False) as permits:
        route = permits.get("/applications/100987654").respond(
            json={**APPLICATION, "PermitNum": "100987654", "PermitTypeMapped": ""}
        )
        await run_action(ActionPermitStatus(), resident_says("is 100-987-654 approved?"))
    assert route.called


async def test_the_permits_system_down_names_the_citys_hotline(city: CityServices) -> None:
    with respx.mock(base_url=PERMITS, assert_all_called=False) as permits:
        permits.get("/applications/100987654").mock(side_effect=httpx.ConnectError("down"))
        [message], _ = await run_action(
            ActionPermitStatus(), resident_says("status of 100987654", "permit_status")
        )
    assert message["response"] == "utter_permits_unavailable"
    assert message["hotline"] == "311" and message["portal"] == "chicago.gov"


async def test_a_number_given_first_with_what_it_was_about_is_looked_up_not_reported(
    city: CityServices, open311: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read as a new report ("the pothole on …"), but it answers "which ticket?".
    from actions.complaints.form import ValidateComplaintForm

    monkeypatch.setattr("actions.complaints.form.city_services", lambda: city)
    tracker = resident_says(
        "its 101000123456, the pothole on Dale Mabry",
        "complaint_file",
        after="utter_ask_ticket_number",
    )
    messages, _ = await run_action(ValidateComplaintForm(), tracker)
    assert [m["response"] for m in messages] == ["utter_complaint_status_brief"]
    assert messages[0]["ticket"] == "101000123456"


async def test_a_number_introduced_as_the_ticket_is_looked_up_in_any_format(
    city: CityServices, open311: respx.MockRouter
) -> None:
    tracker = resident_says(
        "我上周报过一个坑的问题，编号 101000123456，现在处理了吗？", "complaint_status"
    )
    [message], _ = await run_action(ActionComplaintStatus(), tracker)
    assert message["response"] == "utter_complaint_status_brief"
    assert message["ticket"] == "101000123456"


def test_a_lamp_posts_number_is_no_ticket() -> None:
    from actions.number_formats import number_named

    assert number_named("灯杆上好像喷了个编号 NS-0533，要不要补充一下？", of_a_report=False) is None
    assert number_named("路灯编号 NS-0533") is None
