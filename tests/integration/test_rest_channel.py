"""The running assistant over the REST channel: languages, handoff and bad input."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from bot.language.script import is_simplified_only, is_traditional_only
from tests.integration.conftest import TOKEN

pytestmark = pytest.mark.integration
WEBHOOK = "/webhooks/rest/webhook"
HAN = re.compile(r"[\u4e00-\u9fff]")


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def say(client: httpx.Client, sender: str, message: str) -> str:
    answer = client.post(WEBHOOK, json={"sender": sender, "message": message})
    assert answer.status_code == 200, answer.text
    replies = answer.json()
    assert replies, f"no reply to {message!r}"
    return "\n".join(r.get("text", "") for r in replies)


def test_english_greeting_is_answered_in_english(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "hello there")
    assert reply.startswith("Hello") and not HAN.search(reply)


def test_chinese_greeting_is_answered_in_simplified_chinese(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "你好")
    assert reply.startswith("您好")
    assert not any(is_traditional_only(c) for c in reply)


def test_traditional_chinese_is_answered_in_traditional(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "您好，請問一下")
    assert any(is_traditional_only(c) for c in reply)
    assert not any(is_simplified_only(c) for c in reply)


def test_language_is_kept_for_a_message_without_language_evidence(client: httpx.Client) -> None:
    sender = new_sender()
    say(client, sender, "hi, what can you do?")
    reply = say(client, sender, "ok")
    assert not HAN.search(reply)


def test_explicit_request_switches_the_reply_language(client: httpx.Client) -> None:
    sender = new_sender()
    say(client, sender, "hello")
    reply = say(client, sender, "please reply in Chinese")
    assert reply.startswith("好的")


def test_help_offers_buttons_for_the_three_services(client: httpx.Client) -> None:
    answer = client.post(WEBHOOK, json={"sender": new_sender(), "message": "help"}).json()
    payloads = [b["payload"] for r in answer for b in r.get("buttons", [])]
    assert payloads == ["/permit_requirements", "/transit_route", "/complaint_file"]


def test_request_for_a_person_is_recorded_in_the_conversation(client: httpx.Client) -> None:
    sender = new_sender()
    say(client, sender, "我的居住证办了两个月了还没消息")
    reply = say(client, sender, "转人工")
    assert "12345" in reply
    tracker = client.get(f"/conversations/{sender}/tracker", params={"token": TOKEN}).json()
    assert tracker["slots"]["handoff_requested"] is True
    assert "居住证" in tracker["slots"]["handoff_reason"]


def test_http_api_requires_the_token(client: httpx.Client) -> None:
    assert client.get("/conversations/anyone/tracker").status_code == 401
    assert client.get("/status", params={"token": "wrong"}).status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"sender": "s", "message": ""}, 400, "empty_message"),
        ({"sender": "s", "message": "   \n\t "}, 400, "empty_message"),
        ({"sender": "s", "message": "长" * 10_000}, 413, "message_too_long"),
        ({"sender": "s", "message": None}, 400, "invalid_message"),
        ({"sender": ["s"], "message": "hi"}, 400, "invalid_sender"),
    ],
)
def test_bad_requests_get_a_clear_error(
    client: httpx.Client, body: dict, status: int, error: str
) -> None:
    answer = client.post(WEBHOOK, json=body)
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert answer.json()["message"] and answer.json()["message_zh"]


@pytest.mark.parametrize(
    "raw", [b'{"sender": "s", "message": "\xff\xfe\xfd"}', b"{not json", b"[]", b""]
)
def test_undecodable_bodies_are_refused(client: httpx.Client, raw: bytes) -> None:
    answer = client.post(WEBHOOK, content=raw, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"] in {"invalid_encoding", "invalid_json"}


@pytest.mark.parametrize(
    "message",
    [
        "👍👍😂",
        "1234567890",
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "'; DROP TABLE events; --",
        "\x00\x07hello\x1b[31m",
        "长" * 4_999,
        "@#$%^&*()",
    ],
)
def test_odd_messages_are_answered_and_the_server_keeps_serving(
    client: httpx.Client, message: str
) -> None:
    sender = new_sender()
    answer = client.post(WEBHOOK, json={"sender": sender, "message": message})
    assert answer.status_code == 200
    for reply in answer.json():
        assert "<script>" not in reply.get("text", "")
    assert say(client, sender, "hello")


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "integration-rest-token"}],
)
def test_without_the_integrators_token_no_conversation_is_read_or_written(
    stack: str, headers: dict[str, str]
) -> None:
    sender = new_sender()
    answer = httpx.post(
        f"{stack}{WEBHOOK}", json={"sender": sender, "message": "我要投诉"}, headers=headers
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"
