"""The transit journey on Fukuoka's subway, a feed the model never saw.

Three metro lines with kanji names and the older GTFS-JP translations.txt (English names
such as "Fukuokakuko(Airport)"); Tenjin (Airport Line) and Tenjin-minami (Nanakuma
Line) are two stations an 8-minute walk apart (transfers.txt joins them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import respx

from actions.city import CityServices
from actions.clients.gtfs.loading import read_feed
from actions.conversation import ActionHandleFallback, ActionHandleInform
from actions.transit.mentions import find_mentions
from actions.transit.questions import (
    ActionTransitAlerts,
    ActionTransitDepartures,
    ActionTransitFare,
    ActionTransitRoute,
)
from actions.transit.raptor import last_connection
from actions.transit.stops import StopIndex
from tests.factories import resident_says, tracker_with
from tests.factories.city import run_action
from tests.factories.gtfs import tiny_feed
from tests.unit.transit.test_second_cities import FEEDS, city_on, en

#: A Thursday of the weekday timetable, 08:10 in Fukuoka.
FUKUOKA_MORNING = "2019-06-13T08:10:00+09:00"


@pytest.fixture
def fukuoka(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CityServices:
    return city_on("fukuoka-subway", FUKUOKA_MORNING, tmp_path, monkeypatch)


async def test_a_trip_whose_line_leaves_from_a_station_nearby_starts_with_the_walk(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    [journey], _ = await run_action(
        ActionTransitRoute(), en("how do I get from Tenjin to Befu", "transit_route")
    )
    assert journey["response"] == "utter_transit_route", journey
    first, ride = journey["legs"].splitlines()
    assert first == "• Walk 8 min to Tenjin-minami"
    assert "board at Tenjin-minami" in ride and "get off at Befu" in ride
    assert journey["depart"] == "08:10" and journey["changes"] == "no changes"


async def test_two_stations_a_short_walk_apart_are_walked_between(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    [journey], _ = await run_action(
        ActionTransitRoute(), en("from Tenjin to Tenjin-minami?", "transit_route")
    )
    assert journey["response"] == "utter_transit_route", journey
    assert journey["legs"] == "• Walk 8 min to Tenjin-minami"


async def test_being_somewhere_before_a_time_plans_to_arrive_by_it(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    text = (
        "Im at Fukudai-mae, need to be at Hakata station before 9 for the shinkansen. fastest way?"
    )
    said, _ = await run_action(ActionTransitRoute(), en(text, "transit_route"))
    assert [m["response"] for m in said] == ["utter_transit_arrive_by", "utter_transit_route"]
    journey = said[-1]
    assert journey["destination"] == "Hakata" and journey["arrive"] <= "09:00", journey


@pytest.mark.parametrize(
    ("said", "station"),
    [
        ("Ohori park", "大濠公園"),  # "Ohorikoen": kōen is a park
        ("the airport", "福岡空港"),  # "Fukuokakuko(Airport)", the one airport of the feed
        ("Fukuoka airport", "福岡空港"),
        ("福冈机场", "福岡空港"),  # 空港 is 机场 in Chinese
    ],
)
def test_places_named_the_way_riders_say_them_are_found(said: str, station: str) -> None:
    feed = read_feed(FEEDS / "fukuoka-subway")
    [mention] = find_mentions(feed, StopIndex.for_feed(feed), f"from Tenjin to {said}")[1:]
    assert {stop.name for stop in mention.stops} == {station}


def test_the_last_connection_is_the_last_of_the_trains_leaving_after_midnight() -> None:
    # Westbound from Tenjin the weekday's last trains leave at 24:00 and 24:06.
    feed = read_feed(FEEDS / "fukuoka-subway")
    journey = last_connection(feed, "8", "6", dt.date(2019, 6, 13))  # 天神 -> 大濠公園
    assert journey is not None
    assert journey.departure.isoformat() == "2019-06-14T00:06:00+09:00"


async def test_and_from_another_station_is_the_same_trip_from_there(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    # After the trains from Tenjin to the airport, words the model could not place.
    await fukuoka.transit_feed()  # loaded at start-up, as the action server does
    message = resident_says(
        "and from hakata?",
        "nlu_fallback",
        slots={
            "language": "en",
            "last_topic": "transit",
            "transit_origin": "8",  # 天神
            "transit_destination": "13",  # 福岡空港
        },
    )
    [journey], _ = await run_action(ActionHandleFallback(), message)
    assert journey["response"] == "utter_transit_route", journey
    assert (journey["origin"], journey["destination"]) == ("Hakata", "Fukuokakuko(Airport)")


async def test_has_the_line_stopped_running_is_about_disruptions_not_where_it_calls(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    said, _ = await run_action(
        ActionTransitAlerts(),
        resident_says(
            "今天早上空港线是不是停了？？朋友说天神那边好像出了人身事故",
            "transit_alerts",
            slots={"language": "zh"},
        ),
    )
    assert said[0]["response"] == "utter_transit_running_normally", said


async def test_how_to_pay_is_the_operators_to_say(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    [reply], _ = await run_action(
        ActionTransitFare(), en("can I just tap my suica", "transit_fare")
    )
    assert reply["response"] == "utter_transit_payment_unknown"
    assert reply["operator"] == "福岡市地下鉄" and reply["phone"] == "092-734-7800"


async def test_a_childs_fare_asked_after_a_fare_is_the_operators_to_say(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    message = resident_says(
        "what about kids, my son is 8",
        "inform",
        slots={"language": "en", "last_topic": "transit", "transit_origin": "1"},
        after="utter_transit_fare",
    )
    [reply], _ = await run_action(ActionHandleInform(), message)
    assert reply["response"] == "utter_transit_concession_unknown"
    assert reply["who"] == "kids"
    # ...and with the trains at a station answered in between
    message.events[:0] = [
        {"event": "user", "text": "how much from Meinohama to Kaizuka"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_transit_fare"}},
        {"event": "user", "text": "do i need to change trains at nakasu kawabata?"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_transit_departures"}},
    ]
    del message.events[4]  # the bot reply resident_says put before the latest message
    [reply], _ = await run_action(ActionHandleInform(), message)
    assert reply["response"] == "utter_transit_concession_unknown"


async def test_do_i_change_at_a_station_between_is_the_trip_asked_before(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    message = resident_says(
        "do i need to change trains at nakasu kawabata?",
        "transit_next_departure",
        slots={"language": "en", "last_topic": "transit", "transit_origin": "1",
               "transit_destination": "19"},
        after="utter_transit_fare",
    )  # fmt: skip
    [journey], _ = await run_action(ActionTransitDepartures(), message)
    assert journey["response"] == "utter_transit_route", journey
    assert (journey["origin"], journey["destination"]) == ("Meinohama", "Kaizuka")


async def test_the_last_train_back_to_where_the_trip_started_is_the_trip_back(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    message = resident_says(
        "ok. last train back to tenjin tonight?",
        "transit_next_departure",
        slots={"language": "en", "last_topic": "transit", "transit_origin": "8",
               "transit_destination": "13"},
        after="utter_transit_route",
    )  # fmt: skip
    said, _ = await run_action(ActionTransitDepartures(), message)
    journey = said[-1]
    assert journey["response"] == "utter_transit_route", said
    assert (journey["origin"], journey["destination"]) == ("Fukuokakuko(Airport)", "Tenjin")
    assert journey["depart"] >= "23:00" or journey["depart"] < "01:00"


async def test_the_way_back_to_a_name_two_stations_share_is_to_the_trips_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: respx.MockRouter
) -> None:
    # "portici" is two stations of Naples's Circumvesuviana; the trip started at Bellavista.
    feed = tmp_path / "feed"
    feed.mkdir()
    files = tiny_feed(
        stops=(
            "stop_id,stop_name,stop_lat,stop_lon\n"
            "PB,Portici Bellavista,40.8220,14.3437\n"
            "PV,Portici Via Liberta,40.8168,14.3461\n"
            "PS,Pompei Scavi,40.7496,14.4856\n"
        ),
        routes="route_id,agency_id,route_short_name,route_long_name,route_type\nR1,T,1,,2\n",
        trips=(
            "route_id,service_id,trip_id,trip_headsign\n"
            "R1,WD,OUT,Sorrento\nR1,WD,BACK,Napoli\nR1,WD,LATE,Napoli\n"
        ),
        stop_times=(
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "OUT,08:00:00,08:00:00,PB,1\nOUT,08:05:00,08:05:00,PV,2\nOUT,08:30:00,08:30:00,PS,3\n"
            "BACK,18:00:00,18:00:00,PS,1\nBACK,18:25:00,18:25:00,PV,2\nBACK,18:30:00,18:30:00,PB,3\n"
            "LATE,22:00:00,22:00:00,PS,1\nLATE,22:25:00,22:25:00,PV,2\nLATE,22:30:00,22:30:00,PB,3\n"
        ),
        fare_rules=None,
    )
    for name, data in files.items():
        (feed / name).write_bytes(data)
    city_on(str(feed), "2026-11-24T09:00:00+08:00", tmp_path, monkeypatch)
    message = resident_says(
        "ok. last train back to portici tonight?",
        "transit_next_departure",
        slots={"language": "en", "last_topic": "transit", "transit_origin": "PB",
               "transit_destination": "PS"},
        after="utter_transit_route",
    )  # fmt: skip
    said, _ = await run_action(ActionTransitDepartures(), message)
    journey = said[-1]
    assert journey["response"] == "utter_transit_route", said
    assert (journey["origin"], journey["destination"]) == ("Pompei Scavi", "Portici Bellavista")
    assert journey["depart"] == "22:00"


async def test_the_first_one_from_a_station_after_a_fare_is_its_first_train_not_the_fare(
    fukuoka: CityServices, live: respx.MockRouter
) -> None:
    await fukuoka.transit_feed()
    message = tracker_with(
        [
            {"event": "user", "text": "how much", "parse_data": {"text": "how much"}},
            {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_transit_fare"}},
            {
                "event": "user",
                "text": "and the first one tomorrow morning from hakata?",
                "parse_data": {
                    "text": "and the first one tomorrow morning from hakata?",
                    "intent": {"name": "nlu_fallback", "confidence": 0.5},
                    "entities": [],
                },
            },
        ],
        slots={
            "language": "en",
            "last_topic": "transit",
            "transit_origin": "8",  # 天神
            "transit_destination": "13",  # 福岡空港
        },
    )
    said, _ = await run_action(ActionHandleFallback(), message)
    assert said[-1]["response"] != "utter_transit_fare", said
    assert "Hakata" in str(said[-1])
