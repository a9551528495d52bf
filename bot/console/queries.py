"""The conversation list's filters, read from a URL query and turned into SQL (no strings joined).

A reviewer's filters arrive as query parameters (``?language=zh&low_confidence=1``);
``filters_from`` validates each one (an unknown value is ignored, never an
error page), and ``conversation_query`` builds one SQLAlchemy ``SELECT`` over
the console's summary tables, so every value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, List, Mapping, Sequence

from sqlalchemy import and_, exists, func, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from bot.console import schema
from bot.console.search import query_terms

#: Dates a reviewer types are Shenzhen dates.
CITY_TIME = dt.timezone(dt.timedelta(hours=8))
PAGE_SIZE = 50
MAX_QUERY_TERMS = 12
TRUE_VALUES = ("1", "true", "on", "yes")


@dataclass(frozen=True)
class Filters:
    """What a reviewer narrowed the list to."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    language: str = ""
    intent: str = ""
    low_confidence: bool = False
    fallback: bool = False
    handoff: bool = False
    complaint: bool = False
    permit_status: bool = False
    review_status: str = ""
    tag: str = ""
    text: str = ""
    page: int = 1

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for links to the next page, exports)."""
        values: dict[str, str] = {}
        for name, value in self.__dict__.items():
            if name == "page" or value in (None, "", False):
                continue
            values[name] = "1" if value is True else str(value)
        return values

    def with_page(self, page: int) -> Filters:
        return replace(self, page=page)


def filters_from(args: Mapping[str, Any]) -> Filters:
    """Filters from query parameters; anything unreadable counts as not set."""

    def text(name: str, limit: int = 100) -> str:
        value = args.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        return str(value or "").strip()[:limit]

    def flag(name: str) -> bool:
        return text(name).lower() in TRUE_VALUES

    def date(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(text(name, 10))
        except ValueError:
            return None

    try:
        page = max(1, min(int(text("page", 6) or 1), 100_000))
    except ValueError:
        page = 1
    review = text("review_status")
    return Filters(
        date_from=date("date_from"),
        date_to=date("date_to"),
        channel=text("channel", 64),
        language=text("language", 16),
        intent=text("intent", 255),
        low_confidence=flag("low_confidence"),
        fallback=flag("fallback"),
        handoff=flag("handoff"),
        complaint=flag("complaint"),
        permit_status=flag("permit_status"),
        review_status=review if review in schema.REVIEW_STATUSES else "",
        tag=text("tag", 64),
        text=text("text", 200),
        page=page,
    )


def day_start(day: dt.date) -> float:
    """Epoch seconds at 00:00 Shenzhen time on ``day``."""
    return dt.datetime.combine(day, dt.time(), CITY_TIME).timestamp()


def conversation_query(filters: Filters, low_confidence: float) -> Select:
    """The conversations matching ``filters``, newest activity first."""
    table = schema.conversations
    conditions: List[Any] = []
    if filters.date_from:
        conditions.append(table.c.last_event_at >= day_start(filters.date_from))
    if filters.date_to:
        conditions.append(table.c.started_at < day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.channel:
        conditions.append(table.c.channel == filters.channel)
    if filters.language:
        conditions.append(table.c.language == filters.language)
    if filters.low_confidence:
        conditions.append(table.c.min_confidence < low_confidence)
    if filters.fallback:
        conditions.append(table.c.had_fallback.is_(True))
    if filters.handoff:
        conditions.append(table.c.handoff_requested.is_(True))
    if filters.complaint:
        conditions.append(table.c.complaint_filed.is_(True))
    if filters.permit_status:
        conditions.append(table.c.permit_status_checked.is_(True))
    if filters.review_status:
        conditions.append(table.c.review_status == filters.review_status)
    if filters.intent:
        intents = schema.conversation_intents
        conditions.append(
            exists().where(
                intents.c.sender_id == table.c.sender_id, intents.c.intent == filters.intent
            )
        )
    if filters.tag:
        tags = schema.tags
        conditions.append(
            exists().where(tags.c.sender_id == table.c.sender_id, tags.c.tag == filters.tag)
        )
    terms = schema.search_terms
    for term in query_terms(filters.text)[:MAX_QUERY_TERMS]:
        conditions.append(
            exists().where(terms.c.sender_id == table.c.sender_id, terms.c.term == term)
        )
    return (
        select(table)
        .where(and_(true(), *conditions))
        .order_by(table.c.last_event_at.desc(), table.c.sender_id)
    )


@dataclass(frozen=True)
class Page:
    """One page of the list."""

    rows: Sequence[Any]
    number: int
    has_next: bool


def list_conversations(
    connection: Connection, filters: Filters, low_confidence: float, page_size: int = PAGE_SIZE
) -> Page:
    """A page of matching conversations (one row more is read to know whether more follow)."""
    query = conversation_query(filters, low_confidence)
    offset = (filters.page - 1) * page_size
    rows = connection.execute(query.limit(page_size + 1).offset(offset)).all()
    return Page(rows=rows[:page_size], number=filters.page, has_next=len(rows) > page_size)


def tags_of(connection: Connection, sender_ids: Sequence[str]) -> dict[str, list[str]]:
    """Tags per conversation, for a page of the list."""
    found: dict[str, list[str]] = {sender: [] for sender in sender_ids}
    if not sender_ids:
        return found
    tags = schema.tags
    for row in connection.execute(
        select(tags.c.sender_id, tags.c.tag)
        .where(tags.c.sender_id.in_(list(sender_ids)))
        .order_by(tags.c.tag)
    ):
        found[row.sender_id].append(row.tag)
    return found


def choices(connection: Connection) -> dict[str, list[str]]:
    """Values for the filter drop-downs: channels, languages, intents and tags in use."""
    conversations = schema.conversations

    def distinct(column: Any) -> list[str]:
        return [
            value
            for value in connection.execute(select(column).distinct().order_by(column)).scalars()
            if value
        ]

    return {
        "channels": distinct(conversations.c.channel),
        "languages": distinct(conversations.c.language),
        "intents": distinct(schema.conversation_intents.c.intent),
        "tags": distinct(schema.tags.c.tag),
    }


def count_all(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(schema.conversations)).scalar())
