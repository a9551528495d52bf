"""A city for the permit actions: the permits API mocked at the transport, with a catalogue
that is not the sandbox's (a dog licence the NLU model never saw, a type given in one
language only), so the tests show the answers come from whatever the city serves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import respx

from actions.city import CityServices
from tests.factories.city import city_for_tests

PERMITS = "https://permits.example.gov/v1"

RESIDENCE: dict[str, Any] = {
    "permit_type": "residence_permit",
    "name": {"zh": "居住证", "en": "Residence permit"},
    "authority": {"zh": "市公安局", "en": "City police"},
    "regulation": {"zh": "《居住证暂行条例》", "en": "Interim Regulations on Residence Permits"},
    "eligibility": {"zh": ["已登记居住满6个月"], "en": ["Registered for 6 months"]},
    "documents": {"zh": ["身份证", "住所证明"], "en": ["ID card", "Proof of address"]},
    "fee": {"amount_cny": 0, "zh": "首次申领免费。", "en": "The first permit is free."},
    "processing_time": {"working_days": 15, "zh": "15日内。", "en": "Within 15 days."},
    "apply": {
        "online": {
            "available": True,
            "zh": "可在App办理。",
            "en": "Apply in the app.",
            "url": "https://app.example.gov",
        },
        "offices": [
            {
                "name": {"zh": "市民中心", "en": "Civic Centre"},
                "address": {"zh": "福中三路", "en": "Fuzhong 3rd Rd"},
                "hours": {"zh": "周一至周五 9:00-18:00", "en": "Mon-Fri 9:00-18:00"},
            }
        ],
    },
}
DOG: dict[str, Any] = {
    "permit_type": "dog_licence",
    "name": {"zh": "犬只登记证", "en": "Dog licence"},
    "aliases": {"zh": ["养狗证", "狗证"], "en": ["dog permit"]},
    "fee": {"amount_cny": 300},
    "processing_time": {"working_days": 5},
    "apply": {"online": {"available": False}, "offices": []},
}
CATALOGUE = {
    "hotline": "12345",
    "portal": {
        "zh": "市政务服务网",
        "en": "the city services portal",
        "url": "https://gov.example",
    },
    "services": [
        {k: RESIDENCE[k] for k in ("permit_type", "name")},
        {k: DOG[k] for k in ("permit_type", "name", "aliases")},
    ],
}
APPLICATION = {
    "PermitNum": "PA20261187",
    "PermitType": "深圳经济特区居住证",
    "PermitTypeMapped": "residence_permit",
    "Description": "首次申领，现住南山区示例路1号",
    "AppliedDate": "2026-10-20",
    "StatusCurrent": "审核中",
    "StatusCurrentMapped": "In Review",
    "StatusDate": "2026-10-22T10:15:00+08:00",
    "ApplicantName": "张三",
    "ApplicantIdNumber": "000000199001010011",
    "ApplicantAddress": "南山区示例路1号",
}


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CityServices]:
    modules = [f"actions.permits.{name}" for name in ("questions", "applications")]
    yield city_for_tests(tmp_path, monkeypatch, {"permits_url": PERMITS}, modules)


@pytest.fixture
def permits() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=PERMITS, assert_all_called=False) as router:
        router.get("/services").respond(json=CATALOGUE)
        router.get("/services/residence_permit").respond(json=RESIDENCE)
        router.get("/services/dog_licence").respond(json=DOG)
        router.get("/applications/PA20261187").respond(json=APPLICATION)
        yield router
