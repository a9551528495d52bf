"""WeChat end to end: signed, encrypted messages to the running Rasa server, real replies.

The stack runs with Tencent's published sample account values (conftest) in safe mode,
so each request here is built as WeChat builds it: the query signature, the AES envelope
and its msg_signature. The replies are decrypted with the same account key, as the WeChat
client would, and read for what the assistant said.
"""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from bot.channels.wechat_crypto import WeChatCipher, msg_signature
from bot.channels.wechat_messages import encrypted_reply_xml, read_fields
from tests.integration.conftest import TOKEN
from tests.unit.channels.wechat_samples import (
    APP_ID,
    ENCODING_AES_KEY,
    message_xml,
    signed_query,
)
from tests.unit.channels.wechat_samples import TOKEN as WECHAT_TOKEN

pytestmark = pytest.mark.integration
URL = "/webhooks/wechat/webhook"
CIPHER = WeChatCipher(ENCODING_AES_KEY, APP_ID)


def encrypted_post(client: httpx.Client, plaintext: str, openid: str) -> httpx.Response:
    """POST ``plaintext`` the way WeChat does in safe mode."""
    query = signed_query()
    encrypted = CIPHER.encrypt(plaintext)
    envelope = encrypted_reply_xml(
        encrypted,
        msg_signature(WECHAT_TOKEN, query["timestamp"], query["nonce"], encrypted),
        query["timestamp"],
        query["nonce"],
    )
    query.update(
        encrypt_type="aes",
        msg_signature=msg_signature(WECHAT_TOKEN, query["timestamp"], query["nonce"], encrypted),
        openid=openid,
    )
    return client.post(URL, params=query, content=envelope.encode("utf-8"))


def reply_text(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    envelope = read_fields(answer.content)
    return read_fields(CIPHER.decrypt(envelope["Encrypt"]).encode("utf-8"))["Content"]


def test_the_server_address_is_verified_with_the_token(client: httpx.Client) -> None:
    answer = client.get(URL, params={**signed_query(), "echostr": "5837397520"})
    assert (answer.status_code, answer.text) == (200, "5837397520")


def test_an_encrypted_chinese_message_gets_an_encrypted_answer(client: httpx.Client) -> None:
    openid = f"o-{uuid.uuid4().hex[:12]}"
    body = message_xml(
        "text", Content="办居住证需要什么材料", openid=openid, create_time=int(time.time())
    )
    text = reply_text(encrypted_post(client, body, openid))
    assert "居民身份证原件" in text


def test_a_retried_message_runs_the_conversation_once(client: httpx.Client) -> None:
    openid = f"o-{uuid.uuid4().hex[:12]}"
    msg_id = str(int(time.time() * 1000))
    body = message_xml("text", Content="你好", msg_id=msg_id, openid=openid)
    first = encrypted_post(client, body, openid)
    again = encrypted_post(client, body, openid)
    assert first.status_code == again.status_code == 200
    tracker = client.get(f"/conversations/wechat-{openid}/tracker", params={"token": TOKEN}).json()
    said = [e for e in tracker["events"] if e.get("event") == "user" and e.get("text") == "你好"]
    assert len(said) == 1


def test_a_forged_message_is_forbidden(client: httpx.Client) -> None:
    query = {**signed_query(token="not-the-token"), "openid": "o-forger"}
    answer = client.post(URL, params=query, content=message_xml("text", Content="hi").encode())
    assert answer.status_code == 403
