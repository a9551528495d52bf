"""Client for the city's live transit feeds (GTFS-Realtime trip updates and service alerts).

The assistant reads these when a resident asks about a line or a departure, to add "running
8 minutes late" or "Line 5 is suspended between Buji and Huangbeiling" to the timetable
answer. Feeds are protobuf ``FeedMessage``\\ s (version 1.0 or 2.0); this module turns them
into small typed records and keeps the protobuf types inside. A feed that cannot be read is
reported as :class:`ServiceUnavailable`, like an outage: the timetable answer still stands,
only the live part is missing.

A feed read serves every question for ``gtfs_rt_max_age_s`` (10 s by default): a
GTFS-Realtime feed is a snapshot its producer refreshes every 10–30 s, so fetching and
parsing it again for each resident's question (as this client did until 2026-12-05) gave
the same answer at the cost of an HTTP round trip and a protobuf parse per question, and
multiplied the city's feed traffic by the number of residents asking. A failed read is
never kept: the next question tries again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from google.protobuf.message import DecodeError
from google.transit import gtfs_realtime_pb2

from actions.clients import http
from actions.clients.errors import NotConfigured, NotFound, Rejected, ServiceUnavailable
from actions.settings import NO_SERVICE, CityServicesSettings

SERVICE = "gtfs-realtime"
SUPPORTED_VERSIONS = ("1.0", "2.0")
_Alert = gtfs_realtime_pb2.Alert
_StopTimeUpdate = gtfs_realtime_pb2.TripUpdate.StopTimeUpdate


@dataclass(frozen=True)
class InformedEntity:
    """What an alert is about; empty fields mean "any" (route L5 at stop buji, or all of L5)."""

    route_id: str = ""
    stop_id: str = ""
    trip_id: str = ""


@dataclass(frozen=True)
class ActivePeriod:
    """When an alert applies; an open end is None."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None

    def contains(self, moment: dt.datetime) -> bool:
        return (self.start is None or self.start <= moment) and (
            self.end is None or moment < self.end
        )


@dataclass(frozen=True)
class ServiceAlert:
    """A disruption notice, with its text per language code (lower-cased; "" if unspecified)."""

    alert_id: str
    cause: str
    effect: str
    header: Mapping[str, str]
    description: Mapping[str, str]
    informed: tuple[InformedEntity, ...]
    active_periods: tuple[ActivePeriod, ...] = ()

    @property
    def route_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.route_id for e in self.informed if e.route_id))

    @property
    def stop_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.stop_id for e in self.informed if e.stop_id))

    def is_active(self, moment: dt.datetime) -> bool:
        """Active at ``moment``; an alert without periods is active as long as it is published."""
        return not self.active_periods or any(p.contains(moment) for p in self.active_periods)

    def affects(self, *, route_id: str = "", stop_ids: tuple[str, ...] = ()) -> bool:
        """Whether the alert concerns this route, these stops (a station and its platforms).

        An entity naming only a route concerns every stop of it, and one naming only a stop
        concerns every route there.
        """
        for entity in self.informed:
            route_ok = not entity.route_id or not route_id or entity.route_id == route_id
            stop_ok = not entity.stop_id or not stop_ids or entity.stop_id in stop_ids
            if route_ok and stop_ok and (entity.route_id or entity.stop_id):
                return True
        return False

    def header_in(self, language: str) -> str:
        return _text_in(self.header, language)

    def description_in(self, language: str) -> str:
        return _text_in(self.description, language)


@dataclass(frozen=True)
class TripDelay:
    """A trip running late (or early, negative) from a stop on; ``stop_id`` None: the whole trip.

    Per GTFS-Realtime the delay carries on to the trip's later stops until another update.
    """

    trip_id: str
    route_id: str
    delay_seconds: int
    stop_id: str | None = None
    stop_sequence: int | None = None
    start_date: str = ""


