"""The departure board on feeds that are not ours: Google's sample feed and tiny edited ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from actions.clients.gtfs.loading import read_feed
from actions.clients.gtfs.model import TransitFeed
from actions.clients.gtfs_realtime import TripDelay
from actions.transit.departures import first_board, headways, last_board, next_board
from actions.transit.wording import headway_text
from tests.factories.gtfs import SAMPLE_FEED, tiny_feed

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def sample() -> TransitFeed:
    return read_feed(SAMPLE_FEED)


def tiny(tmp_path: Path, **changes: str) -> TransitFeed:
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, data in tiny_feed(**changes).items():
        (folder / name).write_bytes(data)
    return read_feed(folder)


def times(board) -> list[list[str]]:
    return [[t.expected.strftime("%H:%M") for t in group.trains] for group in board.boards]


def test_frequency_trips_fill_at_least_three_per_direction(sample: TransitFeed) -> None:
    monday = dt.datetime(2008, 5, 5, 8, 0, tzinfo=LOS_ANGELES)
    board = next_board(sample, "STAGECOACH", monday)
    assert board.boards and all(len(group.trains) == 3 for group in board.boards)
    assert board.resumes_at is None


def test_a_day_removed_by_calendar_dates_points_to_the_next_service(sample: TransitFeed) -> None:
    removed = dt.datetime(2007, 6, 4, 8, 0, tzinfo=LOS_ANGELES)
    board = next_board(sample, "STAGECOACH", removed)
    assert board.resumes_at is not None and board.resumes_at.date() == dt.date(2007, 6, 5)
    ordinary = dt.datetime(2007, 6, 11, 8, 0, tzinfo=LOS_ANGELES)
    assert next_board(sample, "STAGECOACH", ordinary).resumes_at is None


def test_a_train_after_midnight_belongs_to_the_previous_service_day(tmp_path: Path) -> None:
    feed = tiny(tmp_path)
    just_after = dt.datetime(2026, 11, 25, 0, 1, tzinfo=SHANGHAI)  # Wednesday 00:01
    board = next_board(feed, "A", just_after)
    # T2 leaves A at 23:55 on Tuesday's clock: gone; the next is Wednesday 08:00, so the
    # board says service resumes then.
    assert board.resumes_at == dt.datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI)


def test_a_late_train_that_has_not_left_is_still_on_the_board(tmp_path: Path) -> None:
    feed = tiny(tmp_path)
    now = dt.datetime(2026, 11, 24, 8, 5, tzinfo=SHANGHAI)  # T1 was due at 08:00
    late = (TripDelay(trip_id="T1", route_id="R", delay_seconds=600),)
    board = next_board(feed, "A", now, late)
    first = board.boards[0].trains[0]
    assert first.departure.trip.trip_id == "T1"
    assert first.expected == dt.datetime(2026, 11, 24, 8, 10, tzinfo=SHANGHAI)
    assert next_board(feed, "A", now).boards[0].trains[0].departure.trip.trip_id == "T2"


def test_last_and_first_departure_of_the_day(tmp_path: Path) -> None:
    feed = tiny(tmp_path)
    morning = dt.datetime(2026, 11, 24, 7, 0, tzinfo=SHANGHAI)
    assert times(last_board(feed, "A", morning)) == [["23:55"]]
    assert times(first_board(feed, "A", morning)) == [["08:00"]]


def test_towards_keeps_only_trains_that_go_there(sample: TransitFeed) -> None:
    monday = dt.datetime(2008, 5, 5, 8, 0, tzinfo=LOS_ANGELES)
    board = next_board(sample, "BEATTY_AIRPORT", monday, towards=["AMV"])
    assert all(group.route.route_id == "AAMV" for group in board.boards)


def test_a_stop_with_no_service_gives_an_empty_board(tmp_path: Path) -> None:
    feed = tiny(tmp_path)
    saturday = dt.datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI)
    board = next_board(feed, "B", saturday)
    assert board.boards == ()


def test_one_line_filed_under_two_route_types_and_directions_is_one_row(tmp_path: Path) -> None:
    # VBB files each Havelbus line as route_type 3 and 700; a loop's both directions end
    # at the station. A rider sees "1 → 乙" once, with its times in order.
    feed = tiny(
        tmp_path,
        routes="route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "R,T,1,,1\nR4,T,1,,400\n",
        trips="route_id,service_id,trip_id,trip_headsign,direction_id\nR,WD,T1,乙,0\nR4,WD,T2,乙,1\n",
        translations="table_name,field_name,language,translation,field_value\n",
    )
    morning = dt.datetime(2026, 11, 24, 7, 0, tzinfo=SHANGHAI)
    assert times(next_board(feed, "A", morning)) == [["08:00", "23:55"]]


def test_how_often_is_each_lines_usual_gap_in_the_hour(sample: TransitFeed) -> None:
    monday = dt.datetime(2008, 5, 5, 8, 0, tzinfo=LOS_ANGELES)
    found = {h.route.route_id: h for h in headways(sample, "STAGECOACH", monday)}
    # frequencies.txt: the CITY loop every 600 s from 8:00, the shuttle every 1800 s
    assert found["CITY"].usual_gap == dt.timedelta(minutes=10)
    assert len(found["CITY"].trains) == 6
    assert found["STBA"].usual_gap == dt.timedelta(minutes=30)
    midday = dt.datetime(2008, 5, 5, 11, 0, tzinfo=LOS_ANGELES)
    later = {h.route.route_id: h for h in headways(sample, "STAGECOACH", midday)}
    assert later["CITY"].usual_gap == dt.timedelta(minutes=30)


def test_how_often_is_said_as_a_gap_or_as_the_few_times(sample: TransitFeed) -> None:
    monday = dt.datetime(2008, 5, 5, 8, 0, tzinfo=LOS_ANGELES)
    text = headway_text(headways(sample, "STAGECOACH", monday), sample, "en")
    assert "about every 10 min (6 in the hour), next 08:00" in text
    assert "2 in the hour: 08:00, 08:30" in text
    zh = headway_text(headways(sample, "STAGECOACH", monday), sample, "zh")
    assert "约每 10 分钟一班（一小时内 6 班），下一班 08:00" in zh
