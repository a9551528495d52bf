"""A long conversation is loaded as a snapshot of its state plus its recent events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select

from bot.tracker_store import ResilientSQLTrackerStore
from bot.tracker_window import snapshots_table

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform, complaint_file]
entities: [stop]
slots:
  language: {type: categorical, values: [zh, en], mappings: [{type: custom}]}
  last_stop: {type: text, influence_conversation: true, mappings: [{type: custom}]}
  description: {type: text, mappings: [{type: custom}]}
forms:
  complaint_form: {required_slots: [description]}
responses:
  utter_ok: [{text: ok}]
actions: [action_answer]
"""
)
KEEP = 3


def store(path: Path, keep: int = KEEP) -> ResilientSQLTrackerStore:
    return ResilientSQLTrackerStore(
        domain=DOMAIN, dialect="sqlite", db=str(path), window_user_messages=keep
    )


def turn(tracker: DialogueStateTracker, number: int) -> None:
    """One resident message and the assistant's answer, as Rasa logs them."""
    tracker.update(UserUttered(f"message {number}", {"name": "inform", "confidence": 0.9}), DOMAIN)
    tracker.update(ActionExecuted("action_answer"))
    tracker.update(SlotSet("last_stop", f"stop {number}"))
    if number == 4:
        tracker.update(SlotSet("language", "en"))
    tracker.update(BotUttered(f"answer {number}"))
    tracker.update(ActionExecuted("action_listen"))


async def talk(
    saved: ResilientSQLTrackerStore, sender: str, messages: range
) -> DialogueStateTracker:
    """Play ``messages`` one at a time through the store, as Rasa does for each message."""
    tracker = None
    for number in messages:
        tracker = await saved.retrieve(sender)
        if tracker is None:
            tracker = DialogueStateTracker(sender, DOMAIN.slots)
            tracker.update(ActionExecuted("action_listen"))
        turn(tracker, number)
        await saved.save(tracker)
    assert tracker is not None
    return tracker


