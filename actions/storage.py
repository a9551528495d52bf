"""The action server's own database (outbox and watch tables): one way to open it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url


def engine_for(database_url: str) -> Engine:
    """An engine on any SQLAlchemy URL; a SQLite file's folder is created if missing."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(database_url, future=True, pool_pre_ping=True)
