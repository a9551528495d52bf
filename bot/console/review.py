"""What reviewers do to a conversation: tag, note, mark reviewed, correct a message, unmask.

Each function runs in the caller's transaction and writes its audit entry in
the same one, so a change and its record land (or fail) together.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, List, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from bot.console import audit, schema
from bot.console.annotations import check_same_words
from bot.console.auth import StaffUser, now
from bot.console.transcripts import UserTurn

TAG = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff .-]{0,63}$")
MAX_NOTE_CHARS = 4000
MIN_REASON_CHARS = 10


class ReviewError(ValueError):
    """A review action that cannot be done as asked; the message says why."""


def add_tag(connection: Connection, user: StaffUser, sender_id: str, tag: str) -> None:
    tag = tag.strip()
    if not TAG.match(tag):
        raise ReviewError("A tag is 1-64 letters, digits, spaces, dots or dashes.")
    exists = connection.execute(
        select(schema.tags.c.tag).where(
            schema.tags.c.sender_id == sender_id, schema.tags.c.tag == tag
        )
    ).first()
    if exists:
        return
    connection.execute(
        schema.tags.insert().values(
            sender_id=sender_id, tag=tag, created_by=user.username, created_at=now()
        )
    )
    audit.record(connection, user.username, audit.TAG, sender_id, {"added": tag})


def remove_tag(connection: Connection, user: StaffUser, sender_id: str, tag: str) -> None:
    connection.execute(
        schema.tags.delete().where(schema.tags.c.sender_id == sender_id, schema.tags.c.tag == tag)
    )
    audit.record(connection, user.username, audit.TAG, sender_id, {"removed": tag[:64]})


def add_note(connection: Connection, user: StaffUser, sender_id: str, text: str) -> None:
    text = text.strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise ReviewError(f"A note is 1 to {MAX_NOTE_CHARS} characters.")
    connection.execute(
        schema.notes.insert().values(
            sender_id=sender_id, author=user.username, text=text, created_at=now()
        )
    )
    audit.record(connection, user.username, audit.NOTE, sender_id)


def set_review_status(connection: Connection, user: StaffUser, sender_id: str, status: str) -> None:
    if status not in schema.REVIEW_STATUSES:
        raise ReviewError(f"A review status is one of {', '.join(schema.REVIEW_STATUSES)}.")
    reviewed = status == schema.REVIEWED
    connection.execute(
        schema.conversations.update()
        .where(schema.conversations.c.sender_id == sender_id)
        .values(
            review_status=status,
            reviewed_by=user.username if reviewed else None,
            reviewed_at=now() if reviewed else None,
        )
    )
    audit.record(connection, user.username, audit.REVIEW, sender_id, {"status": status})


def correct(
    connection: Connection,
    user: StaffUser,
    sender_id: str,
    message: UserTurn,
    intent: str,
    annotated: str,
    known_intents: Sequence[str],
) -> None:
    """Record the intent and entities ``message`` should have had (replacing an earlier one)."""
    if intent not in known_intents:
        raise ReviewError(f"Unknown intent {intent!r}: pick one of the assistant's intents.")
    entities = check_same_words(message.text, annotated or message.text)
    corrections = schema.corrections
    connection.execute(corrections.delete().where(corrections.c.event_id == message.event_id))
    connection.execute(
        corrections.insert().values(
            event_id=message.event_id,
            sender_id=sender_id,
            text=message.text,
            language=message.language or "",
            predicted_intent=message.intent,
            predicted_confidence=message.confidence,
            intent=intent,
            entities=json.dumps(entities, ensure_ascii=False),
            corrected_by=user.username,
            corrected_at=now(),
        )
    )
    audit.record(
        connection,
        user.username,
        audit.CORRECT,
        sender_id,
        {"event_id": message.event_id, "from": message.intent, "to": intent},
    )


def corrections_of(connection: Connection, sender_id: str | None = None) -> List[Any]:
    table = schema.corrections
    query = select(table).order_by(table.c.corrected_at.desc())
    if sender_id is not None:
        query = query.where(table.c.sender_id == sender_id)
    return list(connection.execute(query))


def unmask(
    connection: Connection, user: StaffUser, sender_id: str, reason: str, minutes: int
) -> None:
    """Let an admin see one conversation's personal data for ``minutes``, with a stated reason."""
    if not user.is_admin:
        raise ReviewError("Only an admin can show personal data.")
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ReviewError(f"State the reason (at least {MIN_REASON_CHARS} characters).")
    connection.execute(
        schema.unmask_grants.insert().values(
            username=user.username,
            sender_id=sender_id,
            reason=reason[:1000],
            granted_at=now(),
            expires_at=now() + dt.timedelta(minutes=minutes),
        )
    )
    audit.record(connection, user.username, audit.UNMASK, sender_id, {"reason": reason[:1000]})


def unmasked_for(connection: Connection, user: StaffUser, sender_id: str) -> bool:
    """Whether ``user`` holds a live unmask grant for this conversation."""
    if not user.is_admin:
        return False
    grants = schema.unmask_grants
    rows = connection.execute(
        select(grants.c.expires_at).where(
            grants.c.username == user.username, grants.c.sender_id == sender_id
        )
    ).scalars()
    current = now()
    return any(
        (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)) > current
        for moment in rows
    )


def notes_of(connection: Connection, sender_id: str) -> List[Mapping[str, Any]]:
    table = schema.notes
    return list(
        connection.execute(
            select(table).where(table.c.sender_id == sender_id).order_by(table.c.created_at)
        )
    )
