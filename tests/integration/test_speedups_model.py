"""The trained model answers the same whether Rasa builds its weights traced or eagerly.

bot.speedups replaces the traced training step that ``RasaModel.load`` runs before
reading the saved weights with an eager one (start-up: ~50 s -> ~8 s on 2 cores), and
traces the prediction function without autograph's source rewrite (~9 -> ~4.5 s).
Here the model is loaded both ways in one process and every DIET and TED output is
compared: intents and their confidences, entities, and TED's action probabilities.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.conftest import MODEL, require_model

pytestmark = pytest.mark.integration

MESSAGES = [
    "请问会展中心站下一班地铁几点到",
    "What do I need to apply for a business licence?",
    "我家楼下的路灯坏了好几天了，晚上黑漆漆的",
    "帮我查一下PA20260521现在审批到哪一步了",
    "港澳通行證辦一次多少錢",
    "how much will that cost?",
    "南山区南海大道1088号",
    "🙂",
]


def load(eager: bool) -> Any:
    import rasa.engine.graph  # noqa: F401 - as in a Rasa server
    from rasa.core.agent import load_agent

    import bot.speedups as speedups

    speedups.uninstall()
    speedups.install(model_loading=eager, ted_gate=False)
    try:
        return asyncio.run(load_agent(model_path=str(MODEL)))
    finally:
        speedups.install()


def outputs(agent: Any) -> list[Any]:
    from rasa.core.actions.action import ACTION_LISTEN_NAME
    from rasa.engine.constants import PLACEHOLDER_TRACKER
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    runner = agent.processor.graph_runner
    ted = next(n for n in runner._instantiated_nodes if n.startswith("run_TEDPolicy"))
    # Rasa's TEDPolicy.load swallows a failed load (ValueError) and predicts nothing.
    assert runner._instantiated_nodes[ted]._component.model is not None
    results = []
    for text in MESSAGES:
        parsed = asyncio.run(agent.parse_message(text))
        tracker = DialogueStateTracker.from_events(
            "speedups",
            [
                ActionExecuted(ACTION_LISTEN_NAME),
                UserUttered(text, parsed["intent"], parsed["entities"], parsed),
            ],
            agent.domain.slots,
        )
        predictions = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[ted])[ted]
        results.append(
            (
                [(i["name"], i["confidence"]) for i in parsed["intent_ranking"]],
                [(e["entity"], e["value"], e.get("confidence_entity")) for e in parsed["entities"]],
                predictions.probabilities,
            )
        )
    return results


@pytest.fixture(scope="module", autouse=True)
def every_text_parsed() -> Iterator[None]:
    """The same texts are parsed by two loads of one model here: none may get the other's
    kept parse (bot/parse_cache.py)."""
    from bot.parse_cache import ParseCache, use_cache

    before = use_cache(ParseCache(0))
    yield
    use_cache(before)


@pytest.fixture(scope="module")
def eager_agent() -> Any:
    """The model as a Rasa server loads it (eager weight building)."""
    require_model()
    return load(eager=True)


def test_eager_weight_building_gives_the_same_answers(eager_agent: Any) -> None:
    traced = outputs(load(eager=False))
    eager = outputs(eager_agent)
    for (t_intents, t_entities, t_ted), (e_intents, e_entities, e_ted) in zip(
        traced, eager, strict=True
    ):
        assert [n for n, _ in e_intents] == [n for n, _ in t_intents]
        assert [c for _, c in e_intents] == pytest.approx([c for _, c in t_intents], abs=1e-6)
        assert [(n, v) for n, v, _ in e_entities] == [(n, v) for n, v, _ in t_entities]
        assert e_ted == pytest.approx(t_ted, abs=1e-6)


def test_ted_is_traced_after_the_load_once_and_for_all(eager_agent: Any) -> None:
    """bot.speedups defers TED's trace to a thread, reading a copy of its checkpoint (the
    copy's removal: tests/unit/test_speedups.py); predictions after it trace nothing."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "model-warm-up":
            thread.join(timeout=120)
    runner = eager_agent.processor.graph_runner
    ted = next(n for n in runner._instantiated_nodes if n.startswith("run_TEDPolicy"))
    model = runner._instantiated_nodes[ted]._component.model
    traces = model._city_tf_function.experimental_get_tracing_count()
    assert outputs(eager_agent) == pytest.approx(outputs(eager_agent))
    # The warm-up traced every function a prediction needs: no resident waits for one.
    assert model._city_tf_function.experimental_get_tracing_count() == traces


