"""A problem told out of the blue starts a report of it (actions/complaints/opening.py)."""

from __future__ import annotations

from typing import Any

import respx
from rasa_sdk.events import FollowupAction, SlotSet

from actions.city import CityServices
from actions.complaints.form import DESCRIPTION, FORM_SLOTS
from actions.complaints.opening import reports_a_problem, start_report
from tests.factories import entity, resident_says


def category(text: str, words: str, value: str) -> dict[str, Any]:
    start = text.index(words)
    return {
        "entity": "complaint_category",
        "value": value,
        "start": start,
        "end": start + len(words),
    }


async def test_a_problem_named_with_something_said_is_a_report(
    city: CityServices, open311: respx.MockRouter
) -> None:
    text = "罗湖站门口的路灯坏了三天了"
    tracker = resident_says(text, "inform", entities=[category(text, "路灯", "streetlight")])
    assert await reports_a_problem(tracker)


async def test_a_problem_that_fits_one_of_the_citys_services_is_a_report(
    city: CityServices, open311: respx.MockRouter
) -> None:
    tracker = resident_says("the streetlight outside number 12 has been out all week", "inform")
    assert await reports_a_problem(tracker)


async def test_a_bare_category_word_says_too_little_to_start_a_report(
    city: CityServices, open311: respx.MockRouter
) -> None:
    tracker = resident_says("路灯", "inform", entities=[category("路灯", "路灯", "streetlight")])
    assert not await reports_a_problem(tracker)


async def test_words_that_fit_no_service_are_no_report(
    city: CityServices, open311: respx.MockRouter
) -> None:
    tracker = resident_says("my cousin is visiting from Chengdu next week", "inform")
    assert not await reports_a_problem(tracker)


async def test_a_button_payload_is_no_report(city: CityServices, open311: respx.MockRouter) -> None:
    tracker = resident_says('/inform{"complaint_category": "streetlight"}', "inform")
    assert not await reports_a_problem(tracker)


