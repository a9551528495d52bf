"""The NLG fills the city's identity into replies, in the reply language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.city_identity import CityIdentity
from bot.nlg import BilingualNaturalLanguageGenerator

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
GUANGZHOU = CityIdentity(
    name_en="Guangzhou",
    name_zh="广州",
    hotline_hours_en="",
    hotline_hours_zh="",
    reply_promise_en="Under the hotline's rules you will get a reply within 10 working days.",
    reply_promise_zh="按热线规定，承办单位须在 10 个工作日内答复。",
)


async def say(nlg: BilingualNaturalLanguageGenerator, name: str, language: str, **sent: Any) -> str:
    tracker = DialogueStateTracker.from_events(
        "resident", [SlotSet("language", language)], slots=DOMAIN.slots
    )
    response = await nlg.generate(name, tracker, "rest", **sent)
    assert response is not None
    return str(response["text"])


async def test_the_greeting_names_the_configured_city_in_each_language() -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=GUANGZHOU)
    assert "I'm the Guangzhou citizen-service assistant" in await say(nlg, "utter_greet", "en")
    assert "我是广州市民服务助手" in await say(nlg, "utter_greet", "zh")
    assert "我是廣州市民服務助手" in await say(nlg, "utter_greet", "zh-Hant")


async def test_the_promise_is_the_citys_own_sentence() -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=GUANGZHOU)
    sent = {"ticket": "SR20261234", "agency": "district office", "expected": "3 Dec 2026"}
    english = await say(nlg, "utter_complaint_filed", "en", **sent)
    assert "should reply by 3 Dec 2026. Under the hotline's rules you will get a reply" in english
    chinese = await say(nlg, "utter_complaint_filed", "zh", **sent)
    assert "前答复。按热线规定，承办单位须在 10 个工作日内答复。您可随时问我" in chinese


async def test_shenzhen_keeps_its_12345_promise_and_hotline_hours() -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=CityIdentity())
    filed = await say(nlg, "utter_complaint_filed_no_date", "en", ticket="SR20261234")
    assert "The 12345 rules give the department 15 working days to reply." in filed
    handoff = await say(nlg, "utter_handoff", "zh")
    assert handoff.startswith(
        "如需人工服务，请拨打 12345 政务服务便民热线（24小时服务）。也可以前往"
    )


async def test_a_hotline_the_action_sends_wins_over_the_citys() -> None:
    nlg = BilingualNaturalLanguageGenerator(domain=DOMAIN, identity=CityIdentity(hotline="311"))
    text = await say(nlg, "utter_permits_unavailable", "en", hotline="020-12345678", portal="x")
    assert "call the 020-12345678 hotline" in text
    assert "call 311 for help" in await say(nlg, "utter_service_rejected", "en")


async def test_rasa_builds_the_nlg_from_the_city_section_of_the_endpoints_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text('city:\n  name_en: "Guangzhou"\n  name_zh: "广州"\n', encoding="utf-8")
    monkeypatch.setenv("CITY_ENDPOINTS", str(endpoints))
    monkeypatch.setenv("CITY_HOTLINE", "020-12345")
    nlg = BilingualNaturalLanguageGenerator(
        EndpointConfig(type="bot.nlg.BilingualNaturalLanguageGenerator"), DOMAIN
    )
    assert nlg.identity.name_en == "Guangzhou" and nlg.identity.hotline == "020-12345"
    assert "call 020-12345 for help" in await say(nlg, "utter_service_rejected", "en")
