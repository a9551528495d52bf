"""The console's tables: users, sessions, conversation index, review work, audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("console_users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_table(
        "console_login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
    )
    op.create_index(
        "ix_console_login_attempts_username_at", "console_login_attempts", ["username", "at"]
    )
    op.create_index(
        "ix_console_login_attempts_client_at", "console_login_attempts", ["client", "at"]
    )
    op.create_table(
        "console_conversations",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("last_event_at", sa.Float, nullable=False),
        sa.Column("last_event_id", sa.Integer, nullable=False),
        sa.Column("user_messages", sa.Integer, nullable=False),
        sa.Column("min_confidence", sa.Float),
        sa.Column("had_fallback", sa.Boolean, nullable=False),
        sa.Column("handoff_requested", sa.Boolean, nullable=False),
        sa.Column("handoff_at", sa.Float),
        sa.Column("complaint_filed", sa.Boolean, nullable=False),
        sa.Column("permit_status_checked", sa.Boolean, nullable=False),
        sa.Column("api_errors", sa.Integer, nullable=False),
        sa.Column("first_message", sa.Text, nullable=False),
        sa.Column("review_status", sa.String(16), nullable=False),
        sa.Column("reviewed_by", sa.String(64)),
        sa.Column("reviewed_at", TZ),
    )
    for name, columns in {
        "ix_console_conversations_last_event_at": ["last_event_at"],
        "ix_console_conversations_started_at": ["started_at"],
        "ix_console_conversations_language_last": ["language", "last_event_at"],
        "ix_console_conversations_channel_last": ["channel", "last_event_at"],
        "ix_console_conversations_min_confidence": ["min_confidence"],
        "ix_console_conversations_handoff": ["handoff_requested", "handoff_at"],
        "ix_console_conversations_review": ["review_status", "last_event_at"],
    }.items():
        op.create_index(name, "console_conversations", columns)
    op.create_table(
        "console_conversation_intents",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("intent", sa.String(255), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_console_conversation_intents_intent",
        "console_conversation_intents",
        ["intent", "sender_id"],
    )
    op.create_table(
        "console_search_terms",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("sender_id", sa.String(255), primary_key=True),
    )
    op.create_index("ix_console_search_terms_sender", "console_search_terms", ["sender_id"])
    op.create_table(
        "console_tags",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("tag", sa.String(64), primary_key=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_console_tags_tag", "console_tags", ["tag", "sender_id"])
    op.create_table(
        "console_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_console_notes_sender_id", "console_notes", ["sender_id"])
    op.create_table(
        "console_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("predicted_intent", sa.String(255)),
        sa.Column("predicted_confidence", sa.Float),
        sa.Column("intent", sa.String(255), nullable=False),
        sa.Column("entities", sa.Text, nullable=False),
        sa.Column("corrected_by", sa.String(64), nullable=False),
        sa.Column("corrected_at", TZ, nullable=False),
        sa.UniqueConstraint("event_id", name="uq_console_corrections_event_id"),
    )
    op.create_index("ix_console_corrections_sender_id", "console_corrections", ["sender_id"])
    op.create_table(
        "console_unmask_grants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("granted_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_index(
        "ix_console_unmask_grants_user_sender", "console_unmask_grants", ["username", "sender_id"]
    )
    op.create_table(
        "console_audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_console_audit_log_at", "console_audit_log", ["at"])
    op.create_index("ix_console_audit_log_action", "console_audit_log", ["action"])
    op.create_table(
        "console_index_state",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    """Refuse UPDATE and DELETE on the audit log in the database itself, not only in our code."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER console_audit_log_no_{verb.lower()} BEFORE {verb} "
                "ON console_audit_log BEGIN "
                "SELECT RAISE(ABORT, 'the console audit log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION console_audit_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the console audit log is append-only'; END; "
            "$$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER console_audit_log_append_only BEFORE UPDATE OR DELETE "
            "ON console_audit_log FOR EACH ROW EXECUTE FUNCTION console_audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS console_audit_log_append_only ON console_audit_log")
        op.execute("DROP FUNCTION IF EXISTS console_audit_log_append_only()")
    for table in (
        "console_index_state",
        "console_audit_log",
        "console_unmask_grants",
        "console_corrections",
        "console_notes",
        "console_tags",
        "console_search_terms",
        "console_conversation_intents",
        "console_conversations",
        "console_login_attempts",
        "console_sessions",
        "console_users",
    ):
        op.drop_table(table)
