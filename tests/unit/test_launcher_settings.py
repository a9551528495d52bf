"""The launchers (make run, make prod-local) never hide a feed location a person has set."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from actions.settings import CityServicesSettings

ROOT = Path(__file__).resolve().parents[2]


def _run_stack():
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("run_stack", ROOT / "scripts" / "run_stack.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _settings_seen_by_action_server(person: dict[str, str]) -> CityServicesSettings:
    launcher = _run_stack().sandbox_environment(8200, person)
    return CityServicesSettings.from_sources(None, {**person, **launcher})


def test_gtfs_feed_set_by_a_person_reaches_the_action_server_under_make_run():
    settings = _settings_seen_by_action_server({"GTFS_FEED": "/data/city/gtfs.zip"})
    assert settings.gtfs_feed == "/data/city/gtfs.zip"


def test_city_prefixed_feed_variable_also_reaches_the_action_server():
    settings = _settings_seen_by_action_server({"CITY_GTFS_FEED": "https://city.example/gtfs.zip"})
    assert settings.gtfs_feed == "https://city.example/gtfs.zip"


def test_realtime_urls_under_their_short_names_win_over_the_sandbox():
    person = {"GTFS_RT_ALERTS_URL": "https://city.example/rt/alerts"}
    settings = _settings_seen_by_action_server(person)
    assert settings.gtfs_rt_alerts_url == "https://city.example/rt/alerts"
    assert settings.gtfs_rt_trip_updates_url == "http://127.0.0.1:8200/gtfs-rt/trip-updates"


def test_without_any_setting_make_run_points_at_the_sandbox_city():
    settings = _settings_seen_by_action_server({})
    assert settings.gtfs_feed == "http://127.0.0.1:8200/gtfs/feed.zip"


def test_the_default_stack_uses_endpoints_yml_as_it_is():
    assert _run_stack().endpoints_file(5055) == ROOT / "endpoints.yml"


def test_a_benchmark_stack_keeps_its_conversations_in_its_own_file(tmp_path, monkeypatch):
    import yaml

    launcher = _run_stack()
    monkeypatch.setattr(launcher, "VAR", tmp_path)
    written = launcher.endpoints_file(29100, tmp_path / "tracker.db")
    config = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert config["tracker_store"]["db"] == str(tmp_path / "tracker.db")
    assert config["action_endpoint"]["url"] == "http://localhost:29100/webhook"
    assert config["action_endpoint"]["enable_selective_domain"] is True
