"""The whole assistant pointed at another city's real feed by configuration alone.

Sofia's buses (tests/data/gtfs/sofia-bus): Cyrillic names the model never saw, a bus-only
network without transfers.txt, stops sharing a name on both sides of a road. Set up as a
city integrator would: ``GTFS_FEED`` and ``TRANSIT_NOW`` for `make run`, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration import chat
from tests.integration.chat import REST_HEADERS, say
from tests.integration.conftest import ROOT, TOKEN, Ports, running_stack

pytestmark = pytest.mark.integration
SOFIA = ROOT / "tests" / "data" / "gtfs" / "sofia-bus"
#: Wednesday 15 January 2025, 08:00 in Sofia: the feed's service days.
SOFIA_MORNING = "2025-01-15T08:00:00+02:00"
CENTRAL = "Централна Гара"
SQUARE = "Пл. Сточна Гара"


@pytest.fixture(scope="module")
def sofia() -> Iterator[httpx.Client]:
    environment = {
        "GTFS_FEED": str(SOFIA),
        "TRANSIT_NOW": SOFIA_MORNING,
        "RASA_AUTH_TOKEN": TOKEN,
        "RASA_TELEMETRY_ENABLED": "false",
    }
    ports = Ports(16005, 16055, 16200, 16300)
    with (
        running_stack(ports, environment, nlu_worker=False) as url,
        httpx.Client(base_url=url, timeout=60, headers=REST_HEADERS) as client,
    ):
        yield client


def resident() -> str:
    return chat.new_sender("sofia")


def test_next_bus_at_a_stop_named_in_cyrillic_in_english(sofia: httpx.Client) -> None:
    reply = say(sofia, resident(), f"When is the next bus at {CENTRAL}?")
    assert f"{CENTRAL}: next departures" in reply
    assert "• A" in reply  # Sofia's lines are A44, A8…


def test_next_bus_in_chinese_with_a_cyrillic_stop(sofia: httpx.Client) -> None:
    reply = say(sofia, resident(), f"{CENTRAL}下一班公交车几点")
    assert f"{CENTRAL} 即将发车" in reply


def test_a_route_between_two_stops_the_model_never_saw_in_both_languages(
    sofia: httpx.Client,
) -> None:
    english = say(sofia, resident(), f"How do I get from {CENTRAL} to {SQUARE}?")
    assert f"{CENTRAL} → {SQUARE}" in english and "Leave" in english
    chinese = say(sofia, resident(), f"从{CENTRAL}到{SQUARE}怎么走")
    assert f"{CENTRAL} → {SQUARE}" in chinese and "出发" in chinese


def test_a_fare_question_on_these_stops_is_about_the_ride_not_a_permit(
    sofia: httpx.Client,
) -> None:
    reply = say(sofia, resident(), f"{CENTRAL}到{SQUARE}多少钱")
    # The feed has no fares: said as such, never a permit fee or "which permit?".
    assert "票价" in reply and "证" not in reply


def test_the_last_bus_follows_up_on_the_stop_just_asked_about(sofia: httpx.Client) -> None:
    sender = resident()
    say(sofia, sender, f"next bus at {CENTRAL}")
    reply = say(sofia, sender, "and the last bus?")
    assert f"{CENTRAL}: last departures of the day" in reply


def test_a_line_the_feed_does_not_have_is_named_as_missing(sofia: httpx.Client) -> None:
    reply = say(sofia, resident(), "Is Line 9 running normally?")
    assert "no line called “Line 9”" in reply and "A44" in reply


def test_replies_speak_of_buses_and_this_citys_stops(sofia: httpx.Client) -> None:
    sender = resident()
    reply = say(sofia, sender, "When is the next bus?")
    assert "Which stop do you mean?" in reply
    for shenzhen_word in ("Chegongmiao", "Luohu", "metro", "车公庙", "罗湖"):
        assert shenzhen_word not in reply
    assert "running normally" in say(sofia, resident(), "any disruptions on the buses today?")
