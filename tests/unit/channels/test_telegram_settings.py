"""Telegram's keys come from credentials.yml or the environment, and nothing needs the network."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.telegram import (
    EnvironmentTelegramInput,
    TelegramNotConfigured,
    telegram_settings,
)

KEYS = {
    "TELEGRAM_ACCESS_TOKEN": "123456789:AAFakeTokenForTestsOnly_abcdefghijk",
    "TELEGRAM_BOT_NAME": "city_assistant_bot",
    "TELEGRAM_WEBHOOK_URL": "https://assistant.example.gov/webhooks/telegram/webhook",
}


def test_the_environment_fills_what_credentials_leave_out() -> None:
    settings = telegram_settings({"verify": "from_file_bot"}, KEYS)
    assert settings["verify"] == "from_file_bot"
    assert settings["access_token"] == KEYS["TELEGRAM_ACCESS_TOKEN"]


def test_without_every_key_telegram_stays_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in KEYS:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("TELEGRAM_ACCESS_TOKEN", KEYS["TELEGRAM_ACCESS_TOKEN"])
    assert isinstance(EnvironmentTelegramInput.from_credentials(None), TelegramNotConfigured)


async def test_the_output_channel_is_made_inside_a_running_loop_without_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable, value in KEYS.items():
        monkeypatch.setenv(variable, value)
    channel = EnvironmentTelegramInput.from_credentials(None)
    assert isinstance(channel, EnvironmentTelegramInput)
    asyncio.get_running_loop()  # Rasa's own channel calls asyncio.run here and fails
    output = channel.get_output_channel()
    assert output.name() == "telegram"


async def test_a_chat_is_filed_under_the_telegram_namespace_and_answered_in_that_chat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uuid
    from types import SimpleNamespace
    from typing import Any

    import httpx
    from rasa.core.channels.channel import UserMessage
    from sanic import Sanic

    from bot.channels.telegram import CityTelegramOutput
    from tests.factories.sanic_app import lifespan

    monkeypatch.setattr(Sanic, "test_mode", True)
    sent: list[tuple[Any, str]] = []

    class OfflineOutput(CityTelegramOutput):
        async def get_me(self) -> Any:  # type: ignore[override]
            return SimpleNamespace(username=KEYS["TELEGRAM_BOT_NAME"])

        async def send_message(self, chat_id: Any, text: str, **kwargs: Any) -> Any:  # type: ignore[override]
            sent.append((chat_id, text))

    class Channel(EnvironmentTelegramInput):
        def get_output_channel(self) -> Any:
            return OfflineOutput(self.access_token)

    heard: list[str] = []

    async def rasa(message: UserMessage) -> None:
        heard.append(str(message.sender_id))
        await message.output_channel.send_response(message.sender_id, {"text": "您好"})

    channel = Channel(
        KEYS["TELEGRAM_ACCESS_TOKEN"], KEYS["TELEGRAM_BOT_NAME"], KEYS["TELEGRAM_WEBHOOK_URL"]
    )
    app = Sanic(f"telegram_{uuid.uuid4().hex[:12]}")
    app.blueprint(channel.blueprint(rasa), url_prefix="/webhooks/telegram")
    update = {
        "update_id": 1,
        "message": {
            "message_id": 7, "date": 1700000000, "text": "你好",
            "chat": {"id": 4242, "type": "private"},
            "from": {"id": 4242, "is_bot": False, "first_name": "Li"},
        },
    }  # fmt: skip
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        answer = await client.post("/webhooks/telegram/webhook", json=update)
    assert answer.status_code == 200
    assert heard == ["telegram-4242"] and sent == [("4242", "您好")]
