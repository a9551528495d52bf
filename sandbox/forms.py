"""Strict reading of ``application/x-www-form-urlencoded`` bodies.

Sanic's own form parser replaces bytes it cannot decode and skips malformed pairs, which would
let a garbled complaint be stored. This one refuses instead: not UTF-8, a malformed pair or
a percent-escape that is not UTF-8 is a :class:`MalformedForm`, so the client gets a 400 and
nothing is stored.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

FORM_TYPE = "application/x-www-form-urlencoded"

Pairs = list[tuple[str, str]]

# C0 controls other than tab, newline and carriage return; PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MalformedForm(ValueError):
    """A body that is not a well-formed UTF-8 urlencoded form; the message says why."""


def check_content_type(content_type: str) -> None:
    """Accept the urlencoded form type, with no charset or a UTF-8 one."""
    media_type, _, parameters = content_type.partition(";")
    if media_type.strip().lower() != FORM_TYPE:
        raise MalformedForm(f"send the request as {FORM_TYPE}, not {media_type.strip()!r}")
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in {
            "utf-8",
            "utf8",
        }:
            raise MalformedForm("only the UTF-8 charset is supported")


def parse_form(body: bytes) -> Pairs:
    """The name/value pairs of a urlencoded body, in order, blanks kept."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedForm("the request body is not valid UTF-8") from None
    if not text.strip():
        return []
    try:
        return parse_qsl(
            text, keep_blank_values=True, strict_parsing=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError:
        raise MalformedForm("a percent-encoded value is not valid UTF-8") from None
    except ValueError:
        raise MalformedForm("the request body is not a well-formed urlencoded form") from None


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds control characters no form value should carry (NUL, ESC…)."""
    return bool(_CONTROL.search(text))
