"""The conversation tests under tests/stories are valid Rasa stories about this domain.

`make conversation-tests` needs a trained model and runs last; a YAML slip (an
unquoted ": " in a story name) should fail in seconds, here, instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

ROOT = Path(__file__).resolve().parents[2]
STORY_FILES = sorted((ROOT / "tests" / "stories").glob("*.yml"))


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.mark.parametrize("path", STORY_FILES, ids=lambda p: p.name)
def test_story_file_reads_and_uses_only_domain_actions(path: Path, domain: Domain) -> None:
    steps = YAMLStoryReader(domain).read_from_file(str(path))
    assert steps, f"{path.name} holds no stories"
    known = set(domain.action_names_or_texts)
    for story in steps:
        for event in story.events:
            name = getattr(event, "action_name", None)
            if name and type(event).__name__ == "ActionExecuted":
                assert name in known, f"{path.name}: {story.block_name} runs unknown {name}"


def test_there_are_conversation_tests_for_every_journey_in_both_languages() -> None:
    names = {path.stem for path in STORY_FILES}
    for journey in ("core", "complaints", "permits", "transit"):
        assert {f"{journey}_en", f"{journey}_zh"} <= names
