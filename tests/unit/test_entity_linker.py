"""Entity values survive the way residents type: typos, IME homophones, Traditional, Cantonese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.nlu.entity_linker import EntityValueLinker, vocabulary_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def linker() -> EntityValueLinker:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    component = next(c for c in config["pipeline"] if c["name"].endswith("EntityValueLinker"))
    settings = {key: value for key, value in component.items() if key != "name"}
    vocabulary = vocabulary_of(
        load_data(str(ROOT / "data" / "nlu")),
        list(settings["entities"]),
        settings["canonical_values"],
    )
    return EntityValueLinker(settings, None, None, vocabulary)  # type: ignore[arg-type]


def found(linker: EntityValueLinker, text: str, intent: str, entities: Any = ()) -> list[tuple]:
    return [
        (e["entity"], e["value"], text[e["start"] : e["end"]])
        for e in linker.link(text, intent, list(entities))
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("how do I renew my residense permit?", "residence_permit"),
        ("my passprot expired, what now", "passport"),
        ("居住正要什么材料", "residence_permit"),  # 正 for 证: same pinyin
        ("營業執照點樣辦", "business_license"),
        ("我想去香港要办什么", "hk_macau_travel_permit"),
    ],
)
def test_a_permit_named_however_it_is_typed_is_linked(linker, text, value) -> None:
    assert [(kind, linked) for kind, linked, _ in found(linker, text, "permit_requirements")] == [
        ("permit_type", value)
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("路登坏了好几天", "streetlight"),
        ("the street lite is out again", "streetlight"),
        ("樓下啲車亂咁泊", "illegal_parking"),
        ("construction noise at 2am every night", "noise"),
    ],
)
def test_a_problem_named_however_it_is_typed_is_linked(linker, text, value) -> None:
    assert [linked for _, linked, _ in found(linker, text, "complaint_file")] == [value]


def test_the_entity_points_at_the_residents_own_words(linker) -> None:
    text = "港澳通行證續簽幾錢？"
    ((_, _, words),) = found(linker, text, "permit_fee")
    assert words.startswith("港澳通行證")


def test_a_tagged_span_with_an_unknown_value_is_relinked(linker) -> None:
    text = "I need a bussiness licence"
    tagged = {"entity": "permit_type", "value": "bussiness licence", "start": 9, "end": 26}
    assert found(linker, text, "permit_requirements", [tagged])[0][1] == "business_license"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "天花板一直滴水，楼上的管子好像破了",
            "water_leak",
        ),  # the lexicon's words, not the model's
        ("楼上装修噪英太大了", "noise"),  # 英 for 音: an -ng/-n fuzzy-pinyin slip
    ],
)
def test_the_concept_lexicon_and_fuzzy_pinyin_reach_the_category(linker, text, value) -> None:
    assert [linked for _, linked, _ in found(linker, text, "complaint_file")] == [value]


def test_nothing_is_added_for_an_intent_that_does_not_take_the_entity(linker) -> None:
    assert found(linker, "去香港坐什么车最快", "transit_route") == []


def test_a_message_naming_no_known_value_gets_none(linker) -> None:
    assert found(linker, "what documents do I need?", "permit_requirements") == []


def test_the_component_sets_the_linked_entities_on_the_message(linker) -> None:
    from rasa.shared.nlu.training_data.message import Message

    message = Message(
        data={"text": "居住正要什么材料", "intent": {"name": "permit_requirements"}, "entities": []}
    )
    (processed,) = linker.process([message])
    assert [e["value"] for e in processed.get("entities")] == ["residence_permit"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("我想开个奶茶店，要办什么手续", "business_license"),
        (
            "planning to take my parents to Macau in May, what do they need",
            "hk_macau_travel_permit",
        ),
        ("想把户口迁到深圳来", "hukou_registration"),
        ("we want to build a warehouse on our lot, what approval is needed", "building_permit"),
        ("first time going abroad, what document do I need", "passport"),
    ],
)
def test_what_the_permit_is_for_reaches_the_permit(linker, text, value) -> None:
    assert [linked for _, linked, _ in found(linker, text, "permit_requirements")] == [value]


def test_permit_words_are_not_read_into_a_complaint(linker) -> None:
    assert [
        kind
        for kind, _, _ in found(linker, "the noodle shop downstairs is so loud", "complaint_file")
    ] == ["complaint_category"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("人行道被违规停车占满了", "illegal_parking"),
        ("cars parked all over the sidewalk outside the school", "illegal_parking"),
        ("the sidewalk outside no. 12 is flooded from a leaking pipe", "water_leak"),
        ("人行道坏了好几块", "road_damage"),
        ("the sidewalk in front of the bank is all cracked", "road_damage"),
    ],
)
def test_a_place_word_gives_way_to_the_problem_named_beside_it(linker, text, value) -> None:
    categories = [linked for kind, linked, _ in found(linker, text, "complaint_file")]
    assert categories == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("楼下酒吧每晚放歌到凌晨，吵得整晚睡不着", "noise"),
        ("the dog next door barks all night and wakes the baby", "noise"),
        ("我们小区后面那条路晚上黑漆漆的，走路都看不见", "streetlight"),
        ("it's pitch black on the path behind the school after 7", "streetlight"),
        ("門口條路爛到開車都開唔穩", "road_damage"),
        ("someone left an old mattress and bags of trash by the gate, it stinks", "garbage"),
        (
            "a van has been parked across the fire lane for days, we can't get our car out",
            "illegal_parking",
        ),
        ("楼道墙上都是水渍，天花板发霉了", "water_leak"),
    ],
)
def test_a_problem_described_without_its_name_reaches_its_category(linker, text, value) -> None:
    assert [(kind, linked) for kind, linked, _ in found(linker, text, "complaint_file")] == [
        ("complaint_category", value)
    ]


def test_every_word_list_value_is_a_contract_value() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    component = next(c for c in config["pipeline"] if c["name"].endswith("EntityValueLinker"))
    for path in component["word_lists"]:
        for kind, values in yaml.safe_load((ROOT / path).read_text(encoding="utf-8")).items():
            assert set(values) <= set(component["canonical_values"][kind]), path


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what's the STATUS of my application PA20261234", "permit_status"),
        ("which stage is my application at", "permit_status"),
        ("the guys downstairs keep shouting all night", "nlu_fallback"),
        ("hi, just wanted to start by saying hello", "nlu_fallback"),
    ],
)
def test_everyday_words_are_not_read_as_a_permit(linker, text, intent) -> None:
    """Short everyday words stay clear of the permit words' fuzzy matching ("status"
    once found "the states", "shouting" a shop)."""
    assert [kind for kind, _, _ in found(linker, text, intent)] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("架車泊喺行人路度，成個禮拜都冇郁過", "illegal_parking"),
        ("隔籬屋夜夜嘈到瞓唔着", "noise"),
    ],
)
def test_cantonese_words_of_the_lists_match_the_text_the_nlu_reads(linker, text, value) -> None:
    """The pipeline hands the linker 车停在行人路 for 車停喺行人路; the lists' Cantonese
    spellings are read the same way."""
    from bot.language.normalise import nlu_text

    assert [linked for _, linked, _ in found(linker, nlu_text(text), "complaint_file")] == [value]


def test_a_term_is_kept_as_written_and_as_the_nlu_reads_it() -> None:
    from bot.nlu.entity_linker import reading_as_the_nlu

    assert reading_as_the_nlu([("车停喺行人路", "illegal_parking"), ("路灯", "streetlight")]) == [
        ("车停喺行人路", "illegal_parking"),
        ("路灯", "streetlight"),
        ("车停在行人路", "illegal_parking"),
    ]


def test_the_residents_words_added_beside_the_lexicon_reach_the_category(tmp_path) -> None:
    """`more-*.yml` files next to the lexicon add words to its concepts, as they do for
    the complaint matcher; a concept they name must exist."""
    from bot.nlu.entity_linker import lexicon_terms

    (tmp_path / "concepts.yml").write_text(
        "concepts:\n  - {id: street_light, zh: [路灯], en: [street light]}\n", encoding="utf-8"
    )
    (tmp_path / "more-city.yml").write_text(
        "more:\n  - {id: street_light, zh: [街灯黑咗], en: [lamp post dark]}\n", encoding="utf-8"
    )
    concepts = {"complaint_category": {"streetlight": ["street_light"]}}
    terms = lexicon_terms(str(tmp_path / "concepts.yml"), concepts)["complaint_category"]
    assert terms == {
        "路灯": "streetlight",
        "street light": "streetlight",
        "街灯黑咗": "streetlight",
        "lamp post dark": "streetlight",
    }
    with pytest.raises(ValueError, match="no concept"):
        lexicon_terms(str(tmp_path / "concepts.yml"), {"complaint_category": {"x": ["nope"]}})
