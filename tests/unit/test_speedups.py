"""bot.speedups: Rasa's action-response validation gets faster and no less strict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema.exceptions import SchemaError, ValidationError
from rasa.core.actions.action import RemoteAction

import bot.speedups as speedups

SPEC = RemoteAction.action_response_format_spec


@pytest.fixture()
def installed() -> Iterator[None]:
    speedups.uninstall()
    speedups.install()
    yield
    speedups.install()  # as the package left it


def test_importing_bot_installs_the_faster_validate() -> None:
    import bot  # noqa: F401

    assert jsonschema.validate is speedups.validate


def test_a_valid_action_response_passes(installed: None) -> None:
    response = {"events": [{"event": "slot", "name": "language", "value": "zh"}], "responses": []}
    RemoteAction("action_x", None)._validate_action_result(response)


def test_an_invalid_action_response_is_still_refused_every_time(installed: None) -> None:
    bad = {"events": [{"event": 42}], "responses": "not a list"}
    for _ in range(3):
        with pytest.raises(ValidationError):
            RemoteAction("action_x", None)._validate_action_result(bad)


def test_the_same_error_as_jsonschema_reports(installed: None) -> None:
    bad = {"events": "nope"}
    with pytest.raises(ValidationError) as ours:
        speedups.validate(bad, SPEC())
    with pytest.raises(ValidationError) as theirs:
        speedups._original_validate(bad, SPEC())
    assert ours.value.message == theirs.value.message
    assert list(ours.value.path) == list(theirs.value.path)


def test_an_invalid_schema_is_refused_each_time_it_is_used(installed: None) -> None:
    for _ in range(2):
        with pytest.raises(SchemaError):
            speedups.validate({}, {"type": 12})


def test_each_distinct_schema_is_checked_once(
    installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[object] = []
    validator = jsonschema.validators.validator_for(SPEC())
    original = validator.check_schema
    monkeypatch.setattr(
        validator, "check_schema", classmethod(lambda cls, s: (checked.append(s), original(s)))
    )
    for _ in range(5):
        speedups.validate({"events": []}, SPEC())  # a new but equal dict each time, as Rasa does
    speedups.validate({}, {"type": "object"})
    assert len(checked) == 2


def test_a_schema_that_is_not_json_is_checked_every_time(
    installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    schema = {"type": "object", "description": object()}
    validator = jsonschema.validators.validator_for(schema)
    monkeypatch.setattr(validator, "check_schema", classmethod(lambda cls, s: calls.append(s)))
    for _ in range(3):
        speedups.validate({}, schema)
    assert len(calls) == 3


def run_python(code: str) -> str:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_importing_bot_does_not_import_tensorflow() -> None:
    """The console and the action server import bot; they must not pay for TensorFlow."""
    assert run_python("import sys, bot; print('tensorflow' in sys.modules)") == "False"


def test_rasa_models_imported_after_bot_load_without_tracing() -> None:
    """As in `rasa run`, where a channel module (bot.channels) is imported before the model."""
    code = (
        "import bot, bot.speedups as s\n"
        "import rasa.utils.tensorflow.models as m\n"
        "print(m.RasaModel.load.__func__ is s.load_model)"
    )
    assert run_python(code) == "True"


def test_the_import_hook_runs_once_after_the_module_is_imported(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "speedups_hook_target.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    seen: list[int] = []
    hook = speedups._AfterImport("speedups_hook_target", lambda m: seen.append(m.VALUE))
    sys.meta_path.insert(0, hook)
    try:
        import speedups_hook_target  # noqa: F401

        assert seen == [1]
        assert hook not in sys.meta_path
    finally:
        if hook in sys.meta_path:
            sys.meta_path.remove(hook)
        sys.modules.pop("speedups_hook_target", None)


def test_ted_and_the_graph_runner_imported_after_bot_skip_ted_when_rules_decided() -> None:
    code = (
        "import bot\n"
        "import rasa.core.policies.ted_policy as ted, rasa.engine.runner.dask as dask\n"
        "gated = getattr(ted.TEDPolicy.predict_action_probabilities, '_skips_when_rule_decided', 0)\n"
        "print(bool(gated), dask.DaskGraphRunner.__init__.__module__)"
    )
    assert run_python(code) == "True bot.speedups"


def test_the_ted_gate_can_be_left_out_for_a_b_runs() -> None:
    code = (
        "import bot, bot.speedups as s\n"
        "s.uninstall(); s.install(ted_gate=False)\n"
        "import rasa.core.policies.ted_policy as ted, rasa.engine.runner.dask as dask\n"
        "import rasa.utils.tensorflow.models as m\n"
        "print(dask.DaskGraphRunner.__init__.__module__, m.RasaModel.load.__func__ is s.load_model)"
    )
    assert run_python(code) == "rasa.engine.runner.dask True"


def test_every_event_type_resolves_to_the_class_rasas_own_walk_finds() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert speedups.resolve_event_type(name) is speedups._original_resolve.__func__(name)
    assert Event.resolve_by_type("user") is speedups.resolve_event_type("user")


def test_unknown_event_types_behave_as_in_rasa() -> None:
    assert speedups.resolve_event_type("topic") is None
    assert speedups.resolve_event_type("no_such_event", default=dict) is dict
    with pytest.raises(ValueError, match="Unknown event name"):
        speedups.resolve_event_type("no_such_event")


def test_an_event_class_defined_later_is_still_found() -> None:
    from rasa.shared.core.events import ActionExecuted

    speedups.resolve_event_type("user")  # the table is built

    class LateEvent(ActionExecuted):
        type_name = "late_event_for_test"

    assert speedups.resolve_event_type("late_event_for_test") is LateEvent


def test_the_agent_imported_after_bot_freezes_what_a_model_load_leaves() -> None:
    """As in `rasa run`: a loaded model is kept out of the collector's full passes."""
    code = (
        "import gc, bot, bot.speedups as s\n"
        "import rasa.core.agent as a\n"
        "print(a.Agent.load_model.__name__ == 'load_agent_model')"
    )
    assert run_python(code) == "True"


