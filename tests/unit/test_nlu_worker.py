"""bot.nlu_worker: messages parsed in the worker process when it answers well, here otherwise."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from bot import nlu_worker
from bot.nlu_worker import NLUWorker, usable_parse

MODEL = "20261203-model"
TEXT = "福田站下一班地铁几点"


def parse_of(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": "transit_next_departure", "confidence": 0.97},
        "entities": [{"entity": "stop", "value": "福田", "start": 0, "end": 2}],
        "intent_ranking": [{"name": "transit_next_departure", "confidence": 0.97}],
    }


class FakeWorker:
    """A worker process seen through HTTP: its model, its answers, how often it was asked."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self.parses = 0
        self.statuses = 0
        self.answer: Any = None  # None: a correct parse of the text
        self.down = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        assert request.url.params["token"] == "secret"
        if request.url.path == "/status":
            self.statuses += 1
            return httpx.Response(200, json={"model_id": self.model})
        self.parses += 1
        body = json.loads(request.content)
        if isinstance(self.answer, httpx.Response):
            return self.answer
        return httpx.Response(200, json=self.answer or parse_of(body["text"]))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client(fake: FakeWorker, clock: Clock | None = None) -> NLUWorker:
    return NLUWorker(
        "http://127.0.0.1:9/", "secret", transport=httpx.MockTransport(fake), clock=clock or Clock()
    )


async def test_a_worker_running_the_same_model_parses_the_message() -> None:
    fake = FakeWorker()
    assert await client(fake).parse(TEXT, "m1", MODEL) == parse_of(TEXT)
    assert fake.parses == 1


async def test_the_model_is_checked_once_not_per_message() -> None:
    fake, worker = FakeWorker(), None
    worker = client(fake)
    for _ in range(3):
        await worker.parse(TEXT, None, MODEL)
    assert (fake.statuses, fake.parses) == (1, 3)


async def test_a_worker_running_another_model_is_not_used() -> None:
    fake = FakeWorker(model="an-older-model")
    assert await client(fake).parse(TEXT, None, MODEL) is None
    assert fake.parses == 0


async def test_an_unreachable_worker_is_left_alone_for_a_while_then_tried_again() -> None:
    fake, clock = FakeWorker(), Clock()
    worker = client(fake, clock)
    fake.down = True
    assert await worker.parse(TEXT, None, MODEL) is None
    fake.down = False
    assert await worker.parse(TEXT, None, MODEL) is None  # not asked: still resting
    assert fake.parses == 0
    clock.now += NLUWorker.retry_after
    assert await worker.parse(TEXT, None, MODEL) == parse_of(TEXT)


async def test_a_worker_restarted_with_another_model_is_noticed_after_a_failure() -> None:
    fake, clock = FakeWorker(), Clock()
    worker = client(fake, clock)
    assert await worker.parse(TEXT, None, MODEL) is not None
    fake.down = True
    assert await worker.parse(TEXT, None, MODEL) is None
    fake.down, fake.model = False, "a-newer-model"
    clock.now += NLUWorker.retry_after
    assert await worker.parse(TEXT, None, MODEL) is None
    assert fake.statuses == 2


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, text="Internal Server Error"),
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json=["not", "a", "parse"]),
        httpx.Response(200, json={"text": "another message", "intent": {}, "entities": []}),
        httpx.Response(200, json={"text": TEXT, "intent": "greet", "entities": []}),
    ],
    ids=["server error", "not json", "a list", "another text", "intent not an object"],
)
async def test_an_answer_that_is_not_a_parse_of_the_message_is_not_used(
    answer: httpx.Response,
) -> None:
    fake = FakeWorker()
    fake.answer = answer
    assert await client(fake).parse(TEXT, None, MODEL) is None


def test_a_parse_needs_the_same_text_an_intent_and_a_list_of_entities() -> None:
    assert usable_parse(parse_of(TEXT), TEXT)
    assert not usable_parse(parse_of(TEXT), TEXT + "?")
    assert not usable_parse({**parse_of(TEXT), "entities": "福田"}, TEXT)
    assert not usable_parse({**parse_of(TEXT), "intent": {"confidence": "high"}}, TEXT)


