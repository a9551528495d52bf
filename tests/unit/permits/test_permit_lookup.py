"""Finding the entry a resident means in a real city's catalogue, typed as residents type.

The catalogue is the sandbox's (sandbox/data/permits_catalogue.yml: real Shenzhen items).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.clients.permits import PermitService, parse_service
from actions.permits.types import Found, Mention, about_permits, choose, without_status_words
from benchmarks.permit_lookup import generated

CITY_NAMES = ("深圳", "Shenzhen")
CATALOGUE = Path(__file__).resolve().parents[3] / "sandbox" / "data" / "permits_catalogue.yml"


@pytest.fixture(scope="module")
def catalogue() -> tuple[PermitService, ...]:
    document = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return tuple(parse_service(item) for item in document["permits"])


def chosen(text: str, services: tuple[PermitService, ...]) -> str | None:
    choice = choose([], text, services)
    return choice.service.permit_type if choice.found is Found.KNOWN and choice.service else None


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("我想办社保卡", "social_security_card"),
        ("公积金租房提取要什么材料", "housing_fund_withdrawal_rent"),
        ("How do I renew my driving licence?", "driving_licence_renewal"),
        ("结婚登记要带什么", "marriage_registration"),
    ],
)
def test_an_entry_named_in_a_question_is_found(catalogue, text, entry) -> None:
    assert chosen(text, catalogue) == entry


def test_a_typo_in_an_english_name_still_offers_the_entry(catalogue) -> None:
    choice = choose([], "what do I need for a bussiness licence", catalogue)
    offered = [choice.service] if choice.service else list(choice.shortlist)
    assert "business_license" in [s.permit_type for s in offered]


def test_a_pinyin_homophone_still_offers_the_entry(catalogue) -> None:
    choice = choose([], "社保咔丢了怎么补", catalogue)  # 咔 for 卡: same pinyin
    offered = [choice.service] if choice.service else list(choice.shortlist)
    assert any(s.permit_type.startswith("social_security_card") for s in offered)


def test_a_longer_fit_beats_a_short_alias_inside_it(catalogue) -> None:
    assert chosen("新生儿入户需要什么材料", catalogue) == "newborn_hukou_registration"


def test_a_question_naming_nothing_in_the_catalogue_gets_no_entry(catalogue) -> None:
    choice = choose([], "怎么申请火星移民签证", catalogue)
    assert choice.service is None


def test_a_dispute_with_a_landlord_is_not_a_permit_question() -> None:
    assert not about_permits("my landlord won't return my deposit and keeps ignoring my calls")


@pytest.mark.parametrize("text", ["能帮我交水电费吗", "can you pay my electricity bill"])
def test_paying_a_bill_is_not_a_permit_question(text: str) -> None:
    assert not about_permits(text)


def test_a_short_fee_question_still_is_one() -> None:
    assert about_permits("要交多少钱")
    assert about_permits("需要带什么材料？")
    assert about_permits("how much is it?")


def test_among_five_thousand_entries_the_real_one_is_still_found(catalogue) -> None:
    large = tuple(generated(5000, list(catalogue)))
    assert len(large) == 5000
    assert chosen("我想办社保卡", large) == "social_security_card"
    assert chosen("How do I renew my driving licence?", large) == "driving_licence_renewal"


@pytest.mark.parametrize(
    "text",
    ["我是湖南户口，在深圳能办吗", "我係四川戶口，喺深圳可唔可以辦", "户口在老家，可以在这边办吗"],
)
def test_where_the_resident_is_registered_is_not_the_hukou_service(
    text: str, catalogue: tuple[PermitService, ...]
) -> None:
    marked = Mention("hukou_registration", "户口" if "户口" in text else "戶口")
    choice = choose(
        [marked], text, catalogue, remembered="hk_macau_travel_permit", city_names=CITY_NAMES
    )
    assert choice.service is not None
    assert choice.service.permit_type == "hk_macau_travel_permit"


@pytest.mark.parametrize(
    "text", ["深圳户口怎么办理", "外地户口迁入深圳要什么条件", "我想办户口迁入"]
)
def test_asking_for_household_registration_still_names_it(
    text: str, catalogue: tuple[PermitService, ...]
) -> None:
    choice = choose([], text, catalogue, remembered="hk_macau_travel_permit", city_names=CITY_NAMES)
    assert choice.service is not None
    assert choice.service.permit_type == "hukou_registration"


def test_the_household_register_booklet_is_something_to_bring() -> None:
    assert without_status_words("要带户口本吗").strip() == "要带   吗".strip()


@pytest.mark.parametrize(
    ("said", "held"),
    [
        ("我有广州居住证，能办一签多行吗", "我有广州居住证"),
        ("我是非穗户，能办吗", "非穗户"),
        (
            "I have a Guangzhou residence permit, can I apply?",
            "I have a Guangzhou residence permit",
        ),
    ],
)
def test_another_citys_residents_saying_what_they_hold_name_no_service(
    said: str, held: str
) -> None:
    blanked = without_status_words(said, ("广州", "Guangzhou"))
    assert held not in blanked
    assert len(blanked) == len(said)


def test_a_permit_held_in_another_city_is_no_status_word_here() -> None:
    assert "广州居住证" in without_status_words("我有广州居住证", ("深圳", "Shenzhen"))


def test_whether_one_may_apply_is_asked_of_the_entry_discussed(
    catalogue: tuple[PermitService, ...],
) -> None:
    asked = "I've been here 8 months, rented flat, paying shebao since day one. am I eligible??"
    follow_up = choose([], asked, catalogue, remembered="residence_permit", city_names=CITY_NAMES)
    assert follow_up.service is not None and follow_up.service.permit_type == "residence_permit"


@pytest.mark.parametrize(
    ("asked", "named"),
    [
        (
            "Just adopted a corgi 🐶 do I need to register him somewhere? dog licence or whatever",
            "dog licence",
        ),
        ("顺便问下 无人机飞行许可你们能办吗", "无人机飞行许可"),
    ],
)
def test_a_permit_no_entry_has_a_word_of_is_not_in_the_catalogue(
    catalogue: tuple[PermitService, ...], asked: str, named: str
) -> None:
    choice = choose([], asked, catalogue, city_names=CITY_NAMES)
    assert choice.found is Found.NOT_IN_CATALOGUE
    assert named in choice.asked


def test_words_the_model_linked_to_an_entry_that_share_nothing_with_it_are_no_request_for_it(
    catalogue: tuple[PermitService, ...],
) -> None:
    asked = "seriously? ok then how about a fishing permit, I wanna fish at the bay"
    mention = Mention("parking_permit", "fishing permit")
    choice = choose([mention], asked, catalogue, city_names=CITY_NAMES)
    assert choice.found is Found.NOT_IN_CATALOGUE


@pytest.mark.parametrize(
    ("asked", "words", "value"),
    [
        ("what do I need for a residense permit", "residense permit", "residence_permit"),
        ("要带什么 营业执找", "营业执找", "business_license"),
    ],
)
def test_words_with_a_slip_still_name_their_entry(
    catalogue: tuple[PermitService, ...], asked: str, words: str, value: str
) -> None:
    choice = choose([Mention(value, words)], asked, catalogue, city_names=CITY_NAMES)
    assert choice.service is not None and choice.service.permit_type == value


@pytest.mark.parametrize(
    "asked", ["驾照过期了怎么换", "my driving licence expired, how do I renew"]
)
def test_a_permit_an_entry_is_known_by_is_still_offered(
    catalogue: tuple[PermitService, ...], asked: str
) -> None:
    choice = choose([], asked, catalogue, city_names=CITY_NAMES)
    assert choice.found in (Found.KNOWN, Found.SHORTLIST)


def test_a_permit_held_said_in_passing_is_not_the_one_asked_about(
    catalogue: tuple[PermitService, ...],
) -> None:
    asked = (
        "我是湖南人，在深圳上班三年了，社保一直交的，居住证也办了。下个月公司要派我去香港出差，"
        "之前从来没办过港澳通行证。想问下我这种外地户口的能不能直接在深圳办？"
    )
    mentions = [
        Mention("residence_permit", "居住证"),
        Mention("hk_macau_travel_permit", "港澳通行证"),
    ]
    choice = choose(mentions, asked, catalogue, city_names=CITY_NAMES)
    assert choice.service is not None
    assert choice.service.permit_type == "hk_macau_travel_permit"


def test_the_citys_own_name_does_not_pick_another_entry_in_a_follow_up(
    catalogue: tuple[PermitService, ...],
) -> None:
    asked = "在深圳能办吗"
    follow_up = choose([], asked, catalogue, remembered="passport", city_names=CITY_NAMES)
    assert follow_up.service is not None and follow_up.service.permit_type == "passport"


@pytest.mark.parametrize(
    "asked",
    [
        "咁再签一次要几钱？使唔使去出入境？",
        "我係深圳居住证，可唔可以办一签多行？",
        "那要带什么材料",
    ],
)
def test_a_follow_up_naming_no_entry_stays_with_the_one_discussed(
    catalogue: tuple[PermitService, ...], asked: str
) -> None:
    follow_up = choose(
        [], asked, catalogue, remembered="hk_macau_travel_permit", city_names=CITY_NAMES
    )
    assert follow_up.service is not None
    assert follow_up.service.permit_type == "hk_macau_travel_permit"


@pytest.mark.parametrize(
    ("asked", "entry"),
    [
        ("补办身份证多少钱", "id_card_replacement"),
        ("新生儿落户要什么", "newborn_hukou_registration"),
    ],
)
def test_a_follow_up_naming_another_entry_goes_there(
    catalogue: tuple[PermitService, ...], asked: str, entry: str
) -> None:
    follow_up = choose([], asked, catalogue, remembered="hk_macau_travel_permit")
    assert follow_up.service is not None and follow_up.service.permit_type == entry


def test_where_a_couple_is_registered_does_not_hide_what_they_ask_for(
    catalogue: tuple[PermitService, ...],
) -> None:
    text = "we want to get married, 就是去领证. she's Shenzhen hukou, I'm from Guangxi"
    choice = choose([Mention("hukou_registration", "hukou")], text, catalogue)
    assert choice.service is not None
    assert choice.service.permit_type == "marriage_registration"
    asked = "how do I transfer my hukou to Shenzhen"
    moving = choose([Mention("hukou_registration", "hukou")], asked, catalogue)
    assert moving.service is not None and moving.service.permit_type == "hukou_registration"


def test_loose_word_matches_in_a_follow_up_keep_the_permit_being_discussed(
    catalogue: tuple[PermitService, ...],
) -> None:
    text = "do we both need 户口本? mine is back home in 南宁 lol"
    choice = choose([], text, catalogue, remembered="marriage_registration")
    assert choice.service is not None
    assert choice.service.permit_type == "marriage_registration"


def test_the_entry_a_whole_message_fits_wins_when_its_name_holds_the_words_named(
    catalogue: tuple[PermitService, ...],
) -> None:
    text = (
        "I'm an American citizen, came in on a Z visa two weeks ago for a teaching job. "
        "Do I need a residence permit, and is that separate from the work permit?"
    )
    named = Mention("residence_permit", "residence permit")
    choice = choose([named], text, catalogue)
    assert choice.service is not None
    assert choice.service.permit_type == "foreigner_residence_permit"
    plain = choose([named], "how do I get a residence permit", catalogue)
    assert plain.service is not None and plain.service.permit_type == "residence_permit"


def test_a_shorter_name_of_the_permit_discussed_stays_with_it(
    catalogue: tuple[PermitService, ...],
) -> None:
    named = Mention("residence_permit", "residence permit")
    text = "how much is the residence permit"
    after = choose([named], text, catalogue, remembered="foreigner_residence_permit")
    assert after.service is not None
    assert after.service.permit_type == "foreigner_residence_permit"
    passport = choose([Mention("passport", "passport")], "and a passport?", catalogue,
                      remembered="foreigner_residence_permit")  # fmt: skip
    assert passport.service is not None and passport.service.permit_type == "passport"


def test_the_permit_of_and_what_about_x_is_the_one_asked_about(
    catalogue: tuple[PermitService, ...],
) -> None:
    text = "那驾照呢，跟身份证放一个钱包里一起丢了"
    choice = choose([Mention("id_card_replacement", "身份证")], text, catalogue)
    # The driving licence's entries, of which the lost one's replacement ("丢了").
    assert choice.service is not None
    assert choice.service.permit_type == "driving_licence_replacement"
    passport = choose([], "and a passport?", catalogue, remembered="hk_macau_travel_permit")
    assert passport.service is not None and passport.service.permit_type == "passport"
    price = choose([], "那多少钱呢", catalogue, remembered="hk_macau_travel_permit")
    assert price.service is not None and price.service.permit_type == "hk_macau_travel_permit"


def test_how_long_a_passport_is_valid_comes_from_the_catalogues_own_words(
    catalogue: tuple[PermitService, ...],
) -> None:
    from actions.permits.answers import validity

    passport = next(s for s in catalogue if s.permit_type == "passport")
    assert "5 years" in validity(passport, "en", {})["validity"]
    assert "5年" in validity(passport, "zh", {})["validity"]


@pytest.mark.parametrize(
    ("text", "who", "meant"),
    [
        ("身份证 丢了", "", "id_card_replacement"),
        ("ok 顺便 social security card lost了 怎么办", "", "social_security_card_replacement"),
        ("驾照过期了怎么换", "", "driving_licence_renewal"),
        ("我係香港人，喺深圳返工，可以辦居住證嗎？", "", "hk_macau_taiwan_residence_permit"),
        (
            "ok and my residence permit expire next month, what I need",
            "my passport expired, I am foreigner, american. how renew",
            "foreigner_residence_permit",
        ),
        ("办居住证要什么材料", "", "residence_permit"),
    ],
)
def test_the_entry_for_the_situation_and_the_resident_is_chosen(
    catalogue: tuple[PermitService, ...], text: str, who: str, meant: str
) -> None:
    assert choose([], text, catalogue, who=who).service.permit_type == meant


def test_a_document_the_applicant_lacks_is_about_the_permit_discussed(
    catalogue: tuple[PermitService, ...],
) -> None:
    choice = choose([], "孩子没有身份证呢", catalogue, remembered="hk_macau_travel_permit")
    assert choice.service is not None
    assert choice.service.permit_type == "hk_macau_travel_permit"
    # A document lost is no document lacked for the permit discussed.
    lost = choose([], "我的护照丢了", catalogue, remembered="hk_macau_travel_permit")
    offered = [lost.service] if lost.service else list(lost.shortlist)
    assert "passport" in [service.permit_type for service in offered]


@pytest.mark.parametrize(
    "text", ["how much is the temporary one and how fast", "临时的那个要多少钱", "要臨時嗰個幾錢"]
)
def test_the_other_kind_of_the_permit_discussed(catalogue, text) -> None:
    """ "the temporary one" right after the ID card's replacement: the temporary ID card."""
    choice = choose([], text, catalogue, remembered="id_card_replacement")
    assert choice.service is not None and choice.service.permit_type == "temporary_id_card"


