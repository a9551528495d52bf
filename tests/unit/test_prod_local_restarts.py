"""make prod-local starts a stopped process again, as systemd does, but not in an endless loop."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def prod_local():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import prod_local as module
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return module


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_stopped_process_is_started_again_after_the_delay(prod_local):
    clock = Clock()
    restarts = prod_local.Restarts(clock)
    assert "restarting" in restarts.stopped("prod-rasa-2")
    assert restarts.due() == []
    clock.now += prod_local.RESTART_DELAY_S
    assert restarts.due() == ["prod-rasa-2"]
    assert restarts.due() == []  # once


def test_a_process_that_keeps_stopping_is_given_up(prod_local):
    clock = Clock()
    restarts = prod_local.Restarts(clock)
    for _ in range(prod_local.RESTART_BURST):
        restarts.stopped("prod-actions-1")
        clock.now += prod_local.RESTART_DELAY_S
        assert restarts.due() == ["prod-actions-1"]
    assert "not restarted" in restarts.stopped("prod-actions-1")
    clock.now += prod_local.RESTART_DELAY_S
    assert restarts.due() == [] and restarts.given_up == {"prod-actions-1"}


def test_restarts_long_ago_do_not_count(prod_local):
    clock = Clock()
    restarts = prod_local.Restarts(clock)
    for _ in range(prod_local.RESTART_BURST):
        restarts.stopped("prod-outbox")
        clock.now += prod_local.RESTART_DELAY_S
        restarts.due()
    clock.now += prod_local.RESTART_WINDOW_S
    assert "restarting" in restarts.stopped("prod-outbox")


def test_the_delay_matches_the_systemd_units(prod_local):
    unit = (ROOT / "deploy" / "systemd" / "city-rasa@.service").read_text()
    assert f"RestartSec={prod_local.RESTART_DELAY_S:g}" in unit
