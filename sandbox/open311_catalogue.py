"""The Open311 service list (what residents can report) and its spec-shaped rendering.

The catalogue is data (``data/open311_services.yml``) so a city edits YAML, not code. This
module reads it once into typed objects and renders the GeoReport v2 ``services`` and
``service definition`` payloads for one language; both are pure functions of the catalogue.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "data" / "open311_services.yml"

DATATYPES = frozenset({"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"})
LIST_DATATYPES = frozenset({"singlevaluelist", "multivaluelist"})


@dataclass(frozen=True)
class Text:
    """A string in both of the sandbox's languages."""

    zh: str
    en: str

    def in_language(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class AttributeValue:
    """One allowed answer of a list attribute."""

    key: str
    name: Text


@dataclass(frozen=True)
class Attribute:
    """An extra question a service asks (Open311 service definition attribute)."""

    code: str
    datatype: str
    required: bool
    order: int
    description: Text
    datatype_description: Text | None
    values: tuple[AttributeValue, ...]
    #: False for what the city's server fills in itself (a real list's easting, northing,
    #: closest address): never asked of residents, never required of a client.
    variable: bool = True

    def allows(self, key: str) -> bool:
        return any(value.key == key for value in self.values)


@dataclass(frozen=True)
class Service:
    """Something a resident can report, and who deals with it."""

    code: str
    group: Text
    name: Text
    description: Text
    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    agency: Text
    service_notice: Text
    attributes: tuple[Attribute, ...]

    @property
    def has_metadata(self) -> bool:
        return bool(self.attributes)

    def attribute(self, code: str) -> Attribute | None:
        return next((a for a in self.attributes if a.code == code), None)


class CatalogueError(ValueError):
    """The catalogue YAML is not what this module expects; the message says where."""


def load_catalogue(path: str | os.PathLike[str] = DEFAULT_CATALOGUE) -> dict[str, Service]:
    """The services in the YAML file at ``path``, by service code, in file order."""
    with open(path, encoding="utf-8") as handle:
        return parse_catalogue(yaml.safe_load(handle))


def load_open311_directory(directory: str | os.PathLike[str]) -> dict[str, Service]:
    """Another city's own Open311 list: ``services.json`` plus ``services/<code>.json``.

    So the sandbox can play a real city (its codes, names and required attributes)
    for an integration test. The city's texts are in one language; the sandbox's
    two languages both show them.
    """
    root = Path(directory)
    with open(root / "services.json", encoding="utf-8") as handle:
        listed = json.load(handle)
    if not isinstance(listed, list):
        raise CatalogueError(f"{root / 'services.json'}: not a JSON array")
    services: dict[str, Service] = {}
    for item in listed:
        code = str(item.get("service_code") or "") if isinstance(item, Mapping) else ""
        if not code:
            continue
        definition = root / "services" / f"{code}.json"
        attributes: tuple[Attribute, ...] = ()
        if definition.is_file():
            with open(definition, encoding="utf-8") as handle:
                body = json.load(handle)
            attributes = tuple(
                _imported_attribute(raw)
                for raw in body.get("attributes") or ()
                if isinstance(raw, Mapping)
                and raw.get("code")
                and str(raw.get("datatype")) in DATATYPES
            )
        keywords = item.get("keywords") or ""
        words = keywords.split(",") if isinstance(keywords, str) else [str(k) for k in keywords]
        same = _same_text
        # A real list may give two services one code (Warwickshire's "CD" is Carriageway
        # Defect and Roads/Highways): both are listed as the city lists them; a request or
        # a definition by that code is the first's.
        key = code
        while key in services:
            key += "\x00"
        services[key] = Service(
            code=code,
            group=same(item.get("group")),
            name=same(item.get("service_name") or code),
            description=same(item.get("description")),
            keywords_zh=(),
            keywords_en=tuple(w.strip() for w in words if w.strip()),
            agency=same(item.get("agency_responsible") or "City department"),
            service_notice=same(""),
            attributes=tuple(sorted(attributes, key=lambda a: a.order)),
        )
    if not services:
        raise CatalogueError(f"{root / 'services.json'} lists no services")
    return services


def _same_text(value: Any) -> Text:
    text = "" if value is None else str(value)
    return Text(zh=text, en=text)


def _imported_attribute(raw: Mapping[str, Any]) -> Attribute:
    values = tuple(
        AttributeValue(key=str(v["key"]), name=_same_text(v.get("name") or v["key"]))
        for v in raw.get("values") or ()
        if isinstance(v, Mapping) and v.get("key") not in (None, "")
    )
    described = raw.get("datatype_description")
    return Attribute(
        code=str(raw["code"]),
        datatype=str(raw["datatype"]),
        required=raw.get("required") in (True, "true"),
        order=int(raw.get("order") or 0),
        description=_same_text(raw.get("description") or raw["code"]),
        datatype_description=_same_text(described) if described else None,
        values=values,
        variable=raw.get("variable") not in (False, "false"),
    )


def parse_catalogue(data: Mapping[str, Any]) -> dict[str, Service]:
    """Services from the parsed YAML, checked so a typo fails at start-up, not per request."""
    services: dict[str, Service] = {}
    for raw in data.get("services") or []:
        service = _service(raw)
        if service.code in services:
            raise CatalogueError(f"service_code {service.code!r} appears twice")
        services[service.code] = service
    if not services:
        raise CatalogueError("the catalogue lists no services")
    return services


def _text(raw: Any, where: str) -> Text:
    if not isinstance(raw, Mapping) or not raw.get("zh") or not raw.get("en"):
        raise CatalogueError(f"{where}: needs both zh and en text")
    return Text(zh=str(raw["zh"]), en=str(raw["en"]))


def _service(raw: Mapping[str, Any]) -> Service:
    code = str(raw.get("service_code") or "")
    if not code:
        raise CatalogueError(f"a service has no service_code: {raw!r}")
    keywords = raw.get("keywords") or {}
    return Service(
        code=code,
        group=_text(raw.get("group"), f"{code}.group"),
        name=_text(raw.get("name"), f"{code}.name"),
        description=_text(raw.get("description"), f"{code}.description"),
        keywords_zh=tuple(str(k) for k in keywords.get("zh") or ()),
        keywords_en=tuple(str(k) for k in keywords.get("en") or ()),
        agency=_text(raw.get("agency"), f"{code}.agency"),
        service_notice=_text(raw.get("service_notice"), f"{code}.service_notice"),
        attributes=tuple(
            sorted(
                (_attribute(a, code) for a in raw.get("attributes") or ()),
                key=lambda a: a.order,
            )
        ),
    )


def _attribute(raw: Mapping[str, Any], service_code: str) -> Attribute:
    code = str(raw.get("code") or "")
    where = f"{service_code}.attributes.{code or '?'}"
    datatype = str(raw.get("datatype") or "")
    if not code or datatype not in DATATYPES:
        raise CatalogueError(f"{where}: needs a code and a datatype among {sorted(DATATYPES)}")
    values = tuple(
        AttributeValue(key=str(v["key"]), name=_text(v.get("name"), f"{where}.{v['key']}"))
        for v in raw.get("values") or ()
    )
    if (datatype in LIST_DATATYPES) != bool(values):
        raise CatalogueError(f"{where}: list datatypes, and only they, need values")
    described = raw.get("datatype_description")
    return Attribute(
        code=code,
        datatype=datatype,
        required=bool(raw.get("required", False)),
        order=int(raw.get("order", 0)),
        description=_text(raw.get("description"), f"{where}.description"),
        datatype_description=_text(described, where) if described else None,
        values=values,
    )


def service_list_entry(service: Service, language: str) -> dict[str, Any]:
    """One element of ``GET services.json``."""
    keywords = service.keywords_zh + service.keywords_en
    return {
        "service_code": service.code,
        "service_name": service.name.in_language(language),
        "description": service.description.in_language(language),
        "metadata": service.has_metadata,
        "type": "realtime",
        "keywords": ",".join(keywords),
        "group": service.group.in_language(language),
    }


def service_definition(service: Service, language: str) -> dict[str, Any]:
    """The body of ``GET services/{code}.json``."""
    return {
        "service_code": service.code,
        "attributes": [_attribute_entry(a, language) for a in service.attributes],
    }


def _attribute_entry(attribute: Attribute, language: str) -> dict[str, Any]:
    described = attribute.datatype_description
    entry: dict[str, Any] = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": described.in_language(language) if described else None,
        "order": attribute.order,
        "description": attribute.description.in_language(language),
    }
    if attribute.values:
        entry["values"] = [
            {"key": value.key, "name": value.name.in_language(language)}
            for value in attribute.values
        ]
    return entry
