"""Checks run while a feed loads: repair what has one meaning, drop what cannot be used, say so.

A city's feed is someone else's export, and a few bad rows are common. Refusing the whole
feed for them would leave every resident without a timetable, while loading them as they
are gives impossible answers ("leave 21:08, arrive 06:41"). So, row by row:

- **Times after midnight written as 00:xx.** GTFS writes them past 24:00:00 on the service
  day they belong to; some exporters wrap instead (23:40, 23:55, 00:10). A trip whose times
  step back by about a day gets 24 h added from that call on (:func:`unwrap_midnight`);
  any other step back cannot be guessed and the trip is dropped.
- **References to nothing.** A trip naming an unknown route or service, a stop time naming
  an unknown trip or stop: the row is dropped. When most rows of a file are bad the files
  do not belong together and the feed is refused (:func:`refuse_if_most`), as before.
- **Dates.** A feed whose services have all ended, or not yet begun, loads (a city may be
  between timetables) but says so.

:class:`Findings` collects this while :mod:`.parsing` reads, and freezes into the feed's
:class:`~actions.clients.gtfs.model.FeedReport`, which the logs and /health show.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from actions.clients.gtfs.model import FeedReport, ServiceCalendar
from actions.clients.gtfs.tables import GtfsError

DAY_S = 24 * 3600
#: A step back is a wrapped midnight when adding a day leaves a forward hop of at most this:
#: 23:50 -> 00:05 is a 15-minute hop; 08:20 -> 08:10 would be a 23 h 50 min one.
MAX_WRAPPED_HOP_S = 6 * 3600
#: Examples named per kind of finding; the counts say how many there were in all.
EXAMPLES = 3


class TimeOrder(enum.Enum):
    """What :func:`unwrap_midnight` made of a trip's times."""

    IN_ORDER = "in order"
    REPAIRED = "repaired"
    BACKWARDS = "backwards"


def unwrap_midnight(times: Sequence[int | None]) -> tuple[list[int | None], TimeOrder]:
    """A trip's times (arrival, departure, arrival, … in call order; None when blank) in order.

    Blank times are skipped over (they are interpolated later). Where a time is earlier
    than the one before by about a day, it and every later time get 24 h added, as the
    GTFS reference writes times after midnight; any other step back is ``BACKWARDS``.
    """
    fixed: list[int | None] = []
    offset = 0
    latest = -1
    order = TimeOrder.IN_ORDER
    for time in times:
        if time is None:
            fixed.append(None)
            continue
        time += offset
        if time < latest:
            if time + DAY_S - latest > MAX_WRAPPED_HOP_S:
                return list(times), TimeOrder.BACKWARDS
            offset += DAY_S
            time += DAY_S
            order = TimeOrder.REPAIRED
        fixed.append(time)
        latest = time
    return fixed, order


def refuse_if_most(file: str, rows: int, problems: Sequence[str]) -> None:
    """Raise :class:`GtfsError` with the first problem when most of a file's rows have one.

    A few bad rows are an exporter's slip; most of them mean the files do not belong
    together (the wrong stops.txt, ids renumbered in one file only), and a timetable built
    from the rest would be silently wrong.
    """
    if problems and 2 * len(problems) > rows:
        raise GtfsError(problems[0])


def service_dates(
    calendars: Mapping[str, ServiceCalendar], calendar_dates: Mapping[dt.date, Mapping[str, int]]
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day any service of the feed can run."""
    days = [c.start for c in calendars.values()] + [c.end for c in calendars.values()]
    days += [day for day, by_service in calendar_dates.items() if 1 in by_service.values()]
    return (min(days), max(days)) if days else (None, None)


def coverage_warning(start: dt.date | None, end: dt.date | None, today: dt.date) -> str | None:
    """A warning when no service of the feed can run on ``today``'s side of its dates."""
    if end is not None and end < today:
        return (
            f"every service in the feed ended on {end.isoformat()}: "
            "there is no timetable for today; the city should publish a new feed"
        )
    if start is not None and today < start:
        return f"no service in the feed starts before {start.isoformat()}: none runs today"
    return None


@dataclass
class Findings:
    """What parsing repaired and dropped so far; :meth:`report` freezes it for the feed."""

    repaired_trips: list[str] = field(default_factory=list)
    backwards_trips: list[str] = field(default_factory=list)
    #: trip_id -> why it was dropped: an unknown route or service, no time at an end.
    dropped_trips: dict[str, str] = field(default_factory=dict)
    #: stop_times rows dropped, as "stop_times.txt line N: …".
    dropped_rows: list[str] = field(default_factory=list)
    #: stops whose parent_station is not in stops.txt (kept as lone stops).
    orphan_stops: list[str] = field(default_factory=list)

    def dropped(self) -> set[str]:
        """Every trip left out of the feed, for whatever reason."""
        return {*self.backwards_trips, *self.dropped_trips}

    def report(
        self,
        calendars: Mapping[str, ServiceCalendar],
        calendar_dates: Mapping[dt.date, Mapping[str, int]],
        today: dt.date,
    ) -> FeedReport:
        start, end = service_dates(calendars, calendar_dates)
        warnings = []
        if self.repaired_trips:
            warnings.append(
                f"{len(self.repaired_trips)} trip(s) wrote times after midnight as 00:xx; "
                f"24 h added from midnight on (e.g. {_examples(self.repaired_trips)})"
            )
        if self.backwards_trips:
            warnings.append(
                f"{len(self.backwards_trips)} trip(s) dropped: their times run backwards "
                f"along stop_sequence (e.g. {_examples(self.backwards_trips)})"
            )
        if self.dropped_trips:
            warnings.append(
                f"{len(self.dropped_trips)} trip(s) dropped: "
                + "; ".join(
                    f"{t!r}: {why}" for t, why in list(self.dropped_trips.items())[:EXAMPLES]
                )
            )
        if self.dropped_rows:
            warnings.append(
                f"{len(self.dropped_rows)} stop_times row(s) dropped: "
                f"{'; '.join(self.dropped_rows[:EXAMPLES])}"
            )
        if self.orphan_stops:
            warnings.append(
                f"{len(self.orphan_stops)} stop(s) name a parent_station that is not in "
                f"stops.txt; grouped by name instead (e.g. {_examples(self.orphan_stops)})"
            )
        coverage = coverage_warning(start, end, today)
        if coverage:
            warnings.append(coverage)
        return FeedReport(
            repaired_trips=len(self.repaired_trips),
            dropped_trips=len(self.backwards_trips) + len(self.dropped_trips),
            dropped_rows=len(self.dropped_rows),
            warnings=tuple(warnings),
            service_start=start,
            service_end=end,
        )


def _examples(trip_ids: Sequence[str]) -> str:
    shown = ", ".join(repr(t) for t in trip_ids[:EXAMPLES])
    return shown + (", …" if len(trip_ids) > EXAMPLES else "")
