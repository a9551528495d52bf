"""The WeChat Official Account channel: ``GET/POST /webhooks/wechat/webhook``.

WeChat waits 5 seconds for a reply and retries a callback 3 times, so the channel
(1) answers within a budget (4.5 s by default) with a passive reply when the
assistant is quick enough, and otherwise answers "success" and delivers the replies
later through the customer-service message API; and (2) remembers each message it
has seen for as long as its timestamp would be accepted, so neither a retry nor a
captured callback replayed runs the conversation twice: a retry waits for, and gets,
the first attempt's answer. With an EncodingAESKey configured only encrypted callbacks
are accepted (a plaintext body is covered by no signature), and URL verification
(GET) checks the timestamp's freshness like a callback does.

With several Rasa instances a retry, or the resident's next message, may reach
another instance: which messages are being answered (and their answers) and the
numbered buttons each resident was last shown are kept in the lock store's Redis
(:mod:`bot.channels.shared_store`), or in this process without it (``make run``).
A resident's conversation id is ``wechat-<OpenID>`` (:mod:`bot.channels.namespaces`).

Configuration enters in ``from_credentials`` (credentials.yml, then WECHAT_*
environment variables). Without a token the endpoints answer 503, so listing the
channel in credentials.yml is harmless until the account is set up.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Coroutine, Dict, Generic, List, Mapping, TypeVar

import httpx
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.namespaces import conversation_id, platform_id
from bot.channels.shared_store import SharedStore, shared_store
from bot.channels.validation import DEFAULT_MAX_BODY_BYTES
from bot.channels.wechat_crypto import (
    DEFAULT_TIMESTAMP_TOLERANCE,
    WeChatCipher,
    WeChatCryptoError,
    check_msg_signature,
    check_signature,
    is_fresh,
    msg_signature,
)
from bot.channels.wechat_messages import (
    WeChatMessage,
    WeChatMessageError,
    bilingual_text,
    choose_button,
    encrypted_reply_xml,
    last_buttons,
    message_from_fields,
    read_fields,
    render_bot_message,
    render_bot_messages,
    split_text,
    text_reply_xml,
)

logger = logging.getLogger(__name__)

PASSIVE = "passive"
CUSTOMER_SERVICE = "customer_service"
REPLY_MODES = (PASSIVE, CUSTOMER_SERVICE)
DEFAULT_API_BASE_URL = "https://api.weixin.qq.com"
SUCCESS = "success"
# Error codes for an expired or revoked access token: refresh once and retry.
TOKEN_ERRORS = frozenset({40001, 42001})
TOKEN_EXPIRY_MARGIN = 300.0
NOT_CONFIGURED = {
    "error": "wechat_not_configured",
    "message": "Set WECHAT_TOKEN (and WECHAT_APP_ID, WECHAT_APP_SECRET, "
    "WECHAT_ENCODING_AES_KEY for safe mode) to enable WeChat.",
    "message_zh": "微信渠道尚未配置：请设置 WECHAT_TOKEN 等环境变量后再启用。",
}

Handler = Callable[[UserMessage], Awaitable[Any]]
K = TypeVar("K")
V = TypeVar("V")


class WeChatApiError(Exception):
    """The WeChat API refused a call; carries WeChat's errcode and errmsg."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        self.errcode = errcode
        super().__init__(f"WeChat API error {errcode}: {errmsg}")


