"""Messages parsed by a second Rasa process, so that a turn's two halves use two cores.

Why: with ``make run`` one Rasa process does the work of every resident, and Python
runs it on one core while the machine has more. Parsing (the NLU pipeline, DIET) is a
third of that process's CPU per message (py-spy, docs/benchmarks.md). ``make run``
therefore starts a second Rasa process with the same model once the first is ready,
and the first sends each message's text to that worker's ``POST /model/parse`` and
goes on with other residents' turns (rules, TED, actions, the tracker store) while the
worker parses. A thread instead of a process bought ~2 %: the pipeline is Python
holding the interpreter's lock, apart from TensorFlow's own kernels.

The worker is an accelerator, never a dependency. Its answer is used only when it
comes back within :attr:`NLUWorker.timeout`, has a parse's shape, and the worker runs
the very model this process loaded (its ``/status`` model id, checked before first
use and again after every failure); otherwise the message is parsed in this process as
before and the worker is left alone for :attr:`NLUWorker.retry_after` seconds. The
parse is the same either way: no component of the pipeline reads the tracker or the
message's metadata, only its text (tests/integration/test_nlu_worker.py compares both).

Configured by ``CITY_NLU_WORKER_URL`` and ``CITY_NLU_WORKER_TOKEN`` (the worker's
``--auth-token``); unset, every message is parsed in-process (prod-local's two
instances already use both cores; ``rasa shell``; tests).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

import httpx

from bot.ops.metrics import REGISTRY

logger = logging.getLogger(__name__)

URL_VARIABLE = "CITY_NLU_WORKER_URL"
TOKEN_VARIABLE = "CITY_NLU_WORKER_TOKEN"


def usable_parse(data: Any, text: str) -> bool:
    """Whether a worker's answer looks like Rasa's parse of ``text``."""
    if not isinstance(data, dict) or data.get("text") != text:
        return False
    intent = data.get("intent")
    return (
        isinstance(intent, dict)
        and isinstance(intent.get("confidence", 0.0), (int, float))
        and isinstance(data.get("entities", []), list)
    )


class NLUWorker:
    """The client of one NLU worker process (``POST /model/parse``, ``GET /status``)."""

    #: A parse takes ~10 ms; a worker this late is stuck or starved, and the message is
    #: parsed here instead (costing the resident this long once, then nothing for
    #: ``retry_after`` seconds).
    timeout: float = 2.0
    retry_after: float = 5.0

    def __init__(
        self,
        url: str,
        token: str,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self._transport = transport
        self._clock = clock
        self._client: httpx.AsyncClient | None = None
        self._down_until = 0.0
        self._verified_model: str | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.timeout,
                transport=self._transport,
                limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
            )
        return self._client

    def _give_up_for_now(self, why: str) -> None:
        if self._clock() >= self._down_until:
            logger.info("NLU worker %s not used for %.0f s: %s", self.url, self.retry_after, why)
        self._down_until = self._clock() + self.retry_after
        self._verified_model = None

    async def _runs_model(self, model_id: str) -> bool:
        if self._verified_model == model_id:
            return True
        response = await self._http().get(f"{self.url}/status", params={"token": self.token})
        if response.status_code != 200:
            self._give_up_for_now(f"/status answered {response.status_code}")
            return False
        theirs = response.json().get("model_id")
        if theirs != model_id:
            self._give_up_for_now(f"it runs model {theirs!r}, this process {model_id!r}")
            return False
        self._verified_model = model_id
        return True

    async def parse(self, text: str, message_id: str | None, model_id: str) -> dict | None:
        """The worker's parse of ``text``, or None: parse it yourself."""
        if self._clock() < self._down_until:
            return None
        try:
            if not await self._runs_model(model_id):
                return None
            response = await self._http().post(
                f"{self.url}/model/parse",
                params={"token": self.token},
                json={"text": text, "message_id": message_id},
            )
            data = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as error:
            self._give_up_for_now(f"{type(error).__name__}: {error}")
            return None
        if not usable_parse(data, text):
            self._give_up_for_now(f"answered {response.status_code} without a parse")
            return None
        return data


_worker: NLUWorker | None = None
_configured_from: tuple[str, str] | None = None


def configured_worker() -> NLUWorker | None:
    """The worker named by the environment, or None when there is none."""
    global _worker, _configured_from
    url = os.environ.get(URL_VARIABLE, "")
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not url:
        return None
    if _configured_from != (url, token):
        _worker, _configured_from = NLUWorker(url, token), (url, token)
    return _worker


def count(where: str) -> None:
    REGISTRY.inc(
        "nlu_parses_total",
        "Messages parsed, by where: the NLU worker process or this one.",
        where=where,
    )


async def parse_message(
    processor: Any,
    original: Callable[..., Any],
    message: Any,
    tracker: Any = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    """``MessageProcessor.parse_message``, through the worker when there is one."""
    worker = configured_worker()
    text = getattr(message, "text", None)
    if (
        worker is None
        or processor.http_interpreter is not None
        or not only_output_properties
        or not isinstance(text, str)
        or not text
    ):
        return await original(processor, message, tracker, only_output_properties)
    model_id = getattr(processor.model_metadata, "model_id", "")
    parse_data = await worker.parse(text, message.message_id, model_id)
    if parse_data is None:
        count("here")
        return await original(processor, message, tracker, only_output_properties)
    count("worker")
    processor._update_full_retrieval_intent(parse_data)
    processor._check_for_unseen_features(parse_data)
    return parse_data
