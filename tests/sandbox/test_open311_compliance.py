"""A generic Open311 client can walk the sandbox: services → definition → post → get → list."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.sandbox.open311_client import (
    Open311Client,
    assert_iso_time_with_offset,
    assert_spec_error,
)

NLU_CATEGORIES = {"noise", "road_damage", "streetlight", "garbage", "illegal_parking", "water_leak"}
PII_FIELDS = {"email", "phone", "first_name", "last_name", "device_id"}


def test_a_generic_client_walks_every_endpoint(open311: Open311Client) -> None:
    services = open311.services()
    with_metadata = next(s for s in services if s["metadata"])
    definition = open311.definition(with_metadata["service_code"])
    attribute = definition["attributes"][0]
    answer = attribute["values"][0]["key"]

    receipt = open311.create(
        {
            "service_code": with_metadata["service_code"],
            "lat": "22.5431",
            "long": "114.0579",
            "description": "Walked by the generic client",
            f"attribute[{attribute['code']}]": answer,
        }
    )
    ticket = receipt["service_request_id"]
    record = open311.get(ticket)
    listed = open311.search(service_request_id=ticket)

    assert record["service_code"] == with_metadata["service_code"]
    assert record["status"] == "open"
    assert record["extended_attributes"]["attributes"] == {attribute["code"]: answer}
    assert listed == [record]
    assert ticket in {r["service_request_id"] for r in open311.search()}


def test_services_cover_the_nlu_complaint_categories_in_both_languages(
    open311: Open311Client,
) -> None:
    chinese = {s["service_code"]: s for s in open311.services()}
    english = {s["service_code"]: s for s in open311.services(locale="en")}

    assert set(chinese) >= NLU_CATEGORIES
    assert chinese["streetlight"]["service_name"] == "路灯故障"
    assert english["streetlight"]["service_name"] == "Streetlight fault"
    assert "pothole" in english["road_damage"]["keywords"].split(",")
    assert "坑洼" in english["road_damage"]["keywords"].split(",")


@pytest.mark.parametrize("locale", ["zh-CN", "zh", "en", "en-US", "ZH_cn"])
def test_supported_locales_are_accepted(open311: Open311Client, locale: str) -> None:
    assert open311.services(locale=locale)


def test_an_unknown_locale_is_a_spec_error(http: httpx.Client) -> None:
    response = http.get("/open311/v2/services.json", params={"locale": "fr"})
    assert "zh-CN" in assert_spec_error(response, 400)


def test_the_receipt_is_an_array_with_a_ticket_number(open311: Open311Client) -> None:
    receipt = open311.create({"service_code": "noise", "address_string": "深圳市福田区福华三路"})
    assert receipt["service_request_id"].startswith("SR")
    assert len(receipt["service_request_id"]) == 10 and receipt["service_request_id"][2:].isdigit()
    assert receipt["account_id"] is None
    assert receipt["service_notice"]


def test_tickets_are_numbered_by_year_and_never_reused(open311: Open311Client) -> None:
    first = open311.create({"service_code": "garbage", "address_id": "SZ-FT-0001"})
    second = open311.create({"service_code": "garbage", "address_id": "SZ-FT-0001"})
    year = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).year

    assert first["service_request_id"][2:6] == str(year)
    assert int(second["service_request_id"][2:]) == int(first["service_request_id"][2:]) + 1


def test_records_carry_the_12345_workflow_and_times_in_china_time(
    open311: Open311Client,
) -> None:
    ticket = open311.create({"service_code": "water_leak", "lat": "22.6", "long": "114.0"})
    record = open311.get(ticket["service_request_id"])
    extended = record["extended_attributes"]

    assert extended["workflow_state"] == "accepted"
    assert extended["workflow_state_zh"] == "受理"
    assert record["status_notes"].startswith("受理")
    assert [step["workflow_state"] for step in extended["history"]] == ["accepted"]
    requested = assert_iso_time_with_offset(record["requested_datetime"])
    assert requested.utcoffset() == dt.timedelta(hours=8)
    assert assert_iso_time_with_offset(record["expected_datetime"]) > requested + dt.timedelta(
        days=15
    )


def test_status_notes_follow_the_locale(open311: Open311Client) -> None:
    ticket = open311.create({"service_code": "streetlight", "lat": "22.5", "long": "114.1"})
    english = open311.get(ticket["service_request_id"], locale="en")
    assert english["status_notes"].startswith("Accepted:")
    assert english["service_name"] == "Streetlight fault"


def test_public_records_never_show_personal_data(open311: Open311Client) -> None:
    ticket = open311.create(
        {
            "service_code": "noise",
            "address_string": "深圳市南山区科苑路",
            "email": "private@example.invalid",
            "phone": "13912345678",
            "first_name": "Private",
            "last_name": "Person",
            "device_id": "device-123",
        }
    )
    records = [open311.get(ticket["service_request_id"]), *open311.search()]
    text = str(records)

    assert all(not PII_FIELDS & set(record) for record in records)
    assert "private@example.invalid" not in text and "13912345678" not in text
    assert "resident01@example.invalid" not in text  # the sample data's fake contacts


def test_the_sample_city_has_shenzhen_complaints_in_several_states(
    open311: Open311Client,
) -> None:
    samples = [r for r in open311.search() if r["extended_attributes"]["sample_data"]]
    states = {r["extended_attributes"]["workflow_state"] for r in samples}
    assert 10 <= len(samples) <= 15
    assert states == {"accepted", "dispatched", "in_progress", "resolved", "closed"}
    assert all("深圳" in r["address"] or "Shenzhen" in r["address"] for r in samples)
    assert {
        r["status"] for r in samples if r["extended_attributes"]["workflow_state"] == "closed"
    } == {"closed"}


def test_search_filters_by_status_and_service_code(open311: Open311Client) -> None:
    closed = open311.search(status="closed")
    noise = open311.search(service_code="noise")

    assert closed and all(r["status"] == "closed" for r in closed)
    assert noise and all(r["service_code"] == "noise" for r in noise)
    assert {r["status"] for r in open311.search(status="open,closed")} == {"open", "closed"}


def test_search_by_date_window(open311: Open311Client) -> None:
    everything = open311.search()
    recent = open311.search(
        start_date=(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=4)).isoformat()
    )
    long_ago = open311.search(start_date="2020-01-01T00:00:00+08:00", end_date="2020-02-01")

    assert 0 < len(recent) < len(everything)
    assert long_ago == []


def test_ids_override_the_other_filters(open311: Open311Client) -> None:
    ticket = open311.create({"service_code": "garbage", "lat": "22.5", "long": "114.0"})
    found = open311.search(service_request_id=ticket["service_request_id"], status="closed")
    assert [r["service_request_id"] for r in found] == [ticket["service_request_id"]]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/open311/v2/services.xml", {}, 400),
        ("/open311/v2/requests.xml", {}, 400),
        ("/open311/v2/services/noise.xml", {}, 400),
        ("/open311/v2/services/no_such_service.json", {}, 404),
        ("/open311/v2/requests/SR19990001.json", {}, 404),
        ("/open311/v2/requests.json", {"start_date": "yesterday"}, 400),
        ("/open311/v2/requests.json", {"end_date": "2026-13-45"}, 400),
        ("/open311/v2/requests.json", {"status": "pending"}, 400),
        ("/open311/v2/requests.json", {"service_code": "no_such_service"}, 400),
        (
            "/open311/v2/requests.json",
            {"start_date": "2026-01-01", "end_date": "2026-06-01"},
            400,
        ),
        ("/open311/v2/nothing-here", {}, 404),
    ],
)
def test_errors_are_spec_shaped(
    http: httpx.Client, path: str, params: dict[str, str], status: int
) -> None:
    assert_spec_error(http.get(path, params=params), status)


def test_xml_is_refused_saying_only_json_is_supported(http: httpx.Client) -> None:
    assert "JSON" in assert_spec_error(http.get("/open311/v2/services.xml"), 400)


def test_a_wrong_method_is_a_spec_error(http: httpx.Client) -> None:
    assert_spec_error(http.delete("/open311/v2/services.json"), 405)


def test_discovery_points_at_the_v2_endpoint(http: httpx.Client) -> None:
    endpoint = http.get("/open311/discovery.json").json()["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["application/json"]
