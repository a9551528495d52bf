"""Load on the assistant: residents chatting over the REST channel, one or two Rasa instances.

The issue's targets, on this 2-core machine: with 50 conversations at once the assistant
answers at p95 <= 300 ms with no errors; two instances behind nginx answer at least 60
messages/s at saturation; and memory does not grow over a 10-minute soak.

Each virtual resident plays one of the scripted conversations in :data:`SCRIPTS` (chosen
at random, seeded; Chinese ~70 %, English ~30 %) over ``POST /webhooks/rest/webhook``:
metro departures, routes, fares and service notices, permit questions and application
status, complaints filed or cancelled, greetings and questions the assistant cannot help
with. Most turns reach the action server and, through it, the sandbox city. The resident
waits ``--think`` seconds after each reply, and starts again with a fresh sender id when
its script ends. An error is a status other than 200, an empty reply, no answer within
10 s or a connection failure; a reply without the words the script expects (a ticket
number, the station asked about) is counted apart as *off-script*.

Modes:

- ``--concurrency N --duration S``: a closed loop of N residents for S seconds;
- ``--saturate``: no think time, concurrency doubled every ``--step`` seconds until the
  answered messages/s stop rising; the peak is reported with its p95 and error rate;
- ``--report docs/benchmarks.md``: starts ``scripts/prod_local.py`` on ``--port-base``
  (its own database and Redis db, dropped/left afterwards), runs the issue's matrix (one
  Rasa instance, addressed directly, and two behind nginx, at 10, 50 and 200 conversations;
  saturation of each; a soak of ``--soak-duration`` s at 50 conversations sampling memory
  every ``--rss-every`` s) and writes the report. A "Cold start" section that
  ``benchmarks.cold_start`` wrote to the same file is kept.

Every run also reads each server process's RSS (``VmRSS``) and CPU time from ``/proc``,
found by the ports of ``--port-base`` (``ss -ltnp``) and their parent, and Rasa's and the
action servers' own latency histograms (``/ops/metrics``, ``/metrics``), which show where
the time goes. The load generator runs on the same machine and its CPU is reported too.

Run: ``.venv/bin/python -m benchmarks.load --concurrency 5 --duration 20`` against a
running ``make prod-local`` (``--port-base 8080``), or ``make bench-load`` for the report.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from benchmarks.rest_auth import rest_headers
from benchmarks.transit_scale import machine

ROOT = Path(__file__).resolve().parent.parent
WEBHOOK = "/webhooks/rest/webhook"
REQUEST_TIMEOUT_S = 10.0
ZH_SHARE = 0.70
#: A weekday morning in Shenzhen for the transit answers (as in the integration tests), so
#: figures do not depend on whether the benchmark runs while the metro is closed.
TRANSIT_NOW = "2026-11-24T08:00:00+08:00"
P95_TARGET_MS = 300.0
SATURATION_TARGET = 60.0
GROWTH_LIMIT = 0.05
COLD_START_HEADING = "## Cold start"
#: Sections of the report that are not measured here, kept when it is written again: the
#: cold start (benchmarks.cold_start), the profile of a message (benchmarks.profile_turn)
#: what was changed for speed, with the figures of each change (written by hand), and the
#: cost of one long conversation (benchmarks.long_conversation).
KEPT_SECTIONS = (COLD_START_HEADING, "## Profile", "## What was changed", "## Long conversation")

# --------------------------------------------------------------------------- the residents


@dataclass(frozen=True)
class Turn:
    """One message and the words any right answer to it contains (any one of them)."""

    message: str
    expect: tuple[str, ...] = ()


@dataclass(frozen=True)
class Script:
    """A conversation a resident has with the assistant, turn by turn."""

    name: str
    language: str
    turns: tuple[Turn, ...]


def _script(name: str, language: str, *turns: tuple[str, str]) -> Script:
    return Script(
        name, language, tuple(Turn(m, tuple(e.split("|")) if e else ()) for m, e in turns)
    )


SCRIPTS: tuple[Script, ...] = (
    _script("metro-next-train", "zh",
            ("你好", "您好"),
            ("请问会展中心站下一班地铁几点到", "会展中心"),
            ("好的谢谢", "不客气")),
    _script("metro-route-and-fare", "zh",
            ("从福田去机场东坐地铁怎么走", "→"),
            ("那票价是多少", "元"),
            ("谢谢啦", "不客气")),
    _script("metro-line-status", "zh",
            ("今天2号线运行正常吗", "2号线"),
            ("罗湖到世界之窗要多少钱", "元")),
    _script("permit-residence", "zh",
            ("您好", "您好"),
            ("我刚来深圳工作，办居住证要准备哪些材料", "材料"),
            ("要收费吗", "收费"),
            ("大概多久能办下来", "时限"),
            ("在哪里办理", "办理渠道")),
    _script("permit-hk-macau", "zh",
            ("港澳通行证办一次多少钱", "收费"),
            ("去哪里申请", "办理渠道"),
            ("好的，再见", "再见")),
    _script("permit-status-with-number", "zh",
            ("帮我查一下PA20260521现在审批到哪一步了", "PA20260521"),
            ("谢谢", "不客气")),
    _script("permit-status-asked-for-number", "zh",
            ("我之前交的申请批下来没有", "PA"),
            ("PA20260733", "PA20260733")),
    _script("complaint-streetlight-filed", "zh",
            ("我家楼下的路灯坏了好几天了，晚上黑漆漆的", "位置"),
            ("南山区南海大道1088号", "电话"),
            ("13712345678", "核对"),
            ("确认提交", "SR"),
            ("我刚才反映的问题现在什么进度", "SR")),
    _script("complaint-noise-cancelled", "zh",
            ("我要反映问题", "哪一类"),
            ("噪音", "位置"),
            ("宝安区西乡大道12号", "描述"),
            ("隔壁工地每天晚上十一点了还在施工，吵得睡不着", "电话"),
            ("不留了", "核对"),
            ("算了，先不提交了", "取消")),
    _script("complaint-garbage-filed", "zh",
            ("小区门口的垃圾好几天没人清了，味道很大", "位置"),
            ("罗湖区东门中路203号", "电话"),
            ("不用", "核对"),
            ("对", "SR")),
    _script("out-of-scope-then-help", "zh",
            ("明天深圳会下雨吗", "12345"),
            ("那你能帮我做什么", "我可以"),
            ("营业执照需要什么材料", "材料")),
    _script("greeting-and-goodbye", "zh",
            ("在吗", "您好"),
            ("拜拜", "再见")),
    _script("metro-departures-en", "en",
            ("Hi", "Hello"),
            ("when's the next metro from Shopping Park?", "Shopping Park"),
            ("thanks", "welcome")),
    _script("metro-route-and-fare-en", "en",
            ("How do I get from Window of the World to Luohu by metro?", "→"),
            ("how much will that cost?", "¥")),
    _script("permit-business-licence-en", "en",
            ("What do I need to apply for a business licence?", "What to bring"),
            ("how long does it take?", "how long it takes"),
            ("where do I go to apply?", "Where to apply")),
    _script("complaint-pothole-filed-en", "en",
            ("There's a deep pothole on Keyuan Road right by the bus stop", "Where"),
            ("23 Keyuan Road, Nanshan", "phone"),
            ("no thanks", "check your report"),
            ("yes, please submit it", "SR")),
    _script("status-lookups-en", "en",
            ("Could you check application PA20260408 for me?", "PA20260408"),
            ("and what's the status of ticket SR20990001?", "SR20990001")),
    _script("out-of-scope-en", "en",
            ("can you recommend a good dim sum place in Futian?", "12345"),
            ("ok, bye", "Goodbye")),
)  # fmt: skip


#: Set by ``--keep-conversations``: residents keep one conversation id across scripts.
KEEP_CONVERSATIONS = {"on": False}


def conversation_length(rng: random.Random) -> int:
    """How many messages a resident sends under one conversation id, as residents do.

    Half under 10 (a question or two), a third 10–40 (a complaint with digressions), the
    rest a tail to 200 (a WeChat resident who keeps one conversation for weeks).
    """
    draw = rng.random()
    if draw < 0.5:
        return rng.randint(2, 9)
    if draw < 0.85:
        return rng.randint(10, 40)
    return rng.randint(41, 200)


def pick_script(rng: random.Random) -> Script:
    """A conversation for a new resident: the language first (~70 % Chinese), then a script."""
    language = "zh" if rng.random() < ZH_SHARE else "en"
    return rng.choice([s for s in SCRIPTS if s.language == language])


# --------------------------------------------------------------------------- one run


@dataclass(frozen=True)
class Outcome:
    """What happened to one message."""

    finished: float
    seconds: float
    error: str | None
    off_script: bool


@dataclass(frozen=True)
class OffScript:
    """An answer without the words the script expects, and where it happened."""

    run: str
    sender: str
    reply: str


@dataclass
class Recorder:
    """Every message's outcome in one run, and the off-script replies with their senders
    (to look the conversation up while the tracker store still has it)."""

    outcomes: list[Outcome] = field(default_factory=list)
    off_script: dict[tuple[str, str], list[OffScript]] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def note_off_script(
        self, run: str, script: Script, turn: Turn, sender: str, reply: str
    ) -> None:
        examples = self.off_script.setdefault((script.name, turn.message), [])
        examples.append(OffScript(run, sender, reply.replace("\n", " ")[:120]))


@dataclass(frozen=True)
class Stats:
    """A run's figures: the messages, their latency and the errors by kind."""

    label: str
    concurrency: int
    seconds: float
    sent: int
    answered: int
    errors: dict[str, int]
    off_script: int
    p50: float
    p95: float
    p99: float
    max: float

    @property
    def rate(self) -> float:
        """Answered messages per second."""
        return self.answered / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def error_rate(self) -> float:
        return self.error_count / self.sent if self.sent else 0.0


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list (0 when empty)."""
    if not ordered:
        return 0.0
    rank = max(1, round(share * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(
    label: str, concurrency: int, outcomes: Sequence[Outcome], seconds: float, off: int
) -> Stats:
    """The run's figures. Latency covers every message, errors included (a timeout as 10 s)."""
    latencies = sorted(o.seconds * 1000 for o in outcomes)
    errors = Counter(o.error for o in outcomes if o.error)
    return Stats(
        label=label,
        concurrency=concurrency,
        seconds=seconds,
        sent=len(outcomes),
        answered=sum(1 for o in outcomes if o.error is None),
        errors=dict(errors),
        off_script=off,
        p50=percentile(latencies, 0.50),
        p95=percentile(latencies, 0.95),
        p99=percentile(latencies, 0.99),
        max=latencies[-1] if latencies else 0.0,
    )


