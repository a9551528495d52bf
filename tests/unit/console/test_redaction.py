"""Staff see transcripts with personal data masked; everything else is kept exactly as written."""

import dataclasses
import re
from datetime import date, timedelta
from itertools import pairwise

import pytest

from bot.console.redaction import Finding, Redacted, find_pii, redact

TODAY = date(2026, 11, 24)
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
# GB 11643-1999, written out rather than derived, to check the module's own arithmetic.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(region: str, born: str, sequence: str) -> str:
    """A resident ID with the check character ISO 7064 MOD 11-2 gives it."""
    body = region + born + sequence
    check = (
        12 - sum(int(digit) * weight for digit, weight in zip(body, ID_WEIGHTS, strict=True)) % 11
    ) % 11
    return body + ("X" if check == 10 else str(check))


def luhn_valid(number: str) -> bool:
    """The Luhn check, written differently from the module's loop."""
    digits = [int(char) for char in reversed(number)]
    doubled = (sum(divmod(2 * digit, 10)) for digit in digits[1::2])
    return (sum(digits[0::2]) + sum(doubled)) % 10 == 0


def luhn_completed(payload: str) -> str:
    """``payload`` with the one check digit that makes it pass Luhn."""
    return next(payload + check for check in "0123456789" if luhn_valid(payload + check))


def shown(text: str) -> str:
    """What staff see for ``text`` on TODAY."""
    return redact(text, today=TODAY).text


def kinds(text: str) -> list[str]:
    """The kinds found in ``text``, in order."""
    return [finding.kind for finding in find_pii(text, today=TODAY)]


STANDARD_ID = "11010519491231002X"  # the worked example in GB 11643-1999
VALID_IDS = [
    STANDARD_ID,
    resident_id("440304", "19900307", "123"),
    resident_id("440305", "20000229", "456"),
    resident_id("310101", "19000101", "001"),
    resident_id("510107", "19851231", "789"),
    resident_id("440300", "20261124", "000"),
    *(resident_id("440303", "19760815", f"{sequence:03d}") for sequence in range(10)),
]


# --- mobile ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("13800138000", "138****8000"),
        ("138 0013 8000", "138 **** 8000"),
        ("138-0013-8000", "138-****-8000"),
        ("138–0013–8000", "138–****–8000"),
        ("+86 13800138000", "+86 138****8000"),
        ("+8613800138000", "+86138****8000"),
        ("+86 138 0013 8000", "+86 138 **** 8000"),
        ("86 13800138000", "86 138****8000"),
        ("8613800138000", "86138****8000"),
        ("0086 13800138000", "0086 138****8000"),
        ("0086-138-0013-8000", "0086-138-****-8000"),
        ("(+86) 138 0013 8000", "(+86) 138 **** 8000"),
        ("１３８００１３８０００", "１３８****８０００"),
        ("１３８　００１３　８０００", "１３８　****　８０００"),
    ],
)
def test_a_mobile_keeps_its_first_three_and_last_four_digits_as_written(
    written: str, masked: str
) -> None:
    assert shown(written) == masked
    assert kinds(written) == ["mobile"]


def test_a_mobile_inside_chinese_text_is_masked_and_the_words_around_it_are_kept() -> None:
    result = redact("我的电话13800138000谢谢", today=TODAY)

    assert result == Redacted("我的电话138****8000谢谢", (Finding("mobile", 4, 15),))


def test_the_country_code_is_part_of_the_mobile_finding() -> None:
    assert find_pii("电话 +86 138 0013 8000。") == [Finding("mobile", 3, 20)]


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mobile_prefix_from_13_to_19_is_masked(prefix: str) -> None:
    assert shown(f"call {prefix}912345678 please") == f"call {prefix}9****5678 please"


@pytest.mark.parametrize(
    "text",
    [
        "813800138000",
        "138001380001",
        "12800138000",
        "11800138000",
        "1380013800",
        "A13800138000",
        "13800138000B",
        "no.2025-13800138000-01",
        "1380 0138 000",
        "10086",
    ],
)
def test_digits_that_are_not_a_whole_mainland_mobile_are_left_alone(text: str) -> None:
    assert shown(text) == text


@pytest.mark.parametrize("between", [", ", " ", "、", " or ", "/"])
def test_two_mobiles_in_one_message_are_both_masked(between: str) -> None:
    text = f"13800138000{between}13912345678"

    assert shown(text) == f"138****8000{between}139****5678"


# --- resident ID -----------------------------------------------------------------------------


