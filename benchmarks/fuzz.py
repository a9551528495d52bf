"""Fuzz the running assistant's channels for a fixed budget and report every status seen.

    python -m benchmarks.fuzz --base http://127.0.0.1:15005 --examples 3000 --report docs/fuzz.md

The stack must run with the WeChat settings of the integration tests (Tencent's
sample account in safe mode; tests/integration/conftest.py). The strategies are
those of the CI fuzz tests (tests/factories/hostile_input.py); here the budget is
large. Exit status 1 if any request got a 5xx or the server stopped answering.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import platform
import sys
import time
from pathlib import Path
from typing import Callable, Counter, Dict, List

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.rest_auth import rest_headers
from bot.channels.wechat_crypto import WeChatCipher, msg_signature
from bot.channels.wechat_messages import encrypted_reply_xml
from tests.factories.hostile_input import rest_bodies, wechat_bodies
from tests.unit.channels.wechat_samples import APP_ID, ENCODING_AES_KEY, TOKEN, signed_query

CIPHER = WeChatCipher(ENCODING_AES_KEY, APP_ID)


def run_target(
    name: str,
    examples: int,
    test: Callable[..., None],
    strategy: st.SearchStrategy,
    failures: List[str],
) -> float:
    started = time.monotonic()

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def fuzz(value: object) -> None:
        test(value)

    try:
        fuzz()
    except Exception as error:  # noqa: BLE001 - recorded in the report
        failures.append(f"{name}: {type(error).__name__}: {str(error)[:300]}")
    return time.monotonic() - started


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:15005")
    parser.add_argument("--examples", type=int, default=3000, help="per target")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args(argv)
    client = httpx.Client(base_url=args.base, timeout=30, headers=rest_headers())
    statuses: Dict[str, Counter[int]] = collections.defaultdict(collections.Counter)
    failures: List[str] = []

    def rest(body: bytes) -> None:
        answer = client.post(
            "/webhooks/rest/webhook", content=body, headers={"Content-Type": "application/json"}
        )
        statuses["REST channel"][answer.status_code] += 1
        assert answer.status_code < 500, answer.text[:200]

    def wechat(body: str) -> None:
        answer = client.post(
            "/webhooks/wechat/webhook",
            params=signed_query(),
            content=body.encode("utf-8", "surrogatepass"),
        )
        statuses["WeChat, signed plaintext"][answer.status_code] += 1
        assert answer.status_code < 500, answer.text[:200]

    def wechat_safe(plaintext: str) -> None:
        query = signed_query()
        encrypted = CIPHER.encrypt(plaintext.encode("utf-8", "replace").decode("utf-8"))
        signature = msg_signature(TOKEN, query["timestamp"], query["nonce"], encrypted)
        envelope = encrypted_reply_xml(encrypted, signature, query["timestamp"], query["nonce"])
        query.update(encrypt_type="aes", msg_signature=signature, openid="fuzz-openid")
        answer = client.post("/webhooks/wechat/webhook", params=query, content=envelope.encode())
        statuses["WeChat, valid safe-mode envelope"][answer.status_code] += 1
        assert answer.status_code < 500, answer.text[:200]

    timings = {
        "REST channel": run_target("REST", args.examples, rest, rest_bodies(), failures),
        "WeChat, signed plaintext": run_target(
            "WeChat", args.examples, wechat, wechat_bodies(), failures
        ),
        "WeChat, valid safe-mode envelope": run_target(
            "WeChat safe", args.examples, wechat_safe, wechat_bodies(), failures
        ),
    }
    alive = client.get("/ops/health").status_code == 200 and bool(
        client.post(
            "/webhooks/rest/webhook", json={"sender": "after-fuzz", "message": "你好"}
        ).json()
    )
    server_errors = sum(
        count for seen in statuses.values() for code, count in seen.items() if code >= 500
    )
    ok = alive and server_errors == 0 and not failures
    lines = [
        "# Fuzzing the channels",
        "",
        f"Run {dt.date.today()} on {platform.machine()}, {platform.python_version()}, by "
        f"`python -m benchmarks.fuzz --examples {args.examples}` against the stack of the "
        "integration tests (Hypothesis strategies in `tests/factories/hostile_input.py`: "
        "random bytes, random JSON, wrong types, huge messages, control characters, markup, "
        "entity-expansion XML, "
        "signed and encrypted envelopes around garbage). Hypothesis stops a target early when it "
        "has exhausted its ideas, so a target can show fewer requests than the budget.",
        "",
        "| target | requests | seconds | statuses seen | 5xx |",
        "|---|---:|---:|---|---:|",
    ]
    for name, seen in statuses.items():
        spread = ", ".join(f"{code}: {count}" for code, count in sorted(seen.items()))
        fives = sum(count for code, count in seen.items() if code >= 500)
        lines.append(
            f"| {name} | {sum(seen.values())} | {timings[name]:.0f} | {spread} | {fives} |"
        )
    lines += [
        "",
        f"Server still healthy and answering afterwards: **{'yes' if alive else 'NO'}**. "
        f"Server errors: **{server_errors}**. Crashes or failed properties: **{len(failures)}**.",
    ]
    lines += [f"- {failure}" for failure in failures]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.report:
        args.report.write_text(report, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
