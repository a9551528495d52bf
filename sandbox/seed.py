"""Loading the sample complaints and permit applications into a fresh (or partly seeded) database.

Seeding is idempotent: every sample has a stable key, and only samples not stored yet are
added, so restarting the sandbox never duplicates them. Complaint times are relative to the
moment of seeding (see ``data/sample_requests.yml``) so the demo data always looks recent.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.engine import Engine

from sandbox import permits, workflow
from sandbox.open311_catalogue import Service
from sandbox.open311_submission import NewServiceRequest
from sandbox.service_requests import HistoryEntry, SeedRequest, seed_service_requests

DEFAULT_SAMPLES = Path(__file__).resolve().parent / "data" / "sample_requests.yml"

#: When each later step happens after filing, for the sample tickets.
STEP_OFFSETS = {
    "accepted": dt.timedelta(0),
    "dispatched": dt.timedelta(hours=2),
    "in_progress": dt.timedelta(days=1),
    "resolved": dt.timedelta(days=4),
    "closed": dt.timedelta(days=6),
}
_CONTACT_FIELDS = ("email", "phone", "first_name", "last_name")


def sample_requests(
    data: Mapping[str, Any], services: Mapping[str, Service], now: dt.datetime, zone: ZoneInfo
) -> list[SeedRequest]:
    """The sample tickets described by the YAML, with their history placed before ``now``."""
    return [_seed(raw, services, now, zone) for raw in data["requests"]]


def _seed(
    raw: Mapping[str, Any], services: Mapping[str, Service], now: dt.datetime, zone: ZoneInfo
) -> SeedRequest:
    service = services[raw["service_code"]]
    local_now = now.astimezone(zone)
    filed = dt.datetime.combine(
        local_now.date() - dt.timedelta(days=int(raw["days_ago"])),
        dt.time.fromisoformat(str(raw["time"])),
        tzinfo=zone,
    )
    if filed > local_now:
        filed -= dt.timedelta(days=1)
    notes = raw.get("notes") or {}
    reached = [s.code for s in workflow.STATES]
    steps = reached[: reached.index(workflow.state(raw["state"]).code) + 1]
    history = [
        HistoryEntry(step, min(filed + STEP_OFFSETS[step], local_now), notes.get(step))
        for step in steps
    ]
    agency = raw.get("agency") or {"zh": service.agency.zh, "en": service.agency.en}
    request = NewServiceRequest(
        service_code=service.code,
        description=raw["description"],
        lat=float(raw["lat"]),
        long=float(raw["long"]),
        address_string=raw["address_string"],
        zipcode=str(raw["zipcode"]),
        attributes=dict(raw.get("attributes") or {}),
        **{name: raw.get(name) for name in _CONTACT_FIELDS},
    )
    return SeedRequest(raw["key"], request, agency["zh"], agency["en"], tuple(history))


def seed_database(
    engine: Engine,
    services: Mapping[str, Service],
    zone: ZoneInfo,
    now: dt.datetime,
    samples: str | os.PathLike[str] = DEFAULT_SAMPLES,
) -> tuple[int, int]:
    """Add the missing samples; returns (complaints added, permit applications added)."""
    with open(samples, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    complaints = seed_service_requests(engine, sample_requests(data, services, now, zone), zone)
    applications = permits.seed_applications(engine, permits.load_sample_applications())
    return complaints, applications
