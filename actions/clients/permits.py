"""Client for the city's permit system: BLDS-shaped application records and the service catalogue.

Application records use the field names of the BLDS permits specification
(``PermitNum``, ``StatusCurrentMapped`` …), so a city that already publishes
BLDS data can serve the assistant as is. Personal fields a server might send
(applicant name, ID number, address) are dropped here, at the edge, so no
action can show them by mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from actions.clients import http
from actions.clients.errors import NotConfigured, NotFound, Rejected, ServiceUnavailable
from actions.clients.iso8601 import parse_date, parse_datetime
from actions.settings import CityServicesSettings

SERVICE = "permits"
#: Any city's application number that can stand in a URL path (its format is the city's:
#: ``city.application_pattern``, checked where residents' words are read).
#: Application numbers as cities write them ("PA20261234", "WAB.6740.1532.2024"); sent
#: percent-encoded, so a "/" is part of the number, never of the path.
APPLICATION_ID = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{1,38}[A-Z0-9]$")


@dataclass(frozen=True)
class PermitApplication:
    """One application's public status, in BLDS terms."""

    permit_num: str
    permit_type: str
    permit_type_mapped: str
    status_current: str
    status_current_mapped: str
    status_date: dt.datetime | None = None
    applied_date: dt.date | None = None
    issued_date: dt.date | None = None
    description: str = ""
    status_text: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_issued(self) -> bool:
        return self.issued_date is not None or self.status_current_mapped == "Permit Issued"


@dataclass(frozen=True)
class PermitService:
    """What the catalogue says about one permit type, per language (``zh``/``en``)."""

    permit_type: str
    name: Mapping[str, str]
    raw: Mapping[str, Any]
    #: Other names residents use for it ("港澳通行证"), by language.
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Words for what it is for ("看病刷卡", "pay rent"), by language: a need, not a name.
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self, key: str, language: str) -> Any:
        """A bilingual field (``eligibility``, ``documents``, ``fee`` …) in ``language``."""
        value = self.raw.get(key)
        if isinstance(value, Mapping):
            return value.get(language, value.get("zh"))
        return value


@dataclass(frozen=True)
class PermitCatalogue:
    """The list of permit types with the catalogue's contact details (hotline, portal)."""

    services: tuple[PermitService, ...]
    hotline: str = ""
    portal_name: Mapping[str, str] = field(default_factory=dict)
    portal_url: str = ""
    #: The city the catalogue says it describes, by language ({"en": "Shenzhen", …}); empty
    #: when it does not say (a city's own catalogue need not).
    city: Mapping[str, str] = field(default_factory=dict)

    def describes_another_city(self, names: Iterable[str]) -> bool:
        """Whether the catalogue names its city and none of ``names`` is it."""
        own = {name.strip().casefold() for name in names if name.strip()}
        theirs = {name.strip().casefold() for name in self.city.values() if name.strip()}
        return bool(theirs and own) and not (theirs & own)


def parse_catalogue(body: Any) -> PermitCatalogue:
    """``GET services``: a list, or an object with ``services`` and optional contact fields."""
    items = body.get("services") if isinstance(body, Mapping) else body
    if not isinstance(items, list):
        raise ServiceUnavailable(SERVICE, "services is not a list")
    header: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    portal = header.get("portal")
    portal_info: Mapping[str, Any] = portal if isinstance(portal, Mapping) else {}
    return PermitCatalogue(
        services=tuple(parse_service(item) for item in items if isinstance(item, Mapping)),
        hotline=str(header.get("hotline") or ""),
        portal_name={
            str(k): str(v) for k, v in portal_info.items() if k != "url" and isinstance(v, str)
        },
        portal_url=str(portal_info.get("url") or ""),
        city=_names(header.get("city")),
    )


