"""Reading the CSV files of a GTFS feed and the values in them.

GTFS files are RFC 4180 CSV in UTF-8, but publishers add a byte-order mark, reorder or add
columns, cut rows short and leave blank lines. :func:`parse_table` absorbs all of that and
keeps rows as plain lists (100 000 dicts would make loading several times slower); every
value error becomes a :class:`GtfsError` that names the file and line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import InvalidOperation
from types import MappingProxyType
from typing import TypeVar

T = TypeVar("T")


class GtfsError(ValueError):
    """The feed cannot be used as it is; the message names the file, line and value at fault."""


# --------------------------------------------------------------------------- CSV tables


@dataclass(frozen=True)
class CsvTable:
    """One file of the feed: its header and its rows, padded to the header's width."""

    name: str
    columns: Mapping[str, int]
    rows: Sequence[list[str]]

    def require(self, *names: str) -> None:
        missing = [n for n in names if n not in self.columns]
        if missing:
            raise GtfsError(f"{self.name}.txt: missing required column(s) {', '.join(missing)}")

    def getter(self, column: str) -> Callable[[list[str]], str]:
        """A fast accessor for one column; an absent optional column reads as ""."""
        index = self.columns.get(column)
        if index is None:
            return lambda row: ""
        return lambda row: row[index].strip()


def parse_table(name: str, data: bytes) -> CsvTable:
    """Read one GTFS file (UTF-8, optional BOM, RFC 4180 quoting)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GtfsError(f"{name}.txt is not UTF-8 (byte {error.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            return CsvTable(name, {}, ())
        columns = {column.strip().lstrip("\ufeff"): i for i, column in enumerate(header)}
        width = len(header)
        rows = []
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                row.extend([""] * (width - len(row)))
            rows.append(row)
    except csv.Error as error:
        raise GtfsError(f"{name}.txt line {reader.line_num}: {error}") from None
    return CsvTable(name, MappingProxyType(columns), tuple(rows))


# --------------------------------------------------------------------------- values


_time_cache: dict[str, int] = {}


def parse_gtfs_time(text: str) -> int | None:
    """Seconds after the service day's midnight for ``H:MM:SS``; None for a blank time.

    Hours may be 24 or more (a train after midnight on the previous day's service).
    """
    if not text:
        return None
    seconds = _time_cache.get(text)
    if seconds is not None:
        return seconds
    parts = text.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"{text!r} is not a time like 08:30:00")
    hours, minutes, secs = (int(p) for p in parts)
    if minutes > 59 or secs > 59:
        raise ValueError(f"{text!r} is not a time like 08:30:00")
    seconds = hours * 3600 + minutes * 60 + secs
    if len(_time_cache) < 100_000:
        _time_cache[text] = seconds
    return seconds


def parse_gtfs_date(text: str) -> dt.date:
    """A ``YYYYMMDD`` date."""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date like 20260101") from None


def optional_int(text: str, default: int | None = None) -> int | None:
    return int(text) if text else default


def optional_float(text: str) -> float | None:
    return float(text) if text else None


def build_rows(table: CsvTable, build: Callable[[list[str]], T]) -> list[T]:
    """Build one record per row, turning a bad value into a GtfsError with its line number."""
    records = []
    for line, row in enumerate(table.rows, start=2):
        try:
            records.append(build(row))
        except (ValueError, InvalidOperation) as error:
            raise GtfsError(f"{table.name}.txt line {line}: {error}") from None
    return records
