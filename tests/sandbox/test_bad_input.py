"""Bad input gets the right 4xx in the spec's shape, never a 500, and stores nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.conftest import API_KEY
from tests.sandbox.open311_client import Open311Client, assert_spec_error

VALID = {"service_code": "noise", "lat": "22.5431", "long": "114.0579", "description": "吵"}
SQL_INJECTION = "noise'; DROP TABLE service_requests; --"
SCRIPT = "<script>alert('x')</script>"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def signed(fields: bytes) -> bytes:
    """A raw form body with the valid api_key in front of ``fields``."""
    return b"api_key=" + API_KEY.encode() + b"&" + fields


def count(open311: Open311Client) -> int:
    return len(open311.search())


@pytest.mark.parametrize(
    ("changes", "status", "mentions"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "wrong-key"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "no_such_service"}, 400, "service_code"),
        ({"service_code": SQL_INJECTION}, 400, "service_code"),
        ({"service_code": SCRIPT}, 400, "service_code"),
        ({"lat": "abc"}, 400, "lat"),
        ({"long": "east"}, 400, "long"),
        ({"lat": "91"}, 400, "lat"),
        ({"long": "-181"}, 400, "long"),
        ({"lat": "nan"}, 400, "lat"),
        ({"long": ""}, 400, "together"),
        ({"lat": "", "long": ""}, 400, "location"),
        ({"description": "长" * 5000}, 400, "4000"),
        ({"description": "bad\x00byte"}, 400, "control"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"phone": "call me maybe"}, 400, "phone"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"attribute[noise_source]": "fireworks"}, 400, "noise_source"),
        ({"attribute[colour]": "red"}, 400, "colour"),
        ({"address_string": "路" * 501, "lat": "", "long": ""}, 400, "address_string"),
    ],
)
def test_invalid_fields_are_refused_and_nothing_is_stored(
    open311: Open311Client, changes: dict[str, str], status: int, mentions: str
) -> None:
    before = count(open311)
    fields = {**VALID, **changes}
    response = open311.http.post("/open311/v2/requests.json", data={"api_key": API_KEY, **fields})
    assert mentions in assert_spec_error(response, status)
    assert count(open311) == before


def test_a_missing_api_key_is_forbidden(open311: Open311Client) -> None:
    response = open311.http.post("/open311/v2/requests.json", data=VALID)
    assert_spec_error(response, 403)


@pytest.mark.parametrize(
    ("body", "headers", "mentions"),
    [
        (signed(b"service_code=noise&lat=22.5&long=114&description=\xff\xfe"), FORM, "UTF-8"),
        (signed(b"service_code=noise&lat=22.5&long=114&description=%FF%FE"), FORM, "UTF-8"),
        (signed(b"service_code=noise&&&lat"), FORM, "form"),
        (
            b'{"service_code": "noise"}',
            {"Content-Type": "application/json"},
            "x-www-form-urlencoded",
        ),
        (
            b"service_code=noise",
            {"Content-Type": "application/x-www-form-urlencoded; charset=gbk"},
            "UTF-8",
        ),
        (signed(b"service_code=noise&service_code=garbage&lat=1&long=1"), FORM, "more than once"),
    ],
)
def test_unreadable_bodies_are_refused_and_nothing_is_stored(
    open311: Open311Client, body: bytes, headers: dict[str, str], mentions: str
) -> None:
    before = count(open311)
    response = open311.http.post("/open311/v2/requests.json", content=body, headers=headers)
    assert mentions in assert_spec_error(response, 400)
    assert count(open311) == before


def test_a_body_over_one_mebibyte_is_refused_with_413(open311: Open311Client) -> None:
    before = count(open311)
    body = signed(b"service_code=noise&description=" + b"a" * (2 * 1024 * 1024))
    try:
        response = open311.http.post("/open311/v2/requests.json", content=body, headers=FORM)
    except httpx.WriteError:
        pytest.fail("the server closed the connection instead of answering 413")
    assert_spec_error(response, 413)
    assert count(open311) == before


def test_injection_text_in_a_description_is_stored_verbatim_and_harmless(
    open311: Open311Client,
) -> None:
    text = f"{SQL_INJECTION} {SCRIPT} ' OR '1'='1"
    ticket = open311.create({**VALID, "description": text})
    record = open311.get(ticket["service_request_id"])

    assert record["description"] == text
    assert len(open311.search()) > 1  # the table is still there


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/requests/' OR 1=1 --.json",
        "/open311/v2/requests/<script>.json",
        "/open311/v2/services/noise' OR '1'='1.json",
    ],
)
def test_injection_text_in_ids_is_just_not_found(http: httpx.Client, path: str) -> None:
    assert_spec_error(http.get(path), 404)


def test_injection_text_in_search_parameters_is_refused(http: httpx.Client) -> None:
    assert_spec_error(
        http.get("/open311/v2/requests.json", params={"service_code": SQL_INJECTION}), 400
    )
    assert_spec_error(http.get("/open311/v2/requests.json", params={"status": SCRIPT}), 400)


def test_injection_text_as_a_ticket_id_in_search_finds_nothing(open311: Open311Client) -> None:
    assert open311.search(service_request_id=SQL_INJECTION) == []


def test_a_huge_url_is_refused_with_413_not_a_crash(http: httpx.Client) -> None:
    response = http.get("/open311/v2/requests.json", params={"service_code": "x" * 20_000})
    assert "too large" in assert_spec_error(response, 413)


def test_percent_encoded_ids_are_decoded_before_lookup(http: httpx.Client) -> None:
    assert http.get("/permits/v1/applications/%50A20261187").json()["PermitNum"] == "PA20261187"
