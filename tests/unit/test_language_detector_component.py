"""The LanguageDetector NLU component on training data and live messages."""

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.language_detector import LanguageDetector


def test_live_message_gets_language_and_simplified_text() -> None:
    message = Message.build("車公廟下一班幾點")
    LanguageDetector().process([message])
    assert message.get("text") == "车公庙下一班几点"
    assert message.get("language")["code"] == "zh-Hant"
    assert "language" in message.as_dict(only_output_properties=True)


def test_training_entity_values_follow_the_simplified_text() -> None:
    example = Message.build("5號線延誤了嗎", intent="transit_alerts")
    example.set("entities", [{"start": 0, "end": 3, "value": "5號線", "entity": "route"}])
    LanguageDetector().process_training_data(TrainingData([example]))
    entity = example.get("entities")[0]
    assert example.get("text")[entity["start"] : entity["end"]] == entity["value"] == "5号线"
