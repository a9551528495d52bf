"""The ``Idempotency-Key`` request header (IETF httpapi draft), read and matched to a request.

A client that retries a ``POST`` after a timeout sends the same key; the sandbox then
replays the first response instead of filing a second ticket. A key reused with a different
request is a client bug and is refused (422). The draft defines the value as a Structured
Field string (``"abc"``); the bare token form many clients send is accepted too.
"""

from __future__ import annotations

import hashlib
import json
import re

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
_PRINTABLE = re.compile(r"^[\x20-\x7e]+$")


class InvalidIdempotencyKey(ValueError):
    """A header value that cannot be an idempotency key."""


def parse_key(header_value: str | None) -> str | None:
    """The key in an ``Idempotency-Key`` header, or ``None`` when the header is absent."""
    if header_value is None:
        return None
    value = header_value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not value:
        raise InvalidIdempotencyKey(f"{HEADER} is empty")
    if len(value) > MAX_KEY_LENGTH:
        raise InvalidIdempotencyKey(f"{HEADER} is longer than {MAX_KEY_LENGTH} characters")
    if not _PRINTABLE.match(value) or '"' in value or "\\" in value:
        raise InvalidIdempotencyKey(f"{HEADER} must be printable ASCII without quotes")
    return value


def fingerprint(pairs: list[tuple[str, str]], ignore: frozenset[str]) -> str:
    """A digest of a form that ignores field order and the fields in ``ignore``.

    Two submissions with the same fields and values are the same request, whatever order
    the client serialised them in.
    """
    kept = sorted((name, value) for name, value in pairs if name not in ignore)
    return hashlib.sha256(json.dumps(kept, ensure_ascii=False).encode("utf-8")).hexdigest()


def scope_of(api_key: str) -> str:
    """Keys are per client: the same key from two clients names two different requests."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()
