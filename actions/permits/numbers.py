"""Application numbers as residents type them, in the city's format.

The format is ``city.application_pattern`` (Shenzhen's: ``PA`` + 8 digits). ``pa 2026
1187``, ``PA-20261187``, ``ＰＡ２０２６１１８７`` from a Chinese keyboard, or the number
pasted inside a sentence all mean ``PA20261187`` (see :mod:`actions.number_formats`).
Something that starts like one but has the wrong number of digits ("PA2026118") is
worth catching: the resident gets "check the number" instead of "what would you like
to do?".
"""

from __future__ import annotations

from actions.number_formats import NumberFormat
from bot.city_identity import CityIdentity

#: Shenzhen's application numbers, for callers that do not say which city.
SHENZHEN_APPLICATIONS = NumberFormat.of(CityIdentity().application_pattern)


def find_numbers(text: str, numbers: NumberFormat = SHENZHEN_APPLICATIONS) -> list[str]:
    """Every application number in ``text``, canonical (``PA20261187``), in order, no repeats."""
    return numbers.find(text)


def canonical(value: str, numbers: NumberFormat = SHENZHEN_APPLICATIONS) -> str | None:
    """``value`` as one canonical number, or None."""
    return numbers.canonical(value)


def mistyped_number(text: str, numbers: NumberFormat = SHENZHEN_APPLICATIONS) -> str | None:
    """What the resident typed when it starts like a number but is not one (else None)."""
    return numbers.near_miss(text)
