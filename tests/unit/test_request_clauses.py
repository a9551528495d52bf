"""A long message is read by the clauses that carry its request, wherever they are."""

from __future__ import annotations

import re

from rasa.nlu.tokenizers.tokenizer import Token

from bot.nlu.request_clauses import clause_spans, keep_request, request_score


def words(text: str) -> list[Token]:
    return [Token(m.group(), m.start()) for m in re.finditer(r"[A-Za-z']+|[\u4e00-\u9fff]", text)]


def kept_text(text: str, limit: int) -> str:
    return " ".join(t.text for t in keep_request(words(text), text, limit))


BACKGROUND = (
    "I moved here from Hunan last year and I have been renting in Longgang since March, "
    "my landlord was difficult for months but finally gave me the contract last week, "
    "and my company also changed its address twice this year, which was confusing, "
)


def test_a_request_at_the_end_survives_the_cut() -> None:
    text = BACKGROUND + "so what do I need to bring for the residence permit?"
    assert "what do I need to bring for the residence permit" in kept_text(text, 30)


def test_a_request_in_the_middle_survives_the_cut() -> None:
    text = (
        "Hello there. Could you tell me where my complaint SR stands? "
        + BACKGROUND
        + "anyway the weather was nice today and the kids enjoyed the park"
    )
    assert "Could you tell me where my complaint SR stands" in kept_text(text, 30)


def test_a_chinese_request_among_background_survives() -> None:
    text = (
        "你好，我是去年毕业来深圳的，现在在一家公司上班，社保也交满一年了，"
        "平时工作很忙，周末也经常加班，"
        "想问问落户需要哪些材料？"
        "另外我老家在湖南，父母身体都还好，"
    )
    kept = kept_text(text, 20).replace(" ", "")
    assert "想问问落户需要哪些材料" in kept


def test_the_kept_tokens_are_in_the_residents_order() -> None:
    text = BACKGROUND + "what documents do I need? thanks a lot for your help"
    kept = keep_request(words(text), text, 25)
    assert [t.start for t in kept] == sorted(t.start for t in kept)
    assert len(kept) <= 25


def test_a_short_message_is_kept_whole() -> None:
    text = "next train at Chegongmiao?"
    assert keep_request(words(text), text, 64) == words(text)


def test_one_endless_clause_keeps_its_end() -> None:
    text = "blah " * 200 + "help"
    assert kept_text(text, 10).endswith("help")


def test_questions_score_above_background() -> None:
    assert request_score("how much does it cost?") > request_score("my landlord was difficult")
    assert request_score("请问要多久") > request_score("父母身体都还好")
    assert clause_spans("a, b。c") == [(0, 2), (2, 5), (5, 6)]


def test_background_said_over_and_over_is_kept_once() -> None:
    chatter = "今天先是去医院排队，中午吃了点东西，下午去银行办了点事，"
    text = chatter * 40 + "对了请问罗湖站的末班地铁是几点"
    kept = kept_text(text, 64).replace(" ", "")
    assert "请问罗湖站的末班地铁是几点" in kept
    assert kept.count("下午去银行办了点事") == 1
