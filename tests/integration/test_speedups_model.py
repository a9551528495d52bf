"""The trained model answers the same whether Rasa builds its weights traced or eagerly.

bot.speedups replaces the traced training step that ``RasaModel.load`` runs before
reading the saved weights with an eager one (start-up: ~50 s -> ~8 s on 2 cores), and
traces the prediction function without autograph's source rewrite (~9 -> ~4.5 s).
Here the model is loaded both ways in one process and every DIET and TED output is
compared: intents and their confidences, entities, and TED's action probabilities.
"""

from __future__ import annotations

import asyncio
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


def test_eager_weight_building_gives_the_same_answers() -> None:
    require_model()
    traced = outputs(load(eager=False))
    eager = outputs(load(eager=True))
    for (t_intents, t_entities, t_ted), (e_intents, e_entities, e_ted) in zip(
        traced, eager, strict=True
    ):
        assert [n for n, _ in e_intents] == [n for n, _ in t_intents]
        assert [c for _, c in e_intents] == pytest.approx([c for _, c in t_intents], abs=1e-6)
        assert [(n, v) for n, v, _ in e_entities] == [(n, v) for n, v, _ in t_entities]
        assert e_ted == pytest.approx(t_ted, abs=1e-6)
