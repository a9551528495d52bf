"""Channel state shared by every Rasa instance through Redis, and kept locally without it."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
import redis
import redis.asyncio

from bot.channels.shared_store import KEY_PREFIX, LocalStore, RedisStore, shared_store

REDIS_HOST = os.environ.get("TEST_REDIS_HOST", "127.0.0.1")
URL = f"redis://{REDIS_HOST}:6379/6"


@pytest.fixture
def redis_url() -> str:
    try:
        redis.StrictRedis.from_url(URL, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI: {error}")
        pytest.skip(f"Redis not available: {error}")
    return URL


def key() -> str:
    return f"test:{uuid.uuid4().hex}"


async def test_two_instances_see_the_same_values(redis_url: str) -> None:
    first, second = RedisStore.from_url(redis_url), RedisStore.from_url(redis_url)
    name = key()
    await first.set(name, "按钮 1", ttl=30)
    assert await second.get(name) == "按钮 1"
    assert redis.StrictRedis.from_url(redis_url).ttl(KEY_PREFIX + name) in range(1, 31)
    await first.aclose()
    await second.aclose()


async def test_only_one_instance_claims_a_key(redis_url: str) -> None:
    stores = [RedisStore.from_url(redis_url) for _ in range(4)]
    name = key()
    claims = await asyncio.gather(*(s.claim(name, f"by {n}", ttl=30) for n, s in enumerate(stores)))
    assert sorted(claims) == [False, False, False, True]
    winner = claims.index(True)
    assert await stores[0].get(name) == f"by {winner}"
    for store in stores:
        await store.aclose()


async def test_values_expire(redis_url: str) -> None:
    store = RedisStore.from_url(redis_url)
    name = key()
    await store.set(name, "short", ttl=0.2)
    await asyncio.sleep(0.4)
    assert await store.get(name) is None
    assert await store.claim(name, "again", ttl=5)
    await store.aclose()


async def test_while_redis_is_unreachable_the_instance_keeps_its_own_state() -> None:
    store = RedisStore.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    name = key()
    assert await store.claim(name, "mine", ttl=30)
    assert not await store.claim(name, "again", ttl=30)
    assert await store.get(name) == "mine"
    await store.set(name, "changed", ttl=30)
    assert await store.get(name) == "changed"


async def test_redis_is_tried_again_after_a_pause(redis_url: str) -> None:
    now = [0.0]
    store = RedisStore(
        redis.asyncio.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1),
        clock=lambda: now[0],
    )
    await store.set("k", "local", ttl=30)  # fails over to memory
    store._redis = redis.asyncio.Redis.from_url(redis_url)  # Redis is back
    assert await store.get("k") == "local"  # still within the pause
    now[0] += 10
    assert await store.get("k") is None  # Redis again: the key was never written there
    await store.aclose()


def test_the_store_follows_the_lock_stores_settings() -> None:
    assert isinstance(shared_store({}), LocalStore)
    assert isinstance(shared_store({"CITY_REDIS_HOST": REDIS_HOST}), RedisStore)
