"""Production mode on one machine: two Rasa servers and two action servers behind nginx.

``make prod-local`` runs what docs/production.md deploys, against this machine's
PostgreSQL and Redis: every Rasa instance shares the PostgreSQL tracker store and
the Redis lock store (``endpoints.prod.yml``), the action servers sit behind their
own nginx upstream, the complaint outbox lives in PostgreSQL, logs are JSON.

    :8080 ── nginx ──► Rasa :8090, Rasa :8091   (/socket.io/ sticky by client address)
    :8081 ── nginx ──► actions :8100, actions :8101
    sandbox city :8082, staff console :8083, complaint outbox worker

Ports move together with ``--port-base`` (the tests use another base). Ctrl-C stops all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List

from run_stack import (
    BIN,
    READY_LINE,
    ROOT,
    VAR,
    Stack,
    action_token,
    auth_token,
    rasa_environment,
    rest_token,
    set_by_person,
    wait_until_ready,
    webchat_secret,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx-prod-local.conf"


@dataclass(frozen=True)
class Layout:
    """Every port of the topology, from one base (see the module docstring)."""

    base: int

    @property
    def public(self) -> int:
        return self.base

    @property
    def actions_lb(self) -> int:
        return self.base + 1

    @property
    def sandbox(self) -> int:
        return self.base + 2

    @property
    def console(self) -> int:
        return self.base + 3

    @property
    def rasa(self) -> List[int]:
        return [self.base + 10, self.base + 11]

    @property
    def actions(self) -> List[int]:
        return [self.base + 20, self.base + 21]


def ensure_database(admin_url: str, name: str) -> str:
    """The database's URL, creating the database if it does not exist yet."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if not exists:
            # A database name cannot be a bound parameter; it is checked to be an identifier.
            if not name.replace("_", "").isalnum():
                raise ValueError(f"not a plain database name: {name!r}")
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def nginx_config(layout: Layout, run_dir: Path) -> Path:
    """The load balancer's configuration for this layout, written under var/."""

    def servers(ports: List[int]) -> str:
        return "\n".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
        )

    config = TEMPLATE.read_text(encoding="utf-8").format(
        run_dir=run_dir,
        rasa_servers=servers(layout.rasa),
        action_servers=servers(layout.actions),
        public_port=layout.public,
        actions_port=layout.actions_lb,
    )
    path = run_dir / "nginx.conf"
    path.write_text(config, encoding="utf-8")
    return path


#: Seconds before a stopped process is started again (RestartSec of the units in deploy/systemd).
RESTART_DELAY_S = 2.0
#: At most this many restarts of one process within RESTART_WINDOW_S (systemd's StartLimitBurst).
RESTART_BURST = 5
RESTART_WINDOW_S = 300.0


