"""The Open311 client speaks GeoReport v2 and maps answers to typed results."""

from __future__ import annotations

import httpx
import pytest
import respx

from actions.clients import http
from actions.clients.errors import NotFound, Rejected, ServiceUnavailable
from actions.clients.open311 import (
    ComplaintSubmission,
    Open311Client,
    Open311Service,
    match_service,
    parse_services,
)
from actions.settings import CityServicesSettings

BASE = "https://311.example.gov/open311/v2"
SETTINGS = CityServicesSettings.from_sources(
    {"open311_url": BASE, "open311_api_key": "k3y", "open311_jurisdiction_id": "shenzhen.gov.cn"},
    {},
)
FAST = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=1, backoff_seconds=0)
SERVICES = [
    {
        "service_code": "SL01",
        "service_name": "Streetlight out",
        "description": "",
        "metadata": False,
        "type": "realtime",
        "keywords": "streetlight, lamp, 路灯",
        "group": "Roads",
    },
    {
        "service_code": "RD02",
        "service_name": "Road damage / pothole",
        "metadata": True,
        "type": "realtime",
        "keywords": "pothole,road_damage",
        "group": "Roads",
    },
    {"service_name": "no code — ignored"},
]


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as c:
        yield Open311Client(SETTINGS, client=c, policy=FAST)


@respx.mock
async def test_services_are_read_with_locale_and_jurisdiction_and_cached(client):
    route = respx.get(f"{BASE}/services.json").mock(return_value=httpx.Response(200, json=SERVICES))
    services = await client.services("en")
    await client.services("en")
    assert [s.service_code for s in services] == ["SL01", "RD02"]
    assert services[0].keywords == ("streetlight", "lamp", "路灯")
    assert route.call_count == 1
    params = route.calls[0].request.url.params
    assert params["locale"] == "en" and params["jurisdiction_id"] == "shenzhen.gov.cn"


@respx.mock
async def test_last_known_services_are_used_while_the_server_is_down(client, monkeypatch):
    route = respx.get(f"{BASE}/services.json").mock(return_value=httpx.Response(200, json=SERVICES))
    await client.services("en")
    monkeypatch.setattr("actions.clients.open311.SERVICES_CACHE_SECONDS", 0.0)
    route.mock(side_effect=httpx.ConnectError("down"))
    services = await client.services("en")
    assert [s.service_code for s in services] == ["SL01", "RD02"]
    with pytest.raises(ServiceUnavailable):
        await client.services("zh-CN")  # never read: nothing to fall back on


def test_nlu_categories_map_to_whatever_codes_the_city_uses():
    services = parse_services(SERVICES)
    assert match_service("streetlight", services).service_code == "SL01"
    assert match_service("road_damage", services).service_code == "RD02"
    assert match_service("noise", services) is None
    assert match_service("noise", [Open311Service("noise", "Noise")]).service_code == "noise"


@respx.mock
async def test_submission_posts_a_form_with_the_idempotency_key(client):
    route = respx.post(f"{BASE}/requests.json").mock(
        return_value=httpx.Response(
            201, json=[{"service_request_id": "SR20260001", "service_notice": "ok"}]
        )
    )
    answer = await client.submit(
        ComplaintSubmission(
            service_code="SL01", description="路灯不亮", lat=22.54, long=114.05, phone="13800138000"
        ),
        "key-1",
    )
    assert answer.service_request_id == "SR20260001"
    request = route.calls[0].request
    assert request.headers["Idempotency-Key"] == "key-1"
    form = dict(httpx.QueryParams(request.content.decode()))
    assert (
        form["api_key"] == "k3y" and form["lat"] == "22.540000" and form["phone"] == "13800138000"
    )
    assert "email" not in form


async def test_a_submission_without_any_location_is_refused_before_sending():
    with pytest.raises(ValueError, match="address_string"):
        ComplaintSubmission(service_code="SL01", description="x").form("k")


@respx.mock
async def test_a_server_that_answers_with_a_token_is_understood(client):
    respx.post(f"{BASE}/requests.json").mock(
        return_value=httpx.Response(200, json=[{"token": "abc"}])
    )
    answer = await client.submit(ComplaintSubmission("SL01", "x", address_string="深南大道"), "k")
    assert answer.service_request_id is None and answer.token == "abc"


@respx.mock
async def test_a_bad_api_key_is_a_rejection_not_an_outage(client):
    respx.post(f"{BASE}/requests.json").mock(
        return_value=httpx.Response(403, json=[{"code": 403, "description": "Invalid api_key"}])
    )
    with pytest.raises(Rejected, match="Invalid api_key"):
        await client.submit(ComplaintSubmission("SL01", "x", address_string="a"), "k")


@respx.mock
async def test_a_request_is_read_with_its_workflow_state_and_times(client):
    respx.get(f"{BASE}/requests/SR20260001.json").mock(
        return_value=httpx.Response(
            200,
            json=[
                {
                    "service_request_id": "SR20260001",
                    "status": "open",
                    "service_code": "SL01",
                    "requested_datetime": "2026-11-20T09:00:00+08:00",
                    "expected_datetime": "2026-12-11T09:00:00+08:00",
                    "extended_attributes": {"workflow_state": "dispatched"},
                }
            ],
        )
    )
    request = await client.request("SR20260001")
    assert request.is_open and request.workflow_state == "dispatched"
    assert request.expected_datetime.utcoffset().total_seconds() == 8 * 3600


@respx.mock
async def test_an_unknown_ticket_is_not_found(client):
    respx.get(f"{BASE}/requests/SR99999999.json").mock(
        return_value=httpx.Response(404, json=[{"code": 404, "description": "not found"}])
    )
    with pytest.raises(NotFound):
        await client.request("SR99999999")


@respx.mock
async def test_garbage_from_the_server_is_an_outage_not_a_crash(client):
    respx.get(f"{BASE}/services.json").mock(
        return_value=httpx.Response(200, text="<html>maintenance</html>")
    )
    with pytest.raises(ServiceUnavailable, match="not JSON"):
        await client.services()
