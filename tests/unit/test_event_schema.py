"""Action-server responses: the event-dispatched quick check agrees with jsonschema exactly."""

from __future__ import annotations

import copy
import random
from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)

from bot import speedups
from bot.event_schema import EventDispatch

SCHEMA = RemoteAction.action_response_format_spec()
ORIGINAL = speedups._original_validate
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)


def jsonschema_verdict(instance: Any, schema: Any) -> None:
    """``jsonschema.validate`` without re-checking the (constant, valid) schema each time."""
    error = jsonschema.exceptions.best_match(VALIDATOR.iter_errors(instance))
    if error is not None:
        raise error


def rasa_events() -> list[dict[str, Any]]:
    """Events as an action server sends them back, one of many types."""
    parse = {
        "text": "路灯坏了",
        "intent": {"name": "complaint_file", "confidence": 0.97},
        "intent_ranking": [{"name": "complaint_file", "confidence": 0.97}],
        "entities": [
            {"entity": "complaint_category", "value": "streetlight", "start": 0, "end": 2}
        ],
    }
    events = [
        SlotSet("complaint_category", "streetlight"),
        SlotSet("requested_slot", None),
        ActiveLoop("complaint_form"),
        ActiveLoop(None),
        FollowupAction("action_listen"),
        BotUttered("hello", {"buttons": [{"title": "是", "payload": "/affirm"}]}),
        UserUttered("路灯坏了", parse["intent"], parse["entities"], parse),
        ActionExecuted("utter_greet"),
        UserUtteranceReverted(),
        AllSlotsReset(),
        Restarted(),
        SessionStarted(),
    ]
    return [event.as_dict() for event in events]


def response(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"events": events, "responses": [{"response": "utter_ask_location", "text": None}]}


def outcome(validate: Any, instance: Any) -> tuple[str, ...]:
    try:
        validate(instance, SCHEMA)
    except jsonschema.ValidationError as error:
        return ("invalid", error.message, str(list(error.absolute_path)), error.validator)
    return ("valid",)


def test_every_kind_of_event_rasa_sends_is_accepted_by_the_quick_check() -> None:
    dispatch = EventDispatch(SCHEMA, jsonschema.validators.validator_for(SCHEMA))
    for event in rasa_events():
        assert outcome(ORIGINAL, response([event])) == ("valid",), event["event"]
        assert dispatch.accepts(response([event])), event["event"]
    assert dispatch.accepts(response(rasa_events()))
    assert dispatch.accepts({})  # no events, no responses: valid


@pytest.mark.parametrize(
    "instance",
    [
        response([{"event": "slot", "name": "x", "value": 1, "timestamp": "yesterday"}]),
        response([{"event": "no_such_event"}]),
        response([{"name": "x"}]),  # no "event"
        response([{"event": 42}]),
        response(["slot"]),
        {"events": "slot"},
        {"events": [], "responses": "hello"},
        response([{"event": "user", "text": 5}]),
        response([{"event": "bot", "text": "hi", "metadata": "not an object"}]),
    ],
)
def test_an_invalid_response_raises_the_error_jsonschema_raises(instance: Any) -> None:
    theirs = outcome(ORIGINAL, instance)
    assert theirs[0] == "invalid"
    assert outcome(speedups.validate, instance) == theirs
    dispatch = EventDispatch(SCHEMA, jsonschema.validators.validator_for(SCHEMA))
    assert not dispatch.accepts(instance)


def mutated(rng: random.Random, value: Any) -> Any:
    """``value`` with one random change somewhere inside it."""
    odd_values = [None, 0, 1.5, -3, "", "x", [], {}, True, [1], {"a": 1}, "slot", "user"]
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(sorted(value))
        choice = rng.random()
        copied = dict(value)
        if choice < 0.2:
            del copied[key]
        elif choice < 0.5:
            copied[key] = rng.choice(odd_values)
        else:
            copied[key] = mutated(rng, value[key])
        return copied
    if isinstance(value, list) and value and rng.random() < 0.8:
        copied_list = list(value)
        index = rng.randrange(len(value))
        copied_list[index] = mutated(rng, value[index])
        return copied_list
    return rng.choice(odd_values)


def test_thousands_of_mutated_responses_get_the_same_verdict_and_error() -> None:
    rng = random.Random(20261205)
    base = response(rasa_events())
    verdicts = {"valid": 0, "invalid": 0}
    for _ in range(2000):
        instance = mutated(rng, copy.deepcopy(base))
        if rng.random() < 0.5:
            instance = mutated(rng, instance)
        theirs = outcome(jsonschema_verdict, instance)
        assert outcome(speedups.validate, instance) == theirs, instance
        verdicts[theirs[0]] += 1
    assert verdicts["valid"] > 200 and verdicts["invalid"] > 200  # both sides exercised


def test_a_schema_of_another_shape_is_validated_as_jsonschema_does() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    with pytest.raises(ValueError):
        EventDispatch(schema, jsonschema.validators.validator_for(schema))
    speedups.validate({"name": "x"}, schema)
    with pytest.raises(jsonschema.ValidationError, match="'name' is a required property"):
        speedups.validate({}, schema)


def test_the_quick_check_is_what_rasa_s_remote_action_gets() -> None:
    """Installed with bot: RemoteAction validates with bot.speedups.validate."""
    assert jsonschema.validate is speedups.validate
    speedups.validate(response(rasa_events()), SCHEMA)
    key = speedups._schema_key(SCHEMA, jsonschema.validators.validator_for(SCHEMA))
    assert isinstance(speedups._dispatches[key], EventDispatch)
