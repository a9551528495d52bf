"""The city's static transit timetable (GTFS), loaded once and queried in every transit turn.

- :func:`load_feed` reads a feed from a URL, zip or folder into an immutable
  :class:`TransitFeed` (see :mod:`.loading`, :mod:`.parsing`, :mod:`.model`);
- :func:`find_stops`, :func:`routes_serving`, :func:`departures`, :func:`fare_between` and
  :func:`services_on` answer residents' questions from it (see :mod:`.queries`).

Nothing here is specific to one city: the tests load both the sandbox's Shenzhen Metro
feed and Google's "Demo Transit Authority" sample feed.
"""

from actions.clients.gtfs.loading import load_feed, parse_zip, read_feed
from actions.clients.gtfs.model import (
    Agency,
    FareAttribute,
    FareRule,
    FeedInfo,
    Frequency,
    Route,
    ServiceCalendar,
    Stop,
    StopTime,
    Transfer,
    TransitFeed,
    Trip,
)
from actions.clients.gtfs.names import normalise_name, pick_name
from actions.clients.gtfs.parsing import parse_feed
from actions.clients.gtfs.queries import (
    Departure,
    Fare,
    departures,
    fare_between,
    find_stops,
    routes_serving,
    services_on,
)
from actions.clients.gtfs.tables import GtfsError

__all__ = [
    "Agency",
    "Departure",
    "Fare",
    "FareAttribute",
    "FareRule",
    "FeedInfo",
    "Frequency",
    "GtfsError",
    "Route",
    "ServiceCalendar",
    "Stop",
    "StopTime",
    "Transfer",
    "TransitFeed",
    "Trip",
    "departures",
    "fare_between",
    "find_stops",
    "load_feed",
    "normalise_name",
    "parse_feed",
    "parse_zip",
    "pick_name",
    "read_feed",
    "routes_serving",
    "services_on",
]
