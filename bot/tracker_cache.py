"""The conversations this Rasa process saved last, lent to their next message.

Loading a conversation costs a Rasa server about a sixth of its CPU per message on
PostgreSQL (docs/benchmarks.md, "What was changed"): three queries, then every loaded
event parsed from JSON and replayed into a new tracker. Yet the next message of a
conversation usually finds, in this very process, the tracker it saved a few seconds
earlier. That tracker is kept here and handed back when the database shows that
nothing was written for the conversation since (its newest ``events.id`` is the one
this process wrote last): one indexed ``max(id)`` query instead of a load.

Rules that keep this safe with several Rasa instances and with Rasa's HTTP API:

* **One holder at a time.** :meth:`LentTrackers.take` removes the tracker; only a
  save puts one back. A read that comes while a message holds the tracker (the HTTP
  API reads without the conversation's lock) finds nothing here and loads from the
  database, so two requests never share one tracker object.
* **The database decides.** Another instance that answered a message of the same
  conversation wrote events, so the newest id differs and the tracker is loaded
  afresh; so does a conversation deleted by the retention job.
* **Bounded.** At most ``size`` conversations, each for ``idle_seconds`` after its
  save (personal data stays no longer in memory than a resident's pause between
  messages needs), and a tracker whose snapshot just moved, or whose conversation just
  began a new session, is not kept: loading it from the database cuts it back to its
  window or its session, as a tracker loaded any other time, so a long conversation
  stays as cheap as a short one (bot/tracker_window.py).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Conversations kept, and for how long after their last save, unless configured.
DEFAULT_SIZE = 500
DEFAULT_IDLE_SECONDS = 300.0


@dataclass(frozen=True)
class Lent:
    """A saved tracker, the newest event row it knows of, and the domain it was built on."""

    tracker: Any
    last_event_id: int
    domain: Any
    saved_at: float


class LentTrackers:
    """Saved trackers by conversation id, least recently saved first out."""

    def __init__(
        self,
        size: int = DEFAULT_SIZE,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = max(0, int(size))
        self.idle_seconds = float(idle_seconds)
        self._clock = clock
        self._kept: OrderedDict[str, Lent] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def put(self, sender_id: str, tracker: Any, last_event_id: int, domain: Any) -> None:
        """Keep ``tracker`` for the next message of ``sender_id``."""
        if self.size == 0:
            return
        self._kept.pop(sender_id, None)
        self._kept[sender_id] = Lent(tracker, last_event_id, domain, self._clock())
        self._forget_idle()
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def take(self, sender_id: str) -> Lent | None:
        """The kept tracker of ``sender_id``, no longer kept; None when there is none."""
        self._forget_idle()
        return self._kept.pop(sender_id, None)

    def drop(self, sender_id: str) -> None:
        self._kept.pop(sender_id, None)

    def _forget_idle(self) -> None:
        oldest_allowed = self._clock() - self.idle_seconds
        while self._kept:
            sender_id, lent = next(iter(self._kept.items()))
            if lent.saved_at >= oldest_allowed:
                return
            del self._kept[sender_id]
