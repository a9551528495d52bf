"""One place that turns a city-service failure into what the resident is told.

Clients raise :class:`ServiceUnavailable`, :class:`NotFound` or :class:`Rejected`;
actions hand the exception to :func:`utter_service_error`, which picks the
response (English / 简体 / 繁體 via the language slot and the NLG) and logs the
technical detail for staff — never shown to the resident.
"""

from __future__ import annotations

import logging

from rasa_sdk.executor import CollectingDispatcher

from actions.clients.errors import CityServiceError, NotFound, Rejected, ServiceUnavailable

logger = logging.getLogger(__name__)

RESPONSES: dict[type[CityServiceError], str] = {
    ServiceUnavailable: "utter_service_unavailable",
    NotFound: "utter_service_not_found",
    Rejected: "utter_service_rejected",
}


def response_for(error: CityServiceError) -> str:
    """The response name for a failure (an unknown kind counts as unavailable)."""
    for kind, response in RESPONSES.items():
        if isinstance(error, kind):
            return response
    return "utter_service_unavailable"


def utter_service_error(dispatcher: CollectingDispatcher, error: CityServiceError) -> None:
    """Tell the resident what the failure means for them; log what it was."""
    logger.warning("city service %s failed: %s", error.service, error)
    dispatcher.utter_message(response=response_for(error))
