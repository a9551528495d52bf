"""Loading a GTFS feed: fast on the Shenzhen Metro, lenient with untidy files, strict on broken ones."""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import respx

from actions.clients import http
from actions.clients.errors import ServiceUnavailable
from actions.clients.gtfs import (
    GtfsError,
    TransitFeed,
    departures,
    fare_between,
    find_stops,
    load_feed,
    normalise_name,
    parse_feed,
    parse_zip,
    routes_serving,
    services_on,
)
from tests.factories.gtfs import as_zip, shenzhen_zip, tiny_feed

TUESDAY = dt.date(2026, 11, 24)
NATIONAL_DAY = dt.date(2026, 10, 1)  # a Thursday, run as a Sunday
FEED_URL = "https://transit.example.gov/gtfs/feed.zip"


@pytest.fixture(scope="module")
def shenzhen() -> TransitFeed:
    return parse_zip(shenzhen_zip())


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"


# --------------------------------------------------------------------------- the Shenzhen feed


def test_the_shenzhen_feed_loads_well_within_start_up_time() -> None:
    data = shenzhen_zip()
    started = time.perf_counter()
    feed = parse_zip(data)
    assert time.perf_counter() - started < 5
    assert sum(len(calls) for calls in feed.stop_times.values()) > 90_000
    assert feed.timezone == "Asia/Shanghai" and feed.language == "zh"


def test_a_station_is_found_by_its_chinese_english_or_loosely_typed_name(
    shenzhen: TransitFeed,
) -> None:
    for query in ("罗湖", "Luohu", "luohu station", "罗湖站", " ＬＵＯＨＵ "):
        assert [s.stop_id for s in find_stops(shenzhen, query)] == ["luohu"], query
    [station] = find_stops(shenzhen, "Shenzhen North Station")
    assert (
        station.name_in("zh") == "深圳北站" and station.name_in("en-GB") == "Shenzhen North Station"
    )
    assert find_stops(shenzhen, "Gotham Central") == ()


def test_routes_at_a_transfer_station_include_every_line_calling_there(
    shenzhen: TransitFeed,
) -> None:
    [station] = find_stops(shenzhen, "前海湾")
    assert [r.short_name for r in routes_serving(shenzhen, station.stop_id)] == ["1", "5", "11"]
    assert routes_serving(shenzhen, "nowhere") == ()


def test_next_departures_from_a_station_follow_the_weekday_timetable(
    shenzhen: TransitFeed,
) -> None:
    [luohu] = find_stops(shenzhen, "Luohu")
    after_8 = departures(shenzhen, luohu.stop_id, TUESDAY, 8 * 3600, limit=3)
    assert [_hhmm(d.departure_s) for d in after_8] == ["08:02", "08:05", "08:08"]
    first = after_8[0]
    assert first.route.short_name == "1" and first.headsign == "机场东"
    assert (first.stop_id, first.stop_sequence) == ("luohu_L1", 1)
    assert shenzhen.headsign_names(first.trip)["en"] == "Airport East"
    assert first.at(shenzhen.timezone).isoformat() == "2026-11-24T08:02:00+08:00"


def test_a_public_holiday_runs_the_weekend_timetable(shenzhen: TransitFeed) -> None:
    assert services_on(shenzhen, TUESDAY) == {"weekday"}
    assert services_on(shenzhen, NATIONAL_DAY) == {"weekend"}
    [d] = departures(shenzhen, "luohu", NATIONAL_DAY, 8 * 3600, limit=1)
    assert d.trip.service_id == "weekend"


def test_the_fare_between_two_stations_comes_from_the_zone_rules(shenzhen: TransitFeed) -> None:
    fare = fare_between(shenzhen, "luohu", "guomao")
    assert fare is not None and (fare.price, fare.currency) == (Decimal("2.00"), "CNY")
    across = fare_between(shenzhen, "luohu", "jichangdong")
    assert across is not None and across.price > fare.price


# --------------------------------------------------------------------------- untidy but readable


def test_a_bom_extra_columns_quotes_and_short_rows_are_read() -> None:
    stops = (
        "\ufeffstop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station,"
        "wheelchair_boarding,x_operator_note\n"
        'A,甲站,22.5,114.0,,1,,1,"note, with a comma"\n'
        "A1,甲站,22.5,114.0,ZA,0,A\n"
        '"B","乙",22.6,114.1,ZB\n'
    )
    feed = parse_feed(tiny_feed(stops=stops))
    assert feed.stops["B"].name == "乙" and feed.stops["B"].location_type == 0
    assert feed.stops["A1"].parent_station == "A"


def test_times_past_midnight_belong_to_the_previous_service_day() -> None:
    feed = parse_feed(tiny_feed())
    assert feed.stop_times["T2"][-1].arrival_s == 24 * 3600 + 5 * 60
    # Just after midnight on Wednesday, Tuesday's T2 has left A (23:55) and is still
    # running (arriving 24:05), so the next departure from A is Wednesday's first train.
    assert departures(feed, "A", dt.date(2026, 11, 25), 0, limit=5)[0].departure_s == 8 * 3600


def test_blank_intermediate_times_are_interpolated() -> None:
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,8:00:00,8:00:00,A1,1\n"
        "T1,,,B,2\n"
        "T1,8:20:00,8:20:00,A1,3\n"
        "T2,23:55:00,23:55:00,A1,1\n"
        "T2,24:05:00,24:05:00,B,2\n"
    )
    feed = parse_feed(tiny_feed(stop_times=stop_times))
    assert [c.arrival_s for c in feed.stop_times["T1"]] == [28800, 29400, 30000]


