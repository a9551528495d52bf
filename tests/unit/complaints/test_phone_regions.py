"""Phone numbers in the city's own region: national formats and E.164, stored in E.164."""

from __future__ import annotations

import pytest

from actions.complaints.phone import mask_phone, mask_phones_in, parse_phone


@pytest.mark.parametrize(
    ("region", "text", "phone"),
    [
        ("US", "call me at (415) 555-2671 please", "+14155552671"),
        ("US", "415.555.2671", "+14155552671"),
        ("US", "my cell is 4155552671", "+14155552671"),
        ("US", "+1 415 555 2671", "+14155552671"),
        ("US", "电话4155552671谢谢", "+14155552671"),
        ("GB", "07911 123456", "+447911123456"),
        ("GB", "ring 020 7946 0958 after six", "+442079460958"),
        ("DE", "030 1234567", "+49301234567"),
        ("DE", "Handy: 0151 23456789", "+4915123456789"),
        ("US", "or my London mobile +44 7911 123456", "+447911123456"),
    ],
)
def test_a_regions_national_and_international_numbers_are_read(
    region: str, text: str, phone: str
) -> None:
    assert parse_phone(text, region) == phone


@pytest.mark.parametrize(
    ("region", "text"),
    [
        ("US", "ticket 101000123456"),
        ("US", "SR19-01234567"),
        ("US", "filed on 2024-00123"),
        ("US", "555-2671"),  # no area code: no one can call it back
        ("US", "13800138000"),  # a mainland mobile without +86 is not a US number
        ("US", "1-800-555-0199"),  # toll-free: not the resident's own line
        ("GB", "hello"),
    ],
)
def test_what_is_not_a_number_of_the_region_is_not_taken(region: str, text: str) -> None:
    assert parse_phone(text, region) is None


def test_a_stored_number_of_the_citys_country_is_shown_as_residents_write_it() -> None:
    # "+141****2671" reads as a foreign number to a resident of San Francisco
    assert mask_phone("+14155552671", "US") == "(415) ***-2671"
    assert mask_phone("+493012345678", "DE") == "030 ****5678"


def test_a_stored_number_of_another_country_is_shown_masked_like_an_international_one() -> None:
    assert mask_phone("+447911123456", "US") == "+4479****3456"
    assert mask_phone("+8613800138000", "US") == "+8613*****8000"


def test_numbers_in_a_description_are_masked_where_they_stand() -> None:
    text = "Call (415) 555-2671, ticket SR19-01234567"
    assert mask_phones_in(text, "US") == "Call (415) ***-2671, ticket SR19-01234567"


def test_the_mainland_rules_stay_the_default() -> None:
    assert parse_phone("138 0013 8000") == "13800138000"
    assert parse_phone("138 0013 8000", "CN") == "13800138000"
    assert parse_phone("0755-8888 8888", "CN") is None
    assert mask_phone("13800138000", "CN") == "138****8000"


@pytest.mark.parametrize(
    "text", ["oh right 212-555-0173", "sorry its 415 555 0167", "不好意思，206-623-8812"]
)
def test_a_number_said_with_a_few_words_is_given(text: str) -> None:
    from actions.complaints.phone import phone_given

    # "oh right" was seven letters, more than the six a Chinese reply may have
    assert phone_given(text, "US") is not None


def test_a_number_inside_a_sentence_of_its_own_is_not_given() -> None:
    from actions.complaints.phone import phone_given

    assert phone_given("my building is 2350 broadway 212-555-0173 right", "US") is None


async def test_a_mainland_mobile_said_to_be_chinese_after_it_was_refused_is_taken(
    tmp_path, monkeypatch, domain, open311
) -> None:
    # "13812345678" is no Italian number; the resident then says it is a Chinese mobile.
    from rasa_sdk.executor import CollectingDispatcher

    from actions.complaints.form import ValidateComplaintForm
    from bot.city_identity import CityIdentity
    from tests.factories import resident_says
    from tests.factories.city import city_for_tests
    from tests.unit.complaints.conftest import OPEN311

    naples = CityIdentity.from_sources(
        {"phone_region": "IT", "phone_format_en": "an Italian number",
         "phone_format_zh": "意大利号码"},
        {},
    )  # fmt: skip
    modules = [f"actions.complaints.{name}" for name in ("categories", "filing", "form", "status")]
    city_for_tests(tmp_path, monkeypatch, {"open311_url": OPEN311}, modules, naples)
    tracker = resident_says(
        "对，是中国手机，+86",
        requested="complaint_phone",
        slots={"complaint_location": "Via Foria", "complaint_description": "路面塌了"},
    )
    tracker.events[:0] = [
        {"event": "user", "text": "13812345678"},
        {
            "event": "bot",
            "text": "…",
            "metadata": {"utter_action": "utter_complaint_phone_invalid"},
        },
    ]
    events = await ValidateComplaintForm().run(CollectingDispatcher(), tracker, domain)
    assert [e["value"] for e in events if e.get("name") == "complaint_phone"] == ["+8613812345678"]
