"""The action server answers only Rasa: the shared secret, or nothing but the probe."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx
import pytest
from sanic import Sanic

from actions.server import MissingToken, build_app
from tests.factories.sanic_app import lifespan

SECRET = "a-long-shared-secret"


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Sanic, "test_mode", True)


def status_call(sender: str) -> dict[str, Any]:
    return {
        "next_action": "action_complaint_status",
        "sender_id": sender,
        "tracker": {"sender_id": sender, "slots": {}, "latest_message": {}, "events": []},
        "domain": {},
        "version": "3.6.21",
    }


async def post(headers: dict[str, str], path: str = "/webhook") -> httpx.Response:
    app = build_app(token=SECRET)
    transport = httpx.ASGITransport(app=app)
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=transport, base_url="http://actions.test") as client,
    ):
        if path == "/webhook":
            return await client.post(path, json=status_call("someone-else"), headers=headers)
        return await client.get(path, headers=headers)


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Action-Token": ""}, {"X-Action-Token": "wrong"}, {"Authorization": SECRET}],
)
async def test_a_call_without_the_secret_runs_no_action(headers: dict[str, str]) -> None:
    answer = await post(headers)
    assert answer.status_code == 401
    assert "events" not in answer.text


async def test_the_action_list_needs_the_secret_too() -> None:
    assert (await post({}, "/actions")).status_code == 401


async def test_prometheus_scrapes_metrics_without_the_secret() -> None:
    assert (await post({}, "/metrics")).status_code == 200


async def test_the_health_probe_needs_no_secret() -> None:
    assert (await post({}, "/health")).status_code == 200


async def test_rasa_with_the_secret_is_answered() -> None:
    answer = await post({"X-Action-Token": SECRET}, "/actions")
    assert answer.status_code == 200


def test_no_app_is_built_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    with pytest.raises(MissingToken):
        build_app()


def test_the_server_refuses_to_start_without_a_secret() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": "."}
    done = subprocess.run(
        [sys.executable, "-m", "actions.server", "--port", "1"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "ACTION_SERVER_TOKEN" in done.stderr


@pytest.mark.parametrize(("setting", "host"), [(None, "127.0.0.1"), ("0.0.0.0", "0.0.0.0")])
def test_the_server_listens_on_localhost_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, host: str
) -> None:
    from actions import server

    listened: list[str] = []

    class App:
        def run(self, address: str, *_: Any, **__: Any) -> None:
            listened.append(address)

    monkeypatch.setattr(server, "build_app", lambda *_: App())
    monkeypatch.setattr(server, "configure_json_logs", lambda *_: True)
    if setting is None:
        monkeypatch.delenv("SANIC_HOST", raising=False)
    else:
        monkeypatch.setenv("SANIC_HOST", setting)
    server.main(["--port", "5999"])
    assert listened == [host]
