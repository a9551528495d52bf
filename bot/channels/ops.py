"""Health, readiness and Prometheus metrics for the Rasa server, as a channel Rasa loads.

Rasa's own ``/`` answers as soon as the web server is up and ``/status``
needs the API token, so a load balancer has no unauthenticated way to know
whether the model is loaded. Listed in ``credentials.yml``, this channel adds:

- ``GET /ops/health``: the process answers (liveness);
- ``GET /ops/ready``: 200 once the model is loaded and the tracker store is
  reachable, 503 before (readiness: take the instance out of rotation);
- ``GET /ops/metrics``: request latency by route and status, messages per
  channel (Prometheus text format, ``bot.ops.metrics``).

Rasa's port is also the residents' port (the web chat lives there), so what tells
an outsider about the deployment is kept for operators: ``/ops/metrics`` and Rasa's
``/version`` answer only a request straight from this machine (a loopback peer, no
proxy's forwarding header) or one carrying ``Authorization: Bearer <OPS_TOKEN>``
(Prometheus elsewhere); anyone else gets 404. Health and readiness stay open for
load balancers and Kubernetes probes but name no model.

It also tags every request's log lines with the conversation id it concerns
(``bot.ops.logs``), for the JSON logs of production mode.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import time
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from bot.ops.logs import conversation
from bot.ops.metrics import CONTENT_TYPE, REGISTRY

TOKEN_VARIABLE = "OPS_TOKEN"
#: Paths only operators may read (see the module docstring).
OPERATORS_ONLY = frozenset({"/ops/metrics", "/version"})
_LOOPBACK = ("127.", "::1", "::ffff:127.")
_FORWARDING_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")

_CONVERSATION_PATH = re.compile(r"^/conversations/([^/]+)/")
_MESSAGE_PATH = re.compile(r"^/webhooks/([a-z_]+)/webhook$")


def conversation_of(path: str, body: bytes | None) -> str | None:
    """The conversation a request is about: from the API path or a REST message's sender."""
    found = _CONVERSATION_PATH.match(path)
    if found:
        return found.group(1)[:128]
    if path == "/webhooks/rest/webhook" and body and len(body) <= 65536:
        try:
            sender = json.loads(body).get("sender")
        except (ValueError, AttributeError):
            return None
        return sender[:128] if isinstance(sender, str) else None
    return None


def record_turn(channel: str, seconds: float, ok: bool = True) -> None:
    """One resident message handled (channels that bypass HTTP, like the web chat socket)."""
    REGISTRY.inc(
        "assistant_messages_total", "Resident messages handled, by channel and outcome.",
        channel=channel, outcome="ok" if ok else "error",
    )  # fmt: skip
    REGISTRY.observe(
        "assistant_turn_seconds", "Time to answer a resident message, by channel.",
        seconds, channel=channel,
    )  # fmt: skip


def operator_request(request: Request, token: str) -> bool:
    """Whether ``request`` comes from an operator: this machine directly, or with the token."""
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode()):
        return True
    proxied = any(request.headers.get(header) for header in _FORWARDING_HEADERS)
    return not proxied and str(request.ip or "").startswith(_LOOPBACK)


async def _operators_only(request: Request) -> HTTPResponse | None:
    if request.path in OPERATORS_ONLY and not operator_request(
        request, os.environ.get(TOKEN_VARIABLE, "")
    ):
        return response.json({"error": "not_found"}, status=404)
    return None


class OpsBlueprint(Blueprint):
    """A blueprint that also times every request of the app it joins."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        app.register_middleware(_operators_only, "request")
        app.register_middleware(_started, "request")
        app.register_middleware(_finished, "response")
        super().register(app, options)


async def _started(request: Request) -> None:
    request.ctx.ops_started = time.monotonic()
    request.ctx.ops_token = conversation.set(conversation_of(request.path, request.body))


async def _finished(request: Request, reply: BaseHTTPResponse) -> None:
    started = getattr(request.ctx, "ops_started", None)
    if started is None:
        return
    elapsed = time.monotonic() - started
    route = request.route.path if request.route else "unmatched"
    status = str(reply.status if reply is not None else 500)
    REGISTRY.observe(
        "rasa_http_request_seconds", "HTTP requests to the Rasa server, by route and status.",
        elapsed, route=route, method=request.method, status=status,
    )  # fmt: skip
    channel = _MESSAGE_PATH.match(request.path)
    if channel and request.method == "POST":
        record_turn(channel.group(1), elapsed, ok=status.startswith("2"))


class OpsInput(InputChannel):
    """Not a way for residents in: the operators' endpoints (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "ops"

    def url_prefix(self) -> str:
        return "/ops"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ops = OpsBlueprint("ops_endpoints", __name__)

        @ops.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @ops.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "loading"}, status=503)
            return response.json({"status": "ready"})

        @ops.route("/metrics", methods=["GET"])
        async def metrics(_: Request) -> HTTPResponse:
            return response.text(REGISTRY.render(), content_type=CONTENT_TYPE)

        return ops
