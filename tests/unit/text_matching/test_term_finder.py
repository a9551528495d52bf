"""Terms found in messages as residents write them: split, reordered, misspelt."""

from __future__ import annotations

from bot.matching.terms import BRIDGED_STRENGTH, TermFinder

FINDER = TermFinder([("污水倒灌", "sewer_backup"), ("路面开裂", "road_damage"), ("路灯", "light")])


def labels(text: str) -> list[str]:
    return [hit.label for hit in FINDER.find(text)]


def test_a_chinese_term_split_by_a_few_words_is_still_found() -> None:
    # 污水 … 倒灌: the pair 水倒 that only joins the term's two words is not written.
    assert labels("污水从市政管道倒灌进我家地下室") == ["sewer_backup"]
    assert labels("路面整体开裂起皮") == ["road_damage"]


def test_a_split_term_is_less_sure_and_hides_nothing_inside_it() -> None:
    whole = FINDER.find("污水倒灌进地下室")[0]
    split = FINDER.find("污水从市政管道倒灌进地下室")[0]
    assert not whole.gapped and split.gapped
    assert split.strength == whole.strength * BRIDGED_STRENGTH
    assert split.start == 0 and split.end == len("污水从市政管道倒灌")


def test_pieces_far_apart_or_in_the_wrong_order_are_not_the_term() -> None:
    assert labels("污水处理厂旁边那条街上周末有好多人排队，后来倒灌了") == []
    assert labels("倒灌的是污水") == []
