"""Operators' endpoints on the residents' port: metrics and version for operators only."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sanic import Sanic, response

from bot.channels.ops import OpsInput
from tests.factories.sanic_app import lifespan


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Sanic, "test_mode", True)


async def get(path: str, peer: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async def rasa(_: Any) -> None:
        return None

    app = Sanic(f"ops_{uuid.uuid4().hex[:12]}")
    app.blueprint(OpsInput().blueprint(rasa), url_prefix="/ops")

    @app.get("/version")
    async def version(_: Any) -> Any:  # stands in for Rasa's own route
        return response.json({"version": "3.6.21"})

    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=transport, base_url="http://rasa") as client,
    ):
        return await client.get(path, headers=headers or {})


@pytest.mark.parametrize("path", ["/ops/metrics", "/version"])
async def test_a_stranger_on_the_residents_port_finds_nothing(path: str) -> None:
    assert (await get(path, "203.0.113.7")).status_code == 404


@pytest.mark.parametrize("path", ["/ops/metrics", "/version"])
async def test_a_request_relayed_by_a_proxy_on_this_machine_is_a_stranger_too(path: str) -> None:
    relayed = await get(path, "127.0.0.1", {"X-Forwarded-For": "203.0.113.7"})
    assert relayed.status_code == 404


async def test_an_operator_on_this_machine_reads_the_metrics() -> None:
    assert (await get("/ops/metrics", "127.0.0.1")).status_code == 200


async def test_prometheus_elsewhere_reads_them_with_the_ops_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPS_TOKEN", "scrape-token-123")
    with_token = await get("/ops/metrics", "10.1.2.3", {"Authorization": "Bearer scrape-token-123"})
    assert with_token.status_code == 200
    wrong = await get("/ops/metrics", "10.1.2.3", {"Authorization": "Bearer guessed"})
    assert wrong.status_code == 404


async def test_health_stays_open_for_load_balancers() -> None:
    assert (await get("/ops/health", "203.0.113.7")).json() == {"status": "ok"}
