"""Rasa buttons laid out for Slack and Telegram, within each platform's limits.

Rasa 3.6's own renderers break on the assistant's real messages: Slack's drops
every button of a message with more than five (the complaint summary has six;
Slack allows 25 per actions block), and Telegram's puts all buttons in one row
and sends payloads of any length, although Telegram refuses a whole message
whose button data exceeds 64 bytes. Pure functions; the channels call them.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Sequence

SLACK_BUTTONS_PER_BLOCK = 25
SLACK_BUTTON_TEXT_CHARS = 75
SLACK_VALUE_CHARS = 2000
TELEGRAM_CALLBACK_BYTES = 64
TELEGRAM_ROW_CHARS = 24
TELEGRAM_ROW_BUTTONS = 3

_INTENT_PAYLOAD = re.compile(r"^(/[^{]+)(\{.*\})$", re.DOTALL)


def slack_blocks(text: str, buttons: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """A text section, then the buttons in as many actions blocks as they need."""
    blocks: List[Dict[str, Any]] = [
        {"type": "section", "text": {"type": "plain_text", "text": text or " "}}
    ]
    elements = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": str(button["title"])[:SLACK_BUTTON_TEXT_CHARS]},
            "value": str(button["payload"])[:SLACK_VALUE_CHARS],
        }
        for button in buttons
    ]
    for start in range(0, len(elements), SLACK_BUTTONS_PER_BLOCK):
        blocks.append(
            {"type": "actions", "elements": elements[start : start + SLACK_BUTTONS_PER_BLOCK]}
        )
    return blocks


def telegram_callback_data(button: Mapping[str, Any]) -> str:
    """The data a Telegram button sends back: the payload, compacted to fit 64 bytes.

    ``/intent{"slot": "value"}`` loses its JSON spaces first; a payload that still does
    not fit is replaced by the button's title, which the assistant understands as text.
    """
    payload = str(button.get("payload") or button.get("title") or "")
    if _fits(payload):
        return payload
    match = _INTENT_PAYLOAD.match(payload)
    if match:
        try:
            entities = json.loads(match.group(2))
        except json.JSONDecodeError:
            entities = None
        if entities is not None:
            compact = match.group(1) + json.dumps(
                entities, ensure_ascii=False, separators=(",", ":")
            )
            if _fits(compact):
                return compact
    title = str(button.get("title") or "")
    return title.encode("utf-8")[:TELEGRAM_CALLBACK_BYTES].decode("utf-8", "ignore")


def telegram_rows(buttons: Sequence[Mapping[str, Any]]) -> List[List[Dict[str, str]]]:
    """Buttons in rows a phone can show: short titles up to three a row, long ones alone."""
    rows: List[List[Dict[str, str]]] = []
    row: List[Dict[str, str]] = []
    width = 0
    for button in buttons:
        title = str(button.get("title") or "")
        entry = {"text": title, "callback_data": telegram_callback_data(button)}
        if row and (len(row) == TELEGRAM_ROW_BUTTONS or width + len(title) > TELEGRAM_ROW_CHARS):
            rows.append(row)
            row, width = [], 0
        row.append(entry)
        width += len(title)
    if row:
        rows.append(row)
    return rows


def _fits(data: str) -> bool:
    return 0 < len(data.encode("utf-8")) <= TELEGRAM_CALLBACK_BYTES
