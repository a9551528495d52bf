"""The trained model's graphs answer the same run as a planned loop as under dask.

bot/graph_runner.py replaces ``DaskGraphRunner.run`` in the servers. Here the model's
own runner parses messages and predicts at every point of every conversation test
twice — planned and with Rasa's dask ``run`` — and the parses and predictions must be
identical.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.integration.conftest import STORIES
from tests.integration.test_speedups_model import MESSAGES
from tests.integration.test_ted_gate import (
    conversation_states,
    first_turn_states,
    predict,
    summary,
)

pytestmark = pytest.mark.integration


@contextmanager
def dask_runs() -> Iterator[None]:
    from rasa.engine.runner.dask import DaskGraphRunner

    import bot.speedups

    planned = DaskGraphRunner.run
    assert bot.speedups._original_runner_run is not None, "planned runs not installed"
    assert planned is not bot.speedups._original_runner_run
    DaskGraphRunner.run = bot.speedups._original_runner_run
    try:
        yield
    finally:
        DaskGraphRunner.run = planned


def parse(agent: Any, text: str) -> dict[str, Any]:
    from bot.parse_cache import ParseCache, use_cache

    before = use_cache(ParseCache(0))
    try:
        return asyncio.run(agent.parse_message(text))
    finally:
        use_cache(before)


def test_every_prediction_is_the_same_planned_and_under_dask(agent: Any) -> None:
    states = [state for path in STORIES for state in conversation_states(path, agent.domain)]
    states += first_turn_states(agent.domain)
    assert len(states) > 200
    for tracker in states:
        planned = predict(agent, tracker)
        with dask_runs():
            scheduled = predict(agent, tracker)
        assert summary(planned["winner"]) == summary(scheduled["winner"]), tracker.sender_id
        assert summary(planned["ted"]) == summary(scheduled["ted"]), tracker.sender_id


def test_every_parse_is_the_same_planned_and_under_dask(agent: Any) -> None:
    texts = [*MESSAGES, "", "x" * 3000, "我想投诉楼下KTV每晚唱到三点，吵得睡不着，已经打过电话没用"]
    for text in texts:
        planned = parse(agent, text)
        with dask_runs():
            scheduled = parse(agent, text)
        assert planned == scheduled, text[:40]
