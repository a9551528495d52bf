"""The transport rules every city-service client follows.

One ``httpx.AsyncClient`` per process (connection pooling, one place for
timeouts), explicit timeouts sized so that a resident's whole turn answers in
about three seconds even when a service hangs, and retries with backoff for
idempotent GETs only — a POST is never repeated here (complaint submission has
its own idempotency key and outbox, see :mod:`actions.complaints_outbox`; a
repeated trigger to the assistant would message a resident twice).

Each call has its own budget (2.8 s), and a resident's turn has one too
(:data:`TURN_BUDGET_SECONDS`, set by the action server for each action call with
:func:`begin_turn`): a turn that calls several services — the complaint form
reads the service list, submits, reads the ticket back — stops calling once the
turn's time is spent, instead of adding up the budgets of every slow service.
A call is not started with less than :data:`MIN_CALL_SECONDS` left; it fails at
once as ``ServiceUnavailable`` and the action answers as it does for a service
that is down (a complaint then waits in the outbox).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx

from actions.clients.errors import NotFound, Rejected, ServiceUnavailable
from bot.ops.metrics import REGISTRY

USER_AGENT = "shenzhen-citizen-assistant/0.1 (+https://github.com/)"
#: The time all city calls of one action call may take together.
TURN_BUDGET_SECONDS = 4.0
#: A call is not started with less time than this left in the turn.
MIN_CALL_SECONDS = 0.5

#: When the current action call's time is up (``time.monotonic()``), if it has a budget.
_turn_ends: ContextVar[float | None] = ContextVar("turn_ends", default=None)


def begin_turn(seconds: float = TURN_BUDGET_SECONDS) -> None:
    """From now on, the calls of this task (one action call) have ``seconds`` in all.

    Set for every action call, replacing any earlier turn's budget: a server task
    may serve several requests of one keep-alive connection in turn.
    """
    _turn_ends.set(time.monotonic() + seconds)


def end_turn() -> None:
    """Calls of this task have only their own budgets again."""
    _turn_ends.set(None)


def _call_budget(service: str, policy: TransportPolicy) -> float:
    """This call's budget: its own, cut to what is left of the turn's."""
    ends = _turn_ends.get()
    if ends is None:
        return policy.total_seconds
    left = ends - time.monotonic()
    if left < MIN_CALL_SECONDS:
        raise ServiceUnavailable(service, "not called: this turn's time for city services is spent")
    return min(policy.total_seconds, left)


@dataclass(frozen=True)
class TransportPolicy:
    """Timeouts and retry budget for one service.

    httpx's timeouts bound each connect and each read, not the whole exchange (a
    server trickling bytes would never trip them), so ``total_seconds`` caps a
    call including its retries. The defaults keep a resident's turn under ~3 s:
    connect 1 s, read 1.2 s, one retry after 0.2 s, 2.8 s in all.
    """

    connect_timeout: float = 1.0
    read_timeout: float = 1.2
    get_retries: int = 1
    backoff_seconds: float = 0.2
    total_seconds: float = 2.8

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.read_timeout,
            pool=self.connect_timeout,
        )


_shared_client: httpx.AsyncClient | None = None


def shared_client() -> httpx.AsyncClient:
    """The process-wide client (created lazily inside the running event loop)."""
    global _shared_client
    if _shared_client is None or _shared_client.is_closed:
        _shared_client = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        )
    return _shared_client


async def close_shared_client() -> None:
    """Close the process-wide client (tests and shutdown)."""
    global _shared_client
    if _shared_client is not None:
        await _shared_client.aclose()
        _shared_client = None


def _is_retryable(status: int) -> bool:
    return status in (429, 502, 503, 504)


def _error_detail(response: httpx.Response) -> str:
    """A short, log-safe description of an error body (Open311 or our JSON shape)."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, list) and body and isinstance(body[0], Mapping):
        return str(body[0].get("description", ""))[:200]
    if isinstance(body, Mapping):
        error = body.get("error", body)
        if isinstance(error, Mapping):
            return str(error.get("message_en") or error.get("message") or "")[:200]
    return str(body)[:200]


def json_body(service: str, response: httpx.Response) -> Any:
    """The decoded JSON of an answer; a body that is not JSON means the service is broken."""
    try:
        return response.json()
    except ValueError as error:
        raise ServiceUnavailable(service, "the answer is not JSON") from error


