"""Production mode end to end: two Rasa instances and two action servers behind nginx,
sharing the PostgreSQL tracker store and the Redis lock store (`make prod-local`).
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from typing import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.channels.webchat_sessions import conversation_id_of
from tests.integration.conftest import MODEL, ROOT, require_model
from tests.integration.webchat_client import WAIT, Resident
from tests.production.conftest import ADMIN_URL, _unavailable

pytestmark = pytest.mark.integration

BASE = 19080
PUBLIC = f"http://127.0.0.1:{BASE}"
REST_TOKEN = "production-test-rest-token"
REST_HEADERS = {"Authorization": f"Bearer {REST_TOKEN}"}
RASA = [f"http://127.0.0.1:{BASE + 10}", f"http://127.0.0.1:{BASE + 11}"]
ACTIONS = [f"http://127.0.0.1:{BASE + 20}", f"http://127.0.0.1:{BASE + 21}"]
SANDBOX = f"http://127.0.0.1:{BASE + 2}"
START_TIMEOUT = 420


@pytest.fixture(scope="module")
def production() -> Iterator[dict[str, str]]:
    """`scripts/prod_local.py` on its own database, stopped with Ctrl-C afterwards."""
    require_model()
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        reason = "nginx is missing (scripts/install-nginx.sh installs Debian's)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    database = f"city_prod_test_{secrets.token_hex(4)}"
    try:
        create_engine(ADMIN_URL).connect().close()
    except Exception as error:  # noqa: BLE001 - any failure means no usable server
        _unavailable(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "prod_local.py"), "--model", str(MODEL),
         "--port-base", str(BASE), "--database", database, "--redis-db", "2",
         "--timeout", str(START_TIMEOUT)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "REST_CHANNEL_TOKEN": REST_TOKEN},
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in iter(process.stdout.readline, "")],  # type: ignore[union-attr]
        daemon=True,
    ).start()
    seen: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT + 60
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
            pytest.fail("production mode did not start:\n" + "".join(seen[-40:]))
    token = (ROOT / "var" / "rasa-token").read_text().strip()
    yield {"token": token, "database": database}
    process.send_signal(signal.SIGINT)
    try:
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def say(base: str, sender: str, message: str) -> str:
    answer = httpx.post(
        f"{base}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers=REST_HEADERS,
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return "\n".join(reply.get("text", "") for reply in answer.json())


def user_and_listen_events(production: dict[str, str], sender: str) -> list[str]:
    tracker = httpx.get(
        f"{RASA[0]}/conversations/{sender}/tracker",
        params={"token": production["token"]},
        timeout=30,
    ).json()
    order = []
    for event in tracker["events"]:
        if event["event"] == "user":
            order.append("user")
        elif event["event"] == "action" and event["name"] == "action_listen":
            order.append("listen")
    return order


def test_in_production_mode_rest_and_action_calls_without_their_secrets_are_refused(
    production: dict[str, str],
) -> None:
    message = {"sender": "someone-else", "message": "我的投诉进度"}
    for base in (PUBLIC, *RASA):
        answer = httpx.post(f"{base}/webhooks/rest/webhook", json=message, timeout=30)
        assert answer.status_code == 401, base
    call = {"next_action": "action_complaint_status", "sender_id": "someone-else",
            "tracker": {"sender_id": "someone-else", "slots": {}, "events": []}}  # fmt: skip
    for base in ACTIONS:
        assert httpx.post(f"{base}/webhook", json=call, timeout=30).status_code == 401


def test_every_process_is_healthy_and_ready(production: dict[str, str]) -> None:
    for base in RASA:
        assert httpx.get(f"{base}/ops/ready", timeout=10).json()["status"] == "ready"
    for base in ACTIONS:
        assert httpx.get(f"{base}/health", timeout=10).status_code == 200
    assert httpx.get(f"{PUBLIC}/ops/health", timeout=10).status_code == 200


def test_a_complaint_continues_across_instances_and_is_filed_once(
    production: dict[str, str],
) -> None:
    sender = f"prod-{secrets.token_hex(4)}"
    steps = ["我要投诉", "路灯", "福田区福华三路88号", "路灯已经一个星期不亮了，晚上很黑", "不留"]
    for number, message in enumerate(steps):
        say(RASA[number % 2], sender, message)  # each message on the other instance
    reply = say(RASA[1], sender, "确认提交")
    ticket = re.search(r"SR\d{8}", reply)
    assert ticket, reply
    found = httpx.get(f"{SANDBOX}/open311/v2/requests/{ticket.group(0)}.json", timeout=10).json()
    assert len(found) == 1 and "福华三路88号" in found[0]["address"]
    assert user_and_listen_events(production, sender).count("user") == len(steps) + 1


async def test_messages_of_one_conversation_are_never_processed_at_once(
    production: dict[str, str],
) -> None:
    sender = f"prod-lock-{secrets.token_hex(4)}"
    messages = ["你好", "地铁票价", "福田到罗湖多少钱", "车公庙下一班地铁几点？", "谢谢", "再见"]
    async with httpx.AsyncClient(timeout=120, headers=REST_HEADERS) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    f"{RASA[n % 2]}/webhooks/rest/webhook",
                    json={"sender": sender, "message": message},
                )
                for n, message in enumerate(messages)
            )
        )
    assert all(answer.status_code == 200 and answer.json() for answer in answers)
    order = user_and_listen_events(production, sender)
    # The Redis lock makes each turn finish (back to listening) before the next starts.
    assert order.count("user") == len(messages)
    for position, kind in enumerate(order):
        if kind == "user" and position > 0:
            assert order[position - 1] == "listen", order


def test_the_load_balancer_spreads_messages_and_each_instance_counts_them(
    production: dict[str, str],
) -> None:
    # Each conversation goes to one instance; 16 conversations all on one: ~3e-5.
    for number in range(16):
        assert say(PUBLIC, f"prod-lb-{secrets.token_hex(3)}-{number}", "你好")
    for base in RASA:
        metrics = httpx.get(f"{base}/ops/metrics", timeout=10).text
        counted = re.search(
            r'assistant_messages_total\{channel="rest",outcome="ok"\} (\d+)', metrics
        )
        assert counted and int(counted.group(1)) > 0, f"{base} answered nothing"
    actions = httpx.get(f"{ACTIONS[0]}/metrics", timeout=10).text
    assert "action_seconds_count" in actions


def answered_per_instance() -> list[int]:
    counts = []
    for base in RASA:
        metrics = httpx.get(f"{base}/ops/metrics", timeout=10).text
        found = re.search(r'assistant_messages_total\{channel="rest",outcome="ok"\} (\d+)', metrics)
        counts.append(int(found.group(1)) if found else 0)
    return counts


def test_one_conversation_stays_on_one_instance_where_its_tracker_is_kept(
    production: dict[str, str],
) -> None:
    sender = f"prod-sticky-{secrets.token_hex(4)}"
    before = answered_per_instance()
    for message in ("你好", "地铁票价", "福田到罗湖多少钱", "谢谢"):
        assert say(PUBLIC, sender, message)
    grew = [after - earlier for after, earlier in zip(answered_per_instance(), before, strict=True)]
    assert sorted(grew) == [0, 4], grew


async def test_a_push_reaches_a_web_chat_open_on_the_other_instance(
    production: dict[str, str],
) -> None:
    """The outbox worker's trigger_intent lands on any instance; the socket lives on one."""
    tab = Resident(RASA[0])
    try:
        session_id = await tab.open()
        await tab.say("你好")
        tab.said.clear()
        tab.arrived.clear()
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.post(
                f"{RASA[1]}/conversations/{conversation_id_of(session_id)}/trigger_intent",
                params={"token": production["token"], "output_channel": "latest"},
                json={
                    "name": "EXTERNAL_complaint_update",
                    "entities": {"ticket_id": "SR20269901", "workflow_state": "dispatched"},
                },
            )
        assert answer.status_code == 200, answer.text
        await asyncio.wait_for(tab.arrived.wait(), WAIT)
        await asyncio.sleep(1)  # a second copy would have arrived by now
        assert tab.texts().count("SR20269901") == 1, tab.texts()
    finally:
        await tab.close()


def test_a_killed_rasa_instance_is_routed_around(production: dict[str, str]) -> None:
    victim = subprocess.run(
        ["pgrep", "-f", f"rasa run .*--port {BASE + 11}"], capture_output=True, text=True
    ).stdout.split()
    assert victim, "the second Rasa instance is not running"
    for pid in victim:
        os.kill(int(pid), signal.SIGKILL)
    time.sleep(1)
    for number in range(6):
        assert say(PUBLIC, f"prod-failover-{secrets.token_hex(3)}-{number}", "地铁票价")


def test_the_killed_instance_is_started_again_and_serves(production: dict[str, str]) -> None:
    """Runs after the kill above: prod-local restarts a stopped process, as systemd does."""
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{RASA[1]}/ops/ready", timeout=5).json()["status"] == "ready":
                break
        except (httpx.HTTPError, ValueError):
            pass
        assert time.monotonic() < deadline, "the killed Rasa instance did not come back"
        time.sleep(1)
    assert say(RASA[1], f"prod-back-{secrets.token_hex(3)}", "地铁票价")
