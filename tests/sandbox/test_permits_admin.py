"""The admin key changes the permits catalogue while the sandbox runs; readers see it at once."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.permits_catalogue import PermitCatalogue
from tests.sandbox.conftest import ADMIN_KEY, API_KEY
from tests.sandbox.test_permits import assert_permit_error

ADMIN = {"X-Admin-Key": ADMIN_KEY}
JSON = {**ADMIN, "Content-Type": "application/json"}
SHIPPED = PermitCatalogue.from_yaml()


def sample_entry(base: str = "passport", **changes: Any) -> dict[str, Any]:
    """The shipped catalogue's entry of ``base``, with ``changes`` to its top-level fields."""
    return {**copy.deepcopy(dict(SHIPPED[base])), **changes}


def put(http: httpx.Client, permit_type: str, entry: Any) -> httpx.Response:
    return http.put(f"/admin/permits/services/{permit_type}", json=entry, headers=ADMIN)


def put_raw(http: httpx.Client, permit_type: str, body: bytes) -> httpx.Response:
    return http.put(f"/admin/permits/services/{permit_type}", content=body, headers=JSON)


def listed_types(http: httpx.Client) -> list[str]:
    return [s["permit_type"] for s in http.get("/permits/v1/services").json()["services"]]


@pytest.fixture()
def admin(http: httpx.Client) -> Iterator[httpx.Client]:
    """The sandbox's client; the catalogue is reset afterwards, as other tests expect it."""
    yield http
    assert http.post("/admin/permits/reset", headers=ADMIN).status_code == 200


def test_a_replaced_fee_is_what_the_next_reads_show(admin: httpx.Client) -> None:
    fee = {"amount_cny": 100, "zh": "每本100元（示例）", "en": "CNY 100 per passport (sample)"}
    response = put(admin, "passport", sample_entry(fee=fee))

    assert response.status_code == 200, response.text
    assert response.json()["fee"] == fee
    assert admin.get("/permits/v1/services/passport").json()["fee"] == fee
    summaries = admin.get("/permits/v1/services").json()["services"]
    assert next(s for s in summaries if s["permit_type"] == "passport")["fee"] == fee
    assert listed_types(admin).index("passport") == list(SHIPPED).index("passport")


def test_an_entry_read_edited_and_sent_back_is_accepted(admin: httpx.Client) -> None:
    entry = admin.get("/permits/v1/services/residence_permit").json()
    entry["processing_time"]["working_days"] = 10

    response = put(admin, "residence_permit", entry)

    assert response.status_code == 200, response.text
    assert response.json() == entry
    assert admin.get("/permits/v1/services/residence_permit").json() == entry


def test_a_new_permit_type_is_created_and_listed(admin: httpx.Client) -> None:
    entry = sample_entry(
        "parking_permit",
        permit_type="dog_licence",
        name={"zh": "养犬登记证（示例）", "en": "Dog licence (sample)"},
    )
    response = put(admin, "dog_licence", entry)

    assert response.status_code == 201, response.text
    assert response.headers["Location"] == "/permits/v1/services/dog_licence"
    assert response.json()["name"]["en"] == "Dog licence (sample)"
    assert listed_types(admin)[-1] == "dog_licence"
    assert admin.get("/permits/v1/services/dog_licence").json()["permit_type"] == "dog_licence"


def test_the_path_names_the_entry_when_the_body_does_not(admin: httpx.Client) -> None:
    entry = sample_entry("parking_permit", name={"zh": "占道许可", "en": "Street works permit"})
    del entry["permit_type"]

    response = put(admin, "street_works_permit", entry)

    assert response.status_code == 201, response.text
    assert response.json()["permit_type"] == "street_works_permit"


def test_a_deleted_permit_type_is_gone_from_list_and_details(admin: httpx.Client) -> None:
    response = admin.delete("/admin/permits/services/parking_permit", headers=ADMIN)

    assert response.status_code == 200, response.text
    assert response.json()["deleted"] == "parking_permit"
    assert "parking_permit" not in listed_types(admin)
    assert_permit_error(
        admin.get("/permits/v1/services/parking_permit"), 404, "permit_type_not_found"
    )
    assert_permit_error(
        admin.delete("/admin/permits/services/parking_permit", headers=ADMIN),
        404,
        "permit_type_not_found",
    )


