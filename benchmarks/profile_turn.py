"""Where one message's time goes inside Rasa: NLU, policies, action round trips, tracker store.

The load benchmark (``benchmarks/load.py``) says how fast the whole system is; this one says
why. It loads the trained model in this process, the way ``rasa run`` does (same endpoints,
same NLG, same tracker store type), starts the sandbox city and an action server as
``scripts/run_stack.py`` does, and plays the load benchmark's conversations one message at a
time, so that every figure is the cost of a message with nothing else competing for the CPU.

For each message it records wall time and this process's CPU time (TensorFlow's threads
included), split by stage:

- *tracker retrieve* / *tracker save*: the tracker store (SQLite file by default, PostgreSQL
  with ``--database-url``);
- *NLU*: ``MessageProcessor.parse_message`` (the whole NLU graph);
- *slot extraction*: ``action_extract_slots``, with its call to the action server;
- *policy prediction*: every run of the policy graph (one per predicted action);
- *remote action*: every call to the action server, by action (wall time includes the
  action server's own work, which runs in another process);
- *NLG*: rendering responses.

and by graph node (each NLU component and policy), because both graphs run through
``GraphNode.__call__``. With ``--cprofile FILE`` it also writes a cProfile of the measured
messages and prints the functions with the most cumulative and own time.

Run: ``.venv/bin/python -m benchmarks.profile_turn [--rounds 3] [--report docs/benchmarks.md]``
(the report gets, or has replaced, a "Profile" section).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import functools
import inspect
import io
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from benchmarks.cold_start import run_stack, start_city_services
from benchmarks.load import SCRIPTS, TRANSIT_NOW, Script, replace_section
from benchmarks.transit_scale import machine

ROOT = Path(__file__).resolve().parent.parent
PROFILE_HEADING = "## Profile"


@dataclass
class Stage:
    """Wall and CPU seconds spent in one stage, and how often it ran."""

    wall: float = 0.0
    cpu: float = 0.0
    calls: int = 0


@dataclass
class Ledger:
    """Stage totals of the measured messages (nothing is recorded while ``recording`` is off)."""

    stages: dict[str, Stage] = field(default_factory=lambda: defaultdict(Stage))
    nodes: dict[str, Stage] = field(default_factory=lambda: defaultdict(Stage))
    actions: dict[str, Stage] = field(default_factory=lambda: defaultdict(Stage))
    per_message_wall: list[float] = field(default_factory=list)
    per_message_cpu: list[float] = field(default_factory=list)
    recording: bool = False

    def add(self, table: dict[str, Stage], name: str, wall: float, cpu: float) -> None:
        if self.recording:
            stage = table[name]
            stage.wall += wall
            stage.cpu += cpu
            stage.calls += 1


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def timed(
    ledger: Ledger, table: str, name: Callable[..., str] | str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a method (plain or async) so that its wall and CPU time go to ``ledger``."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        def record(started: tuple[float, float], args: Any, kwargs: Any) -> None:
            label = name if isinstance(name, str) else name(*args, **kwargs)
            (wall, cpu), (end_wall, end_cpu) = started, _clock()
            ledger.add(getattr(ledger, table), label, end_wall - wall, end_cpu - cpu)

        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            async def waiting(*args: Any, **kwargs: Any) -> Any:
                started = _clock()
                try:
                    return await method(*args, **kwargs)
                finally:
                    record(started, args, kwargs)

            return waiting

        @functools.wraps(method)
        def plain(*args: Any, **kwargs: Any) -> Any:
            started = _clock()
            try:
                return method(*args, **kwargs)
            finally:
                record(started, args, kwargs)

        return plain

    return decorate


def instrument(ledger: Ledger, tracker_store_class: type, lock_store_class: type) -> None:
    """Patch Rasa's classes (in this process only) so that every stage reports to ``ledger``."""
    from rasa.core.actions.action import ActionExtractSlots, RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode

    from bot.nlg import BilingualNaturalLanguageGenerator

    patches: list[tuple[type, str, Callable[..., Any]]] = [
        (tracker_store_class, "retrieve",
         timed(ledger, "stages", "tracker retrieve")),
        (tracker_store_class, "save", timed(ledger, "stages", "tracker save")),
        (lock_store_class, "issue_ticket", timed(ledger, "stages", "lock store")),
        (lock_store_class, "_issue_in_redis", timed(ledger, "stages", "lock store")),
        (lock_store_class, "_acquire_lock", timed(ledger, "stages", "lock store")),
        (lock_store_class, "cleanup", timed(ledger, "stages", "lock store")),
        (MessageProcessor, "parse_message", timed(ledger, "stages", "NLU")),
        (ActionExtractSlots, "run", timed(ledger, "stages", "slot extraction")),
        (MessageProcessor, "_predict_next_with_tracker",
         timed(ledger, "stages", "policy prediction")),
        (RemoteAction, "run",
         timed(ledger, "actions", lambda self, *a, **k: self.name())),
        (BilingualNaturalLanguageGenerator, "generate", timed(ledger, "stages", "NLG")),
        (GraphNode, "__call__",
         timed(ledger, "nodes", lambda self, *a, **k: self._node_name)),
    ]  # fmt: skip
    for owner, attribute, decorate in patches:
        if hasattr(owner, attribute):  # bot.lock_store issues tickets its own way
            setattr(owner, attribute, decorate(getattr(owner, attribute)))


