"""Fault drills under load: what residents see while parts of the production set-up fail.

    python -m benchmarks.faults --report docs/faults.md

Starts the production topology (``scripts/prod_local.py``: two Rasa servers and two
action servers behind nginx, PostgreSQL tracker store, Redis lock store) on its own
ports and database, keeps simulated residents talking to it through the load
balancer, and injects one fault per phase:

1. an action server killed (SIGKILL; prod-local starts it again after 2 s);
2. a Rasa instance killed (SIGKILL): nginx sends the retry to the other instance until
   prod-local has started it again and its model is loaded;
3. PostgreSQL restarted (``pg_ctlcluster … restart``);
4. Redis restarted (shut down, then started again from its configuration);
5. the city's services slow (5 s per request; the assistant's budget is 2.8 s);
6. the city's services down (503), then well again.

Residents ask transit and permit questions and file complaints (each with a unique
marker in its description). At the end the drill checks that **no complaint was
lost or filed twice** (every confirmed complaint is in Open311 exactly once, after
the outbox has delivered what was queued) and **no conversation history was lost**
(every message that got an answer is in the tracker store). Phases, errors and
checks go to the report. It restarts PostgreSQL and Redis: run it on a machine of
your own, never next to production.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List

import httpx
from sqlalchemy import create_engine, text

from benchmarks.rest_auth import rest_headers

ROOT = Path(__file__).resolve().parents[1]
BASE = 39080
PUBLIC = f"http://127.0.0.1:{BASE}"
SANDBOX = f"http://127.0.0.1:{BASE + 2}"
RASA_PORTS = [BASE + 10, BASE + 11]
ACTION_PORTS = [BASE + 20, BASE + 21]
ADMIN = {"X-Admin-Key": os.environ.get("SANDBOX_ADMIN_KEY", "sandbox-admin-key")}
DATABASE = "city_fault_drill"
#: A reply that confirms a filed complaint names its ticket (SR…) or its queued reference (LQ…).
FILED = re.compile(r"SR\d{8}|LQ\d{6}[0-9A-F]{6}")
QUESTIONS = [
    "福田到罗湖多少钱",
    "车公庙下一班地铁几点？",
    "居住证要多少钱",
    "How much is a passport?",
    "next train at Chegongmiao",
    "港澳通行证要带什么材料",
]


@dataclass
class Phase:
    name: str
    latencies: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: Messages answered only when the client sent them again (after a 502/503 or no connection).
    retried: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())


@dataclass
class Drill:
    phase: Phase
    phases: List[Phase] = field(default_factory=list)
    answered: Dict[str, List[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    complaints: Dict[str, str] = field(default_factory=dict)  # marker → sender
    confirmed: Dict[str, tuple[str, str]] = field(default_factory=dict)  # marker → (phase, reply)
    running: bool = True

    def start(self, name: str) -> None:
        self.phase = Phase(name)
        self.phases.append(self.phase)


#: What a client sends again, once, after a short pause: the request reached no server, or
#: the server it reached died before answering (nginx does not resend a POST itself, as it
#: may have been processed; sending it again is safe here because a repeated complaint
#: confirmation is recognised by the outbox's idempotency key).
RETRIED_STATUSES = {502, 503}
RETRY_PAUSE_S = 0.5


async def say(client: httpx.AsyncClient, drill: Drill, sender: str, message: str) -> str | None:
    """One message as a resident's client sends it, sent again once where a client would."""
    started = time.monotonic()
    for attempt in (1, 2):
        outcome = await _post(client, sender, message)
        if isinstance(outcome, httpx.Response) and outcome.status_code == 200:
            break
        retriable = outcome in ("ConnectError", "RemoteProtocolError") or (
            isinstance(outcome, httpx.Response) and outcome.status_code in RETRIED_STATUSES
        )
        if attempt == 2 or not retriable:
            label = (
                f"HTTP {outcome.status_code}" if isinstance(outcome, httpx.Response) else outcome
            )
            drill.phase.errors[label] += 1
            return None
        await asyncio.sleep(RETRY_PAUSE_S)
    if not outcome.json():
        drill.phase.errors["empty reply"] += 1
        return None
    if attempt == 2:
        drill.phase.retried += 1
    drill.phase.latencies.append(time.monotonic() - started)
    drill.answered[sender].append((message, drill.phase.name))
    return "\n".join(reply.get("text", "") for reply in outcome.json())


