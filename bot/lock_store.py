"""Rasa's Redis lock store, made atomic across instances and degraded rather than down.

Rasa's ``RedisLockStore`` issues a ticket by reading the lock, adding a ticket and
writing it back, in three separate Redis calls. Two instances receiving messages of
one conversation at the same moment both read the same lock, issue the *same*
ticket number and process the two messages at once, which forks the conversation
(tests/production/test_prod_local.py caught it losing a message). Here issuing,
finishing and cleaning up are each atomic: a message's lock is taken and released
with one Lua script call each (Redis runs a script alone), and the other operations
are optimistic Redis transactions (WATCH/MULTI) retried when another instance
changed the lock in between. The scripts replaced seven round trips per message
(WATCH, GET and MULTI/EXEC to issue a ticket, a GET to see whether it is served,
three more to clean up) with two: each round trip held the Rasa server's event
loop, the client being synchronous (docs/benchmarks.md).

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

import json
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, TypeVar

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

from bot.ops.metrics import REGISTRY

logger = logging.getLogger(__name__)
T = TypeVar("T")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
#: A short socket timeout: a lock operation must not hold a resident's answer for 10 s.
SOCKET_TIMEOUT_SECONDS = 2.0

#: Issue a ticket as ``TicketLock.issue_ticket`` does (expired tickets dropped, the
#: next number after the last one issued, expiring ``lifetime`` seconds from ``now``)
#: and answer the ticket's number and the number now served. The stored JSON is
#: Rasa's own (each ticket a JSON string inside the lock's JSON), so Rasa's
#: ``get_lock`` and the other instances read it unchanged.
ISSUE_SCRIPT = """
local now = tonumber(ARGV[1])
local kept = {}
local raw = redis.call('GET', KEYS[1])
if raw then
  local tickets = cjson.decode(raw)['tickets']
  if type(tickets) == 'table' then
    for _, encoded in ipairs(tickets) do
      local ticket = cjson.decode(encoded)
      if ticket['expires'] >= now then table.insert(kept, ticket) end
    end
  end
end
local number = 0
if #kept > 0 then number = kept[#kept]['number'] + 1 end
table.insert(kept, {number = number, expires = now + tonumber(ARGV[2])})
local encoded = {}
for i, ticket in ipairs(kept) do encoded[i] = cjson.encode(ticket) end
redis.call('SET', KEYS[1], cjson.encode({conversation_id = ARGV[3], tickets = encoded}))
return {number, kept[1]['number']}
"""

#: Remove a ticket (and expired ones) as ``RedisLockStore.cleanup`` does; the lock is
#: deleted when nobody else holds a ticket.
CLEANUP_SCRIPT = """
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local now = tonumber(ARGV[1])
local number = tonumber(ARGV[2])
local kept = {}
local tickets = cjson.decode(raw)['tickets']
if type(tickets) == 'table' then
  for _, encoded in ipairs(tickets) do
    local ticket = cjson.decode(encoded)
    if ticket['expires'] >= now and ticket['number'] ~= number then
      table.insert(kept, encoded)
    end
  end
end
if #kept == 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], cjson.encode({conversation_id = ARGV[3], tickets = kept}))
end
return #kept
"""


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
        # Sent by SHA once Redis knows them (again after a Redis restart: redis-py
        # loads a script anew when Redis answers NOSCRIPT).
        self._issue = self.red.register_script(ISSUE_SCRIPT)
        self._cleanup = self.red.register_script(CLEANUP_SCRIPT)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Rasa's ``LockStore.lock``, with the ticket issued and, when it is served at
        once (nearly always: a resident waits for the reply), the lock taken in one
        call; a ticket that must wait polls as Rasa does."""
        ticket, served = self._redis_or_local(
            lambda: self._issue_in_redis(conversation_id, lock_lifetime),
            lambda: self._issue_locally(conversation_id, lock_lifetime),
        )
        try:
            if served:
                held = Ticket(ticket, time.time() + lock_lifetime)
                yield TicketLock(conversation_id, deque([held]))
            else:
                yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            self.cleanup(conversation_id, ticket)

    def _issue_in_redis(self, conversation_id: str, lifetime: float) -> tuple[int, bool]:
        number, serving = self._issue(
            keys=[self.key_prefix + conversation_id],
            args=[repr(time.time()), repr(float(lifetime)), conversation_id],
        )
        return int(number), int(number) == int(serving)

    def _issue_locally(self, conversation_id: str, lifetime: float) -> tuple[int, bool]:
        number = self._local.issue_ticket(conversation_id, lifetime)
        lock = self._local.get_lock(conversation_id)
        return number, lock is not None and not lock.is_locked(number)

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

    def _atomically(
        self,
        conversation_id: str,
        change: Callable[[TicketLock | None], tuple[TicketLock | None, T]],
    ) -> T:
        """Apply ``change`` to the stored lock in one Redis transaction (retried on conflict).

        ``change`` gets the current lock (or None) and returns the lock to store (None
        deletes it) and the result to hand back.
        """
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = TicketLock.from_dict(json.loads(raw)) if raw else None
                    updated, result = change(current)
                    pipe.multi()
                    if updated is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, updated.dumps())
                    pipe.execute()
                    return result
                except WatchError:
                    continue

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(current: TicketLock | None) -> tuple[TicketLock | None, int]:
            lock = current or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._redis_or_local(
            lambda: self._atomically(conversation_id, issue),
            lambda: self._local.issue_ticket(conversation_id, lock_lifetime),
        )

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(current: TicketLock | None) -> tuple[TicketLock | None, None]:
            if current is not None:
                current.remove_ticket_for(ticket_number)
            return current, None

        self._local.finish_serving(conversation_id, ticket_number)
        self._redis_or_local(lambda: self._atomically(conversation_id, finish), lambda: None)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self._local.cleanup(conversation_id, ticket_number)
        self._redis_or_local(
            lambda: self._cleanup(
                keys=[self.key_prefix + conversation_id],
                args=[repr(time.time()), ticket_number, conversation_id],
            ),
            lambda: None,
        )
