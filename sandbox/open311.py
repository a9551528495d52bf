"""Open311 GeoReport v2 over HTTP, under ``/open311/v2/``, in the JSON format only.

The handlers only translate between HTTP and the modules that do the work: the catalogue,
submission checks, search parsing, storage and record rendering. Every failure is an
:class:`~sandbox.errors.Open311Error`, so clients always get the spec's error array.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import uuid
from collections.abc import Mapping

from sanic import Request, Sanic
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from sandbox import idempotency
from sandbox.errors import Open311Error, json_response
from sandbox.forms import MalformedForm, check_content_type, parse_form
from sandbox.languages import UnsupportedLocale, language_of
from sandbox.open311_catalogue import Service, service_definition, service_list_entry
from sandbox.open311_records import service_request_record
from sandbox.open311_search import InvalidSearch, parse_search
from sandbox.open311_submission import InvalidSubmission, parse_submission, scalar_fields
from sandbox.service_requests import (
    IdempotencyConflict,
    IdempotentCall,
    TicketNumbersExhausted,
    UnknownServiceRequest,
    create_service_request,
    find_service_requests,
    get_service_request,
)
from sandbox.settings import SandboxSettings

PREFIX = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When this endpoint's behaviour last changed, for discovery clients that cache it.
CHANGESET = "2026-11-24T00:00:00+08:00"


#: Tokens are derived from the ticket, so a replayed POST returns the same token.
TOKEN_NAMESPACE = uuid.UUID("6f0c2a52-5d0e-4d3c-9b61-311000000000")


def query_args(request: Request) -> dict[str, str]:
    """The first value of each query parameter (Open311 lists are comma-separated)."""
    return {name: values[0] for name, values in request.args.items() if values}


def language(locale: str | None) -> str:
    try:
        return language_of(locale)
    except UnsupportedLocale as error:
        raise Open311Error(400, str(error)) from None


def json_only(file_name: str) -> str:
    """The resource id in ``{id}.json``; other formats are refused as the spec asks."""
    stem, dot, extension = file_name.rpartition(".")
    if not dot or not stem:
        raise Open311Error(404, f"{file_name!r} not found; add the .json format suffix")
    if extension.lower() != "json":
        raise Open311Error(400, f"format {extension!r} is not supported; only JSON is")
    return stem


def register(
    app: Sanic, engine: Engine, settings: SandboxSettings, services: Mapping[str, Service]
) -> None:
    """Add the Open311 routes to ``app``, serving ``services`` and storing in ``engine``."""
    zone = settings.zone

    def now() -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def service_or_404(code: str) -> Service:
        service = services.get(code)
        if service is None:
            raise Open311Error(404, f"service_code {code!r} not found")
        return service

    @app.get("/open311/discovery.json", name="open311_discovery")
    async def discovery(request: Request) -> HTTPResponse:
        return json_response(
            {
                "changeset": CHANGESET,
                "contact": "Sandbox city: sample data only. 示例城市，仅含示例数据。",
                "key_service": "Use the api_key given by the city (sandbox: SANDBOX_API_KEY).",
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": f"{request.scheme}://{request.host}{PREFIX}",
                        "changeset": CHANGESET,
                        "type": "test",
                        "formats": ["application/json"],
                    }
                ],
            }
        )

    @app.get(f"{PREFIX}/services.json", name="open311_services")
    async def list_services(request: Request) -> HTTPResponse:
        lang = language(request.args.get("locale"))
        return json_response([service_list_entry(s, lang) for s in services.values()])

    @app.route(f"{PREFIX}/services/<file_name>", name="open311_service_definition", unquote=True)
    async def definition(request: Request, file_name: str) -> HTTPResponse:
        service = service_or_404(json_only(file_name))
        return json_response(service_definition(service, language(request.args.get("locale"))))

    async def xml_format(request: Request) -> HTTPResponse:
        raise Open311Error(400, "format 'xml' is not supported; only JSON is (use .json)")

    for resource, methods in (("services", ["GET"]), ("requests", ["GET", "POST"])):
        app.route(f"{PREFIX}/{resource}.xml", methods=methods, name=f"open311_{resource}_xml")(
            xml_format
        )

    @app.get(f"{PREFIX}/requests.json", name="open311_search_requests")
    async def search_requests(request: Request) -> HTTPResponse:
        args = query_args(request)
        lang = language(args.get("locale"))
        try:
            query = parse_search(args, frozenset(services), now(), zone)
        except InvalidSearch as error:
            raise Open311Error(400, str(error)) from None
        found = await asyncio.to_thread(find_service_requests, engine, query)
        return json_response([service_request_record(r, services, lang, zone) for r in found])

    @app.route(f"{PREFIX}/requests/<file_name>", name="open311_get_request", unquote=True)
    async def get_request(request: Request, file_name: str) -> HTTPResponse:
        ticket = json_only(file_name).upper()
        lang = language(request.args.get("locale"))
        try:
            stored = await asyncio.to_thread(get_service_request, engine, ticket)
        except UnknownServiceRequest:
            raise Open311Error(404, f"service_request_id {ticket!r} not found") from None
        return json_response([service_request_record(stored, services, lang, zone)])

    tokens: dict[str, str] = {}

    @app.get(f"{PREFIX}/tokens/<file_name>", name="open311_token", unquote=True)
    async def token_lookup(request: Request, file_name: str) -> HTTPResponse:
        token = json_only(file_name)
        ticket = tokens.get(token)
        if ticket is None:
            raise Open311Error(404, f"token {token!r} not found")
        return json_response([{"token": token, "service_request_id": ticket}])

    @app.post(f"{PREFIX}/requests.json", name="open311_post_request")
    async def post_request(request: Request) -> HTTPResponse:
        try:
            check_content_type(request.headers.get("content-type", ""))
            pairs = parse_form(request.body or b"")
            fields = scalar_fields(pairs)
        except (MalformedForm, InvalidSubmission) as error:
            raise Open311Error(400, str(error)) from None
        given_key = fields.get("api_key", "")
        if not given_key or not hmac.compare_digest(
            given_key.encode("utf-8"), settings.api_key.encode("utf-8")
        ):
            raise Open311Error(403, "api_key is missing or not valid")
        lang = language(fields.get("locale") or request.args.get("locale"))
        try:
            key = idempotency.parse_key(request.headers.get(idempotency.HEADER))
            new = parse_submission(pairs, services)
        except (idempotency.InvalidIdempotencyKey, InvalidSubmission) as error:
            raise Open311Error(400, str(error)) from None
        service = services[new.service_code]
        call = None
        if key is not None:
            call = IdempotentCall(
                scope=idempotency.scope_of(given_key),
                key=key,
                fingerprint=idempotency.fingerprint(pairs, ignore=frozenset({"api_key"})),
            )

        def render(ticket: str) -> str:
            receipt: dict[str, object] = {
                "service_request_id": ticket,
                "service_notice": service.service_notice.in_language(lang),
                "account_id": new.account_id,
            }
            if settings.open311_tokens:
                # A server that numbers tickets later: the client gets a token to exchange.
                token = str(uuid.uuid5(TOKEN_NAMESPACE, ticket))
                tokens[token] = ticket
                receipt = {"token": token, "service_notice": receipt["service_notice"]}
            return json.dumps([receipt], ensure_ascii=False)

        try:
            outcome = await asyncio.to_thread(
                create_service_request,
                engine,
                new,
                service,
                now=now(),
                zone=zone,
                render=render,
                call=call,
                ticket_prefix=settings.ticket_prefix,
            )
        except IdempotencyConflict as error:
            raise Open311Error(422, str(error)) from None
        except TicketNumbersExhausted as error:
            raise Open311Error(503, str(error)) from None
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
        return HTTPResponse(
            outcome.body,
            status=outcome.status,
            headers=headers,
            content_type="application/json; charset=utf-8",
        )
