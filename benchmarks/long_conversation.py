"""What the n-th message of one long conversation costs, and which stage grows with n.

A WeChat resident keeps one conversation id for life and a complaint with digressions runs
20–40 messages, so the cost of a message must not grow with the conversation's length
(issue 22: message 200 within 1.2× of message 1). This benchmark loads the model in this
process as ``benchmarks.profile_turn`` does (same endpoints, NLG, SQLite tracker store, the
sandbox city and an action server in their own processes) and plays the load benchmark's
conversations — every journey, both languages, complaints filed to the sandbox — round
after round *under one conversation id*, ``--messages`` messages in all, as a resident
who never leaves would. Messages are sent within the session's expiry, so Rasa's own
session expiry never starts a new session.

Different messages cost different amounts (filing a complaint is dearer than a fare), so
rounds are compared on the same messages: the first ``WINDOW`` of each round — with no
history in the first round, with 168 messages of it in the fourth. For each it reports
wall and CPU time per message, split by stage (tracker retrieve/save, NLU, policies,
remote actions, NLG), the number of events Rasa loaded for the message and the size of
each call to the action server. The stage that grows is the one to fix.

Run: ``.venv/bin/python -m benchmarks.long_conversation [--messages 224] [--window N]
[--report docs/benchmarks.md]`` (the report gets, or has replaced, a "Long conversation"
section).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from benchmarks.load import SCRIPTS, TRANSIT_NOW, Turn, replace_section
from benchmarks.profile_turn import (
    Ledger,
    endpoints_for,
    instrument,
    load_served_agent,
    run_stack,
    start_services,
)
from benchmarks.transit_scale import machine
from bot.tracker_window import DEFAULT_KEEP_USER_MESSAGES

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Long conversation"
#: Messages compared at the start of each round of the scripts: the same messages, with
#: no history in the first round and a long one in the last.
WINDOW = 14
GROWTH_TARGET = 1.2


@dataclass
class Message:
    """What one message cost, by stage, and how much history it carried."""

    number: int
    reply: str
    wall: float
    cpu: float
    stages: dict[str, float] = field(default_factory=dict)
    events_loaded: int = 0
    action_payload_bytes: list[int] = field(default_factory=list)


def turns(count: int) -> Iterator[Turn]:
    """``count`` messages: every load-benchmark script in turn, over and over."""
    while True:
        for script in SCRIPTS:
            for turn in script.turns:
                if count <= 0:
                    return
                count -= 1
                yield turn


def observe_history(record: dict[str, Any]) -> None:
    """Patch Rasa (this process only) to note events loaded and action payload sizes."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    fetch = MessageProcessor.fetch_tracker_and_update_session

    async def counted_fetch(self: Any, *args: Any, **kwargs: Any) -> Any:
        tracker = await fetch(self, *args, **kwargs)
        record["events_loaded"] = len(tracker.events)
        return tracker

    call_format = RemoteAction._action_call_format

    def measured_format(self: Any, tracker: Any, domain: Any) -> Any:
        payload = call_format(self, tracker, domain)
        record["payloads"].append(len(json.dumps(payload, ensure_ascii=False)))
        return payload

    MessageProcessor.fetch_tracker_and_update_session = counted_fetch  # type: ignore[method-assign]
    RemoteAction._action_call_format = measured_format  # type: ignore[method-assign]


