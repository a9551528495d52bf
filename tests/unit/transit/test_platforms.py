"""Which platform to board at (actions/transit/platforms.py), on real feeds.

Caltrain gives each station's platforms a ``platform_code`` (NB, SB); New York's subway
names its platforms as its stations ("101N" is "Van Cortlandt Park-242 St"), so its
timetable says nothing of platforms, and the answer must say so rather than guess.
"""

from __future__ import annotations

import pytest
import respx
from rasa_sdk.executor import CollectingDispatcher

from actions.city import CityServices
from actions.transit.platforms import asks_platform, platform_of
from actions.transit.questions import ActionTransitDepartures, answer_transit_follow_up
from tests.factories import resident_says
from tests.factories.city import run_action
from tests.unit.transit.test_exonyms import feed
from tests.unit.transit.test_second_cities import CALTRAIN_MORNING, city_on, en


@pytest.fixture
def caltrain(tmp_path, monkeypatch) -> CityServices:
    return city_on("caltrain-2017", CALTRAIN_MORNING, tmp_path, monkeypatch)


@pytest.mark.parametrize(
    "text",
    ["在哪个月台上车？", "在哪边月台等？", "幾號月台呀", "which platform at palo alto for sunnyvale?",
     "what track does it leave from", "站台在哪里", "在哪个方向的站台上车？"],
)  # fmt: skip
def test_platform_questions_are_recognised(text: str) -> None:
    assert asks_platform(text)


@pytest.mark.parametrize(
    "text", ["在站台等了二十分钟一趟车都没来", "next train to palo alto", "月台上有人吸烟"]
)
def test_other_messages_do_not_ask_for_a_platform(text: str) -> None:
    assert not asks_platform(text)


def test_a_platform_code_is_the_platform() -> None:
    caltrain_feed = feed("caltrain-2017")
    assert platform_of(caltrain_feed, "70012") == "SB"  # San Francisco, southbound


def test_a_platform_named_as_its_station_tells_nothing() -> None:
    assert platform_of(feed("nyc-subway-2025"), "101N") is None


async def test_which_platform_for_a_trip_named_in_the_question(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [route], _ = await run_action(
        ActionTransitDepartures(),
        en("which platform at palo alto for sunnyvale?", "transit_next_departure"),
    )
    assert route["response"] == "utter_transit_route"
    assert "board at Palo Alto Caltrain (platform SB)" in route["legs"]


async def test_which_platform_at_a_station_names_each_ways_platform(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    board, platforms = (
        await run_action(
            ActionTransitDepartures(),
            en("which platform at palo alto?", "transit_next_departure"),
        )
    )[0]
    assert board["response"] == "utter_transit_departures"
    assert platforms["response"] == "utter_transit_platforms"
    assert "platform SB" in platforms["platforms"] and "platform NB" in platforms["platforms"]


async def test_which_platform_after_a_trip_is_that_trips_platform(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    # After "从 Palo Alto 去圣何塞的下一班火车几点？" (the model read the follow-up as a
    # permit question, whose action hands transit follow-ups here).
    palo_alto = "place:70171"
    tracker = resident_says(
        "在哪个月台上车？",
        "permit_apply",
        slots={"language": "zh", "last_topic": "transit", "transit_station": palo_alto,
               "transit_origin": palo_alto, "transit_destination": "place:70261"},
    )  # fmt: skip
    await caltrain.transit_feed()  # loaded at start-up, as the action server does
    dispatcher = CollectingDispatcher()
    assert await answer_transit_follow_up(dispatcher, tracker, {}) == []
    messages = dispatcher.messages
    assert [m["response"] for m in messages] == ["utter_transit_platforms"]
    assert "SB" in messages[0]["platforms"] and "NB" not in messages[0]["platforms"]


async def test_a_bus_networks_platforms_are_told_of_its_buses(
    tmp_path, monkeypatch, live: respx.MockRouter
) -> None:
    city_on("muroran-bus", "2020-06-10T08:00:00+09:00", tmp_path, monkeypatch)
    messages, _ = await run_action(
        ActionTransitDepartures(),
        en("which platform at muroran station?", "transit_next_departure"),
    )
    platforms = messages[-1]
    assert platforms["response"] == "utter_transit_platforms", messages
    assert platforms["vehicles"] == "buses"
