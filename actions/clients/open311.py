"""Client for the city's complaint system, spoken in Open311 GeoReport v2 (JSON).

Everything here follows the spec (https://wiki.open311.org/GeoReport_v2): service
discovery, service definitions, posting a request and reading requests back.
Two additions, both optional for the server: an ``Idempotency-Key`` header on
POST (the IETF httpapi draft), so that a retried submission returns the first
ticket instead of filing a second one, and the ``extended_attributes`` of a
request, where a 12345-style server puts its detailed workflow state.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from actions.clients import http
from actions.clients.errors import NotFound, ServiceUnavailable
from actions.clients.iso8601 import parse_datetime
from actions.clients.open311_definitions import ServiceAttribute, parse_definition
from actions.settings import CityServicesSettings

SERVICE = "open311"
#: How long the service list is reused before asking the server again.
SERVICES_CACHE_SECONDS = 300.0


@dataclass(frozen=True)
class Open311Service:
    """One entry of ``services.json``: a kind of problem the city takes reports about."""

    service_code: str
    service_name: str
    description: str = ""
    metadata: bool = False
    keywords: tuple[str, ...] = ()
    group: str = ""


@dataclass(frozen=True)
class ComplaintSubmission:
    """What a resident reports, in Open311 ``POST requests.json`` terms."""

    service_code: str
    description: str
    address_string: str = ""
    lat: float | None = None
    long: float | None = None
    phone: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    media_url: str = ""
    #: Answers to the service definition's attributes (a list for a multivaluelist).
    attributes: Mapping[str, str | list[str]] = field(default_factory=dict)

    def form(self, api_key: str, jurisdiction_id: str = "") -> dict[str, str | list[str]]:
        """The form fields to post; empty optional fields are left out, as the spec expects."""
        if self.lat is None and self.long is None and not self.address_string:
            raise ValueError("a request needs lat/long or an address_string")
        data: dict[str, str | list[str]] = {
            "api_key": api_key,
            "service_code": self.service_code,
            "description": self.description,
        }
        if jurisdiction_id:
            data["jurisdiction_id"] = jurisdiction_id
        if self.lat is not None and self.long is not None:
            data["lat"] = f"{self.lat:.6f}"
            data["long"] = f"{self.long:.6f}"
        optional = {
            "address_string": self.address_string,
            "phone": self.phone,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "media_url": self.media_url,
        }
        data.update({key: value for key, value in optional.items() if value})
        for key, value in self.attributes.items():
            if isinstance(value, list):
                data[f"attribute[{key}][]"] = [str(v) for v in value]
            else:
                data[f"attribute[{key}]"] = str(value)
        return data


@dataclass(frozen=True)
class SubmittedRequest:
    """The server's answer to a POST: a ticket number, or a token to look it up later."""

    service_request_id: str | None
    token: str | None = None
    service_notice: str = ""


@dataclass(frozen=True)
class ServiceRequest:
    """A filed request as ``GET requests/{id}.json`` returns it."""

    service_request_id: str
    status: str
    service_code: str = ""
    service_name: str = ""
    description: str = ""
    status_notes: str = ""
    agency_responsible: str = ""
    service_notice: str = ""
    address: str = ""
    requested_datetime: dt.datetime | None = None
    updated_datetime: dt.datetime | None = None
    expected_datetime: dt.datetime | None = None
    workflow_state: str | None = None
    extended_attributes: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status.lower() != "closed"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def parse_services(body: Any) -> list[Open311Service]:
    """``services.json`` → services; entries without a code are skipped."""
    if not isinstance(body, list):
        raise ServiceUnavailable(SERVICE, "services.json is not a JSON array")
    services = []
    for item in body:
        if not isinstance(item, Mapping) or not item.get("service_code"):
            continue
        keywords = item.get("keywords") or ""
        if isinstance(keywords, str):
            keyword_list = tuple(k.strip() for k in keywords.split(",") if k.strip())
        else:
            keyword_list = tuple(str(k).strip() for k in keywords if str(k).strip())
        services.append(
            Open311Service(
                service_code=str(item["service_code"]),
                service_name=_text(item.get("service_name")),
                description=_text(item.get("description")),
                metadata=item.get("metadata") in (True, "true"),
                keywords=keyword_list,
                group=_text(item.get("group")),
            )
        )
    return services


