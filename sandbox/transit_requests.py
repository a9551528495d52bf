"""Checking what an operator sends to the transit admin API, before anything is stored.

Each body is checked against the feed the sandbox serves — a delay on "L9" or a stop that
Line 5 does not call at is refused with a message saying so — and against sane limits, so
the realtime feeds built from stored events are always valid. Pure functions: they raise
:class:`~sandbox.errors.PlainError` (400) and never touch the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.errors import PlainError
from sandbox.gtfs_realtime import CAUSES, EFFECTS, Schedule

MAX_DELAY_MINUTES = 12 * 60
MAX_EARLY_MINUTES = 30
DEFAULT_DELAY_MINUTES_VALID = 60
MAX_MINUTES_VALID = 7 * 24 * 60
MAX_HEADER_CHARS = 200
MAX_DESCRIPTION_CHARS = 2000
LANGUAGES = ("zh", "en")


def bad_request(message: str) -> PlainError:
    return PlainError(400, "bad_request", message)


@dataclass(frozen=True)
class DelayRequest:
    """A validated ``POST /admin/transit/delays`` body."""

    route_id: str
    delay_seconds: int
    minutes_valid: int
    trip_id: str | None = None
    stop_id: str | None = None


@dataclass(frozen=True)
class AlertRequest:
    """A validated ``POST /admin/transit/alerts`` body."""

    route_ids: tuple[str, ...]
    stop_ids: tuple[str, ...]
    cause: str
    effect: str
    header: Mapping[str, str]
    description: Mapping[str, str]
    active_minutes: int | None


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying what is wrong with it."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad_request("the body is not UTF-8") from None
    except ValueError:
        raise bad_request("the body is not JSON") from None
    if not isinstance(data, dict):
        raise bad_request("the body must be a JSON object")
    return data


def parse_delay_request(data: Mapping[str, Any], schedule: Schedule) -> DelayRequest:
    """Check a delay injection against the feed: known route, stop on it, sane minutes."""
    _no_unknown_fields(data, {"route_id", "delay_minutes", "stop_id", "trip_id", "minutes_valid"})
    route_id = _known_route(data.get("route_id"), schedule)
    minutes = _number(
        data.get("delay_minutes"), "delay_minutes", -MAX_EARLY_MINUTES, MAX_DELAY_MINUTES
    )
    valid = data.get("minutes_valid", DEFAULT_DELAY_MINUTES_VALID)
    minutes_valid = int(_number(valid, "minutes_valid", 1, MAX_MINUTES_VALID))
    stop_id = _optional_text(data.get("stop_id"), "stop_id")
    if stop_id is not None and not schedule.stop_is_on_route(stop_id, route_id):
        raise bad_request(f"stop_id {stop_id!r} is not a stop of route {route_id!r}")
    trip_id = _optional_text(data.get("trip_id"), "trip_id")
    if trip_id is not None:
        trip = schedule.trips.get(trip_id)
        if trip is None or trip.route_id != route_id:
            raise bad_request(f"trip_id {trip_id!r} is not a trip of route {route_id!r}")
    return DelayRequest(
        route_id=route_id,
        delay_seconds=round(minutes * 60),
        minutes_valid=minutes_valid,
        trip_id=trip_id,
        stop_id=stop_id,
    )


def parse_alert_request(data: Mapping[str, Any], schedule: Schedule) -> AlertRequest:
    """Check an alert: known routes and stops, GTFS-RT cause and effect, text in both languages."""
    _no_unknown_fields(
        data,
        {"route_ids", "stop_ids", "cause", "effect", "header", "description", "active_minutes"},
    )
    route_ids = _id_list(data.get("route_ids"), "route_ids")
    stop_ids = _id_list(data.get("stop_ids"), "stop_ids")
    if not route_ids and not stop_ids:
        raise bad_request("an alert needs at least one of route_ids and stop_ids")
    for route_id in route_ids:
        _known_route(route_id, schedule)
    for stop_id in stop_ids:
        if stop_id not in schedule.stops:
            raise bad_request(f"unknown stop_id {stop_id!r}")
    active = data.get("active_minutes")
    return AlertRequest(
        route_ids=route_ids,
        stop_ids=stop_ids,
        cause=_enum(data.get("cause", "UNKNOWN_CAUSE"), "cause", CAUSES),
        effect=_enum(data.get("effect", "UNKNOWN_EFFECT"), "effect", EFFECTS),
        header=_bilingual(data.get("header"), "header", MAX_HEADER_CHARS, required=True),
        description=_bilingual(
            data.get("description"), "description", MAX_DESCRIPTION_CHARS, required=False
        ),
        active_minutes=None
        if active is None
        else int(_number(active, "active_minutes", 1, MAX_MINUTES_VALID)),
    )


def _no_unknown_fields(data: Mapping[str, Any], known: set[str]) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise bad_request(f"unknown field(s) {', '.join(unknown)}; expected {sorted(known)}")


def _known_route(value: Any, schedule: Schedule) -> str:
    if not isinstance(value, str) or not value:
        raise bad_request("route_id must be a route id such as 'L5'")
    if value not in schedule.trips_by_route:
        known = ", ".join(sorted(schedule.trips_by_route))
        raise bad_request(f"unknown route_id {value!r}; the feed has {known}")
    return value


def _number(value: Any, name: str, low: float, high: float) -> float:
    if value is None:
        raise bad_request(f"{name} is required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_request(f"{name} must be a number")
    if not low <= value <= high:
        raise bad_request(f"{name} must be between {low:g} and {high:g}")
    return float(value)


def _optional_text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def _id_list(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad_request(f'{name} must be a list of ids, e.g. ["L5"]')
    return tuple(dict.fromkeys(value))


def _enum(value: Any, name: str, allowed: frozenset[str]) -> str:
    if not isinstance(value, str) or value.upper() not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(sorted(allowed))}")
    return value.upper()


def _bilingual(value: Any, name: str, limit: int, *, required: bool) -> dict[str, str]:
    if value is None and not required:
        return dict.fromkeys(LANGUAGES, "")
    if not isinstance(value, dict) or set(value) - set(LANGUAGES):
        raise bad_request(f'{name} must be an object {{"zh": "…", "en": "…"}}')
    texts: dict[str, str] = {}
    for language in LANGUAGES:
        text = value.get(language, "")
        if not isinstance(text, str):
            raise bad_request(f"{name}.{language} must be a string")
        text = text.strip()
        if required and not text:
            raise bad_request(f"{name}.{language} is required: alerts are shown in both languages")
        if len(text) > limit:
            raise bad_request(f"{name}.{language} is longer than {limit} characters")
        texts[language] = text
    return texts
