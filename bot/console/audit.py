"""The append-only audit log: who logged in, unmasked, exported, corrected, deleted what, and when.

Rows are only ever inserted; the migration adds database triggers that refuse
UPDATE and DELETE, so not even a bug (or a retention run) can rewrite history.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from bot.console import schema

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_BLOCKED = "login_blocked"
LOGIN_UNLOCKED = "login_unlocked"
LOGOUT = "logout"
UNMASK = "unmask"
EXPORT_NLU = "export_nlu"
EXPORT_CSV = "export_csv"
CORRECT = "correct"
REVIEW = "review"
TAG = "tag"
NOTE = "note"
USER_CREATED = "user_created"
RETENTION = "retention"


def record(
    connection: Connection,
    username: str,
    action: str,
    target: str = "",
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry (in the caller's transaction, so it lands with what it records)."""
    connection.execute(
        schema.audit_log.insert().values(
            at=dt.datetime.now(dt.timezone.utc),
            username=username[:64],
            action=action,
            target=target[:255],
            detail=json.dumps(dict(detail or {}), ensure_ascii=False, default=str),
        )
    )


def recent(connection: Connection, limit: int = 200, action: str = "") -> Sequence[Any]:
    """The latest entries, newest first."""
    log = schema.audit_log
    query = select(log).order_by(log.c.id.desc()).limit(limit)
    if action:
        query = query.where(log.c.action == action)
    return connection.execute(query).all()
