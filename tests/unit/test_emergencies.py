"""A danger under way gets the emergency numbers first, whatever the city."""

from __future__ import annotations

import pytest

from actions.emergencies import tells_an_emergency
from bot.city_identity import CityIdentity, emergency_sentence


@pytest.mark.parametrize(
    "text",
    [
        "隔壁那栋楼在冒黑烟好像着火了!!!! 怎么办",
        "樓下餐廳起火啦，好大煙",
        "单元楼道里一股很浓的煤气味",
        "there's smoke pouring out of the house across the street",
        "I smell gas in the stairwell of my building",
        "a power line is down on the street after the storm, sparks everywhere",
        "路口有人被撞了，倒在地上流血",
        "someone collapsed at the bus stop and he's not breathing",
        "someone just fainted on the platform, what do I do??",
        "an old man collapsed on the tram",
        "站台上有个老人晕倒了",
    ],
)
def test_a_danger_happening_now_is_an_emergency(text: str) -> None:
    assert tells_an_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "小区门口的消防栓从昨晚开始一直在喷水",
        "有车堵消防通道",
        "已经打了，消防车来了。但是他们说这条街的消防栓没水",
        "the fire hydrant on my corner is leaking",
        "people keep parking in the fire lane",
        "昨晚着火的那栋楼垃圾到现在还没清",
        "what do I need for a fire safety inspection?",
        "my bike tyre 漏气 because of the glass on the road",
        "the gas station on Main St has wrong prices",
        "he fainted last week at the stop",
        "/affirm",
        "",
    ],
)
def test_things_named_after_a_danger_or_past_ones_are_not(text: str) -> None:
    assert not tells_an_emergency(text)


def test_a_city_that_names_no_emergency_numbers_gets_its_regions_own() -> None:
    assert emergency_sentence("US", "en") == "If anyone is in danger, call 911 or 112 now."
    assert "000" in emergency_sentence("AU", "en")
    assert emergency_sentence("FI", "zh").endswith("112。")
    boston = CityIdentity.from_sources(
        {"phone_region": "US", "phone_format_en": "a US number", "phone_format_zh": "美国号码"}, {}
    )
    assert "911" in boston.reply_values("en")["emergency"]
    assert "119" not in boston.reply_values("zh")["emergency"]


def test_a_city_that_writes_its_own_sentence_is_told_as_written() -> None:
    sentence = "Call 911 now if anyone is hurt."
    identity = CityIdentity.from_sources(
        {"emergency_en": sentence, "emergency_zh": "如有人受伤请拨打 911。"}, {}
    )
    assert identity.reply_values("en")["emergency"] == sentence