def parse_request(item: Mapping[str, Any]) -> ServiceRequest:
    """One record of ``requests.json``."""
    extended = item.get("extended_attributes")
    extended = extended if isinstance(extended, Mapping) else {}
    state = extended.get("workflow_state")
    return ServiceRequest(
        service_request_id=_text(item.get("service_request_id")),
        status=_text(item.get("status")) or "open",
        service_code=_text(item.get("service_code")),
        service_name=_text(item.get("service_name")),
        description=_text(item.get("description")),
        status_notes=_text(item.get("status_notes")),
        agency_responsible=_text(item.get("agency_responsible")),
        service_notice=_text(item.get("service_notice")),
        address=_text(item.get("address")),
        requested_datetime=parse_datetime(item.get("requested_datetime")),
        updated_datetime=parse_datetime(item.get("updated_datetime")),
        expected_datetime=parse_datetime(item.get("expected_datetime")),
        workflow_state=str(state) if state else None,
        extended_attributes=dict(extended),
    )


def parse_submitted(body: Any) -> SubmittedRequest:
    """The POST answer: an array with one object holding an id or a token."""
    if not isinstance(body, list) or not body or not isinstance(body[0], Mapping):
        raise ServiceUnavailable(SERVICE, "unexpected answer to POST requests.json")
    first = body[0]
    request_id = first.get("service_request_id")
    token = first.get("token")
    if not request_id and not token:
        raise ServiceUnavailable(SERVICE, "POST answer has neither service_request_id nor token")
    return SubmittedRequest(
        service_request_id=str(request_id) if request_id else None,
        token=str(token) if token else None,
        service_notice=_text(first.get("service_notice")),
    )


def match_service(category: str, services: Sequence[Open311Service]) -> Open311Service | None:
    """The city's service for an NLU ``complaint_category`` (``road_damage`` …).

    Cities name their services freely, so the match is by code first, then by
    keyword, then by the category's words in the service name; no list of
    codes is hard-coded here.
    """
    wanted = category.strip().lower()
    words = wanted.replace("_", " ")
    for service in services:
        if service.service_code.lower() == wanted:
            return service
    for service in services:
        keywords = {k.lower() for k in service.keywords}
        if wanted in keywords or words in keywords:
            return service
    for service in services:
        if words in service.service_name.lower():
            return service
    return None


