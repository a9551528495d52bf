"""Speed fixes for Rasa 3.6 that change no behaviour, installed when ``bot`` is imported.

(The action server gets only the recent events of a conversation,
:mod:`bot.action_payload`, also installed here: its cost no longer grows with the
conversation.)

Each one was found by ``benchmarks/profile_turn.py``; docs/benchmarks.md ("What was
changed") has the figure each one bought.

**Action-server responses are checked against their schema, not the schema against
its metaschema, on every call.** Rasa's ``RemoteAction`` validates every response of
the action server with ``jsonschema.validate(response, spec)``. ``validate`` first runs
``check_schema`` on ``spec`` (Rasa's own, constant response format, which has no
``$schema`` and so is read as Draft 2020-12) and that meta-validation costs ~20 ms of
CPU per call, against ~0.3 ms for validating the response itself. A message made one
to three such calls (then including ``action_validate_slot_mappings`` after every
message), so this was the largest single cost of a turn. :func:`validate` keeps ``jsonschema``'s
semantics — the same validator class, the same ``SchemaError`` for a bad schema, the
same best-matching ``ValidationError`` for a bad instance — but checks each distinct
schema only the first time it sees it. A valid response is then recognised by checking
each event against the schema of its own type only (:mod:`bot.event_schema`), instead
of against all ~20 event schemas of the format's ``oneOf``; anything not recognised so
is validated exactly as ``jsonschema`` does.

**A trained TensorFlow model gets its weights without tracing a training step.** To
create a DIET or TED model's variables before reading the saved weights, Rasa's
``RasaModel.load`` runs ``model.fit`` on one example, in graph mode: TensorFlow traces
and compiles the whole training step (loss, CRF, optimizer) once per model, only for
those variables to be overwritten by ``load_weights`` a moment later. That was most of
the server's start-up time (a cold start of 42-58 s on 2 cores). :func:`load_model`
instead runs the training-time forward pass once, eagerly, which makes every layer
create its variables without tracing anything, restores the weights (all but the
optimizer's state, which predictions never use), and traces the prediction function
as Rasa does. The answers are the same: every weight comes from the saved checkpoint
either way (tests/integration/test_speedups_model.py compares both loads). Fine-tuning
(``rasa train --finetune``) keeps Rasa's own load, which it needs.

**TED's prediction function is traced after the server is up.** Tracing it took ~0.9
of a ~4.7 s load, and most messages never run TED (next paragraph but three): the trace
runs in a background thread once the model is loaded (:func:`run_deferred_warm_ups`),
which then parses one message, so that the first execution of DIET's function (~0.35 s
more than later ones) does not fall on a resident's message either.

**An event's class is looked up in a table.** Rasa finds the class of every event it
reads back (tracker store, action-server answers) by walking every ``Event`` subclass;
:func:`resolve_event_type` keeps the walk's answers.

**The loaded model is kept out of the garbage collector's full passes.** A loaded
model is ~770,000 Python objects (TensorFlow's graphs and layers, Rasa's domain and
graph), all alive for the server's life. Every full (oldest-generation) collection
walked them all: ~230 ms measured after a load, with the whole server stopped.
:func:`load_agent_model` freezes (``gc.freeze``) what exists right after a model is
loaded; later collections look at the objects of messages only. Loading another model
first unfreezes, so the replaced model's objects can still be collected. When the
server was started by ``city-rasa`` (:mod:`bot.launch`), the collector was paused from
the start until here, and is resumed once the model is frozen.

**TED is not run when the rule policy has already decided.** Every prediction ran
every policy; when ``RulePolicy`` predicts with confidence 1.0, TED cannot win. The
prediction graph now hands TED the rule policy's prediction and TED then answers
"no opinion" at once (:mod:`bot.policies.ted_gate` explains when exactly).

**A conversation's history is replayed once per new event.** The rule and memoization
policies asked for the states of the whole loaded history at every prediction, each
call replaying every event; :mod:`bot.dialogue_states` keeps each conversation's replay
and continues it when only new events came.

**A trained model's domain is read once.** Rasa parsed its YAML four times at load
(:func:`load_domain`).

**A text parsed before is not parsed again.** Residents repeat one another
("你好", "yes", "人工"); :mod:`bot.parse_cache` keeps the parses of short texts without
a resident's case in them, keyed by a hash, never the text.

**Parsing can run in a second process.** With ``CITY_NLU_WORKER_URL`` set (``make run``
sets it), a message's text is parsed by an NLU worker process while this one serves
other residents (:mod:`bot.nlu_worker`: why, and why it never changes an answer).

**A graph run is a planned loop, not a dask schedule.** The NLU pipeline and the
policies are Rasa graphs that ``DaskGraphRunner`` handed to dask's scheduler on every
run; :mod:`bot.graph_runner` runs the same nodes with the same arguments in an order
planned once per set of targets.

**Sparse features are put side by side directly.** Rasa combines a message's sparse
features pairwise with ``scipy.sparse.hstack``; :mod:`bot.sparse_features` does the
two-COO case it always has without scipy's general block assembly, same result.
"""

