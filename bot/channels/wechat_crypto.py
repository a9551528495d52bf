"""WeChat Official Account request signatures and message encryption ("safe mode").

Pure functions and one small class, no I/O: the channel in ``bot.channels.wechat``
calls them, the tests check them against Tencent's published sample values.

WeChat signs every callback with ``sha1(sorted(token, timestamp, nonce))`` and, in
safe mode, also signs the ciphertext (``msg_signature``). The ciphertext is
AES-256-CBC with the key ``base64(EncodingAESKey + "=")`` and the first 16 key bytes
as IV, PKCS#7-padded to 32-byte blocks (not AES's 16: WeChat's own choice), over
``random(16) + big-endian uint32 length + message + AppID``. The AppID at the end
is what stops a message meant for another account being replayed at ours, so
decryption insists on it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

DEFAULT_TIMESTAMP_TOLERANCE = 300.0
PADDING_BLOCK = 32
_RANDOM_BYTES = 16
_LENGTH_BYTES = 4
_ENCODING_AES_KEY_CHARS = 43


class WeChatCryptoError(Exception):
    """A signature, key or ciphertext that does not check out; the message says which."""


def sha1_signature(*parts: str) -> str:
    """Hex SHA-1 of the parts sorted as strings and joined, WeChat's signature scheme."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def check_signature(token: str, timestamp: str, nonce: str, signature: str) -> bool:
    """True when ``signature`` is WeChat's signature of this timestamp and nonce."""
    return _same_hex(sha1_signature(token, timestamp, nonce), signature)


def msg_signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """The ``msg_signature`` over a ciphertext (safe mode), for replies and for checks."""
    return sha1_signature(token, timestamp, nonce, encrypted)


def check_msg_signature(
    token: str, timestamp: str, nonce: str, encrypted: str, signature: str
) -> bool:
    """True when ``signature`` is the ``msg_signature`` of this ciphertext."""
    return _same_hex(msg_signature(token, timestamp, nonce, encrypted), signature)


def _same_hex(expected: str, given: str) -> bool:
    # Constant time, so the answer does not leak how many leading characters match.
    return hmac.compare_digest(expected.encode("ascii"), given.lower().encode("utf-8"))


def is_fresh(timestamp: str, now: float, tolerance: float = DEFAULT_TIMESTAMP_TOLERANCE) -> bool:
    """True when the Unix ``timestamp`` is within ``tolerance`` seconds of ``now``.

    The signature covers the timestamp, so bounding its age bounds how long a
    captured request can be replayed.
    """
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    return abs(int(timestamp) - now) <= tolerance


def pkcs7_pad(data: bytes, block: int = PADDING_BLOCK) -> bytes:
    """Pad to a multiple of ``block`` bytes; always adds 1..block bytes."""
    count = block - len(data) % block
    return data + bytes([count]) * count


def pkcs7_unpad(data: bytes, block: int = PADDING_BLOCK) -> bytes:
    """Remove and check PKCS#7 padding of 1..block bytes."""
    if not data:
        raise WeChatCryptoError("The decrypted message is empty.")
    count = data[-1]
    if not 1 <= count <= block or count > len(data):
        raise WeChatCryptoError("The decrypted message has invalid padding.")
    if not hmac.compare_digest(data[-count:], bytes([count]) * count):
        raise WeChatCryptoError("The decrypted message has invalid padding.")
    return data[:-count]


def decode_encoding_aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key from the 43-character EncodingAESKey of the account settings."""
    if len(encoding_aes_key) != _ENCODING_AES_KEY_CHARS:
        raise WeChatCryptoError(
            f"The EncodingAESKey must be {_ENCODING_AES_KEY_CHARS} characters "
            f"(it has {len(encoding_aes_key)}); copy it again from the account settings."
        )
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError):
        raise WeChatCryptoError("The EncodingAESKey is not valid base64.") from None
    if len(key) != 32:
        raise WeChatCryptoError("The EncodingAESKey does not decode to a 32-byte key.")
    return key


class WeChatCipher:
    """Encrypts replies and decrypts callbacks for one account (EncodingAESKey + AppID)."""

    def __init__(self, encoding_aes_key: str, app_id: str) -> None:
        if not app_id:
            raise WeChatCryptoError("Safe mode needs the account's AppID.")
        self._key = decode_encoding_aes_key(encoding_aes_key)
        self._app_id = app_id.encode("utf-8")

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def encrypt(self, plaintext_xml: str, random16: bytes | None = None) -> str:
        """Base64 ciphertext of ``plaintext_xml``; ``random16`` is fixed only by tests."""
        prefix = os.urandom(_RANDOM_BYTES) if random16 is None else random16
        if len(prefix) != _RANDOM_BYTES:
            raise WeChatCryptoError("The random prefix must be 16 bytes.")
        message = plaintext_xml.encode("utf-8")
        framed = prefix + struct.pack(">I", len(message)) + message + self._app_id
        encryptor = self._cipher().encryptor()
        ciphertext = encryptor.update(pkcs7_pad(framed)) + encryptor.finalize()
        return base64.b64encode(ciphertext).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        """The plaintext XML inside ``encrypted``, after checking padding, length and AppID."""
        try:
            ciphertext = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise WeChatCryptoError("The encrypted message is not valid base64.") from None
        if not ciphertext or len(ciphertext) % 16:
            raise WeChatCryptoError("The encrypted message is not a whole number of AES blocks.")
        decryptor = self._cipher().decryptor()
        framed = pkcs7_unpad(decryptor.update(ciphertext) + decryptor.finalize())
        header = _RANDOM_BYTES + _LENGTH_BYTES
        if len(framed) < header:
            raise WeChatCryptoError("The decrypted message is too short.")
        (length,) = struct.unpack(">I", framed[_RANDOM_BYTES:header])
        if header + length > len(framed):
            raise WeChatCryptoError("The decrypted message length field is inconsistent.")
        message, app_id = framed[header : header + length], framed[header + length :]
        if not hmac.compare_digest(app_id, self._app_id):
            raise WeChatCryptoError("The encrypted message is for another AppID.")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError:
            raise WeChatCryptoError("The decrypted message is not UTF-8.") from None
