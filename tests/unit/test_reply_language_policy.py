"""The reply language is set inside Rasa at the first prediction after each message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.reply_language import ReplyLanguagePolicy, reply_language_events

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def said(
    text: str,
    language: str | None,
    script: str | None = None,
    intent: str = "greet",
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> UserUttered:
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": entities or [],
        "language": {"language": language, "script": script},
    }
    return UserUttered(text, parse_data["intent"], entities or [], parse_data, metadata=metadata)


def tracker(*events: Event, language: str | None = None) -> DialogueStateTracker:
    before: list[Event] = [ActionExecuted("action_listen")]
    if language:
        before.insert(0, SlotSet("language", language))
    return DialogueStateTracker.from_events("t", [*before, *events], DOMAIN.slots)


def test_a_new_message_sets_the_language_from_its_evidence() -> None:
    assert reply_language_events(tracker(said("hello", "en"))) == [SlotSet("language", "en")]
    assert reply_language_events(tracker(said("您好", "zh", "hans"), language="en")) == [
        SlotSet("language", "zh")
    ]
    assert reply_language_events(tracker(said("您好嗎", "zh", "hant"))) == [
        SlotSet("language", "zh-Hant")
    ]


def test_no_evidence_and_no_change_set_nothing() -> None:
    assert reply_language_events(tracker(said("SR20261234", None), language="zh-Hant")) == []
    assert reply_language_events(tracker(said("hi", "en"), language="en")) == []


def test_script_neutral_chinese_keeps_traditional() -> None:
    assert reply_language_events(tracker(said("好的", "zh"), language="zh-Hant")) == []


def test_an_explicit_request_and_the_page_choice_win() -> None:
    request = said(
        "請講中文",
        "zh",
        "hant",
        intent="set_language",
        entities=[{"entity": "language", "value": "zh", "start": 0, "end": 2}],
    )
    assert reply_language_events(tracker(request, language="en")) == [
        SlotSet("language", "zh-Hant")
    ]
    picked = said("会展中心", "zh", "hans", metadata={"language": "en"})
    assert reply_language_events(tracker(picked, language="zh")) == [SlotSet("language", "en")]


def test_of_two_languages_named_the_one_asked_for_wins() -> None:
    def asking(text: str, *named: tuple[str, str]) -> UserUttered:
        found = [
            {"entity": "language", "value": value, "start": text.index(word)}
            for word, value in named
        ]
        return said(text, "en", intent="set_language", entities=found)

    switch = asking(
        "my Chinese typing is slow, let me switch to English",
        ("Chinese", "zh"),
        ("English", "en"),
    )
    assert reply_language_events(tracker(switch, language="zh")) == [SlotSet("language", "en")]
    refused = asking("English please, not Chinese", ("English", "en"), ("Chinese", "zh"))
    assert reply_language_events(tracker(refused, language="zh")) == [SlotSet("language", "en")]


def test_only_the_first_prediction_of_a_turn_sets_it() -> None:
    later = tracker(said("hello", "en"), SlotSet("language", "en"), ActionExecuted("utter_greet"))
    assert reply_language_events(later) == []


def test_a_rewound_message_does_not_bring_back_an_older_language() -> None:
    """The fallback rewinds "hmm what??" and keeps English; the Chinese before stays behind."""
    events = tracker(
        said("你好", "zh", "hans"),
        SlotSet("language", "zh"),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
        said("hmm what??", "en", intent="nlu_fallback"),
        SlotSet("language", "en"),
        ActionExecuted("action_handle_fallback"),
        UserUtteranceReverted(),
        SlotSet("language", "en"),
    )
    assert events.get_slot("language") == "en"
    assert reply_language_events(events) == []


def test_the_policy_never_proposes_an_action(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    policy = ReplyLanguagePolicy.create(
        ReplyLanguagePolicy.get_default_config(), storage, Resource("reply"), context
    )
    policy.train([], DOMAIN)
    loaded = ReplyLanguagePolicy.load(
        ReplyLanguagePolicy.get_default_config(), storage, Resource("reply"), context
    )
    prediction = loaded.predict_action_probabilities(tracker(said("hello", "en")), DOMAIN)
    assert isinstance(prediction, PolicyPrediction)
    assert max(prediction.probabilities) == 0.0
    assert prediction.events == [SlotSet("language", "en")]


def test_the_domain_has_the_slot_and_no_validation_round_trip() -> None:
    assert "language" in {slot.name for slot in DOMAIN.slots}
    assert "action_validate_slot_mappings" not in DOMAIN.user_actions
