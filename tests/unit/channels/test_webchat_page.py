"""The web chat page's files, headers and input checks (no server needed)."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from bot.channels.validation import InvalidRequest, parse_socket_message
from bot.channels.webchat import error_text
from bot.channels.webchat_page import (
    ASSETS,
    PAGE_DIR,
    PageSettings,
    load_assets,
    render_index,
    security_headers,
)

SOCKET_IO_SHA256 = "b0e735814f8dcfecd6cdb8a7ce95a297a7e1e5f2727a29e6f5901801d52fa0c5"


def test_vendored_socket_io_client_is_the_recorded_release_with_its_licence() -> None:
    vendored = (PAGE_DIR / "vendor" / "socket.io.min.js").read_bytes()
    assert hashlib.sha256(vendored).hexdigest() == SOCKET_IO_SHA256
    assert vendored.startswith(b"/*!\n * Socket.IO v4.8.1")
    record = (PAGE_DIR / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "4.8.1" in record and SOCKET_IO_SHA256 in record
    assert "MIT License" in (PAGE_DIR / "vendor" / "LICENSE.socket.io-client").read_text()


def test_page_loads_nothing_from_another_origin() -> None:
    index = render_index(PageSettings())
    for address in re.findall(r'(?:src|href)="([^"]+)"', index):
        assert not re.match(r"^(https?:)?//", address), address
        assert address.removeprefix("static/") in ASSETS, address
    assert "http" not in (PAGE_DIR / "chat.css").read_text()


def test_every_asset_the_page_serves_exists() -> None:
    assert set(load_assets()) == set(ASSETS)


def test_page_settings_are_data_that_cannot_close_the_script_element() -> None:
    index = render_index(PageSettings(socketio_path="/x</script><script>alert(1)//"))
    block = re.search(r'<script type="application/json" id="page-config">(.*?)</script>', index)
    assert block is not None
    assert json.loads(block.group(1))["socketioPath"] == "/x</script><script>alert(1)//"
    assert "<script>alert(1)" not in index


def test_headers_allow_only_this_origin_and_no_inline_script() -> None:
    policy = security_headers()["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert "unsafe-inline" not in policy
    frame = security_headers("'self' https://www.sz.gov.cn")["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.sz.gov.cn" in frame


def test_page_never_builds_markup_from_message_text() -> None:
    script = (PAGE_DIR / "chat.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "document.write" not in script and "eval(" not in script


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (None, "invalid_json"),
        ("hello", "invalid_json"),
        (["hello"], "invalid_json"),
        ({}, "invalid_message"),
        ({"message": 42}, "invalid_message"),
        ({"message": "   \x00 "}, "empty_message"),
        ({"message": "好" * 2001}, "message_too_long"),
        ({"message": "hi", "metadata": "not json"}, "invalid_metadata"),
        ({"message": "hi", "metadata": [1, 2]}, "invalid_metadata"),
        ({"message": "hi", "metadata": {"blob": "x" * 5000}}, "metadata_too_large"),
        ({"message": "hi", "metadata": "[" * 100_000}, "metadata_too_large"),
    ],
)
def test_bad_socket_messages_are_refused_with_a_reason(data: object, code: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_socket_message(data, max_message_chars=2000)
    assert refused.value.code == code


def test_a_good_socket_message_is_cleaned_and_keeps_its_metadata() -> None:
    text, metadata = parse_socket_message(
        {"message": "  地铁\x07票价  ", "metadata": '{"language": "zh"}'}
    )
    assert text == "地铁 票价"
    assert metadata == {"language": "zh"}
    assert parse_socket_message({"message": "hi"})[1] == {}


def test_errors_speak_the_language_the_page_shows() -> None:
    assert error_text("empty_message", {"language": "en"}).startswith("The message is empty")
    assert error_text("empty_message", {"language": "zh"}) == "消息内容为空，请输入您的问题。"
    both = error_text("message_too_long", None, limit=2000)
    assert "2000" in both and "过长" in both and "too long" in both


def test_the_page_is_titled_with_the_configured_city() -> None:
    assert "<title>深圳市民服务助手 · Shenzhen Citizen Services</title>" in render_index(
        PageSettings()
    )
    index = render_index(PageSettings(city_name_en="Chicago", city_name_zh="芝加哥<b>"))
    assert "<title>芝加哥&lt;b&gt;市民服务助手 · Chicago Citizen Services</title>" in index
    assert "深圳" not in index and "Shenzhen" not in index
    block = re.search(r'<script type="application/json" id="page-config">(.*?)</script>', index)
    assert block is not None
    assert json.loads(block.group(1))["cityName"] == {"zh": "芝加哥<b>", "en": "Chicago"}
