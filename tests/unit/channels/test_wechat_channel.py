"""The WeChat channel end to end on a Sanic app, with a stand-in for Rasa and for WeChat's API."""

from __future__ import annotations

import asyncio
import copy
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any, Dict, List

import httpx
import pytest
import respx
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.shared_store import LocalStore
from bot.channels.wechat import (
    WeChatApiClient,
    WeChatInput,
    WeChatSettings,
    settings_from,
)
from bot.channels.wechat_crypto import WeChatCipher, check_msg_signature, msg_signature
from bot.channels.wechat_messages import read_fields
from tests.factories.sanic_app import lifespan
from tests.unit.channels.wechat_samples import (
    ACCOUNT,
    APP_ID,
    ENCODING_AES_KEY,
    OPENID,
    TOKEN,
    message_xml,
    signed_query,
)

API = "https://wechat-api.test"
URL = "/webhooks/wechat/webhook"
SETTINGS = WeChatSettings(token=TOKEN, app_id=APP_ID, app_secret="s3cret", api_base_url=API)
CONFIRM = {
    "text": "请确认您的投诉信息：",
    "buttons": [
        {"title": "确认提交", "payload": "/affirm"},
        {"title": "修改位置", "payload": "/change_location"},
    ],
}


class FakeRasa:
    """Stands in for ``agent.handle_message``: records messages, answers with set replies."""

    def __init__(self, replies: List[Dict[str, Any]] | None = None, delay: float = 0.0) -> None:
        self.replies = replies if replies is not None else [{"text": "您好，我是市民服务助手。"}]
        self.delay = delay
        self.received: List[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await asyncio.sleep(self.delay)
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))


class Harness:
    """A Sanic app with the channel mounted, and an HTTP client talking to it in-process."""

    def __init__(self, channel: WeChatInput, rasa: FakeRasa, client: httpx.AsyncClient) -> None:
        self.channel, self.rasa, self.client = channel, rasa, client

    async def post(self, body: str, **query: str) -> httpx.Response:
        params = {**signed_query(), **query}
        return await self.client.post(URL, params=params, content=body.encode("utf-8"))


async def harness(
    settings: WeChatSettings, rasa: FakeRasa, shared: LocalStore | None = None
) -> AsyncIterator[Harness]:
    channel = WeChatInput(settings, api=WeChatApiClient(settings), shared=shared)
    app = Sanic(f"wechat_{uuid.uuid4().hex[:12]}")
    app.blueprint(channel.blueprint(rasa), url_prefix="/webhooks/wechat")
    transport = httpx.ASGITransport(app=app)
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client,
    ):
        yield Harness(channel, rasa, client)


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let Sanic start several apps in one process (its start-up rewrites class methods)."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture()
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture()
async def bot(rasa: FakeRasa) -> AsyncIterator[Harness]:
    async for running in harness(SETTINGS, rasa):
        yield running


@pytest.fixture()
def wechat_api() -> respx.MockRouter:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        router.get("/cgi-bin/token").respond(json={"access_token": "TOKEN-1", "expires_in": 7200})
        router.post("/cgi-bin/message/custom/send").respond(json={"errcode": 0, "errmsg": "ok"})
        yield router


def reply_fields(response: httpx.Response) -> Dict[str, str]:
    assert response.status_code == 200, response.text
    return read_fields(response.content)


def sent_texts(router: respx.MockRouter) -> List[Dict[str, Any]]:
    route = router.routes[1]
    return [json.loads(call.request.content) for call in route.calls]


async def test_url_verification_echoes_the_echostr(bot: Harness) -> None:
    answer = await bot.client.get(URL, params={**signed_query(), "echostr": "8141230967"})
    assert (answer.status_code, answer.text) == (200, "8141230967")


async def test_url_verification_with_a_bad_signature_is_forbidden(bot: Harness) -> None:
    query = {**signed_query(token="not-ours"), "echostr": "8141230967"}
    answer = await bot.client.get(URL, params=query)
    assert answer.status_code == 403 and "8141230967" not in answer.text


