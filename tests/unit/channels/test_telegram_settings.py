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
