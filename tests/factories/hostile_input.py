"""Hostile and malformed input for the channels, as Hypothesis strategies.

Shared by the fuzz tests (a small budget in every CI run) and ``benchmarks/fuzz.py``
(a large fixed budget, results in docs/fuzz.md). Each strategy produces what a
careless integrator, a broken client or an attacker could send.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

#: JSON values nested a few levels deep, any keys.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)

#: Text residents never type but clients do send: controls, RTL marks, emoji, scripts, markup.
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=50),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE events; --",
            "/greet",
            '/inform{"complaint_field": ',
            '/nonexistent_intent{"x": 1}',
            "{{7*7}} ${jndi:ldap://x}",
            "\u202e\u200b\u200f居住证",
            "😀" * 500,
            "路灯" * 3000,
            "A" * 6000,
            "%s%s%s%n",
            "\\x00\\u0000",
        ]
    ),
)


@st.composite
def rest_bodies(draw: st.DrawFn) -> bytes:
    """A POST body for the REST channel: anything from random bytes to near-valid JSON."""
    kind = draw(st.sampled_from(["bytes", "json", "message", "wrong_types", "huge"]))
    if kind == "bytes":
        return draw(st.binary(max_size=3000))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "huge":
        return json.dumps(
            {"sender": "fuzz", "message": "长" * draw(st.integers(5000, 40000))}
        ).encode()
    payload: dict[str, Any] = {
        "sender": draw(st.one_of(st.text(min_size=1, max_size=200), st.just("fuzz-sender"))),
        "message": draw(nasty_text),
    }
    if kind == "wrong_types":
        field = draw(st.sampled_from(["sender", "message", "metadata"]))
        payload[field] = draw(json_values)
    elif draw(st.booleans()):
        payload["metadata"] = draw(st.dictionaries(st.text(max_size=10), json_values, max_size=4))
    return json.dumps(payload, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@st.composite
def wechat_bodies(draw: st.DrawFn) -> str:
    """A WeChat message body: broken XML, entity tricks, wrong types, odd content."""
    kind = draw(st.sampled_from(["bytes", "xml", "entities", "fields", "message", "message"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000)).decode("latin-1")
    if kind == "entities":
        return (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>'
        )
    if kind == "xml":
        return "<xml>" + draw(st.text(max_size=500)) + "</xml>"
    if kind == "message":
        # Well formed, so it reaches the assistant: hostile only in what it says.
        msg_type = draw(st.sampled_from(["text", "text", "voice", "location", "image", "event"]))
        content = draw(nasty_text).replace("]]>", "")
        return (
            "<xml><ToUserName><![CDATA[gh_account]]></ToUserName>"
            f"<FromUserName><![CDATA[fuzz-{draw(st.integers(0, 50))}]]></FromUserName>"
            f"<CreateTime>{draw(st.integers(0, 2**33))}</CreateTime>"
            f"<MsgType><![CDATA[{msg_type}]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><Recognition><![CDATA[{content}]]></Recognition>"
            f"<Location_X>{draw(st.floats(allow_nan=True))}</Location_X><Location_Y>1</Location_Y>"
            f"<Event><![CDATA[{draw(st.sampled_from(['subscribe', 'unsubscribe', 'CLICK', '']))}]]></Event>"
            f"<MsgId>{draw(st.integers(-(2**63), 2**64))}</MsgId></xml>"
        )
    fields = {
        name: draw(nasty_text)
        for name in draw(
            st.lists(
                st.sampled_from(
                    [
                        "ToUserName",
                        "FromUserName",
                        "CreateTime",
                        "MsgType",
                        "Content",
                        "MsgId",
                        "Event",
                        "Location_X",
                        "Location_Y",
                        "Recognition",
                    ]
                ),  # fmt: skip
                max_size=10,
            )
        )
    }
    inner = "".join(
        f"<{name}><![CDATA[{value.replace(']]>', '')}]]></{name}>" for name, value in fields.items()
    )
    return f"<xml>{inner}</xml>"