async def test_a_text_message_gets_the_assistants_reply_passively(bot: Harness) -> None:
    answer = await bot.post(message_xml("text", Content="你好"))
    fields = reply_fields(answer)
    assert answer.headers["content-type"].startswith("application/xml")
    assert (fields["ToUserName"], fields["FromUserName"], fields["MsgType"]) == (
        OPENID,
        ACCOUNT,
        "text",
    )
    assert fields["Content"] == "您好，我是市民服务助手。"
    [received] = bot.rasa.received
    assert (received.text, received.sender_id, received.input_channel) == (
        "你好",
        f"wechat-{OPENID}",
        "wechat",
    )


async def test_several_bot_messages_share_one_passive_reply(rasa: FakeRasa, bot: Harness) -> None:
    rasa.replies = [{"text": "第一条"}, {"text": "第二条"}]
    assert (
        reply_fields(await bot.post(message_xml("text", Content="hi")))["Content"]
        == "第一条\n\n第二条"
    )


async def test_a_bad_signature_is_forbidden_and_never_reaches_rasa(bot: Harness) -> None:
    answer = await bot.post(message_xml("text", Content="hi"), signature="0" * 40)
    assert answer.status_code == 403 and bot.rasa.received == []


async def test_a_stale_timestamp_is_forbidden_even_when_signed(bot: Harness) -> None:
    answer = await bot.post(
        message_xml("text", Content="hi"), **signed_query(timestamp=int(time.time()) - 301)
    )
    assert answer.status_code == 403 and bot.rasa.received == []


async def test_malformed_and_hostile_xml_is_refused(bot: Harness) -> None:
    hostile = '<!DOCTYPE xml [<!ENTITY a "x">]><xml><Content>&a;</Content></xml>'
    assert (await bot.post("<xml><ToUserName>")).status_code == 400
    assert (await bot.post(hostile)).status_code == 400
    assert (await bot.post("<xml>" + " " * 70000 + "</xml>")).status_code == 413
    assert bot.rasa.received == []


async def test_a_retried_message_runs_the_conversation_once(bot: Harness) -> None:
    body = message_xml("text", Content="我要投诉", msg_id="777")
    first, retry = await bot.post(body), await bot.post(body)
    assert len(bot.rasa.received) == 1
    assert first.text == retry.text


async def test_a_retry_during_processing_waits_for_the_same_answer(
    rasa: FakeRasa, bot: Harness
) -> None:
    rasa.delay = 0.3
    body = message_xml("text", Content="我要投诉", msg_id="778")
    first, retry = await asyncio.gather(bot.post(body), bot.post(body))
    assert len(rasa.received) == 1
    assert first.text == retry.text and reply_fields(first)["Content"] == "您好，我是市民服务助手。"


async def test_a_slow_turn_answers_success_then_sends_through_the_api(
    wechat_api: respx.MockRouter,
) -> None:
    rasa = FakeRasa(delay=0.4)
    async for bot in harness(replace(SETTINGS, passive_budget=0.1), rasa):
        first = await bot.post(message_xml("text", Content="查询12路", msg_id="901"))
        retry = await bot.post(message_xml("text", Content="查询12路", msg_id="901"))
        assert (first.text, retry.text) == ("success", "success")
        await bot.post(message_xml("text", Content="再查一次", msg_id="902"))
        await bot.channel.drain()
    assert len(rasa.received) == 2
    assert (
        sent_texts(wechat_api)
        == [{"touser": OPENID, "msgtype": "text", "text": {"content": "您好，我是市民服务助手。"}}]
        * 2
    )
    token_calls = wechat_api.routes[0].calls
    assert len(token_calls) == 1, "the access token is cached between deliveries"
    assert token_calls[0].request.url.params["appid"] == APP_ID
    assert wechat_api.routes[1].calls[0].request.url.params["access_token"] == "TOKEN-1"


async def test_an_expired_access_token_is_refreshed_once(wechat_api: respx.MockRouter) -> None:
    wechat_api.routes[0].side_effect = [
        httpx.Response(200, json={"access_token": "OLD", "expires_in": 7200}),
        httpx.Response(200, json={"access_token": "NEW", "expires_in": 7200}),
    ]
    wechat_api.routes[1].side_effect = [
        httpx.Response(200, json={"errcode": 42001, "errmsg": "access_token expired"}),
        httpx.Response(200, json={"errcode": 0, "errmsg": "ok"}),
    ]
    client = WeChatApiClient(SETTINGS)
    await client.send_text(OPENID, "您好")
    await client.aclose()
    tokens = [call.request.url.params["access_token"] for call in wechat_api.routes[1].calls]
    assert tokens == ["OLD", "NEW"]


