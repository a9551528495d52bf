"""The transit actions: next departures, a route from A to B, a fare, disruptions.

Each action reads the timetable loaded once per process (``city_services().transit_feed``),
the live feeds when they answer (a live feed that fails only removes the live part), and
the clock (``transit_now`` pins it for tests and demos). Stations the rider named but the
feed cannot pin down get "which one?" buttons or "no such station, did you mean …?".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any, List
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue import phrase
from actions.city import city_services
from actions.clients.errors import CityServiceError
from actions.clients.gtfs.model import Route, Stop, TransitFeed
from actions.clients.gtfs_realtime import ServiceAlert, TripDelay, delay_at
from actions.permits.questions import answer_permit_question
from actions.transit import alerts as alert_rules
from actions.transit.asked import (
    requested_time,
    routes_named,
    wants_first_departure,
    wants_last_departure,
)
from actions.transit.departures import first_board, last_board, next_board
from actions.transit.fares import Ride, fare_policy, journey_fare, money
from actions.transit.places import Place, Places, places_in, unresolved
from actions.transit.raptor import first_departure_after, plan
from actions.transit.stops import MatchKind, StopIndex
from actions.transit.wording import (
    board_text,
    changes_text,
    clock,
    lang,
    line_label,
    station_name,
)

logger = logging.getLogger(__name__)

STATION_SLOT = "transit_station"
ORIGIN_SLOT = "transit_origin"
DESTINATION_SLOT = "transit_destination"
TOPIC_SLOT = "last_topic"
TOPIC = "transit"
MAX_STATION_BUTTONS = 5


async def load(dispatcher: CollectingDispatcher) -> tuple[TransitFeed, StopIndex] | None:
    """The timetable and its station index; None (after telling the rider) when unavailable."""
    try:
        feed = await city_services().transit_feed()
    except Exception as error:  # noqa: BLE001 - any load failure is "timetable unavailable"
        logger.warning("transit feed unavailable: %s", error)
        dispatcher.utter_message(response="utter_transit_unavailable")
        return None
    return feed, StopIndex.for_feed(feed)


def now_for(feed: TransitFeed) -> dt.datetime:
    """The pinned time (settings ``transit_now``) or the real clock, in the feed's zone."""
    pinned = city_services().settings.pinned_now()
    zone = ZoneInfo(feed.timezone)
    return (pinned or dt.datetime.now(dt.timezone.utc)).astimezone(zone)


async def live_delays() -> tuple[TripDelay, ...] | None:
    """Trip delays from GTFS-Realtime; None when the live feed cannot be read."""
    try:
        return await city_services().realtime.trip_delays()
    except CityServiceError as error:
        logger.info("live trip updates unavailable: %s", error)
        return None


async def live_alerts() -> tuple[ServiceAlert, ...] | None:
    try:
        return await city_services().realtime.alerts()
    except CityServiceError as error:
        logger.info("live alerts unavailable: %s", error)
        return None


def station_buttons(stops: tuple[Stop, ...], intent: str, language: str | None) -> list[dict]:
    return [
        {
            "title": station_name(stop, language),
            "payload": f"/{intent}" + json.dumps({"stop": stop.stop_id}),
        }
        for stop in stops[:MAX_STATION_BUTTONS]
    ]


def say_unresolved(
    dispatcher: CollectingDispatcher, place: Place, intent: str, language: str | None
) -> None:
    """ "Which X do you mean?" with buttons, or "no such station" with the closest names."""
    if place.match.kind is MatchKind.AMBIGUOUS:
        dispatcher.utter_message(
            response="utter_transit_station_ambiguous",
            query=place.query[:40],
            buttons=station_buttons(place.match.stops, intent, language),
        )
        return
    suggestions = place.match.suggestions
    dispatcher.utter_message(
        response="utter_transit_station_unknown",
        query=place.query[:40],
        suggestion=phrase("transit.did_you_mean", language) if suggestions else "",
        buttons=station_buttons(suggestions, intent, language),
    )