def test_optional_files_may_be_missing() -> None:
    feed = parse_feed(
        tiny_feed(
            calendar_dates=None,
            fare_attributes=None,
            fare_rules=None,
            translations=None,
            feed_info=None,
        )
    )
    assert feed.feed_info is None and feed.language == "zh"  # from agency_lang
    assert fare_between(feed, "A", "B") is None
    assert feed.stops["B"].names == {"zh": "乙"}


def test_translations_by_value_and_by_record_both_name_stops() -> None:
    feed = parse_feed(tiny_feed())
    assert find_stops(feed, "Jia")[0].stop_id == "A"
    assert find_stops(feed, "yi")[0].name_in("en") == "Yi"
    assert feed.routes["R"].name_in("en") == "Line 1"


def test_a_feed_zipped_inside_a_folder_loads() -> None:
    feed = parse_zip(as_zip(tiny_feed(), folder="tiny-feed/"))
    assert set(feed.trips) == {"T1", "T2"}


def test_names_are_compared_without_case_width_punctuation_or_station_suffix() -> None:
    assert normalise_name("Luohu Station") == normalise_name("ＬＵＯＨＵ") == "luohu"
    assert normalise_name("罗湖站") == "罗湖"
    assert normalise_name("Furnace Creek Resort (Demo)") == "furnacecreekresort"
    assert normalise_name("站") == "站"


def test_platforms_whose_station_was_cut_from_the_feed_are_kept_and_grouped() -> None:
    # An extract of a bigger feed (VBB's, in gtfstools) keeps each platform's parent id
    # but not the station: refusing the feed would leave the city with no transit at all.
    feed = parse_feed(
        tiny_feed(
            stops="stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
            "A1,甲站,22.5,114.0,ZA,0,900\n"
            "A2,甲站,22.5001,114.0001,ZA,0,900\n"
            "B,乙,22.6,114.1,ZB,0,901\n"
        )
    )
    assert feed.stops["A1"].parent_station == feed.stops["A2"].parent_station != "900"
    assert find_stops(feed, "甲站")[0].is_station
    assert any("parent_station that is not in stops.txt" in w for w in feed.report.warnings)


# --------------------------------------------------------------------------- broken feeds


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stop_times": None}, "stop_times.txt"),
        ({"calendar": None, "calendar_dates": None}, "calendar.txt or calendar_dates.txt"),
        ({"routes": "route_id,route_short_name\nR,1\n"}, "routes.txt: missing required column"),
        (
            {
                "stop_times": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                "T9,08:00:00,08:00:00,A1,1\n"
            },
            "line 2: trip_id 'T9' is not in trips.txt",
        ),
        (
            {
                "stop_times": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                "T1,08:00:00,08:00:00,Z,1\n"
            },
            "stop_id 'Z' is not in stops.txt",
        ),
        ({"trips": "route_id,service_id,trip_id\nR,HOLIDAY,T1\n"}, "service_id 'HOLIDAY'"),
        ({"trips": "route_id,service_id,trip_id\nX,WD,T1\n"}, "route_id 'X'"),
        ({"fare_rules": "fare_id,origin_id\nF9,ZA\n"}, "fare_id 'F9'"),
        (
            {
                "stop_times": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                "T1,8h00,8h00,A1,1\n"
            },
            "stop_times.txt line 2: '8h00' is not a time",
        ),
    ],
)
def test_a_broken_feed_is_refused_with_a_message_naming_the_problem(
    changes: dict[str, str | None], message: str
) -> None:
    with pytest.raises(GtfsError, match=re.escape(message)):
        parse_feed(tiny_feed(**changes))


def test_a_file_that_is_not_utf8_is_refused() -> None:
    files = tiny_feed()
    files["stops.txt"] = "stop_id,stop_name\nA,Zürich\n".encode("latin-1")
    with pytest.raises(GtfsError, match="stops.txt is not UTF-8"):
        parse_feed(files)


def test_bytes_that_are_not_a_zip_are_refused() -> None:
    with pytest.raises(GtfsError, match="not a zip"):
        parse_zip(b"<html>Service Unavailable</html>")


# --------------------------------------------------------------------------- loading


async def test_a_feed_loads_from_a_folder_or_a_zip_file(tmp_path: Path) -> None:
    for name, data in tiny_feed().items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "feed.zip").write_bytes(as_zip(tiny_feed()))
    from_folder = await load_feed(str(tmp_path))
    from_zip = await load_feed(str(tmp_path / "feed.zip"))
    assert from_folder.stops.keys() == from_zip.stops.keys() == {"A", "A1", "B"}
    with pytest.raises(GtfsError, match="no GTFS feed"):
        await load_feed(str(tmp_path / "missing.zip"))


@respx.mock
async def test_a_feed_loads_from_a_url_with_a_retry() -> None:
    route = respx.get(FEED_URL).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, content=as_zip(tiny_feed()))]
    )
    policy = http.TransportPolicy(get_retries=1, backoff_seconds=0)
    async with httpx.AsyncClient() as client:
        feed = await load_feed(FEED_URL, client=client, policy=policy)
    assert route.call_count == 2 and set(feed.routes) == {"R"}


@respx.mock
async def test_an_unreachable_feed_url_is_a_service_outage() -> None:
    respx.get(FEED_URL).mock(side_effect=httpx.ConnectError("refused"))
    policy = http.TransportPolicy(get_retries=0)
    async with httpx.AsyncClient() as client:
        with pytest.raises(ServiceUnavailable):
            await load_feed(FEED_URL, client=client, policy=policy)
