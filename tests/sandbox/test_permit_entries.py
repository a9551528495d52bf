"""What a catalogue entry sent to the admin API must look like, checked without a server."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from sandbox.errors import PermitError
from sandbox.permit_entries import check_entry, parse_entry
from sandbox.permits_catalogue import PermitCatalogue

SHIPPED = PermitCatalogue.from_yaml()


def body(entry: Any) -> bytes:
    return json.dumps(entry, ensure_ascii=False).encode("utf-8")


def passport_with(path: str, value: Any) -> dict[str, Any]:
    """The shipped passport entry with the field at dotted ``path`` (``apply.offices``) set."""
    entry = copy.deepcopy(dict(SHIPPED["passport"]))
    *parents, last = path.split(".")
    target = entry
    for parent in parents:
        target = target[parent]
    target[last] = value
    return entry


@pytest.mark.parametrize("permit_type", list(SHIPPED))
def test_every_shipped_entry_is_accepted_unchanged(permit_type: str) -> None:
    entry = dict(SHIPPED[permit_type])

    assert parse_entry(body(entry), permit_type) == entry


def test_the_header_fields_a_get_adds_are_dropped() -> None:
    answer = {**SHIPPED.header, **SHIPPED["passport"]}

    assert parse_entry(body(answer), "passport") == dict(SHIPPED["passport"])


def test_a_minimal_entry_needs_only_a_name_in_both_languages() -> None:
    entry = parse_entry(body({"name": {"zh": "养犬登记", "en": "Dog licence"}}), "dog_licence")

    assert entry == {"permit_type": "dog_licence", "name": {"zh": "养犬登记", "en": "Dog licence"}}


@pytest.mark.parametrize(
    ("path", "value", "mentions"),
    [
        ("fee.amount_cny", "120元", "fee.amount_cny must be a number"),
        ("fee.amount_cny", -1, "between 0"),
        ("fee.amount_cny", True, "fee.amount_cny must be a number"),
        ("processing_time.working_days", 2.5, "whole number"),
        ("eligibility.en", ["only one"], "same items in zh and en"),
        ("documents.zh", "身份证", "documents.zh must be an array"),
        ("apply.online.available", "yes", "true or false"),
        ("apply.online.url", "javascript:alert(1)", "http:// or https://"),
        ("apply.offices", [{"name": {"zh": "大厅", "en": "Hall"}}], "needs address, hours"),
        ("authority", {"zh": "公安局", "en": "Police", "fr": "Police"}, "unknown field(s) fr"),
        ("name", {"zh": " ", "en": "Passport"}, "name.zh may not be empty"),
        ("sources", [1], "sources[0] must be a string"),
    ],
)
def test_a_field_of_the_wrong_shape_is_named_in_the_error(
    path: str, value: Any, mentions: str
) -> None:
    with pytest.raises(PermitError) as raised:
        check_entry(passport_with(path, value))

    assert raised.value.status == 400
    assert raised.value.code == "invalid_entry"
    assert mentions in raised.value.description
    assert raised.value.message_zh
