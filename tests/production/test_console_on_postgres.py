"""The staff console on PostgreSQL: migrations, index, filters, search, audit log, retention."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from bot.console import audit, auth, schema
from bot.console.database import migrate
from bot.console.indexer import Indexer, events
from bot.console.queries import Filters, list_conversations
from bot.console.retention import apply_retention
from tests.factories.conversations import T0, Conversation, store


def conversations() -> list[Conversation]:
    return [
        Conversation("pg-light").user("福华三路的路灯坏了", "complaint_file", confidence=0.45),
        Conversation("pg-fare", channel="wechat").user(
            "how much to Luohu", "transit_fare", language="en"
        ),
        Conversation("pg-old", at=T0 - 400 * 86400).user("护照怎么办", "permit_apply"),
    ]


def test_console_tables_are_created_by_migration_next_to_rasas(postgres_engine: Engine) -> None:
    store(postgres_engine, [])
    migrate(postgres_engine)
    migrate(postgres_engine)  # a second run changes nothing
    tables = set(inspect(postgres_engine).get_table_names())
    assert {
        "events",
        "console_conversations",
        "console_audit_log",
        "console_alembic_version",
    } <= tables
    assert not [t for t in tables if t.startswith("alembic")], (
        "no generic alembic table in Rasa's DB"
    )


def test_index_filters_and_chinese_search_on_postgres(postgres_engine: Engine) -> None:
    migrate(postgres_engine)
    store(postgres_engine, conversations())
    Indexer(postgres_engine, postgres_engine).run()
    with postgres_engine.connect() as connection:

        def found(filters: Filters) -> list[str]:
            return [r.sender_id for r in list_conversations(connection, filters, 0.6).rows]

        assert found(Filters(low_confidence=True, language="zh")) == ["pg-light"]
        assert found(Filters(text="路灯")) == ["pg-light"]
        assert found(Filters(channel="wechat", text="luohu")) == ["pg-fare"]
        assert found(Filters(intent="permit_apply")) == ["pg-old"]


def test_audit_log_is_append_only_on_postgres(postgres_engine: Engine) -> None:
    migrate(postgres_engine)
    with postgres_engine.begin() as connection:
        auth.create_user(
            connection, "chen", "correct-horse-battery", schema.ADMIN, created_by="test"
        )
    for statement in (
        "UPDATE console_audit_log SET username = 'x'",
        "DELETE FROM console_audit_log",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            postgres_engine.begin() as connection,
        ):
            connection.execute(text(statement))


def test_retention_on_postgres(postgres_engine: Engine) -> None:
    migrate(postgres_engine)
    store(postgres_engine, conversations())
    Indexer(postgres_engine, postgres_engine).run()
    result = apply_retention(postgres_engine, postgres_engine, days=180, now=T0 + 60)
    assert result.conversations == 1
    with postgres_engine.connect() as connection:
        left = set(connection.execute(select(events.c.sender_id).distinct()).scalars())
        indexed = set(connection.execute(select(schema.conversations.c.sender_id)).scalars())
        assert left == indexed == {"pg-light", "pg-fare"}
        assert audit.recent(connection)[0].action == audit.RETENTION
