"""A text residents repeat is parsed once (bot/parse_cache.py), keeping nothing of their cases."""

from __future__ import annotations

import asyncio
import pickle

from bot.parse_cache import ParseCache, cached_parse, size_from_environment

MODEL = "model-1"


def parse_of(text: str, *entities: dict) -> dict:
    return {
        "text": text,
        "intent": {"name": "greet", "confidence": 0.98},
        "entities": list(entities),
        "intent_ranking": [{"name": "greet", "confidence": 0.98}],
        "language": {"code": "zh"},
    }


def run_cached(cache: ParseCache, text: str, parse: dict, model: str = MODEL) -> tuple[dict, int]:
    """The parse ``cached_parse`` hands back, and how often it had to parse."""
    calls = []

    async def parser() -> dict:
        calls.append(text)
        return parse

    return asyncio.run(cached_parse(cache, model, text, parser)), len(calls)


def test_a_repeated_text_is_parsed_once_and_gets_the_same_parse() -> None:
    cache = ParseCache()
    first, parsed_first = run_cached(cache, "你好", parse_of("你好"))
    again, parsed_again = run_cached(cache, "你好", parse_of("something else entirely"))
    assert (parsed_first, parsed_again) == (1, 0)
    assert again == first == parse_of("你好")


def test_another_model_never_gets_the_parse_of_the_one_before() -> None:
    cache = ParseCache()
    run_cached(cache, "你好", parse_of("你好"))
    _, parsed = run_cached(cache, "你好", parse_of("你好"), model="model-2")
    assert parsed == 1


def test_a_hit_is_a_copy_that_the_conversation_may_change() -> None:
    cache = ParseCache()
    run_cached(cache, "末班车几点", parse_of("末班车几点"))
    hit, _ = run_cached(cache, "末班车几点", parse_of("末班车几点"))
    hit["intent"]["name"] = "changed by a policy"
    hit["entities"].append({"entity": "stop", "value": "x"})
    again, _ = run_cached(cache, "末班车几点", parse_of("末班车几点"))
    assert again == parse_of("末班车几点")


def test_the_text_itself_is_never_kept() -> None:
    cache = ParseCache()
    text = "my name is Wang Xiaoming, 13800138000"
    run_cached(cache, text, parse_of(text))
    memory = pickle.dumps(cache._parses)
    assert b"Wang" not in memory and b"13800138000" not in memory
    assert len(cache) == 1


def test_a_parse_with_a_resident_s_case_in_it_is_not_kept() -> None:
    cache = ParseCache()
    ticket = {"entity": "ticket_id", "value": "SR20260318", "start": 3, "end": 13}
    run_cached(cache, "查一下SR20260318", parse_of("查一下SR20260318", ticket))
    unknown = {"entity": "something_new", "value": "x", "start": 0, "end": 1}
    run_cached(cache, "x", parse_of("x", unknown))
    assert len(cache) == 0
    stop = {"entity": "stop", "value": "福田", "start": 0, "end": 2}
    run_cached(cache, "福田站末班车", parse_of("福田站末班车", stop))
    assert len(cache) == 1


def test_long_texts_and_intent_payloads_are_parsed_every_time() -> None:
    cache = ParseCache()
    long_text = "楼下的烧烤店" * 30
    run_cached(cache, long_text, parse_of(long_text))
    _, parsed = run_cached(cache, long_text, parse_of(long_text))
    run_cached(cache, "/affirm", parse_of("/affirm"))
    assert parsed == 1 and len(cache) == 0


def test_a_parse_of_another_text_is_not_kept_under_this_one() -> None:
    cache = ParseCache()
    run_cached(cache, "你好", parse_of("您好"))
    assert len(cache) == 0


def test_the_least_recently_used_parse_goes_first_when_full() -> None:
    cache = ParseCache(size=2)
    for text in ("a", "b"):
        run_cached(cache, text, parse_of(text))
    run_cached(cache, "a", parse_of("a"))  # "a" used again: "b" is now the oldest
    run_cached(cache, "c", parse_of("c"))
    assert [run_cached(cache, t, parse_of(t))[1] for t in ("a", "c", "b")] == [0, 0, 1]
    assert len(cache) == 2


def test_size_zero_turns_the_cache_off() -> None:
    cache = ParseCache(size=0)
    run_cached(cache, "你好", parse_of("你好"))
    _, parsed = run_cached(cache, "你好", parse_of("你好"))
    assert parsed == 1 and len(cache) == 0


def test_the_size_comes_from_the_environment() -> None:
    assert size_from_environment({}) == 4096
    assert size_from_environment({"CITY_NLU_CACHE_SIZE": "0"}) == 0
    assert size_from_environment({"CITY_NLU_CACHE_SIZE": "100"}) == 100
    assert size_from_environment({"CITY_NLU_CACHE_SIZE": "lots"}) == 4096
