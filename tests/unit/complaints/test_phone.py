"""Contact numbers are found, masked wherever they are echoed, and "no thanks" is heard."""

import pytest

from actions.complaints.phone import (
    declines_phone,
    mask_phone,
    mask_phones_in,
    parse_phone,
    phone_given,
)
from tests.unit.complaints.scripts import in_both_scripts


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "138–0013–8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086 13800138000",
        "0086-138-0013-8000",
        "86 13800138000",
        "8613800138000",
        "(+86) 138 0013 8000",
        "１３８００１３８０００",
        "我的电话是13800138000，谢谢",
        "我的電話是 138 0013 8000 謝謝",
        "手机：138-0013-8000",
        "call me on 13800138000 after 6pm",
        "1栋1203 13800138000",
    ],
)
def test_a_mainland_mobile_comes_back_as_its_11_digits(text: str) -> None:
    assert parse_phone(text) == "13800138000"


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mainland_mobile_prefix_is_accepted(prefix: str) -> None:
    assert parse_phone(prefix + "912345678") == prefix + "912345678"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("+447911123456", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("+1 415-555-2671", "+14155552671"),
        ("+852 9123 4567", "+85291234567"),
        ("我在香港，电话 +852 9123 4567", "+85291234567"),
        ("+12345678", "+12345678"),
        ("+123456789012345", "+123456789012345"),
    ],
)
def test_an_international_number_comes_back_in_e164(text: str, phone: str) -> None:
    assert parse_phone(text) == phone


@pytest.mark.parametrize(
    "text",
    [
        "",
        "不用了",
        "0755-88888888",
        "0755 8888 8888",
        "+86 755 8888 8888",
        "88888888",
        "1380013800",
        "138001380001",
        "12800138000",
        "订单号2025113800138000",
        "订单号 913800138000",
        "身份证440301198001381234",
        "440301199003071234",
        "SR13800138000",
        "PA13800138000",
        "123-13800138000",
        "13800138000-1",
        "138 0013-8000",
        "+1234567",
        "+1234567890123456",
        "+0123456789",
        "2025-12-15",
        "福华三路88号",
    ],
)
def test_landlines_wrong_lengths_and_longer_digit_runs_are_not_contact_numbers(
    text: str,
) -> None:
    assert parse_phone(text) is None


def test_the_first_of_two_numbers_is_the_contact_number() -> None:
    assert parse_phone("13900139000 或者 13800138000") == "13900139000"


def test_a_landline_before_a_mobile_does_not_hide_the_mobile() -> None:
    assert parse_phone("座机0755-88888888，手机13800138000") == "13800138000"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),
        ("138 0013 8000", "138****8000"),
        ("+8613800138000", "138****8000"),
        ("+447911123456", "+4479****3456"),
        ("+14155552671", "+141****2671"),
        ("+85291234567", "+852****4567"),
        ("+12345678", "+12**5678"),
        ("+123456789012345", "+1234*******2345"),
    ],
)
def test_a_phone_is_shown_with_the_middle_hidden(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_something_that_is_not_a_phone_keeps_only_its_last_four_digits() -> None:
    assert mask_phone("0755-88881234") == "****-****1234"
    assert mask_phone("none") == "none"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的电话13800138000", "我的电话138****8000"),
        ("电话 138 0013 8000 谢谢", "电话 138 **** 8000 谢谢"),
        ("手機：138-0013-8000。", "手機：138-****-8000。"),
        ("+86 13800138000", "+86 138****8000"),
        ("call +44 7911 123456 please", "call +44 79** **3456 please"),
        ("１３８００１３８０００", "１３８****８０００"),
        ("13900139000 or 13800138000", "139****9000 or 138****8000"),
    ],
)
def test_numbers_inside_a_text_are_masked_where_they_stand(text: str, masked: str) -> None:
    assert mask_phones_in(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "工单 SR20261234 还没处理",
        "申请编号PA20261234",
        "身份证号440301199003071234",
        "2025-12-15 晚上 22:30 开始施工",
        "福华三路88号1203室",
        "座机0755-88888888",
        "订单2025113800138000没送到",
        "",
    ],
)
def test_masking_leaves_tickets_ids_dates_and_house_numbers_alone(text: str) -> None:
    assert mask_phones_in(text) == text


@pytest.mark.parametrize(
    "text",
    in_both_scripts(
        [
            "不用了",
            "不留",
            "不留了",
            "没有",
            "跳过",
            "不需要",
            "不用",
            "不必了",
            "无",
            "不留电话了，谢谢",
            "电话就不留了",
            "我不想留号码",
            "不方便留",
            "匿名吧",
            "不用联系我",
            "不用了，谢谢",
            "唔使喇",
            "冇",
        ]
    )
    + [
        "no",
        "No.",
        "skip",
        "Skip it",
        "no thanks",
        "No, thank you",
        "no need",
        "n/a",
        "N/A",
        "none",
        "nope",
        "I'd rather not",
        "No, I'd rather not give my number",
        "I don't want to leave my number",
        "prefer not to say",
        "pass",
        # Asking leave not to: the number is optional, so the answer is yes.
        "不留可以吗",
        "电话就不留了可以吗，怕被骚扰",
        # Said in so many words inside a longer message.
        "ya go no phone",
        "somebody dumped it overnight. dont need to call me",
        "yes file it, no phone",
        # After a number that was refused: "then I won't".
        "那就不留了",
        "算了不留了",
        "then no",
    ],
)
def test_a_resident_who_leaves_no_number_is_understood(text: str) -> None:
    assert declines_phone(text)


@pytest.mark.parametrize(
    "text",
    [
        "不用了 13800138000",
        "no, it's 13800138000",
        "没有手机，座机0755-88888888",
        "没问题",
        "没有问题",
        "no problem",
        "好的",
        "yes",
        "我的号码是",
        "有没有必要留电话",
        "要留",
        "",
        "I have no phone signal down here",
    ],
)
def test_a_number_an_agreement_or_a_question_is_not_a_decline(text: str) -> None:
    assert not declines_phone(text)


def test_a_number_read_out_in_digit_words_is_the_number() -> None:
    assert parse_phone("电话是一三九二二二二三三三三") == "13922223333"
    assert parse_phone("幺三八零零幺三八零零零") == "13800138000"
    assert parse_phone("等了三五天，一个月了") is None


@pytest.mark.parametrize(
    "text",
    [
        "415-555-0167",
        "(415) 555-0167",
        "yeah my cell is 415.555.0110",
        "u can text me at 415-555-0167",
    ],
)
def test_a_us_number_given_unasked_is_the_phone(text: str) -> None:
    assert phone_given(text, "US") is not None


def test_a_house_number_given_unasked_is_no_phone() -> None:
    assert phone_given("1450 polk st", "US") is None


def test_a_number_in_a_pasted_notice_that_is_someone_elses_is_not_taken() -> None:
    from actions.complaints.phone import phone_given

    notice = (
        "我自己用手机分贝仪测过，78分贝。大家如果晚上再听到施工，请拍视频留证据。"
        "联系人：业委会刘姐 13600001111，有材料发给她。"
    )
    assert phone_given(notice, "CN") is None
    assert phone_given("我孙子帮我打的字，留他电话吧 13912346789", "CN") == "13912346789"


def test_a_number_said_on_its_own_at_the_end_of_a_report_is_the_phone() -> None:
    text = "report: the dog bin at the park by the community centre is overflowing. 819-555-0183"
    assert phone_given(text, "CA") == "+18195550183"
    # a house number in a sentence is still none
    assert phone_given("the pothole outside 1200 K St NW is huge", "US") is None
