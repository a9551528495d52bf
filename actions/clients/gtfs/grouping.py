"""Stops a rider sees as one place: both sides of a road, the bays of one interchange.

Bus feeds rarely use ``parent_station``: "Main St & 3rd Ave" is two stops, one per
direction, a few metres apart, and a bus interchange is a dozen "Central Station Stand
A/B/C…" stops. A resident asks for "Main St & 3rd Ave" and expects every bus there, not a
choice between two identical buttons and then only half the departures. So, at load, stops
without a parent that share a name (or a name stem once the bay or stand is left out) and
lie within a short walk of each other become the platforms of one derived station, exactly
as if the feed had said so. Everything downstream (matching, departures, routing, alerts)
already understands stations, so nothing else needs to know.

Derived stations get the id ``place:<first member's stop_id>`` (never a real id) and the
members' centroid. Stops that share a name but lie far apart (two "Main St" in two towns)
stay separate places.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from actions.clients.gtfs.model import Stop
from actions.clients.gtfs.names import normalise_name

#: Stops with the same name this close are one place (opposite sides of a wide road,
#: platforms of a bus station laid out along a street).
SAME_NAME_RADIUS_M = 400.0
#: Stops whose names differ only by the bay, stand, platform or stop code, this close, are
#: one place (the stops on the sides of a shopping centre or a hospital).
SAME_STEM_RADIUS_M = 450.0
#: Stops whose names start with the same station ("Westlake Station - Bay D", "Westlake
#: Tunnel Station & Pine St …"), this close, are one place.
SAME_HUB_RADIUS_M = 300.0
PLACE_PREFIX = "place:"
_EARTH_RADIUS_M = 6_371_000.0
#: A trailing bay, stand, platform or direction: "Stand B", "Bay 12", "Platform 3", "(NB)",
#: "站台2", "Stop 14" — what tells stops of one place apart, not the place.
_DESIGNATOR = re.compile(
    r"(?:[\s,/-]+(?:stand|stance|bay|platform|plat|gate|stop|pole|door|quai|steig|bahnsteig|"
    r"gleis|andén|anden|plataforma|платформа|перрон)\s*[\w]{1,3}"
    r"|[\s,/-]+(?:nb|sb|eb|wb|northbound|southbound|eastbound|westbound|inbound|outbound)"
    # the way a platform's trains go: "Government Center - to Bowdoin", "X – towards Y"
    r"|\s+[-–—]\s+(?:to|towards?|for|dir\.?|direction)\s+[^\W\d][\w .'’-]{1,40}"
    r"|\s*(?:站台|月台|候车亭)\s*[\w]{0,3}"
    # a stop's code after its name: "Cairns Base Hospital C11", "Smithfield Shopping Centre- N228"
    r"|(?-i:(?:\s*-\s*|\s+)[A-Z]{1,2}\d{1,4}[A-Z]?))\s*$",
    re.IGNORECASE,
)
_BRACKETED_TAIL = re.compile(r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*$")
#: A name that starts with a station: the words up to its first station word.
_HUB = re.compile(
    r"^(?P<hub>.+?\b(?:station|stn|transit center|transit centre|transit ctr|terminal|"
    r"interchange|bus station))\b",
    re.IGNORECASE,
)
_TUNNEL = re.compile(r"\b(?:tunnel|tun|underground|ug)\b", re.IGNORECASE)
_STATION_WORDS = re.compile(
    r"(?:station|transitcenter|terminal|interchange|busstation|linkstation|link)+$"
)
#: Spellings of one hub name: "Pioneer Sq Stn" and "Pioneer Square Station".
_HUB_SPELLINGS = (
    (re.compile(r"\bstn\b"), "station"),
    (re.compile(r"\bsquare\b|\bsqr\b"), "sq"),
    (re.compile(r"\bcentre\b|\bctr\b"), "center"),
    (re.compile(r"\bst\b\.?"), "street"),
)


#: A stop's code after its name, as some operators print it on the sign.
_STOP_CODE_TAIL = re.compile(r"(?:\s*-\s*|\s+)[A-Z]{1,2}\d{1,4}[A-Z]?\s*$")


def without_stop_code(name: str) -> str:
    """ "Trinity Beach N12" → "Trinity Beach": what riders call a stop named with its code."""
    return _STOP_CODE_TAIL.sub("", name).strip() or name


def without_designator(name: str) -> str:
    """ "State - to Wonderland" → "State", "Central Stand B" → "Central": the place's name."""
    return _DESIGNATOR.sub("", name).strip() or name


def name_stem(name: str) -> str:
    """A stop's name without its bay, stand, platform or direction ("Central Stand B" → central)."""
    stem = _BRACKETED_TAIL.sub("", name)
    stem = _DESIGNATOR.sub("", stem)
    return normalise_name(stem or name)


