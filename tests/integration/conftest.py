"""A running assistant (Rasa server + action server), started the way `make run` starts it."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from tests.integration.chat import REST_HEADERS, REST_TOKEN
from tests.unit.channels import wechat_samples

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "city-assistant.tar.gz"
#: The conversation tests, whose every state the in-process prediction tests replay.
STORIES = sorted((ROOT / "tests" / "stories").glob("*.yml"))
RASA_PORT = 15005
ACTIONS_PORT = 15055
SANDBOX_PORT = 18200
CONSOLE_PORT = 18300
TOKEN = "integration-test-token"
#: Tuesday 24 November 2026, 08:00 in Shenzhen: the transit journey's clock in these tests.
TRANSIT_NOW = "2026-11-24T08:00:00+08:00"
SLACK_SIGNING_SECRET = "integration-slack-signing-secret"
START_TIMEOUT = 300


def require_model() -> None:
    if MODEL.exists():
        return
    reason = f"no trained model at {MODEL.relative_to(ROOT)}; run 'make train'"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass(frozen=True)
class Ports:
    """Where one running stack listens."""

    rasa: int
    actions: int
    sandbox: int
    console: int


MAIN_PORTS = Ports(RASA_PORT, ACTIONS_PORT, SANDBOX_PORT, CONSOLE_PORT)


@contextlib.contextmanager
def running_stack(
    ports: Ports, environment: dict[str, str], nlu_worker: bool = True
) -> Iterator[str]:
    """A stack started as `make run` starts it, on ``ports``; stopped as a person would.

    ``nlu_worker=False`` leaves out the second Rasa process that parses messages (the
    main stack's tests cover it; another city's stack need not load the model twice).
    """
    require_model()
    process = subprocess.Popen(
        [
            sys.executable, str(ROOT / "scripts" / "run_stack.py"), "--model", str(MODEL),
            "--rasa-port", str(ports.rasa), "--actions-port", str(ports.actions),
            "--sandbox-port", str(ports.sandbox), "--console-port", str(ports.console),
            *([] if nlu_worker else ["--no-nlu-worker"]),
        ],
        cwd=ROOT, env={**os.environ, "REST_CHANNEL_TOKEN": REST_TOKEN, **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in iter(process.stdout.readline, "")],  # type: ignore[union-attr]
        daemon=True,
    ).start()
    deadline = time.monotonic() + START_TIMEOUT
    seen = []
    while True:
        try:
            line = lines.get(timeout=1)
            seen.append(line)
            if "STACK READY" in line:
                break
        except queue.Empty:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("stack did not start:\n" + "".join(seen[-40:]))
    yield f"http://127.0.0.1:{ports.rasa}"
    # Stopped as a person would (Ctrl-C); it must exit cleanly, taking every child with it.
    process.send_signal(signal.SIGINT)
    try:
        exit_code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.terminate()
        process.wait(timeout=30)
        pytest.fail("the stack did not stop within 30 s of Ctrl-C")
    assert exit_code == 0, f"the stack exited with {exit_code} on Ctrl-C"
    for port in (ports.rasa, ports.actions, ports.sandbox, ports.console):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served"


@pytest.fixture(scope="session")
def stack() -> Iterator[str]:
    """Base URL of a running stack; stopped (Ctrl-C equivalent) after the session."""
    env = {
        "RASA_AUTH_TOKEN": TOKEN,
        "RASA_TELEMETRY_ENABLED": "false",
        # One pinned "now" for the action server and the sandbox's live feeds, so injected
        # delays and alerts are live at the time the assistant asks about, day or night.
        "TRANSIT_NOW": TRANSIT_NOW,
        # Delays and alerts injected by a test are asked about at once: no feed read is
        # reused (a city's feeds change every 10-30 s, hence the default of 10 s).
        "CITY_GTFS_RT_MAX_AGE_S": "0",
        # Slack is enabled only by these; the channel test signs requests with the secret.
        "SLACK_BOT_TOKEN": "xoxb-integration-test",
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        # WeChat in safe mode with Tencent's published sample account values.
        "WECHAT_TOKEN": wechat_samples.TOKEN,
        "WECHAT_APP_ID": wechat_samples.APP_ID,
        "WECHAT_ENCODING_AES_KEY": wechat_samples.ENCODING_AES_KEY,
        "WECHAT_APP_SECRET": "integration-test-secret",
    }
    with running_stack(MAIN_PORTS, env) as url:
        yield url


@pytest.fixture()
def client(stack: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack, timeout=60, headers=REST_HEADERS) as http:
        yield http


@pytest.fixture(scope="module")
def agent() -> Any:
    """The trained model loaded in this process as a Rasa server loads it (speed fixes in)."""
    require_model()
    import asyncio

    import rasa.engine.graph  # noqa: F401 - as in a Rasa server
    from rasa.core.agent import load_agent

    import bot.speedups

    bot.speedups.install()
    return asyncio.run(load_agent(model_path=str(MODEL)))
