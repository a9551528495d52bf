"""A stored service request written as an Open311 GeoReport v2 record, in one language.

This is the single place that decides what the public sees: the spec's fields, the 12345
workflow in ``extended_attributes``, and never the reporter's name, phone or e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sandbox import workflow
from sandbox.iso8601 import format_timestamp
from sandbox.open311_catalogue import Service
from sandbox.service_requests import StoredRequest


def service_request_record(
    stored: StoredRequest, services: Mapping[str, Service], language: str, zone: ZoneInfo
) -> dict[str, Any]:
    """The ``GET requests.json`` record for ``stored``."""
    service = services.get(stored.service_code)
    agency = stored.agency_zh if language == "zh" else stored.agency_en
    last_note = stored.history[-1].note if stored.history else None
    return {
        "service_request_id": stored.service_request_id,
        "status": workflow.spec_status(stored.workflow_state),
        "status_notes": workflow.status_note(stored.workflow_state, agency, language, last_note),
        "service_name": service.name.in_language(language) if service else stored.service_code,
        "service_code": stored.service_code,
        "description": stored.description,
        "agency_responsible": agency,
        "service_notice": service.service_notice.in_language(language) if service else None,
        "requested_datetime": format_timestamp(stored.requested_at, zone),
        "updated_datetime": format_timestamp(stored.updated_at, zone),
        "expected_datetime": format_timestamp(stored.expected_at, zone),
        "address": stored.address_string,
        "address_id": stored.address_id,
        "zipcode": stored.zipcode,
        "lat": stored.lat,
        "long": stored.long,
        "media_url": stored.media_url,
        "extended_attributes": _extended(stored, agency, language, zone),
    }


def _extended(stored: StoredRequest, agency: str, language: str, zone: ZoneInfo) -> dict[str, Any]:
    current = workflow.state(stored.workflow_state)
    return {
        "workflow_state": current.code,
        "workflow_state_zh": current.label_zh,
        "workflow_state_en": current.label_en,
        "attributes": dict(stored.attributes),
        "sample_data": stored.sample,
        "history": [
            {
                "workflow_state": entry.state,
                "workflow_state_zh": workflow.state(entry.state).label_zh,
                "changed_datetime": format_timestamp(entry.changed_at, zone),
                "status_notes": workflow.status_note(entry.state, agency, language, entry.note),
            }
            for entry in stored.history
        ],
    }
