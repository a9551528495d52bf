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


def test_the_snapshots_table_made_meanwhile_by_another_instance_is_taken(
    tmp_path: Path, monkeypatch
) -> None:
    """Two instances starting together: the loser of the race finds the winner's table."""
    import sqlalchemy as sa

    from bot import tracker_store

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'race.db'}")
    real_create_all = tracker_store.snapshots_metadata.create_all
    calls = []

    def create_all(bind, **kwargs):
        calls.append(bind)
        if len(calls) == 1:
            real_create_all(bind)  # the other instance won the race...
            raise sa.exc.IntegrityError("CREATE TABLE", {}, Exception("pg_type_typname_nsp_index"))
        return real_create_all(bind, **kwargs)

    monkeypatch.setattr(tracker_store.snapshots_metadata, "create_all", create_all)
    tracker_store.create_snapshots_table(engine)
    assert len(calls) == 2
    assert "tracker_snapshots" in sa.inspect(engine).get_table_names()


def test_a_table_that_cannot_be_made_is_still_an_error(tmp_path: Path, monkeypatch) -> None:
    import pytest
    import sqlalchemy as sa

    from bot import tracker_store

    def create_all(bind, **kwargs):
        raise sa.exc.ProgrammingError("CREATE TABLE", {}, Exception("permission denied"))

    monkeypatch.setattr(tracker_store.snapshots_metadata, "create_all", create_all)
    monkeypatch.setattr(tracker_store.time, "sleep", lambda seconds: None)
    with pytest.raises(sa.exc.ProgrammingError):
        tracker_store.create_snapshots_table(sa.create_engine("sqlite://"))


def test_a_conversations_events_are_indexed_in_order(tmp_path: Path) -> None:
    """Its newest event is found without reading all of them (bot/tracker_store.py)."""
    import sqlalchemy as sa

    from bot import tracker_store

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'index.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT)"))
    tracker_store.create_snapshots_table(engine)
    tracker_store.create_snapshots_table(engine)  # a second instance starting: no error
    indexes = {
        index["name"]: index["column_names"] for index in sa.inspect(engine).get_indexes("events")
    }
    assert indexes["ix_events_sender_id_id"] == ["sender_id", "id"]