def raise_for_status(service: str, response: httpx.Response) -> None:
    """Turn an HTTP error status into the matching :mod:`errors` exception."""
    status = response.status_code
    if status < 400:
        return
    detail = _error_detail(response)
    if status == 404:
        raise NotFound(service, detail or "not found")
    if status >= 500 or _is_retryable(status):
        raise ServiceUnavailable(service, f"HTTP {status} {detail}".strip())
    raise Rejected(service, f"HTTP {status} {detail}".strip(), status=status, detail=detail)


@contextmanager
def observed(service: str, method: str) -> Iterator[None]:
    """Count and time one call to a city service (``/metrics`` of the action server)."""
    started = time.monotonic()
    outcome = "ok"
    try:
        yield
    except NotFound:
        outcome = "not_found"
        raise
    except Rejected:
        outcome = "rejected"
        raise
    except ServiceUnavailable:
        outcome = "unavailable"
        raise
    finally:
        elapsed = time.monotonic() - started
        REGISTRY.observe(
            "city_api_request_seconds", "Calls to city services, by service and outcome.",
            elapsed, service=service, method=method, outcome=outcome,
        )  # fmt: skip
        if outcome in ("unavailable", "rejected"):
            REGISTRY.inc(
                "city_api_errors_total", "City service calls that failed.",
                service=service, outcome=outcome,
            )  # fmt: skip


async def get(
    service: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    policy: TransportPolicy | None = None,
    client: httpx.AsyncClient | None = None,
) -> httpx.Response:
    """GET with timeouts and bounded retries; raises on any non-2xx answer."""
    policy = policy or TransportPolicy()
    with observed(service, "GET"):
        budget = _call_budget(service, policy)
        try:
            return await asyncio.wait_for(
                _get_with_retries(service, url, params, headers, policy, client or shared_client()),
                budget,
            )
        except asyncio.TimeoutError as error:
            raise ServiceUnavailable(service, f"no answer within {budget:.2g} s") from error


async def _get_with_retries(
    service: str,
    url: str,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    policy: TransportPolicy,
    client: httpx.AsyncClient,
) -> httpx.Response:
    attempts = policy.get_retries + 1
    last_error: ServiceUnavailable | None = None
    for attempt in range(attempts):
        try:
            response = await client.get(
                url, params=params, headers=headers, timeout=policy.timeout()
            )
        except httpx.TimeoutException:
            last_error = ServiceUnavailable(service, "timed out")
        except httpx.TransportError as error:
            last_error = ServiceUnavailable(service, f"unreachable ({type(error).__name__})")
        else:
            if not (_is_retryable(response.status_code) or response.status_code >= 500):
                raise_for_status(service, response)
                return response
            last_error = ServiceUnavailable(service, f"HTTP {response.status_code}")
        if attempt + 1 < attempts:
            await asyncio.sleep(policy.backoff_seconds * (2**attempt))
    assert last_error is not None
    raise last_error


async def post_form(
    service: str,
    url: str,
    *,
    data: Mapping[str, str | list[str]],
    headers: Mapping[str, str] | None = None,
    policy: TransportPolicy | None = None,
    client: httpx.AsyncClient | None = None,
) -> httpx.Response:
    """POST a form once (never retried here); raises on any non-2xx answer."""
    return await _post_once(service, url, policy, client, data=data, params=None, headers=headers)


async def post_json(
    service: str,
    url: str,
    *,
    body: Any,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    policy: TransportPolicy | None = None,
    client: httpx.AsyncClient | None = None,
) -> httpx.Response:
    """POST a JSON body once (never retried here); raises on any non-2xx answer."""
    return await _post_once(service, url, policy, client, json=body, params=params, headers=headers)


async def _post_once(
    service: str,
    url: str,
    policy: TransportPolicy | None,
    client: httpx.AsyncClient | None,
    **request: Any,
) -> httpx.Response:
    policy = policy or TransportPolicy()
    client = client or shared_client()
    with observed(service, "POST"):
        budget = _call_budget(service, policy)
        try:
            response = await asyncio.wait_for(
                client.post(url, timeout=policy.timeout(), **request), budget
            )
        except (httpx.TimeoutException, asyncio.TimeoutError) as error:
            raise ServiceUnavailable(service, "timed out; the outcome is unknown") from error
        except httpx.TransportError as error:
            raise ServiceUnavailable(service, f"unreachable ({type(error).__name__})") from error
        raise_for_status(service, response)
        return response