def lines_asked(feed: TransitFeed, message: dict[str, Any]) -> list[Route]:
    """The lines the message names: ``route`` entities and line names in the text."""
    values = [
        str(e.get("value")) for e in message.get("entities") or () if e.get("entity") == "route"
    ]
    return routes_named(feed, str(message.get("text") or ""), values)


def _latest(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.latest_message or {})


def _remembered(feed: TransitFeed, tracker: Tracker, slot: str) -> Stop | None:
    value = tracker.get_slot(slot)
    return feed.stops.get(str(value)) if value else None


class ActionTransitDepartures(Action):
    """Next departures (or the last ones) at a station, per line and direction."""

    def name(self) -> str:
        return "action_transit_departures"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = tracker.get_slot("language")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        message = _latest(tracker)
        places = places_in(feed, index, message)
        first = places.origin or (places.all[0] if places.all else None)
        problem = unresolved([first])
        if problem is not None:
            say_unresolved(dispatcher, problem, "transit_next_departure", language)
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        station = first.station if first else _remembered(feed, tracker, STATION_SLOT)
        if station is None:
            dispatcher.utter_message(response="utter_ask_transit_station")
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        text = str(message.get("text") or "")
        routes = lines_asked(feed, message)
        route_ids = [r.route_id for r in routes] or None
        towards = [p.station.stop_id for p in places.all[1:] if p.station is not None]
        if places.destination and places.destination.station and places.destination is not first:
            towards = [places.destination.station.stop_id]
        now = now_for(feed)
        name = station_name(station, language)
        if wants_last_departure(text):
            board = last_board(feed, station.stop_id, now, route_ids=route_ids, towards=towards)
            response = "utter_transit_last_departures"
            live_note = ""
        elif wants_first_departure(text):
            board = first_board(feed, station.stop_id, now, route_ids=route_ids, towards=towards)
            response = "utter_transit_first_departures"
            live_note = ""
        else:
            delays = await live_delays()
            board = next_board(
                feed, station.stop_id, now, delays or (), route_ids=route_ids, towards=towards
            )
            response = "utter_transit_departures"
            live_note = "" if delays is not None else phrase("transit.no_live", language)
        if board.resumes_at is not None:
            dispatcher.utter_message(
                response="utter_transit_service_resumes",
                station=name,
                time=clock(board.resumes_at, feed),
            )
        if board.boards:
            dispatcher.utter_message(
                response=response,
                station=name,
                board=board_text(board, feed, language),
                live_note=live_note,
            )
        elif board.resumes_at is None:
            dispatcher.utter_message(response="utter_transit_no_departures", station=name)
        return [SlotSet(STATION_SLOT, station.stop_id), SlotSet(TOPIC_SLOT, TOPIC)]


def _ends(
    feed: TransitFeed, tracker: Tracker, places: Places
) -> tuple[Place | None, Place | None, Stop | None, Stop | None]:
    """Origin and destination: from the message, else what the conversation already has.

    One station alone fills whichever end is missing from the last question ("from
    Luohu" after "how do I get to the airport?").
    """
    origin, destination = places.origin, places.destination
    origin_stop = origin.station if origin else None
    destination_stop = destination.station if destination else None
    if origin is None and destination is None and len(places.all) == 1:
        only = places.all[0]
        if _remembered(feed, tracker, ORIGIN_SLOT) and not tracker.get_slot(DESTINATION_SLOT):
            destination, destination_stop = only, only.station
        else:
            origin, origin_stop = only, only.station
    if origin is None and not places.all:
        origin_stop = _remembered(feed, tracker, ORIGIN_SLOT)
    if destination is None and (not places.all or origin is not None):
        destination_stop = destination_stop or _remembered(feed, tracker, DESTINATION_SLOT)
    if origin is None and destination is not None and not origin_stop:
        origin_stop = _remembered(feed, tracker, ORIGIN_SLOT)
    return origin, destination, origin_stop, destination_stop


