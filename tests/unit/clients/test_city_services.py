"""The action server builds its clients from one settings object and loads the timetable once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from actions.city import CityServices
from actions.clients.gtfs import GtfsError
from actions.settings import CityServicesSettings

SAMPLE_FEED = Path(__file__).resolve().parents[2] / "data" / "gtfs" / "sample-feed"


def services(tmp_path: Path, feed: str) -> CityServices:
    settings = CityServicesSettings.from_sources(
        {"gtfs_feed": feed, "outbox_database_url": f"sqlite:///{tmp_path}/outbox.db"}, {}
    )
    return CityServices.from_settings(settings)


async def test_the_timetable_is_loaded_once_and_shared_by_concurrent_turns(tmp_path):
    city = services(tmp_path, str(SAMPLE_FEED))
    first, second = await asyncio.gather(city.transit_feed(), city.transit_feed())
    assert first is second
    assert first is await city.transit_feed()


async def test_a_feed_that_failed_to_load_is_tried_again_on_the_next_question(tmp_path):
    missing = tmp_path / "feed"
    city = services(tmp_path, str(missing))
    with pytest.raises((GtfsError, OSError)):
        await city.transit_feed()
    missing.mkdir()
    for member in SAMPLE_FEED.iterdir():
        (missing / member.name).write_bytes(member.read_bytes())
    assert (await city.transit_feed()).stops


async def test_a_loaded_timetable_is_kept_out_of_full_garbage_collections(tmp_path):
    import gc

    gc.unfreeze()
    city = services(tmp_path, str(SAMPLE_FEED))
    try:
        feed = await city.transit_feed()
        await asyncio.sleep(0)  # the load's done-callback runs on the next loop pass
        assert gc.get_freeze_count() > 0
        assert feed.stops
    finally:
        gc.unfreeze()


async def test_a_failed_load_freezes_nothing(tmp_path):
    import gc

    gc.unfreeze()  # what earlier tests' timetables froze
    city = services(tmp_path, str(tmp_path / "missing"))
    with pytest.raises((GtfsError, OSError)):
        await city.transit_feed()
    await asyncio.sleep(0)
    assert gc.get_freeze_count() == 0
