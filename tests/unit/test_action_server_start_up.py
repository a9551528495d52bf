"""The action server keeps trying to reach city services that start after it does."""

from __future__ import annotations

import asyncio
import logging

import pytest

from actions.server import with_start_up_retries


def test_a_service_that_answers_on_the_third_try_is_loaded() -> None:
    calls = []

    async def load() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("connection refused")
        return "feed"

    assert asyncio.run(with_start_up_retries(load, "transit feed", waits=(0, 0, 0))) == "feed"
    assert len(calls) == 3


def test_a_service_that_never_answers_is_left_for_the_first_question(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls = []

    async def load() -> str:
        calls.append(1)
        raise ConnectionError("connection refused")

    with caplog.at_level(logging.WARNING):
        assert asyncio.run(with_start_up_retries(load, "transit feed", waits=(0, 0))) is None
    assert len(calls) == 3
    assert "will retry on use" in caplog.text
