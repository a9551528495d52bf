"""A city with no permit API for the assistant (``permits_url: none``).

Its residents still ask about permits. They are sent to the city's own hotline and
portal, never told "try again in a few minutes" and never shown another city's
catalogue; a message that is not about permits keeps its own answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
import yaml

from actions.city import CityServices
from actions.conversation import ActionHandleOutOfScope
from actions.permits.applications import ActionPermitStatus
from actions.permits.questions import ActionPermitAnswer
from actions.settings import CityServicesSettings
from bot.city_identity import CityIdentity
from tests.factories import resident_says
from tests.factories.city import city_for_tests, run_action

ROOT = Path(__file__).resolve().parents[3]
CHICAGO = CityIdentity.from_sources(
    yaml.safe_load((ROOT / "tests" / "data" / "cities" / "chicago.yml").read_text("utf-8")), {}
)


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CityServices]:
    modules = ["actions.permits.questions", "actions.permits.applications"]
    section = {"permits_url": "none", "timezone": "America/Chicago"}
    yield city_for_tests(tmp_path, monkeypatch, section, modules, identity=CHICAGO)


@pytest.mark.parametrize("written", ["none", "None", "", "off"])
def test_none_or_empty_means_no_permit_api(written: str) -> None:
    settings = CityServicesSettings.from_sources({"permits_url": written}, {})
    assert not settings.has_permits


def test_a_real_url_is_still_checked() -> None:
    with pytest.raises(ValueError, match="permits_url"):
        CityServicesSettings.from_sources({"permits_url": "permits.example"}, {})


async def test_a_permit_question_goes_to_the_citys_hotline_and_portal(
    city: CityServices,
) -> None:
    with respx.mock(assert_all_called=False) as network:
        [message], _ = await run_action(
            ActionPermitAnswer(),
            resident_says("what do I need for a building permit", "permit_requirements"),
        )
    assert not network.calls  # nothing asked of any server
    assert message["response"] == "utter_permits_not_kept"
    assert message["hotline"] == "311" and message["portal"] == "chicago.gov"


async def test_a_chinese_permit_question_too(city: CityServices) -> None:
    [message], _ = await run_action(
        ActionPermitAnswer(),
        resident_says("办居住证要什么材料", "permit_requirements", slots={"language": "zh"}),
    )
    assert message["response"] == "utter_permits_not_kept"
    assert message["portal"] == "芝加哥市政府网站 chicago.gov"


async def test_what_is_no_permit_question_is_not_answered_as_one(city: CityServices) -> None:
    [message], _ = await run_action(
        ActionPermitAnswer(),
        resident_says("my landlord won't return my deposit", "permit_requirements"),
    )
    assert message["response"] == "utter_permit_not_a_permit_question"


async def test_a_follow_up_to_a_permit_question_gets_the_same_honest_answer(
    city: CityServices,
) -> None:
    tracker = resident_says(
        "can you at least tell me how much it costs",
        "permit_fee",
        slots={"last_topic": "permits", "permit_type": "parking_permit"},
    )
    [message], _ = await run_action(ActionPermitAnswer(), tracker)
    assert message["response"] == "utter_permits_not_kept"


async def test_an_application_number_cannot_be_looked_up_either(city: CityServices) -> None:
    [message], _ = await run_action(
        ActionPermitStatus(), resident_says("status of 100987654", "permit_status")
    )
    assert message["response"] == "utter_permits_not_kept"
    assert message["hotline"] == "311"


async def test_the_sample_citys_catalogue_left_configured_is_no_catalogue_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chicago configured, the permits URL still at the bundled Shenzhen sample: its
    # residents are sent to Chicago's hotline and portal, not offered Shenzhen's permits.
    sample = yaml.safe_load(
        (ROOT / "sandbox" / "data" / "permits_catalogue.yml").read_text("utf-8")
    )
    served = {key: sample[key] for key in ("city", "hotline", "portal")}
    served["services"] = [
        {"permit_type": p["permit_type"], "name": p["name"]} for p in sample["permits"]
    ]
    modules = ["actions.permits.questions", "actions.permits.applications"]
    section = {"permits_url": "https://permits.example.gov/v1"}
    city_for_tests(tmp_path, monkeypatch, section, modules, identity=CHICAGO)
    with respx.mock(base_url="https://permits.example.gov/v1") as network:
        network.get("/services").respond(json=served)
        [message], _ = await run_action(
            ActionPermitAnswer(),
            resident_says("what do I need for a building permit", "permit_requirements"),
        )
    assert message["response"] == "utter_permits_not_kept"
    assert message["hotline"] == "311" and message["portal"] == "chicago.gov"


async def test_the_help_menu_offers_no_permit_lookups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = {"permits_url": "none", "timezone": "America/Chicago"}
    modules = ["actions.conversation", "actions.complaints.categories"]
    city_for_tests(tmp_path, monkeypatch, section, modules, identity=CHICAGO)
    with respx.mock(assert_all_called=False) as network:
        network.get(url__regex=r".*/services\.json.*").respond(json=[])
        messages, _ = await run_action(
            ActionHandleOutOfScope(), resident_says("？？？", "out_of_scope")
        )
    assert [m["response"] for m in messages] == ["utter_help_no_permits"]
