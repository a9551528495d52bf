"""The transport rules: timeouts, bounded GET retries, never a retried POST, errors mapped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import respx

from actions.clients import http
from actions.clients.errors import NotFound, Rejected, ServiceUnavailable

FAST = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=2, backoff_seconds=0)
URL = "https://city.example/api/thing"


@contextmanager
def turn_of(seconds: float) -> Iterator[None]:
    """One action call's budget, as the action server gives it, for the calls inside."""
    http.begin_turn(seconds)
    try:
        yield
    finally:
        http.end_turn()


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as c:
        yield c


@respx.mock
async def test_get_retries_a_503_and_returns_the_next_good_answer(client):
    route = respx.get(URL).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json={"ok": True})]
    )
    response = await http.get("svc", URL, policy=FAST, client=client)
    assert response.json() == {"ok": True}
    assert route.call_count == 2


@respx.mock
async def test_get_gives_up_after_its_retry_budget(client):
    route = respx.get(URL).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(ServiceUnavailable, match="timed out"):
        await http.get("svc", URL, policy=FAST, client=client)
    assert route.call_count == FAST.get_retries + 1


@respx.mock
async def test_get_does_not_retry_a_404(client):
    route = respx.get(URL).mock(
        return_value=httpx.Response(404, json=[{"code": 404, "description": "no such request"}])
    )
    with pytest.raises(NotFound, match="no such request"):
        await http.get("svc", URL, policy=FAST, client=client)
    assert route.call_count == 1


@respx.mock
async def test_a_refused_request_is_rejected_with_the_servers_reason(client):
    respx.get(URL).mock(
        return_value=httpx.Response(403, json=[{"code": 403, "description": "invalid api_key"}])
    )
    with pytest.raises(Rejected) as caught:
        await http.get("svc", URL, policy=FAST, client=client)
    assert caught.value.status == 403
    assert caught.value.detail == "invalid api_key"


@respx.mock
async def test_post_is_sent_once_even_when_it_times_out(client):
    route = respx.post(URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ServiceUnavailable, match="outcome is unknown"):
        await http.post_form("svc", URL, data={"a": "b"}, policy=FAST, client=client)
    assert route.call_count == 1


@respx.mock
async def test_a_server_error_on_post_means_unavailable_not_rejected(client):
    respx.post(URL).mock(return_value=httpx.Response(500, text="<html>boom</html>"))
    with pytest.raises(ServiceUnavailable):
        await http.post_form("svc", URL, data={}, policy=FAST, client=client)


async def test_a_hanging_server_is_abandoned_within_the_timeout():
    """A real socket that accepts and never answers: the read timeout must fire."""
    import asyncio
    import time

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    policy = http.TransportPolicy(
        connect_timeout=0.5, read_timeout=0.3, get_retries=1, backoff_seconds=0
    )
    started = time.monotonic()
    async with httpx.AsyncClient() as c:
        with pytest.raises(ServiceUnavailable):
            await http.get("svc", f"http://127.0.0.1:{port}/", policy=policy, client=c)
    assert time.monotonic() - started < 3
    server.close()


async def test_a_server_trickling_its_answer_is_abandoned_within_the_total_budget():
    """Each read arrives before the read timeout, so only the total budget can stop it."""
    import asyncio
    import time

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        try:
            for _ in range(100):
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(0.1)
        except ConnectionError:
            pass

    server = await asyncio.start_server(trickle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    policy = http.TransportPolicy(read_timeout=0.5, get_retries=0, total_seconds=1.0)
    started = time.monotonic()
    async with httpx.AsyncClient() as c:
        with pytest.raises(ServiceUnavailable, match="no answer within 1 s"):
            await http.get("svc", f"http://127.0.0.1:{port}/", policy=policy, client=c)
    assert time.monotonic() - started < 2
    server.close()


async def test_calls_of_one_turn_share_the_turns_budget():
    """Three services that each hang: the turn stops calling once its time is spent."""
    import asyncio
    import time

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    policy = http.TransportPolicy(read_timeout=5, get_retries=0, total_seconds=1.0)
    errors = []
    started = time.monotonic()
    async with httpx.AsyncClient() as c:
        with turn_of(1.6):
            for service in ("services", "submit", "ticket"):
                with pytest.raises(ServiceUnavailable) as caught:
                    await http.get(service, f"http://127.0.0.1:{port}/", policy=policy, client=c)
                errors.append(caught.value)
    elapsed = time.monotonic() - started
    server.close()
    assert 1.5 < elapsed < 2.5  # 1 s, then the ~0.6 s left; the third is not started
    assert "no answer within 1 s" in str(errors[0])
    # The second call gets only what the first left of the turn (about 0.6 s: less on a
    # busy machine, where the first call's own overhead eats into it).
    left = re.search(r"no answer within ([0-9.]+) s", str(errors[1]))
    assert left is not None and 0.3 < float(left.group(1)) <= 0.6, errors[1]
    assert "not called" in str(errors[2])


@respx.mock
async def test_with_no_time_left_a_call_is_not_even_started(client):
    route = respx.post(URL).respond(201, json={})
    with turn_of(0.1), pytest.raises(ServiceUnavailable, match="not called"):
        await http.post_json("open311", URL, body={}, client=client)
    assert not route.called


@respx.mock
async def test_outside_a_turn_each_call_has_its_own_budget(client):
    respx.get(URL).respond(200, json={"ok": True})
    http.begin_turn(0.0)
    http.end_turn()
    assert (await http.get("svc", URL, client=client)).json() == {"ok": True}