from __future__ import annotations

import functools
import gc
import importlib
import importlib.abc
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import jsonschema
import jsonschema.exceptions
import jsonschema.validators

logger = logging.getLogger(__name__)

#: Models whose prediction function is traced after the load (:func:`run_deferred_warm_ups`):
#: TED, which most messages never run. DIET parses every message and is traced at once.
DEFERRED_WARM_UPS = frozenset({"TED"})
_deferred_warm_ups: list[Callable[[], Any]] = []

#: Distinct schemas remembered as valid; beyond this every schema is checked each time.
MAX_REMEMBERED_SCHEMAS = 256

_original_validate = jsonschema.validate
_checked: set[tuple[str, str]] = set()
#: Per checked schema, its event-dispatched quick check (None: the schema has another shape).
_dispatches: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def _schema_key(schema: Any, cls: type) -> tuple[str, str] | None:
    """A key naming this schema's content (not its identity: Rasa builds a new dict each call)."""
    try:
        text = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return None  # not plain JSON: never remembered, always checked
    return f"{cls.__module__}.{cls.__qualname__}", text


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """``jsonschema.validate``, with the schema itself checked once per distinct schema."""
    if cls is None:
        cls = jsonschema.validators.validator_for(schema)
    key = _schema_key(schema, cls)
    if key is None or key not in _checked:
        cls.check_schema(schema)  # raises SchemaError: nothing is remembered
        if key is not None:
            with _lock:
                if len(_checked) < MAX_REMEMBERED_SCHEMAS:
                    _checked.add(key)
    if key is not None and not args and not kwargs:
        dispatch = _dispatch_for(key, schema, cls)
        if dispatch is not None and dispatch.accepts(instance):
            return
    validator = cls(schema, *args, **kwargs)
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def _dispatch_for(key: tuple[str, str], schema: Any, cls: Any) -> Any:
    """The schema's :class:`bot.event_schema.EventDispatch` (None: not of that shape)."""
    from bot.event_schema import EventDispatch

    if key in _dispatches:
        return _dispatches[key]
    try:
        dispatch: EventDispatch | None = EventDispatch(schema, cls)
    except ValueError:
        dispatch = None
    with _lock:
        if len(_dispatches) < MAX_REMEMBERED_SCHEMAS:
            _dispatches[key] = dispatch
    return dispatch


_original_load: Any = None


