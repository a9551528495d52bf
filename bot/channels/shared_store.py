"""Short-lived channel state that every Rasa instance must see: Redis, or this process.

With several Rasa instances behind a load balancer, consecutive requests of one
resident reach different instances. Some channel state is not part of the
conversation (the tracker store has that) but must still be shared: which WeChat
message is already being answered (WeChat retries a slow callback, possibly on
the other instance) and which numbered buttons a WeChat resident was last shown
(their "2" may reach the other instance). That state is small and expires within
minutes to an hour.

:func:`shared_store` gives a :class:`RedisStore` on the lock store's Redis
(``CITY_REDIS_*``, as endpoints.prod.yml configures it) and a :class:`LocalStore`
(this process only) without it, as in ``make run``. A Redis store falls back to
its own local store while Redis cannot be reached, so the channel keeps working
with per-instance state (what one instance alone always had) until Redis is back.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Protocol
from urllib.parse import quote

import redis.asyncio as aioredis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Prefix of every key this module writes (next to the lock store's ``cityassistant:lock:``).
KEY_PREFIX = "cityassistant:channel:"
#: Seconds to wait for Redis: a resident's reply must not wait on an unreachable Redis.
REDIS_TIMEOUT_S = 1.0
#: After Redis failed, seconds before it is tried again (meanwhile the local store is used).
RETRY_AFTER_S = 5.0


def redis_url_from(environ: Mapping[str, str]) -> str | None:
    """The lock store's Redis (``CITY_REDIS_*``, as endpoints.prod.yml reads it), or None."""
    host = environ.get("CITY_REDIS_HOST", "").strip()
    if not host:
        return None
    port = environ.get("CITY_REDIS_PORT", "").strip() or "6379"
    db = environ.get("CITY_REDIS_DB", "").strip() or "0"
    password = environ.get("CITY_REDIS_PASSWORD", "")
    credentials = f":{quote(password, safe='')}@" if password else ""
    return f"redis://{credentials}{host}:{port}/{db}"


class SharedStore(Protocol):
    """Text values under text keys, each expiring after its own ``ttl`` seconds."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl: float) -> None: ...

    async def claim(self, key: str, value: str, ttl: float) -> bool:
        """Set ``key`` only if it has no value; True when this call set it."""
        ...


class LocalStore:
    """This process's memory: at most ``max_entries`` keys, the oldest dropped first."""

    def __init__(self, max_entries: int = 20_000, clock: Callable[[], float] = time.monotonic):
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    async def set(self, key: str, value: str, ttl: float) -> None:
        self._entries.pop(key, None)
        self._entries[key] = (self._clock() + ttl, value)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def claim(self, key: str, value: str, ttl: float) -> bool:
        if await self.get(key) is not None:
            return False
        await self.set(key, value, ttl)
        return True


class RedisStore:
    """Keys in Redis, shared by every instance; this process's memory while Redis is away."""

    def __init__(
        self,
        client: aioredis.Redis,
        fallback: LocalStore | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = client
        self._local = fallback or LocalStore()
        self._clock = clock
        self._down_until = 0.0

    @classmethod
    def from_url(cls, url: str) -> RedisStore:
        return cls(
            aioredis.Redis.from_url(
                url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
            )
        )

    def _available(self) -> bool:
        return self._clock() >= self._down_until

    def _failed(self, error: Exception) -> None:
        if self._available():
            logger.warning(
                "channel state: Redis unreachable (%s); this instance keeps its own for %.0f s",
                error,
                RETRY_AFTER_S,
            )
        self._down_until = self._clock() + RETRY_AFTER_S

    async def get(self, key: str) -> str | None:
        if self._available():
            try:
                value = await self._redis.get(KEY_PREFIX + key)
                return value.decode("utf-8") if isinstance(value, bytes) else value
            except (RedisError, OSError) as error:
                self._failed(error)
        return await self._local.get(key)

    async def set(self, key: str, value: str, ttl: float) -> None:
        if self._available():
            try:
                await self._redis.set(KEY_PREFIX + key, value, px=max(1, int(ttl * 1000)))
                return
            except (RedisError, OSError) as error:
                self._failed(error)
        await self._local.set(key, value, ttl)

    async def claim(self, key: str, value: str, ttl: float) -> bool:
        if self._available():
            try:
                done = await self._redis.set(
                    KEY_PREFIX + key, value, px=max(1, int(ttl * 1000)), nx=True
                )
                return bool(done)
            except (RedisError, OSError) as error:
                self._failed(error)
        return await self._local.claim(key, value, ttl)

    async def aclose(self) -> None:
        await self._redis.close()


def shared_store(environ: Mapping[str, str]) -> SharedStore:
    """Redis when the lock store's Redis is configured, else this process's memory."""
    url = redis_url_from(environ)
    return RedisStore.from_url(url) if url else LocalStore()
