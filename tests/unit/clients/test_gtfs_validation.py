"""Loading repairs after-midnight times written as 00:xx, drops what cannot be used, and says so."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import httpx
import pytest
from sanic import Sanic

from actions.clients.gtfs import TransitFeed, parse_feed
from actions.clients.gtfs.validation import TimeOrder, unwrap_midnight
from actions.server import gtfs_health
from actions.transit.raptor import Journey, Leg, impossibility, plan
from tests.factories.gtfs import tiny_feed
from tests.factories.sanic_app import lifespan

SHANGHAI = ZoneInfo("Asia/Shanghai")
TUESDAY = dt.date(2026, 11, 24)
WEDNESDAY = TUESDAY + dt.timedelta(days=1)
HEADER = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
GOOD = "T1,08:00:00,08:00:00,A1,1\nT1,08:10:00,08:10:00,B,2\n"


def load(stop_times: str, trips: str | None = None, today: dt.date = TUESDAY) -> TransitFeed:
    changes = {"stop_times": HEADER + stop_times}
    if trips is not None:
        changes["trips"] = "route_id,service_id,trip_id,trip_headsign\n" + trips
    return parse_feed(tiny_feed(**changes), today=today)


def at(date: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(hour, minute), SHANGHAI)


def test_a_trip_written_2350_then_0005_is_repaired_to_2405(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        feed = load(GOOD + "T2,23:50:00,23:50:00,A1,1\nT2,00:05:00,00:05:00,B,2\n")
    assert [c.arrival_s for c in feed.stop_times["T2"]] == [23 * 3600 + 50 * 60, 24 * 3600 + 300]
    assert feed.report.repaired_trips == 1 and feed.report.dropped_trips == 0
    assert "1 trip(s) wrote times after midnight as 00:xx" in caplog.text


def test_a_repaired_trip_is_planned_across_midnight() -> None:
    feed = load(GOOD + "T2,23:50:00,23:50:00,A1,1\nT2,00:05:00,00:05:00,B,2\n")
    journey = plan(feed, "A", "B", at(TUESDAY, 23, 40))
    assert journey is not None
    assert (journey.departure, journey.arrival) == (at(TUESDAY, 23, 50), at(WEDNESDAY, 0, 5))
    assert journey.legs[0].service_date == TUESDAY


def test_every_call_after_the_wrap_gets_the_day_and_blank_times_between_are_interpolated() -> None:
    feed = load(
        "T1,23:40:00,23:40:00,A1,1\nT1,,,B,2\nT1,00:10:00,00:10:00,A1,3\n"
        "T2,08:00:00,08:00:00,A1,1\nT2,08:10:00,08:10:00,B,2\n"
    )
    assert [c.arrival_s // 60 for c in feed.stop_times["T1"]] == [1420, 1435, 1450]


def test_a_trip_whose_times_run_backwards_is_dropped_and_reported() -> None:
    feed = load(GOOD + "T2,08:20:00,08:20:00,A1,1\nT2,08:10:00,08:10:00,B,2\n")
    assert "T2" not in feed.trips and "T2" not in feed.stop_times
    assert feed.report.dropped_trips == 1
    assert any("run backwards" in w and "'T2'" in w for w in feed.report.warnings)
    journey = plan(feed, "A", "B", at(TUESDAY, 8, 15))
    assert journey is None or "T2" not in [leg.trip_id for leg in journey.legs]


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([100, 200, 200, 300], TimeOrder.IN_ORDER),
        ([23 * 3600, None, 600, 700], TimeOrder.REPAIRED),
        ([8 * 3600, 8 * 3600 - 60], TimeOrder.BACKWARDS),
        ([12 * 3600, 3600], TimeOrder.BACKWARDS),  # eleven hours back is not a midnight
    ],
)
def test_only_a_step_back_of_about_a_day_counts_as_midnight(
    times: list[int | None], expected: TimeOrder
) -> None:
    assert unwrap_midnight(times)[1] is expected


def test_a_few_rows_naming_unknown_stops_trips_or_routes_are_dropped_not_fatal() -> None:
    feed = load(
        GOOD
        + "T2,09:00:00,09:00:00,A1,1\nT2,09:10:00,09:10:00,B,2\n"
        + "T1,08:20:00,08:20:00,NOWHERE,3\n"
        + "GHOST,08:00:00,08:00:00,A1,1\n"
        + "T3,08:00:00,08:00:00,A1,1\nT3,08:10:00,08:10:00,B,2\n",
        trips="R,WD,T1,乙\nR,WD,T2,乙\nNOLINE,WD,T3,乙\n",
    )
    assert set(feed.trips) == {"T1", "T2"}
    assert [c.stop_id for c in feed.stop_times["T1"]] == ["A1", "B"]
    assert (feed.report.dropped_trips, feed.report.dropped_rows) == (1, 2)
    warnings = " ".join(feed.report.warnings)
    assert "route_id 'NOLINE'" in warnings and "stop_id 'NOWHERE'" in warnings
    assert "trip_id 'GHOST'" in warnings


def test_a_feed_whose_services_have_all_ended_loads_with_a_warning() -> None:
    feed = load(GOOD, today=dt.date(2027, 3, 1))
    assert feed.report.service_end == dt.date(2026, 12, 31)
    assert any("ended on 2026-12-31" in w for w in feed.report.warnings)
    assert not load(GOOD).report.warnings


def test_the_planner_refuses_a_journey_whose_times_run_backwards() -> None:
    leg = Leg("R", "T1", TUESDAY, "A1", at(TUESDAY, 21, 8), "B", at(TUESDAY, 6, 41), 1)
    journey = Journey((leg,), (), at(TUESDAY, 21, 8), at(TUESDAY, 6, 41))
    assert impossibility(journey) is not None
    fine = Journey((), (), at(TUESDAY, 8, 0), at(TUESDAY, 8, 0))
    assert impossibility(fine) is None


def test_the_health_report_shows_the_feeds_warnings_and_dates() -> None:
    feed = load(GOOD + "T2,08:20:00,08:20:00,A1,1\nT2,08:10:00,08:10:00,B,2\n")
    health = gtfs_health(feed)
    assert health["loaded"] is True
    assert (health["service_start"], health["service_end"]) == ("2026-01-01", "2026-12-31")
    assert health["dropped_trips"] == 1 and "run backwards" in health["warnings"][0]
    assert gtfs_health(None) == {"loaded": False}


async def test_the_action_servers_health_route_carries_the_gtfs_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from actions import server

    feed = load(GOOD, today=dt.date(2027, 3, 1))

    class Loaded:
        def loaded_feed(self) -> TransitFeed:
            return feed

    monkeypatch.setattr(Sanic, "test_mode", True)
    monkeypatch.setattr(server, "city_services", Loaded)
    monkeypatch.setattr(server, "preload_transit_feed", _nothing)
    app = server.build_app(token="test-secret")
    transport = httpx.ASGITransport(app=app)
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=transport, base_url="http://actions.test") as client,
    ):
        answer = await client.get("/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert any("ended on 2026-12-31" in w for w in body["gtfs"]["warnings"])


async def _nothing() -> None:
    return None
