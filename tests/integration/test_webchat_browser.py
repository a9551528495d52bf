"""The web chat page in a real browser (Debian's headless Chromium, driven by Playwright).

Each test is a new resident: a fresh browser context (empty local storage)
against the running stack. Screenshots are kept in var/artifacts/browser/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts" / "browser"
REPLY_WAIT = 30_000
CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: Shenzhen Civic Center, where a resident shares their location from.
CIVIC_CENTER = {"latitude": 22.5431, "longitude": 114.0579}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing; run scripts/install-browser.sh (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


def open_chat(
    browser: Browser, stack: str, locale: str = "zh-CN", **options: Any
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        locale=locale, viewport=options.pop("viewport", {"width": 390, "height": 844}), **options
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(f"{stack}/chat/")
    expect(page.locator(".message.bot").first).to_be_visible(timeout=REPLY_WAIT)
    return context, page


def bot_messages(page: Page) -> list[str]:
    return page.locator(".message.bot").all_inner_texts()


def ask(page: Page, text: str) -> str:
    """Type a message, press Enter, and return the text of the replies it got."""
    before = page.locator(".message.bot").count()
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")
    return wait_for_replies(page, before)


def wait_for_replies(page: Page, before: int) -> str:
    expect(page.locator(".message.bot")).not_to_have_count(before, timeout=REPLY_WAIT)
    expect(page.locator("#typing")).to_be_hidden(timeout=REPLY_WAIT)
    return "\n".join(bot_messages(page)[before:])


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_resident_chats_in_chinese_then_switches_the_page_to_english(
    browser: Browser, stack: str
) -> None:
    context, page = open_chat(browser, stack, locale="zh-CN")
    assert CHINESE.search(bot_messages(page)[0]), "a Chinese browser is greeted in Chinese"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"

    reply = ask(page, "居住证需要什么材料？")
    assert "居住证" in reply

    page.get_by_role("button", name="Switch to English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("#message")).to_have_attribute(
        "placeholder", re.compile("Type your question")
    )
    expect(page.locator(".note").last).to_have_text("The assistant will answer in English.")

    # The switch is the resident's explicit choice: honoured even for Chinese text.
    greeting = ask(page, "你好")
    assert "Hello" in greeting and not CHINESE.search(greeting)
    answer = ask(page, "How much does the residence permit cost?")
    assert "residence permit" in answer.lower() and not CHINESE.search(answer)
    screenshot(page, "chat-chinese-then-english")
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def test_quick_reply_is_a_tap_that_sends_its_choice(browser: Browser, stack: str) -> None:
    context, page = open_chat(browser, stack, locale="en-GB")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Hello" in bot_messages(page)[0]
    ask(page, "How do I apply for a residence permit?")
    choices = page.locator(".quick-replies").last.get_by_role("button")
    assert choices.count() >= 2
    title = choices.first.inner_text()
    before = page.locator(".message.bot").count()
    choices.first.click()
    expect(page.locator(".message.user").last).to_contain_text(title)
    reply = wait_for_replies(page, before)
    assert reply and not CHINESE.search(reply)
    for button in page.locator(".quick-replies").first.get_by_role("button").all():
        expect(button).to_be_disabled()
    screenshot(page, "quick-reply")
    context.close()


def test_history_and_the_conversation_survive_a_reload(browser: Browser, stack: str) -> None:
    context, page = open_chat(browser, stack)
    ask(page, "居住证怎么办理？")
    shown = page.locator(".message").all_inner_texts()
    session = page.evaluate("JSON.parse(localStorage.getItem('city-assistant.chat.v1')).sessionId")

    page.reload()
    expect(page.locator(".message")).to_have_count(len(shown))
    assert page.locator(".message").all_inner_texts() == shown
    # The same conversation goes on: "how much?" is understood as about the residence permit.
    follow_up = ask(page, "要多少钱？")
    assert "居住证" in follow_up
    assert (
        page.evaluate("JSON.parse(localStorage.getItem('city-assistant.chat.v1')).sessionId")
        == session
    )
    screenshot(page, "after-reload")
    context.close()


def test_complaint_with_shared_location_shows_hostile_text_as_text(
    browser: Browser, stack: str
) -> None:
    context, page = open_chat(
        browser, stack, locale="en-GB", geolocation=CIVIC_CENTER, permissions=["geolocation"]
    )
    assert "Where" in ask(page, "I want to report a broken streetlight")

    before = page.locator(".message.bot").count()
    page.get_by_role("button", name="Share my location").click()
    expect(page.locator(".message.user").last).to_contain_text("22.5431")
    assert "describe" in wait_for_replies(page, before)

    hostile = (
        '<img src=x onerror="window.__xss=1"> lamp dark since Monday '
        "<script>window.__xss=2</script>"
    )
    ask(page, hostile)
    before = page.locator(".message.bot").count()
    page.locator(".quick-replies").last.get_by_role("button").first.click()  # no phone
    summary = wait_for_replies(page, before)
    assert '<img src=x onerror="window.__xss=1">' in summary, "shown as the resident typed it"
    assert page.evaluate("window.__xss") is None
    assert page.locator("#log img, #log script").count() == 0

    before = page.locator(".message.bot").count()
    page.get_by_role("button", name="Submit").click()
    assert re.search(r"SR\d{8}", wait_for_replies(page, before))
    assert page.evaluate("window.__xss") is None
    screenshot(page, "complaint-hostile-text")
    context.close()


def test_typed_text_and_a_message_sent_offline_survive_a_dropped_connection(
    browser: Browser, stack: str
) -> None:
    context, page = open_chat(browser, stack)
    context.set_offline(True)
    expect(page.locator("#connection")).to_be_visible(timeout=REPLY_WAIT)
    expect(page.locator("#connection")).to_contain_text("保留")

    page.locator("#message").fill("福田到罗湖多少钱")
    page.locator("#message").press("Enter")
    expect(page.locator(".message.user").last).to_contain_text("连接恢复后发送")
    page.locator("#message").fill("还有一句没写完")

    before = page.locator(".message.bot").count()
    context.set_offline(False)
    reply = wait_for_replies(page, before)
    assert "福田" in reply and "罗湖" in reply
    expect(page.locator("#connection")).to_be_hidden()
    expect(page.locator(".message.user").last).not_to_contain_text("连接恢复后发送")
    assert page.locator("#message").input_value() == "还有一句没写完"

    page.reload()
    assert page.locator("#message").input_value() == "还有一句没写完"
    context.close()


def test_enter_while_an_input_method_is_composing_does_not_send(
    browser: Browser, stack: str
) -> None:
    context, page = open_chat(browser, stack)
    ime = context.new_cdp_session(page)
    page.locator("#message").focus()
    ime.send("Input.imeSetComposition", {"text": "ditie", "selectionStart": 5, "selectionEnd": 5})
    page.keyboard.press("Enter")  # picks the candidate; must not send "ditie"
    ime.send("Input.insertText", {"text": "地铁票价"})
    page.wait_for_timeout(500)
    assert page.locator(".message.user").count() == 0

    before = page.locator(".message.bot").count()
    page.keyboard.press("Enter")
    wait_for_replies(page, before)
    sent = page.locator(".message.user").all_inner_texts()
    assert len(sent) == 1 and "地铁票价" in sent[0] and "ditie" not in sent[0]
    context.close()


def test_page_works_on_a_small_phone_by_keyboard_with_large_text(
    browser: Browser, stack: str
) -> None:
    context, page = open_chat(browser, stack, viewport={"width": 360, "height": 640})
    log = page.locator("#log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    for control in page.locator("button, textarea").all():
        assert control.evaluate(
            "node => (node.labels && node.labels.length) || node.getAttribute('aria-label')"
            " || node.textContent.trim()"
        ), control.evaluate("node => node.outerHTML")

    # Keyboard only: Tab to the large-text switch, press it, Tab on to the message box.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "large-text":
            break
    assert page.evaluate("document.activeElement.id") == "large-text"
    page.keyboard.press("Space")
    expect(page.locator("#large-text")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 22
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "message":
            break
    assert page.evaluate("document.activeElement.id") == "message"

    # Record every show/hide of the typing indicator while the assistant answers.
    page.evaluate(
        """() => { window.__typing = [];
        new MutationObserver(() => window.__typing.push(document.getElementById('typing').hidden))
          .observe(document.getElementById('typing'), {attributes: true}); }"""
    )
    before = page.locator(".message.bot").count()
    page.keyboard.type("车公庙下一班地铁几点？")
    page.keyboard.press("Enter")
    reply = wait_for_replies(page, before)
    assert "车公庙" in reply
    assert page.evaluate("window.__typing") == [False, True], "shown while answering, then hidden"

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a 360 px screen ({width} px)"
    page.reload()
    expect(page.locator("#large-text")).to_have_attribute("aria-pressed", "true")
    screenshot(page, "phone-360-large-text")
    context.close()
