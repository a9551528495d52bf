"""A city points the assistant at its systems by configuration only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from actions.settings import CityServicesSettings


def test_defaults_point_at_the_bundled_sandbox():
    settings = CityServicesSettings.from_sources(None, {})
    assert settings.open311_url == "http://127.0.0.1:8200/open311/v2"
    assert settings.gtfs_feed.endswith("/gtfs/feed.zip")


def test_endpoints_section_and_environment_override_in_that_order(tmp_path: Path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n  url: http://x\ncity_services:\n"
        "  open311_url: https://311.city.gov/open311/v2\n  open311_api_key: from-file\n"
        "  gtfs_feed: /srv/feeds/city.zip\n",
        encoding="utf-8",
    )
    settings = CityServicesSettings.load(endpoints, {"CITY_OPEN311_API_KEY": "from-env"})
    assert settings.open311_url == "https://311.city.gov/open311/v2"
    assert settings.open311_api_key == "from-env"
    assert settings.gtfs_feed == "/srv/feeds/city.zip"


def test_a_misspelt_setting_fails_at_start_up_with_its_name():
    with pytest.raises(ValueError, match="open311_ulr"):
        CityServicesSettings.from_sources({"open311_ulr": "https://x"}, {})


def test_a_url_setting_must_be_http():
    with pytest.raises(ValueError, match="permits_url"):
        CityServicesSettings.from_sources({"permits_url": "ftp://x"}, {})


def test_the_transit_feed_answers_to_the_gtfs_variable_names() -> None:
    settings = CityServicesSettings.from_sources(
        {}, {"GTFS_FEED": "/data/feed.zip", "TRANSIT_NOW": "2026-11-24T08:00:00"}
    )
    assert settings.gtfs_feed == "/data/feed.zip"
    pinned = settings.pinned_now()
    assert pinned is not None and pinned.utcoffset() == dt.timedelta(hours=8)


def test_a_city_variable_wins_over_the_short_name() -> None:
    settings = CityServicesSettings.from_sources(
        {}, {"GTFS_FEED": "/a.zip", "CITY_GTFS_FEED": "/b.zip"}
    )
    assert settings.gtfs_feed == "/b.zip"


def test_a_malformed_pinned_time_stops_start_up_with_the_settings_name() -> None:
    with pytest.raises(ValueError, match="transit_now"):
        CityServicesSettings.from_sources({}, {"TRANSIT_NOW": "tomorrow at eight"})


def test_the_complaint_watch_period_is_a_whole_number_of_days():
    assert CityServicesSettings().complaint_watch_period() == dt.timedelta(days=90)
    settings = CityServicesSettings.from_sources(None, {"CITY_COMPLAINT_WATCH_DAYS": "30"})
    assert settings.complaint_watch_period() == dt.timedelta(days=30)
    for wrong in ("0", "-3", "two weeks", "1.5"):
        with pytest.raises(ValueError, match="complaint_watch_days"):
            CityServicesSettings.from_sources({"complaint_watch_days": wrong}, {})