def test_the_standard_example_id_becomes_a_token_with_its_last_four_characters() -> None:
    assert shown(STANDARD_ID) == "[ID ****002X]"
    assert find_pii(STANDARD_ID, today=TODAY) == [Finding("resident_id", 0, 18)]


def test_a_lower_case_check_character_is_accepted_and_shown_upper_case() -> None:
    assert shown("11010519491231002x") == "[ID ****002X]"


@pytest.mark.parametrize("number", VALID_IDS)
def test_ids_with_a_valid_check_character_and_birth_date_are_redacted(number: str) -> None:
    assert shown(f"身份证号{number}，请核实") == f"身份证号[ID ****{number[-4:]}]，请核实"


@pytest.mark.parametrize("number", VALID_IDS)
def test_an_id_with_a_wrong_check_character_is_not_taken_for_an_id(number: str) -> None:
    for wrong in "0123456789X":
        if wrong != number[-1]:
            assert "resident_id" not in kinds(number[:-1] + wrong)


def test_an_order_number_with_an_id_shape_but_a_wrong_checksum_is_left_alone() -> None:
    valid = resident_id("440304", "19900307", "123")
    order_number = valid[:-1] + next(
        check for check in "0123456789" if check != valid[-1] and not luhn_valid(valid[:-1] + check)
    )

    assert shown(f"订单号{order_number}已发货") == f"订单号{order_number}已发货"


@pytest.mark.parametrize(
    "born",
    ["19900230", "19901301", "19900000", "19900132", "18991231", "20261125", "30000101"],
)
def test_an_id_with_an_impossible_birth_date_is_not_taken_for_an_id(born: str) -> None:
    assert "resident_id" not in kinds(resident_id("440304", born, "123"))


def test_the_1880_example_of_the_standard_is_not_a_plausible_living_resident() -> None:
    assert "resident_id" not in kinds("440524188001010014")


@pytest.mark.parametrize("born", ["19000101", "20261124"])
def test_birth_dates_at_either_limit_are_accepted(born: str) -> None:
    assert kinds(resident_id("440304", born, "123")) == ["resident_id"]


def test_the_latest_birth_date_defaults_to_the_real_today() -> None:
    tomorrow = (date.today() + timedelta(days=1)).strftime("%Y%m%d")

    assert [finding.kind for finding in find_pii(STANDARD_ID)] == ["resident_id"]
    assert "resident_id" not in [
        finding.kind for finding in find_pii(resident_id("440304", tomorrow, "123"))
    ]


@pytest.mark.parametrize(
    "written",
    ["110105 19491231 002X", "110105-19491231-002X", "１１０１０５１９４９１２３１００２Ｘ"],
)
def test_an_id_written_in_groups_or_full_width_is_redacted(written: str) -> None:
    assert shown(f"ID: {written}.") == "ID: [ID ****002X]."


def test_an_id_that_also_passes_luhn_is_reported_as_an_id_not_a_card() -> None:
    number = next(
        candidate
        for candidate in (resident_id("440304", "19900307", f"{seq:03d}") for seq in range(1000))
        if candidate.isdigit() and luhn_valid(candidate)
    )

    assert kinds(number) == ["resident_id"]
    assert shown(number) == f"[ID ****{number[-4:]}]"


@pytest.mark.parametrize(
    "text", ["1" + STANDARD_ID, STANDARD_ID + "1", "A" + STANDARD_ID, STANDARD_ID + "b"]
)
def test_an_id_inside_a_longer_run_of_letters_or_digits_is_left_alone(text: str) -> None:
    assert shown(text) == text


# --- bank card -------------------------------------------------------------------------------

LUHN_VALID_CARDS = [
    "4111111111111111",
    luhn_completed("622202123456789"),
    luhn_completed("6222021234567890"),
    luhn_completed("62220212345678901"),
    luhn_completed("622202123456789012"),
]


@pytest.mark.parametrize("number", LUHN_VALID_CARDS)
def test_a_luhn_valid_card_keeps_only_its_last_four_digits(number: str) -> None:
    assert shown(f"请退款到卡号{number}，谢谢") == f"请退款到卡号[card ****{number[-4:]}]，谢谢"
    assert kinds(number) == ["bank_card"]


@pytest.mark.parametrize(
    "written",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111　1111　1111　1111",
        "４１１１１１１１１１１１１１１１",
    ],
)
def test_a_card_written_in_groups_of_four_or_full_width_is_redacted(written: str) -> None:
    assert shown(f"card {written} thanks") == "card [card ****1111] thanks"


