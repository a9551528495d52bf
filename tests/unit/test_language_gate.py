"""Messages in languages we do not serve go to the fallback, not to a guessed intent."""

from rasa.shared.nlu.training_data.message import Message

from bot.language import detect_language
from bot.nlu.language_detector import LANGUAGE_PROPERTY
from bot.nlu.language_gate import UnsupportedLanguageGate, gate_message


def _parsed(text: str, intent: str) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.93})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.93}])
    message.set(LANGUAGE_PROPERTY, detect_language(text).as_dict())
    return message


def test_a_korean_message_read_as_affirm_becomes_a_fallback() -> None:
    message = _parsed("네 감사합니다", "affirm")
    UnsupportedLanguageGate().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "affirm"]


def test_chinese_and_english_messages_keep_their_intent() -> None:
    messages = [_parsed("好的", "affirm"), _parsed("yes please", "affirm")]
    UnsupportedLanguageGate().process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["affirm", "affirm"]


def test_gating_twice_keeps_one_fallback_entry() -> None:
    message = _parsed("¿Dónde está la estación de autobuses?", "transit_route")
    gate_message(message)
    gate_message(message)
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "transit_route"]


def test_a_script_tag_read_as_a_question_about_alerts_becomes_a_fallback() -> None:
    probes = [
        _parsed("<script>alert(1)</script>", "transit_alerts"),
        _parsed('<img src=x onerror="alert(document.cookie)">', "transit_alerts"),
        _parsed("<b>hi</b><i>there</i><div></div>", "greet"),
    ]
    UnsupportedLanguageGate().process(probes)
    assert [m.get("intent")["name"] for m in probes] == ["nlu_fallback"] * 3


def test_a_question_with_a_little_markup_or_angle_brackets_keeps_its_intent() -> None:
    messages = [
        _parsed("<b>深圳北站</b>下一班地铁几点到", "transit_next_departure"),
        _parsed("is the fare < 5 yuan or > 10 yuan to the airport?", "transit_fare"),
        _parsed("我的工单 <SR20260101> 处理到哪一步了", "complaint_status"),
    ]
    UnsupportedLanguageGate().process(messages)
    assert [m.get("intent")["name"] for m in messages] == [
        "transit_next_departure",
        "transit_fare",
        "complaint_status",
    ]