@dataclass(frozen=True)
class Played:
    """One message played: the script, the text, and whether the reply was the expected one."""

    script: str
    message: str
    on_script: bool


async def play(agent: Any, script: Script, sender: str) -> list[Played]:
    """Play one conversation through ``agent.handle_text``, as the REST channel does."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    played = []
    for turn in script.turns:
        output = CollectingOutputChannel()
        await agent.handle_message(UserMessage(turn.message, output, sender, input_channel="rest"))
        text = " ".join(str(m.get("text", "")) for m in output.messages)
        played.append(
            Played(
                script.name, turn.message, not turn.expect or any(e in text for e in turn.expect)
            )
        )
    return played


def conversations(rounds: int) -> Iterator[tuple[Script, str]]:
    """Every script ``rounds`` times, each with a new sender id."""
    stamp = int(time.time())
    for number in range(rounds):
        for script in SCRIPTS:
            yield script, f"profile-{stamp}-{number}-{script.name}"


def endpoints_for(args: argparse.Namespace) -> Any:
    """Rasa's endpoints for the run; the action server is always the one started here.

    ``--endpoints`` (e.g. endpoints.prod.yml) brings its own tracker and lock stores;
    otherwise endpoints.yml with PostgreSQL (``--database-url``) or a fresh SQLite file.
    """
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    if args.endpoints:
        endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
        endpoints.action = EndpointConfig(
            url=f"http://localhost:{args.actions_port}/webhook",
            headers={"X-Action-Token": os.environ["ACTION_SERVER_TOKEN"]},
        )
        return endpoints
    endpoints = AvailableEndpoints.read_endpoints(
        str(run_stack().endpoints_file(args.actions_port))
    )
    # The store's own settings (its window, its cache) as configured; only the database
    # is this run's.
    settings = {
        key: value
        for key, value in endpoints.tracker_store.kwargs.items()
        if key in ("window_user_messages", "cache_conversations", "cache_idle_seconds")
    }
    if args.database_url:
        endpoints.tracker_store = EndpointConfig(
            type="bot.tracker_store.ResilientSQLTrackerStore",
            **_sql_parts(args.database_url),
            **settings,
        )
    else:
        database = Path(tempfile.mkdtemp(prefix="profile-")) / "conversations.db"
        endpoints.tracker_store = EndpointConfig(
            type="bot.tracker_store.ResilientSQLTrackerStore",
            dialect="sqlite",
            db=str(database),
            **settings,
        )
    return endpoints


async def load_served_agent(model: str, endpoints: Any) -> Any:
    """The model loaded in this process as our launchers start ``rasa run`` (the other
    in-process benchmarks load it through here too)."""
    from rasa.core.agent import load_agent
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow.environment import setup_tf_environment

    configure_structlog(logging.INFO)  # as `rasa run` does: no debug events
    os.environ.update(run_stack().rasa_environment())  # as our launchers start Rasa
    setup_tf_environment()  # as `rasa run` does: TF_*_PARALLELISM_THREADS
    return await load_agent(model_path=model, endpoints=endpoints)


async def measure(args: argparse.Namespace, ledger: Ledger) -> list[Played]:
    """Load the agent, warm it up with one unmeasured round, then measure ``args.rounds``."""
    agent = await load_served_agent(args.model, endpoints_for(args))
    instrument(ledger, type(agent.tracker_store), type(agent.lock_store))
    for script, sender in conversations(1):
        await play(agent, script, f"warm-{sender}")
    profiler = cProfile.Profile() if args.cprofile else None
    played: list[Played] = []
    ledger.recording = True
    for script, sender in conversations(args.rounds):
        for turn in script.turns:
            wall, cpu = _clock()
            if profiler:
                profiler.enable()
            played.extend(await play(agent, Script(script.name, script.language, (turn,)), sender))
            if profiler:
                profiler.disable()
            end_wall, end_cpu = _clock()
            ledger.per_message_wall.append(end_wall - wall)
            ledger.per_message_cpu.append(end_cpu - cpu)
    ledger.recording = False
    if profiler:
        profiler.dump_stats(args.cprofile)
    return played


def _sql_parts(url: str) -> dict[str, Any]:
    """``postgresql://user:password@host:port/db`` as Rasa's SQL tracker store arguments."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return {
        "dialect": parsed.drivername,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }


