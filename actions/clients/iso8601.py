"""Reading ISO 8601 dates and times from city APIs, leniently.

A record with an unreadable time is still worth showing, so these return
``None`` instead of raising; every client shares them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def parse_datetime(value: Any) -> dt.datetime | None:
    """An ISO 8601 time (``Z`` accepted), or None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_date(value: Any) -> dt.date | None:
    """The date part of an ISO 8601 date or time, or None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