@pytest.mark.parametrize("text", ["the other one?", "what about the paper one", "那个要多少钱"])
def test_a_word_that_picks_no_kind_keeps_the_permit_discussed(catalogue, text) -> None:
    choice = choose([], text, catalogue, remembered="id_card_replacement")
    assert choice.service is not None and choice.service.permit_type == "id_card_replacement"


def test_an_entry_named_in_full_beats_a_word_the_model_linked_elsewhere(catalogue) -> None:
    """ "出入境记录 … for my visa application": the record is named; "visa" is context."""
    text = "thx. btw 出入境记录 how to get one? need it for my visa application"
    choice = choose([Mention("passport", "visa", False)], text, catalogue)
    assert choice.service is not None and choice.service.permit_type == "exit_entry_record"


def test_of_two_permits_named_the_one_asked_for_is_answered(catalogue) -> None:
    text = (
        "我们户口都在湖南，孩子明年九月要上小学，听宝妈说要先办那个居著证才能申请学位，"
        "请问要准备啥材料啊"
    )
    mentions = [Mention("hukou_registration", "户口"), Mention("residence_permit", "居著证")]
    choice = choose(mentions, text, catalogue, city_names=CITY_NAMES)
    assert choice.service is not None and choice.service.permit_type == "residence_permit"


def test_a_question_about_a_bills_fee_is_not_a_permit_question() -> None:
    assert not about_permits("how much is the water bill fee")


def test_asking_whether_a_permit_is_needed_is_a_permit_question() -> None:
    assert about_permits("那我门口放个临时广告牌需要许可吗？")
