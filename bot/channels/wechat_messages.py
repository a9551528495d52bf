"""WeChat message XML in and out, and Rasa replies rendered for a text-only chat.

Pure functions, no I/O. Incoming XML is parsed with expat directly, refusing any
DOCTYPE or entity declaration and anything over 64 KiB: WeChat never sends
either, and refusing them outright closes the entity-expansion and external-entity
attacks instead of relying on parser defaults. WeChat shows no buttons to an
Official Account's text replies, so Rasa buttons become numbered options and the
user's "1" is mapped back to the button payload by ``choose_button``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Sequence
from xml.parsers import expat

from bot.channels.validation import DEFAULT_MAX_BODY_BYTES, clean_text

ROOT_ELEMENT = "xml"
#: WeChat refuses a text message (passive reply or customer-service message) over
#: 2048 bytes of UTF-8; a margin is kept for the continuation mark.
MAX_TEXT_BYTES = 2000
CONTINUED = "……"

# Channel copy for a text-only chat, one place for both languages (see STYLE.md).
CHANNEL_TEXT: Dict[str, Dict[str, str]] = {
    "choose_by_number": {
        "zh": "请回复数字进行选择。",
        "en": "Please reply with the number of your choice.",
    },
    "unsupported": {
        "zh": "抱歉，目前仅支持文字和位置消息，请用文字描述您的问题。",
        "en": "Sorry, I can only read text and locations for now. Please type your question.",
    },
}

# Characters XML 1.0 cannot carry at all, even inside CDATA.
_XML_ILLEGAL = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NUMBER_REPLY = re.compile(r"^\s*(\d{1,3})\s*[.。、)）]?\s*$")


class WeChatMessageError(ValueError):
    """An incoming body that is not a message we accept; the text says why."""


@dataclass(frozen=True)
class Location:
    """A location the user shared: WeChat's Location_X is latitude, Location_Y longitude."""

    lat: float
    long: float
    label: str

    def as_metadata(self) -> Dict[str, Any]:
        return {"lat": self.lat, "long": self.long, "label": self.label}


@dataclass(frozen=True)
class WeChatMessage:
    """One incoming message or event, reduced to what the assistant needs.

    ``kind`` is what the channel acts on: "text" (also recognised voice),
    "location", "subscribe", "unsubscribe", "event" (other events, answered
    silently) or "unsupported" (images, video, links, unrecognised voice ...).
    """

    to_user: str
    from_user: str
    create_time: int
    msg_type: str
    kind: str
    msg_id: str = ""
    content: str = ""
    event: str = ""
    location: Location | None = None

    @property
    def dedupe_key(self) -> str:
        """WeChat's own advice: MsgId for messages, sender + CreateTime for events."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"event:{self.from_user}:{self.create_time}"


def read_fields(body: bytes, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> Dict[str, str]:
    """The text of each child of the ``<xml>`` root, refusing DTDs, entities and big bodies."""
    if len(body) > max_bytes:
        raise WeChatMessageError(f"The body is larger than {max_bytes} bytes.")
    fields: Dict[str, str] = {}
    path: List[str] = []
    text: List[str] = []

    def refuse_dtd(*_: object) -> None:
        raise WeChatMessageError("DOCTYPE and ENTITY declarations are not accepted.")

    def refuse_external(*_: object) -> int:
        raise WeChatMessageError("External entities are not accepted.")

    def start(name: str, _attributes: object) -> None:
        if not path and name != ROOT_ELEMENT:
            raise WeChatMessageError(f"The root element must be <{ROOT_ELEMENT}>.")
        path.append(name)
        text.clear()

    def end(name: str) -> None:
        if len(path) == 2:
            if name in fields:
                raise WeChatMessageError(f"The element <{name}> appears twice.")
            fields[name] = "".join(text)
        path.pop()
        text.clear()

    def characters(data: str) -> None:
        text.append(data)

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.UnparsedEntityDeclHandler = refuse_dtd
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(body, True)
    except expat.ExpatError as error:
        raise WeChatMessageError(f"The body is not well-formed XML ({error}).") from None
    return fields


def parse_message(body: bytes, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> WeChatMessage:
    """Parse a (plaintext or decrypted) WeChat message body."""
    return message_from_fields(read_fields(body, max_bytes))


def message_from_fields(fields: Mapping[str, str]) -> WeChatMessage:
    """Build the message from the root's children; refuses missing or malformed headers."""
    to_user, from_user = _required(fields, "ToUserName"), _required(fields, "FromUserName")
    msg_type = _required(fields, "MsgType").strip().lower()
    create_time = _required(fields, "CreateTime").strip()
    if not create_time.isascii() or not create_time.isdigit():
        raise WeChatMessageError("CreateTime must be a Unix timestamp.")
    common: Dict[str, Any] = {
        "to_user": to_user,
        "from_user": from_user,
        "create_time": int(create_time),
        "msg_type": msg_type,
        "msg_id": fields.get("MsgId", "").strip(),
    }
    if msg_type == "text":
        return WeChatMessage(kind="text", content=clean_text(fields.get("Content", "")), **common)
    if msg_type == "voice":
        recognised = clean_text(fields.get("Recognition", ""))
        return WeChatMessage(
            kind="text" if recognised else "unsupported", content=recognised, **common
        )
    if msg_type == "location":
        return WeChatMessage(kind="location", location=_location(fields), **common)
    if msg_type == "event":
        event = fields.get("Event", "").strip().lower()
        kind = event if event in ("subscribe", "unsubscribe") else "event"
        return WeChatMessage(kind=kind, event=event, **common)
    return WeChatMessage(kind="unsupported", **common)