class Restarts:
    """When to start a stopped process again: after a delay, and not in an endless loop."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._history: Dict[str, List[float]] = {}
        self._due: Dict[str, float] = {}
        self.given_up: set[str] = set()

    def stopped(self, name: str) -> str:
        """Note that ``name`` stopped; what is done about it, in words."""
        now = self._clock()
        recent = [t for t in self._history.get(name, []) if now - t < RESTART_WINDOW_S]
        self._history[name] = recent
        if len(recent) >= RESTART_BURST:
            self.given_up.add(name)
            return f"stopped {RESTART_BURST} times within {RESTART_WINDOW_S:.0f} s; not restarted"
        self._due[name] = now + RESTART_DELAY_S
        return f"restarting in {RESTART_DELAY_S:.0f} s"

    def due(self) -> List[str]:
        """The processes whose restart delay is over (each returned once)."""
        now = self._clock()
        ready = sorted(name for name, at in self._due.items() if at <= now)
        for name in ready:
            del self._due[name]
            self._history.setdefault(name, []).append(now)
        return ready


def keep_serving(stack: Stack, restarts: Restarts | None = None) -> int:
    """Run until Ctrl-C. A process that stops is reported and started again after a few
    seconds, as systemd and Kubernetes do; meanwhile nginx routes around a dead instance.
    A process that keeps stopping is given up on; the run ends only when no way is left
    to serve residents (no load balancer, or no Rasa instance)."""
    restarts = restarts or Restarts()
    down: set[str] = set()
    while True:
        for name, process in stack.processes.items():
            if name not in down and process.poll() is not None:
                down.add(name)
                action = restarts.stopped(name)
                print(
                    f"warning: {name} stopped (exit {process.returncode}); {action}",
                    file=sys.stderr,
                    flush=True,
                )
        for name in restarts.due():
            stack.restart(name)
            down.discard(name)
            print(f"{name} started again", file=sys.stderr, flush=True)
        rasa = {name for name in stack.processes if name.startswith("prod-rasa-")}
        if "prod-nginx" in restarts.given_up or rasa <= restarts.given_up:
            print("error: no way left to serve residents", file=sys.stderr)
            return 1
        time.sleep(0.5)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/city-assistant.tar.gz")
    parser.add_argument("--port-base", type=int, default=8080)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "PROD_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL URL allowed to create the database",
    )
    parser.add_argument("--database", default="city_assistant")
    parser.add_argument("--redis-host", default=os.environ.get("PROD_REDIS_HOST", "127.0.0.1"))
    parser.add_argument("--redis-port", default=os.environ.get("PROD_REDIS_PORT", "6379"))
    parser.add_argument("--redis-db", default="1")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)

    layout = Layout(args.port_base)
    run_dir = VAR / f"prod-{args.port_base}"
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)
    (VAR / "logs").mkdir(parents=True, exist_ok=True)
    if not (ROOT / args.model).exists():
        print(f"error: no trained model at {args.model}; run 'make train'", file=sys.stderr)
        return 2
    database_url = ensure_database(args.postgres, args.database)
    url = make_url(database_url)
    token = auth_token()
    public = f"http://127.0.0.1:{layout.public}"
    sandbox = f"http://127.0.0.1:{layout.sandbox}"
    shared = {
        "LOG_FORMAT": "json",
        "CITY_DB_HOST": url.host or "127.0.0.1",
        "CITY_DB_PORT": str(url.port or 5432),
        "CITY_DB_NAME": args.database,
        "CITY_DB_USER": url.username or "postgres",
        "CITY_DB_PASSWORD": url.password or "",
        "CITY_REDIS_HOST": args.redis_host,
        "CITY_REDIS_PORT": str(args.redis_port),
        "CITY_REDIS_DB": str(args.redis_db),
        "CITY_REDIS_PASSWORD": os.environ.get("PROD_REDIS_PASSWORD", ""),
        "CITY_ACTIONS_URL": f"http://127.0.0.1:{layout.actions_lb}/webhook",
        # Rasa sends it, the action servers require it (actions/server.py).
        "ACTION_SERVER_TOKEN": action_token(),
        # Every Rasa instance signs and checks web chat sessions with the same key.
        "WEBCHAT_SESSION_SECRET": webchat_secret(),
        # Integrators' REST channel (the tests and load benchmarks use it).
        "REST_CHANNEL_TOKEN": rest_token(),
        "CITY_OPEN311_URL": f"{sandbox}/open311/v2",
        "CITY_PERMITS_URL": f"{sandbox}/permits/v1",
        "CITY_GTFS_FEED": f"{sandbox}/gtfs/feed.zip",
        "CITY_GTFS_RT_TRIP_UPDATES_URL": f"{sandbox}/gtfs-rt/trip-updates",
        "CITY_GTFS_RT_ALERTS_URL": f"{sandbox}/gtfs-rt/alerts",
        "CITY_OUTBOX_DATABASE_URL": database_url,
        "CITY_ASSISTANT_URL": public,
        "CITY_ASSISTANT_TOKEN": token,
        "CONSOLE_TRACKER_URL": database_url,
        "CONSOLE_TICKET_URL": f"{sandbox}/open311/v2/requests/{{ticket}}.json",
    }
    shared = {
        key: os.environ.get(key, value)
        for key, value in shared.items()
        if os.environ.get(key) or not set_by_person(key)
    }
    python = str(BIN / "python")
    stack = Stack()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        stack.start(
            "prod-sandbox",
            [python, "-m", "sandbox", "--port", str(layout.sandbox),
             "--database-url", f"sqlite:///{run_dir / 'sandbox.db'}"],
            env=shared,
        )  # fmt: skip
        wait_until_ready(stack, {"sandbox": f"{sandbox}/health"}, args.timeout)
        for number, port in enumerate(layout.actions, start=1):
            stack.start(
                f"prod-actions-{number}",
                [python, "-m", "actions.server", "--port", str(port)],
                env=shared,
            )
        for number, port in enumerate(layout.rasa, start=1):
            stack.start(
                f"prod-rasa-{number}",
                [str(BIN / "city-rasa"), "run", "--model", args.model, "--enable-api",
                 "--auth-token", token, "--interface", "127.0.0.1", "--port", str(port),
                 "--credentials", "credentials.yml", "--endpoints", "endpoints.prod.yml",
                 "--logging-config-file", str(ROOT / "deploy" / "logging-json.yml")],
                env={**shared, **rasa_environment()},
            )  # fmt: skip
        stack.start(
            "prod-nginx",
            [NGINX, "-c", str(nginx_config(layout, run_dir)), "-g", "daemon off;"],
        )
        stack.start("prod-outbox", [python, "-m", "actions.delivery"], env=shared)
        stack.start(
            "prod-console",
            [python, "-m", "bot.console", "serve", "--port", str(layout.console)],
            env=shared,
        )
        checks = {
            f"rasa-{n}": f"http://127.0.0.1:{port}/ops/ready"
            for n, port in enumerate(layout.rasa, start=1)
        }
        checks.update(
            {
                f"actions-{n}": f"http://127.0.0.1:{port}/health"
                for n, port in enumerate(layout.actions, start=1)
            }
        )
        checks["nginx"] = f"{public}/ops/health"
        checks["console"] = f"http://127.0.0.1:{layout.console}/health"
        started = time.monotonic()
        wait_until_ready(stack, checks, args.timeout)
        print(
            f"\n{READY_LINE} (production mode, {time.monotonic() - started:.0f} s)\n"
            f"  Load balancer:  {public}  (web chat {public}/chat/, "
            f"REST {public}/webhooks/rest/webhook)\n"
            f"  Rasa servers:   {', '.join(f'http://127.0.0.1:{p}' for p in layout.rasa)}\n"
            f"  Action servers: {', '.join(f'http://127.0.0.1:{p}' for p in layout.actions)} "
            f"behind http://127.0.0.1:{layout.actions_lb}\n"
            f"  Tracker store:  PostgreSQL {url.host}:{url.port or 5432}/{args.database}; "
            f"lock store: Redis {args.redis_host}:{args.redis_port}/{args.redis_db}\n"
            f"  Staff console:  http://127.0.0.1:{layout.console}/\n"
            f"  Metrics:        {public}/ops/metrics (each Rasa), "
            f":{layout.actions[0]}/metrics (actions)\n"
            "  Logs (JSON):    var/logs/prod-*.log\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        return keep_serving(stack)
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
