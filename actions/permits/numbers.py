"""Application numbers as residents type them: ``PA`` + 8 digits, in any case and spacing.

``pa 2026 1187``, ``PA-20261187``, ``ＰＡ２０２６１１８７`` from a Chinese keyboard, or the
number pasted inside a sentence all mean ``PA20261187``. Something that starts like
one but has the wrong number of digits ("PA2026118") is worth catching: the resident
gets "check the number" instead of "what would you like to do?".
"""

from __future__ import annotations

import re
import unicodedata

_NUMBER = re.compile(r"(?<![A-Za-z0-9])PA[\s\-_#:：]*((?:\d[\s\-]?){7}\d)(?![\d])", re.IGNORECASE)
# "PA" then digits, however many: a number the resident mistyped.
_LOOKS_LIKE = re.compile(r"(?<![A-Za-z0-9])PA[\s\-_#:：]*(\d[\d\s\-]{0,20})", re.IGNORECASE)


def _width_folded(text: str) -> str:
    """Full-width letters and digits as ASCII (NFKC keeps the length for these)."""
    return "".join(
        unicodedata.normalize("NFKC", char) if ord(char) > 0xFF00 else char for char in text
    )


def find_numbers(text: str) -> list[str]:
    """Every application number in ``text``, canonical (``PA20261187``), in order, no repeats."""
    found: dict[str, None] = {}
    for match in _NUMBER.finditer(_width_folded(text or "")):
        found.setdefault("PA" + re.sub(r"\D", "", match.group(1)), None)
    return list(found)


def canonical(value: str) -> str | None:
    """``value`` as one canonical number, or None."""
    numbers = find_numbers(value)
    return numbers[0] if len(numbers) == 1 else None


def mistyped_number(text: str) -> str | None:
    """What the resident typed when it starts like a number but is not one (else None)."""
    folded = _width_folded(text or "")
    if find_numbers(folded):
        return None
    match = _LOOKS_LIKE.search(folded)
    if match is None:
        return None
    return (text[match.start() : match.end()]).strip()[:30]
