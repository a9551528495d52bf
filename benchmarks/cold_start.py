"""Cold start: how long a Rasa server takes from process start to ready and to its first answer.

The issue's target: a freshly started Rasa server answers a resident within 30 s.

The sandbox city and an action server are started first (and left running between runs),
as ``scripts/run_stack.py`` starts them, on their own ports. Then, ``--runs`` times, a Rasa
server is started with the trained model, the default ``endpoints.yml`` (SQLite tracker
store; the action endpoint moved to ``--actions-port``) and ``credentials.yml``, and timed
from ``Popen`` to:

- the end of its imports (it logs "Loading model");
- its web server answering (``GET /ops/health``);
- ready (``GET /ops/ready`` = 200: the model is loaded);
- the first answered REST message (a metro question, which reaches the action server).

Its RSS (the process and its children) is read after that answer, then it is stopped
(SIGINT, as Ctrl-C) before the next run. Each start reads the model from the page cache
after the first, as a restart on a server would.

Then, ``--runs`` times, the whole stack as ``make run`` starts it (``scripts/run_stack.py``
on its own ports: sandbox city, action server, complaint outbox, Rasa, staff console, all
started at once), timed from ``Popen`` to its "STACK READY" line and to the first answer
that names the station asked about: what a person who types ``make run`` waits for (the
target of issue 22: 10 s).

Run: ``.venv/bin/python -m benchmarks.cold_start [--report docs/benchmarks.md]``; the report
gets (or has replaced) a "Cold start" section. The exit status is 1 when a run misses the
target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from benchmarks.load import COLD_START_HEADING, family, replace_section, rss_mb
from benchmarks.transit_scale import machine

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 30.0
FIRST_MESSAGE = "请问会展中心站下一班地铁几点到"
#: A real answer to FIRST_MESSAGE names the station (a start-up error message does not).
FIRST_STATION = "会展中心"
#: Issue 22: from typing ``make run`` (set up, trained) to the first answer.
STACK_TARGET_S = 10.0
POLL_S = 0.1
START_TIMEOUT_S = 300.0


def run_stack() -> ModuleType:
    """``scripts/run_stack.py``, for its process handling and its endpoints for other ports."""
    spec = importlib.util.spec_from_file_location("run_stack", ROOT / "scripts" / "run_stack.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class ColdStart:
    """One start of a Rasa server, in seconds from ``Popen``."""

    loading: float  # Python imports done: Rasa logs "Loading model"
    listening: float
    ready: float
    answered: float
    first_message_ms: float
    rss_mb: float
    load_average: float


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def milestones(
    process: subprocess.Popen[bytes], log: Path, offset: int, base: str, started: float
) -> dict[str, float]:
    """Seconds from ``started`` to "Loading model" in the log, /ops/health and /ops/ready."""
    seen: dict[str, float] = {}
    while "ready" not in seen:
        now = time.monotonic() - started
        if process.poll() is not None:
            raise RuntimeError(f"the Rasa server exited during start-up; see {log}")
        if now > START_TIMEOUT_S:
            raise RuntimeError(f"the Rasa server was not ready within {START_TIMEOUT_S:.0f} s")
        if "loading" not in seen and log.exists():
            with open(log, "rb") as lines:
                lines.seek(offset)
                if b"Loading model" in lines.read():
                    seen["loading"] = now
        if "listening" not in seen and answers(f"{base}/ops/health"):
            seen["listening"] = now
        if "listening" in seen and answers(f"{base}/ops/ready"):
            seen["ready"] = time.monotonic() - started
        time.sleep(POLL_S)
    seen.setdefault("loading", seen["listening"])
    return seen


def start_once(stack: Any, command: list[str], base: str, number: int) -> ColdStart:
    load_average = os.getloadavg()[0]
    name = f"cold-rasa-{number}"
    log = ROOT / "var" / "logs" / f"{name}.log"  # where Stack keeps the output; appended to
    offset = log.stat().st_size if log.exists() else 0
    started = time.monotonic()
    stack.start(name, command, env=run_stack().rasa_environment())
    process: subprocess.Popen[bytes] = stack.processes[name]
    try:
        seen = milestones(process, log, offset, base, started)
        sent = time.monotonic()
        answer = httpx.post(
            f"{base}/webhooks/rest/webhook",
            json={"sender": f"cold-start-{number}-{int(time.time())}", "message": FIRST_MESSAGE},
            headers={"Authorization": f"Bearer {os.environ['REST_CHANNEL_TOKEN']}"},
            timeout=120,
        )
        answered = time.monotonic() - started
        if answer.status_code != 200 or not answer.json():
            raise RuntimeError(f"no answer to the first message: {answer.status_code}")
        memory = rss_mb(family([process.pid]))
    finally:
        stop_group(process)
    return ColdStart(
        loading=seen["loading"],
        listening=seen["listening"],
        ready=seen["ready"],
        answered=answered,
        first_message_ms=1000 * (answered - (sent - started)),
        rss_mb=memory,
        load_average=load_average,
    )


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGINT the process group (as Ctrl-C), SIGKILL after 60 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass(frozen=True)
class StackStart:
    """One start of the whole stack, in seconds from ``Popen`` of ``scripts/run_stack.py``."""

    ready: float  # it printed its ready line: every process answers its health check
    answered: float  # the first message got a real answer (the station named)
    load_average: float


def start_stack_once(args: argparse.Namespace, number: int) -> StackStart:
    """Start the stack as ``make run`` does, ask the first question until it is answered."""
    load_average = os.getloadavg()[0]
    command = [
        sys.executable, str(ROOT / "scripts" / "run_stack.py"), "--model", args.model,
        "--rasa-port", str(args.rasa_port), "--actions-port", str(args.actions_port),
        "--sandbox-port", str(args.sandbox_port), "--console-port", str(args.console_port),
    ]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    seen: dict[str, float] = {}

    def watch() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if run_stack().READY_LINE.encode() in line:
                seen["ready"] = time.monotonic() - started

    threading.Thread(target=watch, daemon=True).start()
    base = f"http://127.0.0.1:{args.rasa_port}"
    try:
        while "answered" not in seen:
            if process.poll() is not None:
                raise RuntimeError("scripts/run_stack.py exited during start-up; see var/logs/")
            if time.monotonic() - started > START_TIMEOUT_S:
                raise RuntimeError(f"no answer within {START_TIMEOUT_S:.0f} s of start")
            try:
                answer = httpx.post(
                    f"{base}/webhooks/rest/webhook",
                    json={"sender": f"cold-stack-{number}-{time.time_ns()}",
                          "message": FIRST_MESSAGE},
                    headers={"Authorization": f"Bearer {os.environ['REST_CHANNEL_TOKEN']}"},
                    timeout=60,
                )  # fmt: skip
                replies = " ".join(r.get("text") or "" for r in answer.json())
                if answer.status_code == 200 and FIRST_STATION in replies:
                    seen["answered"] = time.monotonic() - started
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(POLL_S)
        deadline = time.monotonic() + 60
        while "ready" not in seen and time.monotonic() < deadline:
            time.sleep(POLL_S)
    finally:
        stop_group(process)
    return StackStart(
        ready=seen.get("ready", float("nan")),
        answered=seen["answered"],
        load_average=load_average,
    )


def measure_stack(args: argparse.Namespace) -> list[StackStart]:
    results = []
    for number in range(1, args.runs + 1):
        result = start_stack_once(args, number)
        print(
            f"stack run {number}: ready {result.ready:.1f} s, answered {result.answered:.1f} s",
            flush=True,
        )
        results.append(result)
    return results


def stack_markdown(results: list[StackStart]) -> str:
    worst = max(r.answered for r in results)
    lines = [
        "",
        "### The whole stack, as `make run` starts it",
        "",
        "`scripts/run_stack.py` (what `make run` runs once set up and trained) on its own "
        "ports: the sandbox city, the action server, the complaint outbox, Rasa and the staff "
        "console, started at once. *ready* is its “STACK READY” line (every process answers "
        "its health check); *first answer* is the first reply to the same question that "
        "names the station (asked again every 0.1 s from the start).",
        "",
        f"Target: first answer within {STACK_TARGET_S:.0f} s of start, every run: "
        f"{'**met**' if worst <= STACK_TARGET_S else '**missed**'} (slowest {worst:.1f} s).",
        "",
        "| run | ready s | first answer s | load |",
        "|---:|---:|---:|---:|",
    ]
    for number, r in enumerate(results, start=1):
        lines.append(f"| {number} | {r.ready:.1f} | {r.answered:.1f} | {r.load_average:.2f} |")
    lines.append(
        f"| median | {statistics.median(r.ready for r in results):.1f} "
        f"| {statistics.median(r.answered for r in results):.1f} | |"
    )
    return "\n".join(lines) + "\n"


def start_city_services(
    prefix: str, sandbox_port: int, actions_port: int, env: dict[str, str] | None = None
) -> Any:
    """The sandbox city and one action server on their own ports, ready: a ``Stack``.

    Stopped again when either fails to start.
    """
    stacks = run_stack()
    stack = stacks.Stack()
    try:
        _start_city_services(stacks, stack, prefix, sandbox_port, actions_port, env or {})
    except BaseException:
        stack.stop()
        raise
    return stack


def _start_city_services(
    stacks: Any, stack: Any, prefix: str, sandbox_port: int, actions_port: int,
    env: dict[str, str],
) -> None:  # fmt: skip
    bin_dir = Path(sys.executable).parent
    (ROOT / "var" / "logs").mkdir(parents=True, exist_ok=True)
    stack.start(
        f"{prefix}-sandbox",
        [str(bin_dir / "python"), "-m", "sandbox", "--port", str(sandbox_port),
         "--database-url", f"sqlite:///{ROOT / 'var' / f'sandbox.{sandbox_port}.db'}"],
    )  # fmt: skip
    stacks.wait_until_ready(stack, {"sandbox": f"http://127.0.0.1:{sandbox_port}/health"}, 120)
    outbox = ROOT / "var" / f"outbox.{actions_port}.db"
    stack.start(
        f"{prefix}-actions",
        [str(bin_dir / "python"), "-m", "actions.server", "--port", str(actions_port)],
        env={
            **stacks.sandbox_environment(sandbox_port),
            "CITY_OUTBOX_DATABASE_URL": f"sqlite:///{outbox}",
            **env,
        },
    )
    stacks.wait_until_ready(stack, {"actions": f"http://127.0.0.1:{actions_port}/health"}, 300)


def measure(args: argparse.Namespace) -> list[ColdStart]:
    stacks = run_stack()
    bin_dir = Path(sys.executable).parent
    stack = start_city_services("cold", args.sandbox_port, args.actions_port)
    try:
        command = [
            str(bin_dir / "city-rasa"), "run", "--model", args.model, "--enable-api",
            "--auth-token", stacks.auth_token(), "--interface", "127.0.0.1",
            "--port", str(args.rasa_port), "--credentials", "credentials.yml",
            "--endpoints", str(stacks.endpoints_file(args.actions_port)),
        ]  # fmt: skip
        base = f"http://127.0.0.1:{args.rasa_port}"
        results = []
        for number in range(1, args.runs + 1):
            result = start_once(stack, command, base, number)
            print(
                f"run {number}: imports {result.loading:.1f} s, listening "
                f"{result.listening:.1f} s, ready {result.ready:.1f} s, "
                f"answered {result.answered:.1f} s (first message {result.first_message_ms:.0f} "
                f"ms), RSS {result.rss_mb:.0f} MB",
                flush=True,
            )
            results.append(result)
        return results
    finally:
        stack.stop()


def markdown(results: list[ColdStart], args: argparse.Namespace) -> str:
    model = ROOT / args.model
    worst = max(r.answered for r in results)
    lines = [
        COLD_START_HEADING,
        "",
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}, by "
        "`python -m benchmarks.cold_start --report docs/benchmarks.md`. "
        "`city-rasa run` (`rasa run` with the start-up savings of `bot/launch.py`, as our "
        f"launchers start it) with `{args.model}` ({model.stat().st_size / 1e6:.0f} MB), "
        "the default `endpoints.yml` (SQLite tracker store) and `credentials.yml`; the "
        "sandbox city and an action server were started first and kept running. Times are "
        "from starting the process. *imports* ends when Rasa logs “Loading model” (Python "
        "and Rasa imported, endpoints read); Rasa 3.6 loads the model before its web server "
        "listens, so the web server is up when it is ready. The first message is "
        f"“{FIRST_MESSAGE}” (a metro question that reaches the action server). Each run "
        "after the first reads the model from the page cache. *load* is the machine's "
        "1-minute load average when the run started (other work shares the machine).",
        "",
        f"Target: answers within {TARGET_S:.0f} s of start, every run: "
        f"{'**met**' if worst <= TARGET_S else '**missed**'} (slowest {worst:.1f} s).",
        "",
        "| run | imports s | web server up s | ready (/ops/ready) s | first answer s "
        "| first message ms | RSS after first answer MB | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for number, r in enumerate(results, start=1):
        lines.append(
            f"| {number} | {r.loading:.1f} | {r.listening:.1f} | {r.ready:.1f} | {r.answered:.1f} "
            f"| {r.first_message_ms:.0f} | {r.rss_mb:.0f} | {r.load_average:.2f} |"
        )
    lines.append(
        f"| median | {statistics.median(r.loading for r in results):.1f} "
        f"| {statistics.median(r.listening for r in results):.1f} "
        f"| {statistics.median(r.ready for r in results):.1f} "
        f"| {statistics.median(r.answered for r in results):.1f} "
        f"| {statistics.median(r.first_message_ms for r in results):.0f} "
        f"| {statistics.median(r.rss_mb for r in results):.0f} | |"
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/city-assistant.tar.gz")
    parser.add_argument("--rasa-port", type=int, default=25005)
    parser.add_argument("--actions-port", type=int, default=25055)
    parser.add_argument("--sandbox-port", type=int, default=28200)
    parser.add_argument("--console-port", type=int, default=28300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only", choices=("rasa", "stack"), help="measure only Rasa or only the whole stack"
    )
    parser.add_argument("--report", type=Path, help="add or replace the Cold start section here")
    args = parser.parse_args(argv)
    if not (ROOT / args.model).exists():
        print(f"error: no trained model at {args.model}; run 'make train'", file=sys.stderr)
        return 2
    # Started here, the action server and Rasa share the secret `make run` would give them.
    os.environ.setdefault("ACTION_SERVER_TOKEN", run_stack().action_token())
    os.environ.setdefault("REST_CHANNEL_TOKEN", run_stack().rest_token())
    results = measure(args) if args.only != "stack" else []
    stack = measure_stack(args) if args.only != "rasa" else []
    section = (markdown(results, args) if results else COLD_START_HEADING + "\n") + (
        stack_markdown(stack) if stack else ""
    )
    print(section)
    if args.report:
        previous = args.report.read_text(encoding="utf-8") if args.report.exists() else ""
        args.report.write_text(
            replace_section(previous, COLD_START_HEADING, section), encoding="utf-8"
        )
        print(f"wrote {args.report}")
    met = all(r.answered <= TARGET_S for r in results) and all(
        r.answered <= STACK_TARGET_S for r in stack
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
