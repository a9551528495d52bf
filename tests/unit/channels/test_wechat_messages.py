"""Parsing WeChat's XML, writing replies, and turning buttons into numbered options."""

from __future__ import annotations

import pytest

from bot.channels.wechat_messages import (
    MAX_TEXT_BYTES,
    WeChatMessageError,
    cdata,
    choose_button,
    encrypted_reply_xml,
    last_buttons,
    parse_message,
    read_fields,
    render_bot_message,
    render_bot_messages,
    split_text,
    text_reply_xml,
)
from tests.unit.channels.wechat_samples import ACCOUNT, OPENID, message_xml

BUTTONS = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "修改位置", "payload": "/change_location"},
]


def parse(xml: str) -> object:
    return parse_message(xml.encode("utf-8"))


def test_a_text_message_keeps_sender_account_time_id_and_cleaned_content() -> None:
    message = parse_message(message_xml("text", Content=" 12路几点发车？\n ").encode())
    assert (message.from_user, message.to_user, message.create_time) == (
        OPENID,
        ACCOUNT,
        1700000000,
    )
    assert (message.kind, message.msg_id, message.content) == ("text", "1001", "12路几点发车？")
    assert message.dedupe_key == "msg:1001"


def test_a_location_becomes_latitude_longitude_and_label() -> None:
    xml = message_xml(
        "location",
        Location_X="22.543096",
        Location_Y="114.057865",
        Scale="15",
        Label="深圳市福田区市民中心",
    )
    message = parse_message(xml.encode())
    assert message.kind == "location" and message.location is not None
    assert message.location.as_metadata() == {
        "lat": 22.543096,
        "long": 114.057865,
        "label": "深圳市福田区市民中心",
    }


@pytest.mark.parametrize(("x", "y"), [("north", "114"), ("91", "114"), ("22.5", "181")])
def test_a_location_without_valid_coordinates_is_refused(x: str, y: str) -> None:
    with pytest.raises(WeChatMessageError, match="location|Location"):
        parse(message_xml("location", Location_X=x, Location_Y=y))


def test_recognised_voice_is_handled_as_its_text() -> None:
    message = parse_message(
        message_xml("voice", MediaId="m1", Format="amr", Recognition="我要投诉噪音").encode()
    )
    assert (message.kind, message.content) == ("text", "我要投诉噪音")


def test_voice_without_recognition_is_unsupported() -> None:
    assert (
        parse_message(message_xml("voice", MediaId="m1", Format="amr").encode()).kind
        == "unsupported"
    )


@pytest.mark.parametrize("event", ["subscribe", "unsubscribe"])
def test_follow_events_are_recognised_and_deduplicated_by_sender_and_time(event: str) -> None:
    message = parse_message(message_xml("event", msg_id=None, Event=event).encode())
    assert message.kind == event
    assert message.dedupe_key == f"event:{OPENID}:1700000000"


def test_other_events_are_answered_silently() -> None:
    assert (
        parse_message(
            message_xml("event", msg_id=None, Event="VIEW", EventKey="https://x").encode()
        ).kind
        == "event"
    )


@pytest.mark.parametrize("msg_type", ["image", "video", "shortvideo", "link", "file"])
def test_other_message_types_are_unsupported(msg_type: str) -> None:
    assert (
        parse_message(message_xml(msg_type, PicUrl="http://x/p.jpg").encode()).kind == "unsupported"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml",
        b"<xml><ToUserName>a</ToUserName>",
        b"<message><ToUserName>a</ToUserName></message>",
        b"<xml><ToUserName>a</ToUserName><ToUserName>b</ToUserName></xml>",
        message_xml("text", Content="hi")
        .replace("<CreateTime>1700000000", "<CreateTime>soon")
        .encode(),
        message_xml("text", Content="hi").replace(f"<![CDATA[{OPENID}]]>", "").encode(),
    ],
)
def test_malformed_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(WeChatMessageError):
        parse_message(body)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<xml><Content>&d;</Content></xml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/passwd">]><xml><Content>&secret;</Content></xml>"""
