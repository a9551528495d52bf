"""Multi-turn scenarios: digressions, corrections, follow-ups, language switches, hostile input.

The held-out NLU sets measure single messages; residents hold conversations. Each
scenario here is a short conversation with a check on every reply: words the right answer
contains (any one of them, case-insensitive) and words it must not contain. The model is
loaded in this process as ``benchmarks.profile_turn`` loads it (same endpoints, NLG, a
fresh SQLite tracker store), with the sandbox city and an action server in their own
processes; each scenario gets a new conversation id. The scenarios were written from
what residents do, before running them, and are not training data.

Run: ``.venv/bin/python -m benchmarks.scenarios [--report docs/scenarios.md]``.

``--conversations FILE --replies OUT`` plays someone else's conversations instead, for a
person to review: a YAML list of ``{name, kind, turns: [{say, good_reply}]}``, where
``good_reply`` describes what a good answer does (no words are checked, so the report's
percentages only count empty replies); OUT holds each message, the description and the
reply.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load import TRANSIT_NOW
from benchmarks.profile_turn import endpoints_for, load_served_agent, run_stack, start_services
from benchmarks.transit_scale import machine

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.98
#: Words of a reply that admits it did not understand, or asks what the resident wants.
UNSURE = ("not sure", "sorry", "what would you like", "抱歉", "请问您", "没太明白", "哪方面")
RAMBLE = "今天先是去医院排了一上午的队，中午随便吃了点东西，下午又去银行办了点事，" * 40


@dataclass(frozen=True)
class Step:
    """One message and what its reply must (``expect``, any one) and must not contain."""

    message: str
    expect: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    #: What a good reply does, in words, for a person reviewing the replies.
    good: str = ""


@dataclass(frozen=True)
class Scenario:
    kind: str
    name: str
    steps: tuple[Step, ...]


#: Messages longer than this are shown by their beginning and end in the replies file.
SHOWN_CHARS = 400


def _shown(message: str) -> str:
    """The message for a reviewer: whole, unless it is a wall of text."""
    if len(message) <= SHOWN_CHARS:
        return message
    return f"{message[: SHOWN_CHARS // 2]} … {message[-SHOWN_CHARS // 2 :]}"


def _s(kind: str, name: str, *steps: Step) -> Scenario:
    return Scenario(kind, name, steps)


def step(message: str, *expect: str, forbid: tuple[str, ...] = ()) -> Step:
    return Step(message, expect, forbid)


SCENARIOS: tuple[Scenario, ...] = (
    _s("correction", "address corrected while the phone is asked (zh)",
       step("我家楼下的路灯坏了好几天了，晚上黑漆漆的", "位置"),
       step("南山区南海大道1088号", "电话"),
       step("不对，地址写错了，是南山区南海大道1099号", "更正", "电话"),
       step("不用留电话", "1099"),
       step("确认提交", "SR")),
    _s("correction", "address corrected while the phone is asked (en)",
       step("There's a deep pothole on Keyuan Road right by the bus stop", "where"),
       step("23 Keyuan Road, Nanshan", "phone"),
       step("sorry, wrong address, it's 25 Keyuan Road, Nanshan", "corrected", "phone"),
       step("no thanks", "25 Keyuan"),
       step("yes, please submit it", "SR")),
    _s("digression", "a metro question in the middle of a report (zh)",
       step("小区门口的垃圾好几天没人清了，味道很大", "位置"),
       step("对了，会展中心站下一班地铁几点", "会展中心"),
       step("罗湖区东门中路203号", "电话"),
       step("不用", "核对"),
       step("对", "SR")),
    _s("digression", "a fare question in the middle of a report (en)",
       step("There's a broken streetlight outside my building, it's been dark for days",
            "where"),
       step("by the way, how much is the metro from Futian to Luohu?", "¥"),
       step("88 Shennan Road, Futian", "phone"),
       step("no thanks", "check your report"),
       step("yes", "SR")),
    _s("follow-up", "last train after departures (zh)",
       step("请问会展中心站下一班地铁几点到", "会展中心"),
       step("那末班车呢", "末班")),
    _s("follow-up", "last train after departures (en)",
       step("when's the next metro from Shopping Park?", "Shopping Park"),
       step("and the last train?", "last departures")),
    _s("follow-up", "another permit after requirements (zh)",
       step("办居住证要准备哪些材料", "材料"),
       step("那护照呢", "护照")),
    _s("follow-up", "another permit after requirements (en)",
       step("What do I need to apply for a business licence?", "what to bring"),
       step("what about a passport?", "passport")),
    _s("follow-up", "the fare of the route just given (zh)",
       step("从福田去机场东坐地铁怎么走", "→"),
       step("那票价是多少", "元")),
    _s("language switch", "Chinese, then English, then Chinese",
       step("你好", "您好"),
       step("what documents do I need for a residence permit?", "what to bring"),
       step("谢谢", "不客气")),
    _s("language switch", "English, then Chinese",
       step("Hi", "hello"),
       step("港澳通行证办一次多少钱", "收费"),
       step("thanks", "welcome", "不客气")),
    _s("hostile", "markup and SQL are text, and the next question is answered",
       # Not understood, so the reply should say so or ask what is wanted.
       step("<script>alert(1)</script>", *UNSURE, forbid=("<script",)),
       step("' OR 1=1; DROP TABLE events; --", *UNSURE, forbid=("Traceback", "error")),
       step("营业执照需要什么材料", "材料")),
    _s("hostile", "a language the assistant does not serve",
       step("안녕하세요, 버스 시간표를 알고 싶어요", "中文或英文", "Chinese or English")),
    _s("hostile", "a rambling 3,000-character message with the request at its end",
       step(RAMBLE + "对了请问罗湖站的末班地铁是几点", "末班")),
    _s("hostile", "emoji only, then a real question",
       step("😀😀😀🙏🙏"),
       step("从福田去罗湖怎么坐地铁", "→")),
)  # fmt: skip


def conversations_from(path: Path) -> tuple[Scenario, ...]:
    """Conversations to review (module docstring), as scenarios without word checks."""
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Scenario(
            str(item.get("kind") or "review"),
            str(item.get("name") or f"conversation {number}"),
            tuple(
                Step(str(turn.get("say") or ""), good=str(turn.get("good_reply") or ""))
                for turn in item.get("turns") or ()
            ),
        )
        for number, item in enumerate(document, start=1)
    )


def check(step_: Step, reply: str) -> bool:
    """Whether ``reply`` passes the step's checks (an empty reply never does)."""
    folded = reply.casefold()
    if not reply.strip():
        return False
    if step_.expect and not any(word.casefold() in folded for word in step_.expect):
        return False
    return not any(word.casefold() in folded for word in step_.forbid)


