"""Alembic environment for the console's tables (run by ``bot.console.database.migrate``)."""

from __future__ import annotations

from alembic import context

from bot.console.schema import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    # Only our tables: Rasa's events table lives in the same database.
    include_name=lambda name, type_, _parent: type_ != "table" or str(name).startswith("console_"),
)
with context.begin_transaction():
    context.run_migrations()