BARE_DOCTYPE = b"<!DOCTYPE xml><xml><Content>hi</Content></xml>"
UTF16_DOCTYPE = (
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE xml [<!ENTITY a "x">]><xml/>'.encode("utf-16")
)


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, BARE_DOCTYPE, UTF16_DOCTYPE])
def test_doctype_and_entity_declarations_are_refused(body: bytes) -> None:
    with pytest.raises(WeChatMessageError, match="DOCTYPE|entit"):
        read_fields(body)


def test_an_oversized_body_is_refused_before_parsing() -> None:
    with pytest.raises(WeChatMessageError, match="larger than 65536"):
        read_fields(b"<xml>" + b" " * 65536 + b"</xml>")


def test_cdata_splits_the_closing_sequence_so_the_text_survives() -> None:
    xml = text_reply_xml(OPENID, ACCOUNT, 1, "a]]>b<c>&d\x01")
    assert read_fields(xml.encode())["Content"] == "a]]>b<c>&d"
    assert cdata("]]>]]>") == "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>"


def test_the_passive_reply_goes_from_the_account_to_the_user() -> None:
    fields = read_fields(text_reply_xml(OPENID, ACCOUNT, 1700000001, "您好").encode())
    assert fields == {
        "ToUserName": OPENID,
        "FromUserName": ACCOUNT,
        "CreateTime": "1700000001",
        "MsgType": "text",
        "Content": "您好",
    }


def test_the_encrypted_envelope_carries_ciphertext_signature_time_and_nonce() -> None:
    fields = read_fields(encrypted_reply_xml("abc+/=", "f00d", "1700000001", "77").encode())
    assert fields == {
        "Encrypt": "abc+/=",
        "MsgSignature": "f00d",
        "TimeStamp": "1700000001",
        "Nonce": "77",
    }


def test_buttons_become_numbered_options_with_a_chinese_prompt() -> None:
    text = render_bot_message({"text": "请确认您的投诉信息：", "buttons": BUTTONS})
    assert text == "请确认您的投诉信息：\n1. 确认提交\n2. 修改位置\n请回复数字进行选择。"


def test_english_replies_get_an_english_prompt_and_titles_on_one_line() -> None:
    text = render_bot_message(
        {"text": "Submit it?", "buttons": [{"title": "Yes,\nsubmit", "payload": "/affirm"}]}
    )
    assert text == "Submit it?\n1. Yes, submit\nPlease reply with the number of your choice."


def test_a_turn_renders_one_text_per_message_and_skips_empty_ones() -> None:
    messages = [{"text": "您好"}, {"custom": {"x": 1}}, {"image": "https://city.example/map.png"}]
    assert render_bot_messages(messages) == ["您好", "https://city.example/map.png"]


def test_numbered_replies_refer_to_the_last_messages_buttons() -> None:
    assert last_buttons([{"text": "a", "buttons": BUTTONS}, {"text": "b"}]) == []
    assert last_buttons([{"text": "a"}, {"text": "b", "buttons": BUTTONS}]) == BUTTONS


@pytest.mark.parametrize("reply", ["1", "１", "1.", " 1 ", "1。", "1、", "①"])
def test_a_number_reply_maps_to_the_button_payload(reply: str) -> None:
    assert choose_button(reply, BUTTONS) == "/affirm"


@pytest.mark.parametrize("reply", ["0", "3", "12路", "one", "", "1 2"])
def test_other_replies_are_not_button_choices(reply: str) -> None:
    assert choose_button(reply, BUTTONS) is None


def test_a_number_means_nothing_when_no_buttons_were_sent() -> None:
    assert choose_button("1", []) is None


def test_a_short_text_is_one_part_and_an_empty_one_none() -> None:
    assert split_text("您好") == ["您好"]
    assert split_text("") == []


def test_a_long_text_is_cut_between_lines_within_wechats_byte_limit() -> None:
    lines = [f"第{n}条：请携带身份证原件。" for n in range(200)]
    parts = split_text("\n".join(lines))
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= MAX_TEXT_BYTES for part in parts)
    assert all(part.endswith("……") for part in parts[:-1])
    assert [line for part in parts for line in part.removesuffix("……").split("\n")] == lines


def test_one_huge_line_is_cut_on_character_boundaries() -> None:
    text = "😀好a" * 2000
    parts = split_text(text, max_bytes=500)
    assert all(len(part.encode("utf-8")) <= 500 for part in parts)
    assert "".join(part.removesuffix("……") for part in parts) == text
