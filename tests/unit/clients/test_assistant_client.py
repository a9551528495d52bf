"""The assistant client triggers an intent in a resident's conversation, once, with the token."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from actions.clients import http
from actions.clients.assistant import AssistantClient
from actions.clients.errors import NotFound, Rejected, ServiceUnavailable
from actions.settings import CityServicesSettings

BASE = "https://assistant.city.example"
FAST = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=2, backoff_seconds=0)
ENTITIES = {"ticket_id": "SR20260042", "workflow_state": "dispatched"}


def settings(token: str = "s3cret") -> CityServicesSettings:
    return CityServicesSettings.from_sources(
        {"assistant_url": f"{BASE}/", "assistant_token": token}, {}
    )


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as raw:
        yield raw


def rasa_answer() -> httpx.Response:
    return httpx.Response(200, json={"tracker": {"sender_id": "x"}, "messages": []})


@respx.mock
async def test_the_trigger_goes_to_the_residents_conversation_with_token_and_channel(client):
    route = respx.post(f"{BASE}/conversations/telegram:42/trigger_intent").mock(
        return_value=rasa_answer()
    )
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    await assistant.trigger_intent(
        "telegram:42", "EXTERNAL_complaint_update", ENTITIES, output_channel="telegram"
    )
    [call] = route.calls
    assert call.request.url.raw_path.startswith(b"/conversations/telegram:42/trigger_intent?")
    assert dict(call.request.url.params) == {"token": "s3cret", "output_channel": "telegram"}
    assert call.request.headers["Content-Type"] == "application/json"
    assert json.loads(call.request.content) == {
        "name": "EXTERNAL_complaint_update",
        "entities": ENTITIES,
    }


@respx.mock
async def test_sender_ids_of_the_usual_channels_reach_rasa_unchanged(client):
    route = respx.post(url__regex=rf"{BASE}/conversations/.+/trigger_intent").mock(
        return_value=rasa_answer()
    )
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    senders = ["123456789", "Xy_9-kLm.aB~c", "U024BE7LH", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "a@b+c"]
    for sender in senders:
        await assistant.trigger_intent(sender, "EXTERNAL_complaint_update", ENTITIES)
    paths = [call.request.url.raw_path.decode().split("?")[0] for call in route.calls]
    assert paths == [f"/conversations/{sender}/trigger_intent" for sender in senders]


@pytest.mark.parametrize("sender", ["a b", "居民", "x/y", "50%", "a?b", "", ".."])
@respx.mock
async def test_a_sender_id_rasa_would_not_decode_is_refused_without_a_request(client, sender):
    route = respx.post(url__regex=r".*").mock(return_value=rasa_answer())
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    with pytest.raises(Rejected, match="cannot be put in a Rasa 3.6 URL"):
        await assistant.trigger_intent(sender, "EXTERNAL_complaint_update", ENTITIES)
    assert route.call_count == 0


@respx.mock
async def test_without_a_token_or_channel_neither_is_sent(client):
    route = respx.post(f"{BASE}/conversations/web-1/trigger_intent").mock(
        return_value=rasa_answer()
    )
    assistant = AssistantClient(settings(token=""), client=client, policy=FAST)
    await assistant.trigger_intent("web-1", "EXTERNAL_complaint_update", ENTITIES)
    assert dict(route.calls[0].request.url.params) == {}


@respx.mock
async def test_a_failing_assistant_is_not_asked_twice(client):
    route = respx.post(f"{BASE}/conversations/web-1/trigger_intent").mock(
        return_value=httpx.Response(503)
    )
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    with pytest.raises(ServiceUnavailable):
        await assistant.trigger_intent("web-1", "EXTERNAL_complaint_update", ENTITIES)
    assert route.call_count == 1


@respx.mock
async def test_a_timeout_is_service_unavailable_and_not_retried(client):
    route = respx.post(f"{BASE}/conversations/web-1/trigger_intent").mock(
        side_effect=httpx.ReadTimeout("slow")
    )
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    with pytest.raises(ServiceUnavailable, match="outcome is unknown"):
        await assistant.trigger_intent("web-1", "EXTERNAL_complaint_update", ENTITIES)
    assert route.call_count == 1


@respx.mock
async def test_an_unreachable_assistant_is_service_unavailable(client):
    respx.post(f"{BASE}/conversations/web-1/trigger_intent").mock(
        side_effect=httpx.ConnectError("refused")
    )
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    with pytest.raises(ServiceUnavailable, match="unreachable"):
        await assistant.trigger_intent("web-1", "EXTERNAL_complaint_update", ENTITIES)


@respx.mock
async def test_an_intent_missing_from_the_domain_is_not_found(client):
    respx.post(f"{BASE}/conversations/web-1/trigger_intent").mock(
        return_value=httpx.Response(
            404,
            json={
                "status": "failure",
                "reason": "NotFound",
                "message": "The intent EXTERNAL_complaint_update does not exist in the domain.",
                "code": 404,
            },
        )
    )
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    with pytest.raises(NotFound, match="does not exist in the domain"):
        await assistant.trigger_intent("web-1", "EXTERNAL_complaint_update", ENTITIES)


@respx.mock
async def test_a_wrong_token_is_rejected(client):
    respx.post(f"{BASE}/conversations/web-1/trigger_intent").mock(
        return_value=httpx.Response(
            401, json={"status": "failure", "reason": "NotAuthenticated", "code": 401}
        )
    )
    assistant = AssistantClient(settings(), client=client, policy=FAST)
    with pytest.raises(Rejected) as caught:
        await assistant.trigger_intent("web-1", "EXTERNAL_complaint_update", ENTITIES)
    assert caught.value.status == 401
    assert caught.value.service == "assistant"


def test_the_assistant_url_must_be_http():
    with pytest.raises(ValueError, match="assistant_url"):
        CityServicesSettings.from_sources({"assistant_url": "localhost:5005"}, {})


def test_the_assistant_url_and_token_come_from_the_environment():
    settings = CityServicesSettings.from_sources(
        None, {"CITY_ASSISTANT_URL": "http://rasa:5005", "CITY_ASSISTANT_TOKEN": "t"}
    )
    assert (settings.assistant_url, settings.assistant_token) == ("http://rasa:5005", "t")
    assert CityServicesSettings.from_sources(None, {}).assistant_url == "http://127.0.0.1:5005"