def test_a_19_digit_card_in_groups_keeps_its_short_last_group() -> None:
    number = luhn_completed("622202123456789012")
    grouped = " ".join(number[index : index + 4] for index in range(0, 19, 4))

    assert shown(grouped) == f"[card ****{number[-4:]}]"


@pytest.mark.parametrize(
    "number",
    [card[:-1] + str((int(card[-1]) + 1) % 10) for card in LUHN_VALID_CARDS]
    + ["4111 1111 1111 1112"],
)
def test_a_card_number_that_fails_luhn_is_left_alone(number: str) -> None:
    assert not luhn_valid(number.replace(" ", ""))
    assert shown(number) == number


@pytest.mark.parametrize(
    "number",
    ["378282246310005", luhn_completed("6222021234567890123"), "4111 1111 1111 1111 1111 1"],
)
def test_luhn_valid_digits_outside_a_16_to_19_digit_card_are_left_alone(number: str) -> None:
    assert shown(number) == number


# --- e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("zhang.san@example.com", "z***@example.com"),
        ("li@mail.sz.gov.cn", "l***@mail.sz.gov.cn"),
        ("Wang_Wu+sz@Example.COM", "W***@Example.COM"),
        ("a@b.io", "a***@b.io"),
        ("chen-01@sub-domain.example.org", "c***@sub-domain.example.org"),
        ("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｚ***＠ｅｘａｍｐｌｅ．ｃｏｍ"),
    ],
)
def test_an_email_keeps_the_first_character_and_the_domain(written: str, masked: str) -> None:
    assert shown(written) == masked
    assert kinds(written) == ["email"]


def test_an_email_inside_chinese_text_is_masked_and_the_words_around_it_are_kept() -> None:
    assert shown("邮箱是zhangsan@example.com，谢谢") == "邮箱是z***@example.com，谢谢"


def test_a_full_stop_after_an_email_stays_outside_it() -> None:
    assert shown("Write to jo@example.org.") == "Write to j***@example.org."


def test_a_mobile_used_as_a_mailbox_name_is_one_email() -> None:
    assert redact("13800138000@163.com", today=TODAY) == Redacted(
        "1***@163.com", (Finding("email", 0, 19),)
    )


@pytest.mark.parametrize(
    "text", ["user@localhost", "@shenzhen_gov", "a@b", "5@3.50", "email me at", "x@y."]
)
def test_things_that_are_not_email_addresses_are_left_alone(text: str) -> None:
    assert shown(text) == text


# --- licence plate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("粤B12345", "粤B*****"),
        ("粤B·12345", "粤B·*****"),
        ("京A 12345", "京A *****"),
        ("沪A-1234X", "沪A-*****"),
        ("粤BD12345", "粤B******"),
        ("粤B·D12345", "粤B·******"),
        ("粤BF12345", "粤B******"),
        ("粤B12345D", "粤B******"),
        ("粤BDA1234", "粤B******"),
        ("粤b12345", "粤b*****"),
        ("粤B1234学", "粤B*****"),
        ("粤Ｂ１２３４５", "粤Ｂ*****"),
    ],
)
def test_a_plate_keeps_its_province_and_letter(written: str, masked: str) -> None:
    assert shown(written) == masked
    assert kinds(written) == ["licence_plate"]


@pytest.mark.parametrize("province", list(PROVINCES))
def test_every_province_abbreviation_starts_a_plate(province: str) -> None:
    assert shown(f"{province}A12345") == f"{province}A*****"


def test_a_plate_inside_chinese_text_is_masked_and_the_words_around_it_are_kept() -> None:
    assert shown("我的车牌是粤B12345，在车公庙被刮了") == "我的车牌是粤B*****，在车公庙被刮了"


@pytest.mark.parametrize(
    "text",
    [
        "粤I12345",
        "粤O12345",
        "粤B1234",
        "粤B1234567",
        "粤B123456",
        "最新APPLES",
        "粤ICP备12345678号",
        "粤港澳大湾区",
        "京B",
    ],
)
def test_things_that_are_not_plates_are_left_alone(text: str) -> None:
    assert shown(text) == text


