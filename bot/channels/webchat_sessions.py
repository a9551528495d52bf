"""Web chat session tokens: the server issues them, and continues only what it issued.

The page keeps its session in local storage and asks to continue it after a reload.
Continuing whatever id a client sent let anyone who learnt a resident's conversation
id — or who sent an id shaped like another channel's, a WeChat OpenID — receive that
resident's replies and pushes and write into their conversation.

Now the server hands out ``<32 hex digits>.<HMAC-SHA256 of them, base64url>``, signed
with a server secret, and continues a session only when its signature verifies. The
conversation id behind a token is ``webchat-<hex>``: namespaced, so no web chat token
can name another channel's conversation. The secret (``WEBCHAT_SESSION_SECRET``) must
be the same on every Rasa instance; ``make run`` keeps one in ``var/``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import uuid
from collections.abc import Mapping

from bot.channels.namespaces import PREFIXES

logger = logging.getLogger(__name__)

SECRET_VARIABLE = "WEBCHAT_SESSION_SECRET"
CONVERSATION_PREFIX = PREFIXES["webchat"]
TOKEN = re.compile(r"^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$")
_DOMAIN = b"city-assistant webchat session v1:"


def _signature(secret: bytes, session: str) -> str:
    digest = hmac.new(secret, _DOMAIN + session.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class SessionTokens:
    """Issues and verifies session tokens with one secret."""

    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError(f"{SECRET_VARIABLE} must be at least 16 characters")
        self._secret = secret.encode("utf-8")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> SessionTokens:
        """The configured secret, or a random one for this process (sessions then end
        when it restarts, and do not move between instances: said in the log)."""
        secret = environ.get(SECRET_VARIABLE, "")
        if not secret:
            logger.warning(
                "%s is not set: web chat sessions will not survive a restart or move between "
                "instances (make run and the deployment files set it)",
                SECRET_VARIABLE,
            )
            secret = secrets.token_urlsafe(32)
        return cls(secret)

    def issue(self) -> str:
        """A new session token."""
        session = uuid.uuid4().hex
        return f"{session}.{_signature(self._secret, session)}"

    def conversation_of(self, token: object) -> str | None:
        """The conversation id a token stands for, or None unless this server issued it."""
        if not isinstance(token, str):
            return None
        match = TOKEN.match(token)
        if match is None:
            return None
        session, signature = match.groups()
        if not hmac.compare_digest(signature, _signature(self._secret, session)):
            return None
        return CONVERSATION_PREFIX + session


def conversation_id_of(token: str) -> str:
    """The conversation id of a token, without checking it (for tests and tools)."""
    return CONVERSATION_PREFIX + token.split(".", 1)[0]
