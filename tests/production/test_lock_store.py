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


@pytest.fixture
def redis_port() -> int:
    try:
        redis.StrictRedis(host=REDIS_HOST, port=6379, db=5, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI: {error}")
        pytest.skip(f"Redis not available: {error}")
    return 6379


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


async def test_with_redis_two_instances_share_one_lock(redis_port: int) -> None:
    first, second = store(redis_port), store(redis_port)
    async with first.lock("shared-conversation"):
        # The other instance sees the ticket the first one holds.
        lock = second.get_lock("shared-conversation")
        assert lock is not None and lock.is_locked(lock.last_issued + 1)
    assert second.get_lock("shared-conversation") is None


async def test_a_lock_taken_in_one_call_is_stored_as_rasas_own(redis_port: int) -> None:
    """Rasa's RedisLockStore (an older instance in a rolling upgrade) reads it unchanged."""
    from rasa.core.lock_store import RedisLockStore

    ours = store(redis_port)
    rasas = RedisLockStore(host=REDIS_HOST, port=redis_port, db=5, key_prefix="locktest")
    async with ours.lock("format-conversation"):
        lock = rasas.get_lock("format-conversation")
        assert lock is not None
        assert [ticket.number for ticket in lock.tickets] == [0]
        assert lock.is_locked(1) and not lock.is_locked(0)
        assert rasas.issue_ticket("format-conversation") == 1  # Rasa queues behind ours
        rasas.cleanup("format-conversation", 1)
    assert rasas.get_lock("format-conversation") is None


async def test_messages_of_one_conversation_on_two_instances_take_turns(redis_port: int) -> None:
    first, second = store(redis_port), store(redis_port)
    order: list[str] = []

    async def turn(instance: ResilientRedisLockStore, name: str) -> None:
        async with instance.lock("busy-conversation", wait_time_in_seconds=0.01):
            order.append(f"{name} starts")
            await asyncio.sleep(0.05)
            order.append(f"{name} ends")

    await asyncio.gather(turn(first, "a"), turn(second, "b"), turn(first, "c"))
    assert order == ["a starts", "a ends", "b starts", "b ends", "c starts", "c ends"]
    assert first.get_lock("busy-conversation") is None


async def test_a_ticket_left_by_a_crashed_instance_expires(redis_port: int) -> None:
    crashed, alive = store(redis_port), store(redis_port)
    crashed.issue_ticket("orphaned-conversation", lock_lifetime=0.05)  # never cleaned up
    await asyncio.sleep(0.1)
    async with alive.lock("orphaned-conversation", wait_time_in_seconds=5):
        lock = alive.get_lock("orphaned-conversation")
        assert lock is not None and len(lock.tickets) == 1  # only its own ticket
    assert alive.get_lock("orphaned-conversation") is None
