"""What the transit journey asks back: which stop, where from and to, which line.

A name fitting several stops gets buttons that never repeat a label; a name fitting none
gets the closest names; a line the feed does not have is named as missing, with some it
has; examples are the city's own busiest stops (:mod:`actions.transit.feed_words`).
"""

from __future__ import annotations

import json

from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue import phrase
from actions.clients.gtfs.model import Stop, TransitFeed
from actions.transit.feed_words import feed_words
from actions.transit.places import Place
from actions.transit.stops import MatchKind
from actions.transit.wording import lang, line_label, line_order, lines_label, station_name

MAX_STATION_BUTTONS = 5
#: Lines named when the rider asks about one the feed does not have.
MAX_LINES_LISTED = 6


def station_buttons(
    feed: TransitFeed, stops: tuple[Stop, ...], intent: str, language: str | None
) -> list[dict]:
    """One button per station; stations sharing a name are told apart by their lines."""
    shown = stops[:MAX_STATION_BUTTONS]
    names = [station_name(stop, language) for stop in shown]
    repeated = {name for name in names if names.count(name) > 1}
    return [
        {
            "title": _told_apart(feed, stop, name, language) if name in repeated else name,
            "payload": f"/{intent}" + json.dumps({"stop": stop.stop_id}),
        }
        for stop, name in zip(shown, names, strict=True)
    ]


def _told_apart(feed: TransitFeed, stop: Stop, name: str, language: str | None) -> str:
    """ "Main St & 3rd Ave (12, 40)": a shared name with the lines that call there."""
    routes = sorted(
        (feed.routes[r] for r in feed.route_ids_at.get(stop.stop_id, ()) if r in feed.routes),
        key=line_order,
    )
    labels = [r.short_name or r.name_in(lang(language)) for r in routes][:3]
    detail = ", ".join(label for label in labels if label) or stop.stop_id
    return f"{name} ({detail})" if lang(language) == "en" else f"{name}（{detail}）"


def say_unresolved(
    dispatcher: CollectingDispatcher,
    feed: TransitFeed,
    place: Place,
    intent: str,
    language: str | None,
) -> None:
    """ "Which X do you mean?" with buttons, or "no such station" with the closest names."""
    if place.match.kind is MatchKind.AMBIGUOUS:
        dispatcher.utter_message(
            response="utter_transit_station_ambiguous",
            query=place.query[:40],
            buttons=station_buttons(feed, place.match.stops, intent, language),
        )
        return
    suggestions = place.match.suggestions
    dispatcher.utter_message(
        response="utter_transit_station_unknown",
        query=place.query[:40],
        place=feed_words(feed).place(language),
        suggestion=phrase("transit.did_you_mean", language) if suggestions else "",
        buttons=station_buttons(feed, suggestions, intent, language),
    )


def say_unknown_line(
    dispatcher: CollectingDispatcher, feed: TransitFeed, line: str, language: str | None
) -> None:
    """ "The timetable has no line called 'Line 9'", with some lines it does have."""
    routes = sorted(feed.routes.values(), key=line_order)
    labels = [line_label(route, language) for route in routes[:MAX_LINES_LISTED]]
    separator = ", " if lang(language) == "en" else "、"
    dispatcher.utter_message(
        response="utter_transit_line_unknown",
        line=line[:40],
        lines=phrase("transit.lines_include", language, lines=separator.join(labels))
        if labels
        else "",
    )


def ask_for_places(
    dispatcher: CollectingDispatcher, feed: TransitFeed, language: str | None
) -> None:
    """ "Where are you travelling from and to? For example: from <busy stop> to <another>"."""
    words = feed_words(feed)
    dispatcher.utter_message(
        response="utter_ask_transit_places",
        example_from=words.example(language, 0),
        example_to=words.example(language, 1),
    )


def say_lines_to(
    dispatcher: CollectingDispatcher, feed: TransitFeed, destination: Stop, language: str | None
) -> bool:
    """ "Which bus goes to the airport?", with no start named: the lines that call there,
    and where the resident is starting from (for the times). False when none calls."""
    stop_ids = (destination.stop_id, *feed.children.get(destination.stop_id, ()))
    served = {
        route_id
        for stop_id in stop_ids
        for route_id in feed.route_ids_at.get(stop_id, frozenset())
        if route_id in feed.routes
    }
    if not served:
        return False
    routes = sorted((feed.routes[route_id] for route_id in served), key=line_order)
    labels = lines_label(routes, language)
    separator = ", " if lang(language) == "en" else "、"
    listed = separator.join(labels[:MAX_LINES_LISTED])
    if len(labels) > MAX_LINES_LISTED:
        listed += "…"
    words = feed_words(feed)
    dispatcher.utter_message(
        response="utter_transit_lines_to",
        destination=station_name(destination, language),
        lines=listed,
        example_from=words.example(language, 0),
    )
    return True
