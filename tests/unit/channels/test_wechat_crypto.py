"""WeChat signatures and safe-mode encryption, checked against Tencent's sample values."""

from __future__ import annotations

import base64
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.channels.wechat_crypto import (
    WeChatCipher,
    WeChatCryptoError,
    check_msg_signature,
    check_signature,
    decode_encoding_aes_key,
    is_fresh,
    msg_signature,
    pkcs7_pad,
    sha1_signature,
)
from tests.unit.channels.wechat_samples import (
    APP_ID,
    ENCODING_AES_KEY,
    SAMPLE_ENCRYPTED,
    SAMPLE_MSG_SIGNATURE,
    SAMPLE_NONCE,
    SAMPLE_TIMESTAMP,
    TOKEN,
    VERIFY_ECHOSTR,
    VERIFY_MSG_SIGNATURE,
    VERIFY_NONCE,
    VERIFY_PLAINTEXT,
    VERIFY_TIMESTAMP,
)

KEY = decode_encoding_aes_key(ENCODING_AES_KEY)


def raw_aes(data: bytes, decrypt: bool) -> bytes:
    """AES-256-CBC with WeChat's key and IV and no padding, to forge edge-case ciphertexts."""
    cipher = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16]))
    worker = cipher.decryptor() if decrypt else cipher.encryptor()
    return worker.update(data) + worker.finalize()


def forge(framed_and_padded: bytes) -> str:
    return base64.b64encode(raw_aes(framed_and_padded, decrypt=False)).decode()


def test_tencent_sample_message_signature_verifies() -> None:
    assert (
        msg_signature(TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE, SAMPLE_ENCRYPTED)
        == SAMPLE_MSG_SIGNATURE
    )
    assert check_msg_signature(
        TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE, SAMPLE_ENCRYPTED, SAMPLE_MSG_SIGNATURE
    )


def test_tencent_sample_message_decrypts_to_its_xml() -> None:
    plaintext = WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(SAMPLE_ENCRYPTED)
    assert plaintext.startswith(f"<xml><ToUserName><![CDATA[{APP_ID}]]></ToUserName>")
    assert "<Content><![CDATA[hello]]></Content>" in plaintext
    assert "<MsgId>4561255354251345929</MsgId>" in plaintext


def test_encrypting_the_sample_with_its_random_prefix_reproduces_tencents_ciphertext() -> None:
    cipher = WeChatCipher(ENCODING_AES_KEY, APP_ID)
    random16 = raw_aes(base64.b64decode(SAMPLE_ENCRYPTED)[:16], decrypt=True)
    assert cipher.encrypt(cipher.decrypt(SAMPLE_ENCRYPTED), random16=random16) == SAMPLE_ENCRYPTED


def test_tencent_url_verification_sample_decrypts_to_its_echo() -> None:
    assert check_msg_signature(
        TOKEN, VERIFY_TIMESTAMP, VERIFY_NONCE, VERIFY_ECHOSTR, VERIFY_MSG_SIGNATURE
    )
    assert WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(VERIFY_ECHOSTR) == VERIFY_PLAINTEXT


@pytest.mark.parametrize("text", ["", "a", "你好，请问 12 路公交几点发车？" * 40, "x" * 32])
def test_encryption_round_trips_any_text(text: str) -> None:
    cipher = WeChatCipher(ENCODING_AES_KEY, APP_ID)
    assert cipher.decrypt(cipher.encrypt(text)) == text


def test_each_encryption_uses_a_fresh_random_prefix() -> None:
    cipher = WeChatCipher(ENCODING_AES_KEY, APP_ID)
    assert cipher.encrypt("<xml/>") != cipher.encrypt("<xml/>")


def test_a_message_for_another_appid_is_refused() -> None:
    other = WeChatCipher(ENCODING_AES_KEY, "wx0000000000000000")
    with pytest.raises(WeChatCryptoError, match="another AppID"):
        other.decrypt(SAMPLE_ENCRYPTED)


def test_tampered_ciphertext_is_refused() -> None:
    raw = bytearray(base64.b64decode(SAMPLE_ENCRYPTED))
    raw[-1] ^= 0x01  # scrambles the last block, so its padding or AppID no longer checks out
    with pytest.raises(WeChatCryptoError):
        WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(base64.b64encode(bytes(raw)).decode())


@pytest.mark.parametrize(
    ("plaintext", "error"),
    [
        (b"\x00" * 32, "padding"),  # pad byte 0
        (b"\x00" * 31 + b"\x21", "padding"),  # pad byte 33 > the 32-byte block
        (b"\x00" * 30 + b"\x01\x02", "padding"),  # pad bytes disagree
        (b"\x01" * 31 + b"\x20", "padding"),  # claims 32 bytes of padding, has 1
    ],
)
def test_bad_padding_is_refused(plaintext: bytes, error: str) -> None:
    with pytest.raises(WeChatCryptoError, match=error):
        WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(forge(plaintext))


def test_a_length_field_longer_than_the_message_is_refused() -> None:
    framed = b"r" * 16 + struct.pack(">I", 1000) + b"<xml/>" + APP_ID.encode()
    with pytest.raises(WeChatCryptoError, match="length"):
        WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(forge(pkcs7_pad(framed)))


def test_a_message_shorter_than_its_header_is_refused() -> None:
    with pytest.raises(WeChatCryptoError, match="too short"):
        WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(forge(pkcs7_pad(b"short")))


@pytest.mark.parametrize("encrypted", ["not base64!", "", base64.b64encode(b"x" * 17).decode()])
def test_ciphertext_that_is_not_whole_aes_blocks_is_refused(encrypted: str) -> None:
    with pytest.raises(WeChatCryptoError):
        WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(encrypted)


@pytest.mark.parametrize("key", ["short", ENCODING_AES_KEY[:-1] + "!", ENCODING_AES_KEY + "A"])
def test_a_malformed_encoding_aes_key_is_refused_with_a_clear_error(key: str) -> None:
    with pytest.raises(WeChatCryptoError, match="EncodingAESKey"):
        WeChatCipher(key, APP_ID)


def test_padding_always_fills_whole_32_byte_blocks() -> None:
    assert [len(pkcs7_pad(b"x" * n)) for n in (0, 1, 31, 32, 33)] == [32, 32, 32, 64, 64]


def test_signature_is_sha1_of_the_sorted_parts() -> None:
    assert sha1_signature("b", "a", "c") == sha1_signature("c", "b", "a")
    signature = sha1_signature(TOKEN, "1409659813", "1372623149")
    assert check_signature(TOKEN, "1409659813", "1372623149", signature)
    assert check_signature(TOKEN, "1409659813", "1372623149", signature.upper())


@pytest.mark.parametrize("signature", ["", "0" * 40, "签名", "deadbeef"])
def test_wrong_signatures_are_refused(signature: str) -> None:
    assert not check_signature(TOKEN, "1409659813", "1372623149", signature)


def test_a_signature_made_with_another_token_is_refused() -> None:
    signature = sha1_signature("other", "1409659813", "1372623149")
    assert not check_signature(TOKEN, "1409659813", "1372623149", signature)


@pytest.mark.parametrize(
    ("timestamp", "fresh"),
    [
        ("1000", True),
        ("1300", True),
        ("700", True),
        ("1301", False),
        ("699", False),
        ("", False),
        ("12a", False),
        ("-5", False),
        ("１０００", False),
    ],
)
def test_timestamps_are_fresh_within_five_minutes(timestamp: str, fresh: bool) -> None:
    assert is_fresh(timestamp, now=1000.0) is fresh