async def ask(
    client: httpx.AsyncClient, url: str, sender: str, turn: Turn
) -> tuple[str, str | None]:
    """Send one message; the reply's text and the kind of error, if any."""
    try:
        answer = await asyncio.wait_for(
            client.post(url, json={"sender": sender, "message": turn.message}), REQUEST_TIMEOUT_S
        )
    except (asyncio.TimeoutError, httpx.TimeoutException):
        return "", "timeout"
    except httpx.TransportError:
        return "", "connection"
    if answer.status_code != 200:
        return "", f"HTTP {answer.status_code}"
    try:
        replies = answer.json()
    except ValueError:
        return "", "empty"
    if not isinstance(replies, list) or not replies:
        return "", "empty"
    return "\n".join(str(r.get("text") or r.get("buttons") or "") for r in replies), None


async def closed_loop(
    url: str,
    concurrency: int,
    duration: float,
    think: float,
    seed: int,
    label: str,
    recorder: Recorder | None = None,
) -> Stats:
    """``concurrency`` residents for ``duration`` s, each waiting ``think`` s between turns.

    No message is sent after the deadline; the ones in flight are waited for and counted.
    """
    recorder = recorder or Recorder()
    endpoint = url.rstrip("/") + WEBHOOK
    run = secrets.token_hex(3)
    limits = httpx.Limits(max_connections=concurrency + 8, max_keepalive_connections=concurrency)
    started = time.monotonic()
    deadline = started + duration

    async def resident(index: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(f"{seed}/{label}/{index}")
        if think:
            await asyncio.sleep(rng.uniform(0, min(think, duration)))  # not all at once
        conversation = 0
        left = 0  # messages still to send under this conversation id (--keep-conversations)
        sender = ""
        while time.monotonic() < deadline:
            script = pick_script(rng)
            if left <= 0:
                sender = f"load-{run}-{index}-{conversation}"
                conversation += 1
                left = conversation_length(rng) if KEEP_CONVERSATIONS["on"] else 0
            left -= len(script.turns)
            for turn in script.turns:
                if time.monotonic() >= deadline:
                    return
                began = time.perf_counter()
                reply, error = await ask(client, endpoint, sender, turn)
                seconds = time.perf_counter() - began
                if error is None and seconds > REQUEST_TIMEOUT_S:
                    error = "timeout"
                off = (
                    error is None and bool(turn.expect) and not any(w in reply for w in turn.expect)
                )
                if off:
                    recorder.note_off_script(label, script, turn, sender, reply)
                recorder.add(Outcome(time.monotonic(), seconds, error, off))
                if think:
                    await asyncio.sleep(think)

    async with httpx.AsyncClient(
        timeout=REQUEST_TIMEOUT_S, limits=limits, headers=rest_headers()
    ) as client:
        await asyncio.gather(*(resident(i, client) for i in range(concurrency)))
    elapsed = time.monotonic() - started
    off = sum(1 for o in recorder.outcomes if o.off_script)
    return summarise(label, concurrency, recorder.outcomes, elapsed, off)


# --------------------------------------------------------------------------- the servers

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Layout:
    """The ports of ``scripts/prod_local.py`` for one ``--port-base`` (``instances`` 2), or
    of ``scripts/run_stack.py`` (``make run``: one Rasa and one action server) on them."""

    base: int
    instances: int = 2

    @property
    def public(self) -> str:
        return f"http://127.0.0.1:{self.base}"

    @property
    def rasa(self) -> list[str]:
        return [f"http://127.0.0.1:{self.base + n}" for n in (10, 11)[: self.instances]]

    @property
    def actions(self) -> list[str]:
        return [f"http://127.0.0.1:{self.base + n}" for n in (20, 21)[: self.instances]]

    def roles(self) -> dict[int, str]:
        b = self.base
        return {
            b: "nginx", b + 1: "nginx", b + 2: "sandbox", b + 3: "console",
            b + 10: "rasa-1", b + 11: "rasa-2", b + 20: "actions-1", b + 21: "actions-2",
        }  # fmt: skip


def listening() -> dict[int, set[int]]:
    """The processes listening on each local TCP port, from ``ss -ltnp``."""
    output = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=False).stdout
    ports: dict[int, set[int]] = defaultdict(set)
    for line in output.splitlines():
        columns = line.split()
        if len(columns) < 4:
            continue
        port = columns[3].rsplit(":", 1)[-1]
        if port.isdigit():
            ports[int(port)] |= {int(p) for p in re.findall(r"pid=(\d+)", line)}
    return ports


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def parent_of(pid: int) -> int:
    return int(_stat(pid)[1])


