"""Against the real sandbox city: a ticket moved by a case worker reaches the resident once.

A small HTTP server in the test stands in for Rasa's ``trigger_intent`` endpoint and
records what the notifier sends; the end-to-end test with a real Rasa lives elsewhere.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from sqlalchemy import create_engine

from actions.clients import http as transport
from actions.clients.assistant import AssistantClient
from actions.clients.open311 import ComplaintSubmission, Open311Client
from actions.complaint_notifier import UPDATE_INTENT, ComplaintNotifier
from actions.complaint_watch import ComplaintWatch
from actions.complaints_outbox import ComplaintOutbox, OutboxStatus, submission_key
from actions.settings import CityServicesSettings
from tests.sandbox.conftest import ADMIN_KEY, API_KEY

POLICY = transport.TransportPolicy(connect_timeout=1, read_timeout=2, get_retries=1)
TOKEN = "test-rasa-token"


@dataclass(frozen=True)
class Trigger:
    """One request the stand-in for Rasa received."""

    path: str
    query: dict[str, str]
    body: dict[str, object]


class RasaStandIn:
    """Answers ``POST /conversations/{id}/trigger_intent`` as Rasa does, and remembers it."""

    def __init__(self) -> None:
        self.triggers: list[Trigger] = []
        received = self.triggers

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the name http.server calls
                length = int(self.headers.get("Content-Length", "0"))
                parts = urlsplit(self.path)
                received.append(
                    Trigger(
                        parts.path,
                        dict(parse_qsl(parts.query)),
                        json.loads(self.rfile.read(length)),
                    )
                )
                answer = json.dumps({"tracker": {}, "messages": []}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> RasaStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def rasa() -> Iterator[RasaStandIn]:
    with RasaStandIn() as stand_in:
        yield stand_in


@pytest.fixture
async def raw_client():
    async with httpx.AsyncClient() as client:
        yield client


def settings_for(sandbox_url: str, assistant_url: str) -> CityServicesSettings:
    return CityServicesSettings.from_sources(
        {
            "open311_url": f"{sandbox_url}/open311/v2",
            "open311_api_key": API_KEY,
            "assistant_url": assistant_url,
            "assistant_token": TOKEN,
        },
        {},
    )


async def advance(sandbox_url: str, ticket_id: str, to: str) -> None:
    async with httpx.AsyncClient(base_url=sandbox_url, timeout=10) as admin:
        response = await admin.post(
            f"/admin/requests/{ticket_id}/advance",
            data={"to": to},
            headers={"X-Admin-Key": ADMIN_KEY},
        )
    assert response.status_code == 200, response.text


async def test_a_dispatched_ticket_is_told_once_on_the_residents_channel(
    sandbox_url, rasa, raw_client, tmp_path
):
    settings = settings_for(sandbox_url, rasa.url)
    open311 = Open311Client(settings, client=raw_client, policy=POLICY)
    engine = create_engine(f"sqlite:///{tmp_path}/outbox.db", future=True)
    outbox, watch = ComplaintOutbox(engine), ComplaintWatch(engine)
    notifier = ComplaintNotifier(
        outbox, watch, open311, AssistantClient(settings, client=raw_client, policy=POLICY)
    )

    sender = "telegram:7001"
    complaint = ComplaintSubmission(
        "streetlight", "深南大道辅道的路灯整晚不亮", address_string="福田区深南大道"
    )
    filed = await outbox.submit(sender, submission_key(sender, "msg-1"), complaint, open311.submit)
    assert filed.status is OutboxStatus.DELIVERED and filed.ticket_id.startswith("SR")
    watch.watch(filed.local_ref, sender, "telegram", "accepted")

    assert await notifier.run_once() == []  # nothing moved yet
    await advance(sandbox_url, filed.ticket_id, "dispatched")

    [change] = await notifier.run_once()
    assert (change.local_ref, change.state) == (filed.local_ref, "dispatched")
    [trigger] = rasa.triggers
    assert trigger.path == f"/conversations/{sender}/trigger_intent"
    assert trigger.query == {"token": TOKEN, "output_channel": "telegram"}
    assert trigger.body == {
        "name": UPDATE_INTENT,
        "entities": {"ticket_id": filed.ticket_id, "workflow_state": "dispatched"},
    }

    assert await notifier.run_once() == []
    assert len(rasa.triggers) == 1

    await advance(sandbox_url, filed.ticket_id, "closed")
    [closing] = await notifier.run_once()
    assert closing.finished and rasa.triggers[-1].body["entities"] == {
        "ticket_id": filed.ticket_id,
        "workflow_state": "closed",
    }
    assert watch.active() == []