async def _post(client: httpx.AsyncClient, sender: str, message: str) -> httpx.Response | str:
    """The answer, or what went wrong ("timeout", or the transport error's name)."""
    try:
        return await client.post(
            f"{PUBLIC}/webhooks/rest/webhook", json={"sender": sender, "message": message}
        )
    except httpx.TimeoutException:
        return "timeout"
    except httpx.TransportError as error:
        return type(error).__name__


async def resident(number: int, drill: Drill) -> None:
    rng = random.Random(number)
    async with httpx.AsyncClient(timeout=20, headers=rest_headers()) as client:
        while drill.running:
            sender = f"drill-{number}-{secrets.token_hex(3)}"
            if rng.random() < 0.35:
                marker = f"drill{secrets.token_hex(4)}"
                drill.complaints[marker] = sender
                steps = ["我要投诉", "路灯", f"福田区福华三路{rng.randint(1, 200)}号",
                         f"路灯不亮了 {marker}", "不留", "确认提交"]  # fmt: skip
                for step in steps:
                    reply = await say(client, drill, sender, step)
                    if reply is None:
                        break
                    if step == "确认提交" and FILED.search(reply):
                        drill.confirmed[marker] = (drill.phase.name, reply)
                    await asyncio.sleep(0.5)
            else:
                for _ in range(3):
                    await say(client, drill, sender, rng.choice(QUESTIONS))
                    await asyncio.sleep(0.5)


def kill_port(port: int) -> None:
    """SIGKILL the process serving ``port`` (found by its command line); fail if there is none.

    The ``--`` matters: without it pgrep reads the pattern "--port …" as an option, finds
    nothing, and a drill would report a kill that never happened (earlier runs did).
    """
    found = subprocess.run(
        ["pgrep", "-f", "--", f"--port {port}( |$)"], capture_output=True, text=True
    ).stdout.split()
    if not found:
        raise RuntimeError(f"no process serves port {port}: nothing to kill")
    for pid in found:
        os.kill(int(pid), signal.SIGKILL)


def restart_postgres() -> None:
    subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True, timeout=120)


def restart_redis(down_seconds: float) -> None:
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], timeout=30)
    time.sleep(down_seconds)
    subprocess.run(["redis-server", "/etc/redis/redis.conf"], check=True, timeout=30)


def fault(service_mode: str, seconds: float = 5.0) -> None:
    body = {"service": "all", "mode": service_mode, "seconds": seconds}
    httpx.post(f"{SANDBOX}/admin/faults", json=body, headers=ADMIN, timeout=10).raise_for_status()


async def run(args: argparse.Namespace) -> List[str]:
    drill = Drill(Phase("warm-up"))
    tasks = [asyncio.create_task(resident(n, drill)) for n in range(args.residents)]
    loop = asyncio.get_running_loop()
    plan = [
        ("baseline", None),
        ("an action server killed", lambda: kill_port(ACTION_PORTS[1])),
        ("a Rasa instance killed", lambda: kill_port(RASA_PORTS[1])),
        ("PostgreSQL restarted", restart_postgres),
        ("Redis restarted (down 5 s)", lambda: restart_redis(5)),
        ("city services slow (5 s)", lambda: fault("slow", 5)),
        ("city services down (503)", lambda: fault("down")),
        ("recovered", lambda: fault("none")),
    ]
    await asyncio.sleep(5)
    for name, action in plan:
        drill.start(name)
        if action is not None:
            await loop.run_in_executor(None, action)
        await asyncio.sleep(args.phase_seconds)
    drill.running = False
    await asyncio.gather(*tasks, return_exceptions=True)
    return report_lines(drill, await outcomes(drill, args))


async def outcomes(drill: Drill, args: argparse.Namespace) -> Dict[str, Any]:
    """Complaints in Open311 (after the outbox delivered the queue) and history kept."""
    deadline = time.monotonic() + args.settle_seconds
    filed: Dict[str, int] = {}
    async with httpx.AsyncClient(timeout=30, headers=rest_headers()) as client:
        while True:
            listing = (await client.get(f"{SANDBOX}/open311/v2/requests.json")).json()
            filed = defaultdict(int)
            for request in listing:
                for marker in re.findall(r"drill[0-9a-f]{8}", request.get("description") or ""):
                    filed[marker] += 1
            waiting = [m for m in drill.confirmed if filed.get(m, 0) == 0]
            if not waiting or time.monotonic() > deadline:
                break
            await asyncio.sleep(5)
        token = (ROOT / "var" / "rasa-token").read_text().strip()
        lost_history: List[str] = []
        for sender, messages in list(drill.answered.items())[:400]:
            tracker = (
                await client.get(
                    f"http://127.0.0.1:{RASA_PORTS[0]}/conversations/{sender}/tracker",
                    params={"token": token},
                )
            ).json()
            kept = [e.get("text") for e in tracker.get("events", []) if e.get("event") == "user"]
            lost_history += [
                f"{sender}: {message!r} ({phase})"
                for message, phase in messages
                if message not in kept
            ]
    missing = sorted(m for m in drill.confirmed if filed.get(m, 0) == 0)
    return {
        "confirmed": len(drill.confirmed),
        "missing": [f"{m}: confirmed during '{drill.confirmed[m][0]}', told "
                    f"{drill.confirmed[m][1][:70]!r}; outbox: {outbox_state(m)}" for m in missing],
        "duplicated": sorted(m for m, count in filed.items() if count > 1),
        "lost_history": lost_history,
        "conversations_checked": min(len(drill.answered), 400),
    }  # fmt: skip


