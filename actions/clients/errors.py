"""What can go wrong when the assistant talks to a city service.

Actions catch these three and tell the resident, in their language, what it
means for them; they never show a traceback or a raw HTTP status.
"""

from __future__ import annotations


class CityServiceError(Exception):
    """Base class: a city service could not give the answer asked for."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.message = message


class ServiceUnavailable(CityServiceError):
    """The service did not answer in time, refused the connection or failed (5xx).

    The request may or may not have reached the service; callers that change
    state (filing a complaint) must treat the outcome as unknown.
    """


class NotConfigured(CityServiceError):
    """The city runs no such service for the assistant (its URL is set to none).

    Not a failure to retry: a city without a permit system says so once, and residents
    are sent to its hotline and portal instead of "try again in a few minutes".
    """


class NotFound(CityServiceError):
    """The service answered that the thing asked for does not exist (404)."""


class Rejected(CityServiceError):
    """The service refused the request as invalid or unauthorised (4xx other than 404).

    Retrying the same request will not help; ``status`` and ``detail`` say why.
    """

    def __init__(self, service: str, message: str, status: int, detail: str = "") -> None:
        super().__init__(service, message)
        self.status = status
        self.detail = detail
