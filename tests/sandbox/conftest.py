"""A real sandbox server (``python -m sandbox``) on a free port, for the tests to talk to."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.sandbox.open311_client import Open311Client

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "test-api-key"
ADMIN_KEY = "test-admin-key"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_sandbox(
    database_url: str, log_path: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start the sandbox on ``database_url``; yields its base URL; stops it (and only it)."""
    port = free_port()
    env = {
        **os.environ,
        "SANDBOX_API_KEY": API_KEY,
        "SANDBOX_ADMIN_KEY": ADMIN_KEY,
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "sandbox", "--port", str(port)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [*command, "--database-url", database_url],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(process, base_url, log_path)
        yield base_url
    finally:
        _stop(process)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in output, f"the sandbox hit an unexpected error:\n{output}"


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the sandbox exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the sandbox did not answer /health within {START_TIMEOUT}s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a sandbox seeded with the sample data, in a fresh SQLite file."""
    folder = tmp_path_factory.mktemp("sandbox")
    with running_sandbox(f"sqlite:///{folder / 'sandbox.db'}", folder / "sandbox.log") as url:
        yield url


@pytest.fixture()
def http(sandbox_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox_url, timeout=10) as client:
        yield client


@pytest.fixture()
def open311(http: httpx.Client) -> Open311Client:
    return Open311Client(http, "/open311/v2", API_KEY)
