"""The assistant's own clients against the real sandbox city: the contract is only the protocol."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
from dataclasses import asdict

import httpx
import pytest
from sqlalchemy import create_engine

from actions.clients import http
from actions.clients.errors import NotFound, ServiceUnavailable
from actions.clients.open311 import ComplaintSubmission, Open311Client, match_service
from actions.clients.permits import PermitsClient
from actions.complaints_outbox import ComplaintOutbox, OutboxStatus, submission_key
from actions.settings import CityServicesSettings
from tests.sandbox.conftest import API_KEY

CONTRACT_CATEGORIES = [
    "noise",
    "road_damage",
    "streetlight",
    "garbage",
    "illegal_parking",
    "water_leak",
]
POLICY = http.TransportPolicy(
    connect_timeout=0.5, read_timeout=0.5, get_retries=1, backoff_seconds=0.05
)


def settings_for(base_url: str) -> CityServicesSettings:
    return CityServicesSettings.from_sources(
        {
            "open311_url": f"{base_url}/open311/v2",
            "open311_api_key": API_KEY,
            "permits_url": f"{base_url}/permits/v1",
        },
        {},
    )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
async def raw_client():
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def outbox(tmp_path, request):
    clock = {"now": dt.datetime.now(dt.timezone.utc)}
    engine = create_engine(f"sqlite:///{tmp_path}/outbox.db", future=True)
    box = ComplaintOutbox(engine, clock=lambda: clock["now"])
    box.clock = clock  # type: ignore[attr-defined]
    return box


def later(outbox: ComplaintOutbox, minutes: int = 15) -> None:
    outbox.clock["now"] += dt.timedelta(minutes=minutes)  # type: ignore[attr-defined]


async def test_every_contract_category_maps_to_a_live_service(sandbox_url, raw_client):
    client = Open311Client(settings_for(sandbox_url), client=raw_client, policy=POLICY)
    for locale in ("zh-CN", "en"):
        services = await client.services(locale)
        for category in CONTRACT_CATEGORIES:
            assert match_service(category, services) is not None, (locale, category)


async def test_a_complaint_filed_twice_for_the_same_turn_is_one_ticket(
    sandbox_url, raw_client, outbox
):
    client = Open311Client(settings_for(sandbox_url), client=raw_client, policy=POLICY)
    complaint = ComplaintSubmission(
        "streetlight", "科苑南路的路灯一整排都不亮", address_string="南山区科苑南路"
    )
    key = submission_key("telegram:42", "msg-1001")
    first = await outbox.submit("telegram:42", key, complaint, client.submit)
    # As if the city's answer had been lost: the row is still pending, with its details
    # (a delivered row keeps only its ticket and state).
    outbox._finish(key, status=OutboxStatus.PENDING.value, payload=json.dumps(asdict(complaint)))
    second = await outbox.deliver(outbox.get(key), client.submit)
    assert first.status is OutboxStatus.DELIVERED and second.status is OutboxStatus.DELIVERED
    assert first.ticket_id == second.ticket_id and first.ticket_id.startswith("SR")

    record = await client.request(first.ticket_id, locale="en")
    assert record.is_open and record.workflow_state == "accepted"
    assert record.expected_datetime.utcoffset() == dt.timedelta(hours=8)
    same_description = [
        r
        for r in await client.requests([first.ticket_id])
        if r.description == complaint.description
    ]
    assert len(same_description) == 1


async def test_complaint_is_queued_while_the_city_is_down_and_delivered_once_it_is_back(
    sandbox_url, raw_client, outbox
):
    down = Open311Client(settings_for(closed_port_url()), client=raw_client, policy=POLICY)
    complaint = ComplaintSubmission(
        "garbage", "垃圾站三天没人清运，味道很大", address_string="龙华区民治街道"
    )
    queued = await outbox.submit("web:abc", "k-down", complaint, down.submit)
    assert queued.status is OutboxStatus.PENDING and queued.local_ref.startswith("LQ")

    up = Open311Client(settings_for(sandbox_url), client=raw_client, policy=POLICY)
    later(outbox)
    [delivered] = await outbox.deliver_due(up.submit)
    assert delivered.status is OutboxStatus.DELIVERED
    assert (await up.request(delivered.ticket_id)).description == complaint.description


async def test_complaint_is_queued_when_the_city_hangs_and_the_turn_still_answers_quickly(
    sandbox_url, raw_client, outbox
):
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    slow = Open311Client(settings_for(f"http://127.0.0.1:{port}"), client=raw_client, policy=POLICY)
    complaint = ComplaintSubmission(
        "noise", "楼下酒吧每晚唱到凌晨三点", address_string="福田区车公庙"
    )
    started = asyncio.get_running_loop().time()
    queued = await outbox.submit("web:slow", "k-slow", complaint, slow.submit)
    assert asyncio.get_running_loop().time() - started < 3
    assert queued.status is OutboxStatus.PENDING
    server.close()

    up = Open311Client(settings_for(sandbox_url), client=raw_client, policy=POLICY)
    later(outbox)
    [delivered] = await outbox.deliver_due(up.submit)
    assert delivered.ticket_id.startswith("SR")


async def test_complaint_is_queued_when_the_city_errors(raw_client, outbox):
    async def failing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(failing, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    erroring = Open311Client(
        settings_for(f"http://127.0.0.1:{port}"), client=raw_client, policy=POLICY
    )
    complaint = ComplaintSubmission("water_leak", "小区门口水管爆了", address_string="罗湖区东门")
    queued = await outbox.submit("web:err", "k-err", complaint, erroring.submit)
    server.close()
    assert queued.status is OutboxStatus.PENDING
    assert "503" in queued.last_error


async def test_permit_status_comes_back_without_personal_data(sandbox_url, raw_client):
    client = PermitsClient(settings_for(sandbox_url), client=raw_client, policy=POLICY)
    application = await client.application("pa20250042")
    assert application.permit_num == "PA20250042"
    assert application.permit_type_mapped == "passport"
    assert "000000" not in repr(application)
    with pytest.raises(NotFound):
        await client.application("PA00000001")


async def test_the_permit_catalogue_is_bilingual_for_every_contract_type(sandbox_url, raw_client):
    client = PermitsClient(settings_for(sandbox_url), client=raw_client, policy=POLICY)
    types = {s.permit_type for s in await client.services()}
    assert {
        "residence_permit",
        "hk_macau_travel_permit",
        "passport",
        "business_license",
        "building_permit",
        "parking_permit",
        "hukou_registration",
    } <= types
    service = await client.service("residence_permit")
    assert service.name["zh"] and service.name["en"]


async def test_the_permit_keywords_of_the_sandbox_reach_the_client(sandbox_url, raw_client):
    client = PermitsClient(settings_for(sandbox_url), client=raw_client, policy=POLICY)
    listed = {s.permit_type: s for s in await client.services()}
    assert "医保卡" in listed["social_security_card"].keywords["zh"]
    detail = await client.service("housing_fund_withdrawal_rent")
    assert "付房租" in detail.keywords["zh"]
    assert detail.aliases["en"]


async def test_a_permits_api_that_is_down_is_reported_as_unavailable(raw_client):
    client = PermitsClient(settings_for(closed_port_url()), client=raw_client, policy=POLICY)
    with pytest.raises(ServiceUnavailable):
        await client.application("PA20250042")
