"""The lock store: Redis shared by every instance, and still answering when Redis is not there."""

from __future__ import annotations

import asyncio
import os

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import ResilientRedisLockStore

REDIS_HOST = os.environ.get("TEST_REDIS_HOST", "127.0.0.1")


def store(port: int, db: int = 5) -> ResilientRedisLockStore:
    return ResilientRedisLockStore(
        EndpointConfig(url=REDIS_HOST, port=port, db=db, password="", key_prefix="locktest")
    )


async def test_without_redis_a_conversation_is_still_locked_within_the_process() -> None:
    unreachable = store(port=1)  # nothing listens on port 1: every Redis call is refused
    order: list[str] = []

    async def turn(name: str) -> None:
        async with unreachable.lock("c1", wait_time_in_seconds=0.01):
            order.append(f"{name} starts")
            await asyncio.sleep(0.05)
            order.append(f"{name} ends")

    await asyncio.gather(turn("first"), turn("second"))
    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert unreachable.get_lock("c1") is None  # released and cleaned up


async def test_with_redis_two_instances_share_one_lock() -> None:
    try:
        redis.StrictRedis(host=REDIS_HOST, port=6379, db=5, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI: {error}")
        pytest.skip(f"Redis not available: {error}")
    first, second = store(6379), store(6379)
    async with first.lock("shared-conversation"):
        # The other instance sees the ticket the first one holds.
        lock = second.get_lock("shared-conversation")
        assert lock is not None and lock.is_locked(lock.last_issued + 1)
    assert second.get_lock("shared-conversation") is None