def command_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def family(roots: Iterable[int]) -> set[int]:
    """The processes and all their descendants."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                children[parent_of(int(entry))].append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, pending = set(), list(roots)
    while pending:
        pid = pending.pop()
        if pid not in found:
            found.add(pid)
            pending.extend(children.get(pid, ()))
    return found


def rss_mb(pids: Iterable[int]) -> float:
    """The summed resident memory (VmRSS) of the processes still alive, in MB."""
    total_kb = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def cpu_seconds(pids: Iterable[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = _stat(pid)
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / CLOCK_TICKS


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def server_processes(layout: Layout) -> dict[str, set[int]]:
    """The topology's processes by role, with their children; the outbox worker, the NLU
    worker and the ``prod_local`` supervisor (which relays every log line) are found as
    the Rasa server's parent and siblings. PostgreSQL and Redis are the machine's, shared
    with other work."""
    ports = listening()
    roles: dict[str, set[int]] = defaultdict(set)
    for port, role in layout.roles().items():
        roles[role] |= ports.get(port, set())
    grouped = {role: family(pids) for role, pids in roles.items() if pids}
    rasa = sorted(roles.get("rasa-1") or roles.get("rasa-2") or [])
    if rasa:
        supervisor = parent_of(rasa[0])
        # make run's NLU worker (bot/nlu_worker.py) listens on a port of its own choosing.
        worker = {p for p in family([supervisor]) if "nlu-worker.yml" in command_of(p)}
        if worker:
            grouped["nlu-worker"] = family(worker)
        if "prod_local" in command_of(supervisor):
            grouped["prod_local (log relay)"] = {supervisor}
            outbox = {p for p in family([supervisor]) if "actions.delivery" in command_of(p)}
            if outbox:
                grouped["outbox"] = outbox
    for role, port in (("postgres*", 5432), ("redis*", 6379)):
        if ports.get(port):
            grouped[role] = family(ports[port])
    return grouped


@dataclass(frozen=True)
class Usage:
    """RSS at the end and CPU used during a run, by process role."""

    rss_mb: dict[str, float]
    cpu_share: dict[str, float]  # of one core, over the run
    machine_busy: float  # share of all cores


class UsageMeter:
    """Reads CPU time at the start of a run and RSS and CPU at its end."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    def __enter__(self) -> UsageMeter:
        self.processes = server_processes(self.layout)
        self.cpu = {role: cpu_seconds(p) for role, p in self.processes.items()}
        self.own = _own_cpu()
        self.busy = machine_busy_seconds()
        self.started = time.monotonic()
        return self

    def __exit__(self, *_: object) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        shares = {
            role: (cpu_seconds(pids) - self.cpu[role]) / elapsed
            for role, pids in self.processes.items()
        }
        shares["load generator"] = (_own_cpu() - self.own) / elapsed
        busy, total = machine_busy_seconds()
        self.usage = Usage(
            rss_mb={r: rss_mb(p) for r, p in self.processes.items() if not r.endswith("*")},
            cpu_share=shares,
            machine_busy=(busy - self.busy[0]) / max(total - self.busy[1], 1e-9),
        )


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- server-side timing

Sample = dict[tuple[str, tuple[tuple[str, str], ...]], float]
_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse_metrics(exposition: str) -> Sample:
    """Prometheus text format to {(name, labels): value}."""
    samples: Sample = {}
    for line in exposition.splitlines():
        found = _SAMPLE.match(line)
        if found:
            labels = tuple(sorted(_LABEL.findall(found.group(2) or "")))
            samples[(found.group(1), labels)] = float(found.group(3))
    return samples


async def scrape(urls: Sequence[str]) -> Sample:
    """The metrics of several processes, added up."""
    total: Sample = defaultdict(float)
    async with httpx.AsyncClient(timeout=10) as client:
        for url in urls:
            try:
                answer = await client.get(url)
            except httpx.HTTPError:
                continue
            for key, value in parse_metrics(answer.text).items():
                total[key] += value
    return total


