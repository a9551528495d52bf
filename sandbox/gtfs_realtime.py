"""Build the sandbox's GTFS-Realtime feeds (trip updates, service alerts) from injected events.

The sandbox has no trains to track, so its realtime feeds describe what an operator (or a
test) injected through the admin API: "Line 5 is running 8 minutes late", "Line 5 is
suspended between Buji and Huangbeiling, typhoon". Turning those into ``FeedMessage``\\ s
needs the static schedule (which trips of Line 5 are on the way right now, at which stop
sequence each one is) and nothing else, so everything here is a pure function of the
schedule, the injected events and the current time; :mod:`sandbox.transit` does the I/O.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from google.protobuf import json_format
from google.transit import gtfs_realtime_pb2

from sandbox.gtfs_build import WEEKDAYS, Tables, format_time, parse_time

GTFS_RT_VERSION = "2.0"
#: Trips starting within this many seconds are reported too, so a rider asking for the next
#: departures already sees that they will leave late.
UPCOMING_HORIZON_S = 30 * 60
_DAY_S = 24 * 3600
CAUSES = frozenset(gtfs_realtime_pb2.Alert.Cause.keys())
EFFECTS = frozenset(gtfs_realtime_pb2.Alert.Effect.keys())


# --------------------------------------------------------------------------- the schedule


@dataclass(frozen=True)
class ScheduledCall:
    """A trip calling at a stop: the static times a delay is measured against."""

    stop_id: str
    sequence: int
    arrival_s: int
    departure_s: int


@dataclass(frozen=True)
class ScheduledTrip:
    """One trip of the static feed with its calls in stop-sequence order."""

    trip_id: str
    route_id: str
    service_id: str
    direction_id: int | None
    calls: tuple[ScheduledCall, ...]

    @property
    def first_departure_s(self) -> int:
        return self.calls[0].departure_s

    @property
    def last_arrival_s(self) -> int:
        return self.calls[-1].arrival_s


@dataclass(frozen=True)
class ServicePattern:
    """When a service runs: its weekdays between two dates (calendar.txt)."""

    days: frozenset[int]  # 0 = Monday, as dt.date.weekday()
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Schedule:
    """The parts of a static feed the realtime feeds refer to, indexed for lookups."""

    trips: Mapping[str, ScheduledTrip]
    trips_by_route: Mapping[str, tuple[ScheduledTrip, ...]]
    services: Mapping[str, ServicePattern]
    exceptions: Mapping[dt.date, Mapping[str, int]]  # date -> service_id -> exception_type
    stops: Mapping[str, str]  # stop_id -> parent station ("" for none)
    route_stops: Mapping[str, frozenset[str]]  # route_id -> stops it calls at, with parents

    def stop_is_on_route(self, stop_id: str, route_id: str) -> bool:
        return stop_id in self.route_stops.get(route_id, frozenset())


def schedule_from_tables(tables: Tables) -> Schedule:
    """Index the static feed's tables (as built by :mod:`sandbox.gtfs_build`) for realtime use."""
    stops = {row["stop_id"]: row.get("parent_station", "") or "" for row in tables["stops"]}
    calls: dict[str, list[ScheduledCall]] = defaultdict(list)
    for row in tables["stop_times"]:
        calls[row["trip_id"]].append(
            ScheduledCall(
                stop_id=row["stop_id"],
                sequence=int(row["stop_sequence"]),
                arrival_s=parse_time(row["arrival_time"]),
                departure_s=parse_time(row["departure_time"]),
            )
        )
    trips: dict[str, ScheduledTrip] = {}
    by_route: dict[str, list[ScheduledTrip]] = defaultdict(list)
    route_stops: dict[str, set[str]] = defaultdict(set)
    for row in tables["trips"]:
        trip_calls = tuple(sorted(calls.get(row["trip_id"], ()), key=lambda c: c.sequence))
        if not trip_calls:
            continue
        direction = row.get("direction_id", "")
        trip = ScheduledTrip(
            trip_id=row["trip_id"],
            route_id=row["route_id"],
            service_id=row["service_id"],
            direction_id=int(direction) if direction else None,
            calls=trip_calls,
        )
        trips[trip.trip_id] = trip
        by_route[trip.route_id].append(trip)
        for call in trip_calls:
            route_stops[trip.route_id].add(call.stop_id)
            if stops.get(call.stop_id):
                route_stops[trip.route_id].add(stops[call.stop_id])
    services = {
        row["service_id"]: ServicePattern(
            days=frozenset(i for i, day in enumerate(WEEKDAYS) if row[day] == "1"),
            start=_gtfs_date(row["start_date"]),
            end=_gtfs_date(row["end_date"]),
        )
        for row in tables.get("calendar", [])
    }
    exceptions: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for row in tables.get("calendar_dates", []):
        exceptions[_gtfs_date(row["date"])][row["service_id"]] = int(row["exception_type"])
    return Schedule(
        trips=MappingProxyType(trips),
        trips_by_route=MappingProxyType({k: tuple(v) for k, v in by_route.items()}),
        services=MappingProxyType(services),
        exceptions=MappingProxyType({k: MappingProxyType(v) for k, v in exceptions.items()}),
        stops=MappingProxyType(stops),
        route_stops=MappingProxyType({k: frozenset(v) for k, v in route_stops.items()}),
    )


