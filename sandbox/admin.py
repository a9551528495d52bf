"""Admin endpoints that play the city's case workers, so demos and tests can show progress.

Protected by a separate key in the ``X-Admin-Key`` header: the Open311 ``api_key`` a client
holds cannot move tickets. Errors use the Open311 error shape.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
from collections.abc import Mapping

from sanic import Request, Sanic
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from sandbox.errors import Open311Error, json_response
from sandbox.forms import MalformedForm, has_control_characters, parse_form
from sandbox.open311 import language, query_args
from sandbox.open311_catalogue import Service
from sandbox.open311_records import service_request_record
from sandbox.service_requests import UnknownServiceRequest, advance_service_request
from sandbox.settings import SandboxSettings
from sandbox.workflow import UnknownState, WorkflowError

ADMIN_KEY_HEADER = "X-Admin-Key"
MAX_NOTE_CHARS = 500


def has_admin_key(request: Request, settings: SandboxSettings) -> bool:
    """Whether the request carries the admin key; compared in constant time, as a secret."""
    given = request.headers.get(ADMIN_KEY_HEADER, "")
    return bool(given) and hmac.compare_digest(
        given.encode("utf-8"), settings.admin_key.encode("utf-8")
    )


def require_admin(request: Request, settings: SandboxSettings) -> None:
    """Refuse (403) a request without the admin key, in the Open311 error shape."""
    if not has_admin_key(request, settings):
        raise Open311Error(403, f"{ADMIN_KEY_HEADER} is missing or not valid")


def form_or_query(request: Request) -> dict[str, str]:
    """Parameters from a urlencoded body, falling back to the query string."""
    try:
        pairs = parse_form(request.body or b"")
    except MalformedForm as error:
        raise Open311Error(400, str(error)) from None
    return {**query_args(request), **dict(pairs)}


def register(
    app: Sanic, engine: Engine, settings: SandboxSettings, services: Mapping[str, Service]
) -> None:
    """Add ``POST /admin/requests/{id}/advance`` to ``app``."""

    @app.route(
        "/admin/requests/<service_request_id>/advance",
        methods=["POST"],
        name="admin_advance_request",
        unquote=True,
    )
    async def advance(request: Request, service_request_id: str) -> HTTPResponse:
        require_admin(request, settings)
        params = form_or_query(request)
        if any(has_control_characters(value) for value in params.values()):
            raise Open311Error(400, "parameters may not contain control characters")
        note = params.get("note", "").strip() or None
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise Open311Error(400, f"note is longer than {MAX_NOTE_CHARS} characters")
        lang = language(params.get("locale"))
        ticket = service_request_id.upper()
        try:
            stored = await asyncio.to_thread(
                advance_service_request,
                engine,
                ticket,
                now=dt.datetime.now(dt.timezone.utc),
                target=params.get("to", "").strip() or None,
                note=note,
            )
        except UnknownServiceRequest:
            raise Open311Error(404, f"service_request_id {ticket!r} not found") from None
        except UnknownState as error:
            raise Open311Error(400, str(error)) from None
        except WorkflowError as error:
            raise Open311Error(409, str(error)) from None
        return json_response([service_request_record(stored, services, lang, settings.zone)])
