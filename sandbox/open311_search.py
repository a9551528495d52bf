"""Reading the query of ``GET requests.json`` into a :class:`SearchFilter`, per the spec.

GeoReport v2: ``service_request_id`` (comma list) overrides every other filter;
``service_code`` and ``status`` are comma lists; ``start_date``/``end_date`` bound
``requested_datetime``, may not span more than 90 days, and default to the last 90 days.
Anything a client gets wrong is an :class:`InvalidSearch` (HTTP 400), never an empty result
that hides the mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from sandbox.iso8601 import InvalidTimestamp, parse_timestamp
from sandbox.service_requests import SearchFilter

MAX_SPAN = dt.timedelta(days=90)
MAX_RESULTS = 1000
STATUSES = frozenset({"open", "closed"})


class InvalidSearch(ValueError):
    """A query parameter the spec does not allow; the message names it."""


def _comma_list(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def parse_search(
    args: Mapping[str, str], service_codes: frozenset[str], now: dt.datetime, zone: ZoneInfo
) -> SearchFilter:
    """The filter a ``GET requests.json`` query asks for, checked against the spec."""
    ids = tuple(i.upper() for i in _comma_list(args.get("service_request_id")))
    if len(ids) > MAX_RESULTS:
        raise InvalidSearch(f"at most {MAX_RESULTS} service_request_id values at once")
    if ids:
        return SearchFilter(service_request_ids=ids, limit=MAX_RESULTS)
    codes = _comma_list(args.get("service_code"))
    unknown = [code for code in codes if code not in service_codes]
    if unknown:
        raise InvalidSearch(f"service_code {', '.join(unknown)} is not a known service")
    statuses = tuple(s.lower() for s in _comma_list(args.get("status")))
    if any(status not in STATUSES for status in statuses):
        raise InvalidSearch("status must be open, closed or both (comma-separated)")
    start, end = _window(args.get("start_date"), args.get("end_date"), now, zone)
    return SearchFilter(
        service_codes=codes, statuses=statuses, start=start, end=end, limit=MAX_RESULTS
    )


def _window(
    raw_start: str | None, raw_end: str | None, now: dt.datetime, zone: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    start = _timestamp("start_date", raw_start, zone)
    end = _timestamp("end_date", raw_end, zone)
    if start is None and end is None:
        return now - MAX_SPAN, now
    if start is None:
        assert end is not None
        return end - MAX_SPAN, end
    if end is None:
        return start, start + MAX_SPAN
    if start > end:
        raise InvalidSearch("start_date is after end_date")
    if end - start > MAX_SPAN:
        raise InvalidSearch("start_date and end_date may not span more than 90 days")
    return start, end


def _timestamp(name: str, raw: str | None, zone: ZoneInfo) -> dt.datetime | None:
    if raw is None or not raw.strip():
        return None
    try:
        return parse_timestamp(raw, zone)
    except InvalidTimestamp as error:
        raise InvalidSearch(f"{name}: {error}") from None