async def play(args: argparse.Namespace) -> list[tuple[Scenario, list[tuple[Step, str, bool]]]]:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    agent = await load_served_agent(args.model, endpoints_for(args))
    results = []
    for number, scenario in enumerate(args.scenarios):
        sender = f"scenario-{time.time_ns()}-{number}"
        outcome = []
        for step_ in scenario.steps:
            output = CollectingOutputChannel()
            await agent.handle_message(
                UserMessage(step_.message, output, sender, input_channel="rest")
            )
            reply = "\n".join(
                str(m.get("text") or "")
                + "".join(f" [{b.get('title')}]" for b in m.get("buttons") or [])
                for m in output.messages
            )
            ok = check(step_, reply)
            if getattr(args, "trace", False):
                reply += await _trace(agent, sender)
            outcome.append((step_, reply, ok))
        results.append((scenario, outcome))
    return results


async def _trace(agent: object, sender: str) -> str:
    """What the assistant made of the latest message: intent, entities and actions run."""
    tracker = await agent.tracker_store.retrieve(sender)  # type: ignore[attr-defined]
    events = list(tracker.events) if tracker else []
    last_user = max((i for i, e in enumerate(events) if e.type_name == "user"), default=-1)
    if last_user < 0:
        return ""
    parsed = events[last_user].parse_data or {}
    intent = parsed.get("intent") or {}
    found = parsed.get("entities") or ()
    entities = ", ".join(f"{e.get('entity')}={e.get('value')}" for e in found)
    actions = [
        e.action_name
        for e in events[last_user + 1 :]
        if e.type_name == "action" and e.action_name != "action_listen"
    ]
    return (
        f"\n  <trace: {intent.get('name')} {float(intent.get('confidence') or 0):.2f}"
        f" [{entities}] -> {', '.join(actions)}>"
    )


