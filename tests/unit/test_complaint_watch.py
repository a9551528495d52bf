"""The watch table remembers which complaints to poll and what each resident last heard."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, inspect

from actions.city import CityServices
from actions.complaint_watch import CLAIM_LEASE, ComplaintWatch
from actions.complaints_outbox import ComplaintOutbox
from actions.settings import CityServicesSettings


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def watch(tmp_path, clock) -> ComplaintWatch:
    return ComplaintWatch(create_engine(f"sqlite:///{tmp_path}/outbox.db", future=True), clock)


def test_a_watched_complaint_starts_with_what_the_resident_saw_when_filing(watch):
    watch.watch("LQ261124ABC123", "telegram:42", "telegram", "accepted")
    [item] = watch.active()
    assert item.local_ref == "LQ261124ABC123"
    assert item.sender_id == "telegram:42"
    assert item.output_channel == "telegram"
    assert item.last_state == "accepted"
    assert item.last_checked_at is None and not item.finished


def test_watching_the_same_complaint_twice_keeps_the_first_row(watch):
    watch.watch("LQ261124ABC123", "telegram:42", "telegram", "accepted")
    watch.watch("lq261124abc123 ", "someone-else", "rest", None)
    [item] = watch.active()
    assert (item.sender_id, item.output_channel, item.last_state) == (
        "telegram:42",
        "telegram",
        "accepted",
    )


def test_a_concurrent_insert_of_the_same_complaint_does_not_raise(watch, monkeypatch):
    watch.watch("LQ261124ABC123", "telegram:42", "telegram", None)
    real_get = watch.get
    calls = []

    def get_as_if_not_there_yet(local_ref):
        calls.append(local_ref)
        return None if len(calls) == 1 else real_get(local_ref)

    monkeypatch.setattr(watch, "get", get_as_if_not_there_yet)
    watch.watch("LQ261124ABC123", "telegram:42", "telegram", None)  # hits the primary key
    assert len(calls) == 2
    assert len(watch.active()) == 1


def test_an_unknown_channel_is_stored_as_none(watch):
    watch.watch("LQ1", "web:1", "", None)
    assert watch.get("LQ1").output_channel is None


def test_marking_records_the_state_and_the_time(watch, clock):
    watch.watch("LQ1", "web:1", "socketio", "accepted")
    watch.mark("LQ1", "dispatched", finished=False)
    item = watch.get("LQ1")
    assert item.last_state == "dispatched"
    assert item.last_checked_at == clock.now
    assert not item.finished


def test_a_finished_complaint_is_no_longer_active(watch):
    watch.watch("LQ1", "web:1", "socketio", "accepted")
    watch.watch("LQ2", "web:2", "socketio", "accepted")
    watch.mark("LQ1", "closed", finished=True)
    assert [item.local_ref for item in watch.active()] == ["LQ2"]
    assert watch.get("LQ1").finished


def test_the_active_watches_can_be_read_a_page_at_a_time(watch):
    for number in (5, 1, 4, 2, 3):
        watch.watch(f"LQ{number}", f"web:{number}", "socketio", "accepted")
    watch.mark("LQ4", "closed", finished=True)
    pages = [[item.local_ref for item in page] for page in watch.active_pages(2)]
    assert pages == [["LQ1", "LQ2"], ["LQ3", "LQ5"]]
    assert [item.local_ref for item in watch.active(after="lq2", limit=1)] == ["LQ3"]


def test_a_watch_finished_while_the_pages_are_read_is_not_met_again(watch):
    for number in range(1, 6):
        watch.watch(f"LQ{number}", f"web:{number}", "socketio", "accepted")
    seen = []
    for page in watch.active_pages(2):
        seen.extend(item.local_ref for item in page)
        watch.stop(["LQ4"])
    assert seen == ["LQ1", "LQ2", "LQ3", "LQ5"]


def test_a_page_size_below_one_is_refused(watch):
    with pytest.raises(ValueError, match="page_size"):
        next(watch.active_pages(0))


def test_stopped_watches_keep_what_the_resident_was_last_told(watch, clock):
    watch.watch("LQ1", "web:1", "socketio", "in_progress")
    watch.watch("LQ2", "web:2", "socketio", "accepted")
    watch.stop(["lq1"])
    stopped = watch.get("LQ1")
    assert stopped.finished and stopped.last_state == "in_progress"
    assert stopped.last_checked_at == clock.now
    assert [item.local_ref for item in watch.active()] == ["LQ2"]
    watch.stop([])  # nothing to stop is not an error


def test_only_one_worker_can_claim_telling_the_resident_about_a_state(watch):
    watch.watch("LQ1", "web:1", "socketio", "accepted")
    assert watch.claim("LQ1", "accepted")
    assert not watch.claim("LQ1", "accepted")


def test_a_claim_fails_once_the_state_was_already_recorded_by_another_worker(watch):
    watch.watch("LQ1", "web:1", "socketio", "accepted")
    assert watch.claim("LQ1", "accepted")
    watch.mark("LQ1", "dispatched", finished=False)
    assert not watch.claim("LQ1", "accepted")
    assert watch.claim("LQ1", "dispatched")


def test_a_released_claim_can_be_taken_again(watch):
    watch.watch("LQ1", "web:1", "socketio", "accepted")
    assert watch.claim("LQ1", "accepted")
    watch.release("LQ1")
    assert watch.claim("LQ1", "accepted")
    assert watch.get("LQ1").last_state == "accepted"


def test_the_claim_of_a_worker_that_died_lapses_after_the_lease(watch, clock):
    watch.watch("LQ1", "web:1", "socketio", "accepted")
    assert watch.claim("LQ1", "accepted")
    clock.now += CLAIM_LEASE + dt.timedelta(seconds=1)
    assert watch.claim("LQ1", "accepted")


def test_the_watch_table_lives_in_the_outbox_database(tmp_path):
    url = f"sqlite:///{tmp_path}/new/outbox.db"
    ComplaintOutbox.from_url(url)
    watch = ComplaintWatch.from_url(url)
    watch.watch("LQ1", "web:1", None, None)
    tables = set(inspect(create_engine(url, future=True)).get_table_names())
    assert {"complaint_outbox", "complaint_watch"} <= tables


def test_the_city_services_watch_complaints_in_the_outbox_database(tmp_path):
    url = f"sqlite:///{tmp_path}/var/outbox.db"
    services = CityServices.from_settings(
        CityServicesSettings.from_sources({"outbox_database_url": url}, {})
    )
    services.watch.watch("LQ1", "web:1", "socketio", "accepted")
    assert services.watch.active()[0].local_ref == "LQ1"
    assert services.outbox.by_local_refs(["LQ1"]) == {}
    assert "complaint_watch" in inspect(create_engine(url, future=True)).get_table_names()
