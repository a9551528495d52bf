"""Ticket numbers and local references as residents write them.

A ticket is ``SR`` + 8 digits; residents type ``sr 2026 1234``, ``SR-20261234``
or paste it inside a sentence. A complaint still waiting in the outbox has a
local reference ``LQ`` + 6 digits + 6 hex characters instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TICKET = re.compile(r"(?<![A-Za-z0-9])[Ss][Rr][\s\-_#:：]*((?:\d[\s\-]?){7}\d)(?!\d)")
_LOCAL_REF = re.compile(r"(?<![A-Za-z0-9])[Ll][Qq][\s\-]*(\d{6}[0-9A-Fa-f]{6})(?![0-9A-Za-z])")


def find_references(text: str) -> list[str]:
    """Every ticket number (``SR…``) and local reference (``LQ…``) in ``text``, in order."""
    found: list[tuple[int, str]] = []
    for match in _TICKET.finditer(text or ""):
        found.append((match.start(), "SR" + re.sub(r"\D", "", match.group(1))))
    for match in _LOCAL_REF.finditer(text or ""):
        found.append((match.start(), "LQ" + match.group(1).upper()))
    return unique(reference for _, reference in sorted(found))


def canonical(reference: str) -> str | None:
    """``reference`` in canonical form; None unless it is one ticket or local reference."""
    found = find_references(reference)
    return found[0] if len(found) == 1 else None


def is_local_ref(reference: str) -> bool:
    return reference.upper().startswith("LQ")


def unique(references: Iterable[str]) -> list[str]:
    """Without repeats, first occurrence kept."""
    seen: dict[str, None] = {}
    for reference in references:
        if reference:
            seen.setdefault(reference, None)
    return list(seen)