def start_services(args: argparse.Namespace) -> Any:
    """The sandbox city and one action server, as the cold-start benchmark starts them.

    The transit clock is the benchmarks' own unless ``TRANSIT_NOW`` is set (another
    city's feed has its own dates).
    """
    now = os.environ.get("TRANSIT_NOW") or TRANSIT_NOW
    return start_city_services(
        "profile", args.sandbox_port, args.actions_port, {"TRANSIT_NOW": now}
    )


def ms(seconds: float) -> str:
    return f"{1000 * seconds:,.1f}"


def table(title: str, rows: dict[str, Stage], messages: int, total_cpu: float) -> list[str]:
    lines = [
        f"| {title} | calls per message | wall ms per message | CPU ms per message "
        "| share of CPU |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, stage in sorted(rows.items(), key=lambda item: -item[1].cpu):
        lines.append(
            f"| {name} | {stage.calls / messages:.2f} | {ms(stage.wall / messages)} "
            f"| {ms(stage.cpu / messages)} | {100 * stage.cpu / total_cpu:.0f} % |"
        )
    return lines


def markdown(ledger: Ledger, played: list[Played], args: argparse.Namespace) -> str:
    messages = len(ledger.per_message_cpu)
    total_cpu = sum(ledger.per_message_cpu)
    walls = sorted(ledger.per_message_wall)
    store = "PostgreSQL" if args.database_url else "SQLite file"
    off = sum(not p.on_script for p in played)
    lines = [
        PROFILE_HEADING,
        "",
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}, by "
        f"`python -m benchmarks.profile_turn --rounds {args.rounds}`: the model "
        f"`{args.model}` loaded in one process as `rasa run` loads it, tracker store "
        f"{store}, the sandbox city and an action server in their own processes; the "
        f"{len(SCRIPTS)} load-benchmark conversations played {args.rounds} times, one message "
        f"at a time ({messages} messages; {off} off-script), after one unmeasured round, "
        f"{'with' if args.parse_cache else 'without'} the parse cache. "
        "*CPU* is this process's CPU time (TensorFlow's threads included); *wall* includes "
        "waiting for the action server.",
        "",
        f"Per message: CPU mean {ms(total_cpu / messages)} ms, wall mean "
        f"{ms(statistics.fmean(walls))} ms, wall p50 {ms(walls[len(walls) // 2])} ms, "
        f"wall p95 {ms(walls[int(0.95 * (len(walls) - 1))])} ms.",
        "",
        *table("stage", ledger.stages, messages, total_cpu),
        "",
        *table("graph node", dict(sorted(ledger.nodes.items(), key=lambda i: -i[1].cpu)[:15]),
               messages, total_cpu),
        "",
        *table("remote action", ledger.actions, messages, total_cpu),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def print_profile(path: str, limit: int) -> None:
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(path, stream=out).strip_dirs().sort_stats(order).print_stats(limit)
        print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/city-assistant.tar.gz")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--actions-port", type=int, default=26055)
    parser.add_argument("--sandbox-port", type=int, default=26200)
    parser.add_argument("--database-url", help="PostgreSQL tracker store (default: SQLite file)")
    parser.add_argument(
        "--endpoints",
        help="an endpoints file to use as it is (e.g. endpoints.prod.yml), "
        "but for the action server's URL",
    )
    parser.add_argument("--cprofile", help="write a cProfile of the measured messages here")
    parser.add_argument("--top", type=int, default=40, help="functions printed from --cprofile")
    parser.add_argument("--report", type=Path, help="add or replace the Profile section here")
    parser.add_argument(
        "--without-speedups",
        action="store_true",
        help="measure Rasa as it comes, without bot.speedups (to see what they buy)",
    )
    parser.add_argument(
        "--traced-model-load",
        action="store_true",
        help="load the model as Rasa does (traced training step), the other speedups kept",
    )
    parser.add_argument(
        "--parse-cache",
        action="store_true",
        help="keep bot.parse_cache on (off by default: every round plays the same texts, "
        "so from the second round on nothing would be parsed and NLU would not show)",
    )
    parser.add_argument(
        "--without-ted-gate",
        action="store_true",
        help="run TED even when the rule policy has decided, the other speedups kept",
    )
    parser.add_argument(
        "--dask-runs",
        action="store_true",
        help="run the model's graphs with Rasa's dask runner, the other speedups kept",
    )
    args = parser.parse_args(argv)
    if not (ROOT / args.model).exists():
        print(f"error: no trained model at {args.model}; run 'make train'", file=sys.stderr)
        return 2
    os.environ.setdefault("TRANSIT_NOW", TRANSIT_NOW)
    import bot.speedups

    if args.without_speedups:
        bot.speedups.uninstall()
    elif args.traced_model_load or args.without_ted_gate or args.dask_runs:
        bot.speedups.uninstall()
        bot.speedups.install(
            model_loading=not args.traced_model_load,
            ted_gate=not args.without_ted_gate,
            planned_runs=not args.dask_runs,
        )
    if not args.parse_cache:
        from bot.parse_cache import ParseCache, use_cache

        use_cache(ParseCache(0))
    # The action server started here and the agent's endpoints share its secret.
    os.environ.setdefault("ACTION_SERVER_TOKEN", run_stack().action_token())
    stack = start_services(args)
    ledger = Ledger()
    try:
        played = asyncio.run(measure(args, ledger))
    finally:
        stack.stop()
    section = markdown(ledger, played, args)
    print(section)
    if args.cprofile:
        print_profile(args.cprofile, args.top)
    if args.report:
        previous = args.report.read_text(encoding="utf-8") if args.report.exists() else ""
        args.report.write_text(replace_section(previous, PROFILE_HEADING, section), "utf-8")
        print(f"wrote {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
