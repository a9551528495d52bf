"""Every response speaks both languages, and every response is used."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = DOMAIN["responses"]
HAN = re.compile(r"[\u4e00-\u9fff]")
# Responses that deliberately carry both languages in each variant.
BILINGUAL_BY_DESIGN = {"utter_unsupported_language"}


def is_english_variant(variant: dict) -> bool:
    return any(
        c.get("type") == "slot" and c.get("name") == "language" and c.get("value") == "en"
        for c in variant.get("condition") or []
    )


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_has_an_english_and_a_default_chinese_variant(name: str) -> None:
    variants = RESPONSES[name]
    english = [v for v in variants if is_english_variant(v)]
    default = [v for v in variants if not v.get("condition")]
    assert english, f"{name} has no variant with condition language = en"
    assert default, f"{name} has no default (Chinese) variant"
    for variant in default:
        assert HAN.search(variant["text"]), f"{name}: default variant is not Chinese"
    if name not in BILINGUAL_BY_DESIGN:
        for variant in english:
            assert not HAN.search(variant["text"]), f"{name}: English variant contains Chinese"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_buttons_match_between_languages(name: str) -> None:
    payload_sets = {tuple(b["payload"] for b in v.get("buttons", [])) for v in RESPONSES[name]}
    assert len(payload_sets) == 1, f"{name}: variants offer different buttons"


def test_every_response_is_used_by_a_rule_story_or_action() -> None:
    used = set()
    for path in (ROOT / "data").rglob("*.yml"):
        used.update(re.findall(r"\butter_\w+", path.read_text(encoding="utf-8")))
    for path in (ROOT / "actions").rglob("*.py"):
        used.update(re.findall(r"\butter_\w+", path.read_text(encoding="utf-8")))
    used.add("utter_default")  # Rasa's default fallback action utters it
    for form in (DOMAIN.get("forms") or {}).values():  # a form asks with utter_ask_<slot>
        used.update(f"utter_ask_{slot}" for slot in form.get("required_slots", []))
    assert sorted(set(RESPONSES) - used) == []


def test_no_key_of_the_domain_is_written_twice() -> None:
    # YAML keeps the last of two equal keys without a word; Rasa refuses the file.
    class StrictLoader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(key) for key, _ in node.value]
        twice = sorted({str(key) for key in keys if keys.count(key) > 1})
        assert not twice, f"written twice: {twice}"
        return yaml.SafeLoader.construct_mapping(loader, node)

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load((ROOT / "domain.yml").read_text(encoding="utf-8"), Loader=StrictLoader)