class Open311Client:
    """Talks Open311 GeoReport v2 to the city's complaint system."""

    def __init__(
        self,
        settings: CityServicesSettings,
        *,
        client: httpx.AsyncClient | None = None,
        policy: http.TransportPolicy | None = None,
    ) -> None:
        self._base = settings.open311_url.rstrip("/")
        self._api_key = settings.open311_api_key
        self._jurisdiction = settings.open311_jurisdiction_id
        self._client = client
        self._policy = policy or http.TransportPolicy()
        self._services: dict[str, tuple[float, list[Open311Service]]] = {}
        self._definitions: dict[tuple[str, str], tuple[float, tuple[ServiceAttribute, ...]]] = {}

    def _params(self, **extra: str) -> dict[str, str]:
        params = {key: value for key, value in extra.items() if value}
        if self._jurisdiction:
            params["jurisdiction_id"] = self._jurisdiction
        return params

    async def services(self, locale: str = "zh-CN") -> list[Open311Service]:
        """The city's service list in ``locale`` (cached for a few minutes).

        When the server cannot be reached, the last list it gave is used however
        old: the catalogue changes rarely, and a resident reporting a problem
        should not be stopped by an outage of the list of problem types.
        """
        return await self._kept(
            self._services, locale, "services.json", {"locale": locale}, parse_services
        )

    async def definition(
        self, service_code: str, locale: str = "zh-CN"
    ) -> tuple[ServiceAttribute, ...]:
        """The attributes of a service with ``metadata: true`` (cached like the list).

        Raises ServiceUnavailable when the definition cannot be fetched and none was
        fetched before; the form then goes on without the extra questions.
        """
        return await self._kept(
            self._definitions,
            (service_code, locale),
            f"services/{quote(service_code, safe='')}.json",
            {"locale": locale},
            parse_definition,
        )

    async def _kept(
        self,
        cache: dict[Any, tuple[float, Any]],
        key: Any,
        path: str,
        params: dict[str, str],
        parse: Callable[[Any], Any],
    ) -> Any:
        """GET ``path`` and parse it, reused for a few minutes and kept through outages.

        The service list and definitions change rarely, and a resident reporting a
        problem should not be stopped by an outage of them: when the server cannot be
        reached (or no longer has a definition), the last answer is used however old.
        """
        cached = cache.get(key)
        if cached and time.monotonic() - cached[0] < SERVICES_CACHE_SECONDS:
            return cached[1]
        try:
            response = await http.get(
                SERVICE,
                f"{self._base}/{path}",
                params=self._params(**params),
                policy=self._policy,
                client=self._client,
            )
            value = parse(http.json_body(SERVICE, response))
        except (ServiceUnavailable, NotFound):
            if cached:
                return cached[1]
            raise
        cache[key] = (time.monotonic(), value)
        return value

    async def request_id_for_token(self, token: str) -> str | None:
        """The ticket number a ``token`` became (``GET tokens/{token}.json``), or None yet.

        Open311 lets a server answer a POST with a token when it assigns ticket numbers
        later; the token is exchanged for the number once the city has one.
        """
        try:
            response = await http.get(
                SERVICE,
                f"{self._base}/tokens/{quote(token, safe='')}.json",
                params=self._params(),
                policy=self._policy,
                client=self._client,
            )
        except NotFound:
            return None
        body = http.json_body(SERVICE, response)
        first = body[0] if isinstance(body, list) and body else body
        if isinstance(first, Mapping) and first.get("service_request_id"):
            return str(first["service_request_id"])
        return None

    async def submit(
        self, submission: ComplaintSubmission, idempotency_key: str
    ) -> SubmittedRequest:
        """POST the request once; the same key on a retry returns the first ticket.

        Raises ServiceUnavailable when the outcome is unknown (timeout, 5xx) and
        Rejected when the server refused it — the outbox decides what to do.
        """
        response = await http.post_form(
            SERVICE,
            f"{self._base}/requests.json",
            data=submission.form(self._api_key, self._jurisdiction),
            headers={"Idempotency-Key": idempotency_key},
            policy=self._policy,
            client=self._client,
        )
        return parse_submitted(http.json_body(SERVICE, response))

    async def request(self, service_request_id: str, locale: str = "zh-CN") -> ServiceRequest:
        """One request by its ticket number; NotFound when the city has no such ticket."""
        response = await http.get(
            SERVICE,
            f"{self._base}/requests/{quote(service_request_id, safe='')}.json",
            params=self._params(locale=locale),
            policy=self._policy,
            client=self._client,
        )
        body = http.json_body(SERVICE, response)
        if not isinstance(body, list) or not body or not isinstance(body[0], Mapping):
            raise NotFound(SERVICE, f"no request {service_request_id}")
        return parse_request(body[0])

    async def requests(
        self, service_request_ids: Sequence[str], locale: str = "zh-CN"
    ) -> list[ServiceRequest]:
        """Several requests by ticket number in one call (unknown ones are simply absent)."""
        if not service_request_ids:
            return []
        response = await http.get(
            SERVICE,
            f"{self._base}/requests.json",
            params=self._params(service_request_id=",".join(service_request_ids), locale=locale),
            policy=self._policy,
            client=self._client,
        )
        body = http.json_body(SERVICE, response)
        if not isinstance(body, list):
            raise ServiceUnavailable(SERVICE, "requests.json is not a JSON array")
        return [parse_request(item) for item in body if isinstance(item, Mapping)]
