"""Slack's keys come from credentials.yml or the environment; without them Slack stays off."""

from __future__ import annotations

from bot.channels.slack import EnvironmentSlackInput, SlackNotConfigured, slack_settings


def test_the_environment_fills_what_credentials_leave_out() -> None:
    settings = slack_settings(None, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret"})
    assert settings["slack_token"] == "xoxb-1"
    assert settings["slack_signing_secret"] == "secret"


def test_credentials_win_over_the_environment() -> None:
    settings = slack_settings({"slack_token": "xoxb-file"}, {"SLACK_BOT_TOKEN": "xoxb-env"})
    assert settings["slack_token"] == "xoxb-file"


def test_without_keys_the_channel_is_not_configured(monkeypatch) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    assert isinstance(EnvironmentSlackInput.from_credentials(None), SlackNotConfigured)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert isinstance(EnvironmentSlackInput.from_credentials(None), EnvironmentSlackInput)