async def test_customer_service_mode_always_answers_success_and_uses_the_api(
    wechat_api: respx.MockRouter,
) -> None:
    rasa = FakeRasa()
    async for bot in harness(replace(SETTINGS, reply_mode="customer_service"), rasa):
        assert (await bot.post(message_xml("text", Content="你好"))).text == "success"
        await bot.channel.drain()
    assert [sent["text"]["content"] for sent in sent_texts(wechat_api)] == [
        "您好，我是市民服务助手。"
    ]


async def test_a_numbered_reply_sends_the_remembered_button_payload(
    rasa: FakeRasa, bot: Harness
) -> None:
    rasa.replies = [CONFIRM]
    first = reply_fields(await bot.post(message_xml("text", Content="投诉噪音", msg_id="1")))
    assert first["Content"].endswith("1. 确认提交\n2. 修改位置\n请回复数字进行选择。")
    rasa.replies = [{"text": "已提交。"}]
    await bot.post(message_xml("text", Content="１", msg_id="2"))
    await bot.post(message_xml("text", Content="1", msg_id="3"))
    assert [message.text for message in rasa.received] == ["投诉噪音", "/affirm", "1"]


async def test_following_the_account_greets_in_chinese(bot: Harness) -> None:
    reply = reply_fields(await bot.post(message_xml("event", msg_id=None, Event="subscribe")))
    [received] = bot.rasa.received
    assert (received.text, received.metadata) == ("/greet", {"language": "zh"})
    assert reply["Content"] == "您好，我是市民服务助手。"


async def test_unfollowing_is_acknowledged_without_a_conversation(bot: Harness) -> None:
    answer = await bot.post(message_xml("event", msg_id=None, Event="unsubscribe"))
    assert answer.text == "success" and bot.rasa.received == []


async def test_a_shared_location_reaches_rasa_as_metadata(bot: Harness) -> None:
    xml = message_xml(
        "location", Location_X="22.543096", Location_Y="114.057865", Scale="15", Label="市民中心"
    )
    await bot.post(xml)
    [received] = bot.rasa.received
    assert received.text == "/inform"
    assert received.metadata == {
        "location": {"lat": 22.543096, "long": 114.057865, "label": "市民中心"}
    }


async def test_an_image_gets_a_polite_bilingual_request_for_text(bot: Harness) -> None:
    reply = reply_fields(await bot.post(message_xml("image", PicUrl="http://x/p.jpg", MediaId="m")))
    assert "文字" in reply["Content"] and "Please type" in reply["Content"]
    assert bot.rasa.received == []


async def safe_mode_post(bot: Harness, inner: str, signature: str | None = None) -> httpx.Response:
    encrypted = WeChatCipher(ENCODING_AES_KEY, APP_ID).encrypt(inner)
    query = signed_query()
    good = msg_signature(TOKEN, query["timestamp"], query["nonce"], encrypted)
    body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    params = {**query, "encrypt_type": "aes", "msg_signature": signature or good}
    return await bot.client.post(URL, params=params, content=body.encode())


async def test_safe_mode_decrypts_the_message_and_encrypts_the_reply(rasa: FakeRasa) -> None:
    async for bot in harness(replace(SETTINGS, encoding_aes_key=ENCODING_AES_KEY), rasa):
        envelope = reply_fields(await safe_mode_post(bot, message_xml("text", Content="你好")))
    assert rasa.received[0].text == "你好"
    assert check_msg_signature(
        TOKEN,
        envelope["TimeStamp"],
        envelope["Nonce"],
        envelope["Encrypt"],
        envelope["MsgSignature"],
    )
    inner = WeChatCipher(ENCODING_AES_KEY, APP_ID).decrypt(envelope["Encrypt"])
    assert read_fields(inner.encode())["Content"] == "您好，我是市民服务助手。"


