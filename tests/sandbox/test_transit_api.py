"""The running sandbox serves GTFS and GTFS-Realtime that the assistant's own clients can read.

Delays and alerts are injected through the admin API and read back with
``GtfsRealtimeClient``; the static feed is downloaded and loaded with ``actions.clients.gtfs``.
Trains only run from about 06:30 to 00:30 Shenzhen time, so the delay test checks the feed
against the number of trains the sandbox says were under way when the delay was injected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from actions.clients.gtfs import find_stops, load_feed
from actions.clients.gtfs_realtime import GtfsRealtimeClient
from actions.settings import CityServicesSettings
from tests.factories.gtfs import shenzhen_zip
from tests.sandbox.conftest import ADMIN_KEY

ADMIN = {"X-Admin-Key": ADMIN_KEY}
TYPHOON = {
    "route_ids": ["L5"],
    "stop_ids": ["buji", "huangbeiling"],
    "cause": "WEATHER",
    "effect": "NO_SERVICE",
    "header": {
        "zh": "受台风影响，5号线布吉至黄贝岭段暂停运营",
        "en": "Line 5 suspended between Buji and Huangbeiling (typhoon)",
    },
    "description": {
        "zh": "请改乘3号线或公交接驳，恢复时间另行通知。",
        "en": "Please use Line 3 or the shuttle buses; we will announce when service resumes.",
    },
    "active_minutes": 180,
}


@pytest.fixture
async def realtime(sandbox_url: str) -> AsyncIterator[GtfsRealtimeClient]:
    settings = CityServicesSettings.from_sources(
        {
            "gtfs_rt_trip_updates_url": f"{sandbox_url}/gtfs-rt/trip-updates",
            "gtfs_rt_alerts_url": f"{sandbox_url}/gtfs-rt/alerts",
            "gtfs_rt_max_age_s": "0",  # each read here must see the change just made
        },
        {},
    )
    async with httpx.AsyncClient() as client:
        yield GtfsRealtimeClient(settings, client=client)


def _error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    return str(body["error"]["message"])


async def test_the_static_feed_downloads_and_loads_with_the_bots_gtfs_client(
    sandbox_url: str, http: httpx.Client
) -> None:
    response = http.get("/gtfs/feed.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.content == shenzhen_zip()  # the very feed the tests validate
    again = http.get("/gtfs/feed.zip", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and not again.content
    since = http.get(
        "/gtfs/feed.zip", headers={"If-Modified-Since": response.headers["last-modified"]}
    )
    assert since.status_code == 304

    async with httpx.AsyncClient() as client:
        feed = await load_feed(f"{sandbox_url}/gtfs/feed.zip", client=client)
    assert [s.stop_id for s in find_stops(feed, "Buji")] == ["buji"]


async def test_an_injected_delay_is_read_back_by_the_realtime_client(
    http: httpx.Client, realtime: GtfsRealtimeClient
) -> None:
    response = http.post(
        "/admin/transit/delays",
        json={"route_id": "L1", "delay_minutes": 8, "minutes_valid": 30},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    injected = response.json()
    assert injected["delay_seconds"] == 480 and injected["expires_at"].endswith("+08:00")

    delays = [d for d in await realtime.trip_delays() if d.route_id == "L1"]
    assert {d.delay_seconds for d in delays} <= {480}
    trains = {d.trip_id for d in delays}
    # Trains can start or finish between the two calls.
    assert abs(len(trains) - injected["trips_affected_now"]) <= 2
    if injected["trips_affected_now"] > 2:
        assert trains

    cleared = http.delete("/admin/transit/delays", params={"route_id": "L1"}, headers=ADMIN)
    assert cleared.status_code == 200 and cleared.json()["deleted"] >= 1
    assert not [d for d in await realtime.trip_delays() if d.route_id == "L1"]


async def test_a_typhoon_alert_is_published_in_both_languages_until_removed(
    http: httpx.Client, realtime: GtfsRealtimeClient
) -> None:
    response = http.post("/admin/transit/alerts", json=TYPHOON, headers=ADMIN)
    assert response.status_code == 201, response.text
    alert_id = response.json()["id"]

    [alert] = [a for a in await realtime.alerts() if a.alert_id == f"alert-{alert_id}"]
    assert alert.header_in("zh") == TYPHOON["header"]["zh"]  # type: ignore[index]
    assert alert.header_in("en") == TYPHOON["header"]["en"]  # type: ignore[index]
    assert (alert.cause, alert.effect) == ("WEATHER", "NO_SERVICE")
    assert alert.affects(route_id="L5", stop_ids=("buji",))
    assert [p.end is not None for p in alert.active_periods] == [True]

    as_json = http.get("/gtfs-rt/alerts", params={"format": "json"}).json()
    assert as_json["header"]["gtfs_realtime_version"] == "2.0"
    assert any(e["id"] == f"alert-{alert_id}" for e in as_json["entity"])

    assert http.delete(f"/admin/transit/alerts/{alert_id}", headers=ADMIN).status_code == 200
    assert f"alert-{alert_id}" not in {a.alert_id for a in await realtime.alerts()}
    assert "no alert" in _error(
        http.delete(f"/admin/transit/alerts/{alert_id}", headers=ADMIN), 404
    )


def test_the_realtime_feeds_are_protobuf_by_default(http: httpx.Client) -> None:
    for path in ("/gtfs-rt/trip-updates", "/gtfs-rt/alerts"):
        response = http.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-protobuf"
    assert "format must be" in _error(http.get("/gtfs-rt/alerts", params={"format": "xml"}), 400)


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("POST", "/admin/transit/delays", {}),
        ("POST", "/admin/transit/alerts", {"X-Admin-Key": "guess"}),
        ("DELETE", "/admin/transit/delays", {}),
        ("DELETE", "/admin/transit/alerts/1", {"X-Admin-Key": ""}),
    ],
)
def test_admin_routes_need_the_admin_key(
    http: httpx.Client, method: str, path: str, headers: dict[str, str]
) -> None:
    response = http.request(method, path, json=TYPHOON, headers=headers)
    assert "X-Admin-Key" in _error(response, 403)


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/admin/transit/delays", b"route_id=L1", "not JSON"),
        ("/admin/transit/delays", b"\xff\xfe\x00", "not UTF-8"),
        ("/admin/transit/delays", b"[]", "JSON object"),
        ("/admin/transit/delays", b'{"route_id": "L9", "delay_minutes": 5}', "unknown route_id"),
        ("/admin/transit/delays", b'{"route_id": "L1", "delay_minutes": 1e308}', "between"),
        ("/admin/transit/alerts", b'{"route_ids": ["L5"], "header": {"zh": "x"}}', "header.en"),
        (
            "/admin/transit/alerts",
            b'{"route_ids": ["L5\'; DROP TABLE rt_alerts; --"], "header": {"zh": "x", "en": "y"}}',
            "unknown route_id",
        ),
    ],
)
def test_bad_admin_input_is_a_400_with_a_reason(
    http: httpx.Client, path: str, body: bytes, message: str
) -> None:
    response = http.post(path, content=body, headers={**ADMIN, "Content-Type": "application/json"})
    assert message in _error(response, 400)


def test_a_non_numeric_alert_id_is_a_400(http: httpx.Client) -> None:
    response = http.delete("/admin/transit/alerts/abc", headers=ADMIN)
    assert "not a number" in _error(response, 400)
