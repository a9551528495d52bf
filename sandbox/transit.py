"""The sandbox's transit endpoints: the static GTFS feed, GTFS-Realtime feeds and their admin API.

``GET /gtfs/feed.zip`` serves the Shenzhen Metro feed of :mod:`sandbox.gtfs_build`, built once
per process. ``GET /gtfs-rt/trip-updates`` and ``GET /gtfs-rt/alerts`` describe the delays and
alerts injected through ``/admin/transit/…`` (header ``X-Admin-Key``), so demos and tests can
make Line 5 late or suspended and watch the assistant tell residents. The feeds themselves
are built by the pure functions of :mod:`sandbox.gtfs_realtime` and admin bodies checked by
:mod:`sandbox.transit_requests`; this module does the HTTP and the database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sanic import Request, Sanic
from sanic.response import HTTPResponse
from sqlalchemy import delete, insert, or_, select
from sqlalchemy.engine import Engine

from sandbox.errors import PlainError, json_response
from sandbox.gtfs_build import DEFAULT_NETWORK, build_feed, load_network, zip_bytes
from sandbox.gtfs_realtime import (
    InjectedAlert,
    InjectedDelay,
    Schedule,
    build_alerts,
    build_trip_updates,
    feed_as_json,
    schedule_from_tables,
)
from sandbox.settings import SandboxSettings
from sandbox.storage import rt_alerts, rt_delays
from sandbox.transit_requests import (
    AlertRequest,
    DelayRequest,
    bad_request,
    parse_alert_request,
    parse_delay_request,
    parse_json_object,
)

PROTOBUF = "application/x-protobuf"
ADMIN_HEADER = "X-Admin-Key"


# --------------------------------------------------------------------------- the static feed


@dataclass(frozen=True)
class StaticFeed:
    """The zip as served, and the schedule the realtime feeds and admin checks refer to."""

    zip: bytes
    etag: str
    last_modified: dt.datetime
    schedule: Schedule

    def not_modified(self, headers: Mapping[str, str]) -> bool:
        """Whether a conditional GET can be answered 304 (RFC 9110 §13.2.2 precedence)."""
        if_none_match = headers.get("if-none-match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or self.etag in tags
        since = headers.get("if-modified-since")
        if since:
            try:
                moment = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if moment.tzinfo is not None:
                return self.last_modified.replace(microsecond=0) <= moment
        return False


@functools.lru_cache(maxsize=1)
def shenzhen_feed() -> StaticFeed:
    """Build the feed once per process (about two seconds), whatever number of apps use it."""
    tables = build_feed(load_network(DEFAULT_NETWORK))
    data = zip_bytes(tables)
    return StaticFeed(
        zip=data,
        etag=f'"{hashlib.sha256(data).hexdigest()[:32]}"',
        last_modified=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        schedule=schedule_from_tables(tables),
    )


# --------------------------------------------------------------------------- storage


def _store_delay(engine: Engine, request: DelayRequest, now: dt.datetime) -> int:
    with engine.begin() as connection:
        result = connection.execute(
            insert(rt_delays).values(
                route_id=request.route_id,
                trip_id=request.trip_id,
                stop_id=request.stop_id,
                delay_seconds=request.delay_seconds,
                created_at=now,
                expires_at=now + dt.timedelta(minutes=request.minutes_valid),
            )
        )
        return int(result.inserted_primary_key[0])


def _clear_delays(engine: Engine, route_id: str | None) -> int:
    statement = delete(rt_delays)
    if route_id:
        statement = statement.where(rt_delays.c.route_id == route_id)
    with engine.begin() as connection:
        return int(connection.execute(statement).rowcount)


def _current_delays(engine: Engine, now: dt.datetime) -> list[InjectedDelay]:
    query = select(rt_delays).where(
        or_(rt_delays.c.expires_at.is_(None), rt_delays.c.expires_at > now)
    )
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(rt_delays.c.id)).mappings().all()
    return [
        InjectedDelay(
            route_id=row["route_id"],
            delay_seconds=int(row["delay_seconds"]),
            trip_id=row["trip_id"] or None,
            stop_id=row["stop_id"] or None,
        )
        for row in rows
    ]


def _store_alert(engine: Engine, request: AlertRequest, now: dt.datetime) -> int:
    end = (
        None
        if request.active_minutes is None
        else now + dt.timedelta(minutes=request.active_minutes)
    )
    with engine.begin() as connection:
        result = connection.execute(
            insert(rt_alerts).values(
                route_ids=",".join(request.route_ids),
                stop_ids=",".join(request.stop_ids),
                cause=request.cause,
                effect=request.effect,
                header_zh=request.header["zh"],
                header_en=request.header["en"],
                description_zh=request.description["zh"],
                description_en=request.description["en"],
                active_start=now,
                active_end=end,
            )
        )
        return int(result.inserted_primary_key[0])


def _delete_alert(engine: Engine, alert_id: int) -> bool:
    with engine.begin() as connection:
        result = connection.execute(delete(rt_alerts).where(rt_alerts.c.id == alert_id))
        return bool(result.rowcount)


def _current_alerts(engine: Engine, now: dt.datetime) -> list[InjectedAlert]:
    query = select(rt_alerts).where(
        or_(rt_alerts.c.active_end.is_(None), rt_alerts.c.active_end > now)
    )
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(rt_alerts.c.id)).mappings().all()
    return [
        InjectedAlert(
            id=int(row["id"]),
            route_ids=_split(row["route_ids"]),
            stop_ids=_split(row["stop_ids"]),
            cause=row["cause"],
            effect=row["effect"],
            header={"zh": row["header_zh"], "en": row["header_en"]},
            description={"zh": row["description_zh"] or "", "en": row["description_en"] or ""},
            active_start=row["active_start"],
            active_end=row["active_end"],
        )
        for row in rows
    ]


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)


# --------------------------------------------------------------------------- routes


def _feed_response(request: Request, message: Any) -> HTTPResponse:
    """Protobuf by default; ``?format=json`` for a person reading the feed."""
    wanted = request.args.get("format", "protobuf")
    headers = {"Cache-Control": "no-store"}
    if wanted == "json":
        return json_response(feed_as_json(message), headers=headers)
    if wanted not in ("protobuf", "pb"):
        raise bad_request("format must be 'protobuf' (the default) or 'json'")
    return HTTPResponse(message.SerializeToString(), headers=headers, content_type=PROTOBUF)


def _require_admin(request: Request, settings: SandboxSettings) -> None:
    given = request.headers.get(ADMIN_HEADER, "")
    if not hmac.compare_digest(given.encode(), settings.admin_key.encode()):
        raise PlainError(403, "forbidden", f"the {ADMIN_HEADER} header is missing or wrong")


def register(app: Sanic, engine: Engine, settings: SandboxSettings) -> None:
    """Add the GTFS, GTFS-Realtime and transit admin routes to ``app``."""
    feed = shenzhen_feed()

    def now() -> dt.datetime:
        return settings.transit_clock()

    async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(function, engine, *args)

    async def feed_zip(request: Request) -> HTTPResponse:
        headers = {
            "ETag": feed.etag,
            "Last-Modified": email.utils.format_datetime(feed.last_modified, usegmt=True),
            "Cache-Control": "public, max-age=300",
        }
        if feed.not_modified(request.headers):
            return HTTPResponse(status=304, headers=headers)
        headers["Content-Disposition"] = 'attachment; filename="feed.zip"'
        return HTTPResponse(feed.zip, headers=headers, content_type="application/zip")

    async def trip_updates(request: Request) -> HTTPResponse:
        moment = now()
        delays = await in_thread(_current_delays, moment)
        return _feed_response(request, build_trip_updates(feed.schedule, delays, moment))

    async def alerts(request: Request) -> HTTPResponse:
        moment = now()
        current = await in_thread(_current_alerts, moment)
        return _feed_response(request, build_alerts(current, moment))

    async def add_delay(request: Request) -> HTTPResponse:
        _require_admin(request, settings)
        parsed = parse_delay_request(parse_json_object(request.body), feed.schedule)
        moment = now().replace(microsecond=0)
        delay_id = await in_thread(_store_delay, parsed, moment)
        # The same rules as the feed, so the count is what a client will see right now.
        injected = InjectedDelay(
            parsed.route_id, parsed.delay_seconds, parsed.trip_id, parsed.stop_id
        )
        affected = len(build_trip_updates(feed.schedule, [injected], moment).entity)
        body = {
            "id": delay_id,
            "route_id": parsed.route_id,
            "trip_id": parsed.trip_id,
            "stop_id": parsed.stop_id,
            "delay_seconds": parsed.delay_seconds,
            "expires_at": (moment + dt.timedelta(minutes=parsed.minutes_valid)).isoformat(),
            "trips_affected_now": affected,
        }
        return json_response(body, status=201)

    async def clear_delays(request: Request) -> HTTPResponse:
        _require_admin(request, settings)
        route_id = request.args.get("route_id") or None
        deleted = await in_thread(_clear_delays, route_id)
        return json_response({"deleted": deleted})

    async def add_alert(request: Request) -> HTTPResponse:
        _require_admin(request, settings)
        parsed = parse_alert_request(parse_json_object(request.body), feed.schedule)
        moment = now().replace(microsecond=0)
        alert_id = await in_thread(_store_alert, parsed, moment)
        end = (
            None
            if parsed.active_minutes is None
            else (moment + dt.timedelta(minutes=parsed.active_minutes)).isoformat()
        )
        body = {
            "id": alert_id,
            "route_ids": list(parsed.route_ids),
            "stop_ids": list(parsed.stop_ids),
            "cause": parsed.cause,
            "effect": parsed.effect,
            "header": dict(parsed.header),
            "description": dict(parsed.description),
            "active_start": moment.isoformat(),
            "active_end": end,
        }
        return json_response(body, status=201)

    async def remove_alert(request: Request, alert_id: str) -> HTTPResponse:
        _require_admin(request, settings)
        if not re.fullmatch(r"[0-9]{1,18}", alert_id):
            raise bad_request(f"alert id {alert_id!r} is not a number")
        if not await in_thread(_delete_alert, int(alert_id)):
            raise PlainError(404, "not_found", f"there is no alert {alert_id}")
        return json_response({"deleted": int(alert_id)})

    app.add_route(feed_zip, "/gtfs/feed.zip", methods=["GET"], name="transit_feed_zip")
    app.add_route(trip_updates, "/gtfs-rt/trip-updates", methods=["GET"], name="transit_rt_trips")
    app.add_route(alerts, "/gtfs-rt/alerts", methods=["GET"], name="transit_rt_alerts")
    app.add_route(add_delay, "/admin/transit/delays", methods=["POST"], name="transit_add_delay")
    app.add_route(
        clear_delays, "/admin/transit/delays", methods=["DELETE"], name="transit_clear_delays"
    )
    app.add_route(add_alert, "/admin/transit/alerts", methods=["POST"], name="transit_add_alert")
    app.add_route(
        remove_alert,
        "/admin/transit/alerts/<alert_id>",
        methods=["DELETE"],
        name="transit_remove_alert",
    )
