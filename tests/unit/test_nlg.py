"""Responses follow the language slot, with Traditional rendered from the Chinese text."""

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlg import BilingualNaturalLanguageGenerator

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
NLG = BilingualNaturalLanguageGenerator(domain=DOMAIN)


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
    assert [b["title"] for b in response["buttons"]] == ["辦證諮詢", "地鐵出行", "反映問題"]
    assert response["buttons"][0]["payload"] == "/permit_requirements"
