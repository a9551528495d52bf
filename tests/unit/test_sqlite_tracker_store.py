"""The default (SQLite) tracker store keeps its connections and writes ahead of a log."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import pool, text

from bot.tracker_store import ResilientSQLTrackerStore


def sqlite_store(path: Path) -> ResilientSQLTrackerStore:
    return ResilientSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))


def test_connections_are_pooled_in_write_ahead_log_mode(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path / "conversations.db")
    assert isinstance(store.engine.pool, pool.QueuePool)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


async def test_what_one_store_saves_another_process_reads_at_once(tmp_path: Path) -> None:
    """The console and a second Rasa read the same file while the first keeps writing."""
    path = tmp_path / "conversations.db"
    writer, reader = sqlite_store(path), sqlite_store(path)
    tracker = DialogueStateTracker("wechat-o123", slots=[])
    for number in range(3):
        tracker.update(UserUttered(f"路灯坏了 {number}"))
        await writer.save(tracker)
        stored = await reader.retrieve("wechat-o123")
        assert stored is not None and len(stored.events) == number + 1
