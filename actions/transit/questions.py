"""The transit actions: next departures, a route from A to B, a fare, disruptions.

Each action reads the timetable loaded once per process (``city_services().transit_feed``),
the live feeds when they answer (a live feed that fails only removes the live part), and
the clock (``transit_now`` pins it for tests and demos). Stations the rider named but the
feed cannot pin down get "which one?" buttons or "no such station, did you mean …?".
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import logging
import re
from collections.abc import Sequence
from typing import Any, List
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.assistant_questions import answer_about_the_assistant
from actions.catalogue import phrase
from actions.city import city_services
from actions.clients.errors import CityServiceError
from actions.clients.gtfs.model import Route, Stop, TransitFeed
from actions.clients.gtfs.names import pick_name
from actions.clients.gtfs.queries import Departure, departures, routes_serving
from actions.clients.gtfs_realtime import ServiceAlert, TripDelay, delay_at
from actions.complaints import concepts
from actions.complaints.address import place_told
from actions.complaints.after_filing import show_the_ticket
from actions.complaints.asides import refuses_details_again
from actions.complaints.form import corrects_an_earlier_answer, place_said_in_passing
from actions.complaints.opening import (
    offer_a_report,
    report_accepted,
    reports_a_problem,
    says_a_facility_is_wrong,
    says_what_state_it_is_in,
    start_report,
)
from actions.complaints.status import answer_status, asks_about_the_shown_ticket
from actions.dates import format_date, format_datetime
from actions.emergencies import warn_of_emergency
from actions.feelings import vents
from actions.last_prompt import last_bot_message, last_response
from actions.permits.applications import answer_application_status, asks_about_the_status_shown
from actions.permits.questions import (
    answer_lost_document,
    answer_named_permit,
    answer_permit_follow_up,
    answer_permit_question,
)
from actions.permits.types import permit_phrase
from actions.transit import alerts as alert_rules
from actions.transit.asked import (
    asks_departures,
    asks_fare,
    asks_for_a_direct_ride,
    asks_from_now,
    asks_how_long,
    asks_how_often,
    asks_only_fare,
    asks_the_way,
    line_references,
    routes_named,
    wants_first_departure,
    wants_last_departure,
    wants_to_arrive_by,
)
from actions.transit.choices import typed_choice
from actions.transit.compass import compass_asked, going
from actions.transit.departures import (
    SEARCH_LIMIT,
    SERVICE_DAY_STARTS,
    Board,
    first_board,
    headways,
    last_board,
    next_board,
)
from actions.transit.fares import (
    Ride,
    asks_a_concession,
    asks_how_to_pay,
    fare_policy,
    journey_fare,
    money,
    party_size,
    price_for,
)
from actions.transit.feed_words import feed_words, mode_the_feed_lacks, vehicles_of
from actions.transit.line_stops import asks_the_stops, stations_text
from actions.transit.network_names import blanked, network_spans
from actions.transit.per_feed import PerFeed
from actions.transit.places import (
    STOP_ENTITY,
    Place,
    Places,
    modes_named,
    places_in,
    transit_names,
    unresolved,
)
from actions.transit.platforms import asks_platform, platform_of, platforms_text
from actions.transit.prompts import (
    ask_for_places,
    say_lines_to,
    say_unknown_line,
    say_unresolved,
)
from actions.transit.raptor import (
    CHANGE_PENALTY_S,
    Journey,
    arrive_by,
    first_departure_after,
    last_connection,
    on_foot,
    plan,
)
from actions.transit.service_days import service_window
from actions.transit.stops import MatchKind, StopIndex, StopMatch
from actions.transit.when import (
    misses_the_time_named,
    names_a_time,
    requested_day,
    requested_time,
)
from actions.transit.wording import (
    board_text,
    changes_text,
    clock,
    headway_text,
    lang,
    line_label,
    lines_label,
    station_name,
)
from bot.language.clock import time_of_day
from bot.language.mixed_script import mixed_pattern
from bot.language.script import to_simplified

logger = logging.getLogger(__name__)

STATION_SLOT = "transit_station"
ORIGIN_SLOT = "transit_origin"
DESTINATION_SLOT = "transit_destination"
TOPIC_SLOT = "last_topic"
TOPIC = "transit"


async def load(dispatcher: CollectingDispatcher) -> tuple[TransitFeed, StopIndex] | None:
    """The timetable and its station index; None (after telling the rider) when unavailable."""
    try:
        feed = await city_services().transit_feed()
    except Exception as error:  # noqa: BLE001 - any load failure is "timetable unavailable"
        logger.warning("transit feed unavailable: %s", error)
        dispatcher.utter_message(response="utter_transit_unavailable")
        return None
    return feed, StopIndex.for_feed(feed)


async def named_places(tracker: Tracker) -> Places | None:
    """The places the latest message names on the feed; None while no feed is loaded.

    For the other journeys' actions, to tell "罗湖到福田多少钱" (a ride) from "多少钱" (a fee).
    Never starts or waits for a load (the action server loads the feed at start-up): a
    permit or fallback answer must not wait on the timetable.
    """
    feed = city_services().loaded_feed()
    if feed is None:
        return None
    return places_in(feed, StopIndex.for_feed(feed), _latest(tracker))


async def trip_remembered(tracker: Tracker) -> List[EventType]:
    """Slots that remember a trip the latest message names, for the next question.

    "深圳北駅から福田口岸まで…" is answered with "I speak Chinese or English"; the
    resident's next message ("我会说中文。那大概要多久？") is about that trip.
    """
    places = await named_places(tracker)
    stations = [p.station for p in places.all if p.station is not None] if places else []
    if len(stations) < 2 or places is None:
        return []
    origin = places.origin.station if places.origin and places.origin.station else stations[0]
    destination = (
        places.destination.station
        if places.destination and places.destination.station
        else stations[-1]
    )
    if origin.stop_id == destination.stop_id:
        return []
    return [
        SlotSet(ORIGIN_SLOT, origin.stop_id),
        SlotSet(DESTINATION_SLOT, destination.stop_id),
        SlotSet(TOPIC_SLOT, TOPIC),
    ]


def _text_of(message: dict[str, Any]) -> str:
    return str(message.get("text") or "")


def now_for(feed: TransitFeed) -> dt.datetime:
    """The pinned time (settings ``transit_now``) or the real clock, in the feed's zone."""
    pinned = city_services().settings.pinned_now()
    zone = ZoneInfo(feed.timezone)
    return (pinned or dt.datetime.now(dt.timezone.utc)).astimezone(zone)


#: Words of a question about getting around: a message without any that writes out a
#: permit's name is about the permit, even if a word in it is also a station's name.
_TRANSIT_WORDS = mixed_pattern(
    r"地铁|列车|火车|高铁|公交|巴士|车|站|线|换乘|票价|出发|到达|怎么去|怎么走"
    r"|\b(?:trains?|metro|subway|bus(?:es)?|lines?|stations?|stops?|routes?|fares?|ride|"
    r"platform|departures?|transfer|get to|go to|travel)\b",
    re.IGNORECASE,
)
#: How far ahead live delays still say something about a train (later: the timetable).
LIVE_HORIZON = dt.timedelta(hours=2)


def _board_time(now: dt.datetime, when: dt.datetime | None, whole_day: bool) -> dt.datetime:
    """The moment a station's board is for: now, the time asked, or the start of the day asked.

    The first or last train of another day ("周日末班车几点") is that day's, whatever time
    of day the question is asked at.
    """
    if when is None:
        return now
    if whole_day and when.date() != now.date():
        return dt.datetime.combine(when.date(), SERVICE_DAY_STARTS, now.tzinfo)
    return when


def say_timetable_day(
    dispatcher: CollectingDispatcher,
    feed: TransitFeed,
    moment: dt.datetime,
    language: str | None,
    *,
    with_time: bool,
) -> None:
    """ "For Sun 13 Dec 2026": which day (and time) the answer that follows is about."""
    zone = feed.timezone
    day = (
        format_datetime(moment, language, zone)
        if with_time
        else format_date(moment, language, zone)
    )
    dispatcher.utter_message(response="utter_transit_timetable_for", when=day)


async def live_delays() -> tuple[TripDelay, ...] | None:
    """Trip delays from GTFS-Realtime; None when the live feed cannot be read."""
    try:
        return await city_services().realtime.trip_delays()
    except CityServiceError as error:
        logger.info("live trip updates unavailable: %s", error)
        return None


async def live_alerts(feed: TransitFeed) -> tuple[ServiceAlert, ...] | None:
    """The live alerts about this feed's network; None when there are none to be had."""
    try:
        published = await city_services().realtime.alerts()
    except CityServiceError as error:
        logger.info("live alerts unavailable: %s", error)
        return None
    if alert_rules.about_another_network(feed, published):
        logger.warning(
            "the GTFS-Realtime alerts name no line, stop or trip of the GTFS feed: "
            "gtfs_rt_alerts_url is another network's; answering without live information"
        )
        return None
    return published


def lines_asked(feed: TransitFeed, message: dict[str, Any]) -> list[Route]:
    """The lines the message names: ``route`` entities and line names in the text.

    The network's own name ("port liner 有没有 delay") names no line.
    """
    text, values = _without_the_network(feed, message)
    return routes_named(feed, text, values)


def _without_the_network(feed: TransitFeed, message: dict[str, Any]) -> tuple[str, list[str]]:
    """The message's text with the network's names blanked, and its ``route`` values
    outside them."""
    text = str(message.get("text") or "")
    network = network_spans(feed, StopIndex.for_feed(feed), text, transit_names())
    if not network:
        return text, _route_values(message)
    kept = {
        **message,
        "entities": [
            e
            for e in message.get("entities") or ()
            if not any(
                s <= int(e.get("start", -1)) and int(e.get("end", -1)) <= t for s, t in network
            )
        ],
    }
    return blanked(text, network), _route_values(kept)


def unknown_line(feed: TransitFeed, message: dict[str, Any], places: Places) -> str | None:
    """A line the rider names that the feed does not have ("Line 9"), or None.

    Words of a stop's name ("Route 9 & Oak St") are not a line.
    """
    if lines_asked(feed, message):
        return None
    text, values = _without_the_network(feed, message)
    for place in places.all:
        text = text.replace(place.query, " ")
    values = [v for v in values if v in text]
    named = line_references(text, values)
    return named[0] if named else None


def _route_values(message: dict[str, Any]) -> list[str]:
    """The model's ``route`` values, but no number of a clock time ("8点04太赶了":
    neither 8 nor 04 is a line)."""
    text = str(message.get("text") or "")
    clocks = [m.span() for m in _CLOCK_TIME.finditer(text)]
    return [
        str(e.get("value"))
        for e in message.get("entities") or ()
        if e.get("entity") == "route"
        and not any(a <= int(e.get("start", -1)) and int(e.get("end", -1)) <= b for a, b in clocks)
    ]


#: A clock time as written: "8点04", "八点半", "8:04", "6pm", "6 o'clock".
_CLOCK_TIME = re.compile(
    r"\d{1,2}\s*[点點时時:：]\s*\d{0,2}\s*[分半]?|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock)\b",
    re.IGNORECASE,
)


def _is_trip(places: Places) -> bool:
    """The message names where from and where to ("from X to Y", "从X到Y", "X到Y")."""
    return places.origin is not None and places.destination is not None


def _latest(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.latest_message or {})


def _remembered(feed: TransitFeed, tracker: Tracker, slot: str) -> Stop | None:
    value = tracker.get_slot(slot)
    return feed.stops.get(str(value)) if value else None


def _latest_place(feed: TransitFeed, tracker: Tracker) -> tuple[Stop | None, str | None]:
    """The latest of a route's origin and a station asked about, and which of the two."""
    for event in reversed(list(tracker.events or ())):
        name = event.get("name")
        if event.get("event") != "slot" or name not in (ORIGIN_SLOT, STATION_SLOT):
            continue
        stop = feed.stops.get(str(event.get("value"))) if event.get("value") else None
        if stop is not None:
            return stop, str(name)
    # The events sent to the action server may no longer hold either: the slots then.
    for slot in (ORIGIN_SLOT, STATION_SLOT):
        stop = _remembered(feed, tracker, slot)
        if stop is not None:
            return stop, slot
    return None, None


def where_the_rider_is(feed: TransitFeed, tracker: Tracker) -> Stop | None:
    """The station the conversation last put the rider at, for "and to the airport?".

    The latest of a route's origin and a station asked about: "车公庙下一班" then
    "坐到机场东要多久" leaves from 车公庙.
    """
    return _latest_place(feed, tracker)[0]


#: Words that ask about the way back: "我哋食完饭先返", "the last train back home".
_WAY_BACK = mixed_pattern(
    r"返|回来|回去|回家|回程|返程|\bback\b|\breturn|\bhome\b|\bway back", re.IGNORECASE
)


def _station_asked_before(
    feed: TransitFeed, tracker: Tracker, text: str = "", *, reverse: bool = False
) -> tuple[Stop | None, list[str]]:
    """Where a departures question naming no station is about, and the way it goes.

    After a route ("what time's the last one?") it is the route's origin, towards its
    destination, or its destination towards the origin when the question asks about the
    way back ("咁尾班车几点？我哋食完饭先返"); after a station's trains, that station.
    """
    stop, slot = _latest_place(feed, tracker)
    if slot == ORIGIN_SLOT:
        destination = _remembered(feed, tracker, DESTINATION_SLOT)
        way_back = reverse or _WAY_BACK.search(to_simplified(text))
        if destination is not None and stop is not None and way_back:
            return destination, [stop.stop_id]
        return stop, [destination.stop_id] if destination is not None else []
    return stop, []


#: "Line 1 towards Airport East", "往机场东方向": which way, not where to.
_DIRECTION = mixed_pattern(r"\btowards?\b|\bbound\b|\bdirection\b|方向|开往|往.{1,12}的车", re.I)
#: "what about the other direction?", "那反方向的呢": the same question, the other way.
_OTHER_WAY = mixed_pattern(
    r"\b(?:other|opposite|reverse)\s+(?:direction|way|side)|\bthe reverse\b|\bway back\b"
    r"|反方向|相反方向|另一个方向|另一边|对面方向|返方向|倒过来|反过来|调转|掉转|回程"
    # "咁返嚟呢？", "那回来呢": coming back, after a trip
    r"|返嚟|返来|回来呢|回来的|返程|\bcoming back\b|\bthe return\b"
    r"|\bgoing back\b|\bgetting back\b|\bget back\b|\bhead(?:ing)? back\b|\bback home\b"
    # "and back around 2pm?", "then back at 6": the trip asked, the other way round
    r"|\b(?:and|then|&)\s+back\b|^\s*back\s+(?:around|at|by|tonight|later|in\b)",
    re.IGNORECASE,
)


def names_a_direction(text: str) -> bool:
    """ "Line 1 towards Airport East", "往机场东方向的": the station named is the way."""
    return bool(_DIRECTION.search(to_simplified(text)))


