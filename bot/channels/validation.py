"""Checks on what a channel receives, before anything reaches the assistant.

Pure functions, shared by every channel of ours: the REST channel now, the web
chat and WeChat connectors later. A rejected request gets a specific error
code and a message an integrator can act on, in English and Chinese.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict

DEFAULT_MAX_MESSAGE_CHARS = 5000
DEFAULT_MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128

# Control characters (except tab and newline), lone surrogates and noncharacters.
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

ERROR_MESSAGES: Dict[str, tuple[str, str]] = {
    "invalid_encoding": ("The request body must be UTF-8.", "请求内容须为 UTF-8 编码。"),
    "invalid_json": (
        'The request body must be a JSON object such as {{"sender": "id", "message": "hi"}}.',
        '请求内容须为 JSON 对象，例如 {{"sender": "id", "message": "你好"}}。',
    ),
    "invalid_sender": (
        f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters.",
        f"'sender' 须为不超过 {MAX_SENDER_CHARS} 个字符的非空字符串。",
    ),
    "invalid_message": ("'message' must be a string.", "'message' 须为字符串。"),
    "empty_message": (
        "The message is empty. Please type your question.",
        "消息内容为空，请输入您的问题。",
    ),
    "message_too_long": (
        "The message is too long ({limit} characters at most). Please shorten it.",
        "消息过长（最多 {limit} 个字符），请精简后再发送。",
    ),
    "body_too_large": (
        "The request body is too large ({limit} bytes at most).",
        "请求内容过大（最多 {limit} 字节）。",
    ),
    "invalid_metadata": ("'metadata' must be a JSON object.", "'metadata' 须为 JSON 对象。"),
    "metadata_too_large": (
        "'metadata' is too large ({limit} bytes at most).",
        "'metadata' 内容过大（最多 {limit} 字节）。",
    ),
    # {hotline}: the city's (bot.city_identity), given by the channel.
    "assistant_error": (
        "Sorry, something went wrong on our side. Please try again in a moment, or call {hotline}.",
        "抱歉，系统出了点问题，请稍后再试，或拨打 {hotline} 热线。",
    ),
}

DEFAULT_MAX_METADATA_BYTES = 4096


class InvalidRequest(Exception):
    """A request the channel refuses, with the HTTP status and a specific error code."""

    def __init__(self, status: int, code: str, **params: Any) -> None:
        english, chinese = ERROR_MESSAGES[code]
        self.status = status
        self.code = code
        self.message = english.format(**params)
        self.message_zh = chinese.format(**params)
        super().__init__(f"{code}: {self.message}")

    def as_json(self) -> Dict[str, Any]:
        return {"error": self.code, "message": self.message, "message_zh": self.message_zh}


@dataclass(frozen=True)
class IncomingMessage:
    """A validated message: who sent it, the cleaned text and channel metadata."""

    sender: str
    text: str
    metadata: Dict[str, Any] = field(default_factory=dict)


def clean_text(text: str) -> str:
    """Remove control characters and lone surrogates; normalise to NFC; trim."""
    return unicodedata.normalize("NFC", _UNSAFE_CHARS.sub(" ", text)).strip()


def parse_rest_body(
    body: bytes,
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> IncomingMessage:
    """Validate a REST webhook body (``{"sender", "message", "metadata"}``)."""
    if len(body) > max_body_bytes:
        raise InvalidRequest(413, "body_too_large", limit=max_body_bytes)
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest(400, "invalid_encoding") from None
    try:
        payload = json.loads(decoded)
    except (json.JSONDecodeError, RecursionError):
        raise InvalidRequest(400, "invalid_json") from None
    if not isinstance(payload, dict):
        raise InvalidRequest(400, "invalid_json")

    sender = payload.get("sender", "default")
    if not isinstance(sender, str) or not clean_text(sender) or len(sender) > MAX_SENDER_CHARS:
        raise InvalidRequest(400, "invalid_sender")

    message = payload.get("message")
    if not isinstance(message, str):
        raise InvalidRequest(400, "invalid_message")
    text = clean_text(message)
    if not text:
        raise InvalidRequest(400, "empty_message")
    if len(text) > max_message_chars:
        raise InvalidRequest(413, "message_too_long", limit=max_message_chars)

    metadata: Any | None = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidRequest(400, "invalid_metadata")
    return IncomingMessage(sender=clean_text(sender), text=text, metadata=metadata or {})


def parse_socket_message(
    data: Any,
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
    max_metadata_bytes: int = DEFAULT_MAX_METADATA_BYTES,
) -> tuple[str, Dict[str, Any]]:
    """Validate a web chat ``user_uttered`` event: ``{"message", "metadata"}`` → (text, metadata).

    The socket carries JSON already parsed, so anything may arrive: a bare
    string, a list, a number as the message, metadata as a JSON string (which
    Rasa's own socket.io channel accepts) or as a 1 MB object.
    """
    if not isinstance(data, dict):
        raise InvalidRequest(400, "invalid_json")
    message = data.get("message")
    if not isinstance(message, str):
        raise InvalidRequest(400, "invalid_message")
    text = clean_text(message)
    if not text:
        raise InvalidRequest(400, "empty_message")
    if len(text) > max_message_chars:
        raise InvalidRequest(413, "message_too_long", limit=max_message_chars)
    return text, _socket_metadata(data.get("metadata"), max_metadata_bytes)


def _socket_metadata(metadata: Any, max_bytes: int) -> Dict[str, Any]:
    if metadata is None:
        return {}
    if isinstance(metadata, str):
        if len(metadata.encode("utf-8", "replace")) > max_bytes:
            raise InvalidRequest(413, "metadata_too_large", limit=max_bytes)
        try:
            metadata = json.loads(metadata)
        except (json.JSONDecodeError, RecursionError):
            raise InvalidRequest(400, "invalid_metadata") from None
    if not isinstance(metadata, dict):
        raise InvalidRequest(400, "invalid_metadata")
    try:
        size = len(json.dumps(metadata, ensure_ascii=False).encode("utf-8", "replace"))
    except (TypeError, ValueError, RecursionError):
        raise InvalidRequest(400, "invalid_metadata") from None
    if size > max_bytes:
        raise InvalidRequest(413, "metadata_too_large", limit=max_bytes)
    return metadata
