"""An action that fails still answers the resident.

rasa_sdk turns an exception inside an action into HTTP 500, Rasa logs it, and the
resident gets no reply at all: silence, which reads as being ignored. A bug will slip
through somewhere (a question handed between two actions until Python's recursion
limit did, on a São Paulo conversation), so every action call that raises is answered
with the service-trouble reply and the hotline instead, and logged in full for staff.
Rejections (a form's validation) and unknown actions keep rasa_sdk's own handling.
"""

from __future__ import annotations

import logging
from typing import Any, Dict

from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

logger = logging.getLogger(__name__)

#: What the resident is told when an action fails: the system is not answering right
#: now, try again or call the hotline.
FALLBACK_RESPONSE = "utter_service_unavailable"


def failed_call_reply() -> Dict[str, Any]:
    """The action server's answer for a call whose action raised: no events, one reply."""
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response=FALLBACK_RESPONSE)
    return {"events": [], "responses": dispatcher.messages}


def install() -> None:
    """Make every ``ActionExecutor.run`` answer instead of raising (once per process)."""
    original = ActionExecutor.run
    if getattr(original, "failsafe", False):
        return

    async def run(self: ActionExecutor, action_call: Any) -> Dict[str, Any] | None:
        try:
            return await original(self, action_call)
        except (ActionExecutionRejection, ActionNotFoundException):
            raise
        except Exception:  # noqa: BLE001 - any bug: the resident is answered, staff see it
            logger.exception("action %s failed", (action_call or {}).get("next_action"))
            return failed_call_reply()

    run.failsafe = True  # type: ignore[attr-defined]
    ActionExecutor.run = run
