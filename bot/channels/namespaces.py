"""Conversation ids namespaced by channel, so no channel can address another's.

Every channel names its conversations after the platform's own id of the resident —
a WeChat OpenID, a Telegram chat id, a Slack user id. Used bare, those ids share one
space: the REST channel (or anything else that names a conversation) could continue a
WeChat resident's conversation by sending their OpenID as ``sender``, and a Telegram
chat id could collide with a Slack one. Each channel therefore files its conversations
under ``<channel>-<platform id>`` and strips the prefix again only where it talks to its
platform (sending a reply, remembering buttons). The REST channel, whose callers choose
the id, may not use any of these prefixes.

Changing this renames existing conversations of those channels: a resident's earlier
history stays in the tracker store under the bare id, and the next message starts anew.
"""

from __future__ import annotations

PREFIXES: dict[str, str] = {
    "webchat": "webchat-",
    "wechat": "wechat-",
    "telegram": "telegram-",
    "slack": "slack-",
}


def conversation_id(channel: str, platform_id: object) -> str:
    """The conversation id of ``platform_id`` on ``channel`` (idempotent)."""
    prefix = PREFIXES[channel]
    text = str(platform_id)
    return text if text.startswith(prefix) else prefix + text


def platform_id(channel: str, conversation: object) -> str:
    """The platform's own id behind a conversation id of ``channel``.

    An id without the prefix is returned as it is, so output channels keep working
    for conversations started before ids were namespaced.
    """
    prefix = PREFIXES[channel]
    text = str(conversation)
    return text[len(prefix) :] if text.startswith(prefix) else text


def reserved_by(conversation: str) -> str | None:
    """The channel whose namespace ``conversation`` lies in, or None when it is free."""
    folded = conversation.strip().lower()
    for channel, prefix in PREFIXES.items():
        if folded.startswith(prefix):
            return channel
    return None
