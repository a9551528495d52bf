"""Submitting a confirmed complaint, and telling the resident exactly where it stands.

The complaint goes through the outbox (``actions.complaints_outbox``): stored
first, then posted to Open311 with an idempotency key made from the confirming
turn, so a retried action or a double tap never files it twice and an outage
never loses it. The reply depends on the outcome: a ticket number and due date,
a local reference while the city's system is down, or the truth about a refusal.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue import locale_for, phrase
from actions.city import city_services
from actions.clients.errors import CityServiceError
from actions.clients.open311 import ComplaintSubmission, ServiceRequest
from actions.complaints import categories
from actions.complaints.address import place_told
from actions.complaints.form import (
    ANSWERED,
    ATTRIBUTES,
    CANCELLED,
    CATEGORY,
    CONFIRMATION,
    CONFIRMED,
    DESCRIPTION,
    FORM_SLOTS,
    LAT,
    LOCATION,
    LONG,
    NO_PHONE,
    PHONE,
    summary_values,
)
from actions.complaints.intent_words import also_reports, looks_like_question
from actions.complaints.references import unique
from actions.complaints.second_problem import SET_ASIDE, quoted
from actions.complaints.status import asked_references
from actions.complaints.text import fold
from actions.complaints.tokens import settle_token, token_of
from actions.complaints_outbox import OutboxRecord, OutboxStatus, submission_key
from actions.dates import format_date
from actions.last_prompt import last_response
from actions.latest_message import intent_of, text_of
from bot.language.mixed_script import mixed_pattern

logger = logging.getLogger(__name__)

TICKETS_SLOT = "complaint_tickets"


def submission_from(slots: Dict[str, Any]) -> ComplaintSubmission:
    """The Open311 request for the form's slots (the resident's words as they gave them)."""
    lat, long = slots.get(LAT), slots.get(LONG)
    phone = slots.get(PHONE)
    code = str(slots.get(CATEGORY) or "other")
    stored = slots.get(ATTRIBUTES)
    answers = (
        stored.get("answers") if isinstance(stored, dict) and stored.get("service") == code else {}
    )
    return ComplaintSubmission(
        service_code=code,
        attributes=dict(answers or {}),
        description=str(slots.get(DESCRIPTION) or ""),
        address_string=str(slots.get(LOCATION) or ""),
        lat=float(lat) if lat is not None else None,
        long=float(long) if long is not None else None,
        phone=str(phone) if phone and phone != NO_PHONE else "",
    )


def confirming_turn(tracker: Tracker) -> str:
    """Identifies the message that confirmed the complaint (the idempotency key's seed)."""
    message = tracker.latest_message or {}
    if message.get("message_id"):
        return str(message["message_id"])
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return f"{event.get('timestamp')}:{event.get('text')}"
    return "no-turn"


#: The form that files a report (domain.yml).
FORM_NAME = "complaint_form"
#: The answer to a question asked in the same message as a cancel, by its intent: the
#: actions the rules in ``data/`` give these intents (a test keeps the two in step).
ANSWER_AFTER_CANCELLING = {
    "permit_requirements": "action_permit_answer",
    "permit_fee": "action_permit_answer",
    "permit_processing_time": "action_permit_answer",
    "permit_apply": "action_permit_answer",
    "permit_status": "action_permit_status",
    "transit_next_departure": "action_transit_departures",
    "transit_route": "action_transit_route",
    "transit_fare": "action_transit_fare",
    "transit_alerts": "action_transit_alerts",
    "complaint_status": "action_complaint_status",
}


#: The phone question: confirmed right after it, the report was sent without the summary.
PHONE_QUESTION = "utter_ask_complaint_phone"


def language_of(tracker: Tracker) -> str | None:
    value = tracker.get_slot("language")
    return str(value) if value else None


def cleared_form() -> List[EventType]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


#: The next report is where the last one was: "next to it", "same place", "旁边", "同一个地方".
_SAME_PLACE = mixed_pattern(
    r"\bnext to it\b|\bby it\b|\bsame (?:place|spot|address|corner|block|location)\b"
    r"|\baround it\b|\bright there\b|旁边|隔壁|同一个地方|同一个位置|同一个地址|就在那|同一位置"
    r"|旁边嗰|隔篱|同个地址|同一地址|一样的地址|地址一样|同一处",
    re.IGNORECASE,
)


class ActionFileComplaint(Action):
    """Runs when the complaint form ends: submits a confirmed complaint, or confirms a cancel."""

    def name(self) -> str:
        return "action_file_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        decision = tracker.get_slot(CONFIRMATION)
        if decision == ANSWERED:
            return cleared_form()
        if decision == CANCELLED or decision != CONFIRMED:
            dispatcher.utter_message(response="utter_complaint_cancelled")
            if tracker.get_slot(SET_ASIDE):
                # The other problem told mid-report is not filed either; said, not lost.
                dispatcher.utter_message(
                    response="utter_complaint_set_aside_not_filed",
                    problem=quoted(str(tracker.get_slot(SET_ASIDE))),
                )
            # "算了不投诉了。福田口岸到罗湖怎么坐地铁": the question is answered next.
            intent = intent_of(tracker)
            # Only a question is answered: "那算了不报了，免得重复" read as a status question
            # (it names the hotline 12345) asks nothing.
            asks = looks_like_question(text_of(tracker)) or bool(asked_references(tracker))
            answer = ANSWER_AFTER_CANCELLING.get(str(intent)) if asks else None
            return [*cleared_form(), *([FollowupAction(answer)] if answer else [])]
        if last_response(tracker) == PHONE_QUESTION and tracker.get_slot(PHONE) == NO_PHONE:
            # Sent without the summary ("不留电话，确认" while the phone was asked): what
            # goes to the city is said once, so a wrong kind or place can still be told.
            shown = summary_values(tracker, await categories.load_services(language_of(tracker)))
            dispatcher.utter_message(
                response="utter_complaint_sent_as",
                category=shown["category"],
                location=shown["location"],
            )
        services = city_services()
        submission = submission_from(tracker.current_slot_values())
        key = submission_key(tracker.sender_id, confirming_turn(tracker))
        record = await services.outbox.submit(
            tracker.sender_id, key, submission, services.open311.submit
        )
        language = tracker.get_slot("language")
        said_before = len(dispatcher.messages)
        ticket = await self._tell_outcome(dispatcher, record, language)
        for message in dispatcher.messages[said_before:]:
            # Kept with the reply (the form is cleared now) for "同一个地址" in the next one.
            message["place"] = tracker.get_slot(LOCATION)
        if record.status is not OutboxStatus.REJECTED:
            services.watch.watch(
                record.local_ref,
                tracker.sender_id,
                tracker.get_latest_input_channel(),
                ticket.workflow_state if ticket else None,
            )
        filed = unique(
            [*(tracker.get_slot(TICKETS_SLOT) or []), record.ticket_id or record.local_ref]
        )
        events: List[EventType] = [*cleared_form(), SlotSet(TICKETS_SLOT, filed)]
        more = also_reports(text_of(tracker))
        if more:
            # "对。另外楼道里那个垃圾能一起报吗": this one is filed; the next report starts
            # with those words as its description.
            events += [SlotSet(DESCRIPTION, more)]
            place = tracker.get_slot(LOCATION)
            if place and _SAME_PLACE.search(more) and not place_told(more):
                # "… the trash, theres bags and a broken chair on the sidewalk next to it":
                # where the report just filed is.
                events.append(SlotSet(LOCATION, place))
            events.append(FollowupAction(FORM_NAME))
        elif tracker.get_slot(SET_ASIDE):
            # "哦还有，楼下那个垃圾桶也满了" told while this one was under way: its turn now.
            dispatcher.utter_message(
                response="utter_complaint_now_the_set_aside",
                problem=quoted(str(tracker.get_slot(SET_ASIDE))),
            )
            events += [SlotSet(DESCRIPTION, tracker.get_slot(SET_ASIDE)), FollowupAction(FORM_NAME)]
        return events

    async def _tell_outcome(
        self, dispatcher: CollectingDispatcher, record: OutboxRecord, language: str | None
    ) -> ServiceRequest | None:
        """Utter what happened; returns the ticket as the city sees it, when it could be read."""
        if record.status is OutboxStatus.REJECTED:
            dispatcher.utter_message(
                response="utter_complaint_rejected", local_ref=record.local_ref
            )
            return None
        if token_of(record) is not None:
            services = city_services()
            record = await settle_token(services.outbox, services.open311, record)
        if token_of(record) is not None:
            dispatcher.utter_message(
                response="utter_complaint_awaiting_number", local_ref=record.local_ref
            )
            return None
        if not record.delivered or not record.ticket_id:
            dispatcher.utter_message(response="utter_complaint_queued", local_ref=record.local_ref)
            return None
        try:
            ticket = await city_services().open311.request(record.ticket_id, locale_for(language))
        except CityServiceError as error:
            logger.info("ticket %s filed; reading it back failed: %s", record.ticket_id, error)
            dispatcher.utter_message(
                response="utter_complaint_filed_no_date", ticket=record.ticket_id
            )
            return None
        if ticket.expected_datetime is None:
            dispatcher.utter_message(
                response="utter_complaint_filed_no_date", ticket=record.ticket_id
            )
        else:
            dispatcher.utter_message(
                response="utter_complaint_filed",
                ticket=record.ticket_id,
                agency=ticket.agency_responsible or phrase("department", language),
                expected=format_date(
                    ticket.expected_datetime, language, city_services().settings.timezone
                ),
            )
        if ticket.service_notice.strip():
            dispatcher.utter_message(
                response="utter_complaint_notice", notice=ticket.service_notice.strip()
            )
        return ticket


class ActionClearComplaint(Action):
    """Starts a new complaint clean (slots carry over between sessions; old answers must not)."""

    def name(self) -> str:
        return "action_clear_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if all(tracker.get_slot(slot) is None for slot in FORM_SLOTS):
            return []
        return [*cleared_form(), *same_place_as_the_last(tracker)]


def same_place_as_the_last(tracker: Tracker) -> List[EventType]:
    """The place of the report just filed, when the next one is said to be there too.

    "垃圾那个也报一下，同一个地址" right after filing the noise report at 信义假日名城3栋:
    the new report starts at that address rather than asking for it again.
    """
    from actions.complaints.after_filing import just_filed, place_of_the_report_just_filed

    text = text_of(tracker)
    if not _SAME_PLACE.search(fold(text)) or place_told(text) or not just_filed(tracker):
        return []
    if tracker.get_slot(LOCATION):
        kept = (LOCATION, LAT, LONG)
        return [SlotSet(slot, tracker.get_slot(slot)) for slot in kept]
    # The form was cleared when the report was sent: its place went with the reply.
    place = place_of_the_report_just_filed(tracker)
    return [SlotSet(LOCATION, place)] if place else []
