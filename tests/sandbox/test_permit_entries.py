"""What a catalogue entry sent to the admin API must look like, checked without a server."""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

import pytest
import yaml

from sandbox.errors import PermitError
from sandbox.permit_entries import check_entry, parse_entry
from sandbox.permits_catalogue import DEFAULT_CATALOGUE, PermitCatalogue

SHIPPED = PermitCatalogue.from_yaml()
#: The entries as written in the file: the catalogue object keeps one per type, so
#: a type written twice would be hidden there.
WRITTEN: list[dict[str, Any]] = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))[
    "permits"
]


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
        ("keywords", ["领证"], "keywords must be an object"),
        ("keywords", {"zh": "领证"}, "keywords.zh must be an array"),
        ("keywords", {"zh": ["领证", ""]}, "keywords.zh[1] may not be empty"),
        ("keywords", {"zh": ["领证"], "fr": ["se marier"]}, "unknown field(s) fr"),
        ("keywords", {"en": [42]}, "keywords.en[0] must be a string"),
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


def test_keywords_in_one_language_are_accepted_and_kept() -> None:
    entry = passport_with("keywords", {"en": ["travel abroad", "study abroad"]})

    assert check_entry(entry)["keywords"] == {"en": ["travel abroad", "study abroad"]}


def test_keywords_come_right_after_aliases_in_a_checked_entry() -> None:
    fields = list(check_entry(dict(SHIPPED["passport"])))

    assert fields.index("keywords") == fields.index("aliases") + 1


def test_no_permit_type_is_written_twice_in_the_catalogue() -> None:
    repeated = [t for t, n in Counter(e["permit_type"] for e in WRITTEN).items() if n > 1]

    assert repeated == []


@pytest.mark.parametrize("permit_type", list(SHIPPED))
def test_every_shipped_entry_names_its_sources_and_what_it_is_for(permit_type: str) -> None:
    entry = SHIPPED[permit_type]

    assert entry["regulation"]["zh"] and entry["regulation"]["en"]
    assert entry["sources"]
    assert entry["keywords"]["zh"] and entry["keywords"]["en"]


def test_no_name_or_alias_points_at_two_permit_types() -> None:
    owners: dict[str, set[str]] = {}
    for entry in WRITTEN:
        words = [*entry["name"].values(), *(w for ws in entry["aliases"].values() for w in ws)]
        for word in words:
            owners.setdefault(word.casefold(), set()).add(entry["permit_type"])

    assert {word: types for word, types in owners.items() if len(types) > 1} == {}
