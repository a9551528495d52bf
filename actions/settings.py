"""Where the city's services live: the one settings object of the action server.

A city points the assistant at its own systems here, never in code. Values come
from the ``city_services:`` section of ``endpoints.yml`` and can be overridden
by environment variables (handy for containers and secrets); the defaults are
the bundled sandbox city on port 8200. Read once at start-up and passed down.

Each setting ``name`` is overridden by the variable ``CITY_<NAME>``:

- ``open311_url`` (``CITY_OPEN311_URL``): default ``http://127.0.0.1:8200/open311/v2``
- ``open311_api_key`` (``CITY_OPEN311_API_KEY``): default ``sandbox-api-key``
- ``open311_jurisdiction_id`` (``CITY_OPEN311_JURISDICTION_ID``): default ``(none)``
- ``permits_url`` (``CITY_PERMITS_URL``): default ``http://127.0.0.1:8200/permits/v1``;
  ``none`` for a city that has no permit API for the assistant (permit questions are then
  sent to the city's hotline and portal, never answered from another city's catalogue)
- ``gtfs_feed`` (``CITY_GTFS_FEED``): default ``http://127.0.0.1:8200/gtfs/feed.zip``
- ``gtfs_rt_trip_updates_url`` (``CITY_GTFS_RT_TRIP_UPDATES_URL``): default ``http://127.0.0.1:8200/gtfs-rt/trip-updates``
- ``gtfs_rt_alerts_url`` (``CITY_GTFS_RT_ALERTS_URL``): default ``http://127.0.0.1:8200/gtfs-rt/alerts``;
  either live feed may be ``none`` for a city that publishes none (timetable times only,
  and "no live information" for questions about delays)
- ``gtfs_rt_max_age_s`` (``CITY_GTFS_RT_MAX_AGE_S``): default ``10``; seconds a live feed
  read is reused for other residents' questions before it is fetched again (``0``: every
  question fetches; GTFS-Realtime producers refresh every 10–30 s)
- ``outbox_database_url`` (``CITY_OUTBOX_DATABASE_URL``): default ``sqlite:///var/outbox.db``
- ``timezone`` (``CITY_TIMEZONE``): default ``Asia/Shanghai``
- ``assistant_url`` (``CITY_ASSISTANT_URL``): default ``http://127.0.0.1:5005`` (Rasa's HTTP API,
  used by the outbox worker to tell residents their complaint moved on)
- ``assistant_token`` (``CITY_ASSISTANT_TOKEN``): default ``(none)`` (Rasa's ``--auth-token``)
- ``complaint_watch_days`` (``CITY_COMPLAINT_WATCH_DAYS``): default ``90``; the outbox worker
  stops polling a complaint still open this many days after it was filed
- ``transit_now`` (``CITY_TRANSIT_NOW`` or ``TRANSIT_NOW``): default ``(none)``, the real clock;
  an ISO 8601 time pins the transit journey's "now" for tests and demos
- ``transit_walk_radius_m`` (``CITY_TRANSIT_WALK_RADIUS_M``): default ``400``; how far apart
  (metres, straight line) two stops may be for the journey planner to send a rider walking
  between them when transfers.txt does not say; ``0`` leaves only transfers.txt

Who the city is (its name, hotline, promises, ticket and phone formats) is the
``city:`` section, read by both Rasa and the action server: :mod:`bot.city_identity`.

The transit feeds also answer to the shorter names the transit tools use:
``GTFS_FEED``, ``GTFS_RT_TRIP_UPDATES_URL`` and ``GTFS_RT_ALERTS_URL`` (a ``CITY_``
variable wins when both are set).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from actions.clients.gtfs.footpaths import DEFAULT_WALK_RADIUS_M
from bot.config_file import section_of

SANDBOX = "http://127.0.0.1:8200"
#: Variables without the ``CITY_`` prefix that GTFS tooling (and the issue tracker) use.
UNPREFIXED = {
    "gtfs_feed": "GTFS_FEED",
    "gtfs_rt_trip_updates_url": "GTFS_RT_TRIP_UPDATES_URL",
    "gtfs_rt_alerts_url": "GTFS_RT_ALERTS_URL",
    "transit_now": "TRANSIT_NOW",
}
SECTION = "city_services"
#: What ``permits_url`` says for a city with no permit API (YAML's empty string too).
NO_SERVICE = frozenset({"", "none", "off"})
#: Services a city may not have: no permit API, no live transit feeds.
OPTIONAL_SERVICES = frozenset({"permits_url", "gtfs_rt_trip_updates_url", "gtfs_rt_alerts_url"})
#: Settings that moved to another section, so that an old endpoints.yml gets a useful error.
MOVED = {"hotline": "city"}
#: Walking further than this between two rides is not a change any more but a trip on foot.
MAX_WALK_RADIUS_M = 2000.0
#: A live feed older than this is no longer live: delays and alerts move within minutes.
MAX_REALTIME_AGE_S = 300.0


def _number_between(name: str, text: str, highest: float, what: str) -> float:
    """``text`` as a number from 0 to ``highest``, or a start-up error naming the setting."""
    try:
        value = float(text.strip())
    except ValueError:
        value = -1.0
    if not 0 <= value <= highest:  # NaN fails this too
        raise ValueError(f"{name} must be {what} from 0 to {highest:g}, got {text.strip()!r}")
    return value


@dataclass(frozen=True)
class CityServicesSettings:
    """URLs, keys and locations of the city's services."""

    open311_url: str = f"{SANDBOX}/open311/v2"
    open311_api_key: str = "sandbox-api-key"
    open311_jurisdiction_id: str = ""
    permits_url: str = f"{SANDBOX}/permits/v1"
    gtfs_feed: str = f"{SANDBOX}/gtfs/feed.zip"
    gtfs_rt_trip_updates_url: str = f"{SANDBOX}/gtfs-rt/trip-updates"
    gtfs_rt_alerts_url: str = f"{SANDBOX}/gtfs-rt/alerts"
    #: Seconds a live feed read serves other questions before it is fetched again (0: never).
    gtfs_rt_max_age_s: str = "10"
    outbox_database_url: str = "sqlite:///var/outbox.db"
    timezone: str = "Asia/Shanghai"
    #: ISO 8601 time the transit journey takes as "now" ("" = the real clock).
    transit_now: str = ""
    #: Metres between two stops a rider may be sent walking to change (0: transfers.txt only).
    transit_walk_radius_m: str = f"{DEFAULT_WALK_RADIUS_M:g}"
    assistant_url: str = "http://127.0.0.1:5005"
    assistant_token: str = ""
    #: Days after filing during which the outbox worker polls an open complaint for updates.
    complaint_watch_days: str = "90"

    @classmethod
    def from_sources(
        cls, section: Mapping[str, Any] | None, environ: Mapping[str, str]
    ) -> CityServicesSettings:
        """Defaults, overridden by the YAML section, overridden by ``CITY_*`` variables."""
        values: dict[str, str] = {}
        known = {f.name for f in fields(cls)}
        for key, value in (section or {}).items():
            if key in MOVED:
                raise ValueError(f"'{key}' is now set in the {MOVED[key]}: section, not {SECTION}")
            if key not in known:
                raise ValueError(f"unknown setting '{key}' in {SECTION} (known: {sorted(known)})")
            if value is not None:
                values[key] = str(value)
        for name in known:
            env_value = environ.get(f"CITY_{name.upper()}") or environ.get(UNPREFIXED.get(name, ""))
            if env_value:
                values[name] = env_value
        settings = cls(**values)
        settings.check()
        return settings

    @classmethod
    def load(cls, endpoints_file: Path, environ: Mapping[str, str]) -> CityServicesSettings:
        """Read ``endpoints.yml`` (if present) and the environment."""
        return cls.from_sources(section_of(endpoints_file, SECTION), environ)

    def check(self) -> None:
        """Fail at start-up, with the setting's name, rather than on a resident's turn."""
        urls = (
            "open311_url",
            "permits_url",
            "gtfs_rt_trip_updates_url",
            "gtfs_rt_alerts_url",
            "assistant_url",
        )
        for name in urls:
            value = getattr(self, name)
            if name in OPTIONAL_SERVICES and value.strip().lower() in NO_SERVICE:
                continue
            if not value.startswith(("http://", "https://")):
                raise ValueError(f"{name} must be an http(s) URL, got {value!r}")
        self.pinned_now()
        self.complaint_watch_period()
        self.walk_radius_m()
        self.realtime_max_age_s()

    @property
    def has_permits(self) -> bool:
        """Whether the city has a permit API for the assistant (``permits_url: none``: no)."""
        return self.permits_url.strip().lower() not in NO_SERVICE

    def realtime_max_age_s(self) -> float:
        """``gtfs_rt_max_age_s`` in seconds, from 0 (fetch every time) to 300."""
        return _number_between(
            "gtfs_rt_max_age_s", self.gtfs_rt_max_age_s, MAX_REALTIME_AGE_S, "a number of seconds"
        )

    def complaint_watch_period(self) -> dt.timedelta:
        """``complaint_watch_days`` as a duration (a whole number of days, at least 1)."""
        text = self.complaint_watch_days.strip()
        if not text.isdigit() or int(text) < 1:
            raise ValueError(
                f"complaint_watch_days must be a whole number of days (1 or more), got {text!r}"
            )
        return dt.timedelta(days=int(text))

    def walk_radius_m(self) -> float:
        """``transit_walk_radius_m`` in metres, between 0 and :data:`MAX_WALK_RADIUS_M`."""
        return _number_between(
            "transit_walk_radius_m",
            self.transit_walk_radius_m,
            MAX_WALK_RADIUS_M,
            "a distance in metres",
        )

    def pinned_now(self) -> dt.datetime | None:
        """``transit_now`` as an aware time (naive: city time), or None for the real clock."""
        if not self.transit_now:
            return None
        text = self.transit_now.strip()
        try:
            moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise ValueError(
                f"transit_now must be an ISO 8601 time like 2026-11-24T08:00:00+08:00, got {text!r}"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(self.timezone))
        return moment