@dataclass(frozen=True)
class WeChatSettings:
    """Everything the channel needs to know about the account and its own limits."""

    token: str = ""
    app_id: str = ""
    app_secret: str = ""
    encoding_aes_key: str = ""
    reply_mode: str = PASSIVE
    passive_budget: float = 4.5
    api_base_url: str = DEFAULT_API_BASE_URL
    timestamp_tolerance: float = DEFAULT_TIMESTAMP_TOLERANCE
    dedupe_seconds: float = 60.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @property
    def configured(self) -> bool:
        return bool(self.token)

    @property
    def memory_seconds(self) -> float:
        """How long a message's answer is remembered: its whole accepted timestamp window.

        A callback is accepted while its timestamp is within ``timestamp_tolerance`` of
        now, either side, so a captured callback could be replayed for up to twice that
        after it was first seen; shorter memory would let the replay run again.
        """
        return max(self.dedupe_seconds, 2 * self.timestamp_tolerance + 5)

    def check(self) -> None:
        """Refuse, at start-up, settings that could only fail at the first message."""
        if not self.configured:
            return
        if self.reply_mode not in REPLY_MODES:
            raise ValueError(
                f"WeChat reply_mode must be one of {REPLY_MODES}, not {self.reply_mode!r}."
            )
        if self.reply_mode == CUSTOMER_SERVICE and not (self.app_id and self.app_secret):
            raise ValueError("WeChat customer_service mode needs app_id and app_secret.")
        if self.encoding_aes_key:
            WeChatCipher(self.encoding_aes_key, self.app_id)  # raises on a bad key


def settings_from(
    credentials: Mapping[str, Any] | None, environ: Mapping[str, str]
) -> WeChatSettings:
    """Settings from credentials.yml, each falling back to its WECHAT_* environment variable."""
    credentials = credentials or {}

    def value(key: str, default: str = "") -> str:
        found = credentials.get(key)
        return str(
            found if found not in (None, "") else environ.get(f"WECHAT_{key.upper()}", default)
        )

    return WeChatSettings(
        token=value("token"),
        app_id=value("app_id"),
        app_secret=value("app_secret"),
        encoding_aes_key=value("encoding_aes_key"),
        reply_mode=value("reply_mode", PASSIVE).strip().lower(),
        passive_budget=float(credentials.get("passive_budget", 4.5)),
        api_base_url=str(credentials.get("api_base_url") or DEFAULT_API_BASE_URL),
        timestamp_tolerance=float(
            credentials.get("timestamp_tolerance", DEFAULT_TIMESTAMP_TOLERANCE)
        ),
    )