def whole(messages: range) -> DialogueStateTracker:
    tracker = DialogueStateTracker("reference", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    for number in messages:
        turn(tracker, number)
    return tracker


def stored_rows(saved: ResilientSQLTrackerStore, sender: str) -> int:
    event = saved.SQLEvent
    with saved.session_scope() as session:
        return session.query(func.count(event.id)).filter(event.sender_id == sender).scalar()


async def test_a_long_conversation_loads_a_bounded_part_and_stores_every_event(
    tmp_path: Path,
) -> None:
    saved = store(tmp_path / "c.db")
    await talk(saved, "wechat-o1", range(60))
    loaded = await saved.retrieve("wechat-o1")
    reference = whole(range(60))
    assert loaded is not None
    assert sum(isinstance(e, UserUttered) for e in loaded.events) <= 2 * KEEP
    assert stored_rows(saved, "wechat-o1") == len(reference.events)
    assert loaded.current_slot_values() == reference.current_slot_values()


async def test_the_policies_see_the_same_recent_states(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db")
    await talk(saved, "wechat-o1", range(40))
    loaded = await saved.retrieve("wechat-o1")
    assert loaded is not None
    assert loaded.past_states(DOMAIN)[-5:] == whole(range(40)).past_states(DOMAIN)[-5:]
    assert loaded.latest_message.text == "message 39"


async def test_a_form_in_progress_survives_the_snapshot(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db")
    tracker = await talk(saved, "web-1", range(3))
    tracker.update(ActiveLoop("complaint_form"))
    await saved.save(tracker)
    await talk(saved, "web-1", range(3, 30))
    loaded = await saved.retrieve("web-1")
    assert loaded is not None and loaded.active_loop_name == "complaint_form"
    assert len(loaded.events) < 60


async def test_a_new_session_is_loaded_from_its_start_not_from_an_old_snapshot(
    tmp_path: Path,
) -> None:
    saved = store(tmp_path / "c.db")
    tracker = await talk(saved, "wechat-o2", range(20))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(SlotSet("language", "en"))
    tracker.update(ActionExecuted("action_listen"))
    await saved.save(tracker)
    loaded = await saved.retrieve("wechat-o2")
    assert loaded is not None
    assert [type(e).__name__ for e in loaded.events][:2] == ["SessionStarted", "SlotSet"]
    assert loaded.get_slot("last_stop") is None and loaded.get_slot("language") == "en"


async def test_without_a_window_the_store_is_rasas(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db", keep=0)
    await talk(saved, "rest-1", range(30))
    loaded = await saved.retrieve("rest-1")
    assert loaded is not None and len(loaded.events) == len(whole(range(30)).events)
    with saved.engine.connect() as connection:
        assert not saved.engine.dialect.has_table(connection, "tracker_snapshots")


async def test_the_snapshot_moves_once_every_few_messages(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db")
    await talk(saved, "wechat-o3", range(2 * KEEP + 1))
    with saved.engine.connect() as connection:
        first = connection.execute(select(snapshots_table.c.last_event_id)).scalar()
    await talk(saved, "wechat-o3", range(2 * KEEP + 1, 2 * KEEP + 2))
    with saved.engine.connect() as connection:
        assert connection.execute(select(snapshots_table.c.last_event_id)).scalar() == first


async def test_a_save_retried_after_it_committed_stores_nothing_twice(
    tmp_path: Path, monkeypatch
) -> None:
    """The connection is lost as the commit's answer comes back: the store retries the
    same save, finds the rows the first attempt committed, and writes none again."""
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError

    saved = store(tmp_path / "c.db")
    saved.retry_delays = (0.0,)
    await talk(saved, "wechat-o4", range(20))
    commits: list[str] = []
    begin = saved.engine.begin

    @contextmanager
    def lost_after_the_first_commit():
        with begin() as connection:
            yield connection
        commits.append("committed")
        if len(commits) == 1:
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(saved.engine, "begin", lost_after_the_first_commit)
    tracker = await saved.retrieve("wechat-o4")
    assert tracker is not None
    turn(tracker, 20)
    await saved.save(tracker)
    assert commits == ["committed", "committed"]  # the first attempt, then its retry
    assert stored_rows(saved, "wechat-o4") == len(whole(range(21)).events)
    loaded = await saved.retrieve("wechat-o4")
    assert loaded is not None and loaded.latest_message.text == "message 20"


def rows_as_stored(saved: ResilientSQLTrackerStore, sender: str) -> list[tuple[Any, ...]]:
    event = saved.SQLEvent
    with saved.session_scope() as session:
        return [  # the event's own time aside: the two trackers were made apart
            (row.type_name, row.intent_name, row.action_name, without_time(row.data))
            for row in session.query(event).filter(event.sender_id == sender).order_by(event.id)
        ]


def without_time(data: str) -> dict[str, Any]:
    event = json.loads(data)
    assert isinstance(event.pop("timestamp"), float)
    return dict(event)


async def test_a_new_conversation_s_first_turn_is_saved_windowed_with_rasa_s_rows(
    tmp_path: Path, monkeypatch
) -> None:
    """The tracker Rasa makes for a new conversation has no window: with nothing stored,
    the store gives it an empty one, so no save of its turn goes to Rasa's counting save,
    and the rows are exactly those Rasa's save writes."""
    from rasa.core.tracker_store import SQLTrackerStore

    windowed, rasas = store(tmp_path / "w.db"), store(tmp_path / "r.db", keep=0)
    trackers = []
    for _ in (windowed, rasas):
        tracker = DialogueStateTracker("wechat-new", DOMAIN.slots)
        tracker.update(ActionExecuted("action_listen"))
        trackers.append(tracker)
    calls: list[str] = []
    rasa_save = SQLTrackerStore.save

    async def counted(self: Any, tracker: DialogueStateTracker) -> None:
        calls.append(tracker.sender_id)
        await rasa_save(self, tracker)

    monkeypatch.setattr(SQLTrackerStore, "save", counted)
    for saved, tracker in zip((windowed, rasas), trackers, strict=True):
        await saved.save(tracker)  # as create_tracker saves it
        turn(tracker, 0)
        await saved.save(tracker)
        turn(tracker, 1)
        await saved.save(tracker)
    assert calls == ["wechat-new"] * 3  # all three from the store without a window
    assert rows_as_stored(windowed, "wechat-new") == rows_as_stored(rasas, "wechat-new")
    assert len(rows_as_stored(windowed, "wechat-new")) == len(trackers[0].events)


async def test_a_whole_tracker_of_a_stored_conversation_is_saved_without_duplicates(
    tmp_path: Path,
) -> None:
    """A tracker read whole (no window) of a conversation with stored events is not taken
    for a new one: only its new events are written."""
    saved = store(tmp_path / "c.db")
    await talk(saved, "rest-2", range(5))
    tracker = await saved.retrieve_full_tracker("rest-2")
    assert tracker is not None
    turn(tracker, 5)
    await saved.save(tracker)
    assert stored_rows(saved, "rest-2") == len(whole(range(6)).events)
