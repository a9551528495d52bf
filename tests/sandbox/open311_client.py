"""A small, generic Open311 GeoReport v2 client that checks every answer against the spec.

It knows nothing about the sandbox: any GeoReport v2 JSON endpoint can be walked with it.
Each call returns the parsed body after asserting the spec's shape (arrays, field names,
types, ISO 8601 times with an offset); :func:`assert_spec_error` checks error answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
RECEIPT_FIELDS = {"service_request_id", "service_notice", "account_id"}
TIME_FIELDS = ("requested_datetime", "updated_datetime", "expected_datetime")


def assert_iso_time_with_offset(text: Any) -> dt.datetime:
    assert isinstance(text, str), f"time {text!r} is not a string"
    moment = dt.datetime.fromisoformat(text)
    assert moment.tzinfo is not None, f"time {text!r} has no offset"
    return moment


def assert_spec_error(response: httpx.Response, status: int) -> str:
    """The response is an Open311 error with ``status``; returns its description."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and len(body) == 1, body
    assert set(body[0]) == {"code", "description"}, body
    assert body[0]["code"] == status
    assert isinstance(body[0]["description"], str) and body[0]["description"]
    return str(body[0]["description"])


def assert_service_request(record: Any) -> dict[str, Any]:
    assert isinstance(record, dict)
    missing = REQUEST_FIELDS - set(record)
    assert not missing, f"record lacks {missing}"
    assert record["status"] in {"open", "closed"}
    for name in TIME_FIELDS:
        if record[name] is not None:
            assert_iso_time_with_offset(record[name])
    for name in ("lat", "long"):
        assert record[name] is None or isinstance(record[name], (int, float))
    return record


class Open311Client:
    """Walks an Open311 endpoint with an httpx client whose base URL is the server."""

    def __init__(self, http: httpx.Client, root: str, api_key: str) -> None:
        self.http = http
        self.root = root.rstrip("/")
        self.api_key = api_key

    def services(self, **params: str) -> list[dict[str, Any]]:
        response = self.http.get(f"{self.root}/services.json", params=params)
        assert response.status_code == 200, response.text
        services = response.json()
        assert isinstance(services, list) and services
        for service in services:
            assert set(service) >= SERVICE_FIELDS, service
            assert isinstance(service["metadata"], bool)
            assert service["type"] in {"realtime", "batch", "blackbox"}
        return services

    def definition(self, service_code: str, **params: str) -> dict[str, Any]:
        response = self.http.get(f"{self.root}/services/{service_code}.json", params=params)
        assert response.status_code == 200, response.text
        definition = response.json()
        assert definition["service_code"] == service_code
        for attribute in definition["attributes"]:
            assert set(attribute) >= ATTRIBUTE_FIELDS, attribute
            assert attribute["datatype"] in DATATYPES
            if attribute["datatype"].endswith("valuelist"):
                assert all(set(v) == {"key", "name"} for v in attribute["values"])
        return definition

    def post(self, fields: dict[str, str], **headers: str) -> httpx.Response:
        """POST a request; the raw response, so callers can check errors too."""
        return self.http.post(
            f"{self.root}/requests.json",
            data={"api_key": self.api_key, **fields},
            headers={k.replace("_", "-"): v for k, v in headers.items()},
        )

    def create(self, fields: dict[str, str], **headers: str) -> dict[str, Any]:
        response = self.post(fields, **headers)
        assert response.status_code in {200, 201}, response.text
        receipts = response.json()
        assert isinstance(receipts, list) and len(receipts) == 1
        assert set(receipts[0]) >= RECEIPT_FIELDS, receipts
        return dict(receipts[0])

    def get(self, service_request_id: str, **params: str) -> dict[str, Any]:
        response = self.http.get(f"{self.root}/requests/{service_request_id}.json", params=params)
        assert response.status_code == 200, response.text
        records = response.json()
        assert isinstance(records, list) and len(records) == 1, "a single record comes in an array"
        return assert_service_request(records[0])

    def search(self, **params: str) -> list[dict[str, Any]]:
        response = self.http.get(f"{self.root}/requests.json", params=params)
        assert response.status_code == 200, response.text
        records = response.json()
        assert isinstance(records, list)
        return [assert_service_request(record) for record in records]
