"""Turn the files of a GTFS feed into a :class:`TransitFeed`, or say clearly why not.

Feeds in the wild are untidy, so reading is lenient where the meaning is still clear: a
UTF-8 byte-order mark, extra or reordered columns, quoted fields, short rows, blank lines,
``6:00:00`` without its leading zero, times past ``24:00:00``, optional files missing, blank
times at intermediate stops (interpolated, as the spec allows). It is strict where guessing
would give residents wrong answers: a missing required file or column, or a reference to a
trip, stop, route, service or fare that does not exist, raises :class:`GtfsError` naming the
file, the line and the value. Rows that only reference something missing, and trips whose
times run backwards, are dropped instead and reported (:mod:`.validation`), unless most
rows of a file are bad.

The functions here take the files' bytes and do no I/O; :mod:`.loading` fetches them and
:mod:`.tables` reads the CSV.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType
from zoneinfo import ZoneInfo

from actions.clients.gtfs.footpaths import DEFAULT_WALK_RADIUS_M, derive_footpaths
from actions.clients.gtfs.grouping import group_places
from actions.clients.gtfs.model import (
    Agency,
    FareAttribute,
    FareRule,
    FeedInfo,
    Frequency,
    Route,
    ServiceCalendar,
    Stop,
    StopTime,
    Transfer,
    TransitFeed,
    Trip,
)
from actions.clients.gtfs.names import normalise_name
from actions.clients.gtfs.tables import (
    CsvTable,
    GtfsError,
    build_rows,
    optional_float,
    optional_int,
    parse_gtfs_date,
    parse_gtfs_time,
    parse_table,
)
from actions.clients.gtfs.validation import Findings, TimeOrder, refuse_if_most, unwrap_midnight

logger = logging.getLogger(__name__)

REQUIRED_FILES = ("agency", "stops", "routes", "trips", "stop_times")
#: Files read; others (shapes.txt, often the biggest, a README) are skipped unparsed.
USED_FILES = frozenset(
    {
        *REQUIRED_FILES,
        "calendar",
        "calendar_dates",
        "fare_attributes",
        "fare_rules",
        "frequencies",
        "transfers",
        "translations",
        "feed_info",
    }
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# --------------------------------------------------------------------------- the feed


def parse_feed(
    files: Mapping[str, bytes],
    *,
    walk_radius_m: float = DEFAULT_WALK_RADIUS_M,
    today: dt.date | None = None,
) -> TransitFeed:
    """A feed from its files' bytes, keyed by file name (``"stops.txt"``); others are ignored.

    ``walk_radius_m`` is how far apart two stops may be for a rider to walk between them
    (the city's ``transit_walk_radius_m`` setting; 0: only transfers.txt connects stations).
    ``today`` (default: the date now in the feed's time zone) is what the service dates
    are checked against.
    """
    tables = {
        name.removesuffix(".txt"): parse_table(name.removesuffix(".txt"), data)
        for name, data in files.items()
        if name.removesuffix(".txt") in USED_FILES
    }
    missing = [f"{name}.txt" for name in REQUIRED_FILES if name not in tables]
    if "calendar" not in tables and "calendar_dates" not in tables:
        missing.append("calendar.txt or calendar_dates.txt")
    if missing:
        raise GtfsError(f"the feed has no {', '.join(missing)}")
    empty = CsvTable("", {}, ())

    agencies = _agencies(tables["agency"])
    feed_info = _feed_info(tables.get("feed_info", empty))
    language = (feed_info.lang if feed_info else "") or next(
        (a.lang for a in agencies.values() if a.lang), ""
    )
    translations_by_value, translations_by_record = _translations(tables.get("translations", empty))
    calendars = _calendars(tables.get("calendar", empty))
    calendar_dates = _calendar_dates(tables.get("calendar_dates", empty))
    services = set(calendars) | {s for by_date in calendar_dates.values() for s in by_date}

    findings = Findings()
    stops = group_places(
        _stops(tables["stops"], language, translations_by_value, translations_by_record, findings)
    )
    routes = _routes(tables["routes"], agencies, language, translations_by_value)
    all_trips = _trips(tables["trips"], routes, services, findings)
    stop_times = _stop_times(tables["stop_times"], all_trips, stops, findings)
    trips = _without(all_trips, findings.dropped())
    frequencies = _frequencies(tables.get("frequencies", empty), trips, findings.dropped())
    fare_attributes = _fare_attributes(tables.get("fare_attributes", empty))
    fare_rules = _fare_rules(tables.get("fare_rules", empty), fare_attributes, routes)
    transfers = _transfers(tables.get("transfers", empty), stops)
    calls_at, route_ids_at, children = _indexes(stops, trips, stop_times)
    stops_by_name, stops_by_key = _name_indexes(stops)
    footpaths = derive_footpaths(stops, tuple(calls_at), walk_radius_m)
    timezone = next(iter(agencies.values())).timezone
    report = findings.report(calendars, calendar_dates, today or _today_in(timezone))
    for warning in report.warnings:
        logger.warning("GTFS feed: %s", warning)

    return TransitFeed(
        agencies=agencies,
        stops=stops,
        routes=routes,
        trips=trips,
        stop_times=stop_times,
        frequencies=frequencies,
        calendars=calendars,
        calendar_dates=calendar_dates,
        transfers=transfers,
        fare_attributes=fare_attributes,
        fare_rules=fare_rules,
        feed_info=feed_info,
        timezone=timezone,
        language=language,
        translations_by_value=translations_by_value,
        translations_by_record=translations_by_record,
        calls_at=calls_at,
        route_ids_at=route_ids_at,
        children=children,
        stops_by_name=stops_by_name,
        stops_by_key=stops_by_key,
        footpaths=footpaths,
        report=report,
    )


def _today_in(timezone: str) -> dt.date:
    try:
        return dt.datetime.now(ZoneInfo(timezone)).date()
    except (ValueError, LookupError):  # an unknown zone name: the check is only a warning
        return dt.date.today()


def _agencies(table: CsvTable) -> Mapping[str, Agency]:
    table.require("agency_name", "agency_url", "agency_timezone")
    get_id, name, url, zone, lang, phone = (
        table.getter(c)
        for c in (
            "agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang",
            "agency_phone",
        )
    )  # fmt: skip
    agencies = build_rows(
        table,
        lambda r: Agency(get_id(r), name(r), url(r), zone(r), lang(r).lower(), phone(r).strip()),
    )
    if not agencies:
        raise GtfsError("agency.txt has no agency")
    if len({a.timezone for a in agencies}) > 1:
        raise GtfsError("agency.txt: every agency of a feed must have the same agency_timezone")
    return MappingProxyType({a.agency_id: a for a in agencies})


def _feed_info(table: CsvTable) -> FeedInfo | None:
    if not table.rows:
        return None
    table.require("feed_publisher_name", "feed_publisher_url", "feed_lang")
    get = table.getter

    def build(row: list[str]) -> FeedInfo:
        start, end = get("feed_start_date")(row), get("feed_end_date")(row)
        return FeedInfo(
            publisher_name=get("feed_publisher_name")(row),
            publisher_url=get("feed_publisher_url")(row),
            lang=get("feed_lang")(row).lower(),
            start_date=parse_gtfs_date(start) if start else None,
            end_date=parse_gtfs_date(end) if end else None,
            version=get("feed_version")(row),
        )

    return build_rows(table, build)[0]


def _translations(
    table: CsvTable,
) -> tuple[
    Mapping[tuple[str, str, str], Mapping[str, str]],
    Mapping[tuple[str, str, str, str], Mapping[str, str]],
]:
    by_value: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    by_record: dict[tuple[str, str, str, str], dict[str, str]] = defaultdict(dict)
    if table.rows and "trans_id" in table.columns and "table_name" not in table.columns:
        return _legacy_translations(table)
    if table.rows:
        table.require("table_name", "field_name", "language", "translation")
    get_table, get_field, get_lang, get_text, get_record, get_sub, get_value = (
        table.getter(c)
        for c in (
            "table_name",
            "field_name",
            "language",
            "translation",
            "record_id",
            "record_sub_id",
            "field_value",
        )
    )
    for row in table.rows:
        table_name, field_name = get_table(row), get_field(row)
        language, text = get_lang(row).lower(), get_text(row)
        if get_record(row):
            by_record[table_name, field_name, get_record(row), get_sub(row)][language] = text
        elif get_value(row):
            by_value[table_name, field_name, get_value(row)][language] = text
    return (
        MappingProxyType({k: MappingProxyType(v) for k, v in by_value.items()}),
        MappingProxyType({k: MappingProxyType(v) for k, v in by_record.items()}),
    )


#: Fields the older Japanese translations.txt (GTFS-JP before 2019) translates: that form
#: gives each translated text once (``trans_id``), whichever field it appears in.
_LEGACY_TRANSLATED = (
    ("stops", "stop_name"),
    ("routes", "route_long_name"),
    ("routes", "route_short_name"),
    ("trips", "trip_headsign"),
    ("agency", "agency_name"),
)


def _legacy_translations(
    table: CsvTable,
) -> tuple[
    Mapping[tuple[str, str, str], Mapping[str, str]],
    Mapping[tuple[str, str, str, str], Mapping[str, str]],
]:
    """``trans_id,lang,translation`` (GTFS-JP 1.x): translations by the text they translate.

    Japanese operators still publish this form; reading it keeps their English names
    instead of refusing the feed. ``ja-Hrkt`` (the kana reading) is kept like any language.
    """
    table.require("trans_id", "lang", "translation")
    get_id, get_lang, get_text = (table.getter(c) for c in ("trans_id", "lang", "translation"))
    by_value: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for row in table.rows:
        original, language, text = get_id(row), get_lang(row).lower(), get_text(row)
        if original and text:
            for table_name, field_name in _LEGACY_TRANSLATED:
                by_value[table_name, field_name, original][language] = text
    return MappingProxyType({k: MappingProxyType(v) for k, v in by_value.items()}), (
        MappingProxyType({})
    )


def _calendars(table: CsvTable) -> Mapping[str, ServiceCalendar]:
    if not table.rows:
        return MappingProxyType({})
    table.require("service_id", *WEEKDAYS, "start_date", "end_date")
    get = table.getter
    days = [(i, get(day)) for i, day in enumerate(WEEKDAYS)]
    sid, start, end = get("service_id"), get("start_date"), get("end_date")
    calendars = build_rows(
        table,
        lambda r: ServiceCalendar(
            service_id=sid(r),
            days=frozenset(i for i, day in days if day(r) == "1"),
            start=parse_gtfs_date(start(r)),
            end=parse_gtfs_date(end(r)),
        ),
    )
    return MappingProxyType({c.service_id: c for c in calendars})


def _calendar_dates(table: CsvTable) -> Mapping[dt.date, Mapping[str, int]]:
    if not table.rows:
        return MappingProxyType({})
    table.require("service_id", "date", "exception_type")
    sid, date, kind = (table.getter(c) for c in ("service_id", "date", "exception_type"))
    by_date: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for service_id, day, exception_type in build_rows(
        table, lambda r: (sid(r), parse_gtfs_date(date(r)), int(kind(r)))
    ):
        by_date[day][service_id] = exception_type
    return MappingProxyType({d: MappingProxyType(s) for d, s in by_date.items()})


def _stops(
    table: CsvTable,
    language: str,
    by_value: Mapping[tuple[str, str, str], Mapping[str, str]],
    by_record: Mapping[tuple[str, str, str, str], Mapping[str, str]],
    findings: Findings,
) -> Mapping[str, Stop]:
    table.require("stop_id")
    get = table.getter
    sid, name, lat, lon, zone, kind, parent, platform = (
        get(c)
        for c in (
            "stop_id",
            "stop_name",
            "stop_lat",
            "stop_lon",
            "zone_id",
            "location_type",
            "parent_station",
            "platform_code",
        )
    )

    def build(row: list[str]) -> Stop:
        stop_id, stop_name = sid(row), name(row)
        names = {language: stop_name} if stop_name else {}
        names.update(by_value.get(("stops", "stop_name", stop_name), {}))
        names.update(by_record.get(("stops", "stop_name", stop_id, ""), {}))
        return Stop(
            stop_id=stop_id,
            name=stop_name,
            lat=optional_float(lat(row)),
            lon=optional_float(lon(row)),
            zone_id=zone(row),
            location_type=optional_int(kind(row), 0) or 0,
            parent_station=parent(row),
            names=MappingProxyType(names),
            platform_code=platform(row).strip(),
        )

    stops = {s.stop_id: s for s in build_rows(table, build)}
    for stop_id, stop in list(stops.items()):
        if stop.parent_station and stop.parent_station not in stops:
            # A feed cut from a bigger one keeps its platforms' parent ids but not the
            # stations (the VBB extract in gtfstools): the platforms are kept as lone
            # stops, which group_places puts back together by name and distance.
            findings.orphan_stops.append(stop_id)
            stops[stop_id] = replace(stop, parent_station="")
    return MappingProxyType(stops)


def _routes(
    table: CsvTable,
    agencies: Mapping[str, Agency],
    language: str,
    by_value: Mapping[tuple[str, str, str], Mapping[str, str]],
) -> Mapping[str, Route]:
    table.require("route_id", "route_type")
    get = table.getter
    rid, aid, short, long_, kind, colour, text_colour, order = (
        get(c)
        for c in (
            "route_id",
            "agency_id",
            "route_short_name",
            "route_long_name",
            "route_type",
            "route_color",
            "route_text_color",
            "route_sort_order",
        )
    )
    only_agency = next(iter(agencies)) if len(agencies) == 1 else ""

    def build(row: list[str]) -> Route:
        agency_id = aid(row) or only_agency
        if agency_id not in agencies:
            raise ValueError(f"agency_id {agency_id!r} is not in agency.txt")
        short_name, long_name = short(row), long_(row)
        field, shown = (
            ("route_long_name", long_name) if long_name else ("route_short_name", short_name)
        )
        names = {language: shown} if shown else {}
        names.update(by_value.get(("routes", field, shown), {}))
        return Route(
            route_id=rid(row),
            agency_id=agency_id,
            short_name=short_name,
            long_name=long_name,
            route_type=int(kind(row)),
            color=colour(row),
            text_color=text_colour(row),
            sort_order=optional_int(order(row)),
            names=MappingProxyType(names),
        )

    return MappingProxyType({r.route_id: r for r in build_rows(table, build)})


def _trips(
    table: CsvTable, routes: Mapping[str, Route], services: set[str], findings: Findings
) -> Mapping[str, Trip]:
    """Every trip of trips.txt; those naming an unknown route or service go to ``findings``."""
    table.require("route_id", "service_id", "trip_id")
    rid, sid, tid, headsign, direction = (
        table.getter(c)
        for c in ("route_id", "service_id", "trip_id", "trip_headsign", "direction_id")
    )
    trips = build_rows(
        table,
        lambda r: Trip(tid(r), rid(r), sid(r), headsign(r), optional_int(direction(r))),
    )
    problems = []
    for line, trip in enumerate(trips, start=2):
        if trip.route_id not in routes:
            problem = f"route_id {trip.route_id!r} is not in routes.txt"
        elif trip.service_id not in services:
            problem = (
                f"service_id {trip.service_id!r} is in neither calendar.txt nor calendar_dates.txt"
            )
        else:
            continue
        problems.append(f"trips.txt line {line}: trip {trip.trip_id!r}: {problem}")
        findings.dropped_trips[trip.trip_id] = problem
    refuse_if_most("trips.txt", len(trips), problems)
    return MappingProxyType({t.trip_id: t for t in trips})


def _without(trips: Mapping[str, Trip], dropped: set[str]) -> Mapping[str, Trip]:
    if not dropped:
        return trips
    return MappingProxyType({k: t for k, t in trips.items() if k not in dropped})


def _stop_times(
    table: CsvTable, trips: Mapping[str, Trip], stops: Mapping[str, Stop], findings: Findings
) -> Mapping[str, tuple[StopTime, ...]]:
    """Calls grouped per trip in sequence order; the hot loop of loading, kept plain.

    Rows of trips already dropped are skipped; rows naming an unknown trip or stop are
    dropped, and trips whose times cannot be put in order are left out (``findings``).
    """
    table.require("trip_id", "stop_id", "stop_sequence")
    if "arrival_time" not in table.columns and "departure_time" not in table.columns:
        table.require("arrival_time", "departure_time")
    tid, sid, seq, arr, dep, pick, drop = (
        table.getter(c)
        for c in (
            "trip_id",
            "stop_id",
            "stop_sequence",
            "arrival_time",
            "departure_time",
            "pickup_type",
            "drop_off_type",
        )
    )
    grouped: dict[str, list[_Call]] = defaultdict(list)
    dropped_trips = findings.dropped_trips
    problems = findings.dropped_rows
    counted = 0
    for line, row in enumerate(table.rows, start=2):
        trip_id, stop_id = tid(row), sid(row)
        if trip_id in dropped_trips:
            continue
        counted += 1
        if trip_id not in trips:
            problems.append(f"stop_times.txt line {line}: trip_id {trip_id!r} is not in trips.txt")
            continue
        if stop_id not in stops:
            problems.append(f"stop_times.txt line {line}: stop_id {stop_id!r} is not in stops.txt")
            continue
        try:
            arrival, departure = parse_gtfs_time(arr(row)), parse_gtfs_time(dep(row))
            barred = (_NO_PICKUP if pick(row) == "1" else 0) | (
                _NO_DROP_OFF if drop(row) == "1" else 0
            )
            grouped[trip_id].append((int(seq(row)), stop_id, arrival, departure, barred))
        except ValueError as error:
            raise GtfsError(f"stop_times.txt line {line}: {error}") from None
    refuse_if_most("stop_times.txt", counted, problems)
    timed = {}
    for trip_id, calls in grouped.items():
        trip_calls = _timed_calls(trip_id, calls, findings)
        if trip_calls is not None:
            timed[trip_id] = trip_calls
    return MappingProxyType(timed)


#: A stop_times row as read: sequence, stop, arrival, departure, what is barred there.
_Call = tuple[int, str, "int | None", "int | None", int]
_NO_PICKUP = 1
_NO_DROP_OFF = 2


def _timed_calls(
    trip_id: str, calls: list[_Call], findings: Findings
) -> tuple[StopTime, ...] | None:
    """Sort by sequence, put times in order, interpolate blank ones between timepoints.

    None, with the reason in ``findings``, for a trip that cannot be timed: no time at
    its first or last stop, or times running backwards other than across midnight.
    """
    calls.sort()
    flat = [time for _, _, arrival, departure, _ in calls for time in (arrival, departure)]
    ordered, order = unwrap_midnight(flat)
    if order is TimeOrder.BACKWARDS:
        findings.backwards_trips.append(trip_id)
        return None
    if order is TimeOrder.REPAIRED:
        findings.repaired_trips.append(trip_id)
        calls = [
            (sequence, stop_id, ordered[2 * i], ordered[2 * i + 1], barred)
            for i, (sequence, stop_id, _, _, barred) in enumerate(calls)
        ]
    times: list[int | None] = [
        departure if arrival is None else arrival for _, _, arrival, departure, _ in calls
    ]
    if times[0] is None or times[-1] is None:
        findings.dropped_trips[trip_id] = "no time at its first or last stop"
        return None
    known = [i for i, t in enumerate(times) if t is not None]
    for before, after in zip(known, known[1:], strict=False):
        start, end = times[before], times[after]
        assert start is not None and end is not None
        for i in range(before + 1, after):
            times[i] = start + (end - start) * (i - before) // (after - before)
    result = []
    for (sequence, stop_id, _, departure, barred), arrival in zip(calls, times, strict=True):
        assert arrival is not None
        result.append(
            StopTime(
                stop_id,
                arrival,
                arrival if departure is None else departure,
                sequence,
                not barred & _NO_PICKUP,
                not barred & _NO_DROP_OFF,
            )
        )
    return tuple(result)


def _frequencies(
    table: CsvTable, trips: Mapping[str, Trip], dropped: set[str]
) -> Mapping[str, tuple[Frequency, ...]]:
    if not table.rows:
        return MappingProxyType({})
    table.require("trip_id", "start_time", "end_time", "headway_secs")
    tid, start, end, headway, exact = (
        table.getter(c)
        for c in ("trip_id", "start_time", "end_time", "headway_secs", "exact_times")
    )

    def build(row: list[str]) -> tuple[str, Frequency] | None:
        trip_id = tid(row)
        if trip_id in dropped:
            return None
        if trip_id not in trips:
            raise ValueError(f"trip_id {trip_id!r} is not in trips.txt")
        first, last = parse_gtfs_time(start(row)), parse_gtfs_time(end(row))
        if first is None or last is None or int(headway(row)) <= 0:
            raise ValueError("start_time, end_time and a positive headway_secs are required")
        return trip_id, Frequency(first, last, int(headway(row)), exact(row) == "1")

    by_trip: dict[str, list[Frequency]] = defaultdict(list)
    for built in build_rows(table, build):
        if built is not None:
            by_trip[built[0]].append(built[1])
    return MappingProxyType(
        {t: tuple(sorted(f, key=lambda x: x.start_s)) for t, f in by_trip.items()}
    )


def _fare_attributes(table: CsvTable) -> Mapping[str, FareAttribute]:
    if not table.rows:
        return MappingProxyType({})
    table.require("fare_id", "price", "currency_type", "payment_method")
    fid, price, currency, method, transfers, agency, duration = (
        table.getter(c)
        for c in (
            "fare_id",
            "price",
            "currency_type",
            "payment_method",
            "transfers",
            "agency_id",
            "transfer_duration",
        )
    )
    fares = build_rows(
        table,
        lambda r: FareAttribute(
            fare_id=fid(r),
            price=Decimal(price(r)),
            currency=currency(r),
            payment_method=int(method(r)),
            transfers=optional_int(transfers(r)),
            agency_id=agency(r),
            transfer_duration_s=optional_int(duration(r)),
        ),
    )
    return MappingProxyType({f.fare_id: f for f in fares})


def _fare_rules(
    table: CsvTable, fares: Mapping[str, FareAttribute], routes: Mapping[str, Route]
) -> tuple[FareRule, ...]:
    if not table.rows:
        return ()
    table.require("fare_id")
    fid, rid, origin, destination, contains = (
        table.getter(c)
        for c in ("fare_id", "route_id", "origin_id", "destination_id", "contains_id")
    )

    def build(row: list[str]) -> FareRule:
        rule = FareRule(fid(row), rid(row), origin(row), destination(row), contains(row))
        if rule.fare_id not in fares:
            raise ValueError(f"fare_id {rule.fare_id!r} is not in fare_attributes.txt")
        if rule.route_id and rule.route_id not in routes:
            raise ValueError(f"route_id {rule.route_id!r} is not in routes.txt")
        return rule

    return tuple(build_rows(table, build))


def _transfers(table: CsvTable, stops: Mapping[str, Stop]) -> tuple[Transfer, ...]:
    if not table.rows:
        return ()
    table.require("from_stop_id", "to_stop_id", "transfer_type")
    a, b, kind, minimum = (
        table.getter(c)
        for c in ("from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time")
    )

    def build(row: list[str]) -> Transfer:
        transfer = Transfer(
            a(row), b(row), optional_int(kind(row), 0) or 0, optional_int(minimum(row))
        )
        for stop_id in (transfer.from_stop_id, transfer.to_stop_id):
            if stop_id and stop_id not in stops:
                raise ValueError(f"stop_id {stop_id!r} is not in stops.txt")
        return transfer

    return tuple(build_rows(table, build))


def _indexes(
    stops: Mapping[str, Stop],
    trips: Mapping[str, Trip],
    stop_times: Mapping[str, tuple[StopTime, ...]],
) -> tuple[
    Mapping[str, tuple[tuple[str, int], ...]],
    Mapping[str, frozenset[str]],
    Mapping[str, tuple[str, ...]],
]:
    calls_at: dict[str, list[tuple[str, int]]] = defaultdict(list)
    route_ids_at: dict[str, set[str]] = defaultdict(set)
    for trip_id, calls in stop_times.items():
        route_id = trips[trip_id].route_id
        for index, call in enumerate(calls):
            calls_at[call.stop_id].append((trip_id, index))
            route_ids_at[call.stop_id].add(route_id)
    children: dict[str, list[str]] = defaultdict(list)
    for stop in stops.values():
        if stop.parent_station:
            children[stop.parent_station].append(stop.stop_id)
            route_ids_at[stop.parent_station] |= route_ids_at.get(stop.stop_id, set())
    return (
        MappingProxyType({s: tuple(c) for s, c in calls_at.items()}),
        MappingProxyType({s: frozenset(r) for s, r in route_ids_at.items()}),
        MappingProxyType({s: tuple(c) for s, c in children.items()}),
    )


def _name_indexes(
    stops: Mapping[str, Stop],
) -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, tuple[str, ...]]]:
    """Names in every language -> the station a rider means (platforms map to their station).

    Entrances, generic nodes and boarding areas (location_type 2-4) are left out: they are
    not where riders say they are going.
    """
    by_name: dict[str, dict[str, None]] = defaultdict(dict)
    by_key: dict[str, dict[str, None]] = defaultdict(dict)
    for stop in stops.values():
        if stop.location_type not in (0, 1):
            continue
        parent = stops.get(stop.parent_station)
        station_id = parent.stop_id if parent and parent.location_type == 1 else stop.stop_id
        for name in {stop.name, *stop.names.values()}:
            if name:
                by_name[name.casefold()][station_id] = None
                key = normalise_name(name)
                if key:
                    by_key[key][station_id] = None
    return (
        MappingProxyType({n: tuple(ids) for n, ids in by_name.items()}),
        MappingProxyType({k: tuple(ids) for k, ids in by_key.items()}),
    )
