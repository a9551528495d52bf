"""Assembling the sandbox city: one Sanic app serving Open311, permits, admin and transit.

:func:`create_app` is the only place that knows all the parts. It prepares the database
(tables, then sample data) before the first request, so a client never meets an empty city.
The transit routes come from ``sandbox.transit`` when that module is present, through its
``register(app, engine, settings)`` function.
"""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from pathlib import Path

import yaml
from sanic import Request, Sanic
from sanic.log import logger
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from sandbox import admin, faults, open311, permits, permits_admin
from sandbox.errors import install_error_handler, json_response
from sandbox.open311_catalogue import load_catalogue, load_open311_directory
from sandbox.permits_catalogue import PermitCatalogue
from sandbox.seed import seed_database
from sandbox.settings import SandboxSettings
from sandbox.storage import create_schema, make_engine

MAX_BODY_BYTES = 1024 * 1024
OPENAPI = Path(__file__).resolve().parent / "openapi.yml"


def create_app(settings: SandboxSettings) -> Sanic:
    """A ready-to-run sandbox app with its database prepared; the name is unique per call."""
    app = Sanic(f"sandbox_{uuid.uuid4().hex[:12]}")
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"

    engine = make_engine(settings.database_url)
    create_schema(engine)
    services = (
        load_open311_directory(settings.open311_services)
        if settings.open311_services
        else load_catalogue()
    )
    # The sample complaints are Shenzhen's: a sandbox playing another city starts without them.
    if settings.seed and not settings.open311_services:
        seed_database(engine, services, settings.zone, now=dt.datetime.now(dt.timezone.utc))
    app.ctx.engine = engine
    app.ctx.settings = settings

    install_error_handler(app)
    faults.register(app, settings)
    _register_documents(app)
    open311.register(app, engine, settings, services)
    admin.register(app, engine, settings, services)
    # One catalogue object for readers and the admin routes, so a change shows on the next GET.
    permit_catalogue = PermitCatalogue.from_yaml()
    permits.register(app, engine, settings, permit_catalogue)
    permits_admin.register(app, settings, permit_catalogue)
    _register_transit(app, engine, settings)

    @app.after_server_stop
    async def close_database(app: Sanic, _loop: object) -> None:
        engine.dispose()

    return app


def _register_documents(app: Sanic) -> None:
    document = OPENAPI.read_text(encoding="utf-8")
    parsed = yaml.safe_load(document)

    @app.get("/health", name="health")
    async def health(request: Request) -> HTTPResponse:
        return json_response({"status": "ok"})

    @app.get("/openapi.json", name="openapi_json")
    async def openapi_json(request: Request) -> HTTPResponse:
        return json_response(parsed)

    @app.get("/openapi.yml", name="openapi_yaml")
    async def openapi_yaml(request: Request) -> HTTPResponse:
        return HTTPResponse(document, content_type="application/yaml; charset=utf-8")


def _register_transit(app: Sanic, engine: Engine, settings: SandboxSettings) -> None:
    """Add GTFS / GTFS-RT routes when ``sandbox.transit`` exists (written separately)."""
    try:
        transit = importlib.import_module("sandbox.transit")
    except ModuleNotFoundError as error:
        if error.name != "sandbox.transit":
            raise
        logger.warning("sandbox.transit not found: no GTFS or GTFS-RT routes")
        return
    register = getattr(transit, "register", None)
    if not callable(register):
        logger.warning("sandbox.transit has no register(app, engine, settings): no transit routes")
        return
    register(app, engine, settings)
