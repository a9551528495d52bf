"""Ticket and application numbers come out canonical and once."""

from bot.nlu.identifiers import canonical_identifier, merge_identifier_entities


def test_numbers_are_upper_cased_and_compacted() -> None:
    assert canonical_identifier("ticket_id", "sr 2026 1234") == "SR20261234"
    assert canonical_identifier("application_id", "pa20250042") == "PA20250042"
    assert canonical_identifier("application_id", "PA-2025-0042") == "PA20250042"


def test_wrong_prefix_or_length_is_not_a_number() -> None:
    assert canonical_identifier("ticket_id", "PA20250042") is None
    assert canonical_identifier("ticket_id", "SR2026123") is None


def test_overlapping_spans_keep_the_regex_match() -> None:
    entities = [
        {"entity": "ticket_id", "start": 3, "end": 9, "value": "SR2026", "extractor": "DIET"},
        {
            "entity": "ticket_id",
            "start": 3,
            "end": 13,
            "value": "sr20261234",
            "extractor": "RegexEntityExtractor",
        },
        {"entity": "stop", "start": 20, "end": 23, "value": "车公庙", "extractor": "DIET"},
    ]
    merged = merge_identifier_entities(entities)
    ids = [e for e in merged if e["entity"] == "ticket_id"]
    assert [(e["value"], e["extractor"]) for e in ids] == [("SR20261234", "RegexEntityExtractor")]
    assert any(e["entity"] == "stop" for e in merged)


def test_a_valid_number_found_only_by_diet_is_kept() -> None:
    merged = merge_identifier_entities(
        [{"entity": "application_id", "start": 0, "end": 10, "value": "pa20250042"}]
    )
    assert merged[0]["value"] == "PA20250042"
