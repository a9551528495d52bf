"""The conversation index: signals read from events, filters, search, incremental indexing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.console import schema
from bot.console.indexer import Indexer
from bot.console.queries import Filters, filters_from, list_conversations
from bot.console.search import index_terms, query_terms
from bot.console.transcripts import handoff_need, parse_event, summarise, tickets
from tests.factories.conversations import T0, Conversation, store

THRESHOLD = 0.6


def streetlight() -> Conversation:
    return (
        Conversation("c-streetlight")
        .user("我要投诉", "complaint_file")
        .user("福华三路的路灯坏了，电话13800138000", "inform", confidence=0.42)
        .slot("complaint_tickets", ["SR20261234"])
        .bot("已受理，工单号 SR20261234", "utter_complaint_filed")
    )


def english_fallback() -> Conversation:
    return (
        Conversation("c-fallback", channel="wechat")
        .user("blorp the thing", "nlu_fallback", confidence=0.3, language="en")
        .action("action_handle_fallback")
        .bot("Sorry, I didn't get that.", "utter_please_rephrase")
        .user("I want to talk to a person", "request_human", language="en")
        .slot("handoff_requested", True)
        .bot("The transit timetable is unavailable", "utter_transit_unavailable")
    )


def permit() -> Conversation:
    return (
        Conversation("c-permit", channel="rest", at=T0 + 86400 * 3)
        .user("居住证办好了吗", "permit_status", language="zh")
        .slot("application_id", "PA20261187")
        .action("action_permit_status")
        .bot("您的申请已受理", "utter_permit_status")
    )


def indexed(engine: Engine, *conversations: Conversation) -> Indexer:
    store(engine, conversations)
    indexer = Indexer(engine, engine)
    indexer.run()
    return indexer


def senders(engine: Engine, filters: Filters) -> list[str]:
    with engine.connect() as connection:
        page = list_conversations(connection, filters, THRESHOLD)
    return [row.sender_id for row in page.rows]


def test_summary_reads_every_signal_a_reviewer_filters_on() -> None:
    complaint = summarise("c", streetlight().events)
    assert complaint is not None
    assert (complaint.user_messages, complaint.language, complaint.channel) == (2, "zh", "webchat")
    assert complaint.complaint_filed and not complaint.had_fallback
    assert complaint.min_confidence == 0.42
    fallback = summarise("f", english_fallback().events)
    assert fallback is not None
    assert fallback.had_fallback and fallback.handoff_requested and fallback.api_errors == 1
    assert fallback.intents == {"nlu_fallback": 1, "request_human": 1}
    status = summarise("p", permit().events)
    assert status is not None and status.permit_status_checked


def test_buttons_and_pushes_are_not_counted_as_what_the_resident_typed() -> None:
    conversation = (
        Conversation("c")
        .user("/greet", "greet")
        .user("", "EXTERNAL_complaint_update")
        .user("你好", "greet", confidence=0.99)
    )
    summary = summarise("c", conversation.events)
    assert summary is not None
    assert summary.user_messages == 1 and summary.first_message == "你好"


def test_handoff_need_is_the_question_before_asking_for_a_person() -> None:
    assert handoff_need(english_fallback().events) == "blorp the thing"


def test_tickets_touched_are_listed() -> None:
    assert tickets(streetlight().events) == {"complaints": ["SR20261234"], "applications": []}
    assert tickets(permit().events)["applications"] == ["PA20261187"]


def test_unreadable_event_data_is_skipped() -> None:
    assert parse_event("{not json", 1) is None
    assert parse_event('"a string"', 1) is None
    assert parse_event(None, 1) is None


def test_search_finds_chinese_words_without_spaces_and_english_words() -> None:
    terms = index_terms("福华三路的路灯坏了 Broken STREETLIGHT")
    assert {"路灯", "灯", "broken", "streetlight"} <= terms
    assert query_terms("路灯坏了") == ["路灯", "灯坏", "坏了"]
    assert query_terms("灯") == ["灯"]
    assert query_terms("  ") == []


def test_filters_narrow_the_list(engine: Engine) -> None:
    indexed(engine, streetlight(), english_fallback(), permit())
    assert senders(engine, Filters()) == ["c-permit", "c-fallback", "c-streetlight"]
    assert senders(engine, Filters(low_confidence=True)) == ["c-fallback", "c-streetlight"]
    assert senders(engine, Filters(low_confidence=True, language="zh")) == ["c-streetlight"]
    assert senders(engine, Filters(channel="wechat")) == ["c-fallback"]
    assert senders(engine, Filters(fallback=True)) == ["c-fallback"]
    assert senders(engine, Filters(handoff=True)) == ["c-fallback"]
    assert senders(engine, Filters(complaint=True)) == ["c-streetlight"]
    assert senders(engine, Filters(permit_status=True)) == ["c-permit"]
    assert senders(engine, Filters(intent="request_human")) == ["c-fallback"]
    assert senders(engine, Filters(text="路灯")) == ["c-streetlight"]
    assert senders(engine, Filters(text="路灯 blorp")) == []
    assert senders(engine, Filters(text="BLORP")) == ["c-fallback"]
    day = dt.datetime.fromtimestamp(T0 + 86400 * 3, dt.timezone(dt.timedelta(hours=8))).date()
    assert senders(engine, Filters(date_from=day)) == ["c-permit"]
    assert senders(engine, Filters(date_to=day - dt.timedelta(days=1))) == [
        "c-fallback",
        "c-streetlight",
    ]


def test_personal_data_is_neither_searchable_nor_shown_in_the_list(engine: Engine) -> None:
    indexed(engine, streetlight())
    assert senders(engine, Filters(text="13800138000")) == []
    with engine.connect() as connection:
        previews = connection.execute(select(schema.conversations.c.first_message)).scalars().all()
    assert previews == ["我要投诉"]


def test_indexing_is_incremental_and_exact(engine: Engine) -> None:
    indexer = indexed(engine, streetlight())
    later = Conversation("c-streetlight", at=T0 + 100).user("还要多久", "complaint_status", 0.2)
    store(engine, [later])
    assert indexer.run() == 1
    assert indexer.run() == 0
    with engine.connect() as connection:
        row = connection.execute(select(schema.conversations)).one()
        intents = dict(
            connection.execute(
                select(schema.conversation_intents.c.intent, schema.conversation_intents.c.count)
            ).all()
        )
    assert row.user_messages == 3 and row.min_confidence == 0.2 and row.complaint_filed
    assert intents == {"complaint_file": 1, "inform": 1, "complaint_status": 1}


def test_unreadable_filter_values_count_as_not_set() -> None:
    filters = filters_from(
        {
            "date_from": "yesterday",
            "page": "-3",
            "review_status": "'; DROP TABLE",
            "low_confidence": "1",
        }
    )
    assert filters == Filters(low_confidence=True)
    assert filters_from({"page": ["7"], "text": "x" * 500}).text == "x" * 200


def test_two_consoles_indexing_one_file_at_once_count_each_event_once(tmp_path) -> None:
    """A console restarting while the old one still runs (or two staff machines) must
    not insert a conversation twice or count its messages twice."""
    import threading

    from bot.console.database import connect, migrate

    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    first, second = connect(url), connect(url)
    migrate(first)
    store(first, [streetlight()])
    many = [
        Conversation(f"c-{n}", at=T0 + n).user("路灯坏了", "complaint_file", 0.9)
        for n in range(300)
    ]
    store(first, many)
    errors: list[BaseException] = []

    def index(engine: Engine) -> None:
        try:
            Indexer(engine, engine).run(batch=50)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=index, args=(e,)) for e in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with first.connect() as connection:
        rows = connection.execute(select(schema.conversations)).all()
        counted = connection.execute(
            select(schema.conversation_intents.c.count).where(
                schema.conversation_intents.c.sender_id == "c-7"
            )
        ).scalar()
    assert len(rows) == 301 and counted == 1
    with first.connect() as connection:
        streetlight_intents = connection.execute(
            select(schema.conversation_intents.c.count).where(
                schema.conversation_intents.c.sender_id == "c-streetlight"
            )
        ).all()
    assert sorted(count for (count,) in streetlight_intents) == [1, 1]
    first.dispose()
    second.dispose()