class TtlCache(Generic[K, V]):
    """A dict whose entries expire after ``ttl`` seconds, holding at most ``max_entries``."""

    def __init__(
        self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.max_entries, self._clock = ttl, max_entries, clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        self._expire()
        entry = self._entries.get(key)
        return entry[1] if entry else None

    def set(self, key: K, value: V) -> None:
        self._entries.pop(key, None)
        self._entries[key] = (self._clock() + self.ttl, value)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def _expire(self) -> None:
        # Entries are kept in insertion order and share one ttl, so expiry order too.
        now = self._clock()
        while self._entries and next(iter(self._entries.values()))[0] <= now:
            self._entries.popitem(last=False)


class WeChatApiClient:
    """The customer-service message API, with the access token cached until near expiry."""

    def __init__(
        self,
        settings: WeChatSettings,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._http = http or httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
        self._clock = clock
        self._token: tuple[str, float] | None = None
        self._token_lock = asyncio.Lock()

    async def send_text(self, openid: str, content: str) -> None:
        """Send one text message to a user who wrote to the account in the last 48 hours."""
        payload = {"touser": openid, "msgtype": "text", "text": {"content": content}}
        # Raw UTF-8: WeChat shows \\uXXXX escapes literally instead of decoding them.
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        for attempt in range(2):
            token = await self.access_token()
            answer = await self._call("POST", "/cgi-bin/message/custom/send", token, body)
            errcode = int(answer.get("errcode", 0))
            if errcode == 0:
                return
            if errcode in TOKEN_ERRORS and attempt == 0:
                self._token = None
                continue
            raise WeChatApiError(errcode, str(answer.get("errmsg", "")))

    async def access_token(self) -> str:
        """A valid access token, fetched once and reused until ``expires_in`` minus a margin."""
        async with self._token_lock:
            if self._token and self._token[1] > self._clock():
                return self._token[0]
            answer = await self._call(
                "GET",
                "/cgi-bin/token",
                params={
                    "grant_type": "client_credential",
                    "appid": self._settings.app_id,
                    "secret": self._settings.app_secret,
                },
            )
            if "access_token" not in answer:
                raise WeChatApiError(int(answer.get("errcode", -1)), str(answer.get("errmsg", "")))
            lifetime = float(answer.get("expires_in", 7200)) - TOKEN_EXPIRY_MARGIN
            self._token = (str(answer["access_token"]), self._clock() + max(lifetime, 0.0))
            return self._token[0]

    async def _call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: bytes | None = None,
        params: Dict[str, str] | None = None,
    ) -> Dict[str, Any]:
        query = dict(params or {})
        if token is not None:
            query["access_token"] = token
        answer = await self._http.request(
            method,
            self._settings.api_base_url.rstrip("/") + path,
            params=query,
            content=body,
            headers={"Content-Type": "application/json; charset=utf-8"} if body else None,
        )
        answer.raise_for_status()
        decoded = answer.json()
        if not isinstance(decoded, dict):
            raise WeChatApiError(-1, "the API answered something other than a JSON object")
        return decoded

    async def aclose(self) -> None:
        await self._http.aclose()


@dataclass(frozen=True)
class _Callback:
    """A verified, decrypted callback: the message and how to wrap the reply."""

    message: WeChatMessage
    encrypted: bool


#: Seconds a resident's numbered buttons stay valid.
BUTTONS_SECONDS = 3600.0
#: Shared-store value of a message one instance is still answering.
IN_PROGRESS = "\x00answering"
#: Seconds between looks at the shared store while another instance answers a retried message.
POLL_SECONDS = 0.1


class ResidentButtons:
    """The numbered buttons each resident was last shown, in the shared store (JSON)."""

    def __init__(self, store: SharedStore) -> None:
        self._store = store

    async def remember(self, openid: str, buttons: List[Dict[str, Any]]) -> None:
        await self._store.set(
            f"wechat:buttons:{openid}", json.dumps(buttons, ensure_ascii=False), BUTTONS_SECONDS
        )

    async def last(self, openid: str) -> List[Dict[str, Any]]:
        text = await self._store.get(f"wechat:buttons:{openid}")
        try:
            buttons = json.loads(text) if text else []
        except ValueError:
            return []
        return [b for b in buttons if isinstance(b, dict)] if isinstance(buttons, list) else []


class WeChatOutput(CollectingOutputChannel):
    """Messages the assistant starts (``trigger_intent``: "your complaint was resolved"),
    sent through the customer-service message API — a push has no request to reply to.

    Each message is rendered as the passive replies are (buttons as numbered options) and
    its buttons are remembered, so the resident's "1" means the same as after a reply.
    WeChat accepts such messages within 48 hours of the resident's last message; a refusal
    is raised as :class:`WeChatApiError` and logged by Rasa.
    """

    @classmethod
    def name(cls) -> str:
        return "wechat"

    def __init__(
        self,
        api: WeChatApiClient,
        remember_buttons: Callable[[str, List[Dict[str, Any]]], Awaitable[None]],
    ) -> None:
        super().__init__()
        self._api = api
        self._remember_buttons = remember_buttons

    async def _persist_message(self, message: Dict[str, Any]) -> None:
        await super()._persist_message(message)
        recipient = platform_id(self.name(), message.get("recipient_id") or "")
        if message.get("buttons"):
            await self._remember_buttons(recipient, [dict(b) for b in message["buttons"]])
        if recipient:
            for part in split_text(render_bot_message(message)):
                await self._api.send_text(recipient, part)


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    def __init__(
        self,
        settings: WeChatSettings,
        api: WeChatApiClient | None = None,
        clock: Callable[[], float] = time.time,
        shared: SharedStore | None = None,
    ) -> None:
        settings.check()
        self.settings = settings
        self._clock = clock
        self._cipher = (
            WeChatCipher(settings.encoding_aes_key, settings.app_id)
            if settings.configured and settings.encoding_aes_key
            else None
        )
        self._api = api
        self._answers: TtlCache[str, asyncio.Future[str]] = TtlCache(settings.memory_seconds)
        self._shared = shared if shared is not None else shared_store({})
        self._buttons = ResidentButtons(self._shared)
        self._background: set[asyncio.Task[None]] = set()

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        return cls(settings_from(credentials, os.environ), shared=shared_store(os.environ))

    @property
    def api(self) -> WeChatApiClient:
        if self._api is None:
            self._api = WeChatApiClient(self.settings)
        return self._api

    def get_output_channel(self) -> WeChatOutput | None:
        """For pushes (Rasa's trigger_intent); None without the AppID/AppSecret the API needs."""
        if not (self.settings.configured and self.settings.app_id and self.settings.app_secret):
            return None
        return WeChatOutput(self.api, self._buttons.remember)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.settings.configured:
                return response.json(NOT_CONFIGURED, status=503)
            if not self._signed(request) or not self._fresh(request):
                return response.text("invalid signature or stale timestamp", status=403)
            return response.text(request.args.get("echostr", ""))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.settings.configured:
                return response.json(NOT_CONFIGURED, status=503)
            body = request.body or b""
            if len(body) > self.settings.max_body_bytes:
                return response.text("body too large", status=413)
            if not self._signed(request) or not self._fresh(request):
                return response.text("invalid signature or stale timestamp", status=403)
            try:
                callback = self._open(request, body)
            except WeChatCryptoError as error:
                logger.warning("Refused a WeChat callback: %s", error)
                return response.text("invalid encrypted message", status=403)
            except WeChatMessageError as error:
                return response.text(str(error), status=400)
            answer = await self._answer_once(callback, on_new_message)
            if answer == SUCCESS:
                return response.text(SUCCESS)
            return response.text(answer, content_type="application/xml; charset=utf-8")

        @webhook.listener("before_server_stop")
        async def finish_deliveries(*_: Any) -> None:
            await self.drain()
            if self._api is not None:
                await self._api.aclose()

        return webhook

    def _signed(self, request: Request) -> bool:
        args = request.args
        return check_signature(
            self.settings.token,
            args.get("timestamp", ""),
            args.get("nonce", ""),
            args.get("signature", ""),
        )

    def _fresh(self, request: Request) -> bool:
        timestamp = request.args.get("timestamp", "")
        return is_fresh(timestamp, self._clock(), self.settings.timestamp_tolerance)

    def _open(self, request: Request, body: bytes) -> _Callback:
        """Verify ``msg_signature`` and decrypt in safe mode; parse the message either way."""
        fields = read_fields(body, self.settings.max_body_bytes)
        if request.args.get("encrypt_type", "raw").lower() != "aes":
            if self._cipher is not None:
                # Safe mode: a plaintext body is covered by no signature, so accepting
                # one would let anyone holding a callback URL speak as any OpenID.
                raise WeChatCryptoError("Plaintext callback refused: safe mode is configured.")
            return _Callback(message_from_fields(fields), encrypted=False)
        if self._cipher is None:
            raise WeChatCryptoError("Encrypted callback, but no EncodingAESKey is configured.")
        encrypted = fields.get("Encrypt", "").strip()
        args = request.args
        if not check_msg_signature(
            self.settings.token,
            args.get("timestamp", ""),
            args.get("nonce", ""),
            encrypted,
            args.get("msg_signature", ""),
        ):
            raise WeChatCryptoError("The msg_signature does not match the Encrypt element.")
        inner = self._cipher.decrypt(encrypted).encode("utf-8")
        return _Callback(message_from_fields(read_fields(inner)), encrypted=True)

    async def _answer_once(self, callback: _Callback, on_new_message: Handler) -> str:
        """The HTTP answer for this message, computed once however often WeChat retries it."""
        key = callback.message.dedupe_key
        earlier = self._answers.get(key)
        if earlier is not None:
            try:
                return await asyncio.wait_for(asyncio.shield(earlier), self.settings.passive_budget)
            except asyncio.TimeoutError:
                return SUCCESS
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._answers.set(key, future)
        shared_key = f"wechat:answer:{key}"
        ttl = self.settings.memory_seconds
        if not await self._shared.claim(shared_key, IN_PROGRESS, ttl):
            # Another instance has (or had) this message: its answer, when it comes in time.
            answer = await self._answer_from_elsewhere(shared_key)
            future.set_result(answer)
            return answer
        try:
            answer = await self._answer(callback, on_new_message)
        except Exception:
            # The conversation may have half-run; answering "success" stops WeChat's retries.
            logger.exception("A WeChat %s message failed", callback.message.kind)
            answer = SUCCESS
        future.set_result(answer)
        await self._shared.set(shared_key, answer, ttl)
        return answer

    async def _answer_from_elsewhere(self, shared_key: str) -> str:
        """The answer another instance gives to this message, or "success" after the budget.

        "success" is safe: the instance answering it delivers late replies through the
        customer-service API itself, as it would for its own slow turn.
        """
        deadline = time.monotonic() + self.settings.passive_budget
        while True:
            answer = await self._shared.get(shared_key)
            if answer is not None and answer != IN_PROGRESS:
                return answer
            if answer is None or time.monotonic() >= deadline:
                return SUCCESS
            await asyncio.sleep(POLL_SECONDS)

    async def _answer(self, callback: _Callback, on_new_message: Handler) -> str:
        message = callback.message
        if message.kind in ("unsubscribe", "event"):
            return SUCCESS
        if message.kind == "unsupported":
            return await self._deliver(callback, [bilingual_text("unsupported")])
        conversation = asyncio.create_task(self._converse(message, on_new_message))
        if self.settings.reply_mode == PASSIVE:
            done, _ = await asyncio.wait({conversation}, timeout=self.settings.passive_budget)
            if done:
                return await self._deliver(callback, conversation.result())
        self._in_background(self._send_when_done(message.from_user, conversation))
        return SUCCESS

    async def _converse(self, message: WeChatMessage, on_new_message: Handler) -> List[str]:
        """Run one user turn through Rasa; the rendered replies, buttons remembered."""
        text, metadata = await self._user_turn(message)
        collector = CollectingOutputChannel()
        await on_new_message(
            UserMessage(
                text,
                collector,
                conversation_id(self.name(), message.from_user),
                input_channel=self.name(),
                message_id=message.msg_id or None,
                metadata=metadata,
            )
        )
        await self._buttons.remember(message.from_user, last_buttons(collector.messages))
        return render_bot_messages(collector.messages)

    async def _user_turn(self, message: WeChatMessage) -> tuple[str, Dict[str, Any]]:
        """What Rasa should see for this message: text (or intent payload) and metadata."""
        if message.kind == "subscribe":
            return "/greet", {"language": "zh"}
        if message.kind == "location" and message.location is not None:
            return "/inform", {"location": message.location.as_metadata()}
        chosen = choose_button(message.content, await self._buttons.last(message.from_user))
        return chosen or message.content, {}

    async def _deliver(self, callback: _Callback, texts: List[str]) -> str:
        """The passive reply for ``texts`` (or API delivery in customer-service mode)."""
        if not texts:
            return SUCCESS
        whole = "\n\n".join(texts)
        too_long = len(split_text(whole)) > 1
        if self.settings.reply_mode == CUSTOMER_SERVICE or (too_long and self._can_push):
            # A passive reply is one message of at most 2048 bytes; a longer answer
            # goes out in parts through the customer-service API.
            self._in_background(self._send_all(callback.message.from_user, texts))
            return SUCCESS
        message = callback.message
        reply = text_reply_xml(
            message.from_user, message.to_user, int(self._clock()), split_text(whole)[0]
        )
        if not callback.encrypted or self._cipher is None:
            return reply
        encrypted = self._cipher.encrypt(reply)
        timestamp, nonce = str(int(self._clock())), str(secrets.randbelow(10**10))
        signature = msg_signature(self.settings.token, timestamp, nonce, encrypted)
        return encrypted_reply_xml(encrypted, signature, timestamp, nonce)

    async def _send_when_done(self, openid: str, conversation: asyncio.Task[List[str]]) -> None:
        await self._send_all(openid, await conversation)

    @property
    def _can_push(self) -> bool:
        """Whether the customer-service API is usable (it needs the app id and secret)."""
        return bool(self.settings.app_id and self.settings.app_secret)

    async def _send_all(self, openid: str, texts: List[str]) -> None:
        for text in texts:
            for part in split_text(text):
                await self.api.send_text(openid, part)

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("WeChat delivery failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for background deliveries (tests, and a graceful shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)
