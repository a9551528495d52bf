"""A quick yes for valid action-server responses: each event checked against its own type.

Rasa validates every action-server response against its response format, whose events
are ``{"required": ["event"], "oneOf": [one schema per event type]}``. ``oneOf`` must
try every branch to know that exactly one matches, so each event was checked against
all ~20 event schemas, building a ``ValidationError`` for each that did not match:
~0.95 ms of CPU for a response of three events (2026-12-05), about a fifteenth of a
Rasa server's CPU per message.

A branch whose ``event`` is a ``const`` other than the event's own ``event`` cannot
match it (the item schema requires ``event``). So :class:`EventDispatch` checks an
event against the branches of its own type, plus any branch without such a ``const``,
and counts matches exactly as ``oneOf`` does; the rest of the response is checked
against the response schema with its events left unconstrained. When everything
passes the response is valid by the full schema too. Anything else — an invalid
response, an event without a string ``event``, a schema of another shape — is not
decided here: :func:`bot.speedups.validate` then validates as ``jsonschema`` does, so
an invalid response raises the very same error as before (tests/unit/test_event_schema.py
compares both on valid and invalid responses).
"""

from __future__ import annotations

import copy
from typing import Any


class EventDispatch:
    """Validators for a response schema's parts, built once per schema (see module doc)."""

    def __init__(self, schema: Any, cls: Any) -> None:
        """Raises ``ValueError`` when ``schema`` does not have the shape described above."""
        try:
            items = schema["properties"]["events"]["items"]
            branches = items["oneOf"]
        except (KeyError, TypeError):
            raise ValueError("not an events-with-oneOf response schema") from None
        if not isinstance(branches, list) or "event" not in items.get("required", ()):
            raise ValueError("the events' oneOf is not keyed by a required 'event'")
        self._cls = cls
        self._item_base = {key: value for key, value in items.items() if key != "oneOf"}
        self._by_type: dict[str, list[Any]] = {}
        self._untyped: list[Any] = []
        for branch in branches:
            const = _event_const(branch)
            if const is None:
                self._untyped.append(branch)
            else:
                self._by_type.setdefault(const, []).append(branch)
        rest = copy.deepcopy(schema)
        rest["properties"]["events"]["items"] = {}
        self._rest = cls(rest)
        self._item_validators: dict[str, Any] = {}

    def accepts(self, instance: Any) -> bool:
        """True only if ``instance`` is valid by the whole schema (False: not decided)."""
        try:
            return self._accepts(instance)
        except Exception:  # e.g. a $ref a part cannot resolve on its own: not decided
            return False

    def _accepts(self, instance: Any) -> bool:
        if not self._rest.is_valid(instance):
            return False
        events = instance.get("events") if isinstance(instance, dict) else None
        if not isinstance(events, list):
            return True  # no events, or not a list: the rest's own checks decided
        return all(self._accepts_event(event) for event in events)

    def _accepts_event(self, event: Any) -> bool:
        if not isinstance(event, dict) or not isinstance(event.get("event"), str):
            return False
        name = event["event"]
        validator = self._item_validators.get(name)
        if validator is None:
            if len(self._item_validators) >= MAX_EVENT_TYPES:
                return False
            candidates = self._by_type.get(name, []) + self._untyped
            validator = self._cls({**self._item_base, "oneOf": candidates})
            self._item_validators[name] = validator
        return bool(validator.is_valid(event))


#: Distinct event type names remembered; beyond this the full validation decides.
MAX_EVENT_TYPES = 64


def _event_const(branch: Any) -> str | None:
    """The ``const`` a branch requires of ``event`` (None if it requires none or not simply)."""
    try:
        const = branch["properties"]["event"]["const"]
    except (KeyError, TypeError):
        return None
    return const if isinstance(const, str) else None
