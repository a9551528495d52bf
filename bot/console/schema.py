"""The staff console's own tables, next to (never inside) Rasa's ``events`` table.

Rasa's SQL tracker store keeps one row per event. Listing and filtering 100,000
conversations straight from 2,000,000 event rows would mean parsing JSON per
request, so the console keeps a summary row per conversation
(``console_conversations``), the intents seen in it and a search index of its
messages, all filled incrementally by ``bot.console.indexer`` from the events.
Everything staff add (users, tags, notes, reviews, corrections, the audit log)
lives here too. The tables are created by the Alembic migrations in
``bot/console/migrations``; this module is the one description the code and
the migrations share.

Conversation times are epoch seconds (floats), as in Rasa's events, so a date
filter compares numbers in both; the console's own records use timestamps
with a time zone.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

#: Alembic's own bookkeeping table for the console (Rasa has none; the name says whose it is).
VERSION_TABLE = "console_alembic_version"

REVIEWER = "reviewer"
ADMIN = "admin"
ROLES = (REVIEWER, ADMIN)

NOT_REVIEWED = "new"
REVIEWED = "reviewed"
REVIEW_STATUSES = (NOT_REVIEWED, REVIEWED)

users = Table(
    "console_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "console_sessions",
    metadata,
    # Only a hash of the cookie's token is stored: a leaked table opens no session.
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("console_users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

login_attempts = Table(
    "console_login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_console_login_attempts_username_at", "username", "at"),
    Index("ix_console_login_attempts_client_at", "client", "at"),
)

conversations = Table(
    "console_conversations",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("channel", String(64), nullable=False, default=""),
    Column("language", String(16), nullable=False, default=""),
    Column("started_at", Float, nullable=False),
    Column("last_event_at", Float, nullable=False),
    Column("last_event_id", Integer, nullable=False),
    Column("user_messages", Integer, nullable=False, default=0),
    Column("min_confidence", Float),
    Column("had_fallback", Boolean, nullable=False, default=False),
    Column("handoff_requested", Boolean, nullable=False, default=False),
    Column("handoff_at", Float),
    Column("complaint_filed", Boolean, nullable=False, default=False),
    Column("permit_status_checked", Boolean, nullable=False, default=False),
    Column("api_errors", Integer, nullable=False, default=0),
    Column("first_message", Text, nullable=False, default=""),
    Column("review_status", String(16), nullable=False, default=NOT_REVIEWED),
    Column("reviewed_by", String(64)),
    Column("reviewed_at", DateTime(timezone=True)),
    Index("ix_console_conversations_last_event_at", "last_event_at"),
    Index("ix_console_conversations_started_at", "started_at"),
    Index("ix_console_conversations_language_last", "language", "last_event_at"),
    Index("ix_console_conversations_channel_last", "channel", "last_event_at"),
    Index("ix_console_conversations_min_confidence", "min_confidence"),
    Index("ix_console_conversations_handoff", "handoff_requested", "handoff_at"),
    Index("ix_console_conversations_review", "review_status", "last_event_at"),
)

conversation_intents = Table(
    "console_conversation_intents",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("intent", String(255), primary_key=True),
    Column("count", Integer, nullable=False, default=0),
    Index("ix_console_conversation_intents_intent", "intent", "sender_id"),
)

search_terms = Table(
    "console_search_terms",
    metadata,
    # Built from the redacted text: searching cannot find a phone number or an ID.
    Column("term", String(64), primary_key=True),
    Column("sender_id", String(255), primary_key=True),
    Index("ix_console_search_terms_sender", "sender_id"),
)

tags = Table(
    "console_tags",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("tag", String(64), primary_key=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_console_tags_tag", "tag", "sender_id"),
)

notes = Table(
    "console_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("author", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

corrections = Table(
    "console_corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    # The tracker store's event row: one correction per message, the latest wins.
    Column("event_id", Integer, nullable=False),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("language", String(16), nullable=False, default=""),
    Column("predicted_intent", String(255)),
    Column("predicted_confidence", Float),
    Column("intent", String(255), nullable=False),
    Column("entities", Text, nullable=False, default="[]"),
    Column("corrected_by", String(64), nullable=False),
    Column("corrected_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", name="uq_console_corrections_event_id"),
)

unmask_grants = Table(
    "console_unmask_grants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("sender_id", String(255), nullable=False),
    Column("reason", Text, nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_console_unmask_grants_user_sender", "username", "sender_id"),
)

audit_log = Table(
    "console_audit_log",
    metadata,
    # Append-only: the migration adds triggers that refuse UPDATE and DELETE.
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("username", String(64), nullable=False),
    Column("action", String(32), nullable=False, index=True),
    Column("target", String(255), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
)

index_state = Table(
    "console_index_state",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)
