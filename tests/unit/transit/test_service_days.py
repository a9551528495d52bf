"""Whether a line runs on a day, from the calendar: "does the 921 run on saturdays?"."""

from __future__ import annotations

import datetime as dt

import respx

from actions.city import CityServices
from actions.clients.gtfs import parse_feed
from actions.transit.questions import ActionTransitDepartures
from actions.transit.service_days import service_window
from tests.factories import resident_says
from tests.factories.city import run_action
from tests.factories.gtfs import tiny_feed

TUESDAY = dt.date(2026, 11, 24)
SATURDAY = dt.date(2026, 11, 28)


def test_a_weekday_only_line_has_no_trip_on_saturday() -> None:
    feed = parse_feed(tiny_feed())  # service WD: Monday to Friday
    assert service_window(feed, SATURDAY) is None
    assert service_window(feed, SATURDAY, ["R"]) is None


def test_a_running_day_gives_its_first_and_last_trips() -> None:
    feed = parse_feed(tiny_feed())
    assert service_window(feed, TUESDAY, ["R"]) == (8 * 3600, 23 * 3600 + 55 * 60)


def test_a_day_the_calendar_takes_out_has_no_trip() -> None:
    feed = parse_feed(tiny_feed())  # calendar_dates removes 1 Oct 2026
    assert service_window(feed, dt.date(2026, 10, 1)) is None


async def test_does_a_line_run_on_a_day_is_answered_from_the_calendar(
    city: CityServices, live: respx.MockRouter
) -> None:
    await city.transit_feed()
    [said], _ = await run_action(
        ActionTransitDepartures(),
        resident_says("does line 1 run on saturdays?", "transit_next_departure"),
    )
    assert said["response"] == "utter_transit_service_day", said
    assert said["first"] < said["last"]


async def test_christmas_is_a_day_the_calendar_answers(
    city: CityServices, live: respx.MockRouter
) -> None:
    feed = await city.transit_feed()
    christmas = dt.date(2026, 12, 25)
    assert feed.report.service_start <= christmas <= feed.report.service_end
    [said], _ = await run_action(
        ActionTransitDepartures(),
        resident_says("is line 1 running on christmas day?", "transit_next_departure"),
    )
    assert said["response"] == "utter_transit_service_day", said
    assert said["day"] == "Fri 25 Dec 2026"


async def test_a_day_past_the_timetables_end_is_not_said_to_have_no_trips(
    city: CityServices, live: respx.MockRouter
) -> None:
    feed = await city.transit_feed()
    after = feed.report.service_end + dt.timedelta(days=40)
    asked = f"does line 1 run on {after:%B} {after.day}?"
    [said], _ = await run_action(
        ActionTransitDepartures(), resident_says(asked, "transit_next_departure")
    )
    assert said["response"] == "utter_transit_day_outside_timetable", said
    assert str(feed.report.service_end.day) in said["end"]
