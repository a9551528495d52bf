"""The web chat channel against the running server, with python-socketio's client as the peer.

The client uses long-polling: its websocket transport needs a newer aiohttp
than Rasa 3.6 allows. The browser tests use websockets.

The page itself is driven by a real browser in ``test_webchat_browser.py``;
these tests cover what a browser cannot easily show: malformed events, other
origins, sessions continued from a second socket, pushes.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any, AsyncIterator

import httpx
import pytest
import socketio

from bot.channels.webchat_sessions import conversation_id_of
from tests.integration.conftest import TOKEN
from tests.integration.webchat_client import WAIT, Resident

pytestmark = pytest.mark.integration
#: What the server issues: an id and its signature (bot/channels/webchat_sessions.py).
TOKEN_SHAPE = re.compile(r"[0-9a-f]{32}\.[A-Za-z0-9_-]{43}")


@pytest.fixture()
async def tab(stack: str) -> AsyncIterator[Resident]:
    resident = Resident(stack)
    yield resident
    await resident.close()


async def test_page_is_served_from_the_assistant_origin_with_strict_headers(stack: str) -> None:
    async with httpx.AsyncClient(base_url=stack, timeout=10) as http:
        redirect = await http.get("/chat")
        assert redirect.status_code in (301, 302)
        assert redirect.headers["location"].endswith("/chat/")
        page = await http.get("/chat/")
        assert page.status_code == 200
        assert "深圳市民服务助手" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        client = await http.get("/chat/static/vendor/socket.io.min.js")
        assert client.status_code == 200 and client.text.startswith("/*!\n * Socket.IO v4.8.1")
        for probe in ("/chat/static/../../credentials.yml", "/chat/static/index.html",
                      "/chat/static/vendor/README.md", "/chat/static/%2e%2e/webchat.py"):  # fmt: skip
            answer = await http.get(probe)
            assert answer.status_code == 404, probe
            assert "WECHAT" not in answer.text


async def test_a_message_is_answered_and_acknowledged_when_the_turn_is_over(
    tab: Resident,
) -> None:
    session_id = await tab.open()
    assert TOKEN_SHAPE.fullmatch(session_id)
    ack = await tab.say("你好")
    assert ack == {"ok": True, "session_id": session_id}
    assert tab.said, "the reply arrived before the acknowledgement"
    assert re.search(r"[\u4e00-\u9fff]", tab.texts())


async def test_language_picked_on_the_page_decides_the_reply_language(tab: Resident) -> None:
    await tab.open()
    await tab.say("你好", metadata={"language": "en"})
    assert "Hello" in tab.texts()
    assert not re.search(r"[\u4e00-\u9fff]", tab.texts())


async def test_a_reloaded_page_continues_the_same_conversation(stack: str) -> None:
    first = Resident(stack)
    session_id = await first.open()
    await first.say("How do I apply for a residence permit?")
    await first.close()

    reloaded = Resident(stack)
    assert await reloaded.open(session_id) == session_id
    await reloaded.say("how much does it cost?")
    await reloaded.close()
    assert "residence permit" in reloaded.texts().lower()

    async with httpx.AsyncClient(base_url=stack, timeout=10) as http:
        tracker = (
            await http.get(
                f"/conversations/{conversation_id_of(session_id)}/tracker", params={"token": TOKEN}
            )
        ).json()
    said = [event["text"] for event in tracker["events"] if event["event"] == "user"]
    assert said == ["How do I apply for a residence permit?", "how much does it cost?"]
    channels = {
        event.get("input_channel") for event in tracker["events"] if event["event"] == "user"
    }
    assert channels == {"webchat"}


async def test_every_open_tab_of_a_conversation_sees_the_replies(stack: str) -> None:
    phone, laptop = Resident(stack), Resident(stack)
    session_id = await phone.open()
    await laptop.open(session_id)
    await phone.say("hello")
    await asyncio.wait_for(laptop.arrived.wait(), WAIT)
    assert laptop.texts() == phone.texts()
    await phone.close()
    await laptop.close()


async def test_a_complaint_update_is_pushed_to_an_open_page(stack: str, tab: Resident) -> None:
    session_id = await tab.open()
    await tab.say("hello")
    tab.said.clear()
    tab.arrived.clear()
    async with httpx.AsyncClient(base_url=stack, timeout=30) as http:
        answer = await http.post(
            f"/conversations/{conversation_id_of(session_id)}/trigger_intent",
            params={"token": TOKEN, "output_channel": "latest"},
            json={
                "name": "EXTERNAL_complaint_update",
                "entities": {"ticket_id": "SZ-20261124-0001", "workflow_state": "dispatched"},
            },
        )
    assert answer.status_code == 200, answer.text
    await asyncio.wait_for(tab.arrived.wait(), WAIT)
    assert "SZ-20261124-0001" in tab.texts()


@pytest.mark.parametrize(
    ("message", "metadata", "error"),
    [
        ("", None, "empty_message"),
        ("   ", None, "empty_message"),
        (None, None, "invalid_message"),
        ({"text": "hi"}, None, "invalid_message"),
        ("好" * 2001, None, "message_too_long"),
        ("hello", "{not json", "invalid_metadata"),
        ("hello", ["en"], "invalid_metadata"),
        ("hello", {"note": "x" * 5000}, "metadata_too_large"),
    ],
)
async def test_bad_messages_get_a_clear_answer_and_never_reach_the_assistant(
    stack: str, tab: Resident, message: Any, metadata: Any, error: str
) -> None:
    session_id = await tab.open()
    ack = await tab.say(message, metadata)
    assert ack["ok"] is False and ack["error"] == error
    assert ack["message"]
    assert tab.said and tab.said[-1]["error"] == error
    async with httpx.AsyncClient(base_url=stack, timeout=10) as http:
        tracker = (
            await http.get(
                f"/conversations/{conversation_id_of(session_id)}/tracker", params={"token": TOKEN}
            )
        ).json()
    assert not [event for event in tracker["events"] if event["event"] == "user"]


async def test_errors_are_worded_in_the_language_of_the_page(tab: Resident) -> None:
    await tab.open()
    english = await tab.say("", {"language": "en"})
    chinese = await tab.say("", {"language": "zh"})
    assert english["message"] == "The message is empty. Please type your question."
    assert chinese["message"] == "消息内容为空，请输入您的问题。"


async def test_a_hostile_session_id_is_replaced_by_a_fresh_one(tab: Resident) -> None:
    session_id = await tab.open("../../etc/passwd")
    assert TOKEN_SHAPE.fullmatch(session_id)


async def test_a_message_without_a_session_request_still_gets_a_conversation(
    stack: str,
) -> None:
    resident = Resident(stack)
    await resident.client.connect(stack, transports=["polling"], headers={"Origin": stack})
    ack = await resident.say("hello")
    await resident.close()
    assert ack["ok"] is True and TOKEN_SHAPE.fullmatch(ack["session_id"])
    assert resident.said


async def test_an_oversized_packet_drops_only_that_connection(stack: str, tab: Resident) -> None:
    await tab.open()
    await tab.client.emit("user_uttered", {"message": "x" * 200_000})
    for _ in range(50):
        if not tab.client.connected:
            break
        await asyncio.sleep(0.2)
    assert not tab.client.connected
    other = Resident(stack)
    await other.open()
    assert (await other.say("hello"))["ok"] is True
    await other.close()


async def test_a_page_on_another_site_cannot_open_the_socket(stack: str) -> None:
    stranger = Resident(stack, origin="https://evil.example")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await stranger.open()


async def test_a_conversation_cannot_be_joined_by_its_id_or_a_forged_token(stack: str) -> None:
    """Knowing a resident's conversation id gives a stranger neither its replies nor a voice."""
    resident, stranger = Resident(stack), Resident(stack)
    token = await resident.open()
    await resident.say("How do I apply for a residence permit?")
    conversation = conversation_id_of(token)
    session = token.split(".")[0]
    for claimed in (conversation, session, f"{session}.{'A' * 43}", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"):
        stranger.session = asyncio.get_running_loop().create_future()
        if not stranger.client.connected:
            given = await stranger.open(claimed)
        else:
            await stranger.client.emit("session_request", {"session_id": claimed})
            given = await asyncio.wait_for(stranger.session, WAIT)
        assert given != token and conversation_id_of(given) != conversation
    await stranger.say("what documents do I need?")
    await resident.close()
    await stranger.close()
    async with httpx.AsyncClient(base_url=stack, timeout=10) as http:
        tracker = (
            await http.get(f"/conversations/{conversation}/tracker", params={"token": TOKEN})
        ).json()
    said = [event["text"] for event in tracker["events"] if event["event"] == "user"]
    assert said == ["How do I apply for a residence permit?"]