def test_the_concrete_functions_answer_as_their_tf_functions(eager_agent: Any) -> None:
    """bot.speedups.serve_concrete_function: DIET and TED call their one trace directly."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "model-warm-up":
            thread.join(timeout=120)
    runner = eager_agent.processor.graph_runner
    models = [
        node._component.model
        for name, node in runner._instantiated_nodes.items()
        if "DIET" in name or name.startswith("run_TEDPolicy")
    ]
    assert len(models) == 2
    concrete = [model._tf_predict_step for model in models]
    assert all(not hasattr(function, "input_signature") for function in concrete)
    direct = outputs(eager_agent)
    for model in models:
        model._tf_predict_step = model._city_tf_function
    try:
        through_tf_function = outputs(eager_agent)
    finally:
        for model, function in zip(models, concrete, strict=True):
            model._tf_predict_step = function
    assert direct == through_tf_function


def test_a_ted_prediction_asked_during_the_warm_up_waits_for_it() -> None:
    import threading

    require_model()
    agent = load(eager=True)
    warming = [t for t in threading.enumerate() if t.name == "model-warm-up" and t.is_alive()]
    during = outputs(agent)
    for thread in warming:
        thread.join(timeout=120)
    assert outputs(agent) == during


def test_the_nlu_worker_s_parse_is_the_one_made_in_the_conversation(eager_agent: Any) -> None:
    """bot.nlu_worker: the worker parses the bare text (``POST /model/parse``: no tracker,
    no metadata) and sends it as JSON; in the conversation Rasa parses the message with
    its channel, metadata and tracker. Both must give the same intents and entities."""
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sanic.response import json_dumps

    processor = eager_agent.processor
    history = DialogueStateTracker.from_events(
        "worker",
        [
            ActionExecuted("action_listen"),
            UserUttered("我想投诉", {"name": "complaint_file", "confidence": 1.0}),
            SlotSet("language", "zh"),
            ActionExecuted("action_listen"),
        ],
        eager_agent.domain.slots,
    )
    for text in [*MESSAGES, "/greet", '/inform{"permit_type": "passport"}']:
        in_conversation = processor._parse_message_with_graph(
            UserMessage(text, sender_id="worker", input_channel="rest", metadata={"x": 1}),
            history,
        )
        by_worker = json.loads(json_dumps(asyncio.run(eager_agent.parse_message(text))))
        assert by_worker["intent"]["name"] == in_conversation["intent"]["name"], text
        assert by_worker["intent"]["confidence"] == pytest.approx(
            in_conversation["intent"]["confidence"], abs=1e-6
        )
        assert by_worker["entities"] == json.loads(json_dumps(in_conversation["entities"])), text
        assert set(by_worker) == set(in_conversation), text


def test_the_domain_read_once_is_the_domain_rasa_reads(tmp_path: Any) -> None:
    """bot.speedups.load_domain against Rasa's own DomainProvider.load, on the model."""
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.graph_components.providers.domain_provider import DomainProvider

    import bot.speedups as speedups

    require_model()
    storage, metadata = LocalModelStorage.from_model_archive(tmp_path, MODEL)
    node = next(n for n in metadata.predict_schema.nodes.values() if n.uses is DomainProvider)
    context = ExecutionContext(metadata.predict_schema)
    speedups.install()
    ours = DomainProvider.load({}, storage, node.resource, context).provide_inference()
    assert DomainProvider.__dict__["load"].__func__ is speedups.load_domain
    rasas = speedups._original_domain_load.__func__(
        DomainProvider, {}, storage, node.resource, context
    ).provide_inference()
    assert ours.as_dict() == rasas.as_dict()
    assert ours.fingerprint() == rasas.fingerprint()


def test_a_kept_parse_is_the_parse_the_text_gets_again(eager_agent: Any) -> None:
    """bot.parse_cache hands a repeated text the parse kept from its first time: it must be
    the very parse the model gives that text (all of it: ranking, entities, language)."""
    from bot.parse_cache import ParseCache, use_cache

    texts = [*MESSAGES, "好的", "yes please", "人工", "末班车几点", "How Much Is A Passport??"]
    fresh = [asyncio.run(eager_agent.parse_message(text)) for text in texts]
    cache = ParseCache()
    before = use_cache(cache)
    try:
        first = [asyncio.run(eager_agent.parse_message(text)) for text in texts]
        kept = len(cache)
        again = [asyncio.run(eager_agent.parse_message(text)) for text in texts]
    finally:
        use_cache(before)
    assert first == fresh
    assert again == fresh
    # Kept: every text but the one with an application number (a resident's case), so
    # the second time all others were served from the cache.
    assert kept == len(texts) - 1
