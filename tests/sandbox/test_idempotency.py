"""A retried POST with the same Idempotency-Key files one ticket, not two."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.sandbox.conftest import API_KEY
from tests.sandbox.open311_client import Open311Client, assert_spec_error

COMPLAINT = {
    "service_code": "road_damage",
    "lat": "22.5490",
    "long": "114.0865",
    "description": "坑",
}


def key() -> str:
    return str(uuid.uuid4())


def test_the_same_key_twice_gives_one_ticket_and_the_same_answer(open311: Open311Client) -> None:
    before = len(open311.search())
    idempotency_key = key()

    first = open311.post(COMPLAINT, Idempotency_Key=idempotency_key)
    second = open311.post(COMPLAINT, Idempotency_Key=idempotency_key)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert len(open311.search()) == before + 1


def test_field_order_does_not_make_a_different_request(open311: Open311Client) -> None:
    idempotency_key = key()
    first = open311.post(COMPLAINT, Idempotency_Key=idempotency_key)
    reordered = open311.post(
        dict(reversed(list(COMPLAINT.items()))), Idempotency_Key=idempotency_key
    )
    assert reordered.json() == first.json()


def test_the_quoted_structured_field_form_of_the_key_is_the_same_key(
    open311: Open311Client,
) -> None:
    bare = key()
    first = open311.post(COMPLAINT, Idempotency_Key=bare)
    quoted = open311.post(COMPLAINT, Idempotency_Key=f'"{bare}"')
    assert quoted.json() == first.json()


def test_the_same_key_with_a_different_body_is_refused_with_422(open311: Open311Client) -> None:
    before = len(open311.search())
    idempotency_key = key()
    open311.post(COMPLAINT, Idempotency_Key=idempotency_key)

    changed = open311.post(
        {**COMPLAINT, "description": "另一个坑"}, Idempotency_Key=idempotency_key
    )

    assert "Idempotency-Key" in assert_spec_error(changed, 422)
    assert len(open311.search()) == before + 1


def test_without_a_key_each_post_files_a_new_ticket(open311: Open311Client) -> None:
    first = open311.create(COMPLAINT)
    second = open311.create(COMPLAINT)
    assert first["service_request_id"] != second["service_request_id"]


def test_concurrent_retries_with_one_key_still_give_one_ticket(
    open311: Open311Client, sandbox_url: str
) -> None:
    before = len(open311.search())
    idempotency_key = key()

    def post(_: int) -> httpx.Response:
        with httpx.Client(base_url=sandbox_url, timeout=10) as client:
            return client.post(
                "/open311/v2/requests.json",
                data={"api_key": API_KEY, **COMPLAINT},
                headers={"Idempotency-Key": idempotency_key},
            )

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(post, range(6)))

    assert {r.status_code for r in responses} == {201}
    assert len({r.json()[0]["service_request_id"] for r in responses}) == 1
    assert len(open311.search()) == before + 1


def test_a_malformed_key_is_refused(open311: Open311Client) -> None:
    assert_spec_error(open311.post(COMPLAINT, Idempotency_Key=""), 400)
    assert_spec_error(open311.post(COMPLAINT, Idempotency_Key="k" * 256), 400)
