"""A failing city service becomes a clear response, never a traceback."""

from rasa_sdk.executor import CollectingDispatcher

from actions.clients.errors import CityServiceError, NotFound, Rejected, ServiceUnavailable
from actions.service_errors import response_for, utter_service_error


def test_each_kind_of_failure_has_its_own_response():
    assert response_for(ServiceUnavailable("open311", "timed out")) == "utter_service_unavailable"
    assert response_for(NotFound("permits", "no PA00000000")) == "utter_service_not_found"
    assert response_for(Rejected("open311", "bad key", status=403)) == "utter_service_rejected"
    assert response_for(CityServiceError("gtfs", "odd")) == "utter_service_unavailable"


def test_the_resident_gets_the_response_not_the_technical_detail():
    dispatcher = CollectingDispatcher()
    utter_service_error(dispatcher, Rejected("open311", "HTTP 403 invalid api_key", status=403))
    assert dispatcher.messages == [
        {
            "text": None,
            "buttons": [],
            "elements": [],
            "custom": {},
            "template": "utter_service_rejected",
            "response": "utter_service_rejected",
            "image": None,
            "attachment": None,
        }
    ]
