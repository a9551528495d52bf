"""With several Rasa instances the web chat shares its rooms through the lock store's Redis."""

from __future__ import annotations

import pytest
from socketio import AsyncRedisManager

from bot.channels import webchat
from bot.channels.shared_store import redis_url_from
from bot.channels.webchat import REDIS_CHANNEL, WebChatInput


def test_without_redis_settings_each_instance_keeps_its_own_rooms():
    assert redis_url_from({}) is None
    assert redis_url_from({"CITY_REDIS_HOST": "  "}) is None


def test_the_lock_stores_redis_settings_give_the_url():
    assert redis_url_from({"CITY_REDIS_HOST": "10.0.0.5"}) == "redis://10.0.0.5:6379/0"
    environ = {
        "CITY_REDIS_HOST": "redis.city.internal",
        "CITY_REDIS_PORT": "6380",
        "CITY_REDIS_DB": "2",
        "CITY_REDIS_PASSWORD": "p@ss/word",
    }
    assert redis_url_from(environ) == "redis://:p%40ss%2Fword@redis.city.internal:6380/2"


def test_the_channel_reads_redis_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CITY_REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("CITY_REDIS_DB", "4")
    channel = WebChatInput.from_credentials({})
    assert isinstance(channel, WebChatInput)
    assert channel.redis_url == "redis://127.0.0.1:6379/4"


async def test_with_redis_the_socket_server_publishes_through_it():
    channel = WebChatInput(redis_url="redis://127.0.0.1:6379/9")
    channel.blueprint(lambda message: None)  # type: ignore[arg-type,return-value]
    assert channel.sio is not None
    manager = channel.sio.manager
    assert isinstance(manager, AsyncRedisManager)
    assert manager.channel == REDIS_CHANNEL
    assert manager.redis_options["socket_connect_timeout"] == webchat.REDIS_CONNECT_TIMEOUT_S


async def test_without_redis_the_socket_server_is_on_its_own():
    channel = WebChatInput()
    channel.blueprint(lambda message: None)  # type: ignore[arg-type,return-value]
    assert channel.sio is not None
    assert not isinstance(channel.sio.manager, AsyncRedisManager)


async def test_a_reply_reaches_this_instances_socket_while_redis_is_down():
    """Nothing listens on port 1: publishing fails, the local socket still gets the reply."""
    channel = WebChatInput(redis_url="redis://127.0.0.1:1/0")
    channel.blueprint(lambda message: None)  # type: ignore[arg-type,return-value]
    assert channel.sio is not None
    sent: list[tuple[str, object, str]] = []

    async def emit_locally(event, data, namespace=None, room=None, **kwargs):
        sent.append((event, data, room))

    manager = channel.sio.manager
    manager.server = channel.sio
    # The manager's local delivery (what it does before publishing to the other instances).
    manager._handle_emit = lambda message: emit_locally(
        message["event"], message["data"], room=message["room"]
    )
    await channel.sio.emit("bot_uttered", {"text": "你好"}, room="session-1")
    assert sent == [("bot_uttered", [{"text": "你好"}], "session-1")]
