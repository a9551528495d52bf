"""Staff accounts, sessions, the login limit, review actions, the audit log and retention."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from bot.console import audit, auth, review, schema
from bot.console.annotations import MarkupError
from bot.console.indexer import Indexer, events
from bot.console.retention import apply_retention
from bot.console.transcripts import UserTurn
from bot.tracker_window import snapshots_metadata, snapshots_table
from tests.factories.conversations import T0, Conversation, store

PASSWORD = "correct-horse-battery"


def make_user(engine: Engine, name: str = "wang", role: str = schema.REVIEWER) -> auth.StaffUser:
    with engine.begin() as connection:
        return auth.create_user(connection, name, PASSWORD, role, created_by="test")


def log_in(
    engine: Engine, name: str, password: str, client: str = "10.0.0.1"
) -> auth.StaffUser | None:
    with engine.connect() as connection:
        return auth.authenticate(connection, name, password, client, limit=5)


def actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [row.action for row in reversed(audit.recent(connection))]


def test_passwords_are_stored_as_argon2_hashes_only(engine: Engine) -> None:
    make_user(engine)
    with engine.connect() as connection:
        stored = connection.execute(select(schema.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert log_in(engine, "wang", PASSWORD) is not None
    assert log_in(engine, "wang", "wrong-password-123") is None
    assert log_in(engine, "nobody", PASSWORD) is None


def test_unusable_accounts_are_refused() -> None:
    for name, password, role in (
        ("", PASSWORD, "admin"),
        ("li", "short", "admin"),
        ("li", PASSWORD, "root"),
    ):
        with pytest.raises(auth.AccountError):
            auth.create_user(None, name, password, role, created_by="test")  # type: ignore[arg-type]


def test_five_failed_logins_block_the_account_even_with_the_right_password(engine: Engine) -> None:
    make_user(engine)
    for n in range(5):
        assert log_in(engine, "wang", f"guess-number-{n}") is None
    assert log_in(engine, "wang", PASSWORD) is None
    assert actions(engine)[-1] == audit.LOGIN_BLOCKED


class Clock:
    """Moves ``auth.now`` forward by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = auth.now()
        monkeypatch.setattr(auth, "now", lambda: self.moment)

    def advance(self, seconds: float) -> None:
        self.moment += dt.timedelta(seconds=seconds)


