"""A city sets how far riders may be sent on foot between stops; the setting reaches the feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.city import CityServices
from actions.clients.gtfs.footpaths import DEFAULT_WALK_RADIUS_M
from actions.settings import CityServicesSettings

SAMPLE_FEED = Path(__file__).resolve().parents[2] / "data" / "gtfs" / "sample-feed"


def test_the_walk_radius_defaults_to_400_m_and_is_read_from_the_environment() -> None:
    assert CityServicesSettings().walk_radius_m() == DEFAULT_WALK_RADIUS_M == 400
    settings = CityServicesSettings.from_sources(None, {"CITY_TRANSIT_WALK_RADIUS_M": "250"})
    assert settings.walk_radius_m() == 250


@pytest.mark.parametrize("wrong", ["-1", "five hundred", "5000", "nan"])
def test_a_walk_radius_that_is_not_a_sensible_distance_stops_start_up_with_its_name(
    wrong: str,
) -> None:
    with pytest.raises(ValueError, match="transit_walk_radius_m"):
        CityServicesSettings.from_sources({"transit_walk_radius_m": wrong}, {})


async def test_the_citys_walk_radius_reaches_the_loaded_feed(tmp_path: Path) -> None:
    # In Google's sample feed, North Ave / D Ave N and North Ave / N A Ave are 599 m apart.
    def city(radius: str) -> CityServices:
        section = {
            "gtfs_feed": str(SAMPLE_FEED),
            "outbox_database_url": f"sqlite:///{tmp_path}/outbox.db",
            "transit_walk_radius_m": radius,
        }
        return CityServices.from_settings(CityServicesSettings.from_sources(section, {}))

    assert not (await city("400").transit_feed()).footpaths
    wide = await city("650").transit_feed()
    assert "NANAA" in {other for other, _ in wide.footpaths["NADAV"]}
