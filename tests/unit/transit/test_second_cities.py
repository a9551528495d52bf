"""The transit journey on other cities' real feeds, configured by settings alone.

Caltrain (rail; each station is two stops, one per direction, without a parent station),
Sofia's buses (Cyrillic names, no transfers.txt, night trips written 24:55 then 01:00) and
Muroran's buses (Japanese names, the older GTFS-JP translations.txt). The model never saw
their names: the stops are found from the feed (actions/transit/mentions.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import respx

from actions.city import CityServices
from actions.transit.questions import (
    ActionTransitAlerts,
    ActionTransitDepartures,
    ActionTransitFare,
    ActionTransitRoute,
)
from tests.factories import entity, resident_says
from tests.factories.city import city_for_tests, run_action
from tests.unit.transit.conftest import RT

FEEDS = Path(__file__).resolve().parents[2] / "data" / "gtfs"
#: Wednesdays with service in each feed, 08:00 local time.
CALTRAIN_MORNING = "2017-07-26T08:00:00-07:00"
SOFIA_MORNING = "2025-01-15T08:00:00+02:00"


def city_on(name: str, now: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CityServices:
    section = {
        "gtfs_feed": str(FEEDS / name),
        "gtfs_rt_trip_updates_url": f"{RT}/trip-updates",
        "gtfs_rt_alerts_url": f"{RT}/alerts",
        "transit_now": now,
        "timezone": "UTC",
    }
    return city_for_tests(tmp_path, monkeypatch, section, ["actions.transit.questions"])


@pytest.fixture
def caltrain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CityServices:
    return city_on("caltrain-2017", CALTRAIN_MORNING, tmp_path, monkeypatch)


@pytest.fixture
def sofia(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CityServices:
    return city_on("sofia-bus", SOFIA_MORNING, tmp_path, monkeypatch)


def en(text: str, intent: str, entities: list | None = None):
    return resident_says(text, intent, entities=entities or [], slots={"language": "en"})


def zh(text: str, intent: str):
    return resident_says(text, intent, slots={"language": "zh"})


async def test_next_train_lists_both_directions_of_a_station_split_in_two_stops(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [board], slots = await run_action(
        ActionTransitDepartures(),
        en("When is the next train at Palo Alto?", "transit_next_departure"),
    )
    assert board["response"] == "utter_transit_departures"
    assert board["station"] == "Palo Alto Caltrain"
    headsigns = {line.split("→")[1].split(":")[0].strip() for line in board["board"].splitlines()}
    assert len(headsigns) >= 2, board["board"]  # northbound and southbound platforms
    assert slots["transit_station"].startswith("place:")


async def test_the_next_train_towards_initials_named_before_the_station(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    # "SJ" is both San Jose stations; the destination came before the station asked about
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en("whens the next train to SJ from millbrae", "transit_next_departure"),
    )
    assert board["response"] == "utter_transit_departures", board
    assert board["station"] == "Millbrae Caltrain"
    assert "San Francisco" not in board["board"], board["board"]


async def test_the_first_train_going_south_is_the_southbound_one(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en("first train outta 22nd st going south?", "transit_next_departure"),
    )
    assert board["response"] == "utter_transit_first_departures", board
    assert "San Francisco" not in board["board"] and "San Jose" in board["board"], board["board"]


async def test_a_route_question_naming_one_station_shows_its_trains(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    messages, _ = await run_action(
        ActionTransitRoute(),
        en("is the train leaving hillsdale northbound around 8:15 a bullet?", "transit_route"),
    )
    board = messages[-1]
    assert board["response"] == "utter_transit_departures", board
    assert board["station"] == "Hillsdale Caltrain"
    assert "San Jose" not in board["board"] and "San Francisco" in board["board"], board["board"]


async def test_the_next_train_towards_a_stop_no_train_serves_shows_the_board(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    # "San Jose Caltrain Station" is served by the Tamien shuttle bus only
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en("next train from palo alto to san jose caltrain station", "transit_next_departure"),
    )
    assert board["response"] == "utter_transit_departures", board
    assert board["station"] == "Palo Alto Caltrain"


async def test_a_partial_entity_is_widened_to_the_whole_name_in_the_feed(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    text = "next train at 22nd St please"
    # The model marked only "St": the feed's name around it wins.
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en(text, "transit_next_departure", [entity("stop", "St", text)]),
    )
    assert board["response"] == "utter_transit_departures"
    assert board["station"] == "22nd St Caltrain"


async def test_a_route_between_two_multi_word_names_the_model_never_saw(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [journey], slots = await run_action(
        ActionTransitRoute(),
        en("How do I get from San Francisco to Mountain View?", "transit_route"),
    )
    assert journey["response"] == "utter_transit_route", journey
    assert journey["origin"] == "San Francisco Caltrain"
    assert journey["destination"] == "Mt View Caltrain"
    assert "Leave" not in journey["legs"] and journey["legs"].startswith("• ")


async def test_a_fare_between_two_stops_of_a_zone_fare_feed(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [fare], _ = await run_action(
        ActionTransitFare(), en("how much from Millbrae to San Jose Diridon", "transit_fare")
    )
    assert fare["response"] == "utter_transit_fare"
    assert fare["price"] in ("USD 3.75", "USD 5.75", "USD 7.75", "USD 9.75")


async def test_a_typo_in_a_stop_name_is_forgiven_inside_a_sentence(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_action(
        ActionTransitDepartures(), en("next train at Sunyvale", "transit_next_departure")
    )
    assert board["station"] == "Sunnyvale Caltrain"


async def test_a_cyrillic_stop_is_found_in_an_english_question(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en("When is the next bus at Централна Гара?", "transit_next_departure"),
    )
    assert board["response"] == "utter_transit_departures"
    assert board["station"] == "Централна Гара"


async def test_a_bus_network_is_spoken_of_as_buses_and_stops(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [normal], _ = await run_action(
        ActionTransitAlerts(), en("any disruptions today?", "transit_alerts")
    )
    assert normal["scope"] == "The bus network"
    [asked], _ = await run_action(
        ActionTransitDepartures(), en("when is the next bus?", "transit_next_departure")
    )
    assert asked["response"] == "utter_ask_transit_station"
    assert asked["place"] == "stop"
    assert asked["example"] and asked["example"] != "Chegongmiao"


async def test_a_line_the_feed_does_not_have_is_said_to_be_missing(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [reply], _ = await run_action(
        ActionTransitAlerts(), en("is Line 9 running normally?", "transit_alerts")
    )
    assert reply["response"] == "utter_transit_line_unknown"
    assert reply["line"] == "Line 9"
    assert "Its lines include" in reply["lines"]


async def test_a_route_in_chinese_between_cyrillic_stops(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [journey], _ = await run_action(
        ActionTransitRoute(), zh("从Централна Гара到Пл. Сточна Гара怎么走", "transit_route")
    )
    assert journey["response"] in ("utter_transit_route", "utter_transit_no_route"), journey
    assert journey["origin"] == "Централна Гара"
    assert journey["destination"] == "Пл. Сточна Гара"


async def test_a_night_trip_written_with_00_times_never_arrives_before_it_leaves(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    feed = await sofia.transit_feed()
    for calls in feed.stop_times.values():
        times = [c.arrival_s for c in calls]
        assert times == sorted(times)


async def test_a_line_code_on_its_own_narrows_the_board(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en("when is the next A44 at Централна Гара", "transit_next_departure"),
    )
    lines = board["board"].splitlines()
    assert lines and all(line.startswith("• A44 ") for line in lines), board["board"]


async def test_a_name_the_model_cut_into_words_is_one_unknown_place(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    text = "How do I get from Box Hill to Централна Гара?"
    cut = [entity("stop", "Box", text), entity("stop", "Hill", text)]
    [reply], _ = await run_action(ActionTransitRoute(), en(text, "transit_route", cut))
    assert reply["response"] == "utter_transit_station_unknown"
    assert reply["query"] == "Box Hill"


def test_two_stations_of_one_place_are_that_place_busiest_first() -> None:
    from actions.clients.gtfs.loading import read_feed
    from actions.transit.stops import MatchKind, StopIndex, match_stop

    # "San Jose Caltrain Station" (the shuttle's stop) lies beside San Jose Diridon: one
    # place to a rider, the trains' station first.
    feed = read_feed(FEEDS / "caltrain-2017")
    found = match_stop(StopIndex.for_feed(feed), "san jose")
    assert found.kind is MatchKind.EXACT
    assert found.stops[0].name == "San Jose Diridon Caltrain"
    assert len(found.stops) == 2


async def test_a_deadline_no_train_meets_is_said_and_the_first_connection_shown(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    # Gilroy has two weekday trains from Palo Alto, both in the afternoon.
    messages, _ = await run_action(
        ActionTransitRoute(),
        en("from palo alto to gilroy, need to be there by noon", "transit_route"),
    )
    cannot, route = messages
    assert cannot["response"] == "utter_transit_cannot_arrive_by"
    assert cannot["time"] == "12:00" and cannot["destination"] == "Gilroy Caltrain"
    assert route["response"] == "utter_transit_route" and route["depart"] > "12:00"


async def test_uptown_in_chinese_marked_as_a_stop_is_the_way_not_a_station(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: respx.MockRouter
) -> None:
    city_on("nyc-subway-2025", "2025-01-08T08:00:00-05:00", tmp_path, monkeypatch)
    text = "那從時代廣場坐1號線往上城呢？"
    tracker = resident_says(
        text, "transit_next_departure", slots={"language": "zh"},
        entities=[entity("stop", "上城", text)],
    )  # fmt: skip
    messages, _ = await run_action(ActionTransitDepartures(), tracker)
    assert messages[-1]["response"] == "utter_transit_departures", messages
    assert messages[-1]["station"] == "Times Sq-42 St"


HAVELBUS_MORNING = "2021-01-15T08:00:00+01:00"


async def test_a_feed_without_fares_says_so_at_once_and_who_knows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: respx.MockRouter
) -> None:
    # VBB's Havelbus extract has no fare files: asking where from and to would lead only
    # to "no fare for that trip".
    city_on("vbb-havelbus", HAVELBUS_MORNING, tmp_path, monkeypatch)
    said, _ = await run_action(
        ActionTransitFare(), en("how much is a ticket btw? cash on the bus ok?", "transit_fare")
    )
    assert [m["response"] for m in said] == ["utter_transit_fares_not_published"]
    assert said[0]["operator"] == "Havelbus Verkehrsgesellschaft mbH"


async def test_a_fare_from_a_station_to_itself_asks_for_the_trip(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    said, _ = await run_action(
        ActionTransitFare(), en("fare from palo alto to palo alto?", "transit_fare")
    )
    assert "utter_transit_fare_unknown" not in [m["response"] for m in said]


SAO_PAULO_MORNING = "2020-03-10T08:00:00-03:00"


async def test_one_station_asked_about_after_a_trip_from_it_gets_its_trains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: respx.MockRouter
) -> None:
    # After Vila Prudente -> São Lucas, "change to the green line there at vila prudente"
    # named one station, the trip's start: not "Vila Prudente and Vila Prudente".
    city_on("sao-paulo", SAO_PAULO_MORNING, tmp_path, monkeypatch)
    feed_stop = "9505541"  # Vila Prudente
    tracker = resident_says(
        "can i change to the green line there at vila prudente?",
        "transit_route",
        slots={"language": "en", "transit_origin": feed_stop, "transit_destination": feed_stop},
    )
    said, _ = await run_action(ActionTransitRoute(), tracker)
    responses = [m["response"] for m in said]
    assert "utter_transit_same_station" not in responses
    assert "utter_transit_departures" in responses


async def test_the_way_back_asked_from_the_trips_end_is_answered_not_looped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: respx.MockRouter
) -> None:
    # After Liberdade -> Faria Lima: "4号线是黄色那条对吧？从faria lima回来的话反过来坐就行？"
    # named Faria Lima only; the route and departures questions handed it to each other
    # until Python's recursion limit.
    city_on("sao-paulo", SAO_PAULO_MORNING, tmp_path, monkeypatch)
    text = "4号线是黄色那条对吧？从faria lima回来的话反过来坐就行？"
    tracker = resident_says(
        text,
        "transit_route",
        entities=[entity("route", "4号线", text)],
        slots={"language": "zh", "transit_origin": "18868", "transit_destination": "6311285"},
    )
    said, _ = await run_action(ActionTransitRoute(), tracker)
    assert said  # an answer, whatever it is, and no RecursionError


async def test_the_next_bus_counts_every_route_type_of_buses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: respx.MockRouter
) -> None:
    # VBB files the 651 as route_type 700 and the 652 as 3: "next bus" is both
    city_on("vbb-havelbus", HAVELBUS_MORNING, tmp_path, monkeypatch)
    [board], _ = await run_action(
        ActionTransitDepartures(),
        en("next bus from rathausplatz to the station", "transit_next_departure"),
    )
    assert "651 → Falkensee, Bahnhof" in board["board"]
    assert "652 → Falkensee, Bahnhof: 08:04" in board["board"]


async def test_a_number_typed_is_no_stop_id_however_the_feed_numbers_its_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: respx.MockRouter
) -> None:
    # SPTrans has a stop whose id is 156, São Paulo's hotline number
    city_on("sao-paulo", SAO_PAULO_MORNING, tmp_path, monkeypatch)
    text = "ok whatever. 156 is open now at least?"
    said, _ = await run_action(
        ActionTransitDepartures(),
        resident_says(
            text,
            "transit_next_departure",
            entities=[entity("stop", "156", text)],
            slots={"language": "en"},
        ),
    )
    assert all("R. Oriente" not in str(m.get("station", "")) for m in said)


async def test_an_alerts_guess_naming_two_stations_and_no_trouble_is_the_trip(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [journey], _ = await run_action(
        ActionTransitAlerts(),
        en("trains from Palo Alto to San Francisco this morning?", "transit_alerts"),
    )
    assert journey["response"] == "utter_transit_route", journey


async def test_a_ride_without_changing_is_the_first_direct_train_though_it_arrives_later(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    # The fastest way at 08:00 changes from a local to a bullet; the 08:15 local goes on.
    said, _ = await run_action(
        ActionTransitRoute(),
        en("San Francisco to Redwood City without changing trains?", "transit_route"),
    )
    assert [m["response"] for m in said] == ["utter_transit_direct_ride", "utter_transit_route"]
    assert said[1]["changes"] == "no changes" and said[1]["depart"] == "08:15", said[1]
    assert len(said[1]["legs"].splitlines()) == 1


async def test_is_there_a_way_without_switching_after_a_trip_asks_that_trip_in_one_ride(
    caltrain: CityServices, live: respx.MockRouter
) -> None:
    [first], slots = await run_action(
        ActionTransitRoute(), en("from San Francisco to Redwood City", "transit_route")
    )
    assert first["changes"] == "1 change", first
    said, _ = await run_action(
        ActionTransitRoute(),
        resident_says("is there a way without switching trains?", "transit_route", slots=slots),
    )
    assert [m["response"] for m in said] == ["utter_transit_direct_ride", "utter_transit_route"]
    assert said[1]["origin"] == "San Francisco Caltrain"
    assert said[1]["changes"] == "no changes"


async def test_how_often_a_line_comes_with_no_stop_is_answered_at_its_hub(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [reply], slots = await run_action(
        ActionTransitDepartures(), en("how often does the A44 come", "transit_next_departure")
    )
    assert reply["response"] == "utter_transit_headways", reply
    lines = reply["headways"].splitlines()
    assert lines and all(line.startswith("• A44 ") for line in lines), reply["headways"]
    assert reply["station"] and slots.get("transit_station")  # where, named and kept


async def test_which_bus_goes_to_a_place_lists_the_lines_that_call_there(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [reply], _ = await run_action(
        ActionTransitRoute(), en("which bus goes to Централна Гара", "transit_route")
    )
    assert reply["response"] == "utter_transit_lines_to", reply
    assert reply["destination"] == "Централна Гара"
    assert reply["lines"] and reply["example_from"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("first and last A44 from Централна Гара?", "en"),
        ("A44 从 Централна Гара 的首班和末班是几点？", "zh"),
    ],
)
async def test_the_first_and_the_last_asked_together_are_both_answered(
    sofia: CityServices, live: respx.MockRouter, text: str, language: str
) -> None:
    tracker = resident_says(text, "transit_next_departure", slots={"language": language})
    messages, _ = await run_action(ActionTransitDepartures(), tracker)
    said = [m["response"] for m in messages]
    assert said == ["utter_transit_first_departures", "utter_transit_last_departures"], said


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CityServices:
    return city_on("sample-feed", "2008-06-04T08:00:00-07:00", tmp_path, monkeypatch)


async def places_of(city: CityServices, text: str, *stops: str) -> list[str]:
    from actions.transit.places import places_in
    from actions.transit.stops import StopIndex

    feed = await city.transit_feed()
    entities = [
        {"entity": "stop", "value": s, "start": text.index(s), "end": text.index(s) + len(s)}
        for s in stops
    ]
    found = places_in(feed, StopIndex.for_feed(feed), {"text": text, "entities": entities})
    return [p.station.name if p.station else f"?{p.query}" for p in found.all]


async def test_the_two_streets_of_a_corner_are_the_stop_named_after_it(demo: CityServices) -> None:
    text = "我在 North Ave 跟 D Ave N 这边，下一班车几点？"
    assert await places_of(demo, text, "North Ave", "D Ave N") == ["North Ave / D Ave N (Demo)"]


async def test_the_airport_in_chinese_is_the_feeds_airport(demo: CityServices) -> None:
    text = "从 Bullfrog 去機場怎么走"
    names = await places_of(demo, text, "Bullfrog", "機場")
    assert names[-1] == "Nye County Airport (Demo)", names


async def test_downtown_said_before_the_stop_in_it_is_that_stop(demo: CityServices) -> None:
    text = "去市中心 Furnace Creek Resort 最早坐哪班？"
    names = await places_of(demo, text, "市中心", "Furnace Creek Resort")
    assert names == ["Furnace Creek Resort (Demo)"], names


@pytest.mark.parametrize(
    ("text", "language"),
    [("然后再去 Furnace Creek Resort 呢", "zh"), ("and then on to Furnace Creek Resort?", "en")],
)
async def test_the_next_leg_of_a_trip_leaves_from_where_it_went(
    demo: CityServices, live: respx.MockRouter, text: str, language: str
) -> None:
    # After Nye County Airport → Bullfrog: the next leg is from Bullfrog.
    tracker = resident_says(
        text,
        "transit_route",
        entities=[entity("stop", "Furnace Creek Resort", text)],
        slots={
            "language": language,
            "transit_origin": "BEATTY_AIRPORT",
            "transit_destination": "BULLFROG",
        },
    )
    with respx.mock(base_url="http://127.0.0.1:8200/open311/v2", assert_all_called=False) as city:
        city.get("/services.json").respond(json=[])  # a message may tell a problem
        said, _ = await run_action(ActionTransitRoute(), tracker)
    answers = ("utter_transit_route", "utter_transit_no_route")
    journey = next(m for m in said if m["response"] in answers)
    assert journey["origin"] == "Bullfrog (Demo)", journey


@pytest.mark.parametrize(
    "text",
    ["someone just fainted on the platform at Trindade, what do I do??", "站台上有个老人晕倒了"],
)
async def test_someone_hurt_at_a_station_is_told_whom_to_call_not_the_trains(
    demo: CityServices, live: respx.MockRouter, text: str
) -> None:
    messages, _ = await run_action(ActionTransitDepartures(), en(text, "transit_next_departure"))
    assert [m["response"] for m in messages] == ["utter_emergency"]


async def test_a_line_asked_towards_a_place_with_no_stop_is_answered_at_its_hub(
    sofia: CityServices, live: respx.MockRouter
) -> None:
    [reply], _ = await run_action(
        ActionTransitDepartures(),
        en("how often does the A44 run towards Централна Гара?", "transit_next_departure"),
    )
    assert reply["response"] == "utter_transit_headways", reply
    assert reply["station"] != "Централна Гара"
    lines = reply["headways"].splitlines()
    assert lines and all("A44" in line and "Централна Гара" in line for line in lines), lines