# -- MessageProcessor.parse_message, through the worker or here ---------------------------


class Processor:
    """What parse_message needs of Rasa's MessageProcessor."""

    def __init__(self) -> None:
        self.http_interpreter = None
        self.model_metadata = SimpleNamespace(model_id=MODEL)
        self.local_parses: list[str] = []
        self.checked: list[dict] = []

    def _update_full_retrieval_intent(self, parse_data: dict) -> None:
        parse_data.setdefault("checked_retrieval", True)

    def _check_for_unseen_features(self, parse_data: dict) -> None:
        self.checked.append(parse_data)


async def original(processor: Processor, message: Any, tracker: Any, only: bool) -> dict:
    processor.local_parses.append(message.text)
    return {"text": message.text, "intent": {"name": "local", "confidence": 1.0}, "entities": []}


def message(text: Any) -> Any:
    return SimpleNamespace(text=text, message_id="m1")


@pytest.fixture()
def worker(monkeypatch: pytest.MonkeyPatch) -> FakeWorker:
    fake = FakeWorker()
    monkeypatch.setattr(nlu_worker, "configured_worker", lambda: client(fake))
    return fake


async def test_with_a_worker_the_message_is_not_parsed_here(worker: FakeWorker) -> None:
    processor = Processor()
    parsed = await nlu_worker.parse_message(processor, original, message(TEXT))
    assert parsed["intent"]["name"] == "transit_next_departure"
    assert processor.local_parses == []
    # Rasa's own after-parse steps still run on the worker's answer.
    assert parsed["checked_retrieval"] and processor.checked == [parsed]


async def test_when_the_worker_fails_the_message_is_parsed_here(worker: FakeWorker) -> None:
    worker.down = True
    processor = Processor()
    parsed = await nlu_worker.parse_message(processor, original, message(TEXT))
    assert parsed["intent"]["name"] == "local"
    assert processor.local_parses == [TEXT]


@pytest.mark.parametrize("text", [None, ""])
async def test_a_message_without_text_is_parsed_here(worker: FakeWorker, text: Any) -> None:
    processor = Processor()
    await nlu_worker.parse_message(processor, original, message(text))
    assert worker.parses == 0 and processor.local_parses == [text]


async def test_without_a_configured_worker_every_message_is_parsed_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(nlu_worker.URL_VARIABLE, raising=False)
    processor = Processor()
    await nlu_worker.parse_message(processor, original, message(TEXT))
    assert processor.local_parses == [TEXT]


def test_the_worker_is_configured_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(nlu_worker.URL_VARIABLE, "http://127.0.0.1:6006")
    monkeypatch.setenv(nlu_worker.TOKEN_VARIABLE, "t")
    configured = nlu_worker.configured_worker()
    assert configured is not None and configured.url == "http://127.0.0.1:6006"
    assert nlu_worker.configured_worker() is configured  # one client, kept


def test_the_launcher_and_the_client_name_the_same_variables() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "run_stack.py"
    spec = importlib.util.spec_from_file_location("run_stack", path)
    assert spec is not None and spec.loader is not None
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    assert launcher.NLU_WORKER_URL_VARIABLE == nlu_worker.URL_VARIABLE
    assert launcher.NLU_WORKER_TOKEN_VARIABLE == nlu_worker.TOKEN_VARIABLE


async def test_rasa_s_message_processor_parses_through_the_worker(worker: FakeWorker) -> None:
    from rasa.core.processor import MessageProcessor

    import bot  # noqa: F401  (installs the speed fixes)

    processor = Processor()
    parsed = await MessageProcessor.parse_message(processor, message(TEXT))  # type: ignore[arg-type]
    assert parsed["intent"]["name"] == "transit_next_departure"
    assert worker.parses == 1
