"""The spec's search rules and the workflow's order, as pure functions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sandbox import workflow
from sandbox.idempotency import fingerprint, parse_key
from sandbox.open311_search import InvalidSearch, parse_search

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.timezone.utc)
CODES = frozenset({"noise", "garbage"})


def test_without_dates_the_last_90_days_are_searched() -> None:
    query = parse_search({}, CODES, NOW, SHANGHAI)
    assert (query.start, query.end) == (NOW - dt.timedelta(days=90), NOW)
    assert query.limit == 1000


def test_a_start_date_alone_opens_a_90_day_window() -> None:
    query = parse_search({"start_date": "2026-10-01"}, CODES, NOW, SHANGHAI)
    assert query.start == dt.datetime(2026, 10, 1, tzinfo=SHANGHAI)
    assert query.end == dt.datetime(2026, 12, 30, tzinfo=SHANGHAI)


def test_a_plus_sign_lost_in_an_unencoded_query_is_understood() -> None:
    query = parse_search({"end_date": "2026-11-01T08:00:00 08:00"}, CODES, NOW, SHANGHAI)
    assert query.end == dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


def test_ids_override_the_other_filters_and_are_upper_cased() -> None:
    query = parse_search(
        {"service_request_id": "sr20260001, SR20260002", "status": "bogus"}, CODES, NOW, SHANGHAI
    )
    assert query.service_request_ids == ("SR20260001", "SR20260002")


@pytest.mark.parametrize(
    "args",
    [
        {"start_date": "2026-11-02", "end_date": "2026-11-01"},
        {"start_date": "2026-01-01", "end_date": "2026-04-02"},
        {"status": "open,pending"},
        {"service_code": "noise,unicorns"},
    ],
)
def test_invalid_searches_are_refused(args: dict[str, str]) -> None:
    with pytest.raises(InvalidSearch):
        parse_search(args, CODES, NOW, SHANGHAI)


def test_the_workflow_only_moves_forward() -> None:
    assert workflow.next_state("accepted") == "dispatched"
    assert workflow.next_state("accepted", "resolved") == "resolved"
    with pytest.raises(workflow.WorkflowError):
        workflow.next_state("resolved", "dispatched")
    with pytest.raises(workflow.WorkflowError):
        workflow.next_state("closed")
    assert [workflow.spec_status(s.code) for s in workflow.STATES] == [
        "open", "open", "open", "open", "closed",
    ]  # fmt: skip


def test_idempotency_keys_and_fingerprints() -> None:
    assert parse_key(None) is None
    assert parse_key('"abc-123"') == parse_key("abc-123") == "abc-123"
    same = fingerprint([("a", "1"), ("b", "2"), ("api_key", "x")], frozenset({"api_key"}))
    assert same == fingerprint([("b", "2"), ("a", "1")], frozenset({"api_key"}))
    assert same != fingerprint([("a", "1"), ("b", "3")], frozenset({"api_key"}))
