"""The transit journey on Warsaw's commuter railway WKD, a feed the model never saw.

Polish names (Podkowa Leśna Główna), the operator's initials on its stations
("Pruszków WKD"), and three city-centre stations the feed lists but no trip calls at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import respx

from actions.city import CityServices
from actions.transit.questions import ActionTransitDepartures, ActionTransitRoute
from tests.factories.city import run_action
from tests.unit.transit.test_second_cities import city_on, en

#: A Tuesday of the weekday timetable, 08:10 in Warsaw.
WARSAW_MORNING = "2024-03-12T08:10:00+01:00"


@pytest.fixture
def warsaw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CityServices:
    return city_on("wkd-warsaw", WARSAW_MORNING, tmp_path, monkeypatch)


def after(
    asked: str, shown: str, response: str, again: str, intent: str, **slots: object
) -> object:
    """A tracker: the resident asked, the assistant answered with ``response``, and the
    resident wrote ``again``, read by the model as ``intent``."""
    from tests.factories import tracker_with

    return tracker_with(
        [
            {"event": "user", "text": asked, "parse_data": {"text": asked, "entities": []}},
            {"event": "bot", "text": shown, "metadata": {"utter_action": response}},
            {
                "event": "user",
                "text": again,
                "parse_data": {
                    "text": again,
                    "intent": {"name": intent, "confidence": 0.9},
                    "entities": [],
                },
            },
        ],
        slots={"language": "en", "last_topic": "transit", **slots},
    )


async def test_a_trip_to_a_station_no_train_calls_at_is_said_so(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    [said], _ = await run_action(
        ActionTransitRoute(),
        en("from podkowa glowna to warszawa srodmiescie wkd", "transit_route"),
    )
    assert said["response"] == "utter_transit_station_not_served", said
    assert said["station"] == "Warszawa Śródmieście WKD"


async def test_the_operators_initials_and_plain_letters_find_the_stations(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en("hi whens the next wkd from michalowice to rakow", "transit_next_departure"),
    )
    assert board["response"] == "utter_transit_departures", board
    assert board["station"] == "Michałowice"
    assert "Warszawa Reduta Ordona" in board["board"]


async def test_trains_towards_a_station_none_calls_at_are_said_none_then_every_way(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    said, _ = await run_action(
        ActionTransitDepartures(),
        en("next train from michalowice to srodmiescie", "transit_next_departure"),
    )
    assert [m["response"] for m in said] == [
        "utter_transit_station_not_served",
        "utter_transit_departures",
    ]
    assert "Warszawa Reduta Ordona" in said[1]["board"]


async def test_whether_the_network_runs_on_a_holiday_read_as_a_bare_answer(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleInform

    await warsaw.transit_feed()  # the action server loads it at start-up
    with respx.mock(
        base_url="http://127.0.0.1:8200/open311/v2", assert_all_called=False
    ) as open311:
        open311.get("/services.json").respond(json=[])
        [said], _ = await run_action(
            ActionHandleInform(), en("does the wkd run normally on 1 may and 3 may?", "inform")
        )
    # 1 May 2024 is a holiday: calendar_dates moves it onto the weekend timetable
    assert said["response"] == "utter_transit_service_day", said
    # the last runs after midnight, and says so as a clock would
    assert said["first"] == "04:00" and said["last"].endswith("after midnight"), said


async def test_a_station_no_train_calls_at_is_not_running_normally(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.transit.questions import ActionTransitAlerts

    [said], _ = await run_action(
        ActionTransitAlerts(), en("is warszawa zachodnia running normally?", "transit_alerts")
    )
    assert said["response"] == "utter_transit_station_not_served", said


async def test_the_same_question_at_another_hour_after_how_often(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleInform

    asked = "how often do trains go from pruszkow to reduta ordona on sunday?"
    again = "ok and around 11 in the morning?"
    tracker = after(
        asked,
        "How often they leave Pruszków WKD …",
        "utter_transit_headways",
        again,
        "inform",
        transit_station="prusz",
    )
    await warsaw.transit_feed()
    said, _ = await run_action(ActionHandleInform(), tracker)
    assert said[-1]["response"] == "utter_transit_headways", said
    assert said[-1]["time"] == "11:00"
    # still Sunday's timetable: a follow-up gives a new time, not a new day
    assert said[0]["response"] == "utter_transit_timetable_for"
    assert "Sun 17 Mar 2024" in said[0]["when"], said[0]


async def test_how_long_the_one_after_takes_is_that_ride(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleInform

    asked = "whens the next wkd from pruszkow to rakow"
    again = "ok i'll never make the 8:12. the one after that how long does it take"
    tracker = after(
        asked,
        "Pruszków WKD: next departures\n• A1 → Warszawa Reduta Ordona: 08:12",
        "utter_transit_departures",
        again,
        "inform",
        transit_station="prusz",
        transit_origin="prusz",
        transit_destination="wrako",
    )
    await warsaw.transit_feed()
    said, _ = await run_action(ActionHandleInform(), tracker)
    assert said[-1]["response"] == "utter_transit_route", said
    assert said[-1]["depart"] == "08:27" and said[-1]["arrive"] == "08:42"


def _after_the_board_at_rakow(question: str) -> object:
    board = (
        "Warszawa Raków: next departures\n"
        "• A1 → Grodzisk Mazowiecki Radońska: 17:57, 18:12, 18:27\n"
        "• A12 → Milanówek Grudów: 17:42, 18:42, 19:42"
    )
    asked = "and coming back tonight from rakow, im done around half 5"
    return after(
        asked, board, "utter_transit_departures", question, "inform", transit_station="wrako"
    )


async def test_whether_a_train_on_the_board_goes_somewhere_is_that_trains_answer(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleInform

    await warsaw.transit_feed()
    said, _ = await run_action(
        ActionHandleInform(),
        _after_the_board_at_rakow("is the 17:42 one going to grodzisk radonska?"),
    )
    assert said[0]["response"] == "utter_transit_that_one_does_not_go", said
    assert said[0]["headsign"] == "Milanówek Grudów"
    assert said[-1]["response"] == "utter_transit_route" and said[-1]["depart"] == "17:57"
    [yes], _ = await run_action(
        ActionHandleInform(), _after_the_board_at_rakow("does the 17:42 stop at komorow?")
    )
    assert yes["response"] == "utter_transit_that_one_goes", yes
    assert yes["destination"] == "Komorów"


async def test_a_lines_stations_are_listed_each_way_to_where_it_usually_ends(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleFallback

    await warsaw.transit_feed()
    said, _ = await run_action(
        ActionHandleFallback(),
        _zh("A12 線停哪些站？終點是哪裡？"),
    )
    assert said[0]["response"] == "utter_transit_line_stops", said
    first_way = said[0]["stations"].splitlines()[0]
    # most A12 trips end at Milanówek Grudów (a few run on to Grodzisk)
    assert first_way.startswith("• 往Milanówek Grudów：Warszawa Reduta Ordona")
    assert "共 19 站" in first_way


def _zh(text: str) -> object:
    from tests.factories import resident_says

    return resident_says(text, "nlu_fallback", confidence=0.5, slots={"language": "zh"})


async def test_the_way_back_at_its_own_time_is_not_the_earlier_questions_time(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleInform

    asked = "ok i'll never make the 8:12. the one after that how long does it take"
    back = "and coming back tonight, im done around half 5"
    tracker = after(
        asked,
        "Pruszków WKD → Warszawa Raków\\nLeave 08:27, arrive 08:42",
        "utter_transit_route",
        back,
        "inform",
        transit_origin="prusz",
        transit_destination="wrako",
    )
    await warsaw.transit_feed()
    said, _ = await run_action(ActionHandleInform(), tracker)
    assert said[-1]["response"] == "utter_transit_route", said
    assert said[-1]["origin"] == "Warszawa Raków" and said[-1]["depart"] >= "17:30"
    assert said[-1]["depart"] < "18:00"


async def test_towards_a_name_several_stations_share_only_those_served_count(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    said, slots = await run_action(
        ActionTransitDepartures(),
        en("next train from pruszkow to warsaw", "transit_next_departure"),
    )
    assert [m["response"] for m in said] == ["utter_transit_departures"], said
    assert "→ Warszawa Reduta Ordona" in said[0]["board"]
    # the trip remembered ends where trains go, not at a closed station
    assert slots.get("transit_destination") not in ("wsrod", "wocho", "wzach")


async def test_a_train_the_rider_will_miss_is_not_the_first_shown(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en(
            "ugh not gonna make the 8:12 from pruszkow to rakow, whats after that",
            "transit_next_departure",
        ),
    )
    # a trip with both ends: the ride after the one missed
    assert board["response"] == "utter_transit_route", board
    assert board["depart"] == "08:27"


async def test_a_train_to_be_missed_said_as_a_follow_up_is_not_shown_again(
    warsaw: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleOutOfScope

    asked = "next train from pruszkow"
    again = "ugh not gonna make the 8:12 whats after that"
    tracker = after(
        asked,
        "Pruszków WKD: next departures\n• A1 → Warszawa Reduta Ordona: 08:12",
        "utter_transit_departures",
        again,
        "out_of_scope",
        transit_station="prusz",
    )
    await warsaw.transit_feed()
    said, _ = await run_action(ActionHandleOutOfScope(), tracker)
    board = said[-1]
    assert board["response"] == "utter_transit_departures", said
    assert "08:12" not in board["board"]
