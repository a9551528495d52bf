"""A permit read from the whole message when no word names it (bot/nlu/message_values.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.message_values import NONE, MessageValueClassifier, labelled_examples

PERMIT_INTENTS = ["permit_requirements", "permit_apply"]
VALUES = ["hk_macau_travel_permit", "business_license"]

# (text, intent, annotated value or None); the annotation spans the named words.
EXAMPLES = [
    ("去澳门要办什么证", "permit_requirements", ("澳门", "hk_macau_travel_permit")),
    ("下个月带我妈去澳门玩要准备什么", "permit_requirements", ("澳门", "hk_macau_travel_permit")),
    ("想去香港旅游需要什么材料", "permit_requirements", ("香港", "hk_macau_travel_permit")),
    ("去香港出差证件怎么申请", "permit_apply", ("香港", "hk_macau_travel_permit")),
    (
        "I want to visit Macau with my mum, what do I need",
        "permit_requirements",
        ("Macau", "hk_macau_travel_permit"),
    ),
    (
        "how do I apply to travel to Hong Kong",
        "permit_apply",
        ("Hong Kong", "hk_macau_travel_permit"),
    ),
    ("我想开个小面馆要办什么", "permit_requirements", ("开个小面馆", "business_license")),
    ("开奶茶店需要什么手续", "permit_requirements", ("开奶茶店", "business_license")),
    ("开公司营业执照怎么申请", "permit_apply", ("营业执照", "business_license")),
    (
        "I'm opening a small noodle shop, what do I need",
        "permit_requirements",
        ("opening a small noodle shop", "business_license"),
    ),
    ("how do I register my new shop", "permit_apply", ("register my new shop", "business_license")),
    ("开个网店要什么证", "permit_requirements", ("开个网店", "business_license")),
    ("社保卡怎么办", "permit_apply", None),
    ("办社保卡要什么材料", "permit_requirements", None),
    ("what do I need for a marriage registration", "permit_requirements", None),
    ("how do I apply for a social security card", "permit_apply", None),
    ("公积金提取要什么", "permit_requirements", None),
    ("驾驶证换证怎么办理", "permit_apply", None),
    ("去澳门坐什么车", "transit_route", None),  # another intent: not learnt from
]


def example(text: str, intent: str, entity: tuple[str, str] | None) -> Message:
    """A training example; its entity's value is the surface text, as Rasa reads synonyms."""
    entities: List[Dict[str, Any]] = []
    if entity is not None:
        words = entity[0]
        start = text.index(words)
        entities.append(
            {"entity": "permit_type", "start": start, "end": start + len(words), "value": words}
        )
    return Message(data={"text": text, "intent": intent, "entities": entities})


def training_data() -> TrainingData:
    synonyms = {entity[0]: entity[1] for _, _, entity in EXAMPLES if entity is not None}
    return TrainingData([example(*row) for row in EXAMPLES], entity_synonyms=synonyms)


def config(**overrides: Any) -> Dict[str, Any]:
    return {
        **MessageValueClassifier.get_default_config(),
        "entity": "permit_type",
        "intents": PERMIT_INTENTS,
        "values": VALUES,
        **overrides,
    }


@pytest.fixture
def trained(tmp_path: Path) -> MessageValueClassifier:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    # A threshold for a model trained on nineteen examples, which is never very sure.
    settings = config(threshold=0.4)
    component = MessageValueClassifier.create(settings, storage, Resource("values"), context)
    component.train(training_data())
    return MessageValueClassifier.load(settings, storage, Resource("values"), context)


def parsed(text: str, intent: str, entities: List[Dict[str, Any]] | None = None) -> Message:
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
        }
    )


def test_each_example_is_labelled_with_the_value_it_annotates_or_none() -> None:
    texts, labels = labelled_examples(training_data(), "permit_type", PERMIT_INTENTS, VALUES)
    labelled = dict(zip(texts, labels, strict=True))
    assert labelled["我想开个小面馆要办什么"] == "business_license"
    assert labelled["去香港出差证件怎么申请"] == "hk_macau_travel_permit"
    assert labelled["社保卡怎么办"] == NONE
    assert "去澳门坐什么车" not in labelled  # not a permit question


def test_an_example_naming_two_permits_or_an_unknown_value_teaches_nothing() -> None:
    two = Message(
        data={
            "text": "护照和港澳通行证",
            "intent": "permit_apply",
            "entities": [
                {"entity": "permit_type", "start": 0, "end": 2, "value": "passport"},
                {"entity": "permit_type", "start": 3, "end": 8, "value": "hk_macau_travel_permit"},
            ],
        }
    )
    unknown = Message(
        data={
            "text": "渔业捕捞许可",
            "intent": "permit_apply",
            "entities": [{"entity": "permit_type", "start": 0, "end": 6, "value": "fishing"}],
        }
    )
    values = [*VALUES, "passport"]
    texts, _ = labelled_examples(
        TrainingData([two, unknown]), "permit_type", PERMIT_INTENTS, values
    )
    assert texts == []


def test_a_trip_told_without_the_permits_name_gets_the_permit(
    trained: MessageValueClassifier,
) -> None:
    (message,) = trained.process(
        [parsed("暑假想带孩子去澳门玩几天要准备什么", "permit_requirements")]
    )
    (entity,) = message.get("entities")
    assert entity["entity"] == "permit_type"
    assert entity["value"] == "hk_macau_travel_permit"
    assert entity["extractor"] == "MessageValueClassifier"
    assert (entity["start"], entity["end"]) == (0, len(message.get("text")))


def test_a_service_outside_the_catalogue_gets_no_permit(trained: MessageValueClassifier) -> None:
    (message,) = trained.process([parsed("社保卡丢了要办什么手续", "permit_requirements")])
    assert message.get("entities") == []


def test_a_permit_already_found_is_not_second_guessed(trained: MessageValueClassifier) -> None:
    found = [
        {
            "entity": "permit_type",
            "start": 0,
            "end": 4,
            "value": "business_license",
            "extractor": "x",
        }
    ]
    (message,) = trained.process(
        [parsed("营业执照 去澳门玩要准备什么", "permit_requirements", found)]
    )
    assert message.get("entities") == found


def test_messages_of_other_intents_are_left_alone(trained: MessageValueClassifier) -> None:
    (message,) = trained.process([parsed("下个月带我妈去澳门玩", "transit_route")])
    assert message.get("entities") == []


def test_an_unsure_reading_adds_nothing(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    settings = config(threshold=0.99)
    component = MessageValueClassifier.create(settings, storage, Resource("v"), context)
    component.train(training_data())
    (message,) = component.process(
        [parsed("下个月带我妈去澳门玩要准备什么", "permit_requirements")]
    )
    assert message.get("entities") == []


def test_without_two_labels_to_learn_nothing_is_added(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    component = MessageValueClassifier.create(config(), storage, Resource("v"), context)
    component.train(TrainingData([example("社保卡怎么办", "permit_apply", None)]))
    loaded = MessageValueClassifier.load(config(), storage, Resource("v"), context)
    (message,) = loaded.process([parsed("去澳门要办什么证", "permit_apply")])
    assert message.get("entities") == []


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_message_is_left_alone(trained: MessageValueClassifier, text: str) -> None:
    (message,) = trained.process([parsed(text, "permit_apply")])
    assert message.get("entities") == []
