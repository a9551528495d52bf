"""The REST channel answers only the integrator holding its token, and is off without one."""

from __future__ import annotations

import uuid
from typing import Any, List

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.rest import ValidatingRestInput
from tests.factories.sanic_app import lifespan

URL = "/webhooks/rest/webhook"


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Sanic, "test_mode", True)


async def post(
    channel: ValidatingRestInput, headers: dict[str, str], sender: str = "crm-case-1042"
) -> tuple[int, Any, List]:
    heard: List[str] = []

    async def rasa(message: UserMessage) -> None:
        heard.append(message.text or "")
        await message.output_channel.send_text_message(message.sender_id, "hi")

    app = Sanic(f"rest_{uuid.uuid4().hex[:12]}")
    app.blueprint(channel.blueprint(rasa), url_prefix="/webhooks/rest")
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        answer = await client.post(
            URL, json={"sender": sender, "message": "我的投诉"}, headers=headers
        )
    return answer.status_code, answer.json(), heard


async def test_the_integrator_with_the_token_is_answered() -> None:
    status, body, heard = await post(
        ValidatingRestInput(token="s3cret-token"), {"Authorization": "Bearer s3cret-token"}
    )
    assert status == 200 and body[0]["text"] == "hi" and heard == ["我的投诉"]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic s3cret-token"}]
)
async def test_anyone_else_reaches_no_conversation(headers: dict[str, str]) -> None:
    status, body, heard = await post(ValidatingRestInput(token="s3cret-token"), headers)
    assert status == 401 and body["error"] == "unauthorized" and heard == []


async def test_without_a_token_configured_the_channel_is_off() -> None:
    status, body, heard = await post(ValidatingRestInput(), {"Authorization": "Bearer "})
    assert status == 503 and body["error"] == "rest_not_enabled" and heard == []


def test_the_token_comes_from_credentials_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REST_CHANNEL_TOKEN", "from-env")
    assert ValidatingRestInput.from_credentials(None).token == "from-env"  # type: ignore[attr-defined]
    assert ValidatingRestInput.from_credentials({"token": "file"}).token == "file"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "sender", ["wechat-oABCDEF123", "webchat-0123456789abcdef", "Telegram-42", "slack-U1"]
)
async def test_even_the_integrator_cannot_address_another_channels_conversation(
    sender: str,
) -> None:
    status, body, heard = await post(
        ValidatingRestInput(token="s3cret-token"), {"Authorization": "Bearer s3cret-token"}, sender
    )
    assert status == 403 and body["error"] == "sender_reserved" and heard == []