def _gtfs_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y%m%d").date()


def services_on(schedule: Schedule, date: dt.date) -> frozenset[str]:
    """Service ids running on ``date`` (calendar.txt, then calendar_dates.txt exceptions).

    The bundled feed covers one year. So that the demo does not go quiet on the first day
    after it, a date outside every service's period runs the services of its weekday.
    """
    in_period = [s for s in schedule.services.values() if s.start <= date <= s.end]
    running = {
        sid
        for sid, s in schedule.services.items()
        if date.weekday() in s.days and (s.start <= date <= s.end or not in_period)
    }
    for sid, exception_type in schedule.exceptions.get(date, {}).items():
        if exception_type == 1:
            running.add(sid)
        elif exception_type == 2:
            running.discard(sid)
    return frozenset(running)


@dataclass(frozen=True)
class RunningTrip:
    """A trip on a given service day, with the current time on that day's clock."""

    trip: ScheduledTrip
    service_date: dt.date
    now_s: int  # seconds since the service day's midnight; past 86400 for yesterday's trips


def trips_under_way(
    schedule: Schedule,
    route_id: str,
    now: dt.datetime,
    *,
    late_by_s: int = 0,
    horizon_s: int = UPCOMING_HORIZON_S,
) -> list[RunningTrip]:
    """Trips of ``route_id`` running at ``now`` (local time) or leaving within ``horizon_s``.

    A trip that is ``late_by_s`` late is still running after its scheduled arrival. Trips of
    yesterday's service day count too: in GTFS a train after midnight belongs to the
    previous day, with times past 24:00:00.
    """
    today = now.date()
    clock = now.hour * 3600 + now.minute * 60 + now.second
    found: list[RunningTrip] = []
    for service_date, now_s in ((today - dt.timedelta(days=1), clock + _DAY_S), (today, clock)):
        running = services_on(schedule, service_date)
        for trip in schedule.trips_by_route.get(route_id, ()):
            if trip.service_id not in running:
                continue
            if trip.first_departure_s <= now_s + horizon_s and (
                trip.last_arrival_s + max(late_by_s, 0) >= now_s
            ):
                found.append(RunningTrip(trip, service_date, now_s))
    return found


# --------------------------------------------------------------------------- injected events


@dataclass(frozen=True)
class InjectedDelay:
    """'Trains of this route are late by this much' — optionally one trip, from one stop."""

    route_id: str
    delay_seconds: int
    trip_id: str | None = None
    stop_id: str | None = None


@dataclass(frozen=True)
class InjectedAlert:
    """A service alert as stored by the admin API, with its text in Chinese and English."""

    id: int
    route_ids: tuple[str, ...]
    stop_ids: tuple[str, ...]
    cause: str
    effect: str
    header: Mapping[str, str]
    description: Mapping[str, str]
    active_start: dt.datetime
    active_end: dt.datetime | None = None

    def is_over(self, now: dt.datetime) -> bool:
        return self.active_end is not None and self.active_end <= now


# --------------------------------------------------------------------------- feed messages


def new_feed(now: dt.datetime) -> gtfs_realtime_pb2.FeedMessage:
    """An empty full-dataset FeedMessage stamped with ``now``."""
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = GTFS_RT_VERSION
    message.header.incrementality = gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    message.header.timestamp = _epoch(now)
    return message


