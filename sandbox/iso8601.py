"""Reading and writing the ISO 8601 timestamps Open311 uses, always with an offset.

Kept apart because both the API (query parameters, records) and the seed data need the same
rules: what is written always carries the city's offset (``+08:00``); what is read without an
offset is taken as the city's local time, as a resident or a city client would mean it.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

# A "+" in an unencoded query string arrives as a space: "2026-11-01T00:00:00 08:00".
_SPACE_FOR_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


class InvalidTimestamp(ValueError):
    """A text that is not an ISO 8601 date or date-time."""


def format_timestamp(moment: dt.datetime, zone: ZoneInfo) -> str:
    """``moment`` as ``2026-11-24T14:05:00+08:00`` in ``zone``, to the second."""
    if moment.tzinfo is None:
        raise ValueError("refusing to format a naive datetime")
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def parse_timestamp(text: str, zone: ZoneInfo) -> dt.datetime:
    """An aware datetime from an ISO 8601 date or date-time; no offset means ``zone``."""
    cleaned = text.strip()
    cleaned = _SPACE_FOR_PLUS.sub(r"\1+\2", cleaned)
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidTimestamp(
            f"{text!r} is not an ISO 8601 date-time such as 2026-11-01T09:00:00+08:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment
