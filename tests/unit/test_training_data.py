"""The training data honours the NLU contract and never sees the held-out split."""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.language import detect_language

ROOT = Path(__file__).resolve().parents[2]
TRAIN = load_data(str(ROOT / "data" / "nlu"))
HELD_OUT = load_data(str(ROOT / "tests" / "nlu"))
# Residents' intents; EXTERNAL_* intents are sent by the system (trigger_intent), never typed.
INTENTS = [
    name
    for name in yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]
    if not name.startswith("EXTERNAL_")
]
# The contract's fixed values, as config.yml's EntityContractFilter enforces them.
CANONICAL = {
    name: set(values)
    for component in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    if component["name"].endswith("EntityContractFilter")
    for name, values in component["canonical_values"].items()
}
SURFACE_ENTITIES = {"stop", "route", "ticket_id", "application_id"}


def language_counts(intent: str) -> Counter:
    return Counter(
        "zh" if re.search(r"[\u4e00-\u9fff]", ex.get("text")) else "en"
        for ex in TRAIN.intent_examples
        if ex.get("intent") == intent
    )


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_has_thirty_examples_per_language(intent: str) -> None:
    counts = language_counts(intent)
    assert counts["zh"] >= 30 and counts["en"] >= 30, counts


def test_traditional_and_mixed_examples_are_present() -> None:
    codes = Counter(detect_language(ex.get("text")).code for ex in TRAIN.intent_examples)
    assert codes["zh-Hant"] >= 50
    mixed = [
        ex
        for ex in TRAIN.intent_examples
        if re.search(r"[\u4e00-\u9fff]", ex.get("text"))
        and re.search(r"[A-Za-z]{3,}", ex.get("text"))
    ]
    assert len(mixed) >= 50


def normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def test_held_out_split_shares_no_example_with_training() -> None:
    train = {normalised(ex.get("text")) for ex in TRAIN.intent_examples}
    leaked = [
        ex.get("text") for ex in HELD_OUT.intent_examples if normalised(ex.get("text")) in train
    ]
    assert leaked == []


def test_held_out_split_covers_every_intent() -> None:
    assert {ex.get("intent") for ex in HELD_OUT.intent_examples} == set(INTENTS)


@pytest.mark.parametrize("data", [TRAIN, HELD_OUT], ids=["train", "held-out"])
def test_entities_use_contract_names_and_canonical_values(data) -> None:
    problems = []
    for example in data.entity_examples:
        for entity in example.get("entities"):
            name = entity["entity"]
            if name in CANONICAL:
                value = data.entity_synonyms.get(entity["value"], entity["value"])
                value = TRAIN.entity_synonyms.get(value, value)
                if value not in CANONICAL[name]:
                    problems.append(f"{example.get('text')}: {name}={value}")
            elif name not in SURFACE_ENTITIES:
                problems.append(f"{example.get('text')}: unknown entity {name}")
            if name == "stop" and entity.get("role") not in (None, "from", "to"):
                problems.append(f"{example.get('text')}: stop role {entity.get('role')}")
    assert problems == []


def test_contract_fixes_values_for_three_entities() -> None:
    assert len(CANONICAL["permit_type"]) == 7
    assert len(CANONICAL["complaint_category"]) == 6
    assert CANONICAL["language"] == {"en", "zh"}


def test_synonyms_map_only_to_canonical_values() -> None:
    allowed = set().union(*CANONICAL.values())
    assert {v for v in TRAIN.entity_synonyms.values()} <= allowed