def load_model(
    cls: type,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """``RasaModel.load`` without the traced training step (see module docstring)."""
    from rasa.utils.tensorflow.constants import RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    if finetune_mode:  # training goes on: the compiled training step is needed anyway
        return _original_load.__func__(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
            *args, **kwargs,
        )  # fmt: skip
    model = cls(*args, **kwargs)
    batch_in, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model._training = True  # the training-time forward pass: every layer makes its variables
    model.batch_loss(batch_in)
    model._training = None
    if kwargs.get("config", {}).get(RUN_EAGERLY):
        model.run_eagerly = True
    deferred = (
        bool(predict_data_example) and cls.__name__ in DEFERRED_WARM_UPS and not model._run_eagerly
    )
    # ``load_weights`` restores lazily: a variable first created later (the prediction
    # function's trace creates some) is read from the checkpoint then. Rasa unpacks the
    # model archive to a temporary directory that is gone once the model is loaded, so
    # a trace deferred past the load reads a copy of the checkpoint kept until it ends.
    kept = _KeptCheckpoint(model_file_name) if deferred else None
    # The checkpoint also holds the optimizer's state, which predictions never use.
    model.load_weights(kept.path if kept else model_file_name).expect_partial()
    if predict_data_example:
        if not model._run_eagerly:
            _trace_without_autograph(model, predict_data_example)
        if kept is not None:
            with _lock:
                _deferred_warm_ups.append(
                    functools.partial(_warm_up, model, predict_data_example, kept)
                )
        else:
            model.run_inference(predict_data_example)
            serve_concrete_function(model)
    return model


def serve_concrete_function(model: Any) -> None:
    """Call ``model``'s traced prediction function directly, not through ``tf.function``.

    A ``tf.function`` call first matches its arguments against its input signature and
    looks up its traces (~0.8 ms of a ~4.3 ms DIET prediction on 2026-12-05), although
    with an input signature there is one trace only. The concrete function it holds
    takes the same arguments and runs the same graph; it is what Rasa's
    ``_rasa_predict`` calls from now on (tests/integration/test_speedups_model.py
    compares the two on the trained model).
    """
    function = getattr(model, "_tf_predict_step", None)
    if function is not None and getattr(function, "input_signature", None) is not None:
        model._city_tf_function = function  # kept for the comparison test
        model._tf_predict_step = function.get_concrete_function()


#: Checkpoint copies are named ``<prefix><pid>-<random>`` in the temporary directory.
KEPT_CHECKPOINT_PREFIX = "city-assistant-weights-"
#: A copy without a process id in its name is an orphan once this old (a trace takes seconds).
UNNAMED_COPY_MAX_AGE_S = 3600.0


def remove_orphaned_checkpoint_copies(directory: str | None = None) -> list[str]:
    """Remove checkpoint copies whose process is gone; returns the names removed.

    A copy lives only while its process traces TED (seconds after a load) and is removed
    when the trace ends, even when it fails; but a process killed outright in those
    seconds (SIGKILL, the machine's out-of-memory killer) leaves its copy, ~4 MB, in
    the temporary directory for good. Each load therefore first removes copies whose
    process id no longer runs, and copies named before the id was part of the name
    (until 2026-12-05) once they are an hour old.
    """
    removed = []
    for path in Path(directory or tempfile.gettempdir()).glob(KEPT_CHECKPOINT_PREFIX + "*"):
        pid = path.name[len(KEPT_CHECKPOINT_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            if time.time() - path.stat().st_mtime < UNNAMED_COPY_MAX_AGE_S:
                continue
        elif int(pid) == os.getpid() or _process_runs(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    return removed


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


class _KeptCheckpoint:
    """A copy of a TensorFlow checkpoint's files, removed when :meth:`release` is called."""

    def __init__(self, model_file_name: str) -> None:
        source = Path(model_file_name)
        remove_orphaned_checkpoint_copies()
        self._directory = tempfile.TemporaryDirectory(
            prefix=f"{KEPT_CHECKPOINT_PREFIX}{os.getpid()}-"
        )
        for file in source.parent.glob(source.name + ".*"):
            shutil.copy2(file, self._directory.name)
        self.path = str(Path(self._directory.name) / source.name)

    def release(self) -> None:
        self._directory.cleanup()


def _parse_once(processor: Any, text: str) -> None:
    """Parse ``text`` with the loaded NLU graph, answer unused.

    The first execution of DIET's traced function after the load took ~0.37 s more than
    later ones (inside TensorFlow's runtime, which runs without the interpreter's lock),
    and that fell on the first resident's message.
    """
    from rasa.core.channels.channel import UserMessage

    processor._parse_message_with_graph(UserMessage(text, sender_id="warm-up"), None)


def _warm_up(model: Any, predict_data_example: Any, kept: _KeptCheckpoint) -> None:
    """Trace ``model``'s prediction function, then drop the checkpoint copy it read."""
    try:
        model.run_inference(predict_data_example)
        serve_concrete_function(model)
    finally:
        kept.release()


#: Parsed once in the background after a model load (:func:`run_deferred_warm_ups`).
WARM_UP_TEXTS = ("你好，请问 hello",)


def run_deferred_warm_ups(processor: Any = None) -> threading.Thread | None:
    """Trace, in a background thread, the prediction functions :func:`load_model` left.

    TED's first prediction traces its prediction function (~0.9 s on 2 cores). Most
    messages never run TED (the rule policy decides: :mod:`bot.policies.ted_gate`), so
    the server can answer before that trace is done: it runs here, after the model is
    loaded, while the first residents are answered. A prediction that needs TED before
    the trace is finished waits for it (TensorFlow traces a function once, under a
    lock) — never longer than the load would have taken.
    """
    with _lock:
        pending = list(_deferred_warm_ups)
        _deferred_warm_ups.clear()
    if processor is not None and getattr(processor, "graph_runner", None) is not None:
        pending.extend(functools.partial(_parse_once, processor, t) for t in WARM_UP_TEXTS)
    if not pending:
        return None

    def warm_up() -> None:
        for function in pending:
            try:
                function()
            except Exception:  # the first real prediction traces instead, and reports it
                logger.exception("Warming up a model's prediction function failed")
        freeze_loaded_objects()  # the traced graphs live as long as the model

    # Not a daemon: a process that exits mid-trace waits for it (TensorFlow aborts otherwise).
    thread = threading.Thread(target=warm_up, name="model-warm-up", daemon=False)
    thread.start()
    return thread


def _trace_without_autograph(model: Any, predict_data_example: Any) -> None:
    """Give ``model`` the prediction function Rasa would make, but traced without autograph.

    Rasa wraps ``predict_step`` in ``tf.function`` on the first prediction, and autograph
    then rewrites the source of every layer's ``call`` into graph code: most of a model's
    load (~7 of ~9 s for DIET and TED on 2 cores). Their prediction code branches and
    loops on Python values only (configuration, shapes known when tracing), never on
    tensors, so the traced graph is the same without the rewrite; a tensor-dependent
    branch would fail loudly at load, not change an answer
    (tests/integration/test_speedups_model.py compares both loads' predictions).
    """
    import tensorflow as tf
    from rasa.utils.train_utils import create_data_generators

    generator, _ = create_data_generators(
        model_data=predict_data_example, batch_sizes=1, epochs=1, shuffle=False
    )
    batch_in = next(iter(generator))[0]
    model._training = False
    if not model.prepared_for_prediction:
        model.prepare_for_predict()
        model.prepared_for_prediction = True
    model._tf_predict_step = tf.function(
        model.predict_step, input_signature=model._dynamic_signature(batch_in), autograph=False
    )


#: The module whose ``RasaModel.load`` :func:`load_model` replaces.
RASA_MODELS = "rasa.utils.tensorflow.models"
#: The module of TED, whose prediction :mod:`bot.policies.ted_gate` skips when rules decided.
RASA_TED = "rasa.core.policies.ted_policy"
#: The module of the graph runner, which wires the rule prediction into TED's inputs.
RASA_RUNNER = "rasa.engine.runner.dask"

#: The module of ``RemoteAction``, whose calls carry the tracker to the action server.
RASA_ACTIONS = "rasa.core.actions.action"

#: The module of Rasa's events, whose type look-up walks every Event subclass per event.
RASA_EVENTS = "rasa.shared.core.events"

#: The module of ``Agent``, whose ``load_model`` loads a model into the server.
RASA_AGENT = "rasa.core.agent"

#: The module of ``MessageProcessor``, whose ``parse_message`` runs the NLU pipeline.
RASA_PROCESSOR = "rasa.core.processor"

#: The module of ``Domain``, whose ``states_for_tracker_history`` the policies call.
RASA_DOMAIN = "rasa.shared.core.domain"
#: The module of ``DomainProvider``, whose ``load`` reads a trained model's domain.
RASA_DOMAIN_PROVIDER = "rasa.graph_components.providers.domain_provider"
#: The module of ``Features``, whose sparse matrices every parse combines ~5 times.
RASA_FEATURES = "rasa.shared.nlu.training_data.features"

_original_ted_predict: Any = None
_original_agent_load: Any = None
_original_resolve: Any = None
#: type_name → Event subclass, as Rasa's loop finds it (the first in its walk wins).
_event_types: dict[str, type] = {}
_original_runner_init: Any = None
_original_runner_run: Any = None
#: Which of the two runner fixes ``install`` asked for (both by default).
_runner_fixes = {"ted_gate": True, "planned_runs": True}
_original_call_format: Any = None
_original_parse_message: Any = None
_original_domain_load: Any = None
_original_combine_sparse: Any = None


def resolve_event_type(type_name: str, default: Any = None) -> Any:
    """``Event.resolve_by_type`` from a table instead of a walk of every Event subclass.

    Rasa walks the whole class tree (``all_subclasses``, with ``inspect.isabstract`` on
    each) for every event it reads back — ~14 times a message from the tracker store
    and the action server's answers, ~1.3 ms of CPU. The table is rebuilt in Rasa's
    own order whenever a name is missing, so a subclass defined later is still found.
    """
    found = _event_types.get(type_name)
    if found is not None:
        return found
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    table: dict[str, type] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)
    _event_types.clear()
    _event_types.update(table)
    if type_name in table:
        return table[type_name]
    return _original_resolve.__func__(type_name, default)


def _patch_events(events: ModuleType) -> None:
    global _original_resolve
    if _original_resolve is None:
        _original_resolve = events.Event.__dict__["resolve_by_type"]
    events.Event.resolve_by_type = staticmethod(resolve_event_type)


def _patch_rasa_model(models: ModuleType) -> None:
    global _original_load
    if _original_load is None:
        _original_load = models.RasaModel.__dict__["load"]
    models.RasaModel.load = classmethod(load_model)


def _patch_ted(ted_module: ModuleType) -> None:
    from bot.policies.ted_gate import gate

    global _original_ted_predict
    ted = ted_module.TEDPolicy
    if _original_ted_predict is None:
        _original_ted_predict = ted.__dict__["predict_action_probabilities"]
    ted.predict_action_probabilities = gate(_original_ted_predict)


def _patch_runner(runner_module: ModuleType) -> None:
    from bot.graph_runner import run as run_planned
    from bot.policies.ted_gate import wire_rule_prediction

    global _original_runner_init, _original_runner_run
    runner = runner_module.DaskGraphRunner
    if _original_runner_init is None:
        _original_runner_init = runner.__dict__["__init__"]
        _original_runner_run = runner.__dict__["run"]
    original = _original_runner_init
    if _runner_fixes["planned_runs"]:
        runner.run = run_planned
    if not _runner_fixes["ted_gate"]:
        return

    def __init__(self: Any, graph_schema: Any, *args: Any, **kwargs: Any) -> None:
        original(self, wire_rule_prediction(graph_schema), *args, **kwargs)

    runner.__init__ = __init__


def freeze_loaded_objects() -> None:
    """Keep every object alive now out of later collections.

    No collection first: walking the ~770,000 objects once more cost ~0.4 s of every
    cold start, to reclaim the little garbage a model load leaves, once.
    """
    gc.freeze()


def _patch_agent(agent_module: ModuleType) -> None:
    global _original_agent_load
    agent = agent_module.Agent
    if _original_agent_load is None:
        _original_agent_load = agent.__dict__["load_model"]
    original = _original_agent_load

    from bot.launch import resume_collection

    def load_agent_model(self: Any, *args: Any, **kwargs: Any) -> None:
        gc.unfreeze()  # a model being replaced can then be collected
        try:
            original(self, *args, **kwargs)
            freeze_loaded_objects()
        finally:
            resume_collection()  # city-rasa's start-up pause (bot.launch), if any
        run_deferred_warm_ups(getattr(self, "processor", None))

    agent.load_model = load_agent_model


def _patch_remote_action(actions_module: ModuleType) -> None:
    from bot.action_payload import action_call_format

    global _original_call_format
    remote = actions_module.RemoteAction
    if _original_call_format is None:
        _original_call_format = remote.__dict__["_action_call_format"]

    def _action_call_format(self: Any, tracker: Any, domain: Any) -> Any:
        return action_call_format(self, tracker, domain)

    remote._action_call_format = _action_call_format


def _patch_processor(processor_module: ModuleType) -> None:
    from bot.nlu_worker import parse_message as parse_through_worker
    from bot.parse_cache import cached_parse, process_cache

    global _original_parse_message
    processor = processor_module.MessageProcessor
    if _original_parse_message is None:
        _original_parse_message = processor.__dict__["parse_message"]
    original = _original_parse_message

    async def parse_message(
        self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True
    ) -> Any:
        async def parse() -> Any:
            return await parse_through_worker(
                self, original, message, tracker, only_output_properties
            )

        if self.http_interpreter is not None or not only_output_properties:
            return await parse()
        model_id = str(getattr(self.model_metadata, "model_id", "") or "")
        return await cached_parse(process_cache(), model_id, getattr(message, "text", None), parse)

    processor.parse_message = parse_message


def load_domain(
    cls: Any,
    config: Any,
    model_storage: Any,
    resource: Any,
    execution_context: Any,
    **kwargs: Any,
) -> Any:
    """``DomainProvider.load`` reading the model's one domain file once.

    Rasa's ``Domain.from_path`` on the directory parses the YAML four times (to see that
    it is a domain, to validate it against the schema, to build a Domain it throws away,
    and to merge it) and builds the Domain twice: ~0.5 s of a 10 s cold start. The file is
    the domain Rasa itself validated and wrote at training (``DomainProvider._persist``);
    it is read and merged the same way, once. Anything else in the directory (a model
    this code did not write) goes to Rasa's own load.
    """
    from pathlib import Path

    import rasa.shared.utils.io
    from rasa.shared.core.domain import Domain

    with model_storage.read_from(resource) as directory:
        files = [path for path in Path(directory).rglob("*") if path.is_file()]
        if len(files) != 1 or files[0].name != "domain.yml":
            return _original_domain_load.__func__(
                cls, config, model_storage, resource, execution_context, **kwargs
            )
        data = rasa.shared.utils.io.read_yaml(rasa.shared.utils.io.read_file(files[0]))
        domain = Domain.from_dict(Domain.merge_domain_dicts(data, {}))
    return cls(model_storage, resource, domain)


def _patch_domain_provider(provider_module: ModuleType) -> None:
    import typing

    global _original_domain_load
    provider = provider_module.DomainProvider
    if _original_domain_load is None:
        _original_domain_load = provider.__dict__["load"]
    # Rasa checks a graph component's ``load`` by its type hints when it trains: give ours
    # the original's, resolved where they were written (ours are strings of this module).
    load_domain.__annotations__ = typing.get_type_hints(_original_domain_load.__func__)
    provider.load = classmethod(load_domain)


#: What is patched when each Rasa module is imported (TensorFlow code: only when a model loads).
def _patch_domain(domain_module: ModuleType) -> None:
    from bot import dialogue_states

    dialogue_states.install(domain_module.Domain)


def _patch_features(features_module: ModuleType) -> None:
    from bot.sparse_features import combine_sparse_features

    global _original_combine_sparse
    features = features_module.Features
    if _original_combine_sparse is None:
        _original_combine_sparse = features.__dict__["_combine_sparse_features"]
    features._combine_sparse_features = combine_sparse_features


_PATCHES: dict[str, Callable[[ModuleType], None]] = {
    RASA_MODELS: _patch_rasa_model,
    RASA_TED: _patch_ted,
    RASA_RUNNER: _patch_runner,
    RASA_ACTIONS: _patch_remote_action,
    RASA_EVENTS: _patch_events,
    RASA_AGENT: _patch_agent,
    RASA_PROCESSOR: _patch_processor,
    RASA_DOMAIN_PROVIDER: _patch_domain_provider,
    RASA_DOMAIN: _patch_domain,
    RASA_FEATURES: _patch_features,
}


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then(module)`` right after the module ``name`` is first imported.

    So that ``bot`` can be imported before Rasa's TensorFlow code (a channel module is)
    without importing TensorFlow itself: processes that never load a model never pay for it.
    """

    def __init__(self, name: str, then: Callable[[ModuleType], None]) -> None:
        self.name = name
        self.then = then

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)  # once, and not while looking for the real spec
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader, then = spec.loader, self.then

        class Loader(importlib.abc.Loader):
            def create_module(self, spec: Any) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: ModuleType) -> None:
                loader.exec_module(module)
                then(module)

        spec.loader = Loader()
        return spec


def install_model_loading() -> None:
    """Put the model-side fixes (loading, TED gate) in place now (imports TensorFlow)."""
    for name, patch in _PATCHES.items():
        patch(importlib.import_module(name))


def install(
    model_loading: bool = True,
    ted_gate: bool = True,
    recent_events: bool = True,
    replayed_states: bool = True,
    planned_runs: bool = True,
) -> None:
    """Install the speed fixes.

    ``jsonschema.validate`` at once (Rasa imports it at call time); the others when
    Rasa's module they patch is imported (at once if it already is), so that the console
    and the action server, which import ``bot`` too, never load TensorFlow for them.
    ``model_loading``, ``ted_gate``, ``recent_events``, ``replayed_states`` and
    ``planned_runs`` leave one fix out (A/B runs of the benchmarks).
    """
    jsonschema.validate = validate
    _runner_fixes.update(ted_gate=ted_gate, planned_runs=planned_runs)
    wanted = {
        RASA_MODELS: model_loading,
        RASA_TED: ted_gate,
        RASA_RUNNER: ted_gate or planned_runs,
        RASA_ACTIONS: recent_events,
        RASA_EVENTS: True,
        RASA_AGENT: True,
        RASA_PROCESSOR: True,
        RASA_DOMAIN_PROVIDER: model_loading,
        RASA_DOMAIN: replayed_states,
        RASA_FEATURES: True,
    }
    waiting = {finder.name for finder in sys.meta_path if isinstance(finder, _AfterImport)}
    for name, patch in _PATCHES.items():
        if not wanted[name]:
            continue
        if name in sys.modules:
            patch(sys.modules[name])
        elif name not in waiting:
            sys.meta_path.insert(0, _AfterImport(name, patch))


def uninstall() -> None:
    """Restore ``jsonschema.validate`` and ``RasaModel.load`` (for tests and benchmarks)."""
    jsonschema.validate = _original_validate
    with _lock:
        _checked.clear()
        _dispatches.clear()
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _AfterImport)]
    if _original_load is not None and RASA_MODELS in sys.modules:
        sys.modules[RASA_MODELS].RasaModel.load = _original_load
    if _original_ted_predict is not None and RASA_TED in sys.modules:
        sys.modules[RASA_TED].TEDPolicy.predict_action_probabilities = _original_ted_predict
    if _original_call_format is not None and RASA_ACTIONS in sys.modules:
        sys.modules[RASA_ACTIONS].RemoteAction._action_call_format = _original_call_format
    if _original_resolve is not None and RASA_EVENTS in sys.modules:
        sys.modules[RASA_EVENTS].Event.resolve_by_type = _original_resolve
    if _original_agent_load is not None and RASA_AGENT in sys.modules:
        sys.modules[RASA_AGENT].Agent.load_model = _original_agent_load
    if _original_runner_init is not None and RASA_RUNNER in sys.modules:
        sys.modules[RASA_RUNNER].DaskGraphRunner.__init__ = _original_runner_init
        sys.modules[RASA_RUNNER].DaskGraphRunner.run = _original_runner_run
    if _original_parse_message is not None and RASA_PROCESSOR in sys.modules:
        sys.modules[RASA_PROCESSOR].MessageProcessor.parse_message = _original_parse_message
    if RASA_DOMAIN in sys.modules:
        from bot import dialogue_states

        dialogue_states.uninstall(sys.modules[RASA_DOMAIN].Domain)
    if _original_combine_sparse is not None and RASA_FEATURES in sys.modules:
        sys.modules[RASA_FEATURES].Features._combine_sparse_features = _original_combine_sparse
    if _original_domain_load is not None and RASA_DOMAIN_PROVIDER in sys.modules:
        sys.modules[RASA_DOMAIN_PROVIDER].DomainProvider.load = _original_domain_load
