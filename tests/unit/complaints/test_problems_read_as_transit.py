"""A problem the model read as a transit question is reported, not answered with fares."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.transit.questions import ActionTransitFare
from tests.factories import resident_says

pytestmark = pytest.mark.usefixtures("city", "open311")


async def test_a_sunken_road_read_as_a_fare_question_opens_a_report(domain) -> None:
    text = "Via Foria 的路面塌下去一大块，还有很长的裂缝，不是普通的小坑"
    dispatcher = CollectingDispatcher()
    events = await ActionTransitFare().run(
        dispatcher, resident_says(text, "transit_fare", slots={"language": "zh"}), domain
    )
    assert dispatcher.messages == []
    assert {"event": "followup", "name": "complaint_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


async def test_a_fare_asked_about_a_street_is_still_a_fare_question(domain) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionTransitFare().run(
        dispatcher, resident_says("how much is the fare to Via Foria?", "transit_fare"), domain
    )
    assert all(e.get("name") != "complaint_form" for e in events)
