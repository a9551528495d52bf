"""The action server: rasa_sdk's own, which also loads the transit timetable at start-up.

``rasa run actions`` would load the GTFS feed on the first transit question, making that
resident wait for a download and parse (seconds for a big city). Here the load starts
as the server starts, in the background: the server answers health checks at once, and
a transit question that arrives before the load has finished waits for that same load
rather than starting another. A failed load is logged and retried on the next question
(see :meth:`actions.city.CityServices.transit_feed`).

The server runs the city's actions with the city's keys (filing a complaint in anyone's
name, reading any resident's ticket), so it answers only Rasa: every call but the
``/health`` probe and the ``/metrics`` scrape must carry the shared secret
``$ACTION_SERVER_TOKEN`` in the ``X-Action-Token`` header (endpoints.yml sends it), and
it listens on localhost unless
``SANIC_HOST`` says otherwise (a container's pod network). Without the secret set it
does not start.

Run with ``ACTION_SERVER_TOKEN=… python -m actions.server --port 5055``;
``scripts/run_stack.py`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from rasa_sdk import utils
from rasa_sdk.constants import DEFAULT_SERVER_PORT
from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from actions.city import city_services
from actions.clients.gtfs import TransitFeed
from actions.clients.http import begin_turn, end_turn
from actions.complaints.concepts import lexicon
from actions.complaints.service_match import matcher_for
from actions.failsafe import install as install_failsafe
from actions.transit.mentions import prepare as prepare_stop_finding
from bot.ops.logs import configure as configure_json_logs
from bot.ops.logs import conversation
from bot.ops.metrics import CONTENT_TYPE, REGISTRY

logger = logging.getLogger(__name__)
T = TypeVar("T")

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
TOKEN_HEADER = "X-Action-Token"
#: Paths any caller that can reach the (internal) port may GET: the load balancer's and
#: the orchestrator's probe, and Prometheus's scrape (counts and timings, nothing personal).
OPEN_PATHS = frozenset({"/health", "/metrics"})


#: Seconds between start-up attempts to reach the city's services. ``make run`` starts
#: every process at once, so the sandbox city may answer a moment after we ask; a real
#: city's service may be down for a while. After the last wait, the first resident's
#: question tries again (and the server never waits on any of this to answer).
START_UP_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)


async def with_start_up_retries(
    load: Callable[[], Awaitable[T]], what: str, waits: Sequence[float] = START_UP_WAITS
) -> T | None:
    """``load()``, tried again after each of ``waits``; None (logged) if it never succeeds."""
    for wait in (*waits, None):
        try:
            return await load()
        except Exception as error:  # noqa: BLE001 - any failure: log, retry on first use
            if wait is None:
                logger.warning("%s not ready at start-up (will retry on use): %s", what, error)
                return None
            logger.info("%s not ready yet (%s); trying again in %.1f s", what, error, wait)
            await asyncio.sleep(wait)
    return None


async def preload_transit_feed() -> None:
    """Load the timetable once; failures are logged, never fatal to the server."""
    started = asyncio.get_running_loop().time()
    feed = await with_start_up_retries(city_services().transit_feed, "transit feed")
    if feed is None:
        return
    await asyncio.to_thread(prepare_stop_finding, feed)
    elapsed = asyncio.get_running_loop().time() - started
    logger.info(
        "transit feed loaded and indexed: %d stops, %d trips in %.1f s",
        len(feed.stops),
        len(feed.trips),
        elapsed,
    )


async def preload_complaint_matching() -> None:
    """Build the concept lexicon's index and the city's service matcher before residents ask.

    The lexicon's thirteen thousand terms take a couple of seconds to index; done here in a
    worker thread, the first complaint does not wait for it on the event loop.
    """
    started = asyncio.get_running_loop().time()

    async def prepare() -> bool:
        await asyncio.to_thread(lexicon)
        for locale in ("zh-CN", "en"):
            services = await city_services().open311.services(locale)
            if services:
                await asyncio.to_thread(matcher_for, tuple(services))
        return True

    if await with_start_up_retries(prepare, "complaint matching") is None:
        return
    elapsed = asyncio.get_running_loop().time() - started
    logger.info("complaint matching prepared in %.1f s", elapsed)


def build_app(package: str = "actions", token: str | None = None) -> Sanic:
    """rasa_sdk's action app with the start-up load attached, answering only ``token``.

    ``token`` defaults to ``$ACTION_SERVER_TOKEN``; with neither, building fails.
    """
    token = token or os.environ.get(TOKEN_VARIABLE) or ""
    if not token:
        raise MissingToken(
            f"{TOKEN_VARIABLE} is not set: the action server answers only callers that "
            f"send it in the {TOKEN_HEADER} header (endpoints.yml does; `make run` sets it)"
        )
    install_failsafe()  # an action that raises answers the resident, not HTTP 500
    app = create_app(package, cors_origins=None)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)

    @app.middleware("request")
    async def authenticate(request: Request) -> HTTPResponse | None:
        """Refuse every call without the shared secret (compared in constant time)."""
        if request.path in OPEN_PATHS and request.method == "GET":
            return None
        sent = request.headers.get(TOKEN_HEADER, "")
        if hmac.compare_digest(sent.encode(), token.encode()):
            return None
        return response.json({"error": "not authorised"}, status=401)

    @app.listener("before_server_start")
    async def start_loading(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        asyncio.get_running_loop().create_task(preload_transit_feed())
        asyncio.get_running_loop().create_task(preload_complaint_matching())

    @app.middleware("request")
    async def started(request: Request) -> None:
        request.ctx.started = time.monotonic()
        request.ctx.action, sender = action_call(request)
        request.ctx.log_token = conversation.set(sender)
        # Every city call of one action call shares one budget (actions.clients.http).
        if request.ctx.action is not None:
            begin_turn()
        else:
            end_turn()

    @app.middleware("response")
    async def finished(request: Request, reply: BaseHTTPResponse) -> None:
        began = getattr(request.ctx, "started", None)
        action = getattr(request.ctx, "action", None)
        if began is None or action is None:
            return
        status = reply.status if reply is not None else 500
        REGISTRY.observe(
            "action_seconds", "Custom actions run, by action and HTTP status.",
            time.monotonic() - began, action=action, status=str(status),
        )  # fmt: skip
        if status >= 400:
            REGISTRY.inc("action_errors_total", "Custom actions that failed.", action=action)

    @app.middleware("request")
    async def health(request: Request) -> HTTPResponse | None:
        """rasa_sdk's ``/health``, with what loading the timetable found (``gtfs``).

        Answered here, before rasa_sdk's own route, because Sanic cannot replace a route;
        it never starts or waits for the feed load, so a probe stays instant.
        """
        if request.path != "/health" or request.method != "GET":
            return None
        try:
            feed = city_services().loaded_feed()
        except Exception:  # noqa: BLE001 - a probe must answer; bad settings fail the first turn
            feed = None
        return response.json({"status": "ok", "gtfs": gtfs_health(feed)})

    @app.get("/metrics")
    async def metrics(_: Request) -> HTTPResponse:
        return response.text(REGISTRY.render(), content_type=CONTENT_TYPE)

    return app


class MissingToken(RuntimeError):
    """The action server was asked to start without its shared secret."""


def gtfs_health(feed: TransitFeed | None) -> dict[str, Any]:
    """The timetable's state for operators: loaded or not, its service dates, its warnings."""
    if feed is None:
        return {"loaded": False}
    report = feed.report
    return {
        "loaded": True,
        "service_start": report.service_start.isoformat() if report.service_start else None,
        "service_end": report.service_end.isoformat() if report.service_end else None,
        "repaired_trips": report.repaired_trips,
        "dropped_trips": report.dropped_trips,
        "dropped_rows": report.dropped_rows,
        "warnings": list(report.warnings),
    }


def action_call(request: Request) -> tuple[str | None, str | None]:
    """(action name, conversation id) of a POST /webhook call; (None, None) otherwise."""
    if request.path != "/webhook" or request.method != "POST":
        return None, None
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return "unreadable", None
    if not isinstance(body, dict):
        return "unreadable", None
    action = body.get("next_action")
    sender = body.get("sender_id")
    return (
        str(action)[:100] if action else "unknown",
        str(sender)[:128] if isinstance(sender, str) else None,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_SERVER_PORT)
    parser.add_argument("--actions", default="actions", help="package holding the actions")
    parser.add_argument("--loglevel", default=os.environ.get("LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)
    if not configure_json_logs("actions"):
        utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    try:
        app = build_app(args.actions)
    except MissingToken as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from error
    app.run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