def _required(fields: Mapping[str, str], name: str) -> str:
    value = fields.get(name, "").strip()
    if not value:
        raise WeChatMessageError(f"The message has no {name}.")
    return value


def _location(fields: Mapping[str, str]) -> Location:
    try:
        lat, long = float(fields["Location_X"]), float(fields["Location_Y"])
    except (KeyError, ValueError):
        raise WeChatMessageError("A location needs numeric Location_X and Location_Y.") from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= long <= 180.0):
        raise WeChatMessageError("The location is outside valid latitude/longitude.")
    return Location(lat=lat, long=long, label=clean_text(fields.get("Label", "")))


def cdata(text: str) -> str:
    """``text`` as CDATA: "]]>" split across two sections, XML-illegal characters dropped."""
    safe = _XML_ILLEGAL.sub("", text)
    return "<![CDATA[" + safe.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply_xml(to_user: str, from_user: str, create_time: int, content: str) -> str:
    """The passive text reply: ``to_user`` is the user's OpenID, ``from_user`` the account."""
    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName>"
        f"<FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time)}</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content></xml>"
    )


def encrypted_reply_xml(encrypted: str, signature: str, timestamp: str, nonce: str) -> str:
    """The safe-mode envelope around an encrypted passive reply."""
    return (
        f"<xml><Encrypt>{cdata(encrypted)}</Encrypt>"
        f"<MsgSignature>{cdata(signature)}</MsgSignature>"
        f"<TimeStamp>{cdata(timestamp)}</TimeStamp>"
        f"<Nonce>{cdata(nonce)}</Nonce></xml>"
    )


def channel_text(key: str, chinese: bool) -> str:
    """Channel copy from ``CHANNEL_TEXT`` in the user's language."""
    return CHANNEL_TEXT[key]["zh" if chinese else "en"]


def bilingual_text(key: str) -> str:
    """Channel copy in both languages, for when we do not yet know the user's language."""
    return f"{CHANNEL_TEXT[key]['zh']}\n{CHANNEL_TEXT[key]['en']}"


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def render_bot_message(message: Mapping[str, Any]) -> str:
    """One Rasa bot message as plain text: text, image/attachment links, numbered buttons."""
    lines = [str(message["text"])] if message.get("text") else []
    lines += [str(message[key]) for key in ("image", "attachment") if message.get(key)]
    buttons = message.get("buttons") or []
    if buttons:
        lines += [
            f"{index}. {_one_line(button.get('title', ''))}"
            for index, button in enumerate(buttons, start=1)
        ]
        lines.append(channel_text("choose_by_number", has_chinese("".join(lines))))
    return "\n".join(lines).strip()


def render_bot_messages(messages: Iterable[Mapping[str, Any]]) -> List[str]:
    """The non-empty texts for a turn's bot messages, one per message."""
    return [text for text in (render_bot_message(message) for message in messages) if text]


def last_buttons(messages: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The buttons a numbered reply refers to: those of the turn's last message, if any."""
    if not messages:
        return []
    return [dict(button) for button in messages[-1].get("buttons") or []]


def choose_button(reply: str, buttons: Sequence[Mapping[str, Any]]) -> str | None:
    """The payload chosen by a reply such as "1", "１" or "1.", or None if it is not one."""
    match = _NUMBER_REPLY.match(unicodedata.normalize("NFKC", reply))
    if not match or not buttons:
        return None
    index = int(match.group(1))
    if not 1 <= index <= len(buttons):
        return None
    button = buttons[index - 1]
    return str(button.get("payload") or button.get("title") or "") or None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def split_text(text: str, max_bytes: int = MAX_TEXT_BYTES) -> List[str]:
    """``text`` in parts WeChat accepts, cut between lines where possible, never mid-character.

    A part that had to be cut ends with "……" so the resident knows more follows.
    """
    if len(text.encode("utf-8")) <= max_bytes:
        return [text] if text else []
    budget = max_bytes - len(CONTINUED.encode("utf-8"))
    parts: List[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode("utf-8")) <= budget:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(line.encode("utf-8")) > budget:
            head = _prefix_within(line, budget)
            parts.append(head)
            line = line[len(head) :]
        current = line
    if current:
        parts.append(current)
    return [part + CONTINUED for part in parts[:-1]] + parts[-1:]


def _prefix_within(line: str, budget: int) -> str:
    """The longest prefix of ``line`` whose UTF-8 form fits ``budget`` bytes."""
    used = 0
    for index, character in enumerate(line):
        used += len(character.encode("utf-8"))
        if used > budget:
            return line[:index]
    return line