async def test_safe_mode_refuses_a_wrong_msg_signature(rasa: FakeRasa) -> None:
    async for bot in harness(replace(SETTINGS, encoding_aes_key=ENCODING_AES_KEY), rasa):
        answer = await safe_mode_post(bot, message_xml("text", Content="你好"), signature="0" * 40)
    assert answer.status_code == 403 and rasa.received == []


async def test_without_a_token_the_endpoints_explain_they_are_not_configured(
    rasa: FakeRasa,
) -> None:
    async for bot in harness(WeChatSettings(), rasa):
        answers = [await bot.client.get(URL), await bot.client.post(URL, content=b"<xml/>")]
    assert [answer.status_code for answer in answers] == [503, 503]
    assert answers[0].json()["error"] == "wechat_not_configured"
    assert "WECHAT_TOKEN" in answers[1].json()["message"]


def test_settings_come_from_credentials_then_environment() -> None:
    environ = {
        "WECHAT_TOKEN": "env-token",
        "WECHAT_APP_ID": "wx-env",
        "WECHAT_REPLY_MODE": "customer_service",
        "WECHAT_APP_SECRET": "env-secret",
    }
    settings = settings_from({"token": "yml-token", "app_id": None}, environ)
    assert (settings.token, settings.app_id, settings.app_secret) == (
        "yml-token",
        "wx-env",
        "env-secret",
    )
    assert (settings.reply_mode, settings.encoding_aes_key) == ("customer_service", "")


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (WeChatSettings(token="t", reply_mode="push"), "reply_mode"),
        (WeChatSettings(token="t", reply_mode="customer_service"), "app_secret"),
        (WeChatSettings(token="t", app_id="wx1", encoding_aes_key="too-short"), "EncodingAESKey"),
    ],
)
def test_unusable_settings_are_refused_at_start_up(settings: WeChatSettings, problem: str) -> None:
    with pytest.raises(Exception, match=problem):
        WeChatInput(settings)


async def test_a_push_goes_out_through_the_customer_service_api(
    wechat_api: respx.MockRouter,
) -> None:
    channel = WeChatInput(SETTINGS)
    output = channel.get_output_channel()
    assert output is not None and output.name() == "wechat"
    await output.send_response(OPENID, copy.deepcopy(CONFIRM))  # Rasa pops what it sends
    [sent] = sent_texts(wechat_api)
    assert sent["touser"] == OPENID
    assert sent["text"]["content"].startswith("请确认您的投诉信息：\n1. 确认提交\n2. 修改位置")
    # The resident's "1" then means the pushed message's first button.
    assert await channel._buttons.last(OPENID) == CONFIRM["buttons"]  # noqa: SLF001
    await channel.api.aclose()


def test_without_app_credentials_there_is_no_push_channel() -> None:
    plain = WeChatSettings(token=TOKEN)
    assert WeChatInput(plain).get_output_channel() is None


async def test_an_answer_too_long_for_one_message_goes_out_in_parts_through_the_api(
    wechat_api: respx.MockRouter,
) -> None:
    long_answer = "\n".join(
        f"第{n}项：携带本人身份证原件及复印件，到居住地派出所办理。" for n in range(60)
    )
    rasa = FakeRasa([{"text": long_answer}])
    async for bot in harness(SETTINGS, rasa):
        assert (await bot.post(message_xml("text", Content="要带什么"))).text == "success"
        await bot.channel.drain()
    parts = [sent["text"]["content"] for sent in sent_texts(wechat_api)]
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 2048 for part in parts)
    assert "\n".join(part.removesuffix("……") for part in parts) == long_answer


async def test_without_api_credentials_a_long_answer_is_cut_to_one_passive_reply(
    rasa: FakeRasa,
) -> None:
    rasa.replies = [{"text": "很长的回答。" * 400}]
    async for bot in harness(replace(SETTINGS, app_secret=""), rasa):
        content = reply_fields(await bot.post(message_xml("text", Content="hi")))["Content"]
    assert len(content.encode("utf-8")) <= 2048 and content.endswith("……")


# -- several Rasa instances behind a load balancer (the shared store stands in for Redis) ----
class TwoInstances:
    """Two channels, as on two Rasa instances, sharing one store and one conversation engine."""

    def __init__(self, first: Harness, second: Harness) -> None:
        self.first, self.second = first, second


