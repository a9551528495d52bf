"""Fuzzing the channels of the running server: whatever arrives, never a 500, never a crash.

A small budget per CI run (``FUZZ_EXAMPLES``, 40 by default); ``benchmarks/fuzz.py``
spends a large one and records it in docs/fuzz.md.
"""

from __future__ import annotations

import os

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.wechat_crypto import WeChatCipher, msg_signature
from bot.channels.wechat_messages import encrypted_reply_xml
from tests.factories.hostile_input import rest_bodies, wechat_bodies
from tests.integration.chat import REST_HEADERS
from tests.integration.conftest import RASA_PORT
from tests.unit.channels.wechat_samples import APP_ID, ENCODING_AES_KEY, TOKEN, signed_query

pytestmark = pytest.mark.integration

BASE = f"http://127.0.0.1:{RASA_PORT}"
BUDGET = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CIPHER = WeChatCipher(ENCODING_AES_KEY, APP_ID)


@pytest.fixture(scope="module")
def http(stack: str) -> httpx.Client:
    with httpx.Client(base_url=stack, timeout=30, headers=REST_HEADERS) as client:
        yield client
    # Still alive and answering after everything it was sent.
    with httpx.Client(base_url=stack, timeout=30, headers=REST_HEADERS) as client:
        assert client.get("/ops/health").status_code == 200
        reply = client.post(
            "/webhooks/rest/webhook", json={"sender": "after-fuzz", "message": "你好"}
        )
        assert reply.status_code == 200 and reply.json()


@BUDGET
@given(body=rest_bodies())
def test_rest_channel_answers_anything_without_a_server_error(
    http: httpx.Client, body: bytes
) -> None:
    answer = http.post(
        "/webhooks/rest/webhook", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code in (200, 400, 413), answer.text[:300]
    if answer.status_code == 200:
        assert isinstance(answer.json(), list)
    else:
        assert answer.json()["error"]


@BUDGET
@given(
    body=wechat_bodies(),
    signed=st.booleans(),
    query=st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=4),
)
def test_wechat_endpoint_answers_anything_without_a_server_error(
    http: httpx.Client, body: str, signed: bool, query: dict[str, str]
) -> None:
    params = {**query, **signed_query()} if signed else query
    answer = http.post(
        "/webhooks/wechat/webhook", params=params, content=body.encode("utf-8", "surrogatepass")
    )
    assert answer.status_code < 500, answer.text[:300]


@BUDGET
@given(plaintext=wechat_bodies())
def test_wechat_safe_mode_with_a_valid_envelope_around_garbage(
    http: httpx.Client, plaintext: str
) -> None:
    query = signed_query()
    encrypted = CIPHER.encrypt(plaintext.encode("utf-8", "replace").decode("utf-8"))
    signature = msg_signature(TOKEN, query["timestamp"], query["nonce"], encrypted)
    envelope = encrypted_reply_xml(encrypted, signature, query["timestamp"], query["nonce"])
    query.update(encrypt_type="aes", msg_signature=signature, openid="fuzz-openid")
    answer = http.post("/webhooks/wechat/webhook", params=query, content=envelope.encode())
    assert answer.status_code < 500, answer.text[:300]
