"""The permits API: BLDS application status without personal data, and the catalogue."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

SAMPLES = Path(__file__).resolve().parents[2] / "sandbox" / "data" / "permit_applications.yml"
BLDS_FIELDS = {
    "PermitNum",
    "PermitType",
    "PermitTypeMapped",
    "Description",
    "AppliedDate",
    "IssuedDate",
    "StatusCurrent",
    "StatusCurrentMapped",
    "StatusDate",
}
#: The permit types the NLU model was trained on; the catalogue holds these and more.
PERMIT_TYPES = {
    "residence_permit",
    "hk_macau_travel_permit",
    "passport",
    "business_license",
    "building_permit",
    "parking_permit",
    "hukou_registration",
}


def sample_applications() -> list[dict[str, str]]:
    return list(yaml.safe_load(SAMPLES.read_text(encoding="utf-8"))["applications"])


def assert_permit_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message_en"] and error["message_zh"]


def test_an_application_has_blds_fields_and_bilingual_status(http: httpx.Client) -> None:
    record = http.get("/permits/v1/applications/PA20250042").json()

    assert set(record) >= BLDS_FIELDS
    assert record["PermitTypeMapped"] == "passport"
    assert record["StatusCurrentMapped"] == "Permit Issued"
    assert record["StatusText"] == {"zh": "已制证，待领取", "en": "Approved and issued"}
    assert record["StatusDate"] == "2026-09-15T16:40:00+08:00"
    assert record["AppliedDate"] == "2026-09-08"
    assert record["sample_data"] is True


def test_lower_case_numbers_are_accepted(http: httpx.Client) -> None:
    assert http.get("/permits/v1/applications/pa20261187").json()["PermitNum"] == "PA20261187"


@pytest.mark.parametrize("application", sample_applications(), ids=lambda a: a["PermitNum"])
def test_no_application_ever_shows_the_applicant(
    http: httpx.Client, application: dict[str, str]
) -> None:
    response = http.get(f"/permits/v1/applications/{application['PermitNum']}")
    text = response.text

    assert response.status_code == 200
    assert not any(name.startswith("Applicant") for name in response.json())
    for secret in ("ApplicantName", "ApplicantIdNumber", "ApplicantAddress"):
        assert str(application[secret]) not in text


@pytest.mark.parametrize("number", ["PA123", "XX20261187", "PA2026118700", "' OR 1=1 --"])
def test_malformed_numbers_are_a_bilingual_400(http: httpx.Client, number: str) -> None:
    assert_permit_error(http.get(f"/permits/v1/applications/{number}"), 400, "invalid_permit_num")


def test_an_unknown_number_is_a_bilingual_404(http: httpx.Client) -> None:
    assert_permit_error(
        http.get("/permits/v1/applications/PA19990001"), 404, "application_not_found"
    )


def test_the_catalogue_lists_every_permit_type_of_the_nlu_contract(http: httpx.Client) -> None:
    catalogue = http.get("/permits/v1/services").json()

    assert catalogue["sample_data"] is True
    assert {s["permit_type"] for s in catalogue["services"]} >= PERMIT_TYPES
    assert all(s["name"]["zh"] and s["name"]["en"] for s in catalogue["services"])


def test_the_permit_listing_carries_aliases_and_keywords_as_the_details_do(
    http: httpx.Client,
) -> None:
    listed = http.get("/permits/v1/services").json()["services"]
    summary = next(s for s in listed if s["permit_type"] == "marriage_registration")
    entry = http.get("/permits/v1/services/marriage_registration").json()

    assert summary["aliases"] == entry["aliases"]
    assert summary["keywords"] == entry["keywords"]
    assert "领证" in summary["keywords"]["zh"]
    assert "get married" in summary["keywords"]["en"]


def test_a_permit_type_has_the_details_in_both_languages(http: httpx.Client) -> None:
    entry = http.get("/permits/v1/services/residence_permit").json()

    assert entry["sample_data"] is True
    assert "居住证暂行条例" in entry["regulation"]["zh"]
    assert entry["documents"]["zh"] and entry["documents"]["en"]
    assert entry["fee"]["amount_cny"] == 0


def test_an_unknown_permit_type_is_a_404(http: httpx.Client) -> None:
    assert_permit_error(
        http.get("/permits/v1/services/dragon_licence"), 404, "permit_type_not_found"
    )


def test_unknown_permit_routes_answer_in_the_permits_error_shape(http: httpx.Client) -> None:
    assert_permit_error(http.get("/permits/v1/nothing"), 404, "http_404")
