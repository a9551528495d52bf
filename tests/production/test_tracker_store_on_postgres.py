"""The tracker store survives PostgreSQL dropping every connection (a restart, a fail-over)."""

from __future__ import annotations

import threading
import uuid

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot.tracker_store import ResilientSQLTrackerStore
from tests.production.conftest import ADMIN_URL


def store_on(engine: Engine, kind: type[SQLTrackerStore]) -> SQLTrackerStore:
    url = engine.url
    return kind(
        domain=Domain.empty(), dialect="postgresql", host=url.host, port=url.port or 5432,
        db=url.database, username=url.username, password="",
    )  # fmt: skip


def windowed_store_on(engine: Engine, keep: int) -> ResilientSQLTrackerStore:
    url = engine.url
    return ResilientSQLTrackerStore(
        domain=Domain.empty(), dialect="postgresql", host=url.host, port=url.port or 5432,
        db=url.database, username=url.username, password="", window_user_messages=keep,
    )  # fmt: skip


def drop_every_connection(engine: Engine) -> None:
    """What a PostgreSQL restart does to every client: its connections are gone."""
    with engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )


async def save_and_read(store: SQLTrackerStore, sender: str) -> int:
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered("路灯坏了"))
    await store.save(tracker)
    found = await store.retrieve(sender)
    return len(found.events) if found else 0


async def test_resilient_store_answers_the_first_message_after_the_connections_died(
    postgres_engine: Engine,
) -> None:
    store = store_on(postgres_engine, ResilientSQLTrackerStore)
    try:
        assert await save_and_read(store, "before") == 1
        drop_every_connection(postgres_engine)
        assert await save_and_read(store, "after") == 1
    finally:
        store.engine.dispose()


async def test_rasas_own_store_fails_that_first_message(postgres_engine: Engine) -> None:
    """Why ours exists: the same events with Rasa's store lose a message."""
    store = store_on(postgres_engine, SQLTrackerStore)
    try:
        assert await save_and_read(store, "before") == 1
        drop_every_connection(postgres_engine)
        with pytest.raises(Exception):  # noqa: B017 - the driver's OperationalError, wrapped
            await save_and_read(store, "after")
    finally:
        store.engine.dispose()


async def test_resilient_store_waits_out_a_short_database_outage(postgres_engine: Engine) -> None:
    """The database refuses connections for 1.5 s (as while restarting); the message still lands."""
    store = store_on(postgres_engine, ResilientSQLTrackerStore)
    name = postgres_engine.url.database
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)

    def set_open(allowed: bool) -> None:
        with admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
            )

    try:
        assert await save_and_read(store, "before") == 1
        set_open(False)
        drop_every_connection_as(admin, name)
        reopen = threading.Timer(1.5, set_open, args=(True,))
        reopen.start()
        assert await save_and_read(store, "during") == 1
        reopen.join()
    finally:
        set_open(True)
        store.engine.dispose()
        admin.dispose()


def drop_every_connection_as(admin: Engine, name: str | None) -> None:
    with admin.connect() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        )


async def test_a_long_conversation_is_windowed_on_postgres_too(postgres_engine: Engine) -> None:
    """Snapshot and recent events on PostgreSQL: bounded loading, every event stored."""
    store = windowed_store_on(postgres_engine, keep=3)
    sender = f"wechat-long-{uuid.uuid4().hex[:8]}"
    try:
        for number in range(30):
            tracker = await store.retrieve(sender) or DialogueStateTracker(sender, slots=[])
            tracker.update(UserUttered(f"第{number}条"))
            tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)
        loaded = await store.retrieve(sender)
        full = await store.retrieve_full_tracker(sender)
        assert loaded is not None and full is not None
        assert len(full.events) == 60 and len(loaded.events) < 30
        assert loaded.latest_message.text == "第29条"
    finally:
        store.engine.dispose()


async def test_two_instances_answering_one_conversation_in_turn_see_each_others_events(
    postgres_engine: Engine,
) -> None:
    """Each instance keeps the tracker it saved; the other's writes make it load afresh."""
    stores = [windowed_store_on(postgres_engine, keep=3) for _ in range(2)]
    sender = f"wechat-two-{uuid.uuid4().hex[:8]}"
    try:
        for number in range(12):
            instance = stores[(number // 2) % 2]  # two messages each, in turn
            tracker = await instance.retrieve(sender) or DialogueStateTracker(sender, slots=[])
            assert number == 0 or tracker.latest_message.text == f"第{number - 1}条"
            tracker.update(UserUttered(f"第{number}条"))
            tracker.update(ActionExecuted("action_listen"))
            await instance.save(tracker)
        full = await stores[0].retrieve_full_tracker(sender)
        assert full is not None and len(full.events) == 24
    finally:
        for store in stores:
            store.engine.dispose()


def test_two_instances_starting_together_on_an_empty_database_do_not_wait(
    postgres_engine: Engine, monkeypatch
) -> None:
    """Rasa's store sleeps 5 s after losing the race to create the tables; ours
    creates them first and looks again at once."""
    import rasa.core.tracker_store as rasa_store

    waits: list[float] = []
    real_sleep = rasa_store.sleep
    monkeypatch.setattr(
        rasa_store, "sleep", lambda seconds: (waits.append(seconds), real_sleep(seconds))
    )
    stores: list[SQLTrackerStore] = []
    together = threading.Barrier(2)

    def start() -> None:
        together.wait()
        stores.append(windowed_store_on(postgres_engine, keep=8))

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(stores) == 2
        assert waits == []
    finally:
        for store in stores:
            store.engine.dispose()