@dataclass(frozen=True)
class Histogram:
    """Observations between two scrapes of one latency histogram."""

    count: float
    total: float
    buckets: tuple[tuple[float, float], ...]  # (upper bound s, cumulative count)

    @property
    def mean_ms(self) -> float:
        return 1000 * self.total / self.count if self.count else 0.0

    def quantile_ms(self, share: float) -> float:
        """The bucket bound under which ``share`` of the observations fall (an upper bound)."""
        for bound, cumulative in self.buckets:
            if cumulative >= share * self.count:
                return 1000 * bound
        return float("inf")


def histogram_delta(
    before: Sample, after: Sample, name: str, where: Callable[[dict[str, str]], bool]
) -> Histogram:
    count = total = 0.0
    buckets: dict[float, float] = defaultdict(float)
    for (metric, labels), value in after.items():
        tags = dict(labels)
        if not metric.startswith(name) or not where(tags):
            continue
        delta = value - before.get((metric, labels), 0.0)
        if metric == f"{name}_count":
            count += delta
        elif metric == f"{name}_sum":
            total += delta
        elif metric == f"{name}_bucket":
            le = tags["le"]
            buckets[float("inf") if le == "+Inf" else float(le)] += delta
    return Histogram(count, total, tuple(sorted(buckets.items())))


@dataclass(frozen=True)
class ServerTiming:
    """Where a run's time went, by the servers' own clocks."""

    turn: Histogram
    actions: Histogram
    city: Histogram
    by_action: dict[str, Histogram]


class TimingMeter:
    """Scrapes the Rasa and action servers' metrics before and after a run."""

    def __init__(self, layout: Layout) -> None:
        self.rasa = [f"{u}/ops/metrics" for u in layout.rasa]
        self.actions = [f"{u}/metrics" for u in layout.actions]

    async def start(self) -> None:
        self.before = await scrape(self.rasa + self.actions)

    async def stop(self) -> ServerTiming:
        after = await scrape(self.rasa + self.actions)
        names = {dict(k[1]).get("action") for k in after if k[0] == "action_seconds_count"}
        return ServerTiming(
            turn=histogram_delta(
                self.before, after, "assistant_turn_seconds", lambda t: t.get("channel") == "rest"
            ),
            actions=histogram_delta(self.before, after, "action_seconds", lambda t: True),
            city=histogram_delta(self.before, after, "city_api_request_seconds", lambda t: True),
            by_action={
                str(n): histogram_delta(
                    self.before, after, "action_seconds", lambda t, n=n: t.get("action") == n
                )
                for n in names
                if n
            },
        )


async def quiesce(layout: Layout, limit: float = 90.0) -> None:
    """Wait until the Rasa servers have finished what was sent (timed-out messages are still
    processed after the client gave up), so a run does not inherit the last one's backlog."""
    urls = [f"{u}/ops/metrics" for u in layout.rasa]
    deadline = time.monotonic() + limit
    last = -1.0
    while time.monotonic() < deadline:
        sample = await scrape(urls)
        handled = sum(
            v for (name, _), v in sample.items() if name == "assistant_turn_seconds_count"
        )
        if handled == last:
            return
        last = handled
        await asyncio.sleep(3)


# --------------------------------------------------------------------------- the runs


@dataclass
class Measured:
    """One closed-loop run with what the servers saw."""

    instances: int
    stats: Stats
    usage: Usage
    timing: ServerTiming


async def measured_run(
    layout: Layout, url: str, instances: int, concurrency: int, duration: float,
    think: float, seed: int, label: str, recorder: Recorder,
) -> Measured:  # fmt: skip
    await quiesce(layout)
    timing = TimingMeter(layout)
    await timing.start()
    run_recorder = Recorder(off_script=recorder.off_script)
    with UsageMeter(layout) as meter:
        stats = await closed_loop(url, concurrency, duration, think, seed, label, run_recorder)
    measured = Measured(instances, stats, meter.usage, await timing.stop())
    print(line_of(measured.stats), flush=True)
    return measured


def line_of(stats: Stats) -> str:
    errors = ", ".join(f"{k} {v}" for k, v in sorted(stats.errors.items())) or "none"
    return (
        f"{stats.label}: {stats.concurrency} conversations, {stats.sent} messages, "
        f"{stats.rate:.1f} answered/s, p50 {stats.p50:.0f} p95 {stats.p95:.0f} "
        f"p99 {stats.p99:.0f} max {stats.max:.0f} ms, errors {errors}, "
        f"off-script {stats.off_script}"
    )


async def saturate(
    layout: Layout, url: str, instances: int, step: float, ceiling: int, seed: int,
    recorder: Recorder,
) -> list[Measured]:  # fmt: skip
    """No think time; concurrency doubles each step until two steps in a row add < 5 %."""
    steps: list[Measured] = []
    best = 0.0
    flat = 0
    concurrency = 2
    while concurrency <= ceiling:
        label = f"saturate {instances}x c={concurrency}"
        result = await measured_run(
            layout, url, instances, concurrency, step, 0.0, seed, label, recorder
        )
        steps.append(result)
        if result.stats.rate > best * 1.05:
            best, flat = max(best, result.stats.rate), 0
        else:
            best, flat = max(best, result.stats.rate), flat + 1
            if flat == 2:
                break
        concurrency *= 2
    return steps


def peak_of(steps: Sequence[Measured]) -> Measured:
    return max(steps, key=lambda m: m.stats.rate)


@dataclass(frozen=True)
class SoakSample:
    """Memory and throughput at one point of the soak."""

    at: float
    rss_mb: dict[str, float]
    rate: float | None  # over the window since the last sample; None at the start and end
    p95: float | None


async def soak(
    layout: Layout, url: str, concurrency: int, duration: float, every: float, seed: int,
    recorder: Recorder,
) -> tuple[Measured, list[SoakSample]]:  # fmt: skip
    """A long closed loop, sampling each server's RSS every ``every`` seconds."""
    samples: list[SoakSample] = []
    run_recorder = Recorder(off_script=recorder.off_script)
    processes = server_processes(layout)
    await quiesce(layout)
    started = time.monotonic()
    window_start = started

    def sample(load: bool) -> None:
        nonlocal window_start
        now = time.monotonic()
        window = [o for o in run_recorder.outcomes if o.finished >= window_start]
        ordered = sorted(o.seconds * 1000 for o in window)
        answered = sum(1 for o in window if o.error is None)
        samples.append(
            SoakSample(
                at=now - started,
                rss_mb={r: rss_mb(p) for r, p in processes.items() if not r.endswith("*")},
                rate=answered / (now - window_start) if load else None,
                p95=percentile(ordered, 0.95) if load else None,
            )
        )
        window_start = now

    async def sampler() -> None:
        while True:
            await asyncio.sleep(every)
            sample(load=True)

    sample(load=False)
    task = asyncio.create_task(sampler())
    timing = TimingMeter(layout)
    await timing.start()
    with UsageMeter(layout) as meter:
        stats = await closed_loop(
            url, concurrency, duration, 2.0, seed, f"soak {concurrency}", run_recorder
        )
    task.cancel()
    sample(load=False)  # after the last replies: memory only
    measured = Measured(2, stats, meter.usage, await timing.stop())
    print(line_of(stats), flush=True)
    return measured, samples