async def test_without_the_citys_service_list_only_a_named_category_counts(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.get("/services.json").respond(503)
    tracker = resident_says("the streetlight outside number 12 has been out all week", "inform")
    assert not await reports_a_problem(tracker)


def test_the_report_starts_clean_with_the_message_as_its_description() -> None:
    tracker = resident_says(" 路灯坏了三天了 ", "inform", slots={DESCRIPTION: "an old one"})
    events = start_report(tracker)
    assert events[: len(FORM_SLOTS)] == [SlotSet(slot, None) for slot in FORM_SLOTS]
    assert events[len(FORM_SLOTS) :] == [
        SlotSet(DESCRIPTION, "路灯坏了三天了"),
        FollowupAction("complaint_form"),
    ]


async def test_inside_a_form_the_form_decides(
    city: CityServices, open311: respx.MockRouter
) -> None:
    text = "罗湖站门口的路灯坏了三天了"
    tracker = resident_says(text, "inform", entities=[category(text, "路灯", "streetlight")])
    tracker.active_loop = {"name": "complaint_form"}
    assert not await reports_a_problem(tracker)


async def test_a_broken_thing_the_model_took_for_a_permit_is_reported(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHandleFallback

    text = "streetlight broken outside 12 Fuhua Road, wont turn on at night"
    start = text.index("streetlight")
    permit = {"entity": "permit_type", "value": "parking_permit", "start": start, "end": start + 11}
    tracker = resident_says(text, "nlu_fallback", entities=[permit])
    events = await ActionHandleFallback().run(CollectingDispatcher(), tracker, {})
    assert FollowupAction("complaint_form") in events


async def test_a_broken_thing_that_fits_a_few_services_is_a_report_when_asked_to_be_lenient(
    city: CityServices, open311: respx.MockRouter
) -> None:
    open311.get("/services.json").respond(
        json=[
            {"service_code": "M1", "service_name": "Damaged Parking Meter"},
            {"service_code": "M2", "service_name": "Parking Meter Repair"},
        ]
    )
    tracker = resident_says("broken parking meter on elm st, wont take coins", "nlu_fallback")
    assert not await reports_a_problem(tracker)
    assert await reports_a_problem(tracker, close_calls=True)


def test_a_thing_said_to_be_broken_is_a_state_but_a_lone_state_word_is_not() -> None:
    from actions.complaints.opening import says_what_state_it_is_in

    assert says_what_state_it_is_in("broken parking meter 800 kearny st, wont take coins")
    assert not says_what_state_it_is_in("k and coming back around 6")


async def test_a_long_story_read_as_a_call_for_help_that_fits_a_few_services_is_reported(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHelp

    open311.get("/services.json").respond(
        json=[
            {"service_code": "D1", "service_name": "Illegal Dumping"},
            {"service_code": "D2", "service_name": "Bulk Trash Pickup"},
        ]
    )
    text = (
        "So I don't usually do this kind of thing but my wife said just try it. For the past "
        "couple weeks people keep dumping trash in the alley behind our building, a mattress "
        "and an old TV. The alley is behind 1200 S Jackson St. Can someone come pick it up"
    )
    events = await ActionHelp().run(CollectingDispatcher(), resident_says(text, "help"), {})
    assert FollowupAction("complaint_form") in events


async def test_a_switch_to_english_with_a_problem_switches_and_reports(
    city: CityServices, open311: respx.MockRouter, monkeypatch
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionSwitchLanguage

    monkeypatch.setattr("actions.conversation.city_services", lambda: city)
    text = "sorry. english not so good. streetlight in front my house no working one week"
    tracker = resident_says(text, "set_language", slots={"language": "en"})
    dispatcher = CollectingDispatcher()
    events = await ActionSwitchLanguage().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_language_switched"]
    assert SlotSet(DESCRIPTION, text) in events
    assert events[-1] == FollowupAction("complaint_form")


async def test_a_new_one_after_a_ticket_not_found_reports_the_story_told(
    city: CityServices, open311: respx.MockRouter, monkeypatch
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHandleFallback
    from tests.factories import tracker_with

    monkeypatch.setattr("actions.conversation.city_services", lambda: city)
    story = (
        "i called 311 last tuesday about the streetlight at W 110th and Amsterdam being out,"
        " they gave me 311-20481736. any update?"
    )
    follow_up = "ok can you file a new one then, the light is still broken"
    tracker = tracker_with(
        [
            {"event": "user", "text": story, "parse_data": {"text": story, "entities": []}},
            {"event": "bot", "metadata": {"utter_action": "utter_complaint_status_not_found"}},
            {
                "event": "user",
                "text": follow_up,
                "parse_data": {
                    "text": follow_up,
                    "intent": {"name": "nlu_fallback", "confidence": 0.5},
                    "entities": [],
                },
            },
        ],
        slots={"language": "en"},
    )
    events = await ActionHandleFallback().run(CollectingDispatcher(), tracker, {})
    assert SlotSet(DESCRIPTION, f"{story}\n{follow_up}") in events
    assert SlotSet("complaint_location", "110th and Amsterdam") in events
    assert events[-1] == FollowupAction("complaint_form")


async def test_a_new_one_with_nothing_told_before_is_no_report(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from actions.complaints.opening import new_report_of_what_was_told

    tracker = resident_says("can you file a new one", "nlu_fallback")
    assert new_report_of_what_was_told(tracker) is None


async def test_lodge_it_reports_the_story_told_just_before(
    city: CityServices, open311: respx.MockRouter, monkeypatch
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHandleInform
    from tests.factories import tracker_with

    monkeypatch.setattr("actions.conversation.city_services", lambda: city)
    story = (
        "I got a parking fine on the Esplanade yesterday but the sign said 2P and I was "
        "there for like 90 mins. Who do I talk to about this?"
    )
    follow_up = "just lodge it, its the Esplanade near the lagoon, no phone"
    tracker = tracker_with(
        [
            {"event": "user", "text": story, "parse_data": {"text": story, "entities": []}},
            {"event": "bot", "metadata": {"utter_action": "utter_permit_no_catalogue"}},
            {
                "event": "user",
                "text": follow_up,
                "parse_data": {
                    "text": follow_up,
                    "intent": {"name": "inform", "confidence": 0.9},
                    "entities": [],
                },
            },
        ],
        slots={"language": "en"},
    )
    events = await ActionHandleInform().run(CollectingDispatcher(), tracker, {})
    assert SlotSet(DESCRIPTION, f"{story}\n{follow_up}") in events
    assert events[-1] == FollowupAction("complaint_form")


ALICANTE_SOME = [
    {"service_code": "2.2", "service_name": "Parkscheinautomat defekt",
     "description": "Parking ticket machine out of order: takes coins, prints no ticket.",
     "keywords": "parking meter, ticket machine, coins"},
    {"service_code": "2.3", "service_name": "Schrott-Kfz",
     "description": "Abandoned, unroadworthy motor vehicle on public ground (e.g. without "
                    "number plates).",
     "keywords": "abandoned car, scrap vehicle, no number plates, wreck"},
]  # fmt: skip


async def test_a_problem_in_words_the_model_took_for_a_permit_is_reported(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHandleFallback, ActionHandleInform

    open311.get("/services.json").respond(json=ALICANTE_SOME)
    told = [
        ("nlu_fallback", ActionHandleFallback(), "the blue-zone parking machine on Calle Reyes "
         "Católicos ate my coins and didn't print any ticket, I lost 2 euros"),
        ("inform", ActionHandleInform(), "lol there's a white Seat Ibiza with 2 flat tyres and "
         "no number plates parked on Calle Foglietti for like 3 months"),
    ]  # fmt: skip
    for intent, action, text in told:
        start = text.index("park")
        permit = {"entity": "permit_type", "value": "parking_permit", "start": start,
                  "end": start + 7}  # fmt: skip
        tracker = resident_says(text, intent, entities=[permit])
        events = await action.run(CollectingDispatcher(), tracker, {})
        assert FollowupAction("complaint_form") in events, text


async def test_a_question_about_a_permit_stays_a_permit_question(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from actions.conversation import _a_problem_not_a_permit

    open311.get("/services.json").respond(json=ALICANTE_SOME)
    text = "I need a parking permit for my street, the car is parked outside all week"
    start = text.index("parking permit")
    permit = {"entity": "permit_type", "value": "parking_permit", "start": start,
              "end": start + 14}  # fmt: skip
    tracker = resident_says(text, "inform", entities=[permit])
    assert not await _a_problem_not_a_permit(tracker)


async def test_asked_whether_it_can_be_reported_a_close_call_is_reported(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHandleFallback

    open311.get("/services.json").respond(
        json=[
            {"service_code": "play", "service_name": "Spiel- und Bolzplätze",
             "keywords": "playground, swing, slide"},
            {"service_code": "graffiti", "service_name": "Graffiti",
             "keywords": "graffiti, vandalism, smashed"},
            {"service_code": "green", "service_name": "Kölner Grün", "keywords": "park, tree"},
        ]
    )  # fmt: skip
    text = "我带孩子去公园玩，秋千有一根链子断了，我女儿差点被砸到。这种情况能报修吗？"
    events = await ActionHandleFallback().run(
        CollectingDispatcher(), resident_says(text, "nlu_fallback"), {}
    )
    assert FollowupAction("complaint_form") in events


async def test_a_problem_told_with_whether_the_city_handles_it_is_reported_though_a_few_fit(
    city: CityServices, open311: respx.MockRouter
) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.conversation import ActionHandleInform

    open311.get("/services.json").respond(
        json=[
            {"service_code": "G1", "service_name": "Graffiti on a City road"},
            {"service_code": "G2", "service_name": "Graffiti on private property"},
            {"service_code": "P1", "service_name": "Report minor pothole damage"},
        ]
    )
    text = "我家车库门昨晚被人喷了涂鸦，地址是 W Cass St 2107，这个市里管吗？"
    tracker = resident_says(text, "inform", entities=[entity("stop", "W Cass St", text)])
    events = await ActionHandleInform().run(CollectingDispatcher(), tracker, {})
    assert FollowupAction("complaint_form") in events
