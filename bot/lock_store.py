"""Rasa's Redis lock store, degraded rather than down when Redis is unreachable.

With Rasa's ``RedisLockStore`` every message fails while Redis restarts: no lock,
no answer. Here a conversation's lock falls back to this process's memory while
Redis cannot be reached, so residents keep getting answers. What is lost for
those seconds is only the guarantee *across* instances: two messages of one
conversation arriving at two instances at that very moment could overlap, which
is rare (a resident waits for a reply before writing again). Each instance
returns to Redis by itself on the next lock operation after Redis is back.

Configured in ``endpoints.prod.yml`` (``lock_store: type: bot.lock_store.ResilientRedisLockStore``).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.ops.metrics import REGISTRY

logger = logging.getLogger(__name__)
T = TypeVar("T")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
#: A short socket timeout: a lock operation must not hold a resident's answer for 10 s.
SOCKET_TIMEOUT_SECONDS = 2.0


class ResilientRedisLockStore(RedisLockStore):
    """Redis locks with an in-memory fallback while Redis is unreachable."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        settings = dict(endpoint_config.kwargs) if endpoint_config else {}
        settings.update(kwargs)
        if endpoint_config is not None and endpoint_config.url:
            settings.setdefault("host", endpoint_config.url)
        settings.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        if not settings.get("password"):
            settings.pop("password", None)
        super().__init__(**settings)
        self._local = InMemoryLockStore()
        self._degraded_since: float | None = None

    def _redis_or_local(self, with_redis: Callable[[], T], locally: Callable[[], T]) -> T:
        try:
            result = with_redis()
        except UNREACHABLE as error:
            if self._degraded_since is None:
                self._degraded_since = time.monotonic()
                logger.warning("Redis lock store unreachable (%s); using local locks", error)
            REGISTRY.inc(
                "lock_store_fallbacks_total",
                "Lock operations served from memory because Redis was unreachable.",
            )
            return locally()
        if self._degraded_since is not None:
            logger.warning(
                "Redis lock store reachable again after %.1f s",
                time.monotonic() - self._degraded_since,
            )
            self._degraded_since = None
        return result

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self._redis_or_local(
            lambda: super(ResilientRedisLockStore, self).get_lock(conversation_id),
            lambda: self._local.get_lock(conversation_id),
        )

    def delete_lock(self, conversation_id: str) -> None:
        self._local.conversation_locks.pop(conversation_id, None)
        self._redis_or_local(
            lambda: super(ResilientRedisLockStore, self).delete_lock(conversation_id),
            lambda: None,
        )

    def save_lock(self, lock: TicketLock) -> None:
        self._redis_or_local(
            lambda: super(ResilientRedisLockStore, self).save_lock(lock),
            lambda: self._local.save_lock(lock),
        )