def delay_at(
    delays: Iterable[TripDelay], trip_id: str, stop_sequence: int | None = None
) -> int | None:
    """How late a trip is at a stop, by the GTFS-Realtime rule that a delay carries forward.

    The update at the nearest stop at or before ``stop_sequence`` applies (without a
    sequence: the trip's first update, i.e. how late it is now). Failing that, an update
    that cannot be placed on the trip (whole-trip, or a stop without a sequence) applies.
    None means nothing is known, which is not the same as on time.
    """
    own = [d for d in delays if d.trip_id == trip_id]
    placed = sorted(
        (d for d in own if d.stop_sequence is not None), key=lambda d: d.stop_sequence or 0
    )
    unplaced = next((d.delay_seconds for d in own if d.stop_sequence is None), None)
    if stop_sequence is not None:
        placed = [d for d in placed if (d.stop_sequence or 0) <= stop_sequence]
        return placed[-1].delay_seconds if placed else unplaced
    return placed[0].delay_seconds if placed else unplaced


def _text_in(texts: Mapping[str, str], language: str) -> str:
    wanted = language.lower()
    if wanted in texts:
        return texts[wanted]
    primary = wanted.split("-")[0]
    for code, text in texts.items():
        if code.split("-")[0] == primary:
            return text
    return texts.get("", next(iter(texts.values()), ""))


# --------------------------------------------------------------------------- parsing


def parse_feed_message(data: bytes, what: str) -> Any:
    """A checked ``FeedMessage``; anything else is ServiceUnavailable naming ``what``."""
    message = gtfs_realtime_pb2.FeedMessage()
    try:
        message.ParseFromString(data)
    except (DecodeError, ValueError, RuntimeError):
        raise ServiceUnavailable(
            SERVICE, f"the {what} feed is not GTFS-Realtime protobuf"
        ) from None
    if not message.HasField("header") or not message.IsInitialized():
        raise ServiceUnavailable(SERVICE, f"the {what} feed has no valid FeedMessage header")
    version = message.header.gtfs_realtime_version
    if version not in SUPPORTED_VERSIONS:
        raise ServiceUnavailable(SERVICE, f"the {what} feed is GTFS-Realtime {version!r}")
    return message


def parse_trip_delays(data: bytes) -> tuple[TripDelay, ...]:
    """Delays from a TripUpdates feed, one per StopTimeUpdate that gives a delay.

    Updates that give only absolute times (no delay), skipped stops and stops without data
    are left out: without the timetable at hand they say nothing about lateness.
    """
    message = parse_feed_message(data, "trip updates")
    delays: list[TripDelay] = []
    for entity in message.entity:
        if entity.is_deleted or not entity.HasField("trip_update"):
            continue
        update = entity.trip_update
        trip = update.trip
        found = False
        for stu in update.stop_time_update:
            if stu.schedule_relationship != _StopTimeUpdate.SCHEDULED:
                continue
            event = _event_with_delay(stu)
            if event is None:
                continue
            delays.append(
                TripDelay(
                    trip_id=trip.trip_id,
                    route_id=trip.route_id,
                    delay_seconds=int(event.delay),
                    stop_id=stu.stop_id or None,
                    stop_sequence=stu.stop_sequence if stu.HasField("stop_sequence") else None,
                    start_date=trip.start_date,
                )
            )
            found = True
        if not found and update.HasField("delay"):
            delays.append(
                TripDelay(
                    trip_id=trip.trip_id,
                    route_id=trip.route_id,
                    delay_seconds=int(update.delay),
                    start_date=trip.start_date,
                )
            )
    return tuple(delays)


def _event_with_delay(stu: Any) -> Any:
    for name in ("departure", "arrival"):
        if stu.HasField(name) and getattr(stu, name).HasField("delay"):
            return getattr(stu, name)
    return None


