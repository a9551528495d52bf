"""Fee and time words decide between permit questions DIET confused (bot/nlu/permit_aspect.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.language.normalise import nlu_text
from bot.nlu.permit_aspect import AspectWords, PermitAspectResolver, decided_intent

WORDS = AspectWords.from_file("bot/nlu/permit_aspects.yml")


def resolved(text: str, intent: str, confidence: float = 0.6) -> Message:
    message = Message(
        data={
            "text": nlu_text(text),
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [
                {"name": intent, "confidence": confidence},
                {"name": "permit_fee", "confidence": 0.2},
                {"name": "permit_processing_time", "confidence": 0.1},
            ],
        }
    )
    (processed,) = PermitAspectResolver({}).process([message])
    return processed


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("下个月去曼谷，护照现在补办的话要多少钱", {"permit_fee"}),
        ("續簽通行證要幾多錢呀", {"permit_fee"}),  # Traditional, Cantonese: read as Mandarin
        ("So what would renewing my passport COST me these days?", {"permit_fee"}),
        ("营业执照办下来大概要多久", {"permit_processing_time"}),
        (
            "how   long does the residence permit take once I've handed everything in",
            {"permit_processing_time"},
        ),
        ("how much is it and how long does it take", {"permit_fee", "permit_processing_time"}),
        ("刚来深圳没多久，能办居住证吗", set()),  # "not long ago" asks nothing
        ("what documents do I need for a passport", set()),
    ],
)
def test_the_words_of_a_fee_or_time_question_are_found(text: str, asked: set[str]) -> None:
    assert WORDS.asked(nlu_text(text)) == asked


def test_a_permit_question_with_only_cost_words_is_a_fee_question() -> None:
    message = resolved(
        "my passport ran out last year and I fly to Germany in March for work, my company "
        "is chasing me about the visa paperwork, what will a new one cost me",
        "permit_requirements",
        confidence=0.55,
    )
    # DIET's confidence in some permit question (0.55 + 0.2 + 0.1), not in the one it chose.
    assert message.get("intent") == {"name": "permit_fee", "confidence": pytest.approx(0.85)}
    ranking = [(entry["name"], entry["confidence"]) for entry in message.get("intent_ranking")]
    assert ranking == [
        ("permit_fee", pytest.approx(0.85)),
        ("permit_requirements", 0.2),
        ("permit_processing_time", 0.1),
    ]


def test_both_kinds_of_words_or_neither_keep_the_classifiers_answer() -> None:
    both = resolved("护照加急费多少，加急要几天", "permit_processing_time")
    assert both.get("intent")["name"] == "permit_processing_time"
    neither = resolved("港澳通行证要带什么证件", "permit_apply")
    assert neither.get("intent")["name"] == "permit_apply"


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        # A money worry asks the fee, a date to meet asks the time: how residents
        # who never say "how much" or "how long" give the question away.
        ("想给爸妈办港澳通行证，这个月手头紧，不知道钱够不够", {"permit_fee"}),
        (
            "I'm a student and can barely afford rent, is a passport renewal going to hurt",
            {"permit_fee"},
        ),
        ("月底就要出差了，通行证现在办还来得及吗，怕赶不上", {"permit_processing_time"}),
        (
            "my flight is on the 3rd, will a new passport be ready in time",
            {"permit_processing_time"},
        ),
        # Where or how to apply, not what to bring.
        ("材料都备好了，营业执照到底去哪里办", {"permit_apply"}),
        (
            "got all my documents for the residence permit, which office do I take them to",
            {"permit_apply"},
        ),
        # Words left out because they ask other things as often.
        ("社保交了两年，够不够条件入户", set()),  # paid social insurance: not a fee
        ("if I submit the application online tonight is that okay", set()),
    ],
)
def test_indirect_questions_are_told_by_their_worry_or_by_where(text: str, asked: set[str]) -> None:
    assert WORDS.asked(nlu_text(text)) == asked


def test_a_where_question_diet_read_as_a_document_question_asks_where_to_apply() -> None:
    message = resolved(
        "everything's in one folder for the passport, where do I hand it in", "permit_requirements"
    )
    assert message.get("intent")["name"] == "permit_apply"


@pytest.mark.parametrize(
    "intent", ["permit_status", "transit_fare", "complaint_file", "nlu_fallback", None]
)
def test_only_permit_questions_other_than_status_are_changed(intent: str | None) -> None:
    assert decided_intent(intent, {"permit_fee"}) is None


def test_a_status_question_that_mentions_the_fee_stays_a_status_question() -> None:
    message = resolved("护照的费用三周前就交了，到现在还没收到，办到哪一步了", "permit_status")
    assert message.get("intent")["name"] == "permit_status"