def asks_the_other_way(text: str) -> bool:
    """ "what about the other direction?", "那反方向的呢", "反过来呢"."""
    return bool(_OTHER_WAY.search(to_simplified(text)))


def _only_the_origin(places: Places) -> bool:
    """ "what about from Futian?", "是竹子林出发": where from, and not where to."""
    return places.origin is not None and places.destination is None and len(places.all) == 1


def _only_the_destination(places: Places) -> bool:
    """ "and to the airport?", "坐到机场东要多久": where to, and not where from."""
    return places.destination is not None and places.origin is None and len(places.all) == 1


class ActionTransitDepartures(Action):
    """Next departures (or the last ones) at a station, per line and direction.

    ``asked_when`` is the message that says when ("周日也一样吗") if it is not the
    question itself (``answer_at_another_time``); ``asked_what`` the earlier question a
    correction of its station asks again ("not Shuanglong, Buji": the first train).
    """

    def __init__(
        self,
        asked_when: str | None = None,
        asked_what: str | None = None,
        *,
        other_way: dict[str, Any] | None = None,
        earlier: dict[str, Any] | None = None,
        station_only: bool = False,
    ) -> None:
        self.asked_when = asked_when
        self.asked_what = asked_what
        #: Asked by the route question for a station's trains: never handed back to it.
        self.station_only = station_only
        #: The earlier question whose trains the other way are wanted ("反方向的呢").
        self.other_way = other_way
        #: The earlier question whose lines still hold ("and uptown?" after the 1's trains).
        self.earlier = earlier

    def name(self) -> str:
        return "action_transit_departures"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = await self._answer(dispatcher, tracker, domain)
        # "Tworki 站的电梯又坏了！！还有下一班…几点": the trains, then the report offered.
        await offer_a_report(dispatcher, tracker)
        # "地址是 2415 15th Ave S。对了，顺便问一下 … 下一班几点？" in the middle of a
        # report: the question answered here, the place kept for the report.
        return [*events, *place_said_in_passing(tracker)]

    async def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if corrects_an_earlier_answer(tracker):
            return []  # a report's place taken back: the form takes it
        if asks_about_the_shown_ticket(tracker):
            await answer_status(dispatcher, tracker)  # "and what was it even about"
            return []
        if await refuses_details_again(dispatcher, tracker):
            return []  # "at least the email then" right after a refusal of details
        answered = await _answered_otherwise(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        if self.asked_when is None and self.asked_what is None:
            # "那前一班呢？" after the last bus, "再下一班呢？" (which asks for "the next
            # one" in words) after a station's trains, "哪一班最快？" after a trip's trains.
            answered = await answer_the_one_before(dispatcher, tracker, domain)
            if answered is None:
                answered = await answer_the_one_after(dispatcher, tracker, domain)
            if answered is None:
                answered = await answer_the_fastest(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        language = tracker.get_slot("language")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        message = _latest(tracker)
        places = places_in(feed, index, message)
        text = str(message.get("text") or "")
        if self.asked_when is None and self.asked_what is None:
            answered = await _a_document_instead(dispatcher, tracker, places)
            if answered is not None:
                # "我啱啱喺地鐵度唔見咗張身份證 … 聽日仲要搭高鐵": the card, not a train.
                return answered
        if (
            self.asked_when is None
            and self.asked_what is None
            and not _TRANSIT_WORDS.search(text)
            and permit_phrase(text)
        ):
            # "I'm Canadian, starting a job in Nanshan … a work permit AND a residence
            # permit?? which comes first": a station's name, but a permit question.
            answered = await answer_named_permit(dispatcher, tracker)
            if answered is not None:
                return answered
        if self.asked_when is None and self.asked_what is None and not self.station_only:
            # "last train back to Portici?", "do I need to change at X?" after a trip.
            answered = await _the_trip_asked_again(dispatcher, tracker, domain, places, text)
            if answered is not None:
                return answered
        if self.station_only:
            pass
        elif _is_trip(places) and not asks_departures(text):
            # "I want to go from X to Y" read as a departures question: it asks for a route.
            return await ActionTransitRoute(self.asked_when).run(dispatcher, tracker, domain)
        elif (
            _only_the_destination(places)
            and not asks_departures(text)
            and not (names_a_direction(text) and _remembered(feed, tracker, STATION_SLOT))
            # "whats the 2 look like going to brooklyn" (two stations): that line's trains
            and not _line_towards_several(feed, tracker, places, message)
            and where_the_rider_is(feed, tracker) is not None
        ):
            # "and to the airport?" after a route or a station's trains: from there.
            return await ActionTransitRoute(self.asked_when).run(dispatcher, tracker, domain)
        elif self.asked_what is None and (
            corrects_the_trip(feed, tracker, places)
            or (
                _only_the_origin(places)
                and not asks_departures(text)
                and _remembered(feed, tracker, DESTINATION_SLOT) is not None
            )
        ):
            # "what about from Futian?" after a route: the same destination, from there.
            return await ActionTransitRoute(self.asked_when).run(dispatcher, tracker, domain)
        if (
            self.other_way is None
            and asks_the_other_way(text)
            and not any(p.station is not None for p in places.all)
        ):
            answered = await answer_the_other_way(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        if (
            self.asked_when is None
            and self.earlier is None
            and not places.all
            and not asks_departures(text)
        ):
            # "身份证丢了怎么办…坐高铁" names a permit and no station; "周日也一样吗"
            # after a route, read as a question about a station's trains.
            answered = (
                await answer_named_permit(dispatcher, tracker) if permit_phrase(text) else None
            )
            if answered is None:
                answered = await answer_transit_follow_up(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        if self.asked_what is None and _corrects_the_station(feed, tracker, places, text):
            # "wait no, near Buji, not Shuanglong": the same question, at Buji.
            earlier = earlier_transit_question(tracker)
            if earlier is not None and earlier[0] == "departures":
                again = ActionTransitDepartures(self.asked_when, str(earlier[1].get("text") or ""))
                return await again.run(dispatcher, tracker, domain)
        first = places.origin or (places.all[0] if places.all else None)
        here = where_the_rider_is(feed, tracker) if _only_the_destination(places) else None
        there = places.destination.station if places.destination else None
        origin = _remembered(feed, tracker, ORIGIN_SLOT)
        if (
            places.origin is None
            and there is not None
            and origin is not None
            and _same_station(feed, there, origin)
        ):
            # "and the last train back to Luohu?" after Luohu → X: trains at X, that way.
            here = _remembered(feed, tracker, DESTINATION_SLOT) or here
        if (
            here is None
            and places.destination is not None
            and places.origin is None
            and names_a_direction(text)
        ):
            # "Line 1 towards Airport East" after Chegongmiao's trains: there, that way.
            here = _remembered(feed, tracker, STATION_SLOT)
        if (
            here is None
            and places.destination is not None
            and places.origin is None
            and places.destination.station is not None
            and names_a_direction(text)
        ):
            # "how often does the yellow line run towards Hospital São João?", no stop said
            # or asked before: at the line's hub, that way.
            named = lines_asked(feed, message)
            bound_for = places.destination.station
            hub = line_hub(feed, named[0].route_id, avoid=bound_for) if len(named) == 1 else None
            if hub is not None and not _same_station(feed, hub, bound_for):
                here = hub
        if here is not None and places.destination is not None:
            # "first train sunday from there towards Luohu?": trains here, that way.
            first = Place(here.stop_id, StopMatch(MatchKind.EXACT, (here,), ()), "origin")
        missing_line = unknown_line(feed, message, places)
        problem = unresolved([first])
        if missing_line is not None and (problem is not None or first is None):
            # "M390公交车末班车几点", "那地铁6号线呢 光明那边的": a line the timetable
            # lacks is the answer, before which station (or that "光明" is none).
            say_unknown_line(dispatcher, feed, missing_line, language)
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        if problem is not None:
            say_unresolved(dispatcher, feed, problem, "transit_next_departure", language)
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        station, remembered_towards = (
            (first.station, [])
            if first
            else _station_asked_before(feed, tracker, text, reverse=self.other_way is not None)
        )
        # The other way of a station's trains asked before: every way but the one asked.
        away_from = (
            _towards_in(feed, index, self.other_way, station)
            if self.other_way is not None and station is not None and not remembered_towards
            else []
        )
        origin_asked = _remembered(feed, tracker, ORIGIN_SLOT)
        destination_asked = _remembered(feed, tracker, DESTINATION_SLOT)
        if (
            self.other_way is not None
            and not away_from
            and station is not None
            and origin_asked is not None
            and destination_asked is not None
            and _same_station(feed, station, origin_asked)
        ):
            # "首班车几点" after 福田口岸 → 深圳北站, then "那反方向的呢": the first train
            # from the trip's other end, back towards its start.
            station, remembered_towards = destination_asked, [origin_asked.stop_id]
        words = feed_words(feed)
        if station is None and first is None and self.earlier is None:
            # "how often does the 6 come": no stop named or asked before; the line's own
            # busiest stop (its hub) answers for the line, named in the reply.
            named = lines_asked(feed, message)
            if len(named) == 1:
                station = line_hub(feed, named[0].route_id)
        if station is None:
            dispatcher.utter_message(
                response="utter_ask_transit_station",
                place=words.place(language),
                example=words.example(language),
            )
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        if missing_line is not None:
            say_unknown_line(dispatcher, feed, missing_line, language)
            return [SlotSet(STATION_SLOT, station.stop_id), SlotSet(TOPIC_SLOT, TOPIC)]
        routes = (
            lines_asked(feed, message)
            or (lines_asked(feed, self.other_way) if self.other_way is not None else [])
            or (lines_asked(feed, self.earlier) if self.earlier is not None else [])
        )
        route_ids = [r.route_id for r in routes] or _of_the_mode_named(feed, station, text)
        # The other places named, whichever order they came in ("to SJ from millbrae"),
        # every station a name may mean ("SJ": both San Jose stations) among them.
        towards = [
            stop.stop_id
            for p in places.all
            if p is not first and p.match.kind in (MatchKind.EXACT, MatchKind.AMBIGUOUS)
            for stop in p.match.stops
            if first is None or stop.stop_id != getattr(first.station, "stop_id", None)
        ]
        towards = towards or remembered_towards
        trip_end = _remembered(feed, tracker, DESTINATION_SLOT) if self.asked_what else None
        asked_at = _remembered(feed, tracker, STATION_SLOT)
        trip_start = _remembered(feed, tracker, ORIGIN_SLOT)
        on_the_trip = (
            asked_at is not None
            and trip_start is not None
            and _same_station(feed, asked_at, trip_start)
        )
        if (
            not towards
            and on_the_trip
            and trip_end is not None
            and not _same_station(feed, trip_end, station)
        ):
            # "要是从世界之窗上车呢" after the last train of a trip to Airport East: that
            # way from there too.
            towards = [trip_end.stop_id]
        if (
            places.destination
            and places.destination.station
            and places.destination is not first
            and len(towards) <= 1
        ):
            # Several places after the station ("work near Futian, moving to Dayun") are
            # tried together, then the nearest, below.
            towards = [places.destination.station.stop_id]
        unserved = [feed.stops[t] for t in towards if t in feed.stops and not _has_trips(feed, t)]
        if unserved and len(unserved) < len(towards):
            # "to warsaw": of the five Warszawa stations, those trains call at.
            not_served = {u.stop_id for u in unserved}
            served = [t for t in towards if t not in not_served]
            if towards is remembered_towards:
                remembered_towards = served
            towards = served
            unserved = []
        if towards and len(unserved) == len(towards):
            # "想坐WKD去Śródmieście，下一班几点": no train ever goes there; said, then the
            # station's trains every way.
            _say_not_served(dispatcher, feed, unserved[0], language)
            towards = []
        now = now_for(feed)
        asked = f"{self.asked_what}\n{text}" if self.asked_what else text
        when = requested_time(self.asked_when if self.asked_when is not None else asked, now)
        said_when = f"{self.asked_when or ''}\n{_text_of(_latest(tracker))}"
        if when is not None and misses_the_time_named(said_when):
            # "ugh not gonna make the 7:51 whats after that": from the minute after it.
            when += dt.timedelta(minutes=1)
        text = asked
        whole_day = wants_last_departure(text) or wants_first_departure(text)
        at = _board_time(now, when, whole_day)
        name = station_name(station, language)
        delays = None if whole_day or at - now > LIVE_HORIZON else (await live_delays())
        say_a_mode_the_feed_lacks(dispatcher, feed, _text_of(_latest(tracker)), language)
        said_before = len(dispatcher.messages)
        if when is not None and (when.date() != now.date() or not whole_day):
            say_timetable_day(dispatcher, feed, at, language, with_time=not whole_day)
        response, live_note = "utter_transit_departures", ""
        # A remembered route's destination may need a change; of several places named
        # after the station ("from Shuanglong … near Futian … Longgang"), no train may go
        # towards all: the nearest one named, then every line, are tried.
        ways = [towards, *([towards[:1]] if len(towards) > 1 else [])]
        if towards is remembered_towards or (towards and not whole_day):
            # "next 550 bellevue to seattle", where no 550 goes to the stop called Seattle:
            # the station's trains every way rather than "no departures". (A first or
            # last train towards a place no line joins is the day's connection, below.)
            ways.append([])
        for way in ways:
            if wants_last_departure(text):
                board = last_board(feed, station.stop_id, at, route_ids=route_ids, towards=way)
                response = "utter_transit_last_departures"
            elif wants_first_departure(text):
                board = first_board(feed, station.stop_id, at, route_ids=route_ids, towards=way)
                response = "utter_transit_first_departures"
            else:
                board = next_board(
                    feed, station.stop_id, at, delays or (), route_ids=route_ids, towards=way
                )
                if delays is None and at - now <= LIVE_HORIZON:
                    live_note = phrase("transit.no_live", language)
            if board.boards:
                break
        latest_text = _text_of(_latest(tracker))
        compass = (
            (compass_asked(latest_text, feed) or compass_asked(text, feed)) if not towards else None
        )
        if compass is not None:
            # "first train outta 22nd st going south", "northbound": that way on the map.
            board = going(feed, board, compass)
        if not board.boards and routes and not _serves(feed, station.stop_id, routes):
            # "the last line 1 train from Shekou Port": Line 1 never stops there. Said,
            # then the lines that do, the way asked.
            dispatcher.utter_message(
                response="utter_transit_line_not_at_station",
                line=" / ".join(lines_label(routes, language)),
                station=name,
            )
            route_ids = None
            for way in ways:
                board = _board_of(feed, station.stop_id, at, text, way, delays)
                if board.boards:
                    break
        named_towards = bool(towards) and towards is not remembered_towards
        if (
            not board.boards
            and named_towards
            and whole_day
            and not route_ids
            and not away_from
            and not self.station_only
        ):
            # "那从大运回福田口岸末班车几点": no line runs from here to there, so the
            # day's last (or first) connection, changes included (the route names the day).
            del dispatcher.messages[said_before:]
            return await ActionTransitRoute(self.asked_when).run(dispatcher, tracker, domain)
        if away_from:
            board = _other_ways(feed, station.stop_id, at, text, route_ids, away_from, delays)
        # With a line named, its board already says when it next runs: "no buses leave
        # until 08:57" would wrongly speak for every line of the stop.
        if board.resumes_at is not None and not (route_ids and board.boards):
            dispatcher.utter_message(
                response="utter_transit_service_resumes",
                station=name,
                vehicles=words.vehicles(language),
                time=clock(board.resumes_at, feed),
            )
        often = (
            headways(feed, station.stop_id, at, route_ids=route_ids, towards=way)
            if board.boards
            and response == "utter_transit_departures"
            and compass is None
            and not away_from
            and asks_how_often(text)
            else ()
        )
        if often:
            # "how often does the 5 come?": each line's usual gap in the hour asked about.
            dispatcher.utter_message(
                response="utter_transit_headways",
                station=name,
                time=clock(at, feed),
                headways=headway_text(often, feed, language),
            )
        elif board.boards:
            if response == "utter_transit_last_departures" and wants_first_departure(text):
                # "首班和末班是几点", "first and last bus": the day's first, then its last.
                day_first = first_board(feed, station.stop_id, at, route_ids=route_ids, towards=way)
                if compass is not None:
                    day_first = going(feed, day_first, compass)
                if day_first.boards:
                    dispatcher.utter_message(
                        response="utter_transit_first_departures",
                        station=name,
                        board=board_text(day_first, feed, language),
                        live_note="",
                    )
            dispatcher.utter_message(
                response=response,
                station=name,
                board=board_text(board, feed, language),
                live_note=live_note,
            )
        if board.boards:
            if asks_platform(latest_text):
                # "which platform at palo alto for sunnyvale?": where those trains leave.
                say_platforms(dispatcher, feed, board, name, language, with_board=False)
        elif board.resumes_at is None:
            dispatcher.utter_message(response="utter_transit_no_departures", station=name)
        events: List[EventType] = [
            SlotSet(STATION_SLOT, station.stop_id),
            SlotSet(TOPIC_SLOT, TOPIC),
        ]
        if towards and towards is not remembered_towards and not away_from:
            # "next train from Shenzhen North to Futian Checkpoint": a trip was named, so
            # "fare" or "how long?" next is about it.
            events += [SlotSet(ORIGIN_SLOT, station.stop_id), SlotSet(DESTINATION_SLOT, towards[0])]
        return events


def say_a_mode_the_feed_lacks(
    dispatcher: CollectingDispatcher, feed: TransitFeed, text: str, language: str | None
) -> None:
    """ "坐几路公交车" to a metro's timetable: no bus numbers made up; it says it has none,
    and the answer that follows is by the feed's own vehicles."""
    mode = mode_the_feed_lacks(feed, text)
    said = any(m.get("response") == "utter_transit_mode_not_in_feed" for m in dispatcher.messages)
    if mode is not None and not said:
        dispatcher.utter_message(
            response="utter_transit_mode_not_in_feed",
            asked=vehicles_of(mode, language),
            vehicles=feed_words(feed).vehicles(language),
        )


#: "which trams stop at X", "what buses go from X", "X有哪些车经过": the lines at a station.
_WHICH_LINES = mixed_pattern(
    r"\b(?:which|what)\s+(?:bus(?:es)?|trams?|trains?|lines?|routes?|metros?)\s+"
    r"(?:stop|go|run|leave|call|pass|serve)s?\b"
    r"|有哪些(?:车|公交|巴士|电车|電車|线路|線路|地铁|地鐵)|哪些(?:车|公交|巴士|电车|電車|线路|線路)(?:经过|經過|停|会停)"
    r"|(?:几|幾)路车(?:经过|經過|停)",
    re.IGNORECASE,
)


async def answer_whether_a_line_stops(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "does the 121 not stop at the hospital?" read as a plain no or an inform: the
    line's trains at the place (or that it does not call there). None otherwise."""
    feed = city_services().loaded_feed()
    message = _latest(tracker)
    text = _text_of(message)
    if feed is None or not _ASKS_IF_IT_STOPS.search(text) or not lines_asked(feed, message):
        return None
    places = await named_places(tracker)
    if places is None or not any(place.station is not None for place in places.all):
        return None
    return await ActionTransitDepartures().run(dispatcher, tracker, domain)


def asks_which_lines(text: str) -> bool:
    """ "which trams stop at X", "这里有哪些电车经过": the lines at a station."""
    return bool(_WHICH_LINES.search(text))


def _of_the_mode_named(feed: TransitFeed, station: Stop, text: str) -> list[str] | None:
    """The station's lines of the mode the message names ("坐船去芬兰堡": the ferries),
    when it has some and others; None otherwise (every line)."""
    modes = modes_named(text)
    if not modes:
        return None
    served = feed.route_ids_at.get(station.stop_id, frozenset())
    leaving = _routes_leaving(feed, station)
    kept = sorted(
        r for r in served & leaving if r in feed.routes and feed.routes[r].route_type in modes
    )
    return kept if kept and len(kept) < len(served) else None


#: Each line's hub per loaded feed, by (route_id, station avoided): a scan of every trip.
_HUBS: PerFeed[dict[tuple[str, str], str | None]] = PerFeed()


def line_hub(feed: TransitFeed, route_id: str, avoid: Stop | None = None) -> Stop | None:
    """:func:`_line_hub`, worked out once per feed, line and station avoided."""
    hubs = _HUBS.get(feed, dict)
    key = (route_id, feed.station_of(avoid.stop_id).stop_id if avoid is not None else "")
    if key not in hubs:
        found = _line_hub(feed, route_id, avoid)
        hubs[key] = found.stop_id if found is not None else None
    hub = hubs[key]
    return feed.stops[hub] if hub is not None else None


def _line_hub(feed: TransitFeed, route_id: str, avoid: Stop | None = None) -> Stop | None:
    """The line's busiest interchange (the stop it serves with most other lines), then
    the one most of its trips leave from: where a rider asking about "the 6" without a
    stop most likely boards it (a transfer centre rather than one stop of sixty)."""
    leaving: dict[str, int] = {}
    for trip_id, trip in feed.trips.items():
        if trip.route_id != route_id:
            continue
        for call in feed.stop_times.get(trip_id, ())[:-1]:
            if call.stop_id in feed.stops:
                station = feed.station_of(call.stop_id).stop_id
                if avoid is not None and station == feed.station_of(avoid.stop_id).stop_id:
                    continue  # the place the rider is going: not where they board
                leaving[station] = leaving.get(station, 0) + 1
    if not leaving:
        return None
    # Every stop of a line in both directions is left as often as the next: the
    # interchange with most lines is where riders meet it ("Marion Transit Center").
    best = max(
        leaving,
        key=lambda stop_id: (len(feed.route_ids_at.get(stop_id, ())), leaving[stop_id], stop_id),
    )
    return feed.stops[best]


def _routes_leaving(feed: TransitFeed, station: Stop) -> frozenset[str]:
    """The routes whose trips leave the station for somewhere (not only end there)."""
    stop_ids = (station.stop_id, *feed.children.get(station.stop_id, ()))
    return frozenset(
        feed.trips[trip_id].route_id
        for stop_id in stop_ids
        for trip_id, index in feed.calls_at.get(stop_id, ())
        if index < len(feed.stop_times[trip_id]) - 1
    )


def _say_not_served(
    dispatcher: CollectingDispatcher, feed: TransitFeed, station: Stop, language: str | None
) -> None:
    """ "No trains call at … in the timetable I have": a station the feed lists, no trip
    serves."""
    dispatcher.utter_message(
        response="utter_transit_station_not_served",
        station=station_name(station, language),
        vehicles=feed_words(feed).vehicles(language),
    )


def _has_trips(feed: TransitFeed, station_id: str) -> bool:
    """Does anything call at the station (any of its platforms) at all? Feeds list
    stations no trip serves: closed ones, the mainline station beside the line's own."""
    return bool(routes_serving(feed, station_id))


def _serves(feed: TransitFeed, station_id: str, routes: Sequence[Route]) -> bool:
    """Does any of ``routes`` call at the station (any of its platforms)?"""
    serving = {route.route_id for route in routes_serving(feed, station_id)}
    return any(route.route_id in serving for route in routes)


def _board_of(
    feed: TransitFeed,
    station_id: str,
    at: dt.datetime,
    text: str,
    towards: list[str],
    delays: Any,
) -> Any:
    """The board the question asks for (last, first or next), on every line."""
    if wants_last_departure(text):
        return last_board(feed, station_id, at, towards=towards)
    if wants_first_departure(text):
        return first_board(feed, station_id, at, towards=towards)
    return next_board(feed, station_id, at, delays or (), towards=towards)


#: A next departure sooner than this after the time asked means trains still run then.
STILL_RUNNING = dt.timedelta(hours=3)


def _service_day(now: dt.datetime) -> dt.date:
    """The service day ``now`` belongs to: before the day's start, the day before's."""
    if now.timetz().replace(tzinfo=None) < SERVICE_DAY_STARTS:
        return now.date() - dt.timedelta(days=1)
    return now.date()


def _next_service_day_start(now: dt.datetime, day: dt.date | None) -> dt.datetime:
    """When the service day of ``day`` starts, or of the next one to start after ``now``."""
    if day is not None:
        return dt.datetime.combine(day, SERVICE_DAY_STARTS, tzinfo=now.tzinfo)
    start = dt.datetime.combine(now.date(), SERVICE_DAY_STARTS, tzinfo=now.tzinfo)
    return start if start > now else start + dt.timedelta(days=1)


def _on_the_day_asked_before(tracker: Tracker, when: dt.datetime, now: dt.datetime) -> dt.datetime:
    """``when``'s time on the day the last trip or station question named, if it named one."""
    earlier = earlier_transit_question(tracker)
    day = requested_day(str(earlier[1].get("text") or ""), now) if earlier else None
    if day is None or day == when.date():
        return when
    return dt.datetime.combine(day, when.timetz())


def _towards_in(feed: TransitFeed, index: Any, message: dict[str, Any], station: Stop) -> list[str]:
    """The stations an earlier question named as the way to go from ``station``."""
    named = places_in(feed, index, message)
    here = feed.station_of(station.stop_id).stop_id
    return [
        p.station.stop_id
        for p in named.all
        if p.station is not None and feed.station_of(p.station.stop_id).stop_id != here
    ]


def _other_ways(
    feed: TransitFeed,
    station_id: str,
    at: dt.datetime,
    text: str,
    route_ids: list[str] | None,
    away_from: list[str],
    delays: Any,
) -> Board:
    """The trains at a station going every way but towards ``away_from``."""

    def board_towards(way: list[str]) -> Board:
        if wants_last_departure(text):
            return last_board(feed, station_id, at, route_ids=route_ids, towards=way)
        if wants_first_departure(text):
            return first_board(feed, station_id, at, route_ids=route_ids, towards=way)
        return next_board(feed, station_id, at, delays or (), route_ids=route_ids, towards=way)

    asked = {(b.route.route_id, tuple(b.headsign.items())) for b in board_towards(away_from).boards}
    every = board_towards([])
    others = tuple(
        b for b in every.boards if (b.route.route_id, tuple(b.headsign.items())) not in asked
    )
    return Board(others or every.boards, every.resumes_at)


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
        replaced = _replaced_end(feed, tracker, places.denied)
        if replaced == DESTINATION_SLOT:
            # "I meant Airport East, not Airport": the end said not to be meant changes.
            destination, destination_stop = only, only.station
        elif replaced == ORIGIN_SLOT:
            origin, origin_stop = only, only.station
        elif _another_end_asked(feed, tracker, only):
            # "and boeki center?" right after the way from Minatojima to Sannomiya: the
            # same trip, to there.
            destination, destination_stop = only, only.station
        elif _remembered(feed, tracker, ORIGIN_SLOT) and not tracker.get_slot(DESTINATION_SLOT):
            destination, destination_stop = only, only.station
        else:
            origin, origin_stop = only, only.station
    if origin is None and not places.all:
        origin_stop = _remembered(feed, tracker, ORIGIN_SLOT)
    if destination is None and (not places.all or origin is not None):
        destination_stop = destination_stop or _remembered(feed, tracker, DESTINATION_SLOT)
        started = _remembered(feed, tracker, ORIGIN_SLOT)
        if (
            origin_stop is not None
            and destination_stop is not None
            and started is not None
            and _same_station(feed, origin_stop, destination_stop)
            and not _same_station(feed, started, origin_stop)
            and _asks_the_way_back(_text_of(_latest(tracker)))
        ):
            # "coming back, can I ride directly back from Minami Koen?" after Sannomiya →
            # Minami Koen: from where the trip went, back to where it started.
            destination_stop = started
    if origin is None and destination is not None and not origin_stop:
        origin_stop = where_the_rider_is(feed, tracker)
        started = _remembered(feed, tracker, ORIGIN_SLOT)
        went_to = _remembered(feed, tracker, DESTINATION_SLOT)
        said = _text_of(_latest(tracker))
        if (
            went_to is not None
            and destination_stop is not None
            and not _same_station(feed, went_to, destination_stop)
            and (asks_the_other_way(said) or goes_on_from_there(said))
        ):
            # From where the trip went, to the place now named: "tmrw am other way, need
            # to be at louis st-laurent by 8" after a trip to Old Chelsea; "然后再去
            # Brandon mall 呢", "and then on to the mall" (the next leg).
            origin_stop = went_to
        if (
            destination_stop is not None
            and started is not None
            and went_to is not None
            and _same_station(feed, started, destination_stop)
        ):
            # "仲有冇車返羅湖？" after 罗湖 → 世界之窗: back from where the trip went.
            origin_stop = went_to
    return origin, destination, origin_stop, destination_stop


#: "然后再去…", "之后去…", "and then on to…", "from there to…": a next leg of the trip.
_ON_FROM_THERE = mixed_pattern(
    r"然后再?去|然后再?到|之后再?去|接着去|再去|再到|跟住去|然后去|"
    r"\bthen (?:on )?to\b|\band then\b|\bafter that\b|\bfrom there\b|\bonwards? to\b|"
    r"\bnext leg\b|\bcontinue to\b",
    re.IGNORECASE,
)


def goes_on_from_there(text: str) -> bool:
    """The message asks for the next leg of a trip, from where it went."""
    return bool(_ON_FROM_THERE.search(to_simplified(text or "")))


#: What a bare "and X?" says besides the place: "and", "what about", "那…呢".
_AND_WHAT_ABOUT = mixed_pattern(
    r"^(?:\s|[,.?!？！，。…]|\b(?:ok|okay|and|what|how|about|then|so|instead)\b"
    r"|那么|那|咁|呢|嘞|啊|吗|嗎|呀)*$",
    re.IGNORECASE,
)


def _only_another_end(feed: TransitFeed, tracker: Tracker, places: Places) -> bool:
    """The message names one station, unmarked, as another end of the route just given."""
    return (
        len(places.all) == 1
        and places.origin is None
        and places.destination is None
        and _another_end_asked(feed, tracker, places.all[0])
    )


def _another_end_asked(feed: TransitFeed, tracker: Tracker, place: Place) -> bool:
    """ "and boeki center?", "what about X then", "那X呢" right after a route, naming one
    station that is neither end of it: another destination for the same start."""
    if last_response(tracker) not in ("utter_transit_route", "utter_transit_no_route"):
        return False
    started = _remembered(feed, tracker, ORIGIN_SLOT)
    went_to = _remembered(feed, tracker, DESTINATION_SLOT)
    station = place.station
    if started is None or went_to is None or station is None:
        return False
    if _same_station(feed, station, started) or _same_station(feed, station, went_to):
        return False
    text = str(_latest(tracker).get("text") or "")
    return bool(place.query) and bool(_AND_WHAT_ABOUT.match(text.replace(place.query, " ", 1)))


def _asks_the_way_back(text: str) -> bool:
    """ "coming back", "回程", "the way back": not "I'm at X actually", which corrects."""
    return asks_the_other_way(text) or bool(_WAY_BACK.search(to_simplified(text)))


#: Most stops a name several stops share is tried as a trip's end before asking which.
MAX_ENDS_TRIED = 8


def _settled_by_the_trip(
    feed: TransitFeed,
    origin: Place | None,
    destination: Place | None,
    origin_stop: Stop | None,
    destination_stop: Stop | None,
    when: dt.datetime,
) -> tuple[Place | None, Place | None, Stop | None, Stop | None]:
    """An end named by a word several stops share ("wakefield", "hogan" on a network of
    "Street | Cross street" stops), the other end known: the stop of those that gets
    there first, as a rider looking at the map would choose, instead of "which one?".
    Unchanged when the name fits more stops than are tried, or none of them is reached."""

    def best(place: Place, fixed: Stop, as_origin: bool) -> Stop | None:
        stops = place.match.stops
        if place.match.kind is not MatchKind.AMBIGUOUS or not 1 < len(stops) <= MAX_ENDS_TRIED:
            return None
        arrivals = []
        for stop in stops:
            start, end = (stop, fixed) if as_origin else (fixed, stop)
            if _same_station(feed, start, end):
                continue
            journey = plan(
                feed, start.stop_id, end.stop_id, when, change_penalty_s=CHANGE_PENALTY_S
            )
            if journey is not None:
                arrivals.append((journey.arrival, stop))
        return min(arrivals, key=lambda pair: pair[0])[1] if arrivals else None

    if origin is not None and origin.station is None and destination_stop is not None:
        chosen = best(origin, destination_stop, as_origin=True)
        if chosen is not None:
            origin = Place(origin.query, StopMatch(MatchKind.EXACT, (chosen,)), origin.role)
            origin_stop = chosen
    if destination is not None and destination.station is None and origin_stop is not None:
        chosen = best(destination, origin_stop, as_origin=False)
        if chosen is not None:
            destination = Place(
                destination.query, StopMatch(MatchKind.EXACT, (chosen,)), destination.role
            )
            destination_stop = chosen
    return origin, destination, origin_stop, destination_stop


def _replaced_end(feed: TransitFeed, tracker: Tracker, denied: tuple[Stop, ...]) -> str | None:
    """Which end of the trip asked before a station said not to be meant was: its slot."""
    for slot in (ORIGIN_SLOT, DESTINATION_SLOT):
        remembered = _remembered(feed, tracker, slot)
        if remembered is None:
            continue
        station = feed.station_of(remembered.stop_id).stop_id
        if any(feed.station_of(stop.stop_id).stop_id == station for stop in denied):
            return slot
    return None


#: Words that say the last answer was about the wrong thing.
_CORRECTING = mixed_pattern(
    r"不对|不是这|错了|搞错|说错|讲错|弄错|打错|写错|应该是|\bi meant\b|\bsorry\b|\bactually\b"
    r"|\bwait,? no\b",
    re.I,
)


def _same_station(feed: TransitFeed, one: Stop, other: Stop) -> bool:
    return feed.station_of(one.stop_id).stop_id == feed.station_of(other.stop_id).stop_id


def _corrects_the_station(feed: TransitFeed, tracker: Tracker, places: Places, text: str) -> bool:
    """ "the flat is near Buji, not Shuanglong": another station for the last question."""
    station = _remembered(feed, tracker, STATION_SLOT)
    if station is None or len(places.all) != 1 or asks_departures(text):
        return False
    if places.all[0].station is None:
        return False
    asked = feed.station_of(station.stop_id).stop_id
    if feed.station_of(places.all[0].station.stop_id).stop_id == asked:
        return False
    # "not Shuanglong" names the station replaced; "哦不对，我是从机场那个站坐" only
    # says the last answer was for the wrong one.
    denied = any(feed.station_of(stop.stop_id).stop_id == asked for stop in places.denied)
    return denied or bool(_CORRECTING.search(to_simplified(text)))


def corrects_the_trip(feed: TransitFeed, tracker: Tracker, places: Places) -> bool:
    """ "sorry I meant Futian Checkpoint not Futian" after a route: one end replaced."""
    return len(places.all) == 1 and _replaced_end(feed, tracker, places.denied) is not None


def _legs_text(feed: TransitFeed, journey: Any, language: str | None) -> str:
    """One line per ride, and one per walk to another station after the ride it follows
    (or before the first, from the origin to a station nearby)."""
    lines = [
        phrase(
            "transit.walk",
            language,
            minutes=walk.minutes,
            stop=station_name(feed.station_of(walk.to_stop_id), language),
        )
        for walk in journey.walks
        if walk.after_leg < 0
    ]
    for index, leg in enumerate(journey.legs):
        route = feed.routes[leg.route_id]
        board = station_name(feed.station_of(leg.board_stop_id), language)
        alight = station_name(feed.station_of(leg.alight_stop_id), language)
        towards = feed.headsign_names(feed.trips[leg.trip_id])
        headsign = towards.get(lang(language)) or next(iter(towards.values()), "")
        # Where the feed names the platform ("SB"), the rider is told where to stand.
        platform = platform_of(feed, leg.board_stop_id)
        if lang(language) == "en":
            at = f" (platform {platform})" if platform else ""
            lines.append(
                f"• {line_label(route, language)} towards {headsign}: board at {board}{at} "
                f"{clock(leg.board_at, feed)}, {leg.stops} stops, get off at {alight} "
                f"{clock(leg.alight_at, feed)}"
            )
        else:
            at = f"（{platform} 站台）" if platform else ""
            lines.append(
                f"• {line_label(route, language)} 往{headsign}：{clock(leg.board_at, feed)} "
                f"{board}{at}上车，乘坐 {leg.stops} 站，{clock(leg.alight_at, feed)} {alight}下车"
            )
        for walk in journey.walks:
            if walk.after_leg == index:
                to = station_name(feed.station_of(walk.to_stop_id), language)
                lines.append(phrase("transit.walk", language, minutes=walk.minutes, stop=to))
    return "\n".join(lines)


async def _a_document_instead(
    dispatcher: CollectingDispatcher, tracker: Tracker, places: Places
) -> List[EventType] | None:
    """The permits journey's answer to a transit question that is about a document.

    A message that names a permit and none of the feed's stations ("唔見咗張身份證",
    the model having read the metro it was lost in): the entry named, or, for a
    document lost or to be replaced, the permits journey's question of which entry.
    None otherwise, so the transit answer goes on.
    """
    if any(place.station is not None for place in places.all):
        return None
    said = _text_of(_latest(tracker))
    if not permit_phrase(said):
        return None
    answered = await answer_named_permit(dispatcher, tracker)
    if answered is None:
        answered = await answer_lost_document(dispatcher, tracker)
    return answered


#: Words that make a phrase a permit for certain (not 证 alone: "深证北站" is a slip).
_A_PERMIT = re.compile(r"许可|执照|牌照|证照|licen[cs]e|permit", re.I)


class ActionTransitRoute(Action):
    """The earliest-arriving journey from A to B, leaving now or when the rider says.

    ``asked_when``: as for ``ActionTransitDepartures``.
    """

    def __init__(
        self, asked_when: str | None = None, *, arrive_before: dt.datetime | None = None
    ) -> None:
        self.asked_when = asked_when
        #: "the one before?" after a journey: the latest arriving before this moment.
        self.arrive_before = arrive_before

    def name(self) -> str:
        return "action_transit_route"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = await self._answer(dispatcher, tracker, domain)
        await offer_a_report(dispatcher, tracker)  # a problem told beside the trip asked
        # "地址是 2415 15th Ave S。对了，顺便问一下 … 下一班几点？" in the middle of a
        # report: the question answered here, the place kept for the report.
        return [*events, *place_said_in_passing(tracker)]

    async def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if corrects_an_earlier_answer(tracker):
            return []  # a report's place taken back: the form takes it
        if asks_about_the_shown_ticket(tracker):
            await answer_status(dispatcher, tracker)  # "and what was it even about"
            return []
        if await refuses_details_again(dispatcher, tracker):
            return []  # "at least the email then" right after a refusal of details
        answered = await _answered_otherwise(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        if self.asked_when is None and self.arrive_before is None:
            # "which one is fastest" after a trip's trains: the quickest from those shown.
            answered = await answer_the_fastest(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        language = tracker.get_slot("language")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        message = _latest(tracker)
        places = places_in(feed, index, message)
        if (
            self.asked_when is None
            and len(places.all) == 1
            and places.all[0].station is not None
            and asks_which_lines(_text_of(message))
        ):
            # "which trams stop at Toolontori": the station's lines and their next trains.
            return await ActionTransitDepartures().run(dispatcher, tracker, domain)
        missing_line = unknown_line(feed, message, places) if self.asked_when is None else None
        if missing_line is not None:
            # "does line 20 stop there too? want to go to the convention centre": no such
            # line in the timetable is said first; the way there follows.
            say_unknown_line(dispatcher, feed, missing_line, language)
        no_station = not any(place.station is not None for place in places.all)
        named_permit = permit_phrase(_text_of(message)) if self.asked_when is None else None
        if no_station and named_permit:
            # "身份证丢了😭 后天要坐高铁回老家 怎么半啊": no station, a permit named.
            answered = await answer_named_permit(dispatcher, tracker)
            if answered is not None:
                return answered
            if _A_PERMIT.search(named_permit):
                # "无人机飞行许可你们能办吗 我想去深圳湾航拍": no station found, and a
                # permit the catalogue may lack: the permits journey says so.
                return await answer_permit_question(dispatcher, tracker, "requirements")
        if not places.all and asks_the_other_way(_text_of(message)):
            # "what about the other direction?" read as a route question.
            answered = await answer_the_other_way(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        earlier = earlier_transit_question(tracker) if self.asked_when is None else None
        if (
            earlier is not None
            and earlier[0] == "departures"
            and places.origin is not None
            and places.destination is None
            and len(places.all) == 1
            and not asks_departures(_text_of(message))
        ):
            asked = _text_of(earlier[1])
            if wants_last_departure(asked) or wants_first_departure(asked):
                # "要是从世界之窗上车呢" after "那末班车呢": that last train, from there.
                return await ActionTransitDepartures(asked_what=asked).run(
                    dispatcher, tracker, domain
                )
        if (
            self.asked_when is None
            and self.arrive_before is None
            and _is_trip(places)
            and asks_how_often(_text_of(message))
        ):
            # "how often does the tram to Benidorm go on Saturday mornings? … from Luceros
            # around 10": each line's usual gap that way, not one journey.
            return await ActionTransitDepartures().run(dispatcher, tracker, domain)
        if self.asked_when is None and _is_trip(places) and asks_only_fare(_text_of(message)):
            # "from 华强北 to 海上世界 how much ah" read as a route question: its price.
            return await ActionTransitFare().run(dispatcher, tracker, domain)
        origin, destination, origin_stop, destination_stop = _ends(feed, tracker, places)
        settled = await asyncio.to_thread(
            _settled_by_the_trip, feed, origin, destination, origin_stop, destination_stop,
            requested_time(_text_of(_latest(tracker)), now_for(feed)) or now_for(feed),
        )  # fmt: skip
        origin, destination, origin_stop, destination_stop = settled
        problem = unresolved([origin, destination])
        events: list[EventType] = [SlotSet(TOPIC_SLOT, TOPIC)]
        if origin_stop is not None:
            events.append(SlotSet(ORIGIN_SLOT, origin_stop.stop_id))
        if destination_stop is not None:
            events.append(SlotSet(DESTINATION_SLOT, destination_stop.stop_id))
        if problem is not None:
            # "去深圳湾公园坐几路公交车？": no bus timetable here, then "which station?".
            say_a_mode_the_feed_lacks(dispatcher, feed, _text_of(_latest(tracker)), language)
            say_unresolved(dispatcher, feed, problem, "transit_route", language)
            return events
        if origin_stop is None or destination_stop is None:
            if (
                self.asked_when is None
                and places.origin is not None
                and places.destination is None
                and len(places.all) == 1
            ):
                # "is the train leaving hillsdale northbound around 8:15 a bullet?": where
                # from, and no other end: its trains, at the time asked.
                return await ActionTransitDepartures().run(dispatcher, tracker, domain)
            if (
                destination_stop is not None
                and origin_stop is None
                and say_lines_to(dispatcher, feed, destination_stop, language)
            ):
                # "which bus goes to the airport": the lines that call there, then where
                # from (for the times).
                return events
            ask_for_places(dispatcher, feed, language)
            return events
        names = {
            "origin": station_name(origin_stop, language),
            "destination": station_name(destination_stop, language),
        }
        same = _same_station(feed, origin_stop, destination_stop)
        other = [
            place.station
            for place in places.all
            if place.station is not None
            and not _same_station(feed, place.station, destination_stop)
        ]
        if same and len(other) == 1:
            # "hospital站 to Universitat, 下一班? … get her stuff from uni": the one
            # station named that is not where the trip goes is where it starts.
            origin_stop = other[0]
            names["origin"] = station_name(origin_stop, language)
            events.append(SlotSet(ORIGIN_SLOT, origin_stop.stop_id))
            same = False
        if same and len(places.all) <= 1:
            # "can i change to the green line there at vila prudente?" after a trip from
            # Vila Prudente: one station named, the other end is only the trip's start.
            # Its trains (of the line named) answer, not "Vila Prudente and Vila Prudente".
            return await ActionTransitDepartures(station_only=True).run(dispatcher, tracker, domain)
        if same:
            dispatcher.utter_message(
                response="utter_transit_same_station",
                place=feed_words(feed).place(language),
                **names,
            )
            return events
        now = now_for(feed)
        asked = self.asked_when if self.asked_when is not None else str(message.get("text") or "")
        asked = _with_the_question_turned_round(tracker, asked)
        when = requested_time(asked, now)
        if when is not None and misses_the_time_named(_text_of(_latest(tracker))):
            when += dt.timedelta(minutes=1)  # "not gonna make the 8:12": the one after it
        if when is not None and not places.all and requested_day(asked, now) is None:
            # "大概几点出发能九点前到？" after "明天早上从莲塘口岸去深大": tomorrow at nine.
            when = _on_the_day_asked_before(tracker, when, now)
        if wants_first_departure(asked) and not wants_to_arrive_by(asked):
            # "搭第一班來得及嗎" (for an 8 o'clock flight), "the first train to the
            # airport": the day's first journey, the next service day if today's is gone.
            when = _next_service_day_start(now, requested_day(asked, now))
        say_a_mode_the_feed_lacks(dispatcher, feed, _text_of(_latest(tracker)), language)
        depart = when or now
        if when is not None and when.date() != now.date():
            say_timetable_day(dispatcher, feed, depart, language, with_time=False)
        by = when if when is not None and wants_to_arrive_by(asked) else None
        if self.arrive_before is not None:
            by = depart = self.arrive_before
        # The first question of a day builds that day's timetable (up to a second on a
        # big feed): off the event loop, so other residents are not kept waiting.
        if by is None and wants_last_departure(asked):
            # "那从大运回福田口岸末班车几点": the day's last connection, changes included.
            day = (when or now).date() if when is not None else _service_day(now)
            journey = await asyncio.to_thread(
                last_connection,
                feed,
                origin_stop.stop_id,
                destination_stop.stop_id,
                day,
                change_penalty_s=CHANGE_PENALTY_S,
            )
            if journey is not None:
                dispatcher.utter_message(response="utter_transit_last_connection")
        elif by is not None:
            journey = await asyncio.to_thread(
                arrive_by,
                feed,
                origin_stop.stop_id,
                destination_stop.stop_id,
                by,
                change_penalty_s=CHANGE_PENALTY_S,
            )
            if journey is not None:
                dispatcher.utter_message(response="utter_transit_arrive_by", time=clock(by, feed))
            elif by > now:
                # "need to be there by noon" when no train gets there by then: said so,
                # then the first connection there is.
                dispatcher.utter_message(
                    response="utter_transit_cannot_arrive_by", time=clock(by, feed), **names
                )
                depart = now
                journey = await asyncio.to_thread(
                    plan,
                    feed,
                    origin_stop.stop_id,
                    destination_stop.stop_id,
                    now,
                    change_penalty_s=CHANGE_PENALTY_S,
                )
        else:
            journey = await asyncio.to_thread(
                plan,
                feed,
                origin_stop.stop_id,
                destination_stop.stop_id,
                depart,
                change_penalty_s=CHANGE_PENALTY_S,
            )
            # Tenjin to Tenjin-minami: a walk, not a ride out and back. (Only here: a last
            # connection or an arrive-by answer has already been announced as a ride.)
            walk = await asyncio.to_thread(
                on_foot, feed, origin_stop.stop_id, destination_stop.stop_id, depart
            )
            if walk is not None and (journey is None or journey.arrival >= walk.arrival):
                journey = walk
            if journey is not None and journey.legs and asks_for_a_direct_ride(asked):
                # "is there a way without switching trains?": one ride, if any, however
                # much later it arrives; otherwise said so before the way with changes.
                journey = await _a_direct_ride_or(
                    dispatcher, feed, origin_stop, destination_stop, depart, journey, names
                )
        if journey is None:
            resumes_at = first_departure_after(feed, origin_stop.stop_id, depart)
            # Trains still leave soon (23:30), only no connection gets there that late: no
            # "service resumes at 23:30", but the day's last connection, if one was earlier.
            still_running = resumes_at is not None and resumes_at - depart < STILL_RUNNING
            last_one: Journey | None = None
            if still_running:
                last_one = await asyncio.to_thread(
                    last_connection,
                    feed,
                    origin_stop.stop_id,
                    destination_stop.stop_id,
                    _service_day(depart),
                    change_penalty_s=CHANGE_PENALTY_S,
                )
                if last_one is not None and last_one.departure >= depart:
                    last_one = None
            resumes = (
                phrase("transit.resumes", language, time=clock(resumes_at, feed))
                if resumes_at is not None and not still_running
                else ""
            )
            unserved = [
                s for s in (destination_stop, origin_stop) if not _has_trips(feed, s.stop_id)
            ]
            if unserved:
                # "do any of them go all the way to srodmiescie": none ever does.
                _say_not_served(dispatcher, feed, unserved[0], language)
                return events
            dispatcher.utter_message(
                response="utter_transit_no_route",
                depart=clock(depart, feed),
                resumes=resumes,
                **names,
            )
            if last_one is None:
                return events
            dispatcher.utter_message(response="utter_transit_last_connection")
            journey = last_one
        if not journey.legs and not journey.walks:
            # Two stops of one place (a stop and its station): nothing to ride.
            dispatcher.utter_message(
                response="utter_transit_same_station",
                place=feed_words(feed).place(language),
                **names,
            )
            return events
        delays = await live_delays() if depart - now < LIVE_HORIZON and journey.legs else ()
        late = delay_at(delays or (), journey.legs[0].trip_id) if delays else None
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
            changes=changes_text(max(len(journey.legs) - 1, 0), language),
            legs=_legs_text(feed, journey, language),
            live_note=live_note,
            **names,
        )
        return events


async def _a_direct_ride_or(
    dispatcher: CollectingDispatcher,
    feed: TransitFeed,
    origin: Stop,
    destination: Stop,
    depart: dt.datetime,
    fastest: Journey,
    names: dict[str, str],
) -> Journey:
    """The journey to show a rider who asked for one without changing: the fastest when
    it is one ride already, else the first single ride today, else the fastest after a
    word that no single ride gets there."""
    direct: Journey | None = fastest
    if len(fastest.legs) > 1:
        direct = await asyncio.to_thread(plan, feed, origin.stop_id, destination.stop_id, depart, 0)
    if direct is None or len(direct.legs) != 1:
        dispatcher.utter_message(
            response="utter_transit_no_direct_ride", depart=clock(depart, feed), **names
        )
        return fastest
    dispatcher.utter_message(response="utter_transit_direct_ride")
    return direct


def _who_knows(feed: TransitFeed, language: str | None) -> dict[str, str]:
    """Who to ask about tickets: the one operator running the feed's routes (a feed may
    list 37 agencies and run one, VBB's extract), else the city's hotline."""
    running = {route.agency_id for route in feed.routes.values()}
    agency = feed.agencies.get(running.pop()) if len(running) == 1 else None
    identity = city_services().identity
    if agency is not None and agency.name:
        return {"operator": agency.name, "phone": agency.phone or agency.url or identity.hotline}
    hotline_name = identity.hotline_name_en if language == "en" else identity.hotline_name_zh
    return {"operator": hotline_name, "phone": identity.hotline}


class ActionTransitFare(Action):
    """The fare between two stations, or the fare policy when no stations are named."""

    def name(self) -> str:
        return "action_transit_fare"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if corrects_an_earlier_answer(tracker):
            return []  # a report's place taken back: the form takes it
        if asks_about_the_shown_ticket(tracker):
            await answer_status(dispatcher, tracker)  # "and what was it even about"
            return []
        if await refuses_details_again(dispatcher, tracker):
            return []  # "at least the email then" right after a refusal of details
        answered = await _answered_otherwise(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        language = tracker.get_slot("language")
        about_permit = tracker.get_slot(TOPIC_SLOT) == "permits"
        if about_permit and not _latest(tracker).get("entities"):
            places = await named_places(tracker)
            if places is None or not places.all:
                # "what about for my kid? she's 5": what differs for a child, if the
                # words say so; "多少钱？" right after a permit question: its fee.
                followed = await answer_permit_follow_up(dispatcher, tracker)
                if followed is not None:
                    return followed
                return await answer_permit_question(dispatcher, tracker, "fee")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        places = places_in(feed, index, _latest(tracker))
        answered = await _a_document_instead(dispatcher, tracker, places)
        if answered is not None:
            # "我啱啱喺地鐵度唔見咗張身份證 … 點算好" read as a fare question: the permit.
            return answered
        said = str(_latest(tracker).get("text") or "")
        if asks_how_to_pay(said) and not asks_fare(said) and not _is_trip(places):
            # "can I just tap my suica": how to pay, which a timetable never says ("how
            # much, and can I pay with my Visa card?" asks the fare first).
            dispatcher.utter_message(
                response="utter_transit_payment_unknown", **_who_knows(feed, language)
            )
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        concession = asks_a_concession(said)
        if concession and not _is_trip(places):
            # "老人坐地铁免费吗": GTFS fares are full fares; who gets what discount is the
            # operator's to say, and the rider is sent to it rather than told a number.
            dispatcher.utter_message(
                response="utter_transit_concession_unknown",
                who=concession,
                **_who_knows(feed, language),
            )
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        if _is_trip(places) and not asks_fare(said):
            # "I want to go from X to Y" read as a fare question: it asks for a route.
            return await ActionTransitRoute().run(dispatcher, tracker, domain)
        if places.all and not asks_fare(said) and last_response(tracker) in _ANSWERS:
            # "and if I'm going the other way, to the airport?" after a route or a
            # station's trains, read as a fare question: the way there. (After a fare,
            # "and to Futian?" stays a fare: no route or trains were answered last.)
            return await ActionTransitRoute().run(dispatcher, tracker, domain)
        policy = fare_policy(feed)
        if policy is None:
            # Many cities publish timetables without fares: no trip to ask for, no price
            # to find; who does know is said at once.
            dispatcher.utter_message(
                response="utter_transit_fares_not_published", **_who_knows(feed, language)
            )
            if _is_trip(places) and asks_the_way(said):
                # "how much … and which train do i take": the way, after the fare.
                return await ActionTransitRoute().run(dispatcher, tracker, domain)
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        origin, destination, origin_stop, destination_stop = _ends(feed, tracker, places)
        events: list[EventType] = [SlotSet(TOPIC_SLOT, TOPIC)]
        problem = unresolved([origin, destination])
        if problem is not None:
            say_unresolved(dispatcher, feed, problem, "transit_fare", language)
            return events
        same_place = origin_stop is not None and origin_stop == destination_stop
        if origin_stop is None or destination_stop is None or same_place:
            self._policy(dispatcher, feed, policy, language)
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
        else:
            dispatcher.utter_message(
                response="utter_transit_fare",
                # "how much will it cost us both": each, and for the party
                price=price_for(fare.price, fare.currency, lang(language), party_size(said)),
                **names,
            )
        if _is_trip(places) and asks_the_way(said) and not asks_only_fare(said):
            # "how much is it from X to Y and which train do i take": the way too.
            return [*events, *await ActionTransitRoute().run(dispatcher, tracker, domain)]
        return events

    @staticmethod
    def _policy(
        dispatcher: CollectingDispatcher, feed: TransitFeed, policy: Any, language: str | None
    ) -> None:
        if policy is None:
            ask_for_places(dispatcher, feed, language)
            return
        words = feed_words(feed)
        low = money(policy.lowest, policy.currency, lang(language))
        high = money(policy.highest, policy.currency, lang(language))
        dispatcher.utter_message(
            response="utter_transit_fare_policy",
            range=low if low == high else f"{low}–{high}",
            by_distance=phrase("transit.by_distance", language) if policy.by_zone else "",
            transfers=phrase("transit.free_transfers", language) if policy.by_zone else "",
            example_from=words.example(language, 0),
            example_to=words.example(language, 1),
        )


#: Words that ask how the trains run, whatever else the message names.
_ASKS_ABOUT_SERVICE = mixed_pattern(
    r"延误|晚点|停运|不通|没来|没有车|等了|班次|运营|地铁|列车|公交|巴士|"
    r"\b(?:delays?|delayed|late|running|suspended|disrupt\w*|cancell?ed|trains?|metro|"
    r"subway|bus(?:es)?|service)\b",
    re.IGNORECASE,
)


#: Words of a disruption: what an alerts question is about.
_DISRUPTION = mixed_pattern(
    r"延误|晚点|停运|不通|故障|事故|封站|停驶|停开|正常吗|正常运营|有没有问题|出事|罢工|停了|"
    r"\b(?:delays?|delayed|late|suspended|disrupt\w*|cancell?ed|closed|closure|outage|"
    r"problems?|issues?|alerts?|strike|accident|normal|on time|running ok)\b",
    re.IGNORECASE,
)


#: "does the 2 stop at 103 st", "2号线停103街吗": whether a line calls at a station.
_ASKS_IF_IT_STOPS = mixed_pattern(
    # "停" asks whether it calls there, not "是不是停了", "停运", "停驶" (stopped running)
    r"停(?!了|运|運|驶|駛|摆|擺|开|開|止|电|電)(?:不停|靠|唔停)?|经过|經過"
    r"|\bstops?\s+(?:at|in|by)\b|\bgo(?:es)?\s+(?:to|through|via)\b"
    r"|\bcall(?:s)? at\b",
    re.IGNORECASE,
)


class ActionTransitAlerts(Action):
    """Disruptions on a line, at a station, or anywhere; or "running normally"."""

    def name(self) -> str:
        return "action_transit_alerts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if corrects_an_earlier_answer(tracker):
            return []  # a report's place taken back: the form takes it
        if asks_about_the_shown_ticket(tracker):
            await answer_status(dispatcher, tracker)  # "and what was it even about"
            return []
        if await refuses_details_again(dispatcher, tracker):
            return []  # "at least the email then" right after a refusal of details
        answered = await _answered_otherwise(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        if asks_about_the_status_shown(tracker):
            # "为什么不通过？" right after an application's status: not about the trains.
            return await answer_application_status(dispatcher, tracker)
        if await show_the_ticket(dispatcher, tracker):
            return []  # "what was the ticket number again?" right after filing a report
        language = tracker.get_slot("language")
        loaded = await load(dispatcher)
        if loaded is None:
            return []
        feed, index = loaded
        message = _latest(tracker)
        text = str(message.get("text") or "")
        places = places_in(feed, index, message)
        answered = await _a_document_instead(dispatcher, tracker, places)
        if answered is not None:
            # "頭先喺地鐵度俾人偷咗銀包，身份證都喺入面": the card, not the trains.
            return answered
        if not places.all and not _DISRUPTION.search(text):
            # "are there trains in the morning? need to be there by noon" after a trip:
            # that trip at that time, not the network's disruptions.
            answered = await answer_transit_follow_up(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        if (
            not lines_asked(feed, message)
            and not _ASKS_ABOUT_SERVICE.search(text)
            and await reports_a_problem(tracker, close_calls=says_a_facility_is_wrong(text))
        ):
            # "streetlight broken near Jingtian station exit B": a problem near a station,
            # not a question about the trains there.
            return start_report(tracker)
        if vents(text):
            # "深圳地铁就是垃圾，今天1号线又晚点半小时，赔钱！": heard first, then the status.
            dispatcher.utter_message(response="utter_sorry_for_the_trouble")
        missing_line = unknown_line(feed, message, places)
        if missing_line is not None:
            say_unknown_line(dispatcher, feed, missing_line, language)
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        routes = lines_asked(feed, message)
        stations = [p.station for p in places.all if p.station is not None]
        if (
            not places.all
            and not routes
            and not _ASKS_ABOUT_SERVICE.search(text)
            and not _DISRUPTION.search(text)
        ):
            # "seriously? nothing? just file it as something else so someone reads it":
            # nothing of transit in it; the model's guess is answered as not understood.
            from actions.conversation import ActionHandleFallback

            return await ActionHandleFallback().run(dispatcher, tracker, domain)
        if len(stations) == 2 and not routes and not _DISRUPTION.search(to_simplified(text)):
            # "trains from porta nolana to sarno this morning?": a trip, no word of trouble.
            return await ActionTransitRoute().run(dispatcher, tracker, domain)
        if stations and routes and _ASKS_IF_IT_STOPS.search(text):
            # "2号线停103街吗": whether the line calls there (the board says), not delays.
            return await ActionTransitDepartures().run(dispatcher, tracker, domain)
        if not stations and not routes and compass_asked(text, feed):
            # "going uptown" after the trains at Chambers St: that way there, not delays.
            answered = await answer_in_a_direction(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        unserved = [s for s in stations if not _has_trips(feed, s.stop_id)]
        if stations and len(unserved) == len(stations) and not routes:
            # "那 Warszawa Zachodnia 呢？也不停吗": no train calls there at all, which
            # "running normally" would hide.
            _say_not_served(dispatcher, feed, unserved[0], language)
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        published = await live_alerts(feed)
        if published is None:
            return await self._without_live_information(
                dispatcher, tracker, domain, feed, routes, stations
            )
        stop_ids = [s for st in stations for s in alert_rules.station_stop_ids(feed, st.stop_id)]
        found = alert_rules.relevant(
            published,
            now_for(feed),
            route_ids=[r.route_id for r in routes],
            stop_ids=stop_ids,
        )
        scope_names = lines_label(routes, language) + [station_name(s, language) for s in stations]
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
                scope=joined or feed_words(feed).network(language),
            )
        # "在布吉站台等了二十分钟" then "我要去老街": the rider is at the station asked about.
        # "Line 3 stuck between Buji and Caopu": the rider is at (or near) the first one
        # named, where "how else do I get to Laojie?" starts.
        here = [SlotSet(STATION_SLOT, stations[0].stop_id)] if stations else []
        return [*here, SlotSet(TOPIC_SLOT, TOPIC)]

    @staticmethod
    async def _without_live_information(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        feed: TransitFeed,
        routes: Sequence[Route],
        stations: Sequence[Stop],
    ) -> List[EventType]:
        """No live feed (none published, or not answering): say so, then the timetable.

        "is the 2 delayed rn?? been standing at chambers forever" in a city whose live
        feed cannot be read is not "I can't read the timetable": the timetable is there,
        and the next trains at the station named are what the rider can use.
        """
        language = tracker.get_slot("language")
        names = lines_label(routes, language) + [station_name(s, language) for s in stations]
        scope = (", " if lang(language) == "en" else "、").join(names)
        if not scope:
            network = feed_words(feed).network(language)
            # "The metro" opens a sentence elsewhere; here it is in the middle of one.
            scope = network[:1].lower() + network[1:] if lang(language) == "en" else network
        if not stations:
            dispatcher.utter_message(response="utter_transit_no_live_info_ask_station", scope=scope)
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        dispatcher.utter_message(response="utter_transit_no_live_info", scope=scope)
        return await ActionTransitDepartures().run(dispatcher, tracker, domain)


async def answer_station_mention(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType]:
    """A station named on its own: the missing end of the route being asked, or its trains."""
    origin = tracker.get_slot(ORIGIN_SLOT)
    destination = tracker.get_slot(DESTINATION_SLOT)
    feed = city_services().loaded_feed()
    if feed is not None and tracker.get_slot(TOPIC_SLOT) == TOPIC:
        places = await named_places(tracker)
        if places is not None and _only_another_end(feed, tracker, places):
            return await ActionTransitRoute().run(dispatcher, tracker, domain)
    if tracker.get_slot(TOPIC_SLOT) == TOPIC and last_response(tracker) == "utter_transit_fare":
        # "what about from millbrae" after a fare: that fare with the other end.
        return await ActionTransitFare().run(dispatcher, tracker, domain)
    if tracker.get_slot(TOPIC_SLOT) == TOPIC and bool(origin) != bool(destination):
        return await ActionTransitRoute().run(dispatcher, tracker, domain)
    return await ActionTransitDepartures().run(dispatcher, tracker, domain)


def _a_problem_at_an_address(text: str) -> bool:
    """ "…hasnt fixed the boiler, its like 58 degrees… 18 Bowdoin St apt 3": a problem at a
    house number, whose street shares a station's name, and no word of travelling."""
    if asks_departures(text) or asks_fare(text) or asks_the_way(text):
        return False
    return place_told(text) is not None and says_what_state_it_is_in(text)


async def answer_named_trip(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """A message the NLU could not place that names stops of the city's feed.

    "Flinders St to Box Hill how much", written in words the model never saw, still names
    two of the city's stops: answered as the question its words ask (a fare, departures,
    else a route). None when the message names no stop, so the caller can do otherwise.
    """
    places = await named_places(tracker)
    if places is None or not places.all:
        return None
    text = str(_latest(tracker).get("text") or "")
    if _a_problem_at_an_address(text):
        return None
    trip = places.origin is not None and places.destination is not None
    if trip and asks_fare(text):
        return await ActionTransitFare().run(dispatcher, tracker, domain)
    if trip:
        return await ActionTransitRoute().run(dispatcher, tracker, domain)
    feed = city_services().loaded_feed()
    if (
        feed is not None
        and _only_the_origin(places)
        and tracker.get_slot(TOPIC_SLOT) == TOPIC
        and _remembered(feed, tracker, DESTINATION_SLOT) is not None
    ):
        # "and from hakata?" after the trains or the fare from Tenjin to the airport: the
        # same trip from there, its fare if the fare was the last answer.
        asks_when = wants_first_departure(text) or wants_last_departure(text) or names_a_time(text)
        if asks_fare(text) or (last_response(tracker) == "utter_transit_fare" and not asks_when):
            return await ActionTransitFare().run(dispatcher, tracker, domain)
        if wants_first_departure(text) or wants_last_departure(text):
            # "and the first one tomorrow morning from sannomiya?" after a fare: that
            # station's first trains that way, not the fare again.
            return await ActionTransitDepartures().run(dispatcher, tracker, domain)
        return await ActionTransitRoute().run(dispatcher, tracker, domain)
    if (
        _only_the_destination(places)
        and feed is not None
        and where_the_rider_is(feed, tracker) is not None
    ):
        # "坐到机场东要多久" after the trains at 车公庙: a route from where the rider is.
        if asks_fare(text):
            return await ActionTransitFare().run(dispatcher, tracker, domain)
        if _line_towards_several(feed, tracker, places, _latest(tracker)):
            # "whats the 2 look like going to brooklyn" after 96 St's trains: the 2 there,
            # towards both Brooklyn stations ("3号线，我要去老街" stays a route).
            return await ActionTransitDepartures().run(dispatcher, tracker, domain)
        return await ActionTransitRoute().run(dispatcher, tracker, domain)
    if feed is not None and _only_another_end(feed, tracker, places):
        return await ActionTransitRoute().run(dispatcher, tracker, domain)
    if len(places.all) == 1 and (
        asks_departures(text)
        or (feed is not None and _corrects_the_station(feed, tracker, places, text))
        # "is there a 1 uptown from 96 st soon": a line or a way at one station
        or (feed is not None and (lines_asked(feed, _latest(tracker)) or compass_asked(text, feed)))
    ):
        return await ActionTransitDepartures().run(dispatcher, tracker, domain)
    if places.denied and len(places.all) == 1 and feed is not None:
        denied = _replaced_end(feed, tracker, places.denied)
        if denied is not None:
            # "oops 不是华强北, I meant 华强路 la": that end of the trip asked before,
            # for the question asked then (its fare, or the way).
            if last_response(tracker) == "utter_transit_fare" or asks_fare(text):
                return await ActionTransitFare().run(dispatcher, tracker, domain)
            return await ActionTransitRoute().run(dispatcher, tracker, domain)
    return None


#: The answers of a transit question, by the action that gives them.
_ANSWERS = {
    "utter_transit_route": "route",
    "utter_transit_no_route": "route",
    "utter_transit_departures": "departures",
    "utter_transit_last_departures": "departures",
    "utter_transit_first_departures": "departures",
    "utter_transit_service_resumes": "departures",
    "utter_transit_no_departures": "departures",
    "utter_transit_headways": "departures",
}
#: How many of the resident's messages back a question can be asked again at another time.
_ANOTHER_TIME_WITHIN = 3


#: "sorry 我说反了", "the other way round": the last trip asked, its ends swapped.
_TURNED_ROUND = re.compile(
    r"说反了|反了|反过来|倒过来|调转|掉转"
    r"|\bother way (?:round|around)\b|\breversed?\b|\bthe reverse\b",
    re.IGNORECASE | re.ASCII,
)


def _with_the_question_turned_round(tracker: Tracker, asked: str) -> str:
    """ "sorry 我说反了, 是从世界之窗去深大" after "…的last train": still the last train.

    The new ends come from the message; what was asked of them (the first or the last
    journey) from the question it turns round.
    """
    if not _TURNED_ROUND.search(asked) or wants_last_departure(asked):
        return asked
    if wants_first_departure(asked):
        return asked
    earlier = earlier_transit_question(tracker)
    before = str(earlier[1].get("text") or "") if earlier else ""
    if wants_last_departure(before):
        return f"{asked}\n末班"
    if wants_first_departure(before):
        return f"{asked}\n首班"
    return asked


def earlier_transit_question(tracker: Tracker) -> tuple[str, dict[str, Any]] | None:
    """The last trip or station question answered, as ("route"|"departures", its message).

    Only among the resident's last few messages before the latest one, and only when it
    was answered with a route or a station's trains.
    """
    kind = None
    seen = 0
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot" and kind is None:
            response = (event.get("metadata") or {}).get("utter_action")
            kind = _ANSWERS.get(str(response or ""))
        elif event.get("event") == "user":
            seen += 1
            if seen == 1:
                continue  # the latest message: the follow-up itself
            if kind is not None:
                message = dict(event.get("parse_data") or {})
                message["text"] = str(event.get("text") or "")
                return kind, message
            if seen > _ANOTHER_TIME_WITHIN:
                return None
    return None


async def answer_at_another_time(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "周日也一样吗", "what about at 11pm?" after a route or a station's trains.

    The same question is answered again for the day or time the message names. None when
    the message names no day or time, names stations of its own (a new question), or
    no trip or station was asked about a moment ago.
    """
    text = str(_latest(tracker).get("text") or "")
    if tracker.get_slot(TOPIC_SLOT) != TOPIC or not names_a_time(text):
        return None
    places = await named_places(tracker)
    if places is not None and places.all:
        return None
    return await _asked_again_at(dispatcher, tracker, domain, text)


async def _asked_again_at(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, when: str
) -> List[EventType] | None:
    """The last trip or station question answered again for the time ``when`` says."""
    earlier = earlier_transit_question(tracker)
    if earlier is None:
        return None
    kind, message = earlier
    # The stations come from what the conversation settled (the slots), not from the
    # earlier message: it may have been a correction ("是华强路站，不是华强北").
    again = copy.copy(tracker)
    again.latest_message = {"text": "", "entities": [], "intent": message.get("intent") or {}}
    trip = tracker.get_slot(ORIGIN_SLOT) and tracker.get_slot(DESTINATION_SLOT)
    if kind == "route" or (trip and asks_how_long(_text_of(_latest(tracker)))):
        # "the one after that how long does it take" after the trains towards Raków: the
        # ride then, with its time.
        return await ActionTransitRoute(when).run(dispatcher, again, domain)
    # "听日朝早啲车密唔密？" after the last train: tomorrow morning's trains, not the last;
    # "ok that's way too late. what if I leave around 6pm": the trains at six.
    earlier_text = str(message.get("text") or "")
    # "and around 11?" after a question about Sunday: eleven on that Sunday.
    when = _with_the_day_of(earlier_text, when, city_services().loaded_feed())
    if asks_how_often(earlier_text) and not (
        wants_first_departure(when) or wants_last_departure(when) or asks_from_now(when)
    ):
        # "how often on sunday?" then "and around 11?": how often, at eleven.
        return await ActionTransitDepartures(when, earlier_text).run(dispatcher, again, domain)
    asked = (
        when
        if asks_departures(when)
        or time_of_day(when) is not None
        # "明天早上第一班呢？" after the last bus: the first one, not the last again;
        # "那今天呢？现在最近的一班" after the first bus: from now.
        or wants_first_departure(when)
        or wants_last_departure(when)
        or asks_from_now(when)
        else str(message.get("text") or "")
    )
    return await ActionTransitDepartures(when, asked).run(dispatcher, again, domain)


#: "前一班呢？", "the one before?", "倒数第二班": the departure before the one shown.
_ONE_BEFORE = mixed_pattern(
    r"前一班|上一班|早一班|再早一(?:班|点|點)|早(?:一)?(?:点|點)(?:的|嘅)?(?:那|嗰|𠮶)?班|前面(?:那|嗰|𠮶)班"
    r"|之前(?:那|嗰|𠮶)班|倒数第二班|倒數第二班|尾二班"
    r"|\b(?:the\s+)?(?:one|bus|train)\s+before(?:\s+(?:that|this|it))?\b|\ban?\s+earlier\s+one\b"
    r"|\bsomething\s+earlier\b|\banything\s+earlier\b|\bsecond\s+to\s+last\b",
    re.IGNORECASE,
)


async def answer_the_one_before(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "那前一班呢？" after a journey or a station's last trains: the one before it.

    A journey is planned again to arrive just before the one shown did; a station's
    trains are shown from an hour before the latest one shown (the last of the day) or
    the first one. None when nothing was shown a moment ago or the message asks otherwise.
    """
    text = to_simplified(str(_latest(tracker).get("text") or ""))
    if tracker.get_slot(TOPIC_SLOT) != TOPIC or not _ONE_BEFORE.search(text):
        return None
    places = await named_places(tracker)
    if places is not None and any(place.station is not None for place in places.all):
        return None  # "那前" the model took for a stop is none
    earlier = earlier_transit_question(tracker)
    shown = last_bot_message(tracker)
    clocks = [(int(h), int(m)) for h, m in _CLOCK.findall(str((shown or {}).get("text") or ""))]
    feed = city_services().loaded_feed()
    if earlier is None or not clocks or feed is None:
        return None
    kind, message = earlier
    now = now_for(feed)
    again = copy.copy(tracker)
    again.latest_message = {"text": "", "entities": [], "intent": message.get("intent") or {}}
    if kind == "route":
        # "Leave 08:06, arrive 08:34": the latest journey arriving before 08:34.
        hour, minute = clocks[1] if len(clocks) > 1 else clocks[0]
        arrival = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        before = arrival - dt.timedelta(minutes=1)
        return await ActionTransitRoute(arrive_before=before).run(dispatcher, again, domain)
    asked = str(message.get("text") or "")
    hour, minute = max(clocks) if wants_last_departure(asked) else clocks[0]
    start = (hour * 60 + minute - 60) % (24 * 60)
    return await ActionTransitDepartures(f"{start // 60:02d}:{start % 60:02d}", "").run(
        dispatcher, again, domain
    )


#: "哪一班最快？", "which one is fastest": of the trains towards a place, the quickest.
_FASTEST = mixed_pattern(
    r"最快|哪(?:一)?(?:班|趟|个)(?:比较)?快|边(?:班|架)(?:车)?快|邊(?:班|架)(?:車)?快"
    r"|\b(?:which|what)(?:\s+one|\s+train|\s+bus)?\s+is\s+(?:the\s+)?(?:fastest|quickest)\b"
    r"|\bfastest\b|\bquickest\b",
    re.IGNORECASE,
)


async def answer_the_fastest(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "哪一班最快？" after a trip's trains or a route: the journey that arrives first
    from the trip's start, at the time of the trains shown. None when no trip is known."""
    text = to_simplified(str(_latest(tracker).get("text") or ""))
    if tracker.get_slot(TOPIC_SLOT) != TOPIC or not _FASTEST.search(text):
        return None
    places = await named_places(tracker)
    if places is not None and any(place.station is not None for place in places.all):
        return None
    if not tracker.get_slot(ORIGIN_SLOT) or not tracker.get_slot(DESTINATION_SLOT):
        return None
    shown = last_bot_message(tracker)
    clocks = [(int(h), int(m)) for h, m in _CLOCK.findall(str((shown or {}).get("text") or ""))]
    again = copy.copy(tracker)
    again.latest_message = {"text": "", "entities": [], "intent": {}}
    # From the earliest train shown: the quickest of those, not of the whole day.
    at = "{:02d}:{:02d}".format(*min(clocks)) if clocks else None
    return await ActionTransitRoute(at).run(dispatcher, again, domain)


#: "and the one after that?", "再下一班呢": the departure after the first one shown.
_ONE_AFTER = mixed_pattern(
    r"\b(?:the\s+)?(?:one|bus|train|service)\s+after(?:\s+(?:that|this|it))?\b"
    r"|\bnext\s+one\s+after\b|\bafter\s+that\s+one\b|\bthe\s+following\s+one\b"
    r"|再下一班|下下班|再后面一班|后面那班|之后那班|之后一班|再下一趟|(?<![最])后一班"
    r"|跟住(?:嗰|𠮶|果|个|那)?(?:班|趟)"  # Cantonese: "跟住嗰班呢？" (嗰 simplified is 𠮶)
    # "and if my flight is late and I miss those?", "赶不上的话呢": the ones after.
    r"|\bmiss(?:ed)?\s+(?:those|that|it|them|this one|that one|the \w+ one)\b"
    r"|赶不上|趕不上|错过了?(?:这|那|呢)?(?:班|趟)|錯過了?(?:這|那)?(?:班|趟)|搭唔切",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?!\d)")


async def answer_the_one_after(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "and the one after that?" after a route or a station's trains: the same question
    from a minute after the first departure shown. None when nothing was shown a moment
    ago or the message asks otherwise."""
    text = to_simplified(str(_latest(tracker).get("text") or ""))
    if tracker.get_slot(TOPIC_SLOT) != TOPIC or not _ONE_AFTER.search(text):
        return None
    places = await named_places(tracker)
    if places is not None and places.all:
        return None
    shown = last_bot_message(tracker)
    first = _CLOCK.search(str((shown or {}).get("text") or ""))
    if first is None:
        return None
    minutes = (int(first.group(1)) * 60 + int(first.group(2)) + 1) % (24 * 60)
    return await _asked_again_at(
        dispatcher, tracker, domain, f"{minutes // 60:02d}:{minutes % 60:02d}"
    )


async def _the_trip_asked_again(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    places: Places,
    text: str,
) -> List[EventType] | None:
    """The trip remembered, asked about again: its way back, or whether it changes."""
    if _WAY_BACK.search(to_simplified(text)):
        answered = await _the_way_back_to(dispatcher, tracker, domain, places, text)
        if answered is not None:
            return answered
    if asks_about_changing(text) or asks_for_a_direct_ride(text):
        return await _the_trip_asked_with_a_change_at(dispatcher, tracker, domain, places)
    return None


async def _the_way_back_to(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    places: Places,
    text: str,
) -> List[EventType] | None:
    """ "last train back to portici tonight?" after a trip from Portici to Pompei: the trip
    back, from where it went to where it started (its last connection, when asked). None
    unless the one station named is the start of the trip remembered."""
    feed = city_services().loaded_feed()
    if feed is None or tracker.get_slot(TOPIC_SLOT) != TOPIC or len(places.all) != 1:
        return None
    origin = _remembered(feed, tracker, ORIGIN_SLOT)
    destination = _remembered(feed, tracker, DESTINATION_SLOT)
    if origin is None or destination is None:
        return None
    # "portici" is two stations (Bellavista, Via Libertà): the one the trip started from.
    candidates = (
        places.all[0].match.stops if places.all[0].station is None else (places.all[0].station,)
    )
    named = next((stop for stop in candidates if _same_station(feed, stop, origin)), None)
    if named is None or _same_station(feed, named, destination):
        return None
    again = copy.copy(tracker)
    again.latest_message = {"text": "", "entities": [], "intent": {"name": "transit_route"}}
    again.slots = {
        **tracker.slots,
        ORIGIN_SLOT: destination.stop_id,
        DESTINATION_SLOT: named.stop_id,
    }
    return await ActionTransitRoute(text).run(dispatcher, again, domain)


#: "do I need to change trains at X?", "要在X换乘吗", "使唔使喺X转车".
_CHANGING = mixed_pattern(
    r"\bchange (?:trains?|lines?|buses|bus|over)\b|\btransfer\b|\bswitch (?:trains|lines)\b"
    r"|换乘|換乘|转车|轉車|换车|換車|转线|轉線|转乘|轉乘",
    re.IGNORECASE,
)


def asks_about_changing(text: str) -> bool:
    """The message asks whether (or where) the trip needs a change of vehicle."""
    return bool(_CHANGING.search(text or ""))


async def _the_trip_asked_with_a_change_at(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, places: Places
) -> List[EventType] | None:
    """ "do i need to change trains at Nakasu-Kawabata?" after a trip from Meinohama to
    Kaizuka: that trip again (which says whether and where it changes), not the trains at
    the station named. None unless a trip is remembered and the message names at most one
    station, neither of its ends."""
    feed = city_services().loaded_feed()
    if feed is None or tracker.get_slot(TOPIC_SLOT) != TOPIC:
        return None
    origin = _remembered(feed, tracker, ORIGIN_SLOT)
    destination = _remembered(feed, tracker, DESTINATION_SLOT)
    named = [place.station for place in places.all if place.station is not None]
    if origin is None or destination is None or len(named) > 1 or len(places.all) > 1:
        return None
    if named and any(_same_station(feed, named[0], end) for end in (origin, destination)):
        return None  # "要在罗湖换乘吗" naming an end: the trip asked anew
    again = copy.copy(tracker)
    again.latest_message = {"text": "", "entities": [], "intent": {"name": "transit_route"}}
    text = str(_latest(tracker).get("text") or "")
    return await ActionTransitRoute(text).run(dispatcher, again, domain)


async def answer_the_other_way(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "what about the other direction?", "那反方向的呢" after a route or a station's trains.

    A route is planned from its destination back to its origin; a station's trains are
    shown for every way but the one asked. None when the message does not ask for the
    other way, names stations of its own, or no trip or station was asked a moment ago.
    """
    text = str(_latest(tracker).get("text") or "")
    if tracker.get_slot(TOPIC_SLOT) != TOPIC or not asks_the_other_way(text):
        return None
    places = await named_places(tracker)
    if places is not None and any(p.station is not None for p in places.all):
        return None  # "那反" taken for a station by the model is no station
    earlier = earlier_transit_question(tracker)
    if earlier is None:
        return None
    kind, message = earlier
    again = copy.copy(tracker)
    again.latest_message = {"text": "", "entities": [], "intent": message.get("intent") or {}}
    asked = str(message.get("text") or "")
    if kind == "route":
        origin, destination = tracker.get_slot(ORIGIN_SLOT), tracker.get_slot(DESTINATION_SLOT)
        if not origin or not destination:
            return None
        again.slots = {**tracker.slots, ORIGIN_SLOT: destination, DESTINATION_SLOT: origin}
        # "and coming back tonight, im done around half 5": its own time, the earlier day.
        when = (
            _with_the_day_of(asked, text, city_services().loaded_feed())
            if time_of_day(text) is not None
            else f"{asked}\n{text}"
        )
        return await ActionTransitRoute(when).run(dispatcher, again, domain)
    action = ActionTransitDepartures(text, asked, other_way=message)
    return await action.run(dispatcher, again, domain)


def _line_towards_several(
    feed: TransitFeed, tracker: Tracker, places: Places, message: dict[str, Any]
) -> bool:
    """A line named towards a name several stations share, from the station asked before:
    a route cannot be planned to "brooklyn", the line's trains that way can be shown."""
    destination = places.destination
    return (
        destination is not None
        and destination.match.kind is MatchKind.AMBIGUOUS
        and bool(lines_asked(feed, message))
        and _remembered(feed, tracker, STATION_SLOT) is not None
    )


#: Asking whether something runs at all on a day: "does the 921 run on saturdays?".
_RUNS_AT_ALL = mixed_pattern(
    r"\b(?:does|do|is|are)\b.{0,40}\b(?:run|runs|running|operate|operates|operating|in service)\b"
    r"|\bany (?:buses|bus|trains?|trams?|service)\b|开不开|运不运营|有没有运营|运营吗|停运吗"
    r"|有没有车|有冇车|有车吗|有没有这些车|也有这些车|有冇呢啲车|有冇车开",
    re.IGNORECASE,
)


async def answer_service_day(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType] | None:
    """ "does the 921 run on saturdays?", "周末有没有车": whether the line (or the whole
    network) runs that day, from the calendar. A day without service is said plainly
    whatever else the message asks; a day with service is answered with its first and
    last trips only when no station is named (the stations' trains answer otherwise).
    None when the message asks no such thing."""
    feed = city_services().loaded_feed()
    message = _latest(tracker)
    text = _text_of(message)
    if feed is None or not _RUNS_AT_ALL.search(to_simplified(text)):
        return None
    day = requested_day(text, now_for(feed))
    if day is None:
        return None
    lines = lines_asked(feed, message)
    window = service_window(feed, day, [line.route_id for line in lines])
    language = tracker.get_slot("language")
    joiner = ", " if language == "en" else "、"
    labels = [line_label(line, language) for line in lines]
    what = joiner.join(labels) if labels else _who_knows(feed, language)["operator"]
    when = _date_of(day, feed, language)
    if window is None:
        start, end = feed.report.service_start, feed.report.service_end
        if start is not None and end is not None and not start <= day <= end:
            # Christmas asked of a feed that ends in November: not "no trips that day".
            dispatcher.utter_message(
                response="utter_transit_day_outside_timetable",
                what=what,
                day=when,
                start=_date_of(start, feed, language),
                end=_date_of(end, feed, language),
            )
            return [SlotSet(TOPIC_SLOT, TOPIC)]
        dispatcher.utter_message(response="utter_transit_no_service_day", what=what, day=when)
        return [SlotSet(TOPIC_SLOT, TOPIC)]
    places = await named_places(tracker)
    if places is not None and places.all:
        return None
    dispatcher.utter_message(
        response="utter_transit_service_day",
        what=what,
        day=when,
        first=_clock_of(window[0], language),
        last=_clock_of(window[1], language),
    )
    return [SlotSet(TOPIC_SLOT, TOPIC)]


def _date_of(day: dt.date, feed: TransitFeed, language: str | None) -> str:
    return format_date(
        dt.datetime.combine(day, dt.time(12), ZoneInfo(feed.timezone)), language, feed.timezone
    )


def _with_the_day_of(earlier: str, text: str, feed: TransitFeed | None) -> str:
    """``text``, with the day the earlier question named when ``text`` names none: a
    follow-up gives a new time, not a new day ("and around 11?" after "on sunday")."""
    if feed is None:
        return text
    now = now_for(feed)
    day = requested_day(earlier, now)
    if day is None or day == now.date() or requested_day(text, now) is not None:
        return text
    return f"{text}\n{day:%b} {day.day}"


def _clock_of(seconds: int, language: str | None = None) -> str:
    """ "05:44"; a trip after midnight on the day's timetable (GTFS writes 25:03) as a
    rider reads a clock: "01:03 after midnight", "次日 01:03"."""
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if hours < 24:
        return f"{hours:02d}:{minutes:02d}"
    shown = f"{hours % 24:02d}:{minutes:02d}"
    return f"{shown} after midnight" if lang(language) == "en" else f"次日 {shown}"


async def _answered_otherwise(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """What a message the model read as a transit question asks instead, if anything.

    A station picked from the buttons in words ("1号线 broadway那个" after "which 125
    St?"), a question about the hotline or the assistant ("hey what time does 311 close
    today"), or a problem on streets ("fine. huge pothole on 35th st right in front of
    1000 W 35th St"). None when it is the transit question it seemed.
    """
    if warn_of_emergency(dispatcher, _text_of(_latest(tracker))):
        return []  # "someone just fainted on the platform at Aliados": whom to call now
    accepted = report_accepted(tracker)
    if accepted is not None:
        return accepted  # more about the broken lift, right after its report was offered
    chosen = await answer_typed_choice(dispatcher, tracker, domain)
    if chosen is not None:
        return chosen
    that_one = await answer_whether_that_one_goes(dispatcher, tracker, domain)
    if that_one is not None:
        return that_one
    listed = answer_line_stops(dispatcher, tracker)
    if listed is not None:
        return listed
    said_when = await answer_service_day(dispatcher, tracker)
    if said_when is not None:
        return said_when
    if answer_about_the_assistant(
        dispatcher, _text_of(_latest(tracker)), city_services().identity.hotline
    ):
        return []
    if await _reports_a_problem_instead(tracker):
        return start_report(tracker)
    text = _text_of(_latest(tracker))
    if _NAMES_A_PERMIT.search(text) and not asks_departures(text):
        places = await named_places(tracker)
        if places is None or not any(place.station for place in places.all):
            # "need a dumpster out front on E 4th st… do i need a permit for that and how
            # do i get one": a permit asked about, no station named ("how do i get").
            from actions.permits.questions import answer_permit_question, follow_up_aspect

            aspect = follow_up_aspect(text) or "requirements"
            return await answer_permit_question(dispatcher, tracker, aspect)
    return None


#: A permit or licence named in so many words.
_NAMES_A_PERMIT = mixed_pattern(
    r"\bpermits?\b|\blicen[cs]es?\b|许可证|许可|执照|牌照|证照|办证|\bpermission from the city\b",
    re.IGNORECASE,
)


async def _reports_a_problem_instead(tracker: Tracker) -> bool:
    """A message the model read as transit that names a kind of problem and tells one,
    asking nothing of the timetable."""
    message = _latest(tracker)
    categories = [
        e for e in message.get("entities") or () if e.get("entity") == "complaint_category"
    ]
    text = _text_of(message)
    if asks_departures(text) or _ASKS_ABOUT_SERVICE.search(text):
        return False
    if (
        says_a_facility_is_wrong(text)
        and not _NAMES_A_PERMIT.search(text)
        and not permit_phrase(text)
    ):
        # "the lift at warszawa rakow station has been broken for days": where, not a trip.
        return await reports_a_problem(tracker, close_calls=True)
    if categories:
        return await reports_a_problem(tracker)
    # "Via Foria 的路面塌下去一大块，还有很长的裂缝" read as a fare question: no word of
    # travelling or paying at all, and a problem the city's list has a service for.
    if _TRANSIT_WORDS.search(to_simplified(text)) or asks_fare(text) or asks_the_way(text):
        return False
    if _NAMES_A_PERMIT.search(text) or permit_phrase(text):
        return False  # "无人机飞行许可你们能办吗": a permit asked about, no problem told
    if not any(hit.concept.weight >= 1.0 for hit in concepts.lexicon().find(text)):
        return False  # "from Tenjin to Tenjin-minami?": no thing of a problem named
    places = await named_places(tracker)
    if places is not None and any(place.station is not None for place in places.all):
        return False  # "從羅湖去機場，我要趕早上8點的飛機": stations named, a trip
    return await reports_a_problem(tracker, close_calls=True)


async def answer_typed_choice(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "1号线 broadway那个" after "which 125 St?": the button it picks, as if tapped.

    The question the choice was asked for still says when and which way ("下一班往
    downtown"). None when the message picks none of the stations just offered.
    """
    feed = city_services().loaded_feed()
    if feed is None:
        return None
    choice = typed_choice(tracker, feed, StopIndex.for_feed(feed))
    if choice is None:
        return None
    tapped = copy.copy(tracker)
    tapped.latest_message = {
        "text": choice.payload,
        "intent": {"name": choice.option.intent, "confidence": 1.0},
        "entities": [{"entity": STOP_ENTITY, "value": choice.option.stop_id}],
    }
    intent = choice.option.intent
    if intent in ("transit_route", "transit_fare"):
        action: Action = ActionTransitRoute() if intent == "transit_route" else ActionTransitFare()
    else:
        action = ActionTransitDepartures(None, choice.question or None)
    return await action.run(dispatcher, tapped, domain)


async def answer_in_a_direction(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "and uptown?", "那往下城呢", "1号线往北呢" after a station's trains: that way there.

    None when the message names no direction of travel, names stations of its own, or no
    station's trains were asked a moment ago.
    """
    feed = city_services().loaded_feed()
    text = str(_latest(tracker).get("text") or "")
    if feed is None or tracker.get_slot(TOPIC_SLOT) != TOPIC or not compass_asked(text, feed):
        return None
    places = await named_places(tracker)
    if places is not None and any(p.station is not None for p in places.all):
        return None
    earlier = earlier_transit_question(tracker)
    if earlier is None or earlier[0] == "route" or _remembered(feed, tracker, STATION_SLOT) is None:
        return None
    # The direction is read from this message (before the earlier one's), the line too.
    action = ActionTransitDepartures(None, str(earlier[1].get("text") or ""), earlier=earlier[1])
    return await action.run(dispatcher, tracker, domain)


#: The boards a rider picks one departure from by its time.
_BOARDS = frozenset(
    {"utter_transit_departures", "utter_transit_last_departures", "utter_transit_first_departures"}
)


async def answer_whether_that_one_goes(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "is the 17:42 one going to grodzisk?" after a board that showed 17:42: whether
    that train calls there, and when; if not, the way there from then. None when the
    message names no time the board showed, or no other station."""
    feed = city_services().loaded_feed()
    if feed is None or last_response(tracker) not in _BOARDS:
        return None
    text = _text_of(_latest(tracker))
    said = time_of_day(text)
    shown = str((last_bot_message(tracker) or {}).get("text") or "")
    if said is None:
        return None
    at = f"{said[0] % 24:02d}:{said[1]:02d}"
    if at not in shown:
        return None
    station = _remembered(feed, tracker, STATION_SLOT)
    places = await named_places(tracker)
    target = None
    if places is not None:
        named = [p for p in places.all if p.station is not None]
        target = (places.destination or (named[-1] if named else None)) if named else None
    if station is None or target is None or target.station is None:
        return None
    if _same_station(feed, station, target.station):
        return None
    language = tracker.get_slot("language")
    minute = said[0] * 60 + said[1]
    day = now_for(feed).date()
    found = departures(feed, station.stop_id, day, minute * 60, limit=SEARCH_LIMIT)
    leaving = [d for d in found if (d.departure_s // 60) % (24 * 60) == minute % (24 * 60)]
    # The one the board showed: another way's train may leave at the same minute.
    on_the_board = [d for d in leaving if _headsign_of(feed, d, language) in shown]
    leaving = on_the_board or leaving
    if not leaving:
        return None
    wanted = set(alert_rules.station_stop_ids(feed, target.station.stop_id))
    destination = station_name(target.station, language)
    for train in leaving:
        calls = feed.stop_times.get(train.trip.trip_id, ())
        arrives = next(
            (
                call
                for call in calls
                if call.sequence > train.stop_sequence and call.stop_id in wanted and call.drop_off
            ),
            None,
        )
        if arrives is not None:
            dispatcher.utter_message(
                response="utter_transit_that_one_goes",
                time=at,
                line=line_label(train.route, language),
                headsign=_headsign_of(feed, train, language),
                destination=destination,
                arrive=_clock_of(arrives.arrival_s % (24 * 3600)),
            )
            return [SlotSet(TOPIC_SLOT, TOPIC)]
    train = leaving[0]
    dispatcher.utter_message(
        response="utter_transit_that_one_does_not_go",
        time=at,
        line=line_label(train.route, language),
        headsign=_headsign_of(feed, train, language),
        destination=destination,
    )
    trip = copy.copy(tracker)
    trip.slots = {
        **tracker.slots,
        ORIGIN_SLOT: station.stop_id,
        DESTINATION_SLOT: target.station.stop_id,
    }
    trip.latest_message = {"text": "", "entities": [], "intent": {"name": "transit_route"}}
    return await ActionTransitRoute(at).run(dispatcher, trip, domain)


def _headsign_of(feed: TransitFeed, train: Departure, language: str | None) -> str:
    names = feed.headsign_names(train.trip) or {feed.language: train.headsign}
    return pick_name(names, lang(language), next(iter(names.values()), ""))


async def answer_transit_follow_up(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """The last trip or station question again: a station picked in words, the other way,
    another way or time, or which platform."""
    answered = answer_platform(dispatcher, tracker)
    if answered is None:
        answered = await answer_typed_choice(dispatcher, tracker, domain)
    if answered is None:
        answered = await answer_whether_that_one_goes(dispatcher, tracker, domain)
    if answered is None:
        answered = await answer_the_other_way(dispatcher, tracker, domain)
    if answered is None:
        answered = await answer_in_a_direction(dispatcher, tracker, domain)
    if answered is None:
        answered = await answer_the_one_after(dispatcher, tracker, domain)
    if answered is None:
        answered = await answer_the_one_before(dispatcher, tracker, domain)
    if answered is None:
        answered = await answer_the_fastest(dispatcher, tracker, domain)
    if answered is None:
        answered = await answer_at_another_time(dispatcher, tracker, domain)
    return answered


def answer_platform(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType] | None:
    """ "在哪个月台上车？" after a trip or a station's trains: where the next train of that
    trip (or each way from that station) leaves from. None when the message asks
    otherwise, names a station of its own, or no trip or station was asked a moment ago."""
    message = _latest(tracker)
    if tracker.get_slot(TOPIC_SLOT) != TOPIC or not asks_platform(_text_of(message)):
        return None
    feed = city_services().loaded_feed()
    if feed is None:
        return None
    places = places_in(feed, StopIndex.for_feed(feed), message)
    if any(place.station is not None for place in places.all):
        return None  # a station of its own: the departures action answers it
    earlier = earlier_transit_question(tracker)
    origin = _remembered(feed, tracker, ORIGIN_SLOT)
    station = _remembered(feed, tracker, STATION_SLOT)
    destination = _remembered(feed, tracker, DESTINATION_SLOT)
    if earlier is not None and earlier[0] == "route" and origin is not None:
        station = origin
    elif station is None or origin is None or not _same_station(feed, station, origin):
        destination = None  # a station's trains every way, not a trip's
    if station is None:
        return None
    now = now_for(feed)
    towards = [destination.stop_id] if destination is not None else []
    board = next_board(feed, station.stop_id, now, towards=towards)
    if not board.boards and towards:
        board = next_board(feed, station.stop_id, now)
    if not board.boards:
        return None
    language = tracker.get_slot("language")
    say_platforms(dispatcher, feed, board, station_name(station, language), language)
    return []


def say_platforms(
    dispatcher: CollectingDispatcher,
    feed: TransitFeed,
    board: Board,
    station: str,
    language: str | None,
    *,
    with_board: bool = True,
) -> None:
    """Where each way's next train leaves from, or that the timetable does not say (and,
    ``with_board``, those trains)."""
    platforms = platforms_text(board, feed, language)
    vehicles = feed_words(feed).vehicles(language)  # "buses" on a bus network, not "trains"
    if platforms is not None:
        dispatcher.utter_message(
            response="utter_transit_platforms",
            station=station,
            platforms=platforms,
            vehicles=vehicles,
        )
        return
    dispatcher.utter_message(
        response="utter_transit_platform_not_given",
        station=station,
        vehicles=vehicles,
        board=f"\n{board_text(board, feed, language)}" if with_board else "",
    )


async def names_a_trip(tracker: Tracker) -> bool:
    """Whether the latest message names an origin and a destination on the city's feed."""
    places = await named_places(tracker)
    return places is not None and places.origin is not None and places.destination is not None


def answer_line_stops(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType] | None:
    """ "A12 線停哪些站？終點是哪裡？": the stations the line named calls at, each way.
    None when the message names no line of the feed or asks no such thing."""
    feed = city_services().loaded_feed()
    message = _latest(tracker)
    text = _text_of(message)
    if feed is None or not asks_the_stops(text):
        return None
    routes = lines_asked(feed, message)
    if not routes or len(routes) > MAX_LINES_LISTED:
        return None
    language = tracker.get_slot("language")
    for route in routes:
        dispatcher.utter_message(
            response="utter_transit_line_stops",
            line=line_label(route, language),
            stations=stations_text(feed, route.route_id, lang(language)),
        )
    return [SlotSet(TOPIC_SLOT, TOPIC)]


#: Lines whose stations one reply lists.
MAX_LINES_LISTED = 2


async def answer_line_mention(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> List[EventType] | None:
    """ "what about Line 3?" after a station's trains: that line's trains at that station;
    "A12 停哪些站" anywhere: the line's stations (``answer_line_stops``).

    None when the conversation is not about a station or the message names no line of
    the feed, so the caller can do otherwise.
    """
    listed = answer_line_stops(dispatcher, tracker)
    if listed is not None:
        return listed
    feed = city_services().loaded_feed()
    if feed is None or tracker.get_slot(TOPIC_SLOT) != TOPIC:
        return None
    routes = lines_asked(feed, _latest(tracker))
    if not routes:
        return None
    earlier = earlier_transit_question(tracker)
    origin = _remembered(feed, tracker, ORIGIN_SLOT)
    destination = _remembered(feed, tracker, DESTINATION_SLOT)
    if earlier is not None and earlier[0] == "route" and origin and destination:
        return await _line_of_a_trip(dispatcher, tracker, domain, feed, routes, origin, destination)
    if _remembered(feed, tracker, STATION_SLOT) is None:
        return None
    if earlier is not None and earlier[0] == "departures":
        # "那一號線呢" after "那末班呢？三號線往雙龍方向": that line's last train.
        asked = _text_of(earlier[1])
        if wants_last_departure(asked):
            return await ActionTransitDepartures(asked_what="last train").run(
                dispatcher, tracker, domain
            )
        if wants_first_departure(asked):
            return await ActionTransitDepartures(asked_what="first train").run(
                dispatcher, tracker, domain
            )
    return await ActionTransitDepartures().run(dispatcher, tracker, domain)


async def _line_of_a_trip(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    feed: TransitFeed,
    routes: Sequence[Route],
    origin: Stop,
    destination: Stop,
) -> List[EventType]:
    """ "cant i just take the 1" after Times Sq → Wall St: whether it goes there, and when.

    A line that calls at both ends: its trains from the origin towards the destination.
    One that misses an end is said to, and the trip is planned again without it.
    """
    language = tracker.get_slot("language")
    missed = next(
        (stop for stop in (destination, origin) if not _serves(feed, stop.stop_id, routes)),
        None,
    )
    if missed is not None:
        dispatcher.utter_message(
            response="utter_transit_line_not_at_station",
            line=" / ".join(lines_label(routes, language)),
            station=station_name(missed, language),
        )
        again = copy.copy(tracker)
        again.latest_message = {"text": "", "entities": [], "intent": {"name": "transit_route"}}
        return await ActionTransitRoute().run(dispatcher, again, domain)
    tapped = copy.copy(tracker)
    tapped.latest_message = {
        "text": "/transit_next_departure",
        "intent": {"name": "transit_next_departure", "confidence": 1.0},
        "entities": [
            {"entity": STOP_ENTITY, "value": origin.stop_id, "role": "from"},
            {"entity": STOP_ENTITY, "value": destination.stop_id, "role": "to"},
        ],
    }
    action = ActionTransitDepartures(None, None, earlier=dict(_latest(tracker)))
    return await action.run(dispatcher, tapped, domain)
