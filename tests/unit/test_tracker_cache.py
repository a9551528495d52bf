"""The tracker a Rasa process saved is lent to its conversation's next message."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered

from bot.ops.metrics import REGISTRY
from bot.tracker_cache import LentTrackers
from bot.tracker_store import ResilientSQLTrackerStore
from tests.unit.test_tracker_window import DOMAIN, KEEP, store, talk, turn, whole


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_lent_tracker_has_one_holder_at_a_time() -> None:
    lent = LentTrackers(size=10, idle_seconds=60)
    tracker = object()
    lent.put("wechat-o1", tracker, 7, DOMAIN)
    first = lent.take("wechat-o1")
    assert first is not None and first.tracker is tracker and first.last_event_id == 7
    assert lent.take("wechat-o1") is None


def test_the_least_recently_saved_conversation_is_forgotten_first() -> None:
    lent = LentTrackers(size=2, idle_seconds=60)
    for number in range(3):
        lent.put(f"web-{number}", object(), number, DOMAIN)
    assert len(lent) == 2
    assert lent.take("web-0") is None
    assert lent.take("web-2") is not None


def test_a_conversation_idle_past_the_limit_is_not_kept_in_memory() -> None:
    clock = Clock()
    lent = LentTrackers(size=10, idle_seconds=300, clock=clock)
    lent.put("wechat-o1", object(), 1, DOMAIN)
    clock.now += 301
    assert lent.take("wechat-o1") is None
    assert len(lent) == 0


def test_size_zero_keeps_nothing() -> None:
    lent = LentTrackers(size=0)
    lent.put("wechat-o1", object(), 1, DOMAIN)
    assert lent.take("wechat-o1") is None


def hits() -> float:
    """Loads answered from memory so far, as /ops/metrics shows them."""
    line = 'tracker_cache_total{result="hit"} '
    found = [row for row in REGISTRY.render().splitlines() if row.startswith(line)]
    return float(found[0][len(line) :]) if found else 0.0


async def test_the_next_message_gets_the_tracker_this_process_saved(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db")
    tracker = await talk(saved, "wechat-o1", range(3))
    before = hits()
    again = await saved.retrieve("wechat-o1")
    assert again is tracker
    assert hits() == before + 1


async def test_a_read_while_the_tracker_is_lent_gets_its_own_copy(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db")
    await talk(saved, "wechat-o1", range(3))
    answering = await saved.retrieve("wechat-o1")
    reading = await saved.retrieve("wechat-o1")  # the HTTP API reads without the lock
    assert answering is not None and reading is not None
    assert reading is not answering
    assert [e.as_dict() for e in reading.events] == [e.as_dict() for e in answering.events]


async def test_what_another_instance_wrote_is_loaded_not_the_kept_tracker(
    tmp_path: Path,
) -> None:
    one = store(tmp_path / "c.db")
    two = store(tmp_path / "c.db")
    await talk(one, "wechat-o1", range(3))
    await talk(two, "wechat-o1", range(3, 5))  # the next messages went to instance two
    loaded = await one.retrieve("wechat-o1")
    assert loaded is not None and loaded.latest_message.text == "message 4"
    assert loaded.current_slot_values() == whole(range(5)).current_slot_values()


async def test_a_long_conversation_answered_from_memory_stays_within_its_window(
    tmp_path: Path,
) -> None:
    saved = store(tmp_path / "c.db")
    for number in range(60):
        tracker = await talk(saved, "wechat-o1", range(number, number + 1))
        users = sum(isinstance(event, UserUttered) for event in tracker.events)
        assert users <= 2 * KEEP + 1
    loaded = await saved.retrieve("wechat-o1")
    assert loaded is not None
    assert loaded.current_slot_values() == whole(range(60)).current_slot_values()


async def test_a_deleted_conversation_is_not_brought_back_from_memory(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db")
    await talk(saved, "wechat-o1", range(3))
    event = saved.SQLEvent
    with saved.session_scope() as session:  # what the retention job does
        session.query(event).filter(event.sender_id == "wechat-o1").delete()
        session.commit()
    assert await saved.retrieve("wechat-o1") is None


async def test_a_new_model_domain_rebuilds_the_tracker(tmp_path: Path) -> None:
    saved = store(tmp_path / "c.db")
    tracker = await talk(saved, "wechat-o1", range(3))
    saved.domain = Domain.from_dict(DOMAIN.as_dict())  # a model loaded with PUT /model
    loaded = await saved.retrieve("wechat-o1")
    assert loaded is not None and loaded is not tracker


async def test_cache_conversations_zero_loads_every_message_from_the_database(
    tmp_path: Path,
) -> None:
    saved = ResilientSQLTrackerStore(
        domain=DOMAIN,
        dialect="sqlite",
        db=str(tmp_path / "c.db"),
        window_user_messages=KEEP,
        cache_conversations=0,
    )
    tracker = await talk(saved, "wechat-o1", range(3))
    loaded = await saved.retrieve("wechat-o1")
    assert loaded is not None and loaded is not tracker
    turn(loaded, 3)
    await saved.save(loaded)
    assert (await saved.retrieve("wechat-o1")).latest_message.text == "message 3"  # type: ignore[union-attr]
