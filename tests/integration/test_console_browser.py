"""The staff console in a real browser, on the conversations the running assistant recorded.

A resident's muddled Chinese messages go through the REST channel; a staff member
logs in, filters to low-confidence Chinese conversations, opens the resident's,
corrects an intent, exports the corrections and finds all of it in the audit log.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.integration import chat
from tests.integration.conftest import CONSOLE_PORT, ROOT, TOKEN
from tests.integration.test_webchat_browser import ARTIFACTS, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.integration

PASSWORD = "integration-console-password"
CONSOLE = f"http://127.0.0.1:{CONSOLE_PORT}"
#: Messages the assistant cannot place; at least one falls below the 0.6 threshold (which
#: one depends on the trained model: DIET is confidently wrong on some vague text).
#: Vague messages, one of which the model is unsure about (below the console's 0.6); a
#: newly trained model can be sure of some (gibberish taught as out of scope), so several.
MUDDLED = [
    "嗯嗯那个啥东西弄一下",
    "啊吧啊吧咕噜咕噜",
    "呃就是那个那个",
    "那个啥弄一下嘛",
    "那个谁说的那个事",
    "我想问个事但是忘了",
    "等等我想想",
    "不知道",
]


@pytest.fixture(scope="module")
def staff_admin(stack: str) -> str:
    """A fresh admin account, created with the documented command."""
    name = f"admin-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [sys.executable, "-m", "bot.console", "create-admin", name],
        cwd=ROOT, env={**os.environ, "CONSOLE_ADMIN_PASSWORD": PASSWORD},
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return name


@pytest.fixture(scope="module")
def muddled_resident(stack: str) -> tuple[str, str]:
    """A Chinese conversation with a low-confidence message: (sender id, that message)."""
    with httpx.Client(base_url=stack, timeout=60, headers=chat.REST_HEADERS) as client:
        sender = chat.new_sender("console")
        chat.say(client, sender, "你好")
        for text in MUDDLED:
            chat.send(client, sender, text)
        tracker = client.get(f"/conversations/{sender}/tracker", params={"token": TOKEN}).json()
    for event in tracker["events"]:
        if event["event"] == "user" and event["parse_data"]["intent"]["confidence"] < 0.6:
            return sender, event["text"]
    pytest.fail("the model was confident about every muddled message; pick vaguer ones")


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811 - the imported fixture
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def log_in(page: Page, name: str) -> None:
    page.goto(f"{CONSOLE}/conversations")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()


def test_staff_filter_open_correct_export_and_see_the_audit_trail(
    page: Page, staff_admin: str, muddled_resident: tuple[str, str]
) -> None:
    sender, muddled = muddled_resident
    log_in(page, staff_admin)

    page.get_by_label("Language").select_option("zh")
    page.get_by_label("low confidence", exact=False).check()
    page.get_by_role("button", name="Filter").click()
    row_link = page.locator(f'a[href="/conversations/{sender}"]')
    expect(row_link).to_be_visible()
    languages = page.locator("table.list tbody tr td:nth-child(4)").all_inner_texts()
    assert set(languages) == {"zh"}
    page.screenshot(path=str(ARTIFACTS / "console-list.png"))

    row_link.click()
    message = page.locator("li.user", has_text=muddled).first
    expect(message).to_have_class("user low")
    message.locator("summary").click()
    message.get_by_label("Intent").select_option("out_of_scope")
    message.get_by_role("button", name="Save correction").click()
    expect(page.locator("li.user", has_text=muddled).first).to_contain_text(
        f"Corrected to out_of_scope by {staff_admin}"
    )
    page.screenshot(path=str(ARTIFACTS / "console-transcript.png"))

    page.get_by_role("link", name="Corrections").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="中文 (corrections_zh.yml)").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert "- intent: out_of_scope" in exported and muddled in exported

    page.get_by_role("link", name="Audit log").click()
    entries = page.locator("table.audit tbody tr").all_inner_texts()
    mine = [entry for entry in entries if staff_admin in entry]
    assert any("\texport_nlu\t" in entry for entry in mine)
    assert any("\tcorrect\t" in entry and sender in entry for entry in mine)
    assert any("\tlogin\t" in entry for entry in mine)
    page.screenshot(path=str(ARTIFACTS / "console-audit.png"))


def test_a_reviewer_is_asked_to_log_in_and_wrong_passwords_are_refused(page: Page) -> None:
    page.goto(f"{CONSOLE}/metrics")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not-a-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")


def test_metrics_page_draws_charts(page: Page, staff_admin: str) -> None:
    log_in(page, staff_admin)
    page.get_by_role("link", name="Metrics").click()
    charts = page.locator("figure svg[role=img]")
    expect(charts).to_have_count(5)
    assert (
        page.locator("figure svg title").first.text_content() == "Conversations per day by language"
    )
    page.screenshot(path=str(ARTIFACTS / "console-metrics.png"), full_page=True)
