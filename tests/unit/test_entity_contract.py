"""Only contract values leave the NLU pipeline."""

from bot.nlu.entity_contract import keep_contract_values

ALLOWED = {"complaint_category": ["noise", "streetlight"], "language": ["en", "zh"]}


def test_unknown_values_of_fixed_entities_are_dropped() -> None:
    entities = [
        {"entity": "complaint_category", "value": "party"},
        {"entity": "complaint_category", "value": "noise"},
        {"entity": "language", "value": "fr"},
    ]
    assert keep_contract_values(entities, ALLOWED) == [
        {"entity": "complaint_category", "value": "noise"}
    ]


def test_free_text_entities_pass_unchanged() -> None:
    entities = [{"entity": "stop", "value": "車公廟"}, {"entity": "route", "value": "Line 5"}]
    assert keep_contract_values(entities, ALLOWED) == entities
