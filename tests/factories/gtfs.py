"""GTFS feeds for tests: the sandbox's Shenzhen Metro, Google's sample, and tiny edited ones."""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

from sandbox.gtfs_build import DEFAULT_NETWORK, Tables, build_feed, load_network, zip_bytes

SAMPLE_FEED = Path(__file__).resolve().parents[1] / "data" / "gtfs" / "sample-feed"

#: The smallest feed with one of everything the loader reads; tests change one file at a time.
TINY_FEED: dict[str, str] = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone,agency_lang\n"
    "T,Tiny Transit,https://tiny.example,Asia/Shanghai,zh\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,zone_id,location_type,parent_station\n"
    "A,甲站,22.5,114.0,,1,\n"
    "A1,甲站,22.5,114.0,ZA,0,A\n"
    "B,乙,22.6,114.1,ZB,0,\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    "R,T,1,一号线,1\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign,direction_id\n"
    "R,WD,T1,乙,0\n"
    "R,WD,T2,乙,0\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:00:00,08:00:00,A1,1\n"
    "T1,08:10:00,08:10:00,B,2\n"
    "T2,23:55:00,23:55:00,A1,1\n"
    "T2,24:05:00,24:05:00,B,2\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
    "start_date,end_date\n"
    "WD,1,1,1,1,1,0,0,20260101,20261231\n",
    "calendar_dates.txt": "service_id,date,exception_type\nWD,20261001,2\n",
    "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers\nF2,2.00,CNY,1,\n",
    "fare_rules.txt": "fare_id,origin_id,destination_id\nF2,ZA,ZB\n",
    "translations.txt": "table_name,field_name,language,translation,record_id,field_value\n"
    "stops,stop_name,en,Jia,,甲站\n"
    "stops,stop_name,en,Yi,B,\n"
    "routes,route_long_name,en,Line 1,,一号线\n"
    "trips,trip_headsign,en,Yi,,乙\n",
    "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang\n"
    "Tiny,https://tiny.example,zh\n",
}


def tiny_feed(**changes: str | None) -> dict[str, bytes]:
    """The tiny feed's files as bytes; ``stops="..."`` replaces stops.txt, ``None`` drops it."""
    files: dict[str, str | None] = dict(TINY_FEED)
    for name, text in changes.items():
        files[f"{name}.txt"] = text
    return {name: text.encode("utf-8") for name, text in files.items() if text is not None}


def as_zip(files: dict[str, bytes], folder: str = "") -> bytes:
    """Zip the files, optionally inside a folder as some publishers do."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"{folder}{name}", data)
    return buffer.getvalue()


@functools.cache
def shenzhen_tables() -> Tables:
    """The sandbox's feed tables, built once per test session (about two seconds)."""
    return build_feed(load_network(DEFAULT_NETWORK))


@functools.cache
def shenzhen_zip() -> bytes:
    """The bytes the sandbox serves at /gtfs/feed.zip."""
    return zip_bytes(shenzhen_tables())
