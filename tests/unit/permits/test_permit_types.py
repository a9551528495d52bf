"""Which permit a message is about: entity, catalogue names and aliases, or context."""

from __future__ import annotations

import pytest

from actions.clients.permits import parse_service
from actions.permits.answers import short_name
from actions.permits.types import Found, Mention, choose, find_in_text, permit_phrase
from tests.unit.permits.conftest import DOG, RESIDENCE

SERVICES = [parse_service(RESIDENCE), parse_service(DOG)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("办居住证需要什么", "residence_permit"),
        ("辦居住證要什麼", "residence_permit"),
        ("RESIDENCE PERMIT fee", "residence_permit"),
        ("养狗证多少钱", "dog_licence"),
        ("do I need a dog permit", "dog_licence"),
        ("多少钱", None),
    ],
)
def test_catalogue_names_and_aliases_are_found_in_any_script_and_case(text, expected) -> None:
    found = find_in_text(text, SERVICES)
    assert (found.permit_type if found else None) == expected


def test_an_english_name_must_be_a_whole_word() -> None:
    service = parse_service({"permit_type": "pass", "name": {"zh": "通行", "en": "pass"}})
    assert find_in_text("my passport", [service]) is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("我想办驾照", "驾照"),
        ("办健康证需要什么材料", "健康证"),
        ("台灣通行證怎麼辦", "台灣通行證"),
        ("how do I get a driving licence", "driving licence"),
        ("what about a Work Visa", "Work Visa"),
        ("需要提供什么证明材料", None),
        ("需要什么证件", None),
        ("which permit do I need", None),
        ("what kind of licence", None),
        ("多少钱？", None),
    ],
)
def test_a_permit_named_in_passing_is_recognised_and_generic_words_are_not(text, phrase) -> None:
    assert permit_phrase(text) == phrase


def test_the_entity_wins_over_the_remembered_type() -> None:
    choice = choose(
        [Mention("dog_licence")], "and that one?", SERVICES, remembered="residence_permit"
    )
    assert choice.service is not None and choice.service.permit_type == "dog_licence"


def test_the_remembered_type_answers_when_the_message_names_none() -> None:
    choice = choose([], "多少钱？", SERVICES, remembered="residence_permit")
    assert choice.found is Found.KNOWN
    assert choice.service is not None and choice.service.permit_type == "residence_permit"


def test_a_named_permit_the_city_lacks_beats_the_remembered_one() -> None:
    choice = choose([], "那驾照呢", SERVICES, remembered="residence_permit")
    assert choice.found is Found.NOT_IN_CATALOGUE
    assert choice.asked == "驾照"


def test_a_remembered_type_the_catalogue_dropped_is_forgotten() -> None:
    assert choose([], "多少钱", SERVICES, remembered="passport").found is Found.NONE


def test_long_names_are_shortened_for_buttons() -> None:
    long = parse_service(
        {
            "permit_type": "hk_macau_travel_permit",
            "name": {
                "zh": "营业执照（商事主体登记）",
                "en": "Exit-Entry Permit for Travelling to and from Hong Kong and Macao",
            },
            "aliases": {"en": ["HK/Macau travel permit"]},
        }
    )
    assert short_name(long, "zh") == "营业执照"
    assert short_name(long, "en") == "HK/Macau travel permit"


@pytest.mark.parametrize("question", ["在哪里办理", "怎么申请", "需要多久", "在哪儿申领"])
def test_how_to_words_follow_up_on_the_remembered_type_whatever_the_titles_say(question) -> None:
    # Real catalogues title entries "出生医学证明办理", "房产证办理": a follow-up asking
    # where or how to apply names neither.
    titled = [
        parse_service({"permit_type": "birth_certificate", "name": {"zh": "出生医学证明办理"}}),
        parse_service({"permit_type": "property_certificate", "name": {"zh": "房产证申请办理"}}),
    ]
    # A catalogue of real size, where a pair two titles share is rare enough to count.
    others = [
        parse_service({"permit_type": f"item_{n}", "name": {"zh": name}})
        for n, name in enumerate(
            "驾驶证 结婚登记 社保卡 公积金 护照 签注 医保 户口 学位 税务".split()
        )
    ]
    catalogue = [*SERVICES, *titled, *others, *others, *others]
    choice = choose([], question, catalogue, remembered="residence_permit")
    assert choice.found is Found.KNOWN and choice.service is not None
    assert choice.service.permit_type == "residence_permit"


def test_a_permit_read_from_the_whole_message_answers_when_nothing_is_named() -> None:
    guess = Mention("residence_permit", guessed=True)
    choice = choose([guess], "刚来深圳上班，租了房子，要准备什么", SERVICES)
    assert choice.found is Found.KNOWN
    assert choice.service is not None and choice.service.permit_type == "residence_permit"


def test_a_catalogue_entry_the_message_names_outranks_a_reading_of_the_situation() -> None:
    guess = Mention("residence_permit", guessed=True)
    choice = choose([guess], "刚搬来，家里的狗要办养狗证吗", SERVICES)
    assert choice.service is not None and choice.service.permit_type == "dog_licence"


def test_a_permit_the_city_lacks_outranks_a_reading_of_the_situation() -> None:
    guess = Mention("residence_permit", guessed=True)
    choice = choose([guess], "刚来深圳上班，驾照要换吗", SERVICES)
    assert choice.found is Found.NOT_IN_CATALOGUE
    assert choice.asked == "驾照"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("my Personalausweis expires in feb, how do I renew it in Falkensee?", "Personalausweis"),
        ("我的CNH过期了怎么办", "CNH"),
        ("do I need a carteira de trabalho for this job", "carteira de trabalho"),
    ],
)
def test_a_document_named_in_the_citys_own_language_is_a_permit(text: str, named: str) -> None:
    assert permit_phrase(text) == named


def test_a_german_word_that_spells_an_id_elsewhere_is_not_one() -> None:
    assert permit_phrase("nie wieder, never again") is None