def _names(value: Any) -> dict[str, str]:
    """A catalogue's ``city``: ``{"en": …, "zh": …}`` or one name for every language."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
    return {"": value} if isinstance(value, str) else {}


def parse_application(body: Any) -> PermitApplication:
    """A BLDS record → PermitApplication, keeping only public fields."""
    if not isinstance(body, Mapping) or not body.get("PermitNum"):
        raise ServiceUnavailable(SERVICE, "application record without PermitNum")
    status_text = body.get("StatusText") or body.get("status_text") or {}
    return PermitApplication(
        permit_num=str(body["PermitNum"]),
        permit_type=str(body.get("PermitType") or ""),
        permit_type_mapped=str(body.get("PermitTypeMapped") or ""),
        status_current=str(body.get("StatusCurrent") or ""),
        status_current_mapped=str(body.get("StatusCurrentMapped") or ""),
        status_date=parse_datetime(body.get("StatusDate")),
        applied_date=parse_date(body.get("AppliedDate")),
        issued_date=parse_date(body.get("IssuedDate")),
        description=str(body.get("Description") or ""),
        status_text={str(k): str(v) for k, v in status_text.items()}
        if isinstance(status_text, Mapping)
        else {},
    )


def parse_service(body: Any) -> PermitService:
    """One catalogue entry (the server may wrap it in ``{"service": …}``)."""
    if isinstance(body, Mapping) and isinstance(body.get("service"), Mapping):
        body = body["service"]
    if not isinstance(body, Mapping) or not body.get("permit_type"):
        raise ServiceUnavailable(SERVICE, "catalogue entry without permit_type")
    name = body.get("name")
    return PermitService(
        permit_type=str(body["permit_type"]),
        name={str(k): str(v) for k, v in name.items()} if isinstance(name, Mapping) else {},
        raw=dict(body),
        aliases=words_by_language(body.get("aliases")),
        keywords=words_by_language(body.get("keywords")),
    )


def words_by_language(value: Any) -> dict[str, tuple[str, ...]]:
    """``{"zh": [...], "en": [...]}`` → non-empty words per language; anything else → ``{}``.

    A language whose value is not a list is left out rather than failing the whole entry:
    an alias the server got wrong should not cost the resident the answer.
    """
    if not isinstance(value, Mapping):
        return {}
    return {
        str(language): tuple(w.strip() for w in words if isinstance(w, str) and w.strip())
        for language, words in value.items()
        if isinstance(words, list)
    }


class PermitsClient:
    """Reads application status and the permit catalogue from the city's permit API."""

    def __init__(
        self,
        settings: CityServicesSettings,
        *,
        client: httpx.AsyncClient | None = None,
        policy: http.TransportPolicy | None = None,
        city_names: Iterable[str] = (),
    ) -> None:
        """``city_names``: the configured city's names; a catalogue that says it describes
        another city (the bundled sample, left pointed at by an integrator configuring
        their own city) is treated as no catalogue at all, so residents are sent to their
        own city's hotline and portal instead of another city's permits."""
        self._base = settings.permits_url.rstrip("/") if settings.has_permits else ""
        self._city_names = tuple(city_names)
        self._client = client
        self._policy = policy or http.TransportPolicy()
        self._last_catalogue: PermitCatalogue | None = None
        self._last_body: bytes | None = None

    async def application(self, permit_num: str) -> PermitApplication:
        """Status of one application; Rejected for a malformed number, NotFound if unknown."""
        self._check_configured()
        if self._last_catalogue is not None:
            self._check_city(self._last_catalogue)
        number = permit_num.strip().upper()
        if not APPLICATION_ID.match(number):
            raise Rejected(SERVICE, f"not an application number: {permit_num!r}", status=400)
        response = await http.get(
            SERVICE,
            f"{self._base}/applications/{quote(number, safe='')}",
            policy=self._policy,
            client=self._client,
        )
        return parse_application(http.json_body(SERVICE, response))

    async def service(self, permit_type: str) -> PermitService:
        """The catalogue entry of one permit type (``residence_permit`` …)."""
        self._check_configured()
        if not re.fullmatch(r"[a-z_]{1,64}", permit_type):
            raise NotFound(SERVICE, f"no permit type {permit_type!r}")
        response = await http.get(
            SERVICE,
            f"{self._base}/services/{permit_type}",
            policy=self._policy,
            client=self._client,
        )
        body = http.json_body(SERVICE, response)
        if isinstance(body, Mapping):
            self._check_city(PermitCatalogue(services=(), city=_names(body.get("city"))))
        return parse_service(body)

    async def catalogue(self) -> PermitCatalogue:
        """Every permit type the city describes, read fresh so catalogue edits show at once.

        When the server cannot be reached the last list read is returned instead:
        offering yesterday's choice of permit types beats offering none. The
        answers themselves (``service``) are never served from memory.

        An answer byte for byte equal to the last one gives back the same catalogue
        object: the permit lookup keeps its index per catalogue object
        (:func:`actions.permits.lookup.index_for`), and building that index for every
        question was most of the action server's CPU under load.
        """
        self._check_configured()
        try:
            response = await http.get(
                SERVICE, f"{self._base}/services", policy=self._policy, client=self._client
            )
            body = response.content
            if self._last_catalogue is not None and body == self._last_body:
                self._check_city(self._last_catalogue)
                return self._last_catalogue
            catalogue = parse_catalogue(http.json_body(SERVICE, response))
        except ServiceUnavailable:
            if self._last_catalogue is None:
                raise
            self._check_city(self._last_catalogue)
            return self._last_catalogue
        self._last_catalogue, self._last_body = catalogue, body
        self._check_city(catalogue)
        return catalogue

    def _check_city(self, catalogue: PermitCatalogue) -> None:
        if catalogue.describes_another_city(self._city_names):
            raise NotConfigured(
                SERVICE,
                f"the permit catalogue describes {sorted(set(catalogue.city.values()))}, "
                f"not this city ({', '.join(self._city_names)})",
            )

    def _check_configured(self) -> None:
        if not self._base:
            raise NotConfigured(SERVICE, "the city has no permit API (permits_url: none)")

    async def services(self) -> list[PermitService]:
        """Every permit type the city describes."""
        return list((await self.catalogue()).services)
