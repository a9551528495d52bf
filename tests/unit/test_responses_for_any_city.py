"""Every reply speaks for the configured city: nothing of Shenzhen is left for another.

Each response of domain.yml is rendered by the NLG, in English, Simplified and
Traditional Chinese, with Chicago's identity (tests/data/cities/chicago.yml: 311, US
phone numbers, its own ticket format, no reply promise), every value an action would
send filled with a neutral word.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.city_identity import CityIdentity
from bot.nlg import BilingualNaturalLanguageGenerator

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
CHICAGO = CityIdentity.from_sources(
    yaml.safe_load((ROOT / "tests" / "data" / "cities" / "chicago.yml").read_text("utf-8")), {}
)
#: What only Shenzhen's assistant may say.
SHENZHEN_WORDS = (
    "Shenzhen",
    "深圳",
    "12345",
    "i深圳",
    "罗湖",
    "羅湖",
    "Luohu",
    "SR2026",
    "PA2026",
    "mainland",
    "大陆",
    "大陸",
    "15 working days",
    "15 个工作日",
    "15 個工作日",
    "地铁出行",
    "地鐵出行",
    "i Shenzhen",
    "居住证",
    "居住證",
    "residence permit",
)
#: A city that set only who it is and its hotline: Shenzhen's other wording (promises,
#: hours, examples, where to find an application number) must not speak for it either.
HALF_SET = CityIdentity.from_sources(
    {
        "name_en": "Tampa",
        "name_zh": "坦帕",
        "hotline": "813-274-3101",
        "phone_region": "US",
        "phone_format_en": "a US phone number",
        "phone_format_zh": "美国电话号码",
    },
    {},
)
#: The sandbox's own ticket and application numbers, which a half-set city keeps.
SANDBOX_NUMBERS = ("SR2026", "PA2026")
LANGUAGES = ("en", "zh", "zh-Hant")
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def placeholders(variants: list[dict[str, Any]]) -> set[str]:
    """Every ``{name}`` in a response's texts and button titles."""
    names: set[str] = set()
    for variant in variants:
        names.update(PLACEHOLDER.findall(str(variant.get("text") or "")))
        for button in variant.get("buttons") or []:
            names.update(PLACEHOLDER.findall(str(button.get("title") or "")))
    return names


async def render(
    nlg: BilingualNaturalLanguageGenerator, name: str, language: str
) -> dict[str, Any]:
    """A response as the resident would get it, values from actions filled with "X"."""
    identity_values = set(CHICAGO.reply_values("en"))
    sent = {key: "X" for key in placeholders(DOMAIN.responses[name]) - identity_values}
    tracker = DialogueStateTracker.from_events(
        "resident", [SlotSet("language", language)], slots=DOMAIN.slots
    )
    response = await nlg.generate(name, tracker, "rest", **sent)
    assert response is not None
    return response


def shown_text(response: dict[str, Any]) -> str:
    titles = [str(button.get("title")) for button in response.get("buttons") or []]
    return "\n".join([str(response.get("text") or ""), *titles])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(DOMAIN.responses))
async def test_no_response_speaks_of_shenzhen_for_another_city(name: str, language: str) -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=CHICAGO)
    text = shown_text(await render(nlg, name, language))
    assert [word for word in SHENZHEN_WORDS if word in text] == [], text
    assert not PLACEHOLDER.search(text), f"{name}: a placeholder was left unfilled: {text}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(DOMAIN.responses))
async def test_a_city_that_set_only_its_name_and_hotline_hears_nothing_of_shenzhen(
    name: str, language: str
) -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=HALF_SET)
    text = shown_text(await render(nlg, name, language))
    said = [word for word in SHENZHEN_WORDS if word in text and word not in SANDBOX_NUMBERS]
    assert said == [], text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(DOMAIN.responses))
async def test_every_response_is_filled_for_shenzhen_too(name: str, language: str) -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=CityIdentity())
    text = shown_text(await render(nlg, name, language))
    assert not PLACEHOLDER.search(text), f"{name}: a placeholder was left unfilled: {text}"
    assert "None" not in text


async def test_a_city_without_a_promise_still_reads_as_whole_sentences() -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=CHICAGO)
    english = shown_text(await render(nlg, "utter_complaint_filed_no_date", "en"))
    chinese = shown_text(await render(nlg, "utter_complaint_filed_no_date", "zh"))
    assert "department responsible. Ask me about it any time." in english
    assert "责任单位办理。您可随时向我查询进度。" in chinese
    handoff = shown_text(await render(nlg, "utter_handoff", "en"))
    assert handoff.startswith("To speak to a person, call CHI 311 (24 hours; 312-744-5000")
    assert "  " not in handoff and ". I have noted" in handoff


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_reply_in_both_languages_names_the_hotline_in_each(language: str) -> None:
    """To a resident writing a language the assistant does not serve."""
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=CHICAGO)
    text = shown_text(await render(nlg, "utter_unsupported_language", language))
    english = text[text.index("Sorry") :]
    english = english[: english.index("抱歉")] if "抱歉" in english else english
    assert CHICAGO.hotline_name_en in english and CHICAGO.hotline_name_zh not in english


async def test_a_hotline_that_opens_a_sentence_starts_with_a_capital() -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=HALF_SET)
    text = shown_text(await render(nlg, "utter_complaint_not_on_list", "en"))
    assert "here. The city's hotline on 813-274-3101 can take it." in text
