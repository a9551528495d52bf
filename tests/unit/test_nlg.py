"""Responses follow the language slot, with Traditional rendered from the Chinese text."""

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.city_identity import CityIdentity
from bot.nlg import BilingualNaturalLanguageGenerator

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
NLG = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=CityIdentity())


async def render(name: str, language: str | None) -> dict:
    events = [SlotSet("language", language)] if language else []
    tracker = DialogueStateTracker.from_events("u", events, slots=DOMAIN.slots)
    response = await NLG.generate(name, tracker, "rest")
    assert response is not None
    return response


async def test_english_slot_gives_english() -> None:
    assert (await render("utter_greet", "en"))["text"].startswith("Hello")


@pytest.mark.parametrize("language", ["zh", None])
async def test_chinese_or_unknown_gives_simplified_chinese(language: str | None) -> None:
    assert (await render("utter_greet", language))["text"].startswith("您好")


async def test_traditional_slot_gives_traditional_text_and_buttons() -> None:
    response = await render("utter_help", "zh-Hant")
    assert "辦證" in response["text"] and "办证" not in response["text"]
    assert [b["title"] for b in response["buttons"]] == ["辦證諮詢", "交通出行", "反映問題"]
    assert response["buttons"][0]["payload"] == "/permit_requirements"


async def test_the_complaint_summary_fills_its_text_and_keeps_the_json_payloads() -> None:
    from structlog.testing import capture_logs

    events = [SlotSet("language", "en")]
    tracker = DialogueStateTracker.from_events("u", events, slots=DOMAIN.slots)
    with capture_logs() as logged:
        response = await NLG.generate(
            "utter_complaint_summary",
            tracker,
            "rest",
            category="Streetlight",
            location="88 Fuhua 3rd Road",
            description="dark for a week",
            phone="none",
        )
    assert response is not None
    assert "• Where: 88 Fuhua 3rd Road" in response["text"]
    payloads = [button["payload"] for button in response["buttons"]]
    assert '/inform{"complaint_field":"location"}' in payloads
    assert [entry for entry in logged if entry.get("log_level") in ("error", "exception")] == []


async def test_a_button_title_is_still_filled_with_slot_values() -> None:
    nlg = BilingualNaturalLanguageGenerator(
        identity=CityIdentity(),
        domain=Domain.from_dict(
            {
                "slots": {"station": {"type": "text", "mappings": [{"type": "custom"}]}},
                "responses": {
                    "utter_pick": [
                        {
                            "text": "Pick",
                            "buttons": [{"title": "Go to {station}", "payload": "/go"}],
                        }
                    ]
                },
            }
        ),
    )
    tracker = DialogueStateTracker.from_events("u", [SlotSet("station", "Futian")])
    response = await nlg.generate("utter_pick", tracker, "rest")
    assert response is not None
    assert response["buttons"] == [{"title": "Go to Futian", "payload": "/go"}]
