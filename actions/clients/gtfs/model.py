"""The parts of a GTFS feed the assistant uses, as immutable, typed records.

A :class:`TransitFeed` is loaded once at start-up and then shared by every conversation, so
nothing in it can change after loading: records are frozen, tables are read-only mappings.
Times of day are seconds after the service day's midnight and go past 86 400 for trips after
midnight, as in GTFS (``25:10:00``). Names carry their translations per language, so the
transit journey can answer in the resident's language whatever the feed's own language is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from actions.clients.gtfs.names import pick_name

#: Text per language code, lower-cased ("zh", "en", "zh-hk"); "" is "the feed's own language"
#: when the feed does not say which one that is.
Names = Mapping[str, str]


@dataclass(frozen=True)
class Agency:
    """An operator; its time zone is the clock of every stop time."""

    agency_id: str
    name: str
    url: str
    timezone: str
    lang: str = ""
    #: agency_phone: where riders ask what the timetable does not say (concessions…).
    phone: str = ""


@dataclass(frozen=True)
class Stop:
    """A stop, platform or station (``location_type`` 0 or 1) with its names per language."""

    stop_id: str
    name: str
    lat: float | None
    lon: float | None
    zone_id: str = ""
    location_type: int = 0
    parent_station: str = ""
    names: Names = field(default_factory=dict)
    #: What the platform's sign says ("SB", "3"): told to a rider who asks where to board.
    platform_code: str = ""

    def name_in(self, language: str) -> str:
        return pick_name(self.names, language, self.name)

    @property
    def is_station(self) -> bool:
        return self.location_type == 1


@dataclass(frozen=True)
class Route:
    """A line; ``names`` translate the long name, or the short one when there is no long name."""

    route_id: str
    agency_id: str
    short_name: str
    long_name: str
    route_type: int
    color: str = ""
    text_color: str = ""
    sort_order: int | None = None
    names: Names = field(default_factory=dict)

    def name_in(self, language: str) -> str:
        return pick_name(self.names, language, self.long_name or self.short_name)


@dataclass(frozen=True)
class Trip:
    """One journey of a vehicle along a route on the days of one service."""

    trip_id: str
    route_id: str
    service_id: str
    headsign: str = ""
    direction_id: int | None = None


class StopTime(NamedTuple):
    """A trip calling at a stop. A tuple, not a dataclass: big feeds have 100 000s of them."""

    stop_id: str
    arrival_s: int
    departure_s: int
    sequence: int
    #: pickup_type / drop_off_type 1: riders may not board / get off here ("drop-off only"
    #: stops of commuter buses in town; 2 and 3, arranged with the agency or driver, may).
    pickup: bool = True
    drop_off: bool = True


@dataclass(frozen=True)
class Frequency:
    """A trip repeated every ``headway_s`` from ``start_s`` until (not including) ``end_s``."""

    start_s: int
    end_s: int
    headway_s: int
    exact_times: bool = False


@dataclass(frozen=True)
class ServiceCalendar:
    """The weekdays (0 = Monday) a service runs between two dates, both included."""

    service_id: str
    days: frozenset[int]
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Transfer:
    """A rule for changing between two stops (transfers.txt)."""

    from_stop_id: str
    to_stop_id: str
    transfer_type: int
    min_transfer_s: int | None = None


@dataclass(frozen=True)
class FareAttribute:
    """A price (fare_attributes.txt); ``transfers`` None means unlimited."""

    fare_id: str
    price: Decimal
    currency: str
    payment_method: int
    transfers: int | None
    agency_id: str = ""
    transfer_duration_s: int | None = None


@dataclass(frozen=True)
class FareRule:
    """When a fare applies (fare_rules.txt); an empty field matches anything."""

    fare_id: str
    route_id: str = ""
    origin_id: str = ""
    destination_id: str = ""
    contains_id: str = ""


@dataclass(frozen=True)
class FeedInfo:
    """Who publishes the feed, in which language, and for which dates."""

    publisher_name: str
    publisher_url: str
    lang: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    version: str = ""


@dataclass(frozen=True)
class FeedReport:
    """What loading found wrong with the feed and did about it, for the logs and /health.

    A city's feed is published by someone else and a few bad rows are common; they are
    repaired or dropped rather than making the whole timetable unusable, and said here.
    """

    #: Trips whose after-midnight times were written as 00:xx and got 24 h added.
    repaired_trips: int = 0
    #: Trips left out: times running backwards, no time at an end, unknown route or service.
    dropped_trips: int = 0
    #: stop_times rows left out (an unknown stop or trip), besides those of dropped trips.
    dropped_rows: int = 0
    #: One line per finding, for people.
    warnings: tuple[str, ...] = ()
    #: The first and last day any service runs (calendar.txt and calendar_dates.txt).
    service_start: dt.date | None = None
    service_end: dt.date | None = None


@dataclass(frozen=True)
class TransitFeed:
    """A whole GTFS feed, indexed for the questions residents ask about it."""

    agencies: Mapping[str, Agency]
    stops: Mapping[str, Stop]
    routes: Mapping[str, Route]
    trips: Mapping[str, Trip]
    #: Per trip, its calls in stop-sequence order.
    stop_times: Mapping[str, tuple[StopTime, ...]]
    frequencies: Mapping[str, tuple[Frequency, ...]]
    calendars: Mapping[str, ServiceCalendar]
    #: date -> service_id -> exception_type (1 added, 2 removed)
    calendar_dates: Mapping[dt.date, Mapping[str, int]]
    transfers: tuple[Transfer, ...]
    fare_attributes: Mapping[str, FareAttribute]
    fare_rules: tuple[FareRule, ...]
    feed_info: FeedInfo | None
    #: The agencies' time zone: the clock of every time in the feed.
    timezone: str
    #: The language the feed's own text is written in ("" when it does not say).
    language: str
    #: (table, field, field_value) -> translations, the current translations.txt form.
    translations_by_value: Mapping[tuple[str, str, str], Names]
    #: (table, field, record_id, record_sub_id) -> translations.
    translations_by_record: Mapping[tuple[str, str, str, str], Names]
    #: stop_id -> (trip_id, index into stop_times[trip_id]) for every call there.
    calls_at: Mapping[str, tuple[tuple[str, int], ...]]
    #: stop_id (stations included, through their platforms) -> routes calling there.
    route_ids_at: Mapping[str, frozenset[str]]
    #: station stop_id -> its platforms' stop_ids.
    children: Mapping[str, tuple[str, ...]]
    #: casefolded name, in any language -> stations (or lone stops) with that name.
    stops_by_name: Mapping[str, tuple[str, ...]]
    #: :func:`~actions.clients.gtfs.names.normalise_name` of a name -> the same.
    stops_by_key: Mapping[str, tuple[str, ...]]
    #: stop_id -> (stop_id, seconds) walks to nearby stops of other stations, derived from
    #: coordinates (:mod:`~actions.clients.gtfs.footpaths`); transfers.txt overrides them.
    footpaths: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    #: What loading repaired, dropped and warns about.
    report: FeedReport = field(default_factory=FeedReport)

    def translate(
        self, table: str, field: str, value: str, record_id: str = "", record_sub_id: str = ""
    ) -> dict[str, str]:
        """``value`` of ``table.field`` in every language the feed has, its own included."""
        names: dict[str, str] = {self.language: value} if value else {}
        names.update(self.translations_by_value.get((table, field, value), {}))
        if record_id:
            key = (table, field, record_id, record_sub_id)
            names.update(self.translations_by_record.get(key, {}))
        return names

    def headsign_names(self, trip: Trip) -> dict[str, str]:
        """Where a trip is going, per language; the last stop's name when it has no headsign."""
        if trip.headsign:
            return self.translate("trips", "trip_headsign", trip.headsign, trip.trip_id)
        calls = self.stop_times.get(trip.trip_id, ())
        if not calls or calls[-1].stop_id not in self.stops:
            return {}
        # The station, not its platform: "Government Center", not "… - to Bowdoin".
        return dict(self.station_of(calls[-1].stop_id).names)

    def station_of(self, stop_id: str) -> Stop:
        """The station a platform belongs to, or the stop itself."""
        stop = self.stops[stop_id]
        return self.stops.get(stop.parent_station, stop)