# --------------------------------------------------------------------------- the topology


def launch_until_ready(
    command: list[str],
    output: Path,
    env: dict[str, str],
    timeout: float,
    ready_line: bytes = b"STACK READY",
) -> subprocess.Popen[bytes]:
    """Start a launcher (``prod_local.py``, ``run_stack.py``) on the benchmark's clock,
    its output in ``output``, and wait for its ``ready_line``; stopped on failure."""
    with open(output, "wb") as out:  # the child keeps its own descriptor
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "TRANSIT_NOW": TRANSIT_NOW, "RASA_TELEMETRY_ENABLED": "false",
                 **env},
        )  # fmt: skip
    deadline = time.monotonic() + timeout + 60
    while ready_line not in output.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            interrupt(process)
            tail = output.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"{Path(command[1]).name} did not start:\n{tail}")
        time.sleep(1)
    return process


def interrupt(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a launcher as Ctrl-C does (it stops its children); killed after 60 s."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class ProductionTopology:
    """``scripts/prod_local.py`` on its own ports, database and Redis db, for one report."""

    def __init__(self, layout: Layout, model: str, postgres: str, database: str, redis_db: str):
        self.layout = layout
        self.model = model
        self.postgres = postgres
        self.database = database
        self.redis_db = redis_db
        self.output = ROOT / "var" / f"load-{layout.base}.out"

    def start(self, timeout: float = 420) -> None:
        if not self.database.replace("_", "").isalnum():
            raise ValueError(f"not a plain database name: {self.database!r}")
        self.drop_database()
        self.output.parent.mkdir(exist_ok=True)
        try:
            self.process = launch_until_ready(
                [sys.executable, "scripts/prod_local.py", "--model", self.model,
                 "--port-base", str(self.layout.base), "--postgres", self.postgres,
                 "--database", self.database, "--redis-db", self.redis_db,
                 "--timeout", str(timeout)],
                self.output, {}, timeout,
            )  # fmt: skip
        except RuntimeError:
            self.drop_database()
            raise

    def stop(self) -> None:
        interrupt(getattr(self, "process", None))
        self.drop_database()

    def drop_database(self) -> None:
        engine = create_engine(self.postgres, isolation_level="AUTOCOMMIT", future=True)
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        engine.dispose()


class MakeRunTopology:
    """``scripts/run_stack.py`` — what ``make run`` starts: one Rasa server on the SQLite
    tracker store, one action server, the sandbox city, the outbox and the console — on
    the ports of a one-instance :class:`Layout`. Its SQLite files are its own
    (``var/load-make-run-<base>/``), removed before and after."""

    def __init__(self, layout: Layout, model: str):
        self.layout = layout
        self.model = model
        self.output = ROOT / "var" / f"load-make-run-{layout.base}.out"
        self.directory = ROOT / "var" / f"load-make-run-{layout.base}"

    def start(self, timeout: float = 300) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        b = self.layout.base
        try:
            self.process = launch_until_ready(
                [sys.executable, "scripts/run_stack.py", "--model", self.model,
                 "--rasa-port", str(b + 10), "--actions-port", str(b + 20),
                 "--sandbox-port", str(b + 2), "--console-port", str(b + 3),
                 "--timeout", str(timeout), "--tracker-db", str(self.directory / "tracker.db")],
                self.output,
                {"CITY_OUTBOX_DATABASE_URL": f"sqlite:///{self.directory / 'outbox.db'}"},
                timeout,
                # Measured once the NLU worker that make run starts after Rasa is up too.
                ready_line=b"NLU WORKER READY",
            )  # fmt: skip
        except RuntimeError:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise

    def stop(self) -> None:
        interrupt(getattr(self, "process", None))
        shutil.rmtree(self.directory, ignore_errors=True)


async def run_make_run(layout: Layout, args: argparse.Namespace) -> list[Measured]:
    """``make run`` under the issue's load: 10 and 50 residents, then saturation."""
    recorder = Recorder()
    await warm_up(layout, recorder)
    url = layout.rasa[0]
    runs = [
        await measured_run(
            layout, url, 1, concurrency, args.duration, args.think, args.seed,
            f"make-run c={concurrency}", recorder,
        )
        for concurrency in (10, 50)
    ]  # fmt: skip
    steps = await saturate(layout, url, 1, args.step, args.max_concurrency, args.seed, recorder)
    print_saturation(steps)
    print_usage(peak_of(steps))
    return runs + steps


async def warm_up(layout: Layout, recorder: Recorder) -> None:
    """Every script once on each Rasa instance, one message at a time, not measured: the
    first messages after start-up pay for lazy initialisation."""
    async with httpx.AsyncClient(timeout=60, headers=rest_headers()) as client:
        for number, base in enumerate(layout.rasa, start=1):
            for script in SCRIPTS:
                sender = f"warm-{secrets.token_hex(3)}-{number}"
                for turn in script.turns:
                    reply, error = await ask(client, base + WEBHOOK, sender, turn)
                    if error:
                        print(f"warm-up {script.name}: {turn.message!r}: {error}", file=sys.stderr)
                    elif turn.expect and not any(w in reply for w in turn.expect):
                        recorder.note_off_script("warm-up", script, turn, sender, reply)


# --------------------------------------------------------------------------- the report


@dataclass
class Matrix:
    """Everything one ``--report`` run measured."""

    duration: float
    think: float
    step: float
    soak_duration: float
    rss_every: float
    seed: int
    closed: list[Measured] = field(default_factory=list)
    saturation: dict[int, list[Measured]] = field(default_factory=dict)
    soak: Measured | None = None
    soak_samples: list[SoakSample] = field(default_factory=list)
    recorder: Recorder = field(default_factory=Recorder)
    started: str = ""
    finished: str = ""


async def run_matrix(layout: Layout, args: argparse.Namespace) -> Matrix:
    matrix = Matrix(
        args.duration, args.think, args.step, args.soak_duration, args.rss_every, args.seed
    )
    matrix.started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    await warm_up(layout, matrix.recorder)
    targets = {1: layout.rasa[0], 2: layout.public}
    for instances, url in targets.items():
        for concurrency in (10, 50, 200):
            label = f"{instances}x c={concurrency}"
            matrix.closed.append(
                await measured_run(
                    layout, url, instances, concurrency, args.duration, args.think,
                    args.seed, label, matrix.recorder,
                )
            )  # fmt: skip
    for instances, url in targets.items():
        matrix.saturation[instances] = await saturate(
            layout, url, instances, args.step, args.max_concurrency, args.seed, matrix.recorder
        )
    matrix.soak, matrix.soak_samples = await soak(
        layout, layout.public, 50, args.soak_duration, args.rss_every, args.seed, matrix.recorder
    )
    matrix.finished = dt.datetime.now().strftime("%H:%M")
    return matrix


def ms(value: float) -> str:
    if value == float("inf"):
        return "> 10 000"
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def mb(value: float) -> str:
    return f"{value:,.0f}"


def verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


ROLES = ("rasa-1", "rasa-2", "actions-1", "actions-2", "nginx", "sandbox", "outbox", "console")


def stats_row(m: Measured, first: str) -> str:
    s = m.stats
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(s.errors.items()))
    return (
        f"| {first} | {s.concurrency} | {s.sent:,} | {s.rate:.1f} | {ms(s.p50)} | {ms(s.p95)} "
        f"| {ms(s.p99)} | {ms(s.max)} | {s.error_count}{f' ({kinds})' if kinds else ''} "
        f"| {100 * s.error_rate:.2f} % | {s.off_script} |"
    )


