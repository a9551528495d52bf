"""scripts/run_stack.py: the processes residents do not wait for leave Rasa a core while
the stack starts, and get every core back once it is up."""

from __future__ import annotations

import os
import sys
import time

import pytest

from tests.unit.test_launcher_settings import _run_stack

# A child that starts a thread after a moment, as the servers do while they start.
CHILD = "import threading, time; time.sleep(0.3); threading.Thread(target=time.sleep, args=(30,)).start(); time.sleep(30)"


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs a machine with two cores or more",
)
def test_a_process_leaving_a_core_gets_every_core_back_for_every_thread() -> None:
    launcher = _run_stack()
    stack = launcher.Stack()
    try:
        stack.start("helper", [sys.executable, "-c", CHILD], leave_a_core=True)
        pid = stack.processes["helper"].pid
        time.sleep(1)  # its thread has started, with the mask it inherited
        cores = launcher.all_cores()
        for task in launcher.tasks_of(pid):
            assert os.sched_getaffinity(task) == cores - {min(cores)}
        assert len(launcher.tasks_of(pid)) == 2
        stack.started()
        for task in launcher.tasks_of(pid):
            assert os.sched_getaffinity(task) == cores
    finally:
        stack.stop()


def test_the_console_and_the_outbox_yield_the_cpu_and_rasa_does_not() -> None:
    launcher = _run_stack()
    stack = launcher.Stack()
    try:
        stack.start(
            "console", [sys.executable, "-c", "import time; time.sleep(30)"], background=True
        )
        stack.start("rasa", [sys.executable, "-c", "import time; time.sleep(30)"])
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        console = os.getpriority(os.PRIO_PROCESS, stack.processes["console"].pid)
        assert console == max(mine, launcher.BACKGROUND_NICENESS)
        assert os.getpriority(os.PRIO_PROCESS, stack.processes["rasa"].pid) == mine
    finally:
        stack.stop()


def test_the_nlu_worker_can_be_left_out_for_a_machine_short_of_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    launcher = _run_stack()
    seen: dict[str, bool] = {}

    def parse_only(argv: list[str]) -> int:
        import argparse

        original = argparse.ArgumentParser.parse_args

        def capture(self: argparse.ArgumentParser, args: list[str] | None = None) -> object:
            parsed = original(self, args)
            seen["off"] = parsed.no_nlu_worker
            raise SystemExit(0)

        monkeypatch.setattr(argparse.ArgumentParser, "parse_args", capture)
        with pytest.raises(SystemExit):
            launcher.main(argv)
        return 0

    monkeypatch.delenv(launcher.NLU_WORKER_SWITCH, raising=False)
    parse_only([])
    assert seen["off"] is False
    parse_only(["--no-nlu-worker"])
    assert seen["off"] is True
    monkeypatch.setenv(launcher.NLU_WORKER_SWITCH, "off")
    parse_only([])
    assert seen["off"] is True
