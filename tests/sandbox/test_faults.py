"""Outages on demand: a service made slow or down answers so until it is well again."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.sandbox.conftest import ADMIN_KEY

ADMIN = {"X-Admin-Key": ADMIN_KEY}


@pytest.fixture()
def drills(http: httpx.Client) -> Iterator[httpx.Client]:
    yield http
    assert http.delete("/admin/faults", headers=ADMIN).status_code == 200


def test_a_service_down_answers_503_and_the_others_do_not_notice(drills: httpx.Client) -> None:
    assert (
        drills.post(
            "/admin/faults", headers=ADMIN, json={"service": "open311", "mode": "down"}
        ).status_code
        == 200
    )
    assert drills.get("/open311/v2/services.json").status_code == 503
    assert drills.get("/permits/v1/services").status_code == 200
    drills.post("/admin/faults", headers=ADMIN, json={"service": "open311", "mode": "none"})
    assert drills.get("/open311/v2/services.json").status_code == 200


def test_a_slow_service_waits_before_answering(drills: httpx.Client) -> None:
    drills.post(
        "/admin/faults", headers=ADMIN, json={"service": "permits", "mode": "slow", "seconds": 1.5}
    )
    started = time.monotonic()
    assert drills.get("/permits/v1/services").status_code == 200
    assert time.monotonic() - started >= 1.5


def test_faults_need_the_admin_key_and_sane_values(drills: httpx.Client) -> None:
    assert drills.post("/admin/faults", json={"service": "all", "mode": "down"}).status_code == 403
    for body in ({"service": "mail", "mode": "down"}, {"service": "all", "mode": "broken"},
                 {"service": "all", "mode": "slow", "seconds": 999}, {"service": "all", "mode": "slow", "seconds": "x"}):  # fmt: skip
        assert drills.post("/admin/faults", headers=ADMIN, json=body).status_code == 400
    assert drills.get("/open311/v2/services.json").status_code == 200
