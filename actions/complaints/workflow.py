"""Where a ticket is in the 12345 workflow, from what an Open311 server says.

Open311 itself knows only ``open`` and ``closed``. Servers that follow the 12345
workflow put the step in ``extended_attributes.workflow_state``; others do not,
and then the plain status is all a resident can be told.
"""

from __future__ import annotations

#: Steps of the 12345 workflow, in order.
STAGES = ("accepted", "dispatched", "in_progress", "resolved", "closed")


def stage_key(status: str | None, workflow_state: str | None) -> str:
    """The catalogue key (``stage.…``) describing a ticket's state."""
    state = (workflow_state or "").strip().lower()
    if state in STAGES:
        return f"stage.{state}"
    if (status or "").strip().lower() == "closed":
        return "stage.closed"
    if (status or "").strip().lower() == "open":
        return "stage.open"
    return "stage.unknown"


def is_finished(status: str | None, workflow_state: str | None) -> bool:
    """Nothing more will happen to the ticket."""
    return (status or "").lower() == "closed" or (workflow_state or "").lower() == "closed"
