"""Buttons on Slack and Telegram: every button shown, within each platform's limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import yaml

from bot.channels.buttons import slack_blocks, telegram_callback_data, telegram_rows
from bot.channels.slack import CitySlackBot
from bot.channels.telegram import CityTelegramOutput

ROOT = Path(__file__).resolve().parents[3]
SUMMARY_BUTTONS = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "修改位置", "payload": '/inform{"complaint_field":"location"}'},
    {"title": "修改描述", "payload": '/inform{"complaint_field":"description"}'},
    {"title": "修改类别", "payload": '/inform{"complaint_field":"category"}'},
    {"title": "修改电话", "payload": '/inform{"complaint_field":"phone"}'},
    {"title": "取消", "payload": "/deny"},
]


def domain_buttons() -> List[Dict[str, Any]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return [
        button
        for variants in domain["responses"].values()
        for variant in variants
        for button in variant.get("buttons", [])
    ]


def test_slack_shows_all_six_buttons_of_the_complaint_summary() -> None:
    blocks = slack_blocks("请核对您要反映的问题", SUMMARY_BUTTONS)
    buttons = [element for block in blocks[1:] for element in block["elements"]]
    assert [b["value"] for b in buttons] == [b["payload"] for b in SUMMARY_BUTTONS]
    assert [b["text"]["text"] for b in buttons] == [b["title"] for b in SUMMARY_BUTTONS]


def test_slack_starts_a_new_actions_block_every_25_buttons() -> None:
    many = [{"title": f"Stop {n}", "payload": f'/inform{{"n":{n}}}'} for n in range(30)]
    blocks = slack_blocks("Which stop?", many)
    assert [len(block["elements"]) for block in blocks[1:]] == [25, 5]


def test_telegram_rows_keep_short_titles_together_and_long_ones_alone() -> None:
    rows = telegram_rows(SUMMARY_BUTTONS)
    assert [[b["text"] for b in row] for row in rows] == [
        ["确认提交", "修改位置", "修改描述"],
        ["修改类别", "修改电话", "取消"],
    ]
    long = telegram_rows(
        [
            {"title": "Change the problem type", "payload": "/a"},
            {"title": "Cancel", "payload": "/deny"},
        ]
    )
    assert [len(row) for row in long] == [1, 1]


def test_telegram_data_is_compacted_then_replaced_by_the_title_to_fit_64_bytes() -> None:
    spaced = {
        "title": "办理时限",
        "payload": '/permit_processing_time{"permit_type": "hk_macau_travel_permits"}',
    }
    assert (
        telegram_callback_data(spaced)
        == '/permit_processing_time{"permit_type":"hk_macau_travel_permits"}'
    )
    too_long = {
        "title": "营业执照",
        "payload": "/permit_fee" + '{"permit_type":"' + "x" * 80 + '"}',
    }
    assert telegram_callback_data(too_long) == "营业执照"
    assert telegram_callback_data({"title": "好", "payload": "/affirm"}) == "/affirm"


def test_every_button_in_the_domain_fits_telegram_without_losing_its_payload() -> None:
    buttons = domain_buttons()
    assert buttons, "the domain has buttons"
    for button in buttons:
        assert (
            telegram_callback_data(button) != button["title"]
            or button["payload"] == button["title"]
        )


async def test_slack_output_posts_every_button() -> None:
    bot = CitySlackBot("xoxb-test", slack_channel=None)
    posted: List[Dict[str, Any]] = []

    async def post(**kwargs: Any) -> None:
        posted.append(kwargs)

    bot._post_message = post  # type: ignore[method-assign]
    await bot.send_text_with_buttons("C123", "请核对", SUMMARY_BUTTONS)
    [message] = posted
    assert message["channel"] == "C123"
    assert sum(len(block["elements"]) for block in message["blocks"][1:]) == 6


async def test_telegram_output_sends_the_keyboard_in_rows() -> None:
    output = CityTelegramOutput("123456:TEST-TOKEN")
    sent: List[Dict[str, Any]] = []

    async def send_message(chat_id: str, text: str, **kwargs: Any) -> None:
        sent.append({"chat_id": chat_id, "text": text, **kwargs})

    output.send_message = send_message  # type: ignore[method-assign]
    await output.send_text_with_buttons("42", "请核对", SUMMARY_BUTTONS)
    keyboard = sent[0]["reply_markup"].inline_keyboard
    assert [[button.callback_data for button in row] for row in keyboard] == [
        [b["payload"] for b in SUMMARY_BUTTONS[:3]],
        [b["payload"] for b in SUMMARY_BUTTONS[3:]],
    ]