class FakeAgent:
    """Stands in for Rasa's Agent: loading a model makes long-lived objects."""

    def __init__(self) -> None:
        self.frozen_while_loading: int | None = None
        self.model: list[dict[str, int]] = []

    def load_model(self, model_path: str) -> None:
        import gc

        self.frozen_while_loading = gc.get_freeze_count()
        self.model = [{"weight": index} for index in range(10_000)]


def test_a_model_load_freezes_its_objects_and_a_second_load_unfreezes_first() -> None:
    import gc
    import types

    from bot import speedups

    agent_class = type("Agent", (FakeAgent,), {"load_model": FakeAgent.load_model})
    module = types.SimpleNamespace(Agent=agent_class)
    saved = speedups._original_agent_load
    speedups._original_agent_load = None
    try:
        speedups._patch_agent(module)  # type: ignore[arg-type]
        agent = module.Agent()
        agent.load_model("first")
        assert gc.get_freeze_count() >= 10_000
        agent.load_model("second")
        assert agent.frozen_while_loading == 0  # the first model could be collected
        assert gc.get_freeze_count() >= 10_000
    finally:
        gc.unfreeze()
        speedups._original_agent_load = saved


def test_a_deferred_warm_up_runs_in_the_background_after_the_model_load() -> None:
    import threading
    import types

    from bot import speedups

    ran_in: list[str] = []

    class WarmingAgent(FakeAgent):
        def load_model(self, model_path: str) -> None:
            super().load_model(model_path)
            speedups._deferred_warm_ups.append(
                lambda: ran_in.append(threading.current_thread().name)
            )

    module = types.SimpleNamespace(Agent=WarmingAgent)
    saved = speedups._original_agent_load
    speedups._original_agent_load = None
    started = threading.enumerate()
    try:
        speedups._patch_agent(module)  # type: ignore[arg-type]
        module.Agent().load_model("model")
        for thread in threading.enumerate():
            if thread not in started and thread.name == "model-warm-up":
                thread.join(timeout=10)
        assert ran_in == ["model-warm-up"]
        assert speedups._deferred_warm_ups == []
        assert speedups.run_deferred_warm_ups() is None  # nothing left to run
    finally:
        import gc

        gc.unfreeze()
        speedups._original_agent_load = saved