# --- what must never be redacted -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "您的工单号是SR20261234",
        "sr 2026 1234",
        "申请编号PA20261187",
        "PA-20261187",
        "pa 2026 1187",
        "PA2026-000123",
        "明天08:30出发",
        "2026-11-24",
        "2026-11-24T08:30:00+08:00",
        "2026年11月24日",
        "票价¥12.50",
        "HK$1,280.00",
        "总价 3,456,789.00 元",
        "深圳北站到福田站",
        "Shenzhen North Station to Futian",
        "请拨打12345市民热线",
        "110",
        "地铁1号线，G1234次列车",
        "房号1203，邮编518000",
        "timestamp 1732435200",
        "SR20261234 and PA20261187 on 2026-11-24 at 08:30, ¥4.00 from 车公庙 to 福田口岸",
    ],
)
def test_service_numbers_times_prices_and_places_are_left_alone(text: str) -> None:
    assert redact(text, today=TODAY) == Redacted(text, ())


# --- several kinds together ------------------------------------------------------------------

MIXED_CHINESE = (
    "您好，我叫张三，电话138-0013-8000，身份证11010519491231002X，邮箱zhangsan@example.com，"
    "车牌粤B·D12345，退款请打到4111 1111 1111 1111。工单SR20261234，2026-11-24 08:30。"
)
MIXED_ENGLISH = (
    "Hi, I'm Li. Call +86 139 1234 5678 or email li.ming@example.cn; "
    "my car 粤B12345 was towed near 深圳北站, ticket SR20261234 😀"
)


def test_every_kind_in_one_chinese_message_is_masked() -> None:
    result = redact(MIXED_CHINESE, today=TODAY)

    assert result.text == (
        "您好，我叫张三，电话138-****-8000，身份证[ID ****002X]，邮箱z***@example.com，"
        "车牌粤B·******，退款请打到[card ****1111]。工单SR20261234，2026-11-24 08:30。"
    )
    assert [(f.kind, MIXED_CHINESE[f.start : f.end]) for f in result.found] == [
        ("mobile", "138-0013-8000"),
        ("resident_id", "11010519491231002X"),
        ("email", "zhangsan@example.com"),
        ("licence_plate", "粤B·D12345"),
        ("bank_card", "4111 1111 1111 1111"),
    ]


def test_every_kind_in_one_english_message_is_masked() -> None:
    assert shown(MIXED_ENGLISH) == (
        "Hi, I'm Li. Call +86 139 **** 5678 or email l***@example.cn; "
        "my car 粤B***** was towed near 深圳北站, ticket SR20261234 😀"
    )


# --- the results as a whole ------------------------------------------------------------------

SAMPLES = [
    "",
    "我的电话13800138000谢谢",
    MIXED_CHINESE,
    MIXED_ENGLISH,
    "13800138000@163.com",
    "😀13800138000𠀀" + STANDARD_ID + "🚇粤B12345",
    "ID: 110105 19491231 002X, card 4111-1111-1111-1111",
    "SR20261234 08:30 2026-11-24",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_findings_are_sorted_and_do_not_overlap(text: str) -> None:
    found = find_pii(text, today=TODAY)

    assert found == sorted(found, key=lambda finding: finding.start)
    assert all(before.end <= after.start for before, after in pairwise(found))
    assert all(0 <= finding.start < finding.end <= len(text) for finding in found)


@pytest.mark.parametrize("text", SAMPLES)
def test_find_pii_reports_what_redact_hides(text: str) -> None:
    assert find_pii(text, today=TODAY) == list(redact(text, today=TODAY).found)


@pytest.mark.parametrize("text", SAMPLES)
def test_text_between_findings_is_kept_exactly_and_in_order(text: str) -> None:
    result = redact(text, today=TODAY)
    edges = [0, *(edge for f in result.found for edge in (f.start, f.end)), len(text)]
    kept = [text[start:end] for start, end in zip(edges[::2], edges[1::2], strict=True)]

    assert re.fullmatch("(.+?)".join(map(re.escape, kept)), result.text, re.DOTALL)


@pytest.mark.parametrize("text", SAMPLES)
def test_redacting_redacted_text_changes_nothing(text: str) -> None:
    once = redact(text, today=TODAY)

    assert redact(once.text, today=TODAY) == Redacted(once.text, ())


def test_an_empty_text_has_nothing_to_hide() -> None:
    assert redact("") == Redacted("", ())
    assert find_pii("") == []


def test_positions_count_characters_beyond_the_basic_multilingual_plane_as_one() -> None:
    result = redact("😀13800138000𠀀", today=TODAY)

    assert result == Redacted("😀138****8000𠀀", (Finding("mobile", 1, 12),))


def test_a_redacted_result_cannot_be_changed_afterwards() -> None:
    result = redact("13800138000")

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "13800138000"  # type: ignore[misc]