def outbox_state(marker: str) -> str:
    """Where the outbox has a complaint: delivered, pending (and when next), rejected, absent."""
    engine = create_engine(f"postgresql://postgres@127.0.0.1:5432/{DATABASE}", future=True)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT status, attempts, next_attempt_at, last_error FROM complaint_outbox "
                    "WHERE payload LIKE :pattern"
                ),
                {"pattern": f"%{marker}%"},
            ).first()
    finally:
        engine.dispose()
    if row is None:
        return "absent"
    when = f"{row.next_attempt_at:%H:%M:%S}"
    return f"{row.status}, {row.attempts} attempt(s), next at {when}, last error {row.last_error}"


def report_lines(drill: Drill, checks: Dict[str, Any]) -> List[str]:
    lines = [
        "| phase | messages | answered | of which after the client's retry | errors | p50 ms "
        "| p95 ms |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for phase in drill.phases:
        ms = sorted(1000 * s for s in phase.latencies)
        p50 = f"{statistics.median(ms):.0f}" if ms else "–"
        p95 = f"{ms[int(0.95 * (len(ms) - 1))]:.0f}" if ms else "–"
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(phase.errors.items())) or "none"
        answered = len(phase.latencies)
        row = [phase.name, str(phase.requests), str(answered), str(phase.retried), errors]
        row += [p50, p95]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        f"- Complaints confirmed by residents: **{checks['confirmed']}**; not in Open311 when "
        f"the drill ended: **{len(checks['missing'])}**; filed more than once: "
        f"**{len(checks['duplicated'])}** {checks['duplicated'] or ''}.",
        *[f"  - {line}" for line in checks["missing"]],
        "- Messages answered but missing from the tracker store: "
        f"**{len(checks['lost_history'])}** "
        f"(over {checks['conversations_checked']} conversations).",
        *[f"  - {line}" for line in checks["lost_history"]],
    ]
    return lines


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=12)
    parser.add_argument("--phase-seconds", type=float, default=25)
    parser.add_argument("--settle-seconds", type=float, default=240)
    parser.add_argument("--report", type=Path)
    args = parser.parse_args(argv)
    stack = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "prod_local.py"), "--port-base", str(BASE),
         "--database", DATABASE, "--redis-db", "4"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "SANDBOX_ADMIN_KEY": ADMIN["X-Admin-Key"]},
    )  # fmt: skip
    try:
        for line in iter(stack.stdout.readline, ""):  # type: ignore[union-attr]
            if "STACK READY" in line:
                break
        else:
            print("the production stack did not start", file=sys.stderr)
            return 1
        threading_drain(stack)
        lines = asyncio.run(run(args))
    finally:
        stack.send_signal(signal.SIGINT)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            stack.kill()
        drop = f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", drop], check=False)
    header = [
        "# Fault drills",
        "",
        f"Run {dt.date.today()} on this 2-core machine by `python -m benchmarks.faults` "
        f"({args.residents} simulated residents through nginx, 0.5 s between messages, "
        f"{args.phase_seconds:.0f} s per phase). A killed server is started again by "
        "`make prod-local` after 2 s, as systemd would (a Rasa instance then loads its model "
        "for ~10 s while nginx routes around it); the city's slowness and outage last until "
        "the last phase. What each phase does is in the script's docstring.",
        "",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    return 0


def threading_drain(process: subprocess.Popen[str]) -> None:
    """Keep reading the stack's output so its pipe never fills and blocks it."""
    threading.Thread(
        target=lambda: [None for _ in iter(process.stdout.readline, "")],  # type: ignore[union-attr]
        daemon=True,
    ).start()


if __name__ == "__main__":
    sys.exit(main())