def test_a_failed_warm_up_leaves_the_tracing_to_the_first_prediction(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot import speedups

    def fails() -> None:
        raise RuntimeError("no graph today")

    calls: list[int] = []
    speedups._deferred_warm_ups.extend([fails, lambda: calls.append(1)])
    thread = speedups.run_deferred_warm_ups()
    assert thread is not None
    thread.join(timeout=10)
    import gc

    gc.unfreeze()
    assert calls == [1]  # the next model is still warmed up
    assert "Warming up a model's prediction function failed" in caplog.text


@pytest.mark.parametrize("fails", [False, True])
def test_the_checkpoint_copy_is_removed_when_the_warm_up_ends(tmp_path: Path, fails: bool) -> None:
    from bot import speedups

    for name in ("ted.tf_model.index", "ted.tf_model.data-00000-of-00001", "other.json"):
        (tmp_path / name).write_text(name)
    kept = speedups._KeptCheckpoint(str(tmp_path / "ted.tf_model"))
    copy = Path(kept.path).parent
    assert sorted(p.name for p in copy.iterdir()) == [
        "ted.tf_model.data-00000-of-00001",
        "ted.tf_model.index",
    ]

    class Model:
        def run_inference(self, data: Any) -> None:
            assert Path(kept.path + ".index").exists()  # read while tracing
            if fails:
                raise RuntimeError("trace failed")

    if fails:
        with pytest.raises(RuntimeError):
            speedups._warm_up(Model(), None, kept)
    else:
        speedups._warm_up(Model(), None, kept)
    assert not copy.exists()


def test_the_warm_up_parses_a_message_so_the_first_resident_does_not_wait() -> None:
    from bot import speedups

    class FakeProcessor:
        graph_runner = object()

        def __init__(self) -> None:
            self.parsed: list[tuple[str, str]] = []

        def _parse_message_with_graph(self, message: Any, tracker: Any) -> dict[str, Any]:
            self.parsed.append((message.text, message.sender_id))
            return {}

    processor = FakeProcessor()
    thread = speedups.run_deferred_warm_ups(processor)
    assert thread is not None
    thread.join(timeout=10)
    import gc

    gc.unfreeze()
    assert [text for text, _ in processor.parsed] == list(speedups.WARM_UP_TEXTS)
    assert {sender for _, sender in processor.parsed} == {"warm-up"}


def test_rasa_accepts_the_patched_components_when_it_trains(installed: None) -> None:
    """Rasa validates every graph component's ``load`` by its type hints before training;
    a replaced ``load`` (the domain read once) must pass as Rasa's own does."""
    from pathlib import Path

    import rasa.engine.validation
    import rasa.shared.utils.io
    from rasa.engine.recipes.recipe import Recipe

    config = rasa.shared.utils.io.read_config_file(Path(__file__).parents[2] / "config.yml")
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    rasa.engine.validation.validate(recipe.graph_config_for_recipe(config, {}))


def test_a_copy_left_by_a_killed_process_is_removed_at_the_next_load(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    from bot import speedups

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                          capture_output=True, check=True)  # fmt: skip
    dead_pid = int(gone.stdout)
    prefix = speedups.KEPT_CHECKPOINT_PREFIX
    orphan = tmp_path / f"{prefix}{dead_pid}-abc123"
    mine = tmp_path / f"{prefix}{os.getpid()}-def456"
    running = tmp_path / f"{prefix}1-ghi789"  # pid 1 always runs
    recent_old_name = tmp_path / f"{prefix}xyz"  # named before the pid was in the name
    stale_old_name = tmp_path / f"{prefix}uvw"
    unrelated = tmp_path / "city-assistant-other"
    for directory in (orphan, mine, running, recent_old_name, stale_old_name, unrelated):
        directory.mkdir()
        (directory / "ted.tf_model.index").write_text("weights")
    two_hours_ago = time.time() - 7200
    os.utime(stale_old_name, (two_hours_ago, two_hours_ago))
    removed = speedups.remove_orphaned_checkpoint_copies(str(tmp_path))
    assert sorted(removed) == sorted([orphan.name, stale_old_name.name])
    assert not orphan.exists() and not stale_old_name.exists()
    assert all(d.exists() for d in (mine, running, recent_old_name, unrelated))


def test_a_checkpoint_copy_is_named_after_its_process(tmp_path: Path) -> None:
    import os

    from bot import speedups

    (tmp_path / "ted.tf_model.index").write_text("index")
    kept = speedups._KeptCheckpoint(str(tmp_path / "ted.tf_model"))
    try:
        name = Path(kept.path).parent.name
        assert name.startswith(f"{speedups.KEPT_CHECKPOINT_PREFIX}{os.getpid()}-")
    finally:
        kept.release()