def parse_alerts(data: bytes) -> tuple[ServiceAlert, ...]:
    """Service alerts from an Alerts feed, with enums as their names ("WEATHER", "NO_SERVICE")."""
    message = parse_feed_message(data, "alerts")
    alerts: list[ServiceAlert] = []
    for entity in message.entity:
        if entity.is_deleted or not entity.HasField("alert"):
            continue
        alert = entity.alert
        alerts.append(
            ServiceAlert(
                alert_id=entity.id,
                cause=_enum_name(_Alert.Cause, alert.cause, "UNKNOWN_CAUSE"),
                effect=_enum_name(_Alert.Effect, alert.effect, "UNKNOWN_EFFECT"),
                header=_translations(alert.header_text),
                description=_translations(alert.description_text),
                informed=tuple(
                    InformedEntity(
                        route_id=e.route_id,
                        stop_id=e.stop_id,
                        trip_id=e.trip.trip_id if e.HasField("trip") else "",
                    )
                    for e in alert.informed_entity
                ),
                active_periods=tuple(
                    ActivePeriod(
                        start=_moment(p.start) if p.HasField("start") else None,
                        end=_moment(p.end) if p.HasField("end") else None,
                    )
                    for p in alert.active_period
                ),
            )
        )
    return tuple(alerts)


def _enum_name(enum: Any, value: int, default: str) -> str:
    try:
        return str(enum.Name(value))
    except ValueError:
        return default  # a value added to the spec after these bindings


def _translations(text: Any) -> dict[str, str]:
    return {t.language.lower(): t.text for t in text.translation if t.text}


def _moment(posix: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(posix, dt.timezone.utc)


# --------------------------------------------------------------------------- the client


class GtfsRealtimeClient:
    """Reads the city's trip-updates and alerts feeds (idempotent GETs, retried)."""

    def __init__(
        self,
        settings: CityServicesSettings,
        *,
        client: httpx.AsyncClient | None = None,
        policy: http.TransportPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._trip_updates_url = settings.gtfs_rt_trip_updates_url
        self._alerts_url = settings.gtfs_rt_alerts_url
        self._client = client
        self._policy = policy or http.TransportPolicy()
        self._max_age_s = settings.realtime_max_age_s()
        self._clock = clock
        #: url → (when it was read, by the clock; what it said, parsed)
        self._kept: dict[str, tuple[float, Any]] = {}

    async def trip_delays(self) -> tuple[TripDelay, ...]:
        """Every delay the trip-updates feed reports now (as of at most ``max_age`` ago)."""
        delays: tuple[TripDelay, ...] = await self._read(self._trip_updates_url, parse_trip_delays)
        return delays

    async def alerts(self) -> tuple[ServiceAlert, ...]:
        """Every alert the alerts feed publishes now (check ``is_active`` for the moment)."""
        alerts: tuple[ServiceAlert, ...] = await self._read(self._alerts_url, parse_alerts)
        return alerts

    async def _read(self, url: str, parse: Callable[[bytes], Any]) -> Any:
        """The feed at ``url`` parsed, from a read younger than ``max_age`` if there is one."""
        kept = self._kept.get(url)
        if kept is not None and self._clock() - kept[0] < self._max_age_s:
            return kept[1]
        read_at = self._clock()
        parsed = parse(await self._fetch(url))
        if self._max_age_s > 0:
            self._kept[url] = (read_at, parsed)
        return parsed

    async def _fetch(self, url: str) -> bytes:
        if url.strip().lower() in NO_SERVICE:
            # A city that publishes no live feed: the timetable alone, asked of nobody.
            raise NotConfigured(SERVICE, "the city publishes no GTFS-Realtime feed (none)")
        # A feed answering 404 or 403 is as unusable as one that is down, and the caller's
        # answer is the same (timetable only); the message says which setting to check.
        try:
            response = await http.get(
                SERVICE,
                url,
                headers={"Accept": "application/x-protobuf"},
                policy=self._policy,
                client=self._client,
            )
        except (NotFound, Rejected) as error:
            raise ServiceUnavailable(
                SERVICE,
                f"{url} refused the request ({error.message}); check the gtfs_rt_* settings",
            ) from error
        return response.content