def _legs_text(feed: TransitFeed, journey: Any, language: str | None) -> str:
    lines = []
    for leg in journey.legs:
        route = feed.routes[leg.route_id]
        board = station_name(feed.station_of(leg.board_stop_id), language)
        alight = station_name(feed.station_of(leg.alight_stop_id), language)
        towards = feed.headsign_names(feed.trips[leg.trip_id])
        headsign = towards.get(lang(language)) or next(iter(towards.values()), "")
        if lang(language) == "en":
            lines.append(
                f"• {line_label(route, language)} towards {headsign}: board at {board} "
                f"{clock(leg.board_at, feed)}, {leg.stops} stops, get off at {alight} "
                f"{clock(leg.alight_at, feed)}"
            )
        else:
            lines.append(
                f"• {line_label(route, language)} 往{headsign}：{clock(leg.board_at, feed)} "
                f"{board}上车，乘坐 {leg.stops} 站，{clock(leg.alight_at, feed)} {alight}下车"
            )
    return "\n".join(lines)


class ActionTransitRoute(Action):
    """The earliest-arriving journey from A to B, leaving now or when the rider says."""

    def name(self) -> str:
        return "action_transit_route"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = tracker.get_slot("language")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        message = _latest(tracker)
        places = places_in(feed, index, message)
        origin, destination, origin_stop, destination_stop = _ends(feed, tracker, places)
        problem = unresolved([origin, destination])
        events: list[EventType] = [SlotSet(TOPIC_SLOT, TOPIC)]
        if origin_stop is not None:
            events.append(SlotSet(ORIGIN_SLOT, origin_stop.stop_id))
        if destination_stop is not None:
            events.append(SlotSet(DESTINATION_SLOT, destination_stop.stop_id))
        if problem is not None:
            say_unresolved(dispatcher, problem, "transit_route", language)
            return events
        if origin_stop is None or destination_stop is None:
            dispatcher.utter_message(response="utter_ask_transit_places")
            return events
        names = {
            "origin": station_name(origin_stop, language),
            "destination": station_name(destination_stop, language),
        }
        if origin_stop.stop_id == destination_stop.stop_id:
            dispatcher.utter_message(response="utter_transit_same_station", **names)
            return events
        now = now_for(feed)
        depart = requested_time(str(message.get("text") or ""), now) or now
        # The first question of a day builds that day's timetable (up to a second on a
        # big feed): off the event loop, so other residents are not kept waiting.
        journey = await asyncio.to_thread(
            plan, feed, origin_stop.stop_id, destination_stop.stop_id, depart
        )
        if journey is None:
            resumes_at = first_departure_after(feed, origin_stop.stop_id, depart)
            resumes = (
                phrase("transit.resumes", language, time=clock(resumes_at, feed))
                if resumes_at is not None
                else ""
            )
            dispatcher.utter_message(
                response="utter_transit_no_route",
                depart=clock(depart, feed),
                resumes=resumes,
                **names,
            )
            return events
        delays = await live_delays() if depart - now < dt.timedelta(hours=2) else ()
        first = journey.legs[0]
        late = delay_at(delays or (), first.trip_id) if delays else None
        live_note = (
            phrase("transit.first_train_late", language, minutes=round(late / 60))
            if late and late >= 60
            else ""
        )
        minutes = round((journey.arrival - journey.departure).total_seconds() / 60)
        dispatcher.utter_message(
            response="utter_transit_route",
            depart=clock(journey.departure, feed),
            arrive=clock(journey.arrival, feed),
            minutes=minutes,
            changes=changes_text(len(journey.legs) - 1, language),
            legs=_legs_text(feed, journey, language),
            live_note=live_note,
            **names,
        )
        return events


