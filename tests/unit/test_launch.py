"""``city-rasa``: Rasa's command line with the collector paused and JAX left out."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot import launch, speedups

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    """Each test leaves the collector as it found it (on) and no pause behind."""
    yield
    launch.resume_collection()
    gc.enable()


def test_a_pause_stops_the_collector_until_it_is_resumed() -> None:
    launch.pause_collection()
    assert not gc.isenabled() and launch.collection_paused()
    launch.resume_collection()
    assert gc.isenabled() and not launch.collection_paused()


def test_a_forgotten_pause_ends_by_itself_after_its_limit() -> None:
    launch.pause_collection(limit_s=0.05)
    deadline = time.monotonic() + 5
    while not gc.isenabled() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gc.isenabled() and not launch.collection_paused()


def test_resuming_does_not_end_a_pause_someone_else_made() -> None:
    gc.disable()
    launch.pause_collection()  # not ours to pause: already off
    launch.resume_collection()
    assert not gc.isenabled()


@contextmanager
def patched_agent(agent_class: type) -> Iterator[type]:
    """``agent_class`` with bot.speedups' load_model around its own, as Rasa's Agent gets it."""
    module = types.SimpleNamespace(Agent=agent_class)
    saved = speedups._original_agent_load
    speedups._original_agent_load = None
    try:
        speedups._patch_agent(module)  # type: ignore[arg-type]
        yield module.Agent
    finally:
        gc.unfreeze()
        speedups._original_agent_load = saved


def test_a_model_load_resumes_the_collector_after_freezing_what_it_made() -> None:
    seen: dict[str, object] = {}

    class Agent:
        def load_model(self, model_path: str) -> None:
            seen["collecting while loading"] = gc.isenabled()
            self.model = [{"weight": n} for n in range(1000)]

    with patched_agent(Agent) as agent:
        launch.pause_collection()
        agent().load_model("model")
        assert seen["collecting while loading"] is False
        assert gc.isenabled()
        assert gc.get_freeze_count() >= 1000


def test_a_failed_model_load_still_resumes_the_collector() -> None:
    class Agent:
        def load_model(self, model_path: str) -> None:
            raise FileNotFoundError(model_path)

    with patched_agent(Agent) as agent:
        launch.pause_collection()
        with pytest.raises(FileNotFoundError):
            agent().load_model("missing.tar.gz")
        assert gc.isenabled()


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_tensorflow_imports_without_jax_and_jax_cannot_be_imported() -> None:
    done = run_python(
        "from bot.launch import without_jax\n"
        "without_jax()\n"
        "import tensorflow as tf\n"
        "print(int(tf.reduce_sum(tf.constant([1, 2, 3]))))\n"
        "try:\n"
        "    import jax\n"
        "except ImportError:\n"
        "    print('no-jax')\n"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["6", "no-jax"]


def test_only_serving_commands_pause_the_collector_and_leave_out_jax() -> None:
    """``city-rasa train`` or ``data validate`` run exactly as ``rasa`` would."""
    probe = (
        "import gc, sys, rasa.__main__ as rasa_main\n"
        "from bot import launch\n"
        "rasa_main.main = lambda: print(sys.argv[1], gc.isenabled(), 'jax' in sys.modules)\n"
        "launch.main([{command!r}, '--model', 'm.tar.gz'])\n"
    )
    for command, paused in (("run", True), ("shell", True), ("train", False), ("data", False)):
        done = run_python(probe.format(command=command))
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split() == [command, str(not paused), str(paused)]


def test_the_console_script_is_installed_beside_rasa() -> None:
    script = Path(sys.executable).parent / "city-rasa"
    assert script.exists()
    done = subprocess.run(
        [str(script), "--version"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "3.6.21" in done.stdout
