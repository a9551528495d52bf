"""Service definitions as real cities publish them (tests/data/open311/*/services/)."""

from __future__ import annotations

import json
from pathlib import Path

from actions.clients.open311_definitions import parse_definition

DATA = Path(__file__).resolve().parents[2] / "data" / "open311"


def definition(path: str) -> dict:
    return json.loads((DATA / path).read_text(encoding="utf-8"))


def test_washington_dcs_pothole_definition_requires_where_it_is() -> None:
    attributes = parse_definition(definition("washington-dc/services/S0301.json"))
    asked = [a for a in attributes if a.asked]
    assert [a.code for a in asked] == ["WHISPOLO"]
    assert [v.name for v in asked[0].values] == ["Alley", "Street"]


def test_informational_attributes_of_boston_are_not_asked() -> None:
    attributes = parse_definition(definition("boston/services/MTRECYDBI.json"))
    assert [a.code for a in attributes if a.asked] == ["SR-MTRECYDBI1"]


def test_an_unknown_datatype_is_asked_as_free_text() -> None:
    body = {"attributes": [{"code": "X", "datatype": "geojson", "required": "true"}]}
    (attribute,) = parse_definition(body)
    assert attribute.datatype == "string" and attribute.required


def test_attributes_without_a_code_or_a_body_that_is_not_a_definition_give_none() -> None:
    assert parse_definition({"attributes": [{"datatype": "string"}]}) == ()
    assert parse_definition("<html>") == ()
    assert parse_definition({"service_code": "X"}) == ()


def test_attributes_come_in_the_citys_order() -> None:
    body = {
        "attributes": [
            {"code": "B", "datatype": "string", "order": 2},
            {"code": "A", "datatype": "string", "order": "1"},
        ]
    }
    assert [a.code for a in parse_definition(body)] == ["A", "B"]
