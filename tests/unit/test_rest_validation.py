"""What the REST channel accepts and how it refuses the rest."""

import json

import pytest

from bot.channels.validation import InvalidRequest, clean_text, parse_rest_body


def body(**payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def refusal(raw: bytes, **limits: int) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        parse_rest_body(raw, **limits)
    return caught.value


def test_a_normal_message_passes_with_its_metadata() -> None:
    incoming = parse_rest_body(body(sender="u1", message=" 你好 ", metadata={"lat": 22.5}))
    assert (incoming.sender, incoming.text, incoming.metadata) == ("u1", "你好", {"lat": 22.5})


@pytest.mark.parametrize("message", ["", "   ", "\n\t", "\x00\x01"])
def test_empty_messages_are_refused_with_a_clear_error(message: str) -> None:
    error = refusal(body(sender="u1", message=message))
    assert (error.status, error.code) == (400, "empty_message")
    assert error.as_json()["message_zh"]


def test_too_long_message_is_refused_with_the_limit() -> None:
    error = refusal(body(sender="u1", message="长" * 5001))
    assert (error.status, error.code) == (413, "message_too_long")
    assert "5000" in error.message


def test_invalid_utf8_is_refused() -> None:
    assert refusal(b'{"sender": "u1", "message": "\xff\xfe"}').code == "invalid_encoding"


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'"hi"', b"{", b"[" * 100000])
def test_non_object_json_is_refused(raw: bytes) -> None:
    assert refusal(raw, max_body_bytes=1_000_000).code == "invalid_json"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"sender": 5, "message": "hi"}, "invalid_sender"),
        ({"sender": "x" * 200, "message": "hi"}, "invalid_sender"),
        ({"sender": "u1", "message": 42}, "invalid_message"),
        ({"sender": "u1"}, "invalid_message"),
        ({"sender": "u1", "message": "hi", "metadata": [1]}, "invalid_metadata"),
    ],
)
def test_wrong_types_are_refused(payload: dict, code: str) -> None:
    assert refusal(body(**payload)).code == code


def test_oversized_body_is_refused_before_parsing() -> None:
    assert refusal(b"x" * 70000).code == "body_too_large"


def test_control_characters_and_lone_surrogates_are_removed() -> None:
    assert clean_text("a\x00b\x1bc\ud800d") == "a b c d"


def test_html_and_sql_are_kept_as_plain_text() -> None:
    text = "<script>alert(1)</script>'; DROP TABLE events; --"
    assert parse_rest_body(body(sender="u1", message=text)).text == text
