"""Start everything the assistant needs, report where to talk to it, stop it all on Ctrl-C.

Used by ``make run`` (servers), ``make shell`` (chat in the terminal) and the
integration tests. Each process's output is shown with a prefix and kept in
``var/logs/``. Exit status is non-zero when a process fails to start.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Dict, List, Mapping

import yaml

from actions.settings import UNPREFIXED

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
#: The action server's secret (actions/server.py); endpoints.yml sends it as a header.
ACTION_TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
#: The token integrators send to the REST channel (bot/channels/rest.py).
REST_TOKEN_VARIABLE = "REST_CHANNEL_TOKEN"
#: The key of web chat session tokens (bot/channels/webchat_sessions.py).
WEBCHAT_SECRET_VARIABLE = "WEBCHAT_SESSION_SECRET"
#: Where Rasa sends messages to be parsed, and that worker's token (bot/nlu_worker.py).
NLU_WORKER_URL_VARIABLE = "CITY_NLU_WORKER_URL"
NLU_WORKER_TOKEN_VARIABLE = "CITY_NLU_WORKER_TOKEN"
#: ``off`` leaves the NLU worker out (a machine short of memory: it is a second model).
NLU_WORKER_SWITCH = "CITY_NLU_WORKER"
BIN = Path(sys.executable).parent
READY_LINE = "STACK READY"
NLU_WORKER_READY_LINE = "NLU WORKER READY"
#: How much the staff console and the complaint outbox yield the CPU (see Stack.start).
BACKGROUND_NICENESS = 10


def rasa_environment() -> Dict[str, str]:
    """Settings every Rasa server we start gets (a value set in the environment wins).

    TensorFlow's own thread pools are cut to one thread each: our models run one
    short message at a time, where spreading an operation over threads costs more
    than it saves (profiled: 50.7 -> 40.2 ms of CPU per message, docs/benchmarks.md),
    and a machine's cores are better used by more Rasa processes.

    A conversation's lock ticket lives 20 s instead of Rasa's 60 (``TICKET_LOCK_LIFETIME``):
    when a Rasa instance dies in the middle of a message, that conversation's next message
    waits for the dead instance's ticket to expire. 20 s is still well above a turn's
    longest legitimate run (each action call's city services share 4 s).

    Rasa's telemetry is off (``RASA_TELEMETRY_ENABLED``), as the Makefile, the systemd unit
    and the Kubernetes manifest have it: it would send usage data out of the city's
    network, and at start-up it unpacks the whole model archive a second time only to
    fingerprint it (~1 s of a 10 s cold start, py-spy).
    """
    defaults = {
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_INTRA_OP_PARALLELISM_THREADS": "1",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "TICKET_LOCK_LIFETIME": "20",
    }
    return {key: os.environ.get(key, value) for key, value in defaults.items()}


def auth_token() -> str:
    """The HTTP API token: $RASA_AUTH_TOKEN, or one generated once and kept in var/."""
    token = os.environ.get("RASA_AUTH_TOKEN")
    if token:
        return token
    return _kept_file(VAR / "rasa-token", 24)


def kept_secret(variable: str, file_name: str) -> str:
    """``$variable``, or a secret generated once and kept in var/ (mode 600)."""
    value = os.environ.get(variable)
    if value:
        return value
    return _kept_file(VAR / file_name, 32)


def _kept_file(path: Path, size: int) -> str:
    """The secret kept in ``path``, made the first time (mode 600).

    Two processes starting at once (make test runs two pytest processes side by side)
    must agree on one secret and never read a half-written file: the secret is written
    in full to a file of this process's own, then linked into place, which fails if
    another process got there first; either way the file read holds a whole secret.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        mine = path.with_name(f".{path.name}.{os.getpid()}")
        mine.write_text(secrets.token_urlsafe(size) + "\n", encoding="utf-8")
        mine.chmod(0o600)
        try:
            os.link(mine, path)
        except FileExistsError:
            pass  # another process made it first: its secret is the one
        finally:
            mine.unlink()
    return path.read_text(encoding="utf-8").strip()


def action_token() -> str:
    """The secret Rasa shows the action server: $ACTION_SERVER_TOKEN, or one kept in var/.

    The action server runs the city's actions with the city's keys; it answers only
    callers that send this secret (actions/server.py), and endpoints.yml sends it.
    """
    return kept_secret(ACTION_TOKEN_VARIABLE, "action-token")


def rest_token() -> str:
    """The integrators' REST channel token (bot/channels/rest.py): $REST_CHANNEL_TOKEN or var/."""
    return kept_secret(REST_TOKEN_VARIABLE, "rest-token")


def webchat_secret() -> str:
    """The key web chat session tokens are signed with (bot/channels/webchat_sessions.py).

    Kept in var/ so that residents' sessions survive a restart of ``make run``.
    """
    return kept_secret(WEBCHAT_SECRET_VARIABLE, "webchat-session-secret")


def endpoints_file(actions_port: int, tracker_db: Path | None = None) -> Path:
    """endpoints.yml, pointed at the action server's port when it is not the default, and
    at another SQLite file for the conversations when ``tracker_db`` is given."""
    source = ROOT / "endpoints.yml"
    if actions_port == 5055 and tracker_db is None:
        return source
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    config["action_endpoint"]["url"] = f"http://localhost:{actions_port}/webhook"
    if tracker_db is not None:
        config["tracker_store"]["db"] = str(tracker_db)
    target = VAR / f"endpoints.{actions_port}.yml"
    target.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return target


def free_port() -> int:
    """A port nothing listens on now (the OS's choice), for a process only we talk to."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nlu_worker_settings() -> Path:
    """Empty endpoints and credentials for the NLU worker: it only answers
    ``/model/parse`` and ``/status``, so it opens no channel, keeps no conversation and
    calls no action server (Rasa would otherwise read endpoints.yml and
    credentials.yml from the working directory)."""
    target = VAR / "nlu-worker.yml"
    target.write_text("{}\n", encoding="utf-8")
    return target


def set_by_person(variable: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a person has set ``variable`` or the shorter name the settings also read.

    ``GTFS_FEED`` and ``CITY_GTFS_FEED`` both point the action server at a feed
    (actions/settings.py): a launcher default under the CITY_ name must not hide the other.
    """
    environ = os.environ if environ is None else environ
    alias = UNPREFIXED.get(variable.removeprefix("CITY_").lower(), "")
    return bool(environ.get(variable) or (alias and environ.get(alias)))


def sandbox_environment(port: int, environ: Mapping[str, str] | None = None) -> Dict[str, str]:
    """What tells the action server where the sandbox city is.

    Variables a person has set (a real city's URLs, ``GTFS_FEED`` included) always win.
    """
    base = f"http://127.0.0.1:{port}"
    urls = {
        "CITY_OPEN311_URL": f"{base}/open311/v2",
        "CITY_PERMITS_URL": f"{base}/permits/v1",
        "CITY_GTFS_FEED": f"{base}/gtfs/feed.zip",
        "CITY_GTFS_RT_TRIP_UPDATES_URL": f"{base}/gtfs-rt/trip-updates",
        "CITY_GTFS_RT_ALERTS_URL": f"{base}/gtfs-rt/alerts",
    }
    return {key: value for key, value in urls.items() if not set_by_person(key, environ)}


def assistant_environment(rasa_port: int, token: str) -> Dict[str, str]:
    """What tells the outbox worker where Rasa's HTTP API is, to send complaint updates.

    Variables a person has set (a Rasa server elsewhere) always win.
    """
    values = {
        "CITY_ASSISTANT_URL": f"http://127.0.0.1:{rasa_port}",
        "CITY_ASSISTANT_TOKEN": token,
    }
    return {key: value for key, value in values.items() if not os.environ.get(key)}


def console_environment(sandbox_port: int) -> Dict[str, str]:
    """Where the console links tickets and applications: the sandbox's APIs, unless set."""
    base = f"http://127.0.0.1:{sandbox_port}"
    links = {
        "CONSOLE_TICKET_URL": f"{base}/open311/v2/requests/{{ticket}}.json",
        "CONSOLE_APPLICATION_URL": f"{base}/permits/v1/applications/{{application}}",
    }
    return {key: value for key, value in links.items() if not os.environ.get(key)}


class Stack:
    """The child processes of one run, stopped together."""

    def __init__(self) -> None:
        self.processes: Dict[str, subprocess.Popen[bytes]] = {}
        self._commands: Dict[str, tuple[List[str], bool, Dict[str, str] | None, bool]] = {}
        self._leaving_a_core: set[str] = set()

    def start(
        self,
        name: str,
        command: List[str],
        interactive: bool = False,
        env: Dict[str, str] | None = None,
        background: bool = False,
        leave_a_core: bool = False,
    ) -> None:
        """Start a process; ``background`` ones yield the CPU to the others (``nice``)
        when both want it: no resident waits for them, so they must not slow the
        start-up of those a resident does wait for. ``leave_a_core`` ones run on all
        cores but one until :meth:`started` (see there)."""
        (VAR / "logs").mkdir(parents=True, exist_ok=True)
        log = open(VAR / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdin=None if interactive else subprocess.DEVNULL,
            stdout=None if interactive else subprocess.PIPE,
            stderr=None if interactive else subprocess.STDOUT,
            start_new_session=not interactive,
        )
        try:
            if background:
                # Never below our own: lowering a niceness needs privileges.
                niceness = max(os.getpriority(os.PRIO_PROCESS, 0), BACKGROUND_NICENESS)
                os.setpriority(os.PRIO_PROCESS, process.pid, niceness)
            spare = cores_but_one()
            if leave_a_core and spare:
                os.sched_setaffinity(process.pid, spare)
                self._leaving_a_core.add(name)
        except OSError as error:  # a platform or container that does not allow it
            print(f"[{name}] started without its CPU settings: {error}", flush=True)
        self.processes[name] = process
        self._commands[name] = (command, interactive, env, background)
        if process.stdout is not None:
            threading.Thread(target=_relay, args=(name, process.stdout, log), daemon=True).start()

    def restart(self, name: str) -> None:
        """Start a process that stopped again, with the command and environment it had."""
        command, interactive, env, background = self._commands[name]
        self.start(name, command, interactive=interactive, env=env, background=background)

    def started(self) -> None:
        """Give the processes started with ``leave_a_core`` every core again.

        Why: Rasa's start-up (imports, model load) is one thread's ~10 s of CPU and the
        first answer waits for it; the other processes' start-up (~5 s of CPU in all)
        shared its core with it and delayed the first answer by ~2 s on 2 cores. Kept
        off one core until Rasa is ready, they finish on the others meanwhile. Every
        thread and child they made since inherited the mask, so each gets all cores back.
        """
        cores = all_cores()
        for name in sorted(self._leaving_a_core):
            process = self.processes[name]
            for pid in descendants(process.pid):
                for task in tasks_of(pid):
                    try:
                        os.sched_setaffinity(task, cores)
                    except OSError:
                        continue  # the thread or process has ended
        self._leaving_a_core.clear()

    def failed(self) -> str | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        return None

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def all_cores() -> set[int]:
    """The cores the stack may use (this process's own affinity, as it started)."""
    return set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()


def cores_but_one() -> set[int] | None:
    """The cores this process may use, less one, or None when there is only one
    (or the platform cannot pin processes to cores)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cores = set(os.sched_getaffinity(0))
    return cores - {min(cores)} if len(cores) > 1 else None


def descendants(pid: int) -> list[int]:
    """``pid`` and every process it started, from ``/proc``."""
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children.get(current, []))
    return found


def tasks_of(pid: int) -> List[int]:
    try:
        return [int(task) for task in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return []


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        process.send_signal(sig)


def _relay(name: str, stream: IO[bytes], log: IO[bytes]) -> None:
    for line in iter(stream.readline, b""):
        log.write(line)
        log.flush()
        sys.stdout.write(f"[{name}] {line.decode('utf-8', 'replace')}")
        sys.stdout.flush()


def wait_until_ready(stack: Stack, checks: Dict[str, str], timeout: float) -> None:
    """Poll each URL until it answers 200; fail fast if a process dies."""
    deadline = time.monotonic() + timeout
    pending = dict(checks)
    while pending:
        dead = stack.failed()
        if dead:
            raise RuntimeError(f"{dead} exited during start-up; see var/logs/{dead}.log")
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(pending)}")
        for name, url in list(pending.items()):
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        del pending[name]
            except (urllib.error.URLError, OSError):
                pass
        time.sleep(0.5)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/city-assistant.tar.gz")
    parser.add_argument("--shell", action="store_true", help="chat in this terminal")
    parser.add_argument("--host", default=os.environ.get("RASA_HOST", "127.0.0.1"))
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument("--sandbox-port", type=int, default=8200)
    parser.add_argument("--console-port", type=int, default=8300)
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="do not start the sandbox city (the CITY_* settings point at real services)",
    )
    parser.add_argument(
        "--no-nlu-worker",
        action="store_true",
        default=os.environ.get(NLU_WORKER_SWITCH, "on").strip().lower() == "off",
        help="parse messages in the Rasa server itself, not in a second Rasa process "
        "(bot/nlu_worker.py; saves its ~1 GB of memory, halves the throughput); "
        f"{NLU_WORKER_SWITCH}=off does the same for `make run`",
    )
    parser.add_argument("--timeout", type=float, default=240)
    parser.add_argument(
        "--tracker-db",
        type=Path,
        help="keep the conversations in this SQLite file, not var/conversations.db "
        "(benchmarks; the console reads the same file)",
    )
    args = parser.parse_args(argv)

    (VAR / "logs").mkdir(parents=True, exist_ok=True)
    if not (ROOT / args.model).exists():
        print(f"error: no trained model at {args.model}; run 'make train'", file=sys.stderr)
        return 2
    token = auth_token()
    # Every process of the stack that calls or is the action server knows its secret.
    os.environ[ACTION_TOKEN_VARIABLE] = action_token()
    os.environ[WEBCHAT_SECRET_VARIABLE] = webchat_secret()
    os.environ[REST_TOKEN_VARIABLE] = rest_token()
    endpoints = str(endpoints_file(args.actions_port, args.tracker_db))
    if args.tracker_db is not None:
        os.environ["CONSOLE_TRACKER_URL"] = f"sqlite:///{args.tracker_db.resolve()}"
    rasa = str(BIN / "city-rasa")  # `rasa`, faster to start (bot/launch.py)
    stack = Stack()
    # Ctrl-C and SIGTERM both stop the stack. SIGINT is set explicitly because a
    # process started in the background by a shell (CI runners, `make run &`)
    # inherits it as ignored, and then nothing would stop the children.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    actions_env: Dict[str, str] = {}
    checks: Dict[str, str] = {}
    try:
        if not args.no_sandbox:
            database = (
                "sandbox.db" if args.sandbox_port == 8200 else f"sandbox.{args.sandbox_port}.db"
            )
            stack.start(
                "sandbox",
                [
                    str(BIN / "python"), "-m", "sandbox", "--port", str(args.sandbox_port),
                    "--database-url", f"sqlite:///{VAR / database}",
                ],
                leave_a_core=True,
            )  # fmt: skip
            # Nothing waits for it: every process starts at once, and the action server
            # keeps trying the city's services until they answer (actions/server.py).
            checks["sandbox"] = f"http://127.0.0.1:{args.sandbox_port}/health"
            actions_env = sandbox_environment(args.sandbox_port)
        if args.actions_port != 5055 and not os.environ.get("CITY_OUTBOX_DATABASE_URL"):
            # A second stack (the integration tests) keeps its own complaint outbox.
            outbox = VAR / f"outbox.{args.actions_port}.db"
            actions_env["CITY_OUTBOX_DATABASE_URL"] = f"sqlite:///{outbox}"
        stack.start(
            "actions",
            [str(BIN / "python"), "-m", "actions.server", "--port", str(args.actions_port)],
            env=actions_env,
            leave_a_core=True,
        )
        # Delivers complaints queued while the city's Open311 server was unreachable,
        # and tells residents through Rasa's HTTP API when their ticket moves on.
        stack.start(
            "outbox",
            [str(BIN / "python"), "-m", "actions.delivery"],
            env={**actions_env, **assistant_environment(args.rasa_port, token)},
            background=True,
            leave_a_core=True,
        )
        checks["actions"] = f"http://127.0.0.1:{args.actions_port}/health"
        if args.shell:
            wait_until_ready(stack, checks, args.timeout)
            stack.started()
            stack.start(
                "shell",
                [rasa, "shell", "--model", args.model, "--endpoints", endpoints],
                interactive=True,
            )
            stack.processes["shell"].wait()
            return 0
        # Started after Rasa is ready (below), so that it does not slow the first answer;
        # until then, and whenever it fails, Rasa parses messages itself.
        nlu_port = None if args.no_nlu_worker else free_port()
        nlu_worker = (
            {}
            if nlu_port is None
            else {
                NLU_WORKER_URL_VARIABLE: f"http://127.0.0.1:{nlu_port}",
                NLU_WORKER_TOKEN_VARIABLE: token,
            }
        )
        stack.start(
            "rasa",
            [
                rasa, "run", "--model", args.model, "--enable-api", "--auth-token", token,
                "--interface", args.host, "--port", str(args.rasa_port),
                "--credentials", "credentials.yml", "--endpoints", endpoints,
            ],
            env={**rasa_environment(), **nlu_worker},
        )  # fmt: skip
        base = f"http://127.0.0.1:{args.rasa_port}"
        # The staff console reads the conversations Rasa records (docs/console.md).
        stack.start(
            "console",
            [
                str(BIN / "python"), "-m", "bot.console", "serve",
                "--host", args.host, "--port", str(args.console_port),
            ],
            env=console_environment(args.sandbox_port),
            background=True,
            leave_a_core=True,
        )  # fmt: skip
        console = f"http://127.0.0.1:{args.console_port}"
        checks.update(rasa=f"{base}/status?token={token}", console=f"{console}/health")
        # Started together, the processes load side by side: the first answer comes when
        # the slowest (Rasa loading its model) is ready, not after the sum of them all.
        wait_until_ready(stack, checks, args.timeout)
        stack.started()
        print(
            f"\n{READY_LINE}\n"
            f"  Web chat:       {base}/chat/   (open it in a browser)\n"
            f"  REST channel:   POST {base}/webhooks/rest/webhook (integrators: token in "
            "var/rest-token)\n"
            f"                  e.g. curl -s {base}/webhooks/rest/webhook "
            '-H "Authorization: Bearer $(cat var/rest-token)" '
            f'-d \'{{"sender": "me", "message": "你好"}}\'\n'
            f"  HTTP API:       {base}/status?token=<token in var/rasa-token>\n"
            f"  Action server:  http://127.0.0.1:{args.actions_port}/health "
            "(+ complaint outbox delivery and updates)\n"
            + (
                ""
                if args.no_sandbox
                else f"  Sandbox city:   http://127.0.0.1:{args.sandbox_port}/openapi.json "
                "(Open311, GTFS, GTFS-RT, permits; sample data)\n"
            )
            + f"  Staff console:  {console}/  (first time: make console-admin)\n"
            "  Logs:           var/logs/\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        if nlu_port is not None:
            settings = str(nlu_worker_settings())
            stack.start(
                "nlu",
                [
                    rasa, "run", "--model", args.model, "--enable-api", "--auth-token", token,
                    "--interface", "127.0.0.1", "--port", str(nlu_port),
                    "--credentials", settings, "--endpoints", settings,
                ],
                env={**rasa_environment(), NLU_WORKER_URL_VARIABLE: ""},
            )  # fmt: skip
            wait_until_ready(
                stack, {"nlu": f"http://127.0.0.1:{nlu_port}/status?token={token}"}, args.timeout
            )
            print(f"{NLU_WORKER_READY_LINE}: messages are parsed in a second process", flush=True)
        while not stack.failed():
            time.sleep(1)
        print(f"error: {stack.failed()} stopped unexpectedly", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
