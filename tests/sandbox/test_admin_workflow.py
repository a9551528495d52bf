"""The admin key moves a ticket along the 12345 workflow; Open311 status closes at the end."""

from __future__ import annotations

import httpx

from tests.sandbox.conftest import ADMIN_KEY
from tests.sandbox.open311_client import Open311Client, assert_service_request, assert_spec_error

ADMIN = {"X-Admin-Key": ADMIN_KEY}


def new_ticket(open311: Open311Client) -> str:
    receipt = open311.create({"service_code": "streetlight", "lat": "22.54", "long": "114.05"})
    return str(receipt["service_request_id"])


def advance(http: httpx.Client, ticket: str, **params: str) -> httpx.Response:
    return http.post(f"/admin/requests/{ticket}/advance", data=params, headers=ADMIN)


def test_advancing_walks_accepted_to_closed_and_the_status_flips_at_the_end(
    open311: Open311Client, http: httpx.Client
) -> None:
    ticket = new_ticket(open311)
    seen = []
    for _ in range(4):
        response = advance(http, ticket)
        assert response.status_code == 200, response.text
        record = assert_service_request(response.json()[0])
        seen.append(
            (
                record["extended_attributes"]["workflow_state"],
                record["extended_attributes"]["workflow_state_zh"],
                record["status"],
            )
        )

    assert seen == [
        ("dispatched", "派单", "open"),
        ("in_progress", "办理中", "open"),
        ("resolved", "已办结", "open"),
        ("closed", "已回访", "closed"),
    ]
    final = open311.get(ticket)
    history = final["extended_attributes"]["history"]
    assert [step["workflow_state"] for step in history] == [
        "accepted", "dispatched", "in_progress", "resolved", "closed",
    ]  # fmt: skip
    assert final["updated_datetime"] == history[-1]["changed_datetime"]
    assert final["updated_datetime"] >= final["requested_datetime"]


def test_a_closed_ticket_cannot_be_advanced(open311: Open311Client, http: httpx.Client) -> None:
    ticket = new_ticket(open311)
    assert advance(http, ticket, to="closed").status_code == 200
    assert_spec_error(advance(http, ticket), 409)


def test_a_ticket_can_jump_ahead_with_a_note_shown_in_the_status_notes(
    open311: Open311Client, http: httpx.Client
) -> None:
    ticket = new_ticket(open311)
    response = advance(http, ticket, to="resolved", note="已更换灯泡")
    record = response.json()[0]

    assert record["extended_attributes"]["workflow_state"] == "resolved"
    assert record["status_notes"].startswith("已办结")
    assert "已更换灯泡" in record["status_notes"]
    assert_spec_error(advance(http, ticket, to="dispatched"), 409)


def test_an_unknown_target_state_is_a_bad_request(
    open311: Open311Client, http: httpx.Client
) -> None:
    assert_spec_error(advance(http, new_ticket(open311), to="teleported"), 400)


def test_advancing_needs_the_admin_key(open311: Open311Client, http: httpx.Client) -> None:
    ticket = new_ticket(open311)
    assert_spec_error(http.post(f"/admin/requests/{ticket}/advance"), 403)
    assert_spec_error(
        http.post(f"/admin/requests/{ticket}/advance", headers={"X-Admin-Key": "guess"}), 403
    )
    assert open311.get(ticket)["extended_attributes"]["workflow_state"] == "accepted"


def test_the_open311_api_key_is_not_an_admin_key(
    open311: Open311Client, http: httpx.Client
) -> None:
    ticket = new_ticket(open311)
    response = http.post(
        f"/admin/requests/{ticket}/advance", headers={"X-Admin-Key": open311.api_key}
    )
    assert_spec_error(response, 403)


def test_advancing_an_unknown_ticket_is_not_found(http: httpx.Client) -> None:
    assert_spec_error(advance(http, "SR19990001"), 404)
