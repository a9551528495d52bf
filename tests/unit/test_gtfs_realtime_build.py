"""The sandbox turns injected delays and alerts into GTFS-Realtime feeds a rider's app can use.

Pure functions over the Shenzhen schedule and a fixed clock, so each case is exact.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from google.transit import gtfs_realtime_pb2

from sandbox.errors import PlainError
from sandbox.gtfs_realtime import (
    InjectedAlert,
    InjectedDelay,
    Schedule,
    build_alerts,
    build_trip_updates,
    feed_as_json,
    schedule_from_tables,
    services_on,
    trips_under_way,
)
from sandbox.transit import StaticFeed
from sandbox.transit_requests import parse_alert_request, parse_delay_request, parse_json_object
from tests.factories.gtfs import shenzhen_tables

SHENZHEN = ZoneInfo("Asia/Shanghai")
TUESDAY_8AM = dt.datetime(2026, 11, 24, 8, 0, tzinfo=SHENZHEN)
TYPHOON = {
    "route_ids": ["L5"],
    "stop_ids": ["buji", "huangbeiling"],
    "cause": "weather",
    "effect": "NO_SERVICE",
    "header": {
        "zh": "5号线布吉至黄贝岭段停运",
        "en": "Line 5 suspended between Buji and Huangbeiling",
    },
    "description": {"zh": "受台风影响，请改乘其他线路。", "en": "Typhoon: please use other lines."},
    "active_minutes": 120,
}


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return schedule_from_tables(shenzhen_tables())


def _alert(**changes: object) -> InjectedAlert:
    fields: dict[str, object] = {
        "id": 7,
        "route_ids": ("L5",),
        "stop_ids": ("buji", "huangbeiling"),
        "cause": "WEATHER",
        "effect": "NO_SERVICE",
        "header": {"zh": "5号线停运", "en": "Line 5 suspended"},
        "description": {"zh": "台风", "en": "Typhoon"},
        "active_start": TUESDAY_8AM,
        "active_end": TUESDAY_8AM + dt.timedelta(hours=2),
    }
    fields.update(changes)
    return InjectedAlert(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- trip updates


def test_every_feed_has_a_version_2_full_dataset_header(schedule: Schedule) -> None:
    message = build_trip_updates(schedule, [], TUESDAY_8AM)
    assert message.header.gtfs_realtime_version == "2.0"
    assert message.header.incrementality == gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    assert message.header.timestamp == int(TUESDAY_8AM.timestamp())
    assert len(message.entity) == 0


def test_a_route_delay_updates_every_line_5_train_under_way(schedule: Schedule) -> None:
    message = build_trip_updates(schedule, [InjectedDelay("L5", 480)], TUESDAY_8AM)
    updates = [e.trip_update for e in message.entity]
    assert len(updates) > 20
    assert {u.trip.route_id for u in updates} == {"L5"}
    assert {u.trip.start_date for u in updates} == {"20261124"}
    assert {u.trip.direction_id for u in updates} == {0, 1}
    for update in updates:
        [stu] = update.stop_time_update
        assert stu.arrival.delay == stu.departure.delay == update.delay == 480
        call = next(
            c for c in schedule.trips[update.trip.trip_id].calls if c.stop_id == stu.stop_id
        )
        # The update sits at the next stop the late train leaves from.
        assert call.sequence == stu.stop_sequence
        assert call.departure_s + 480 >= 8 * 3600
    # A train that left its terminal 8+ minutes late before 8:00 is past its first stop.
    well_on_the_way = [u for u in updates if u.trip.start_time < "07:52:00"]
    assert well_on_the_way
    assert all(u.stop_time_update[0].stop_sequence > 1 for u in well_on_the_way)


def test_a_delay_from_one_station_is_reported_at_its_line_5_platform(schedule: Schedule) -> None:
    message = build_trip_updates(schedule, [InjectedDelay("L5", 300, stop_id="buji")], TUESDAY_8AM)
    stops = {e.trip_update.stop_time_update[0].stop_id for e in message.entity}
    assert stops == {"buji_L5"}
    everywhere = build_trip_updates(schedule, [InjectedDelay("L5", 300)], TUESDAY_8AM)
    assert 0 < len(message.entity) < len(everywhere.entity)  # trains past Buji are not late there


def test_a_delay_for_one_trip_touches_only_that_trip(schedule: Schedule) -> None:
    [running, *_] = trips_under_way(schedule, "L1", TUESDAY_8AM)
    delay = InjectedDelay("L1", 120, trip_id=running.trip.trip_id)
    message = build_trip_updates(schedule, [delay], TUESDAY_8AM)
    assert [e.trip_update.trip.trip_id for e in message.entity] == [running.trip.trip_id]


def test_the_largest_of_two_delays_on_the_same_call_wins(schedule: Schedule) -> None:
    delays = [InjectedDelay("L2", 120), InjectedDelay("L2", 600), InjectedDelay("L2", 60)]
    message = build_trip_updates(schedule, delays, TUESDAY_8AM)
    assert {e.trip_update.stop_time_update[0].departure.delay for e in message.entity} == {600}


def test_a_train_after_midnight_belongs_to_the_previous_service_day(schedule: Schedule) -> None:
    after_midnight = dt.datetime(2026, 11, 25, 0, 15, tzinfo=SHENZHEN)
    message = build_trip_updates(schedule, [InjectedDelay("L1", 300)], after_midnight)
    assert message.entity
    assert {e.trip_update.trip.start_date for e in message.entity} == {"20261124"}


def test_no_train_is_late_when_the_metro_is_closed(schedule: Schedule) -> None:
    at_3am = dt.datetime(2026, 11, 24, 3, 0, tzinfo=SHENZHEN)
    assert len(build_trip_updates(schedule, [InjectedDelay("L1", 300)], at_3am).entity) == 0


def test_a_date_after_the_feed_period_runs_its_weekdays_services(schedule: Schedule) -> None:
    assert services_on(schedule, dt.date(2026, 10, 1)) == {"weekend"}  # National Day
    assert services_on(schedule, dt.date(2027, 3, 2)) == {"weekday"}  # a Tuesday next year


# --------------------------------------------------------------------------- alerts


def test_an_alert_carries_both_languages_entities_cause_effect_and_period() -> None:
    message = build_alerts([_alert()], TUESDAY_8AM)
    [entity] = message.entity
    alert = entity.alert
    assert entity.id == "alert-7"
    assert alert.cause == gtfs_realtime_pb2.Alert.WEATHER
    assert alert.effect == gtfs_realtime_pb2.Alert.NO_SERVICE
    assert {(t.language, t.text) for t in alert.header_text.translation} == {
        ("zh", "5号线停运"),
        ("en", "Line 5 suspended"),
    }
    assert [(e.route_id, e.stop_id) for e in alert.informed_entity] == [
        ("L5", "buji"),
        ("L5", "huangbeiling"),
    ]
    [period] = alert.active_period
    assert period.end - period.start == 7200


def test_an_alert_on_routes_only_informs_each_route_and_may_be_open_ended() -> None:
    message = build_alerts(
        [_alert(stop_ids=(), route_ids=("L1", "L2"), active_end=None)], TUESDAY_8AM
    )
    alert = message.entity[0].alert
    assert [(e.route_id, e.stop_id) for e in alert.informed_entity] == [("L1", ""), ("L2", "")]
    assert not alert.active_period[0].HasField("end")


def test_an_alert_that_is_over_is_left_out() -> None:
    later = TUESDAY_8AM + dt.timedelta(hours=3)
    assert len(build_alerts([_alert()], later).entity) == 0


def test_the_json_view_uses_the_proto_field_and_enum_names() -> None:
    body = feed_as_json(build_alerts([_alert()], TUESDAY_8AM))
    assert body["header"]["gtfs_realtime_version"] == "2.0"
    alert = body["entity"][0]["alert"]
    assert alert["cause"] == "WEATHER" and alert["effect"] == "NO_SERVICE"
    assert alert["header_text"]["translation"][0] == {"text": "5号线停运", "language": "zh"}


# --------------------------------------------------------------------------- admin input


def test_a_typhoon_alert_request_is_accepted(schedule: Schedule) -> None:
    request = parse_alert_request(TYPHOON, schedule)
    assert request.cause == "WEATHER" and request.route_ids == ("L5",)
    assert request.header["en"].startswith("Line 5") and request.active_minutes == 120


def test_a_delay_request_is_turned_into_seconds(schedule: Schedule) -> None:
    request = parse_delay_request(
        {"route_id": "L5", "delay_minutes": 7.5, "stop_id": "buji"}, schedule
    )
    assert (request.delay_seconds, request.minutes_valid, request.stop_id) == (450, 60, "buji")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"delay_minutes": 5}, "route_id must be"),
        ({"route_id": "L99", "delay_minutes": 5}, "unknown route_id 'L99'"),
        ({"route_id": "L5"}, "delay_minutes is required"),
        ({"route_id": "L5", "delay_minutes": "5"}, "delay_minutes must be a number"),
        ({"route_id": "L5", "delay_minutes": True}, "delay_minutes must be a number"),
        ({"route_id": "L5", "delay_minutes": 100000}, "between -30 and 720"),
        ({"route_id": "L5", "delay_minutes": 5, "stop_id": "luohu"}, "not a stop of route 'L5'"),
        ({"route_id": "L5", "delay_minutes": 5, "trip_id": "nope"}, "not a trip of route"),
        ({"route_id": "L5", "delay_minutes": 5, "minutes_valid": 0}, "minutes_valid"),
        ({"route_id": "L5", "delay_minutes": 5, "colour": "red"}, "unknown field(s) colour"),
    ],
)
def test_a_bad_delay_request_is_refused_with_a_reason(
    schedule: Schedule, body: dict[str, object], message: str
) -> None:
    with pytest.raises(PlainError) as caught:
        parse_delay_request(body, schedule)
    assert caught.value.status == 400 and message in caught.value.description


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"route_ids": [], "stop_ids": []}, "at least one of route_ids and stop_ids"),
        ({"route_ids": "L5"}, "route_ids must be a list"),
        ({"stop_ids": ["atlantis"]}, "unknown stop_id 'atlantis'"),
        ({"cause": "ALIENS"}, "cause must be one of"),
        ({"effect": 3}, "effect must be one of"),
        ({"header": {"zh": "停运"}}, "header.en is required"),
        ({"header": "Line 5 suspended"}, "header must be an object"),
        ({"header": {"zh": "停运", "en": "x" * 201}}, "longer than 200"),
        ({"description": {"fr": "Suspendu"}}, "description must be an object"),
        ({"active_minutes": -5}, "active_minutes must be between"),
    ],
)
def test_a_bad_alert_request_is_refused_with_a_reason(
    schedule: Schedule, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(PlainError) as caught:
        parse_alert_request({**TYPHOON, **changes}, schedule)
    assert caught.value.status == 400 and message in caught.value.description


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"\xff\xfe", "not UTF-8"), (b"{nope", "not JSON"), (b"[1, 2]", "must be a JSON object")],
)
def test_a_body_that_is_not_a_json_object_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(PlainError, match=message):
        parse_json_object(body)


def test_the_feed_zip_answers_conditional_requests() -> None:
    modified = dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.timezone.utc)
    feed = StaticFeed(b"zip", '"abc"', modified, schedule_from_tables(_empty_tables()))
    assert feed.not_modified({"if-none-match": '"abc"'})
    assert feed.not_modified({"if-none-match": 'W/"abc", "def"'})
    assert not feed.not_modified({"if-none-match": '"def"'})
    assert feed.not_modified({"if-modified-since": "Tue, 24 Nov 2026 00:00:00 GMT"})
    assert not feed.not_modified({"if-modified-since": "Mon, 23 Nov 2026 00:00:00 GMT"})
    assert not feed.not_modified({"if-modified-since": "yesterday"})


def _empty_tables() -> dict[str, list[dict[str, str]]]:
    return {"stops": [], "stop_times": [], "trips": []}
