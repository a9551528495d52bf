"""The console's pages in-process: login required, CSRF on every form, roles, text shown as text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import AsyncIterator

import httpx
import pytest
from sanic import Sanic

from bot.console import auth, schema
from bot.console.app import create_app
from bot.console.database import connect, migrate
from bot.console.settings import ConsoleSettings
from tests.factories.conversations import Conversation, store
from tests.factories.sanic_app import lifespan

PASSWORD = "correct-horse-battery"
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> 路灯坏了 13800138000'


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture()
async def site(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    engine = connect(url)
    migrate(engine)
    store(engine, [Conversation("c-hostile").user(HOSTILE, "complaint_file", confidence=0.3)])
    with engine.begin() as connection:
        auth.create_user(connection, "wang", PASSWORD, schema.REVIEWER, created_by="test")
        auth.create_user(connection, "chen", PASSWORD, schema.ADMIN, created_by="test")
    app = create_app(ConsoleSettings(tracker_url=url))
    transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 5000))
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=transport, base_url="http://console.test") as client,
    ):
        yield client


async def log_in(client: httpx.AsyncClient, name: str) -> str:
    page = await client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = await client.post(
        "/login",
        data={
            "login_token": token,
            "username": name,
            "password": PASSWORD,
            "next": "/conversations",
        },
    )
    assert answer.status_code == 302, answer.text
    listing = await client.get("/conversations")
    return re.search(r'name="csrf_token" value="([^"]+)"', listing.text).group(1)  # type: ignore[union-attr]


async def test_every_page_needs_a_login(site: httpx.AsyncClient) -> None:
    for path in ("/conversations", "/conversations/c-hostile", "/handoffs", "/metrics",
                 "/corrections", "/exports/nlu/zh", "/exports/transcripts.csv", "/audit", "/users"):  # fmt: skip
        answer = await site.get(path)
        assert answer.status_code == 302 and answer.headers["location"].startswith("/login"), path


async def test_resident_text_is_shown_as_text_and_redacted(site: httpx.AsyncClient) -> None:
    await log_in(site, "wang")
    for path in ("/conversations", "/conversations/c-hostile"):
        page = await site.get(path)
        assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text
        assert "13800138000" not in page.text and "138****8000" in page.text
        assert "script-src" not in page.headers["content-security-policy"]  # no script at all


async def test_a_form_without_the_sessions_csrf_token_is_refused(site: httpx.AsyncClient) -> None:
    csrf = await log_in(site, "wang")
    forged = await site.post(
        "/conversations/c-hostile/tag", data={"tag": "x", "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    missing = await site.post("/conversations/c-hostile/tag", data={"tag": "x"})
    assert missing.status_code == 403
    ok = await site.post("/conversations/c-hostile/tag", data={"tag": "fares", "csrf_token": csrf})
    assert ok.status_code == 302
    assert "fares" in (await site.get("/conversations/c-hostile")).text


async def test_a_reviewer_cannot_open_admin_pages_or_unmask(site: httpx.AsyncClient) -> None:
    csrf = await log_in(site, "wang")
    assert (await site.get("/audit")).status_code == 403
    assert (await site.get("/users")).status_code == 403
    await site.post(
        "/conversations/c-hostile/unmask",
        data={"reason": "resident asked on the phone", "csrf_token": csrf},
    )
    assert "13800138000" not in (await site.get("/conversations/c-hostile")).text


async def test_an_admin_unmasks_one_conversation_with_a_reason_and_it_is_audited(
    site: httpx.AsyncClient,
) -> None:
    csrf = await log_in(site, "chen")
    await site.post(
        "/conversations/c-hostile/unmask",
        data={"reason": "resident asked on the phone", "csrf_token": csrf},
    )
    assert "13800138000" in (await site.get("/conversations/c-hostile")).text
    audit_page = (await site.get("/audit")).text
    assert "unmask" in audit_page and "resident asked on the phone" in audit_page


async def test_an_admin_unlocks_an_account_from_the_users_page(site: httpx.AsyncClient) -> None:
    page = await site.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    for n in range(6):
        wrong = {"login_token": token, "username": "wang", "password": f"typo-{n}", "next": "/"}
        assert (await site.post("/login", data=wrong)).status_code == 401
    csrf = await log_in(site, "chen")
    reviewer_forged = await site.post("/users/wang/unlock", data={"csrf_token": "forged"})
    assert reviewer_forged.status_code == 403
    unlocked = await site.post("/users/wang/unlock", data={"csrf_token": csrf})
    assert unlocked.status_code == 303
    assert "login_unlocked" in (await site.get("/audit")).text
    await site.post("/logout", data={"csrf_token": csrf})
    await log_in(site, "wang")  # asserts the login went through


async def test_login_redirects_only_within_the_console(site: httpx.AsyncClient) -> None:
    page = await site.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = await site.post(
        "/login",
        data={
            "login_token": token,
            "username": "wang",
            "password": PASSWORD,
            "next": "//evil.example/x",
        },
    )
    assert answer.headers["location"] == "/conversations"


async def test_session_cookie_is_http_only_and_same_site_strict(site: httpx.AsyncClient) -> None:
    page = await site.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = await site.post(
        "/login", data={"login_token": token, "username": "wang", "password": PASSWORD}
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


async def test_exports_download_and_are_audited(site: httpx.AsyncClient) -> None:
    csrf = await log_in(site, "chen")
    page = (await site.get("/conversations/c-hostile")).text
    event_id = re.search(r'name="event_id" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    await site.post(
        "/conversations/c-hostile/correct",
        data={
            "event_id": event_id,
            "intent": "complaint_file",
            "annotated": "",
            "csrf_token": csrf,
        },
    )
    nlu = await site.get("/exports/nlu/zh")
    assert nlu.status_code == 200 and nlu.headers["x-left-out-personal-data"] == "1"
    transcripts = await site.get("/exports/transcripts.csv")
    assert "138****8000" in transcripts.text and "13800138000" not in transcripts.text
    audit_page = (await site.get("/audit")).text
    assert "export_nlu" in audit_page and "export_csv" in audit_page and "correct" in audit_page


async def test_pages_that_do_not_exist_carry_the_security_headers_too(
    site: httpx.AsyncClient,
) -> None:
    for path in ("/no-such-page", "/static/../../etc/passwd", "/conversations/x/y/z"):
        answer = await site.get(path)
        assert answer.status_code == 404, path
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