def build_trip_updates(
    schedule: Schedule, delays: Iterable[InjectedDelay], now: dt.datetime
) -> gtfs_realtime_pb2.FeedMessage:
    """TripUpdates for every trip under way that an injected delay applies to.

    ``now`` is the local time of the feed's agency. Each delay becomes a StopTimeUpdate at
    the stop it names, or at the next stop the train will leave; per GTFS-Realtime the
    delay then carries on to the rest of the trip. When several delays hit the same call,
    the largest wins.
    """
    updates: dict[tuple[str, dt.date], dict[int, tuple[ScheduledCall, int]]] = {}
    under_way: dict[tuple[str, dt.date], RunningTrip] = {}
    for delay in delays:
        for running in trips_under_way(
            schedule, delay.route_id, now, late_by_s=delay.delay_seconds
        ):
            if delay.trip_id and running.trip.trip_id != delay.trip_id:
                continue
            call = _affected_call(schedule, running, delay)
            if call is None:
                continue
            key = (running.trip.trip_id, running.service_date)
            under_way[key] = running
            calls = updates.setdefault(key, {})
            previous = calls.get(call.sequence)
            if previous is None or delay.delay_seconds > previous[1]:
                calls[call.sequence] = (call, delay.delay_seconds)

    message = new_feed(now)
    for key in sorted(updates, key=lambda k: (k[1], k[0])):
        running = under_way[key]
        entity = message.entity.add()
        entity.id = f"tu-{running.trip.trip_id}-{running.service_date:%Y%m%d}"
        _fill_trip_update(
            entity.trip_update, running, [updates[key][seq] for seq in sorted(updates[key])], now
        )
    return message


def _affected_call(
    schedule: Schedule, running: RunningTrip, delay: InjectedDelay
) -> ScheduledCall | None:
    calls = running.trip.calls
    if delay.stop_id:
        for call in calls:
            if delay.stop_id in (call.stop_id, schedule.stops.get(call.stop_id)):
                # A train that has already left the stop is not late there any more.
                return call if call.departure_s + delay.delay_seconds >= running.now_s else None
        return None
    for call in calls:
        if call.departure_s + delay.delay_seconds >= running.now_s:
            return call
    return None


def _fill_trip_update(
    update: Any,
    running: RunningTrip,
    calls: Sequence[tuple[ScheduledCall, int]],
    now: dt.datetime,
) -> None:
    trip = running.trip
    update.trip.trip_id = trip.trip_id
    update.trip.route_id = trip.route_id
    if trip.direction_id is not None:
        update.trip.direction_id = trip.direction_id
    update.trip.start_date = f"{running.service_date:%Y%m%d}"
    update.trip.start_time = format_time(trip.first_departure_s)
    update.trip.schedule_relationship = gtfs_realtime_pb2.TripDescriptor.SCHEDULED
    update.timestamp = _epoch(now)
    update.delay = calls[0][1]
    for call, seconds in calls:
        stu = update.stop_time_update.add()
        stu.stop_sequence = call.sequence
        stu.stop_id = call.stop_id
        stu.arrival.delay = seconds
        stu.departure.delay = seconds
        stu.schedule_relationship = gtfs_realtime_pb2.TripUpdate.StopTimeUpdate.SCHEDULED


def build_alerts(
    alerts: Iterable[InjectedAlert], now: dt.datetime
) -> gtfs_realtime_pb2.FeedMessage:
    """Alerts that are active or still to come, each with both languages' text.

    Alerts naming routes and stops inform each route-at-stop pair ("Line 5 at Buji"), the
    GTFS-Realtime way of saying "these stops of this line"; otherwise each route or stop is
    informed on its own.
    """
    message = new_feed(now)
    for alert in sorted(alerts, key=lambda a: a.id):
        if alert.is_over(now):
            continue
        entity = message.entity.add()
        entity.id = f"alert-{alert.id}"
        body = entity.alert
        period = body.active_period.add()
        period.start = _epoch(alert.active_start)
        if alert.active_end is not None:
            period.end = _epoch(alert.active_end)
        for route_id, stop_id in _informed(alert):
            selector = body.informed_entity.add()
            if route_id:
                selector.route_id = route_id
            if stop_id:
                selector.stop_id = stop_id
        body.cause = gtfs_realtime_pb2.Alert.Cause.Value(alert.cause)
        body.effect = gtfs_realtime_pb2.Alert.Effect.Value(alert.effect)
        _translate(body.header_text, alert.header)
        _translate(body.description_text, alert.description)
    return message


def _informed(alert: InjectedAlert) -> list[tuple[str, str]]:
    if alert.route_ids and alert.stop_ids:
        return [(r, s) for r in alert.route_ids for s in alert.stop_ids]
    return [(r, "") for r in alert.route_ids] + [("", s) for s in alert.stop_ids]


def _translate(target: Any, texts: Mapping[str, str]) -> None:
    for language, text in texts.items():
        if text:
            translation = target.translation.add()
            translation.text = text
            translation.language = language


def feed_as_json(message: gtfs_realtime_pb2.FeedMessage) -> dict[str, Any]:
    """The protobuf as JSON with the .proto field names, for people debugging a feed."""
    result: dict[str, Any] = json_format.MessageToDict(message, preserving_proto_field_name=True)
    return result


def _epoch(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("refusing a naive datetime: realtime feeds carry POSIX time")
    return int(moment.timestamp())
