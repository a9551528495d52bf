"""A city for the transit actions: the bundled Shenzhen feed from a local file, the live
feeds mocked at the transport, and the clock pinned to a weekday morning."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
import respx
from google.transit import gtfs_realtime_pb2 as rt

from actions.city import CityServices
from actions.clients.gtfs import TransitFeed, parse_zip
from tests.factories.city import city_for_tests
from tests.factories.gtfs import shenzhen_zip
from tests.unit.permits.conftest import CATALOGUE, RESIDENCE

RT = "https://transit.example.gov/rt"
#: Where the test city's permits catalogue is (the settings' default).
PERMITS_SANDBOX = "http://127.0.0.1:8200/permits/v1"
#: Tuesday 24 November 2026, 08:00 in Shenzhen.
MORNING = "2026-11-24T08:00:00+08:00"


def feed_message(entities: int = 0) -> rt.FeedMessage:
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc).timestamp())
    return message


@pytest.fixture
def make_city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def build(now: str = MORNING, loaded: bool = True) -> CityServices:
        """``loaded=False``: the feed is read from its file on the first question."""
        feed = tmp_path / "shenzhen.zip"
        feed.write_bytes(shenzhen_zip())
        section = {
            "gtfs_feed": str(feed),
            "gtfs_rt_trip_updates_url": f"{RT}/trip-updates",
            "gtfs_rt_alerts_url": f"{RT}/alerts",
            "transit_now": now,
        }
        services = city_for_tests(tmp_path, monkeypatch, section, ["actions.transit.questions"])
        # The feed as the action server holds it after start-up, parsed once for the
        # whole run: each test parsing the zip again (and building the day's timetable
        # again for the new feed object) made these tests most of the unit tests' time.
        if loaded:
            shared = _Loaded(shared_feed(services.settings.walk_radius_m()))
            services._feed["feed"] = shared  # type: ignore[assignment]  # noqa: SLF001
        return services

    return build


@functools.cache
def shared_feed(walk_radius_m: float) -> TransitFeed:
    """The bundled Shenzhen feed, parsed once per test run (feeds are never changed)."""
    return parse_zip(shenzhen_zip(), walk_radius_m=walk_radius_m)


class _Loaded:
    """A finished load, as ``CityServices.transit_feed`` keeps one."""

    def __init__(self, feed: TransitFeed) -> None:
        self._feed = feed

    def done(self) -> bool:
        return True

    def cancelled(self) -> bool:
        return False

    def exception(self) -> None:
        return None

    def result(self) -> TransitFeed:
        return self._feed

    def __await__(self) -> Generator[None, None, TransitFeed]:
        return self._result().__await__()

    async def _result(self) -> TransitFeed:
        return self._feed


@pytest.fixture
def city(make_city) -> CityServices:
    return make_city()


@pytest.fixture
def live() -> Iterator[respx.MockRouter]:
    """Live feeds with nothing to report; tests add delays and alerts.

    The city's permits catalogue answers too: a message the transit actions receive may
    name a permit instead of a station.
    """
    with (
        respx.mock(base_url=RT, assert_all_called=False) as router,
        respx.mock(base_url=PERMITS_SANDBOX, assert_all_called=False) as permits,
    ):
        router.get("/trip-updates").respond(content=feed_message().SerializeToString())
        router.get("/alerts").respond(content=feed_message().SerializeToString())
        permits.get("/services").respond(json=CATALOGUE)
        permits.get("/services/residence_permit").respond(json=RESIDENCE)
        yield router
