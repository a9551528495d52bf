"""The transit journey end to end: REST channel → Rasa → action server → sandbox GTFS/GTFS-RT.

The stack runs with TRANSIT_NOW pinned (see conftest), so the answers are those of a
weekday morning whatever time CI runs; delays and alerts are injected through the
sandbox's admin API, as a city's operations centre would publish them.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration import chat
from tests.integration.chat import say
from tests.integration.conftest import SANDBOX_PORT

pytestmark = pytest.mark.integration
SANDBOX = f"http://127.0.0.1:{SANDBOX_PORT}"
ADMIN = {"X-Admin-Key": "sandbox-admin-key"}


def new_sender() -> str:
    return chat.new_sender("transit")


@pytest.fixture()
def delayed_line_1(stack: str) -> Iterator[None]:
    answer = httpx.post(
        f"{SANDBOX}/admin/transit/delays",
        json={"route_id": "L1", "delay_minutes": 8, "minutes_valid": 60},
        headers=ADMIN,
        timeout=10,
    )
    assert answer.status_code in (200, 201), answer.text
    assert answer.json()["trips_affected_now"] > 0
    yield
    httpx.delete(f"{SANDBOX}/admin/transit/delays", headers=ADMIN, timeout=10)


@pytest.fixture()
def line_5_suspended(stack: str) -> Iterator[None]:
    answer = httpx.post(
        f"{SANDBOX}/admin/transit/alerts",
        json={
            "route_ids": ["L5"],
            "cause": "WEATHER",
            "effect": "NO_SERVICE",
            "header": {
                "zh": "受台风影响，5号线布吉至黄贝岭段暂停运营",
                "en": "Line 5 suspended between Buji and Huangbeiling (typhoon)",
            },
            "active_minutes": 120,
        },
        headers=ADMIN,
        timeout=10,
    )
    assert answer.status_code in (200, 201), answer.text
    alert_id = answer.json()["id"]
    yield
    httpx.delete(f"{SANDBOX}/admin/transit/alerts/{alert_id}", headers=ADMIN, timeout=10)


def test_next_departures_in_english(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "When is the next train at Chegongmiao?")
    assert "Chegongmiao" in reply and "Line 1" in reply and "08:0" in reply


def test_route_with_a_change_in_chinese(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "从罗湖到深圳北站怎么坐地铁")
    assert "罗湖 → 深圳北站" in reply and "换乘 1 次" in reply and "上车" in reply


def test_fare_between_two_stations_then_for_the_route_just_asked(client: httpx.Client) -> None:
    sender = new_sender()
    assert "元" in say(client, sender, "罗湖到机场多少钱")
    say(client, sender, "How do I get from Luohu to Shenzhen North Station?")
    assert "¥" in say(client, sender, "how much is the fare?")


def test_an_injected_delay_shows_on_the_board(client: httpx.Client, delayed_line_1: None) -> None:
    reply = say(client, new_sender(), "车公庙下一班地铁几点")
    assert "晚点8分钟" in reply


def test_an_injected_alert_is_told_in_the_riders_language(
    client: httpx.Client, line_5_suspended: None
) -> None:
    assert "Line 5 suspended" in say(client, new_sender(), "Is Line 5 running normally?")
    assert "5号线布吉至黄贝岭段暂停运营" in say(client, new_sender(), "5号线今天正常运行吗")
    assert "正常" in say(client, new_sender(), "1号线今天正常运行吗")


def test_an_unknown_station_is_named_back(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "next train at Hogwarts station")
    assert "Hogwarts" in reply
