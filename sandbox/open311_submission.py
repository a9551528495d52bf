"""Checking a ``POST requests.json`` form and turning it into a new service request.

Everything a client can get wrong is caught here, before anything is written, so a rejected
request leaves no trace. Each problem is an :class:`InvalidSubmission` whose message tells
the client which field to fix. The module is pure: form pairs and the catalogue in, a
:class:`NewServiceRequest` out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sandbox.forms import has_control_characters
from sandbox.iso8601 import InvalidTimestamp, parse_timestamp
from sandbox.open311_catalogue import Attribute, Service

MAX_DESCRIPTION_CHARS = 4000

#: Longest accepted value of each optional text field, in characters.
MAX_LENGTHS = {
    "address_string": 500,
    "address_id": 128,
    "email": 254,
    "phone": 32,
    "first_name": 100,
    "last_name": 100,
    "device_id": 128,
    "account_id": 128,
    "media_url": 2048,
    "zipcode": 16,
}
SCALAR_FIELDS = frozenset(
    {
        "api_key",
        "jurisdiction_id",
        "locale",
        "service_code",
        "lat",
        "long",
        "description",
        *MAX_LENGTHS,
    }
)

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{3,32}$")

AttributeAnswers = dict[str, str | list[str]]

# Whether an attribute's date-time parses does not depend on the zone assumed for it.
_ANY_ZONE = ZoneInfo("UTC")


class InvalidSubmission(ValueError):
    """A service request the sandbox will not accept; the message names the field."""


@dataclass(frozen=True)
class NewServiceRequest:
    """A checked service request, ready to store."""

    service_code: str
    description: str | None = None
    lat: float | None = None
    long: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    zipcode: str | None = None
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    media_url: str | None = None
    attributes: AttributeAnswers = field(default_factory=dict)


def scalar_fields(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The single-valued fields of a form; a field sent twice is an error."""
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name not in SCALAR_FIELDS:
            continue
        if name in fields:
            raise InvalidSubmission(f"{name} was sent more than once")
        fields[name] = value
    return fields


def parse_submission(
    pairs: list[tuple[str, str]], services: Mapping[str, Service]
) -> NewServiceRequest:
    """The service request a form describes, or :class:`InvalidSubmission`."""
    for name, value in pairs:
        if has_control_characters(value):
            raise InvalidSubmission(f"{name} contains control characters")
    fields = scalar_fields(pairs)
    code = fields.get("service_code", "").strip()
    if not code:
        raise InvalidSubmission("service_code is required")
    service = services.get(code)
    if service is None:
        raise InvalidSubmission(f"service_code {code!r} is not a known service")
    lat, long = _location(fields)
    texts = {name: _optional_text(fields, name, limit) for name, limit in MAX_LENGTHS.items()}
    if lat is None and not texts["address_string"] and not texts["address_id"]:
        raise InvalidSubmission(
            "a location is required: lat and long, address_string or address_id"
        )
    description = fields.get("description")
    if description is not None and len(description) > MAX_DESCRIPTION_CHARS:
        raise InvalidSubmission(
            f"description is {len(description)} characters; at most {MAX_DESCRIPTION_CHARS}"
        )
    _check_contact(texts)
    return NewServiceRequest(
        service_code=code,
        description=description.strip() if description and description.strip() else None,
        lat=lat,
        long=long,
        attributes=_attributes(pairs, service),
        **texts,
    )


def _optional_text(fields: Mapping[str, str], name: str, limit: int) -> str | None:
    value = fields.get(name, "").strip()
    if len(value) > limit:
        raise InvalidSubmission(f"{name} is longer than {limit} characters")
    return value or None


def _location(fields: Mapping[str, str]) -> tuple[float | None, float | None]:
    raw_lat, raw_long = fields.get("lat", "").strip(), fields.get("long", "").strip()
    if not raw_lat and not raw_long:
        return None, None
    if not raw_lat or not raw_long:
        raise InvalidSubmission("lat and long must be sent together")
    lat, long = _number("lat", raw_lat), _number("long", raw_long)
    if not -90 <= lat <= 90:
        raise InvalidSubmission(f"lat {raw_lat} is outside -90..90")
    if not -180 <= long <= 180:
        raise InvalidSubmission(f"long {raw_long} is outside -180..180")
    return lat, long


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InvalidSubmission(f"{name} must be a decimal number (WGS-84 degrees)") from None
    if not math.isfinite(value):
        raise InvalidSubmission(f"{name} must be a finite number")
    return value


def _check_contact(texts: Mapping[str, str | None]) -> None:
    email, phone, media_url = texts["email"], texts["phone"], texts["media_url"]
    if email and not _EMAIL.match(email):
        raise InvalidSubmission("email is not an e-mail address")
    if phone and not _PHONE.match(phone):
        raise InvalidSubmission("phone may contain only digits, spaces, +, -, ( and )")
    if media_url:
        parts = urlsplit(media_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise InvalidSubmission("media_url must be an http or https URL")


def _attributes(pairs: list[tuple[str, str]], service: Service) -> AttributeAnswers:
    answers: AttributeAnswers = {}
    lists: dict[str, list[str]] = {}
    for name, value in pairs:
        match = _ATTRIBUTE.match(name)
        if not match:
            continue
        code, is_list = match.group(1), bool(match.group(2))
        attribute = service.attribute(code)
        if attribute is None:
            raise InvalidSubmission(f"{name}: service {service.code!r} has no attribute {code!r}")
        if is_list != (attribute.datatype == "multivaluelist"):
            form = f"attribute[{code}][]" if not is_list else f"attribute[{code}]"
            raise InvalidSubmission(f"{name}: send {attribute.datatype} answers as {form}")
        checked = _attribute_value(attribute, value.strip())
        if is_list:
            answers[code] = lists.setdefault(code, [])
            lists[code].append(checked)
        elif code in answers:
            raise InvalidSubmission(f"{name} was sent more than once")
        else:
            answers[code] = checked
    for attribute in service.attributes:
        # What the server fills in itself (``variable: false``) is never a client's to send.
        if attribute.required and attribute.variable and attribute.code not in answers:
            raise InvalidSubmission(f"attribute[{attribute.code}] is required for {service.code}")
    return answers


def _attribute_value(attribute: Attribute, value: str) -> str:
    where = f"attribute[{attribute.code}]"
    if attribute.datatype in {"singlevaluelist", "multivaluelist"}:
        if not attribute.allows(value):
            keys = ", ".join(v.key for v in attribute.values)
            raise InvalidSubmission(f"{where}: {value!r} is not one of {keys}")
    elif attribute.datatype == "number":
        _number(where, value)
    elif attribute.datatype == "datetime":
        try:
            parse_timestamp(value, _ANY_ZONE)
        except InvalidTimestamp as error:
            raise InvalidSubmission(f"{where}: {error}") from None
    elif len(value) > MAX_DESCRIPTION_CHARS:
        raise InvalidSubmission(f"{where} is longer than {MAX_DESCRIPTION_CHARS} characters")
    return value