def markdown(results: list[tuple[Scenario, list[tuple[Step, str, bool]]]]) -> str:
    kinds: dict[str, list[bool]] = {}
    for scenario, outcome in results:
        kinds.setdefault(scenario.kind, []).extend(ok for _, _, ok in outcome)
    every = [ok for oks in kinds.values() for ok in oks]
    share = sum(every) / len(every)
    lines = [
        "# Multi-turn scenarios",
        "",
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()} by "
        "`python -m benchmarks.scenarios` (see its docstring): "
        f"{len(results)} conversations, {len(every)} checked replies.",
        "",
        "| kind | checks | passed |",
        "|---|---:|---:|",
        *(
            f"| {kind} | {len(oks)} | {100 * sum(oks) / len(oks):.0f}% |"
            for kind, oks in kinds.items()
        ),
        f"| **all** | {len(every)} | **{100 * share:.1f}%** (target {100 * TARGET:.0f}%) |",
        "",
        f"A small set: each check is {100 / len(every):.1f} points. The scenarios are the "
        "project's own, written before they were run; the held-out multi-turn evaluation "
        "is another's.",
        "",
        "## Failed checks",
        "",
        "| scenario | message | expected | reply |",
        "|---|---|---|---|",
    ]
    for scenario, outcome in results:
        for step_, reply, ok in outcome:
            if not ok:
                message = step_.message if len(step_.message) < 80 else step_.message[-60:]
                lines.append(
                    f"| {scenario.name} | {message} | {' / '.join(step_.expect) or '–'} "
                    f"| {reply[:160].replace(chr(10), ' ').replace('|', '/')} |"
                )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/city-assistant.tar.gz")
    parser.add_argument("--actions-port", type=int, default=26055)
    parser.add_argument("--sandbox-port", type=int, default=26200)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--replies", type=Path, help="write every message and reply here")
    parser.add_argument("--conversations", type=Path, help="play these instead (docstring)")
    parser.add_argument(
        "--trace", action="store_true", help="add each turn's intent, entities and actions"
    )
    args = parser.parse_args(argv)
    args.scenarios = conversations_from(args.conversations) if args.conversations else SCENARIOS
    args.database_url = None
    args.endpoints = None
    if not (ROOT / args.model).exists():
        print(f"error: no trained model at {args.model}; run 'make train'", file=sys.stderr)
        return 2
    os.environ.setdefault("TRANSIT_NOW", TRANSIT_NOW)
    import bot.speedups  # noqa: F401 - as `rasa run` gets it through bot/__init__

    os.environ.setdefault("ACTION_SERVER_TOKEN", run_stack().action_token())
    stack = start_services(args)
    try:
        results = asyncio.run(play(args))
    finally:
        stack.stop()
    report = markdown(results)
    print(report)
    if args.replies:
        args.replies.write_text(
            "".join(
                f"[{'ok' if ok else 'FAIL'}] {scenario.name}\n> {_shown(step_.message)}\n"
                + (f"(good: {step_.good})\n" if step_.good else "")
                + f"{reply}\n\n"
                for scenario, outcome in results
                for step_, reply, ok in outcome
            ),
            encoding="utf-8",
        )
    if args.report:
        args.report.write_text(report, encoding="utf-8")
        print(f"wrote {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
