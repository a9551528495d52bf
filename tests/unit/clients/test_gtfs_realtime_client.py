"""The GTFS-Realtime client reads delays and bilingual alerts, and never crashes on a bad feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
import respx
from google.transit import gtfs_realtime_pb2 as rt

from actions.clients import http
from actions.clients.errors import ServiceUnavailable
from actions.clients.gtfs_realtime import (
    GtfsRealtimeClient,
    TripDelay,
    delay_at,
    parse_alerts,
    parse_trip_delays,
)
from actions.settings import CityServicesSettings
from sandbox.gtfs_realtime import InjectedAlert, build_alerts

BASE = "https://transit.example.gov/rt"
SETTINGS = CityServicesSettings.from_sources(
    {"gtfs_rt_trip_updates_url": f"{BASE}/trip-updates", "gtfs_rt_alerts_url": f"{BASE}/alerts"},
    {},
)
FAST = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=1, backoff_seconds=0)
NOW = dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.timezone.utc)


def _feed(version: str = "2.0") -> Any:
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = version
    message.header.timestamp = int(NOW.timestamp())
    return message


def trip_updates_feed() -> bytes:
    message = _feed()
    late = message.entity.add(id="1").trip_update
    late.trip.trip_id, late.trip.route_id, late.trip.start_date = "L5_0800", "L5", "20261124"
    stu = late.stop_time_update.add(stop_sequence=12, stop_id="buji_L5")
    stu.arrival.delay = 480
    stu.departure.delay = 480
    timed_only = late.stop_time_update.add(stop_sequence=13, stop_id="x")
    timed_only.arrival.time = 1795478400  # absolute time, no delay: says nothing about lateness
    skipped = late.stop_time_update.add(stop_sequence=14, stop_id="y")
    skipped.schedule_relationship = rt.TripUpdate.StopTimeUpdate.SKIPPED
    whole_trip = message.entity.add(id="2").trip_update
    whole_trip.trip.trip_id, whole_trip.trip.route_id = "L1_0805", "L1"
    whole_trip.delay = -60
    message.entity.add(id="3", is_deleted=True)
    return message.SerializeToString()


def alerts_feed() -> bytes:
    alert = InjectedAlert(
        id=3,
        route_ids=("L5",),
        stop_ids=("buji", "huangbeiling"),
        cause="WEATHER",
        effect="NO_SERVICE",
        header={
            "zh": "5号线布吉至黄贝岭段停运",
            "en": "Line 5 suspended between Buji and Huangbeiling",
        },
        description={"zh": "受台风影响。", "en": "Because of the typhoon."},
        active_start=NOW,
        active_end=NOW + dt.timedelta(hours=2),
    )
    return build_alerts([alert], NOW).SerializeToString()


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as c:
        yield GtfsRealtimeClient(SETTINGS, client=c, policy=FAST)


# --------------------------------------------------------------------------- parsing


def test_delays_are_read_per_stop_and_per_trip() -> None:
    delays = parse_trip_delays(trip_updates_feed())
    assert [
        (d.trip_id, d.route_id, d.stop_id, d.stop_sequence, d.delay_seconds) for d in delays
    ] == [
        ("L5_0800", "L5", "buji_L5", 12, 480),
        ("L1_0805", "L1", None, None, -60),
    ]
    assert delays[0].start_date == "20261124"


def test_a_delay_carries_forward_to_the_later_stops_of_a_trip() -> None:
    delays = [
        TripDelay("T1", "L5", 300, stop_id="a", stop_sequence=5),
        TripDelay("T1", "L5", 600, stop_id="b", stop_sequence=9),
        TripDelay("T2", "L5", -60),
    ]
    assert delay_at(delays, "T1", 7) == 300
    assert delay_at(delays, "T1", 12) == 600
    assert delay_at(delays, "T1", 3) is None  # before the first update: nothing is known
    assert delay_at(delays, "T1") == 300  # how late it is now
    assert delay_at(delays, "T2", 4) == -60  # a whole-trip delay applies everywhere
    assert delay_at(delays, "T3", 4) is None


def test_an_alert_from_the_sandbox_is_read_in_both_languages() -> None:
    [alert] = parse_alerts(alerts_feed())
    assert (alert.alert_id, alert.cause, alert.effect) == ("alert-3", "WEATHER", "NO_SERVICE")
    assert alert.header_in("zh") == "5号线布吉至黄贝岭段停运"
    assert alert.header_in("en-US").startswith("Line 5 suspended")
    assert alert.description_in("zh-Hans") == "受台风影响。"
    assert alert.route_ids == ("L5",) and alert.stop_ids == ("buji", "huangbeiling")
    assert alert.is_active(NOW + dt.timedelta(hours=1))
    assert not alert.is_active(NOW + dt.timedelta(hours=3))


def test_an_alert_knows_which_routes_and_stops_it_concerns() -> None:
    [alert] = parse_alerts(alerts_feed())
    assert alert.affects(route_id="L5")
    assert alert.affects(stop_ids=("buji", "buji_L5"))
    assert alert.affects(route_id="L5", stop_ids=("huangbeiling",))
    assert not alert.affects(route_id="L1")
    assert not alert.affects(route_id="L5", stop_ids=("luohu",))


def test_an_alert_without_a_language_tag_is_shown_to_everyone() -> None:
    message = _feed()
    alert = message.entity.add(id="a").alert
    alert.header_text.translation.add(text="Elevator out of service")
    [parsed] = parse_alerts(message.SerializeToString())
    assert parsed.header_in("zh") == "Elevator out of service"
    # No cause, effect or period given: the spec's defaults, and active while published.
    assert (parsed.cause, parsed.effect) == ("UNKNOWN_CAUSE", "UNKNOWN_EFFECT")
    assert parsed.is_active(NOW)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>502 Bad Gateway</html>", "not GTFS-Realtime protobuf"),
        (b"", "no valid FeedMessage header"),
        (b"\x0a\x00", "no valid FeedMessage header"),  # a header without its version
        (_feed("3.0").SerializeToString(), "GTFS-Realtime '3.0'"),
    ],
)
def test_a_malformed_feed_is_reported_as_unavailable(data: bytes, message: str) -> None:
    with pytest.raises(ServiceUnavailable, match=message):
        parse_trip_delays(data)
    with pytest.raises(ServiceUnavailable):
        parse_alerts(data)


# --------------------------------------------------------------------------- transport


@respx.mock
async def test_the_client_fetches_both_feeds(client: GtfsRealtimeClient) -> None:
    trips = respx.get(f"{BASE}/trip-updates").mock(
        return_value=httpx.Response(200, content=trip_updates_feed())
    )
    respx.get(f"{BASE}/alerts").mock(return_value=httpx.Response(200, content=alerts_feed()))
    assert len(await client.trip_delays()) == 2
    assert (await client.alerts())[0].effect == "NO_SERVICE"
    assert trips.calls.last.request.headers["accept"] == "application/x-protobuf"


@respx.mock
async def test_a_503_is_retried_once(client: GtfsRealtimeClient) -> None:
    route = respx.get(f"{BASE}/alerts").mock(
        side_effect=[httpx.Response(503), httpx.Response(200, content=alerts_feed())]
    )
    assert len(await client.alerts()) == 1
    assert route.call_count == 2


@respx.mock
async def test_a_feed_that_keeps_failing_is_unavailable(client: GtfsRealtimeClient) -> None:
    respx.get(f"{BASE}/alerts").mock(return_value=httpx.Response(503))
    with pytest.raises(ServiceUnavailable, match="HTTP 503"):
        await client.alerts()


@respx.mock
async def test_a_hanging_feed_times_out_as_unavailable(client: GtfsRealtimeClient) -> None:
    respx.get(f"{BASE}/trip-updates").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ServiceUnavailable, match="timed out"):
        await client.trip_delays()


@respx.mock
async def test_a_garbage_body_is_unavailable_not_a_crash(client: GtfsRealtimeClient) -> None:
    respx.get(f"{BASE}/trip-updates").mock(
        return_value=httpx.Response(200, content=b"\x00\xffnot protobuf at all\x13\x37")
    )
    with pytest.raises(ServiceUnavailable, match="trip updates"):
        await client.trip_delays()


@respx.mock
async def test_a_wrong_feed_url_says_which_setting_to_check(client: GtfsRealtimeClient) -> None:
    respx.get(f"{BASE}/alerts").mock(return_value=httpx.Response(404, text="no such page"))
    with pytest.raises(ServiceUnavailable, match="gtfs_rt_"):
        await client.alerts()


# --------------------------------------------------------------------------- reuse of a read


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def reusing_client(c: httpx.AsyncClient, clock: Clock, max_age: str = "10") -> GtfsRealtimeClient:
    settings = CityServicesSettings.from_sources(
        {
            "gtfs_rt_trip_updates_url": f"{BASE}/trip-updates",
            "gtfs_rt_alerts_url": f"{BASE}/alerts",
            "gtfs_rt_max_age_s": max_age,
        },
        {},
    )
    return GtfsRealtimeClient(settings, client=c, policy=FAST, clock=clock)


@respx.mock
async def test_questions_within_the_max_age_share_one_read_of_each_feed() -> None:
    trips = respx.get(f"{BASE}/trip-updates").mock(
        return_value=httpx.Response(200, content=trip_updates_feed())
    )
    alerts = respx.get(f"{BASE}/alerts").mock(
        return_value=httpx.Response(200, content=alerts_feed())
    )
    clock = Clock()
    async with httpx.AsyncClient() as c:
        realtime = reusing_client(c, clock)
        first = await realtime.trip_delays()
        clock.now += 9.9
        assert await realtime.trip_delays() == first
        await realtime.alerts()
        assert (trips.call_count, alerts.call_count) == (1, 1)  # each feed kept on its own
        clock.now += 0.1
        await realtime.trip_delays()
        assert trips.call_count == 2  # 10 s old: read again


@respx.mock
async def test_a_failed_read_is_not_kept_the_next_question_tries_again() -> None:
    route = respx.get(f"{BASE}/alerts").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(503),  # the one retry
            httpx.Response(200, content=alerts_feed()),
        ]
    )
    async with httpx.AsyncClient() as c:
        realtime = reusing_client(c, Clock())
        with pytest.raises(ServiceUnavailable):
            await realtime.alerts()
        assert len(await realtime.alerts()) == 1
    assert route.call_count == 3


@respx.mock
async def test_a_max_age_of_zero_reads_the_feed_for_every_question() -> None:
    route = respx.get(f"{BASE}/alerts").mock(
        return_value=httpx.Response(200, content=alerts_feed())
    )
    async with httpx.AsyncClient() as c:
        realtime = reusing_client(c, Clock(), max_age="0")
        await realtime.alerts()
        await realtime.alerts()
    assert route.call_count == 2


@pytest.mark.parametrize("bad", ["-1", "soon", "301"])
def test_a_max_age_that_is_not_a_few_seconds_is_refused_at_start_up(bad: str) -> None:
    with pytest.raises(ValueError, match="gtfs_rt_max_age_s"):
        CityServicesSettings.from_sources({"gtfs_rt_max_age_s": bad}, {})
