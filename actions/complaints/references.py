"""Ticket numbers and local references as residents write them.

A ticket is the city's Open311 ``service_request_id``, in the city's format
(``city.ticket_pattern``; Shenzhen's is ``SR`` + 8 digits). Residents type
``sr 2026 1234``, ``SR-20261234`` or paste it inside a sentence; see
:mod:`actions.number_formats`. A complaint still waiting in the outbox has a local
reference ``LQ`` + 6 digits + 6 hex characters instead, the same in every city.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from actions.number_formats import NumberFormat, width_folded
from bot.city_identity import CityIdentity

#: Shenzhen's tickets, for callers that do not say which city.
SHENZHEN_TICKETS = NumberFormat.of(CityIdentity().ticket_pattern)
_LOCAL_REF = re.compile(r"(?<![A-Za-z0-9])[Ll][Qq][\s\-]*(\d{6}[0-9A-Fa-f]{6})(?![0-9A-Za-z])")


def find_references(
    text: str, tickets: NumberFormat = SHENZHEN_TICKETS, phone_region: str | None = None
) -> list[str]:
    r"""Every ticket number and local reference (``LQ…``) in ``text``, in order.

    With ``phone_region``, digits written as a phone number of that region ("703 555
    0142") are no ticket even when, run together, they have a ticket's digits (Alexandria's
    ``\d{2}-\d{8}`` would read it as 70-35550142); a ticket written in its own format is
    one whatever it also looks like.
    """
    folded = width_folded(text or "")
    local_refs = [
        (match.start(), match.end(), "LQ" + match.group(1).upper())
        for match in _LOCAL_REF.finditer(folded)
    ]
    # A city whose tickets could look like a local reference still has its LQ… read as one.
    ticket_spans = [
        span
        for span in tickets.spans(folded)
        if not any(span[0] < end and start < span[1] for start, end, _ in local_refs)
        and not (
            phone_region and _a_phone_not_a_ticket(folded[span[0] : span[1]], tickets, phone_region)
        )
    ]
    return unique(reference for _, _, reference in sorted(ticket_spans + local_refs))


def _a_phone_not_a_ticket(written: str, tickets: NumberFormat, region: str) -> bool:
    from actions.complaints.phone import parse_phone

    if tickets.pattern.fullmatch(written) or tickets.pattern.fullmatch(written.upper()):
        return False
    return parse_phone(written, region) is not None


def canonical(reference: str, tickets: NumberFormat = SHENZHEN_TICKETS) -> str | None:
    """``reference`` in canonical form; None unless it is one ticket or local reference."""
    found = find_references(reference, tickets)
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