STATS_HEADER = (
    "| {first} | conversations | messages | answered/s | p50 ms | p95 ms | p99 ms | max ms "
    "| errors | error rate | off-script |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
)


def soak_growth(samples: Sequence[SoakSample]) -> dict[str, tuple[float, float, float]]:
    """Per role: (RSS after warm-up, RSS at the end, MB per minute fitted after warm-up).

    Warm-up is the first 2 minutes (or the first sample of a shorter soak): caches, pools
    and the allocator settle there."""
    settled = next((s for s in samples if s.at >= 120), samples[0])
    later = [s for s in samples if s.at >= settled.at]
    growth = {}
    for role in samples[-1].rss_mb:
        points = [(s.at / 60, s.rss_mb.get(role, 0.0)) for s in later]
        growth[role] = (settled.rss_mb.get(role, 0.0), samples[-1].rss_mb[role], slope(points))
    return growth


def slope(points: Sequence[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def grows(start: float, end: float) -> bool:
    return end > start * (1 + GROWTH_LIMIT)


def markdown(matrix: Matrix, layout: Layout) -> str:
    closed = {(m.instances, m.stats.concurrency): m for m in matrix.closed}
    peaks = {n: peak_of(steps) for n, steps in matrix.saturation.items()}
    lines = [
        "# Load and cold start",
        "",
        f"Measured {matrix.started}–{matrix.finished} on {machine()}, by "
        f"`python -m benchmarks.load --report docs/benchmarks.md` (seed {matrix.seed}). "
        "The load generator runs on the same machine as every server, so it takes CPU from "
        "them (its share is in the CPU table).",
        "",
        f"**Topology.** `scripts/prod_local.py --port-base {layout.base}` with its own "
        "PostgreSQL database (created empty, dropped afterwards) and Redis db: the production "
        "topology of [production.md](production.md) — two Rasa servers (PostgreSQL tracker "
        "store, Redis lock store, JSON logs), two action servers behind nginx, the sandbox "
        "city, the complaint outbox worker and the staff console. *One instance* sends "
        f"everything to the first Rasa server directly (:{layout.base + 10}); *two instances* "
        f"go through nginx (:{layout.base}). Everything else is the same process set. The "
        f"transit clock is pinned to a weekday morning (`TRANSIT_NOW={TRANSIT_NOW}`).",
        "",
        f"**Load.** Each virtual resident plays one of the {len(SCRIPTS)} scripts listed at "
        f"the end (Chinese {ZH_SHARE:.0%}, English {1 - ZH_SHARE:.0%}, chosen at random), "
        f"through `POST {WEBHOOK}`, waits {matrix.think:g} s after each reply, and starts a "
        f"new conversation with a new sender id when the script ends. Each closed-loop run "
        f"lasts {matrix.duration:g} s (no new message after that; those in flight are "
        "waited for). Before the first run, every script is played once on each Rasa "
        "server, unmeasured. Between runs the generator waits until the Rasa servers stop "
        "handling messages.",
        "",
        "**Definitions.** *answered/s*: messages answered with status 200 and at least one "
        "reply, per second of the run. *Latency*: from sending to the whole reply, for every "
        f"message, errors included (a timeout counts as its {REQUEST_TIMEOUT_S:g} s). "
        "*Errors*: another status, an empty reply, no reply within "
        f"{REQUEST_TIMEOUT_S:g} s (timeout) or a failed connection. *Off-script*: answered, "
        "but without the words the script expects (the station, a ticket number…); not "
        "counted as errors, listed at the end.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for instances in (1, 2):
        m = closed.get((instances, 50))
        if m:
            met = m.stats.p95 <= P95_TARGET_MS and m.stats.error_count == 0
            lines.append(
                f"| 50 conversations, {instances} instance{'s' if instances > 1 else ''}: "
                f"p95 ≤ {P95_TARGET_MS:.0f} ms with zero errors | p95 {ms(m.stats.p95)} ms, "
                f"{m.stats.error_count} errors | {verdict(met)} |"
            )
    if 2 in peaks:
        p = peaks[2].stats
        lines.append(
            f"| saturation with two instances ≥ {SATURATION_TARGET:.0f} messages/s "
            f"| {p.rate:.1f} answered/s (at {p.concurrency} conversations, p95 {ms(p.p95)} ms, "
            f"errors {100 * p.error_rate:.2f} %) | {verdict(p.rate >= SATURATION_TARGET)} |"
        )
    if matrix.soak_samples:
        growth = soak_growth(matrix.soak_samples)
        growing = [r for r, (a, b, _) in growth.items() if grows(a, b)]
        lines.append(
            f"| no memory growth in the soak ({matrix.soak_duration / 60:g} min at 50 "
            f"conversations) | {'grew: ' + ', '.join(growing) if growing else 'no process grew'}"
            f" (see Soak) | {verdict(not growing)} |"
        )
    lines += [
        "",
        "## Closed loop",
        "",
        f"Think time {matrix.think:g} s, {matrix.duration:g} s per run.",
        "",
        STATS_HEADER.format(first="instances"),
    ]
    lines += [stats_row(m, str(m.instances)) for m in matrix.closed]
    lines += [
        "",
        "### Memory at the end of each run (RSS, MB)",
        "",
        "| run | " + " | ".join(ROLES) + " |",
        "|---|" + "---:|" * len(ROLES),
    ]
    for m in matrix.closed:
        lines.append(
            f"| {m.stats.label} | "
            + " | ".join(mb(m.usage.rss_mb.get(r, 0.0)) for r in ROLES)
            + " |"
        )
    lines += cpu_table(matrix.closed + [peaks[n] for n in sorted(peaks)])
    lines += timing_table(matrix.closed + [peaks[n] for n in sorted(peaks)])
    lines += saturation_section(matrix)
    lines += soak_section(matrix)
    lines += off_script_section(matrix.recorder)
    lines += scripts_section()
    return "\n".join(lines) + "\n"


def cpu_table(runs: Sequence[Measured]) -> list[str]:
    roles = [
        "rasa-1", "rasa-2", "actions-1", "actions-2", "nginx", "sandbox",
        "prod_local (log relay)", "postgres*", "redis*", "load generator",
    ]  # fmt: skip
    lines = [
        "",
        "### CPU during each run (% of one core; the machine has 2)",
        "",
        "Measured from `/proc/<pid>/stat` over the run. `*`: the machine's PostgreSQL and "
        "Redis, shared with anything else running. *machine*: all cores busy, in %.",
        "",
        "| run | " + " | ".join(roles) + " | machine |",
        "|---|" + "---:|" * (len(roles) + 1),
    ]
    for m in runs:
        cells = [f"{100 * m.usage.cpu_share.get(r, 0.0):.0f}" for r in roles]
        lines.append(
            f"| {m.stats.label} | " + " | ".join(cells) + f" | {100 * m.usage.machine_busy:.0f} |"
        )
    return lines


def timing_table(runs: Sequence[Measured]) -> list[str]:
    lines = [
        "",
        "### Where the time goes (the servers' own histograms)",
        "",
        "*Rasa turn*: `assistant_turn_seconds{channel=rest}` on the Rasa servers, from the "
        "moment Rasa's web server hands over the request to the reply (queueing before that "
        "is not in it). *Actions*: `action_seconds` on the action servers, per call. *City "
        "API*: `city_api_request_seconds`. Histogram p95s are bucket bounds (the true value "
        "is at most this).",
        "",
        "| run | client p50 / p95 ms | Rasa turn mean ms | Rasa turn p95 ≤ ms "
        "| action calls per message | action mean ms | action p95 ≤ ms "
        "| city API calls per message | city API mean ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in runs:
        t, per = m.timing, max(m.timing.turn.count, 1)
        lines.append(
            f"| {m.stats.label} | {ms(m.stats.p50)} / {ms(m.stats.p95)} | {ms(t.turn.mean_ms)} "
            f"| {ms(t.turn.quantile_ms(0.95))} | {t.actions.count / per:.2f} "
            f"| {ms(t.actions.mean_ms)} | {ms(t.actions.quantile_ms(0.95))} "
            f"| {t.city.count / per:.2f} | {ms(t.city.mean_ms)} |"
        )
    busiest = max(runs, key=lambda m: m.timing.actions.total, default=None)
    if busiest and busiest.timing.by_action:
        lines += [
            "",
            f"Actions in `{busiest.stats.label}` by total time:",
            "",
            "| action | calls | mean ms | p95 ≤ ms |",
            "|---|---:|---:|---:|",
        ]
        ranked = sorted(busiest.timing.by_action.items(), key=lambda kv: -kv[1].total)
        for name, h in ranked[:8]:
            if h.count:
                lines.append(
                    f"| {name} | {h.count:.0f} | {ms(h.mean_ms)} | {ms(h.quantile_ms(0.95))} |"
                )
    return lines


def saturation_section(matrix: Matrix) -> list[str]:
    lines = [
        "",
        "## Saturation",
        "",
        f"No think time: each resident sends its next message as soon as the reply arrives. "
        f"Concurrency starts at 2 and doubles every {matrix.step:g} s until two steps in a "
        "row add less than 5 % to the answered messages/s; the peak is the best step.",
    ]
    for instances, steps in sorted(matrix.saturation.items()):
        peak = peak_of(steps)
        lines += [
            "",
            f"### {instances} instance{'s' if instances > 1 else ''}: peak "
            f"{peak.stats.rate:.1f} answered/s at {peak.stats.concurrency} conversations, "
            f"p95 {ms(peak.stats.p95)} ms, error rate {100 * peak.stats.error_rate:.2f} %",
            "",
            STATS_HEADER.format(first="step"),
        ]
        lines += [stats_row(m, str(n)) for n, m in enumerate(steps, start=1)]
    return lines


def soak_section(matrix: Matrix) -> list[str]:
    if not matrix.soak or not matrix.soak_samples:
        return []
    samples = matrix.soak_samples
    roles = [r for r in ROLES if r in samples[-1].rss_mb]
    growth = soak_growth(samples)
    lines = [
        "",
        "## Soak",
        "",
        f"Two instances through nginx, 50 conversations, think {matrix.think:g} s, "
        f"{matrix.soak_duration / 60:g} minutes; RSS of every server process every "
        f"{matrix.rss_every:g} s. A process *grows* when its RSS at the end is more than "
        f"{GROWTH_LIMIT:.0%} above its RSS after the first 2 minutes (warm-up).",
        "",
        STATS_HEADER.format(first="run"),
        stats_row(matrix.soak, "soak"),
        "",
        "| process | RSS after warm-up MB | RSS at end MB | change | trend after warm-up "
        "MB/min | grows |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for role in roles:
        start, end, trend = growth[role]
        change = f"{100 * (end - start) / start:+.1f} %" if start else "–"
        lines.append(
            f"| {role} | {mb(start)} | {mb(end)} | {change} | {trend:+.2f} "
            f"| {'yes' if grows(start, end) else 'no'} |"
        )
    lines += [
        "",
        "| min | answered/s | p95 ms | " + " | ".join(roles) + " |",
        "|---:|---:|---:|" + "---:|" * len(roles),
    ]
    for s in samples:
        lines.append(
            f"| {s.at / 60:.1f} | {'–' if s.rate is None else f'{s.rate:.1f}'} "
            f"| {'–' if s.p95 is None else ms(s.p95)} | "
            + " | ".join(f"{s.rss_mb.get(r, 0.0):.1f}" for r in roles)
            + " |"
        )
    return lines


def off_script_section(recorder: Recorder) -> list[str]:
    lines = ["", "## Off-script replies", ""]
    if not recorder.off_script:
        return lines + ["None: every answered message had the words its script expects."]
    lines += [
        "Answered, but not with what the script expected, in all runs and the warm-up. "
        "*runs* shows whether it is the model's answer at any load (it appears in the "
        "warm-up and the light runs) or something overload brings out.",
        "",
        "| script | message | times | runs | example reply |",
        "|---|---|---:|---|---|",
    ]
    for (script, message), examples in sorted(
        recorder.off_script.items(), key=lambda kv: -len(kv[1])
    ):
        runs = Counter(e.run for e in examples)
        where = ", ".join(f"{run} {count}" for run, count in runs.most_common(4))
        where += ", …" if len(runs) > 4 else ""
        example = examples[0].reply.replace("|", "\\|") or "(no text)"
        lines.append(f"| {script} | {message} | {len(examples)} | {where} | {example} |")
    return lines


def scripts_section() -> list[str]:
    lines = [
        "",
        "## The conversations",
        "",
        "Written for this benchmark in residents' own words, after the journeys of the "
        "integration tests. `→` separates turns.",
        "",
        "| script | language | turns |",
        "|---|---|---|",
    ]
    for s in SCRIPTS:
        turns = " → ".join(t.message.replace("|", "\\|") for t in s.turns)
        lines.append(f"| {s.name} | {s.language} | {turns} |")
    return lines


def replace_section(document: str, heading: str, section: str) -> str:
    """``document`` with the section under ``heading`` (to the next ``## ``) replaced by
    ``section``, or ``section`` appended when there is none."""
    start = document.find(f"\n{heading}\n")
    if start < 0:
        before = document.rstrip("\n") + "\n\n" if document.strip() else ""
        return before + section.strip("\n") + "\n"
    end = document.find("\n## ", start + 1)
    rest = document[end:] if end >= 0 else "\n"
    return document[:start] + "\n" + section.strip("\n") + "\n" + rest


def section_of(document: str, heading: str) -> str | None:
    """The section whose heading starts with ``heading`` (to the next ``## ``), or None."""
    start = document.find(f"\n{heading}")
    if start < 0:
        return None
    end = document.find("\n## ", start + 1)
    return document[start : end if end >= 0 else None]


def write_report(path: Path, body: str) -> None:
    """The report, keeping the sections of :data:`KEPT_SECTIONS` found in the old one."""
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    for heading in KEPT_SECTIONS:
        kept = section_of(previous, heading)
        if kept:
            body = replace_section(body, kept.strip("\n").splitlines()[0], kept)
    path.write_text(body, encoding="utf-8")


# --------------------------------------------------------------------------- main


def print_saturation(steps: Sequence[Measured]) -> None:
    peak = peak_of(steps)
    print(
        f"peak: {peak.stats.rate:.1f} answered/s at {peak.stats.concurrency} conversations, "
        f"p95 {peak.stats.p95:.0f} ms, error rate {100 * peak.stats.error_rate:.2f} %"
    )


def print_usage(m: Measured) -> None:
    rss = ", ".join(f"{r} {v:.0f}" for r, v in sorted(m.usage.rss_mb.items()))
    cpu = ", ".join(f"{r} {100 * v:.0f}%" for r, v in sorted(m.usage.cpu_share.items()))
    t = m.timing
    print(f"RSS MB: {rss}\nCPU: {cpu}; machine {100 * m.usage.machine_busy:.0f}% of all cores")
    print(
        f"server side: Rasa turn mean {t.turn.mean_ms:.0f} ms "
        f"(p95 <= {t.turn.quantile_ms(0.95):.0f}),"
        f" {t.actions.count / max(t.turn.count, 1):.2f} action calls/message, "
        f"action mean {t.actions.mean_ms:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-base", type=int, default=29080)
    parser.add_argument("--url", help="where to send messages (default: nginx of --port-base)")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--saturate", action="store_true")
    parser.add_argument("--step", type=float, default=30, help="seconds per saturation step")
    parser.add_argument("--max-concurrency", type=int, default=512)
    parser.add_argument("--report", type=Path, help="run the whole matrix and write this file")
    parser.add_argument("--soak-duration", type=float, default=600)
    parser.add_argument("--rss-every", type=float, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep-conversations",
        action="store_true",
        help="residents keep one conversation id across scripts, for a realistic number "
        "of messages (half under 10, a tail to 200) instead of one script each",
    )
    parser.add_argument(
        "--make-run",
        action="store_true",
        help="start the stack as `make run` does (one Rasa, SQLite) on --port-base and "
        "measure 10 and 50 residents and saturation, printed",
    )
    parser.add_argument("--model", default="models/city-assistant.tar.gz")
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL URL allowed to create and drop --database",
    )
    parser.add_argument("--database", default="city_load_bench")
    parser.add_argument("--redis-db", default="3")
    args = parser.parse_args(argv)
    KEEP_CONVERSATIONS["on"] = args.keep_conversations
    layout = Layout(args.port_base)

    if args.make_run:
        layout = Layout(args.port_base, instances=1)
        stack = MakeRunTopology(layout, args.model)
        try:
            stack.start()
            for measured in asyncio.run(run_make_run(layout, args)):
                print_usage(measured)
        finally:
            stack.stop()
        return 0

    if args.report:
        topology = ProductionTopology(
            layout, args.model, args.postgres, args.database, args.redis_db
        )
        try:
            topology.start()
            matrix = asyncio.run(run_matrix(layout, args))
        finally:
            topology.stop()
        write_report(args.report, markdown(matrix, layout))
        print(f"wrote {args.report}")
        return 0

    url = args.url or layout.public
    instances = 1 if url.rstrip("/") in layout.rasa else 2
    recorder = Recorder()
    if args.saturate:
        steps = asyncio.run(
            saturate(layout, url, instances, args.step, args.max_concurrency, args.seed,
                     recorder)
        )  # fmt: skip
        print_saturation(steps)
        print_usage(peak_of(steps))
    else:
        label = f"{instances}x c={args.concurrency}"
        m = asyncio.run(
            measured_run(layout, url, instances, args.concurrency, args.duration,
                         args.think, args.seed, label, recorder)
        )  # fmt: skip
        print_usage(m)
    for (script, message), examples in recorder.off_script.items():
        print(f"off-script {script}: {message!r} ({len(examples)}x), e.g. {examples[0].reply!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