def test_reset_restores_the_catalogue_loaded_at_start(admin: httpx.Client) -> None:
    put(admin, "passport", sample_entry(name={"zh": "护照（已改）", "en": "Passport (changed)"}))
    put(admin, "dog_licence", sample_entry(permit_type="dog_licence"))
    admin.delete("/admin/permits/services/hukou_registration", headers=ADMIN)

    response = admin.post("/admin/permits/reset", headers=ADMIN)

    assert response.status_code == 200, response.text
    assert {s["permit_type"] for s in response.json()["services"]} == set(SHIPPED)
    assert listed_types(admin) == list(SHIPPED)
    assert admin.get("/permits/v1/services/passport").json()["name"] == SHIPPED["passport"]["name"]


def test_an_application_shows_the_renamed_permit_type(admin: httpx.Client) -> None:
    name = {"zh": "普通护照（新名称）", "en": "Ordinary passport (renamed)"}
    put(admin, "passport", sample_entry(name=name))

    record = admin.get("/permits/v1/applications/PA20250042").json()

    assert record["PermitTypeMapped"] == "passport"
    assert record["PermitTypeName"] == name


@pytest.mark.parametrize("headers", [{}, {"X-Admin-Key": "guess"}, {"X-Admin-Key": API_KEY}])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/admin/permits/services/passport"),
        ("DELETE", "/admin/permits/services/passport"),
        ("POST", "/admin/permits/reset"),
    ],
)
def test_changing_the_catalogue_needs_the_admin_key(
    admin: httpx.Client, headers: dict[str, str], method: str, path: str
) -> None:
    body = json.dumps(sample_entry(fee={"amount_cny": 1, "zh": "一元", "en": "CNY 1"}))

    response = admin.request(method, path, content=body, headers=headers)

    assert_permit_error(response, 403, "forbidden")
    assert admin.get("/permits/v1/services/passport").json()["fee"] == SHIPPED["passport"]["fee"]


OVERSIZED = json.dumps(sample_entry(note={"zh": "长" * 30_000, "en": "long" * 10_000})).encode()


@pytest.mark.parametrize(
    ("path_type", "body", "status", "code", "mentions"),
    [
        ("passport", b"{not json", 400, "invalid_json", "JSON"),
        ("passport", b"", 400, "invalid_json", "empty"),
        ("passport", b"\xff\xfe{}", 400, "invalid_json", "UTF-8"),
        ("passport", b'{"name": NaN}', 400, "invalid_json", "NaN"),
        ("passport", b'{"permit_type": "passport", "permit_type": "x"}', 400, "invalid_json", "repeats"),
        ("passport", b"[" * 20_000 + b"]" * 20_000, 400, "invalid_json", "JSON"),
        ("passport", b'["passport"]', 400, "invalid_entry", "object"),
        ("passport", b'"passport"', 400, "invalid_entry", "object"),
        ("passport", OVERSIZED, 413, "entry_too_large", "64 KiB"),
        ("passport", json.dumps(sample_entry(permit_type="visa")).encode(), 400, "permit_type_mismatch", "visa"),
        ("Passport", json.dumps(sample_entry()).encode(), 400, "invalid_permit_type", "lower-case"),
        ("passport", json.dumps({"name": {"zh": "护照"}}).encode(), 400, "invalid_entry", "name needs en"),
        ("passport", json.dumps(sample_entry(name={"zh": "护\x1b照", "en": "P"})).encode(), 400, "invalid_entry", "control"),
        ("passport", json.dumps(sample_entry(fees={})).encode(), 400, "invalid_entry", "fees"),
        ("passport", b'{"name": {"zh": "\\ud800", "en": "x"}}', 400, "invalid_json", "escape"),
    ],
    ids=[
        "not-json", "empty", "not-utf8", "nan", "repeated-key", "too-deep", "array", "string",
        "oversized", "mismatched-type", "bad-path-type", "name-without-en", "control-character",
        "unknown-field", "lone-surrogate",
    ],
)  # fmt: skip
def test_malformed_or_hostile_entries_are_refused_and_nothing_changes(
    admin: httpx.Client, path_type: str, body: bytes, status: int, code: str, mentions: str
) -> None:
    response = put_raw(admin, path_type, body)

    assert_permit_error(response, status, code)
    assert mentions in response.json()["error"]["message_en"]
    assert listed_types(admin) == list(SHIPPED)
    assert admin.get("/permits/v1/services/passport").json()["fee"] == SHIPPED["passport"]["fee"]


def test_sanic_errors_on_the_admin_routes_answer_in_the_permits_shape(http: httpx.Client) -> None:
    assert_permit_error(http.get("/admin/permits/reset", headers=ADMIN), 405, "http_405")