class ActionTransitFare(Action):
    """The fare between two stations, or the fare policy when no stations are named."""

    def name(self) -> str:
        return "action_transit_fare"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = tracker.get_slot("language")
        if not _latest(tracker).get("entities") and tracker.get_slot(TOPIC_SLOT) == "permits":
            # "多少钱？" right after a permit question is about the permit.
            return await answer_permit_question(dispatcher, tracker, "fee")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        places = places_in(feed, index, _latest(tracker))
        origin, destination, origin_stop, destination_stop = _ends(feed, tracker, places)
        events: list[EventType] = [SlotSet(TOPIC_SLOT, TOPIC)]
        problem = unresolved([origin, destination])
        if problem is not None:
            say_unresolved(dispatcher, problem, "transit_fare", language)
            return events
        policy = fare_policy(feed)
        if origin_stop is None or destination_stop is None:
            self._policy(dispatcher, policy, language)
            return events
        events += [
            SlotSet(ORIGIN_SLOT, origin_stop.stop_id),
            SlotSet(DESTINATION_SLOT, destination_stop.stop_id),
        ]
        names = {
            "origin": station_name(origin_stop, language),
            "destination": station_name(destination_stop, language),
        }
        fare = journey_fare(feed, origin_stop.stop_id, destination_stop.stop_id)
        if fare is None:
            journey = await asyncio.to_thread(
                plan, feed, origin_stop.stop_id, destination_stop.stop_id, now_for(feed)
            )
            if journey is not None:
                rides = [Ride(g.board_stop_id, g.alight_stop_id, g.route_id) for g in journey.legs]
                fare = journey_fare(feed, origin_stop.stop_id, destination_stop.stop_id, rides)
        if fare is None:
            dispatcher.utter_message(response="utter_transit_fare_unknown", policy="", **names)
            return events
        dispatcher.utter_message(
            response="utter_transit_fare",
            price=money(fare.price, fare.currency, lang(language)),
            **names,
        )
        return events

    @staticmethod
    def _policy(dispatcher: CollectingDispatcher, policy: Any, language: str | None) -> None:
        if policy is None:
            dispatcher.utter_message(response="utter_ask_transit_places")
            return
        low = money(policy.lowest, policy.currency, lang(language))
        high = money(policy.highest, policy.currency, lang(language))
        dispatcher.utter_message(
            response="utter_transit_fare_policy",
            range=low if low == high else f"{low}–{high}",
            by_distance=phrase("transit.by_distance", language) if policy.by_zone else "",
            transfers=phrase("transit.free_transfers", language) if policy.by_zone else "",
        )


class ActionTransitAlerts(Action):
    """Disruptions on a line, at a station, or anywhere; or "running normally"."""

    def name(self) -> str:
        return "action_transit_alerts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = tracker.get_slot("language")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        message = _latest(tracker)
        routes = lines_asked(feed, message)
        places = places_in(feed, index, message)
        stations = [p.station for p in places.all if p.station is not None]
        published = await live_alerts()
        if published is None:
            dispatcher.utter_message(response="utter_transit_unavailable")
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        stop_ids = [s for st in stations for s in alert_rules.station_stop_ids(feed, st.stop_id)]
        found = alert_rules.relevant(
            published,
            now_for(feed),
            route_ids=[r.route_id for r in routes],
            stop_ids=stop_ids,
        )
        scope_names = [line_label(r, language) for r in routes] + [
            station_name(s, language) for s in stations
        ]
        joined = (", " if lang(language) == "en" else "、").join(scope_names)
        if found:
            scope = (
                (f" for {joined}" if lang(language) == "en" else f"（{joined}）") if joined else ""
            )
            dispatcher.utter_message(
                response="utter_transit_alerts",
                scope=scope,
                alerts=alert_rules.alert_lines(found, lang(language)),
            )
        else:
            dispatcher.utter_message(
                response="utter_transit_running_normally",
                scope=joined or phrase("transit.network", language),
            )
        return [SlotSet(TOPIC_SLOT, TOPIC)]


async def answer_station_mention(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType]:
    """A station named on its own: the missing end of the route being asked, or its trains."""
    origin = tracker.get_slot(ORIGIN_SLOT)
    destination = tracker.get_slot(DESTINATION_SLOT)
    if tracker.get_slot(TOPIC_SLOT) == TOPIC and bool(origin) != bool(destination):
        return await ActionTransitRoute().run(dispatcher, tracker, domain)
    return await ActionTransitDepartures().run(dispatcher, tracker, domain)