async def measure(args: argparse.Namespace) -> list[Message]:
    """Load the agent, warm it up on another conversation, then play one long conversation."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    endpoints = endpoints_for(args)
    endpoints.tracker_store.kwargs["window_user_messages"] = args.window
    agent = await load_served_agent(args.model, endpoints)
    ledger = Ledger()
    instrument(ledger, type(agent.tracker_store), type(agent.lock_store))
    record: dict[str, Any] = {"events_loaded": 0, "payloads": []}
    observe_history(record)

    async def say(sender: str, text: str) -> str:
        output = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, output, sender, input_channel="rest"))
        return "\n".join(str(m.get("text") or m.get("buttons") or "") for m in output.messages)

    for turn in turns(20):
        await say(f"warm-{time.time_ns()}", turn.message)
    sender = f"long-{time.time_ns()}"
    measured: list[Message] = []
    ledger.recording = True
    for number, turn in enumerate(turns(args.messages), start=1):
        before = {name: stage.wall for name, stage in ledger.stages.items()}
        actions_before = sum(stage.wall for stage in ledger.actions.values())
        record["payloads"] = []
        wall, cpu = time.perf_counter(), time.process_time()
        reply = await say(sender, turn.message)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        stages = {name: stage.wall - before.get(name, 0.0) for name, stage in ledger.stages.items()}
        stages["remote actions"] = sum(s.wall for s in ledger.actions.values()) - actions_before
        measured.append(
            Message(
                number, reply, wall, cpu, stages, record["events_loaded"], list(record["payloads"])
            )
        )
    return measured


def cycle_length() -> int:
    """Messages in one round of every script (the conversation repeats them)."""
    return sum(len(script.turns) for script in SCRIPTS)


def markdown(measured: list[Message], args: argparse.Namespace) -> str:
    length = cycle_length()
    starts = range(0, len(measured) - WINDOW + 1, length)
    stage_names: set[str] = set()
    for message in measured:
        stage_names.update(message.stages)
    shown = sorted(
        stage_names, key=lambda n: -statistics.fmean(m.stages.get(n, 0.0) for m in measured)
    )[:6]
    rows: list[list[str]] = []
    means: list[float] = []
    for start in starts:
        part = measured[start : start + WINDOW]
        whole_round = measured[start : start + length]
        means.append(statistics.fmean(m.wall for m in part))
        payloads = [size for m in part for size in m.action_payload_bytes]
        rows.append(
            [
                f"{part[0].number}–{part[-1].number}",
                f"{1000 * means[-1]:.1f}",
                f"{1000 * statistics.fmean(m.cpu for m in part):.1f}",
                f"{1000 * statistics.fmean(m.wall for m in whole_round):.1f}",
                f"{statistics.fmean(m.events_loaded for m in part):.0f}",
                f"{statistics.fmean(payloads) / 1024:.1f}" if payloads else "–",
                *(
                    f"{1000 * statistics.fmean(m.stages.get(n, 0.0) for m in part):.1f}"
                    for n in shown
                ),
            ]
        )
    header = [
        "messages",
        "wall ms",
        "CPU ms",
        f"wall ms, whole round of {length}",
        "events loaded",
        "KiB per action call",
        *(f"{n} ms" for n in shown),
    ]
    ratio = means[-1] / means[0] if means and means[0] else float("nan")
    verdict = "met" if ratio <= GROWTH_TARGET else "NOT met"
    lines = [
        HEADING,
        "",
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}, by "
        f"`python -m benchmarks.long_conversation --messages {args.messages}"
        f"{' --whole-tracker' if args.whole_tracker else ''}"
        f"{' --rasa-states' if args.rasa_states else ''} --window {args.window}`: the "
        f"load benchmark's {len(SCRIPTS)} conversations (every journey, both languages, "
        f"{length} messages) played round after round under one conversation id, "
        f"{len(measured)} messages, one at a time, in one process with the SQLite tracker "
        "store (as `make run`; `--window 0` loads the whole session, as Rasa does), the "
        "sandbox city and an action server in their own processes. Each row is the mean "
        f"of the first {WINDOW} messages of a round — the same messages each time, with "
        "more history behind them — and, for context, of the whole round; stage columns "
        "are wall time of the first messages.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        f"The same messages cost {ratio:.2f}× as much in the last round as in the first "
        f"(target ≤ {GROWTH_TARGET}×: {verdict}).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/city-assistant.tar.gz")
    parser.add_argument("--messages", type=int, default=224, help="4 rounds of the scripts")
    parser.add_argument("--actions-port", type=int, default=26055)
    parser.add_argument("--sandbox-port", type=int, default=26200)
    parser.add_argument("--report", type=Path, help="add or replace the section here")
    parser.add_argument(
        "--replies", type=Path, help="write every message and reply here (to compare runs)"
    )
    parser.add_argument(
        "--window",
        type=int,
        default=DEFAULT_KEEP_USER_MESSAGES,
        help="the tracker store's window_user_messages (0: load the whole session, as Rasa)",
    )
    parser.add_argument(
        "--whole-tracker",
        action="store_true",
        help="send the action server every event, as Rasa does (A/B of bot.action_payload)",
    )
    parser.add_argument(
        "--rasa-states",
        action="store_true",
        help="replay the whole history at every prediction, as Rasa does "
        "(A/B of bot.dialogue_states)",
    )
    args = parser.parse_args(argv)
    args.database_url = None
    args.endpoints = None
    if not (ROOT / args.model).exists():
        print(f"error: no trained model at {args.model}; run 'make train'", file=sys.stderr)
        return 2
    os.environ.setdefault("TRANSIT_NOW", TRANSIT_NOW)
    import bot.speedups  # installs what `rasa run` gets through bot/__init__

    if args.whole_tracker or args.rasa_states:
        bot.speedups.uninstall()
        bot.speedups.install(
            recent_events=not args.whole_tracker, replayed_states=not args.rasa_states
        )
    # Rounds replay the same texts: with the parse cache on, the later rounds would skip
    # parsing and look cheaper than the first for a reason unrelated to their history.
    from bot.parse_cache import ParseCache, use_cache

    use_cache(ParseCache(0))

    os.environ.setdefault("ACTION_SERVER_TOKEN", run_stack().action_token())
    stack = start_services(args)
    try:
        measured = asyncio.run(measure(args))
    finally:
        stack.stop()
    section = markdown(measured, args)
    print(section)
    if args.replies:
        args.replies.write_text(
            "".join(f"#{m.number} {m.reply}\n" for m in measured), encoding="utf-8"
        )
    if args.report:
        previous = args.report.read_text(encoding="utf-8") if args.report.exists() else ""
        args.report.write_text(replace_section(previous, HEADING, section), "utf-8")
        print(f"wrote {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
