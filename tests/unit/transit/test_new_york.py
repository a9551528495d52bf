"""New York's subway names, as riders say them (tests/data/gtfs/nyc-subway-2025).

New York joins two names of a station with a dash ("Times Sq-42 St", "34 St-Penn
Station"), gives another in brackets ("Cathedral Pkwy (110 St)") and has stations of the
same name on two lines ("125 St"). Riders say either part; a number they type is meant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import respx

from actions.city import CityServices
from actions.clients.gtfs.loading import read_feed
from actions.transit.questions import (
    ActionTransitAlerts,
    ActionTransitDepartures,
    ActionTransitRoute,
)
from actions.transit.stops import MatchKind, StopIndex, find_stops_in_text, match_stop
from tests.unit.transit.test_second_cities import city_on, en

FEED = Path(__file__).resolve().parents[2] / "data" / "gtfs" / "nyc-subway-2025"
WEDNESDAY_MORNING = "2025-01-08T08:00:00-05:00"
OPEN311 = "http://127.0.0.1:8200/open311/v2"


@pytest.fixture(scope="module")
def index() -> StopIndex:
    return StopIndex.build(read_feed(FEED))


@pytest.fixture
def new_york(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CityServices:
    return city_on("nyc-subway-2025", WEDNESDAY_MORNING, tmp_path, monkeypatch)


def names_in(index: StopIndex, text: str) -> list[list[str]]:
    return [[stop.name for stop in m.stops] for m in find_stops_in_text(index, text)]


def test_either_part_of_a_joined_name_is_found_in_a_message(index: StopIndex) -> None:
    assert names_in(index, "how do i get from times sq to wall st") == [
        ["Times Sq-42 St"],
        ["Wall St"],
    ]
    assert names_in(index, "from penn station to 242nd st pls") == [
        ["34 St-Penn Station"],
        ["Van Cortlandt Park-242 St"],
    ]


def test_a_numbered_street_at_a_corner_is_that_street(index: StopIndex) -> None:
    text = "staying near 96th and broadway, interview at city college"
    assert names_in(index, text) == [["96 St"], ["137 St-City College"]]


def test_a_numbered_street_in_chinese_is_the_feeds_numbered_street(index: StopIndex) -> None:
    assert names_in(index, "我在96街上车 下一班几点") == [["96 St"]]
    assert names_in(index, "2号线停103街吗") == [["103 St"]]


def test_a_bracketed_name_shared_by_two_stations_names_both(index: StopIndex) -> None:
    found = match_stop(index, "110th st")
    assert found.kind is MatchKind.AMBIGUOUS
    assert {stop.name for stop in found.stops} == {
        "Cathedral Pkwy (110 St)",
        "Central Park North (110 St)",
    }


def test_a_number_typed_is_not_a_typo_of_another(index: StopIndex) -> None:
    # "110" is one edit from "116", and New York has both
    assert "116 St" not in {stop.name for stop in match_stop(index, "110th st").stops}


def test_a_part_of_one_word_is_no_station_in_running_text(index: StopIndex) -> None:
    # "Christopher St-Stonewall": "stonewall" alone is a word, not a place riders say
    assert names_in(index, "the stonewall inn is nice") == []


async def test_the_next_train_at_a_part_of_a_joined_name(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_departures("next train at times sq")
    assert board["response"] == "utter_transit_departures", board
    assert board["station"] == "Times Sq-42 St"


async def test_a_route_between_two_parts_of_joined_names(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from tests.factories.city import run_action

    messages, _ = await run_action(
        ActionTransitRoute(), en("how do i get from penn station to columbia", "transit_route")
    )
    journey = messages[-1]
    assert journey["response"] == "utter_transit_route", journey
    assert journey["origin"] == "34 St-Penn Station"
    assert journey["destination"] == "116 St-Columbia University"


async def run_departures(text: str):
    from tests.factories.city import run_action

    return await run_action(ActionTransitDepartures(), en(text, "transit_next_departure"))


async def test_no_live_feed_is_said_and_the_timetable_shown_at_the_station(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from tests.factories.city import run_action

    live.get("/alerts").respond(503)
    live.get("/trip-updates").respond(503)
    messages, slots = await run_action(
        ActionTransitAlerts(),
        en("is the 2 delayed rn?? been standing at chambers forever", "transit_alerts"),
    )
    assert [m["response"] for m in messages] == [
        "utter_transit_no_live_info",
        "utter_transit_departures",
    ]
    assert messages[0]["scope"] == "Line 2 (7 Avenue Express), Chambers St"
    assert messages[1]["station"] == "Chambers St"
    assert "Line 1" not in messages[1]["board"], messages[1]["board"]
    assert slots["transit_station"]


async def test_no_live_feed_and_no_station_asks_for_one(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from tests.factories.city import run_action

    live.get("/alerts").respond(503)
    [message], _ = await run_action(
        ActionTransitAlerts(), en("any delays on the subway?", "transit_alerts")
    )
    assert message["response"] == "utter_transit_no_live_info_ask_station"


async def test_a_city_without_live_feeds_answers_from_the_timetable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actions.settings import CityServicesSettings
    from tests.factories.city import city_for_tests, run_action

    section = {
        "gtfs_feed": str(FEED),
        "gtfs_rt_trip_updates_url": "none",
        "gtfs_rt_alerts_url": "none",
        "transit_now": WEDNESDAY_MORNING,
        "timezone": "America/New_York",
    }
    assert CityServicesSettings.from_sources(section, {}).gtfs_rt_alerts_url == "none"
    city_for_tests(tmp_path, monkeypatch, section, ["actions.transit.questions"])
    with respx.mock(assert_all_called=False) as network:
        [board], _ = await run_departures("next train at 96th st")
        messages, _ = await run_action(
            ActionTransitAlerts(), en("any delays at 96 st?", "transit_alerts")
        )
    assert not network.calls  # no live feed asked for
    assert board["response"] == "utter_transit_departures" and board["station"] == "96 St"
    assert [m["response"] for m in messages] == [
        "utter_transit_no_live_info",
        "utter_transit_departures",
    ]


def _after_a_board(question: str, follow_up: str, intent: str, language: str = "en") -> object:
    from tests.factories import tracker_with

    latest = {"text": follow_up, "intent": {"name": intent, "confidence": 0.6}, "entities": []}
    return tracker_with(
        [
            {"event": "user", "text": question, "parse_data": {"text": question, "entities": []}},
            {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_transit_departures"}},
            {"event": "user", "text": follow_up, "parse_data": latest},
        ],
        slots={"language": language, "last_topic": "transit", "transit_station": "120"},
    )


@pytest.mark.parametrize(
    ("follow_up", "intent", "kept", "dropped"),
    [
        # the 1 asked before stays the line; uptown is north: Van Cortlandt Park
        ("and uptown?", "nlu_fallback", "→ Van Cortlandt Park", "→ South Ferry"),
        ("那往上城呢", "inform", "→ Van Cortlandt Park", "→ South Ferry"),
        ("going north?", "inform", "→ Van Cortlandt Park", "Line 2"),
    ],
)
async def test_a_direction_alone_after_a_board_is_that_way_at_that_station(
    new_york: CityServices,
    live: respx.MockRouter,
    follow_up: str,
    intent: str,
    kept: str,
    dropped: str,
) -> None:
    from actions.conversation import ActionHandleFallback, ActionHandleInform
    from tests.factories.city import run_action

    await new_york.transit_feed()
    action = ActionHandleFallback() if intent == "nlu_fallback" else ActionHandleInform()
    tracker = _after_a_board("whens the next downtown 1 at 96 st", follow_up, intent)
    messages, _ = await run_action(action, tracker)
    board = messages[-1]
    assert board["response"] == "utter_transit_departures", messages
    assert board["station"] == "96 St"
    assert kept in board["board"] and dropped not in board["board"], board["board"]


async def test_downtown_is_south_at_the_station_asked(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_departures("whens the next downtwon 1 at 96 st")
    assert "→ South Ferry" in board["board"]
    assert "Van Cortlandt" not in board["board"] and "Line 2" not in board["board"]


async def test_a_direction_alone_read_as_a_delay_question_is_that_way_there(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from tests.factories.city import run_action

    await new_york.transit_feed()
    tracker = _after_a_board("next 1 at 96 st", "going uptown", "transit_alerts")
    [board], _ = await run_action(ActionTransitAlerts(), tracker)
    assert board["response"] == "utter_transit_departures"
    assert "→ Van Cortlandt Park" in board["board"] and "South Ferry" not in board["board"]


def _after_a_choice(follow_up: str, intent: str) -> object:
    from tests.factories import tracker_with

    question = "125 st 下一班往downtown的车几点"
    buttons = [
        {"title": "125 St（1）", "payload": '/transit_next_departure{"stop": "116"}'},
        {"title": "125 St（2）", "payload": '/transit_next_departure{"stop": "225"}'},
    ]
    latest = {"text": follow_up, "intent": {"name": intent, "confidence": 0.7}, "entities": []}
    return tracker_with(
        [
            {"event": "user", "text": question, "parse_data": {"text": question, "entities": []}},
            {
                "event": "bot",
                "text": "您说的“125 st”是指哪一个站？",
                "data": {"buttons": buttons},
                "metadata": {"utter_action": "utter_transit_station_ambiguous"},
            },
            {"event": "user", "text": follow_up, "parse_data": latest},
        ],
        slots={"language": "zh", "last_topic": "transit"},
    )


@pytest.mark.parametrize(
    ("typed", "intent", "line"),
    [
        ("1号线 broadway那个", "transit_alerts", "1号线"),
        ("the one on the 2", "inform", "2号线"),
        ("第二个", "nlu_fallback", "2号线"),
    ],
)
async def test_a_station_picked_in_words_is_the_button_it_names(
    new_york: CityServices, live: respx.MockRouter, typed: str, intent: str, line: str
) -> None:
    from actions.conversation import ActionHandleFallback, ActionHandleInform
    from tests.factories.city import run_action

    await new_york.transit_feed()
    action = {
        "transit_alerts": ActionTransitAlerts(),
        "inform": ActionHandleInform(),
        "nlu_fallback": ActionHandleFallback(),
    }[intent]
    messages, _ = await run_action(action, _after_a_choice(typed, intent))
    board = messages[-1]
    assert board["response"] == "utter_transit_departures", messages
    assert board["station"] == "125 St"
    assert line in board["board"] and board["board"].count("•") == 1, board["board"]


def test_the_start_of_a_name_followed_by_another_names_word_is_another_place() -> None:
    from actions.transit.mentions import find_mentions

    feed = read_feed(FEED)
    index = StopIndex.for_feed(feed)

    def found(text: str) -> list[str]:
        return [m.text for m in find_mentions(feed, index, text)]

    # "grand" begins Grand Army Plaza; "central" is a word of other names (Central Park
    # North): Grand Central is a station this feed does not have
    assert found("next 1 train at grand central?") == []
    assert found("next train at grand army") == ["grand army"]
    # its first word and its last, the words between left out
    assert found("flatbush college") == ["flatbush college"]


def _after_a_route(follow_up: str, origin: str, destination: str) -> object:
    from tests.factories import tracker_with

    question = "how do i get there"
    latest = {"text": follow_up, "intent": {"name": "inform", "confidence": 0.5}, "entities": []}
    return tracker_with(
        [
            {"event": "user", "text": question, "parse_data": {"text": question, "entities": []}},
            {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_transit_route"}},
            {"event": "user", "text": follow_up, "parse_data": latest},
        ],
        slots={
            "language": "en",
            "last_topic": "transit",
            "transit_origin": origin,
            "transit_destination": destination,
        },
    )


async def test_a_line_that_misses_the_destination_is_said_to_and_the_trip_kept(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleInform
    from tests.factories.city import run_action

    await new_york.transit_feed()
    # Times Sq-42 St -> Wall St: the 1 goes to South Ferry by another way
    with respx.mock(base_url=OPEN311, assert_all_called=False) as open311:
        open311.get("/services.json").respond(json=[])  # no problem in this message either
        messages, _ = await run_action(
            ActionHandleInform(), _after_a_route("cant i just take the 1", "127", "230")
        )
    assert messages[0]["response"] == "utter_transit_line_not_at_station", messages
    assert messages[0]["station"] == "Wall St"
    assert messages[-1]["response"] == "utter_transit_route"


async def test_a_line_that_serves_both_ends_shows_its_trains_that_way(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleInform
    from tests.factories.city import run_action

    await new_york.transit_feed()
    # 96 St -> 72 St: both lines call at both; the 1 asked
    with respx.mock(base_url=OPEN311, assert_all_called=False) as open311:
        open311.get("/services.json").respond(json=[])
        messages, _ = await run_action(
            ActionHandleInform(), _after_a_route("what about the 1", "120", "123")
        )
    board = messages[-1]
    assert board["response"] == "utter_transit_departures", messages
    assert board["station"] == "96 St"
    assert "Line 1" in board["board"] and "Line 2" not in board["board"]
    assert "Van Cortlandt" not in board["board"], board["board"]


async def test_a_line_and_a_way_at_one_station_the_model_missed_are_its_trains(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleFallback
    from tests.factories import resident_says
    from tests.factories.city import run_action

    await new_york.transit_feed()
    tracker = resident_says(
        "is there a 1 uptown from 96 st soon", "nlu_fallback", slots={"language": "en"}
    )
    with respx.mock(base_url=OPEN311, assert_all_called=False) as open311:
        open311.get("/services.json").respond(json=[])
        messages, _ = await run_action(ActionHandleFallback(), tracker)
    board = messages[-1]
    assert board["response"] == "utter_transit_departures", messages
    assert board["station"] == "96 St"
    assert "→ Van Cortlandt Park" in board["board"] and "Line 2" not in board["board"]


async def test_whether_a_line_stops_at_a_station_is_no_delay_question(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from tests.factories.city import run_action

    live.get("/alerts").respond(503)
    messages, _ = await run_action(
        ActionTransitAlerts(), en("does the 2 stop at 103 st?", "transit_alerts")
    )
    responses = [m["response"] for m in messages]
    assert responses[0] == "utter_transit_line_not_at_station", responses
    assert "utter_transit_no_live_info" not in responses


async def test_a_problem_on_streets_read_as_a_trip_is_reported(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    import json

    from tests.factories import entity, resident_says
    from tests.factories.city import run_action

    text = "fine. huge pothole on 35th st right in front of 1000 W 35th St. dont need to call me"
    tracker = resident_says(
        text,
        "transit_route",
        entities=[entity("complaint_category", "road_damage", text, text.find("pothole"))],
        slots={"language": "en"},
    )
    bloomington = FEED.parents[1] / "open311" / "bloomington-2018" / "services.json"
    with respx.mock(base_url=OPEN311, assert_all_called=False) as open311:
        open311.get("/services.json").respond(json=json.loads(bloomington.read_text()))
        messages, slots = await run_action(ActionTransitRoute(), tracker)
    assert messages == []  # no "no station called st"
    assert slots["complaint_description"] == text
    assert slots["complaint_location"].endswith("1000 W 35th St")


async def test_a_line_towards_a_name_of_two_stations_that_way_shows_its_trains(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from tests.factories.city import run_action

    await new_york.transit_feed()
    # "brooklyn" is two stations of the 2, both south of 96 St
    tracker = _after_a_board(
        "whens the next 1 at 96 st", "whats the 2 look like going to brooklyn", "transit_route"
    )
    messages, _ = await run_action(ActionTransitDepartures(), tracker)
    board = messages[-1]
    assert board["response"] == "utter_transit_departures", messages
    assert "Line 2" in board["board"] and "Line 1" not in board["board"], board["board"]
    assert "Wakefield" not in board["board"], board["board"]


async def test_the_same_read_as_out_of_scope(
    new_york: CityServices, live: respx.MockRouter
) -> None:
    from actions.conversation import ActionHandleOutOfScope
    from tests.factories.city import run_action

    await new_york.transit_feed()
    tracker = _after_a_board(
        "whens the next 1 at 96 st", "whats the 2 look like going to brooklyn", "out_of_scope"
    )
    with respx.mock(base_url=OPEN311, assert_all_called=False) as open311:
        open311.get("/services.json").respond(json=[])
        messages, _ = await run_action(ActionHandleOutOfScope(), tracker)
    assert messages[-1]["response"] == "utter_transit_departures", messages
