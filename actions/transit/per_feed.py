"""Values worked out once per loaded feed (its stop index, its words) and dropped with it.

A ``TransitFeed`` is a frozen dataclass whose generated hash would walk (and fail on) its
read-only tables, so values are kept by the feed's identity, with a weak reference that
forgets them when the feed goes (a reloaded feed gets new ones).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class PerFeed(Generic[Value]):
    """A cache of one value per owner object, kept as long as the owner lives."""

    def __init__(self) -> None:
        self._values: dict[int, tuple[weakref.ref[object], Value]] = {}

    def get(self, owner: object, build: Callable[[], Value]) -> Value:
        """The owner's value, built by ``build`` on first use."""
        key = id(owner)
        cached = self._values.get(key)
        if cached is not None and cached[0]() is owner:
            return cached[1]
        value = build()
        values = self._values

        def forget(_: object) -> None:
            values.pop(key, None)

        values[key] = (weakref.ref(owner, forget), value)
        return value
