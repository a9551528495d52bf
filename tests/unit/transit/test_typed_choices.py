"""A station picked from the buttons by typing part of its name: "glowna"."""

from __future__ import annotations

from pathlib import Path

from actions.clients.gtfs.loading import read_feed
from actions.transit.choices import typed_choice
from actions.transit.stops import StopIndex
from tests.factories import tracker_with

#: Warsaw's commuter railway (MIT): three stations of one town, Podkowa Leśna.
WKD = Path(__file__).resolve().parents[2] / "data" / "gtfs" / "wkd-warsaw"


def after_which_podkowa(typed: str) -> object:
    question = "next train from podkowa into town?"
    buttons = [
        {"title": title, "payload": f'/transit_next_departure{{"stop": "{stop}"}}'}
        for stop, title in (
            ("plglo", "Podkowa Leśna Główna"),
            ("plwsc", "Podkowa Leśna Wschodnia"),
            ("plzac", "Podkowa Leśna Zachodnia"),
        )
    ]
    latest = {"text": typed, "intent": {"name": "out_of_scope", "confidence": 0.6}}
    return tracker_with(
        [
            {"event": "user", "text": question, "parse_data": {"text": question}},
            {
                "event": "bot",
                "text": "Which “podkowa” do you mean?",
                "data": {"buttons": buttons},
                "metadata": {"utter_action": "utter_transit_station_ambiguous"},
            },
            {"event": "user", "text": typed, "parse_data": latest},
        ]
    )


def test_a_word_only_one_option_has_picks_it_however_typed() -> None:
    feed = read_feed(WKD)
    index = StopIndex.for_feed(feed)
    for typed, stop in (("glowna", "plglo"), ("Główna", "plglo"), ("zachodnia", "plzac")):
        choice = typed_choice(after_which_podkowa(typed), feed, index)
        assert choice is not None and choice.option.stop_id == stop, typed
    assert typed_choice(after_which_podkowa("podkowa"), feed, index) is None
