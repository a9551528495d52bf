"""What leaves the NLU pipeline is what the resident wrote, even when the model read it simplified."""

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_detector import LanguageDetector
from bot.nlu.surface_text import SurfaceTextRestorer, restore_surface_values


def run_pipeline_ends(text: str, entities: list[dict]) -> Message:
    """LanguageDetector at the start, entities as an extractor would cut them, restorer at the end."""
    message = Message.build(text)
    LanguageDetector().process([message])
    normalised = message.get("text")
    message.set(
        "entities",
        [{**e, "value": e.get("value", normalised[e["start"] : e["end"]])} for e in entities],
    )
    SurfaceTextRestorer(["stop", "route"]).process([message])
    return message


def test_traditional_station_and_line_come_back_as_written() -> None:
    message = run_pipeline_ends(
        "從車公廟到會展中心坐3號線嗎",
        [
            {"entity": "stop", "role": "from", "start": 1, "end": 4},
            {"entity": "stop", "role": "to", "start": 5, "end": 9},
            {"entity": "route", "start": 10, "end": 13},
        ],
    )
    assert message.get("text") == "從車公廟到會展中心坐3號線嗎"
    assert [e["value"] for e in message.get("entities")] == ["車公廟", "會展中心", "3號線"]


def test_canonical_values_are_not_touched() -> None:
    message = run_pipeline_ends(
        "辦居住證要什麼",
        [{"entity": "permit_type", "start": 1, "end": 4, "value": "residence_permit"}],
    )
    assert message.get("entities")[0]["value"] == "residence_permit"


def test_a_synonym_mapped_stop_keeps_its_mapped_value() -> None:
    entities = [{"entity": "stop", "start": 0, "end": 2, "value": "深圳北站"}]
    assert restore_surface_values(entities, "北站", "北站", {"stop"}) == entities


def test_simplified_and_english_messages_are_unchanged() -> None:
    for text, span in (("车公庙几点有车", (0, 3)), ("next train at Chegongmiao", (14, 25))):
        message = run_pipeline_ends(text, [{"entity": "stop", "start": span[0], "end": span[1]}])
        assert message.get("text") == text
        assert message.get("entities")[0]["value"] == text[span[0] : span[1]]