@pytest.fixture()
async def instances(rasa: FakeRasa) -> AsyncIterator[TwoInstances]:
    shared = LocalStore()
    async for first in harness(SETTINGS, rasa, shared):
        async for second in harness(SETTINGS, rasa, shared):
            yield TwoInstances(first, second)


async def test_a_retry_reaching_the_other_instance_gets_the_first_answer(
    rasa: FakeRasa, instances: TwoInstances
) -> None:
    rasa.delay = 0.3
    body = message_xml("text", Content="我要投诉", msg_id="880")
    first = asyncio.create_task(instances.first.post(body))
    await asyncio.sleep(0.1)
    retry = await instances.second.post(body)
    assert (await first).text == retry.text
    assert reply_fields(retry)["Content"] == "您好，我是市民服务助手。"
    assert len(rasa.received) == 1


async def test_a_late_retry_on_the_other_instance_does_not_run_the_turn_again(
    rasa: FakeRasa, instances: TwoInstances
) -> None:
    body = message_xml("text", Content="我要投诉", msg_id="881")
    first = await instances.first.post(body)
    retry = await instances.second.post(body)
    assert first.text == retry.text and len(rasa.received) == 1


async def test_while_the_other_instance_is_still_answering_a_retry_gets_success(
    rasa: FakeRasa,
) -> None:
    rasa.delay = 0.5
    shared = LocalStore()
    quick = replace(SETTINGS, passive_budget=0.1)
    async for first in harness(SETTINGS, rasa, shared):
        async for second in harness(quick, rasa, shared):
            body = message_xml("text", Content="查询12路", msg_id="882")
            slow = asyncio.create_task(first.post(body))
            await asyncio.sleep(0.05)
            assert (await second.post(body)).text == "success"
            assert reply_fields(await slow)["Content"] == "您好，我是市民服务助手。"
    assert len(rasa.received) == 1


async def test_buttons_shown_by_one_instance_are_understood_by_the_other(
    rasa: FakeRasa, instances: TwoInstances
) -> None:
    rasa.replies = [CONFIRM]
    await instances.first.post(message_xml("text", Content="投诉噪音", msg_id="883"))
    rasa.replies = [{"text": "已提交。"}]
    await instances.second.post(message_xml("text", Content="2", msg_id="884"))
    assert [message.text for message in rasa.received] == ["投诉噪音", "/change_location"]


async def test_each_resident_keeps_their_own_buttons(rasa: FakeRasa, bot: Harness) -> None:
    rasa.replies = [CONFIRM]
    await bot.post(message_xml("text", Content="投诉噪音", msg_id="885"))
    await bot.post(message_xml("text", Content="1", msg_id="886", openid="o-someone-else"))
    assert [message.text for message in rasa.received][-1] == "1"


async def test_url_verification_with_a_stale_timestamp_is_forbidden(bot: Harness) -> None:
    query = {**signed_query(timestamp=int(time.time()) - 301), "echostr": "8141230967"}
    answer = await bot.client.get(URL, params=query)
    assert answer.status_code == 403 and "8141230967" not in answer.text


async def test_with_an_aes_key_a_plaintext_callback_is_refused(rasa: FakeRasa) -> None:
    async for bot in harness(replace(SETTINGS, encoding_aes_key=ENCODING_AES_KEY), rasa):
        answer = await bot.post(message_xml("text", Content="我是别人"))
    assert answer.status_code == 403 and rasa.received == []


async def test_a_replay_inside_the_timestamp_window_does_not_run_again(rasa: FakeRasa) -> None:
    """The answer is remembered as long as the callback's timestamp would be accepted."""
    settings = replace(SETTINGS, dedupe_seconds=0.1, timestamp_tolerance=5.0)
    assert settings.memory_seconds >= 2 * settings.timestamp_tolerance
    async for bot in harness(settings, rasa):
        query = signed_query()
        body = message_xml("text", Content="我要投诉", msg_id="779")
        first = await bot.post(body, **query)
        await asyncio.sleep(0.3)  # past the retry memory of before, inside the window
        replay = await bot.post(body, **query)
    assert len(rasa.received) == 1
    assert replay.text == first.text
