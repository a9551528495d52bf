"""A city for the complaint actions: real outbox and watch on SQLite, Open311 mocked at the transport."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import respx
import yaml

from actions.city import CityServices
from tests.factories.city import city_for_tests

ROOT = Path(__file__).resolve().parents[3]
OPEN311 = "https://311.example.gov/v2"
SERVICES = [
    {"service_code": "road_damage", "service_name": "Road damage", "keywords": "pothole,road,坑"},
    {
        "service_code": "streetlight",
        "service_name": "Streetlight out",
        "keywords": "streetlight,lamp,路灯",
    },
    {"service_code": "noise", "service_name": "Noise nuisance", "keywords": "noise,loud,噪音"},
    {"service_code": "other", "service_name": "Something else", "keywords": ""},
]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The assistant's domain as the action server receives it."""
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CityServices]:
    modules = [f"actions.complaints.{name}" for name in ("categories", "filing", "form", "status")]
    yield city_for_tests(tmp_path, monkeypatch, {"open311_url": OPEN311}, modules)


@pytest.fixture
def open311() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=OPEN311, assert_all_called=False) as router:
        router.get("/services.json").respond(json=SERVICES)
        yield router
