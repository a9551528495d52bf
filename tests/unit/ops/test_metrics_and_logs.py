"""Operators' view: Prometheus text, JSON log lines with the conversation id, request tagging."""

from __future__ import annotations

import json
import logging

from bot.channels.ops import conversation_of
from bot.ops.logs import JsonFormatter, configure, conversation
from bot.ops.metrics import Registry


def test_counters_and_histograms_render_in_prometheus_text_format() -> None:
    registry = Registry()
    registry.inc("assistant_messages_total", "Messages.", channel="webchat", outcome="ok")
    registry.inc("assistant_messages_total", "Messages.", channel="webchat", outcome="ok")
    for seconds in (0.004, 0.03, 0.7, 20.0):
        registry.observe("assistant_turn_seconds", "Turn time.", seconds, channel="rest")
    text = registry.render()
    assert "# TYPE assistant_messages_total counter" in text
    assert 'assistant_messages_total{channel="webchat",outcome="ok"} 2' in text
    assert 'assistant_turn_seconds_bucket{channel="rest",le="0.005"} 1' in text
    assert 'assistant_turn_seconds_bucket{channel="rest",le="1"} 3' in text
    assert 'assistant_turn_seconds_bucket{channel="rest",le="+Inf"} 4' in text
    assert 'assistant_turn_seconds_count{channel="rest"} 4' in text


def test_label_values_cannot_break_the_format() -> None:
    registry = Registry()
    registry.inc("x_total", "X.", action='evil"\nname')
    assert 'x_total{action="evil\\"\\nname"} 1' in registry.render()


def test_log_lines_are_json_with_the_conversation_id() -> None:
    formatter = JsonFormatter("rasa")
    record = logging.makeLogRecord(
        {"name": "rasa.core", "levelname": "INFO", "msg": "路灯 %s", "args": ("ok",)}
    )
    token = conversation.set("sender-42")
    try:
        line = json.loads(formatter.format(record))
    finally:
        conversation.reset(token)
    assert line["message"] == "路灯 ok" and line["conversation_id"] == "sender-42"
    assert line["service"] == "rasa" and line["level"] == "info" and line["time"].endswith("+00:00")
    assert "conversation_id" not in json.loads(formatter.format(record))


def test_json_logs_only_when_asked() -> None:
    assert configure("rasa", environ={}) is False


def test_requests_are_tagged_with_their_conversation() -> None:
    assert conversation_of("/conversations/abc/tracker", None) == "abc"
    assert conversation_of("/webhooks/rest/webhook", b'{"sender": "r-1", "message": "hi"}') == "r-1"
    assert conversation_of("/webhooks/rest/webhook", b"{not json") is None
    assert conversation_of("/webhooks/rest/webhook", b'["list"]') is None
    assert conversation_of("/status", b"") is None
