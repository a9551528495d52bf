"""Tencent's published sample values for WeChat message encryption, and request builders.

The account values and the two signed, encrypted samples are those of Tencent's
``WXBizMsgCrypt`` sample code (Sample.cs/Sample.java, "公众平台上开发者设置的token,
appID, EncodingAESKey"), reused in the WeCom callback documentation
(https://developer.work.weixin.qq.com/document/path/90968). They are the only
real-peer vectors here; every other ciphertext in these tests is made by our code.
"""

from __future__ import annotations

import time

from bot.channels.wechat_crypto import sha1_signature

TOKEN = "QDG6eK"
APP_ID = "wx5823bf96d3bd56c7"
ENCODING_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

# A callback: POST ...?msg_signature=...&timestamp=...&nonce=... with this Encrypt element.
SAMPLE_MSG_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6"
SAMPLE_TIMESTAMP = "1409659813"
SAMPLE_NONCE = "1372623149"
SAMPLE_ENCRYPTED = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUp"
    "j911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgp"
    "ue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCK"
    "Iw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o"
    "0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2p"
    "DBS8R07+qN+E7Q=="
)
SAMPLE_ENVELOPE = (
    f"<xml><ToUserName><![CDATA[{APP_ID}]]></ToUserName>"
    f"<Encrypt><![CDATA[{SAMPLE_ENCRYPTED}]]></Encrypt></xml>"
)

# The URL-verification sample: the echostr is encrypted, its plaintext is echoed back.
VERIFY_MSG_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
VERIFY_TIMESTAMP = "1409659589"
VERIFY_NONCE = "263014780"
VERIFY_ECHOSTR = (
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
)
VERIFY_PLAINTEXT = "1616140317555161061"

OPENID = "oUser-openid-0001"
ACCOUNT = "gh_account"


def signed_query(
    token: str = TOKEN, timestamp: int | None = None, nonce: str = "4242"
) -> dict[str, str]:
    """The query WeChat adds to every callback: timestamp, nonce and their signature."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"timestamp": stamp, "nonce": nonce, "signature": sha1_signature(token, stamp, nonce)}


def message_xml(
    msg_type: str,
    *,
    msg_id: str | None = "1001",
    create_time: int = 1700000000,
    openid: str = OPENID,
    **fields: str,
) -> str:
    """A message body as WeChat sends it; extra fields become CDATA elements."""
    parts = [
        f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>",
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
        f"<CreateTime>{create_time}</CreateTime>",
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>",
        *(f"<{name}><![CDATA[{value}]]></{name}>" for name, value in fields.items()),
    ]
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"