def test_the_wait_after_too_many_failures_doubles_and_then_ends_on_its_own(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    make_user(engine)
    for n in range(5):
        log_in(engine, "wang", f"guess-number-{n}")
    clock.advance(31)  # past the first 30 s pause
    assert log_in(engine, "wang", "sixth-wrong-guess") is None  # a real, checked failure
    clock.advance(31)
    assert log_in(engine, "wang", PASSWORD) is None  # now the pause is 60 s
    assert actions(engine)[-1] == audit.LOGIN_BLOCKED
    clock.advance(30)
    assert log_in(engine, "wang", PASSWORD) is not None


def test_strangers_guessing_from_elsewhere_cannot_lock_a_user_out_of_their_own_address(
    engine: Engine,
) -> None:
    make_user(engine, "wang")
    assert log_in(engine, "wang", PASSWORD, client="10.0.0.1") is not None
    for n in range(5 * auth.ACCOUNT_FACTOR):
        log_in(engine, "wang", f"guess-{n}", client=f"198.51.100.{n}")
    assert log_in(engine, "wang", PASSWORD, client="10.0.0.9") is None  # a new address waits
    assert log_in(engine, "wang", PASSWORD, client="10.0.0.1") is not None


def test_an_admin_unlocks_an_account_and_the_audit_log_names_the_admin(engine: Engine) -> None:
    make_user(engine, "wang")
    for n in range(5 * auth.ACCOUNT_FACTOR):
        log_in(engine, "wang", f"guess-{n}", client=f"198.51.100.{n}")
    assert log_in(engine, "wang", PASSWORD, client="10.0.0.9") is None
    with engine.begin() as connection:
        assert auth.unlock(connection, "wang", unlocked_by="chen") == 5 * auth.ACCOUNT_FACTOR
        [entry] = audit.recent(connection, limit=1)
    assert (entry.username, entry.action, entry.target) == ("chen", audit.LOGIN_UNLOCKED, "wang")
    assert log_in(engine, "wang", PASSWORD, client="10.0.0.9") is not None


def test_one_persons_failures_behind_a_shared_proxy_do_not_lock_out_colleagues(
    engine: Engine,
) -> None:
    """Behind the SSO/VPN proxy every member of staff logs in from the same address."""
    make_user(engine, "wang")
    make_user(engine, "li")
    proxy = "10.8.0.1"
    for n in range(5):
        log_in(engine, "wang", f"mistyped-{n}", client=proxy)
    assert log_in(engine, "wang", PASSWORD, client=proxy) is None
    assert log_in(engine, "li", PASSWORD, client=proxy) is not None


def test_trying_many_usernames_from_one_address_blocks_that_address(engine: Engine) -> None:
    make_user(engine, "li")
    for n in range(5 * auth.CLIENT_FACTOR):
        log_in(engine, f"user-{n}", "whatever-password", client="203.0.113.9")
    assert log_in(engine, "li", PASSWORD, client="203.0.113.9") is None
    assert log_in(engine, "li", PASSWORD, client="10.0.0.2") is not None


def test_guessing_one_account_from_many_addresses_is_limited_too(engine: Engine) -> None:
    make_user(engine, "wang")
    for n in range(5 * auth.ACCOUNT_FACTOR):
        log_in(engine, "wang", f"guess-{n}", client=f"198.51.100.{n}")
    assert log_in(engine, "wang", PASSWORD, client="10.0.0.9") is None


def test_of_thirty_concurrent_guesses_at_most_the_limit_are_checked(engine: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    make_user(engine, "wang")
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda n: log_in(engine, "wang", f"concurrent-{n}"), range(30)))
    assert results == [None] * 30
    assert actions(engine).count(audit.LOGIN_FAILED) <= 5
    assert log_in(engine, "wang", PASSWORD) is None  # and the account is now blocked


def test_the_audit_log_names_the_admin_who_created_an_account(engine: Engine) -> None:
    with engine.begin() as connection:
        auth.create_user(connection, "zhao", PASSWORD, schema.REVIEWER, created_by="chen")
        [entry] = audit.recent(connection)
    assert (entry.username, entry.action, entry.target) == ("chen", audit.USER_CREATED, "zhao")


def test_a_session_lives_until_it_expires_or_logs_out(engine: Engine) -> None:
    user = make_user(engine)
    with engine.begin() as connection:
        token = auth.open_session(connection, user, hours=8)
        session = auth.session_for(connection, token)
        assert session is not None and session.user.username == "wang"
        assert auth.csrf_ok(session, session.csrf_token)
        assert not auth.csrf_ok(session, "forged") and not auth.csrf_ok(session, None)
        stored = connection.execute(select(schema.sessions.c.token_hash)).scalar_one()
        assert token not in stored
        auth.close_session(connection, token)
        assert auth.session_for(connection, token) is None
        expired = auth.open_session(connection, user, hours=-1)
        assert auth.session_for(connection, expired) is None
        assert auth.session_for(connection, "x" * 500) is None


def test_logins_are_in_the_audit_log(engine: Engine) -> None:
    make_user(engine)
    log_in(engine, "wang", PASSWORD)
    log_in(engine, "wang", "not-the-password")
    assert actions(engine) == [audit.USER_CREATED, audit.LOGIN, audit.LOGIN_FAILED]


def test_the_audit_log_cannot_be_changed_or_deleted(engine: Engine) -> None:
    make_user(engine)
    for statement in (
        "UPDATE console_audit_log SET username = 'x'",
        "DELETE FROM console_audit_log",
    ):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert actions(engine) == [audit.USER_CREATED]


MESSAGE = UserTurn(7, T0, "福田到罗湖多少钱", "transit_route", 0.41, [], "zh", "webchat")


