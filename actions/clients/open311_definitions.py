"""Open311 service definitions (``GET services/{code}.json``): the extra questions of a service.

A city marks a service ``"metadata": true`` when filing it needs more than a
description and a place ("how big is the pothole?", "which side of the street?").
Each attribute has a datatype, may be required, and list types carry their allowed
values. Parsing is forgiving where the spec is loose and strict where a wrong answer
would be refused: an attribute without a code is skipped (it cannot be answered),
an unknown datatype is asked as free text (the city's server judges the answer),
and ``"required": "true"`` strings count as true, as some servers send them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

DATATYPES = frozenset({"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"})
LIST_DATATYPES = frozenset({"singlevaluelist", "multivaluelist"})
#: What an unknown datatype is asked as.
FALLBACK_DATATYPE = "string"


@dataclass(frozen=True)
class AttributeValue:
    """One allowed answer of a list attribute: the key to post and the name to show."""

    key: str
    name: str


@dataclass(frozen=True)
class ServiceAttribute:
    """One question of a service definition."""

    code: str
    datatype: str
    required: bool
    description: str
    order: int = 0
    variable: bool = True
    datatype_description: str = ""
    values: tuple[AttributeValue, ...] = ()

    @property
    def asked(self) -> bool:
        """Whether the form asks it: required, and needing the resident's input."""
        return self.required and self.variable

    @property
    def is_list(self) -> bool:
        return self.datatype in LIST_DATATYPES


def _flag(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return default


def _order(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def parse_attribute(item: Mapping[str, Any]) -> ServiceAttribute | None:
    """One attribute of a definition; None when it has no code to answer it by."""
    code = str(item.get("code") or "").strip()
    if not code:
        return None
    datatype = str(item.get("datatype") or "").strip().lower()
    values = tuple(
        AttributeValue(str(v.get("key")), str(v.get("name") or v.get("key")))
        for v in item.get("values") or ()
        if isinstance(v, Mapping) and v.get("key") not in (None, "")
    )
    if datatype not in DATATYPES:
        logger.warning("attribute %s: unknown datatype %r, asked as free text", code, datatype)
        datatype = FALLBACK_DATATYPE
    if datatype in LIST_DATATYPES and not values:
        logger.warning("attribute %s: a %s without values, asked as free text", code, datatype)
        datatype = FALLBACK_DATATYPE
    return ServiceAttribute(
        code=code,
        datatype=datatype,
        required=_flag(item.get("required"), False),
        description=str(item.get("description") or code).strip(),
        order=_order(item.get("order")),
        variable=_flag(item.get("variable"), True),
        datatype_description=str(item.get("datatype_description") or "").strip(),
        values=values,
    )


def parse_definition(body: Any) -> tuple[ServiceAttribute, ...]:
    """A definition's attributes in the city's order; anything unreadable yields none.

    A definition that cannot be read is not a reason to refuse a resident's report:
    the form goes on without extra questions, and if the city insists, its answer to
    the POST says so and the complaint is kept for staff (never lost).
    """
    if isinstance(body, list) and body and isinstance(body[0], Mapping):
        body = body[0]  # some servers wrap the definition in an array
    if not isinstance(body, Mapping) or not isinstance(body.get("attributes"), list):
        return ()
    attributes = [
        attribute
        for item in body["attributes"]
        if isinstance(item, Mapping) and (attribute := parse_attribute(item)) is not None
    ]
    return tuple(sorted(attributes, key=lambda a: a.order))