def distance_m(a: Stop, b: Stop) -> float:
    """Great-circle distance in metres (haversine); infinite when a stop has no position."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def group_places(stops: Mapping[str, Stop]) -> Mapping[str, Stop]:
    """``stops`` with a derived station for every group of lone stops that are one place.

    Only stops a vehicle calls at (``location_type`` 0) without a ``parent_station`` are
    grouped; the feed's own stations are left as they are. Groups are built by name, then
    split into clusters of stops each within the radius of one already in the cluster.
    """
    lone = [s for s in stops.values() if s.location_type == 0 and not s.parent_station]
    by_name: dict[str, list[Stop]] = defaultdict(list)
    for stop in lone:
        key = normalise_name(stop.name)
        if key:
            by_name[key].append(stop)
    clusters = [c for same in by_name.values() for c in _clusters(same, SAME_NAME_RADIUS_M)]
    grouped = {s.stop_id for cluster in clusters if len(cluster) > 1 for s in cluster}
    by_stem: dict[str, list[Stop]] = defaultdict(list)
    for stop in lone:
        stem = name_stem(stop.name)
        if stem and stem != normalise_name(stop.name) and stop.stop_id not in grouped:
            by_stem[stem].append(stop)
    for stem, same in by_stem.items():
        plain = [s for s in by_name.get(stem, ()) if s.stop_id not in grouped]
        clusters.extend(_clusters([*plain, *same], SAME_STEM_RADIUS_M))
    clusters = _joined_by_hub(clusters, lone)
    result = dict(stops)
    for cluster in clusters:
        if len(cluster) < 2 or any(result[s.stop_id].parent_station for s in cluster):
            continue
        station = _station_for(cluster)
        if station.stop_id in result:
            continue
        result[station.stop_id] = station
        for stop in cluster:
            result[stop.stop_id] = replace(stop, parent_station=station.stop_id)
    return MappingProxyType(result)


def hub_place(name: str) -> str | None:
    """The place a station-named stop is named for: "Bellevue Transit Center" → bellevue."""
    hub = hub_name(name)
    if hub is None:
        return None
    place = _STATION_WORDS.sub("", hub)
    return place if place and place != hub else None


def hub_name(name: str) -> str | None:
    """The station a stop's name starts with, normalised, or None.

    "Westlake Station - Bay D", "Westlake Tunnel Station & Pine St - 3rd 4th & 5th Avenue -
    Bay C" and "Westlake Station & Pine St - … Bay A" are bays of one station (Seattle);
    so are "Pioneer Sq Stn & 3rd Av - James - Bay C" and "Pioneer Square Stn Tun & …".
    The words up to the first station word, without "tunnel", tell which.
    """
    found = _HUB.match(name)
    if found is None:
        return None
    words = _TUNNEL.sub(" ", found.group("hub").lower())
    for variant, same in _HUB_SPELLINGS:
        words = variant.sub(same, words)
    return normalise_name(words) or None


def _joined_by_hub(clusters: list[list[Stop]], lone: list[Stop]) -> list[list[Stop]]:
    """The clusters (and lone stops) whose names start with the same station, close
    together, joined into one place."""
    by_hub: dict[str, list[list[Stop]]] = defaultdict(list)
    clustered = {s.stop_id for cluster in clusters for s in cluster}
    groups = [*clusters, *([s] for s in lone if s.stop_id not in clustered)]
    kept: list[list[Stop]] = []
    for group in groups:
        hubs = {hub_name(s.name) for s in group}
        hub = hubs.pop() if len(hubs) == 1 else None
        if hub:
            by_hub[hub].append(group)
        else:
            kept.append(group)
    for same in by_hub.values():
        members = [s for group in same for s in group]
        for cluster in _clusters(members, SAME_HUB_RADIUS_M):
            kept.append(cluster)
    return kept


def _clusters(stops: list[Stop], radius_m: float) -> list[list[Stop]]:
    """Stops joined when within ``radius_m`` of any stop already joined (single linkage).

    Groups are per name, so they are small (two to a dozen stops): pairwise is fine here.
    """
    remaining = list(stops)
    clusters: list[list[Stop]] = []
    while remaining:
        cluster = [remaining.pop(0)]
        grew = True
        while grew:
            grew = False
            for stop in list(remaining):
                if any(distance_m(stop, member) <= radius_m for member in cluster):
                    cluster.append(stop)
                    remaining.remove(stop)
                    grew = True
        clusters.append(cluster)
    return clusters


def _station_for(cluster: list[Stop]) -> Stop:
    """The derived station: the shortest member name (the stem), at the members' centroid."""
    first = cluster[0]
    named = min(cluster, key=lambda s: (len(_BRACKETED_TAIL.sub("", s.name)), s.name))
    name = _DESIGNATOR.sub("", _BRACKETED_TAIL.sub("", named.name)).strip() or named.name
    placed = [s for s in cluster if s.lat is not None and s.lon is not None]
    lat = sum(s.lat for s in placed if s.lat is not None) / len(placed) if placed else None
    lon = sum(s.lon for s in placed if s.lon is not None) / len(placed) if placed else None
    names = {code: _DESIGNATOR.sub("", text).strip() or text for code, text in named.names.items()}
    zones = {s.zone_id for s in cluster}
    return Stop(
        stop_id=f"{PLACE_PREFIX}{first.stop_id}",
        name=name,
        lat=lat,
        lon=lon,
        zone_id=zones.pop() if len(zones) == 1 else "",
        location_type=1,
        names=MappingProxyType(names),
    )
