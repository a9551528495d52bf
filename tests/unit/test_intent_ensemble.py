"""DIET's intent vote averaged with an n-gram logistic regression's (bot/nlu/intent_ensemble.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_ensemble import NgramIntentEnsemble, combine
from bot.nlu.ngram_scorer import NgramScorer, ngram_model

EXAMPLES = {
    "transit_next": [
        "when is the next bus",
        "next train to the airport",
        "下一班地铁几点到",
        "下一班公交什么时候来",
        "how long until the next metro",
        "地铁下一班车几点",
    ],
    "complaint_file": [
        "the streetlight outside is broken",
        "there is a pothole on my road",
        "路灯坏了没人修",
        "楼下噪音太大了",
        "garbage has not been collected for days",
        "马路上有个大坑",
    ],
    "permit_fee": [
        "how much does a passport cost",
        "办护照要多少钱",
        "what is the fee for a residence permit",
        "居住证收费吗",
        "how much is the business licence fee",
        "营业执照要交多少钱",
    ],
}


def training_data() -> TrainingData:
    return TrainingData(
        [
            Message(data={"text": text, "intent": intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )


def message(text: str, ranking: List[Dict[str, Any]]) -> Message:
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def fallback(messages: List[Message]) -> List[Message]:
    config = {**FallbackClassifier.get_default_config(), "threshold": 0.5}
    return FallbackClassifier(config).process(messages)


def test_intents_are_ranked_by_the_mean_of_the_two_votes() -> None:
    ranked = combine({"a": 0.9, "b": 0.1}, {"a": 0.05, "b": 0.95})
    assert [r["name"] for r in ranked] == ["b", "a"]  # mean 0.525 against 0.475


def test_an_intent_is_as_sure_as_the_surer_model() -> None:
    ranked = combine({"a": 0.99, "b": 0.01}, {"a": 0.55, "b": 0.1, "c": 0.35})
    assert ranked[0] == {"name": "a", "confidence": 0.99}
    assert {r["name"] for r in ranked} == {"a", "b", "c"}


def test_a_message_neither_model_is_sure_of_falls_back() -> None:
    ranked = combine({"a": 0.45, "b": 0.4}, {"a": 0.4, "c": 0.35})
    (processed,) = fallback([message("whatever", ranked)])
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_a_message_one_model_is_sure_of_keeps_that_intent() -> None:
    ranked = combine({"a": 0.97, "b": 0.02}, {"a": 0.38, "c": 0.3, "b": 0.32})
    (processed,) = fallback([message("whatever", ranked)])
    assert processed.get("intent")["name"] == "a"


def test_two_models_sure_of_different_intents_ask_to_rephrase() -> None:
    ranked = combine({"a": 0.96, "b": 0.03}, {"b": 0.97, "a": 0.01})
    (processed,) = fallback([message("whatever", ranked)])
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_the_scorer_gives_the_fitted_pipelines_probabilities() -> None:
    texts = [text for texts in EXAMPLES.values() for text in texts]
    labels = [intent for intent, texts in EXAMPLES.items() for _ in texts]
    pipeline = ngram_model(30.0, [1, 4], [1, 2]).fit(texts, labels)
    scorer = NgramScorer.from_state(NgramScorer.from_pipeline(pipeline).state())
    for text in [
        "next bus please",
        "路灯不亮",
        "how much is it",
        "zzzz qqqq",  # no known n-gram: the intercepts alone
        "",
        "护照 护照 护照 多少钱",  # repeated terms: sublinear term frequency
    ]:
        expected = dict(zip(pipeline.classes_, pipeline.predict_proba([text])[0], strict=True))
        got = scorer.probabilities(text)
        assert got.keys() == expected.keys()
        for intent, probability in expected.items():
            assert got[intent] == pytest.approx(probability, abs=1e-5), (text, intent)


@pytest.fixture
def trained(tmp_path: Path) -> NgramIntentEnsemble:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = NgramIntentEnsemble.get_default_config()
    component = NgramIntentEnsemble.create(config, storage, Resource("ensemble"), context)
    component.train(training_data())
    return NgramIntentEnsemble.load(config, storage, Resource("ensemble"), context)


def test_the_n_gram_vote_can_overturn_an_unsure_diet(trained: NgramIntentEnsemble) -> None:
    diet_ranking = [
        {"name": "permit_fee", "confidence": 0.55},
        {"name": "transit_next", "confidence": 0.45},
    ]
    (processed,) = trained.process([message("下一班地铁几点到站", diet_ranking)])
    assert processed.get("intent")["name"] == "transit_next"
    ranking = processed.get("intent_ranking")
    assert ranking[0]["name"] == "transit_next"
    assert {r["name"] for r in ranking} == set(EXAMPLES)


def test_messages_without_text_or_intent_are_left_alone(trained: NgramIntentEnsemble) -> None:
    empty = Message(data={"text": "  ", "intent": {"name": "greet", "confidence": 0.9}})
    no_intent = Message(data={"text": "hello"})
    trained.process([empty, no_intent])
    assert empty.get("intent") == {"name": "greet", "confidence": 0.9}
    assert no_intent.get("intent") is None


def test_with_fewer_than_two_intents_diet_decides_alone(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = NgramIntentEnsemble.get_default_config()
    component = NgramIntentEnsemble.create(config, storage, Resource("one"), context)
    component.train(TrainingData([Message(data={"text": "hi", "intent": "greet"})]))
    loaded = NgramIntentEnsemble.load(config, storage, Resource("one"), context)
    ranking = [{"name": "greet", "confidence": 0.4}]
    (processed,) = loaded.process([message("hi", ranking)])
    assert processed.get("intent") == {"name": "greet", "confidence": 0.4}


def test_the_weights_are_stored_compactly(trained: NgramIntentEnsemble) -> None:
    state = trained._model.state() if trained._model else {}
    assert state["weights"].dtype == np.float32
    assert all(isinstance(terms, list) for _, terms, _ in state["vocabularies"])