def test_a_correction_keeps_the_words_and_records_intent_and_entities(engine: Engine) -> None:
    user = make_user(engine)
    with engine.begin() as connection:
        review.correct(
            connection, user, "c1", MESSAGE, "transit_fare",
            "[福田](stop)到[罗湖](stop)多少钱", ["transit_fare", "transit_route"],
        )  # fmt: skip
        with pytest.raises(MarkupError):
            review.correct(
                connection, user, "c1", MESSAGE, "transit_fare", "[福田](stop)到机场多少钱",
                ["transit_fare"],
            )  # fmt: skip
        with pytest.raises(review.ReviewError):
            review.correct(connection, user, "c1", MESSAGE, "made_up", "", ["transit_fare"])
        [row] = review.corrections_of(connection)
    assert (row.intent, row.predicted_intent, row.text) == (
        "transit_fare",
        "transit_route",
        MESSAGE.text,
    )
    assert [e["value"] for e in json.loads(row.entities)] == ["福田", "罗湖"]
    assert actions(engine)[-1] == audit.CORRECT


def test_only_an_admin_with_a_reason_can_unmask_and_it_is_audited(engine: Engine) -> None:
    reviewer = make_user(engine, "wang")
    admin = make_user(engine, "chen", schema.ADMIN)
    with engine.begin() as connection:
        with pytest.raises(review.ReviewError):
            review.unmask(connection, reviewer, "c1", "resident called the hotline", 15)
        with pytest.raises(review.ReviewError):
            review.unmask(connection, admin, "c1", "why", 15)
        assert not review.unmasked_for(connection, admin, "c1")
        review.unmask(connection, admin, "c1", "resident called 12345 to check", 15)
        assert review.unmasked_for(connection, admin, "c1")
        assert not review.unmasked_for(connection, reviewer, "c1")
        assert not review.unmasked_for(connection, admin, "c2")
    assert actions(engine)[-1] == audit.UNMASK


def test_tags_notes_and_review_status(engine: Engine) -> None:
    user = make_user(engine)
    with engine.begin() as connection:
        review.add_tag(connection, user, "c1", "needs training data")
        review.add_tag(connection, user, "c1", "needs training data")
        with pytest.raises(review.ReviewError):
            review.add_tag(connection, user, "c1", "<script>")
        review.add_note(connection, user, "c1", "Asked about fares with station names misspelled.")
        tags = connection.execute(select(schema.tags.c.tag)).scalars().all()
        assert tags == ["needs training data"]
        assert len(review.notes_of(connection, "c1")) == 1


def test_retention_deletes_old_conversations_everywhere_and_keeps_new_ones(engine: Engine) -> None:
    user = make_user(engine)
    old = Conversation("old", at=T0 - 200 * 86400).user("路灯坏了", "complaint_file")
    new = Conversation("new", at=T0).user("地铁票价", "transit_fare")
    store(engine, [old, new])
    Indexer(engine, engine).run()
    snapshots_metadata.create_all(engine)
    with engine.begin() as connection:
        review.add_tag(connection, user, "old", "sample")
        review.add_note(connection, user, "old", "note")
        for sender in ("old", "new"):
            state = '[{"event": "slot", "name": "phone", "value": "13800138000"}]'
            connection.execute(
                snapshots_table.insert().values(sender_id=sender, last_event_id=1, events=state)
            )
    result = apply_retention(engine, engine, days=180, now=T0 + 60)
    assert (result.conversations, result.events) == (1, 1)
    with engine.connect() as connection:
        assert connection.execute(select(events.c.sender_id).distinct()).scalars().all() == ["new"]
        kept = connection.execute(select(snapshots_table.c.sender_id)).scalars().all()
        assert kept == ["new"]  # the old conversation's state snapshot went with it
        for table in (schema.conversations, schema.search_terms, schema.tags, schema.notes):
            assert "old" not in connection.execute(select(table.c.sender_id)).scalars().all()
    assert actions(engine)[-1] == audit.RETENTION
