"""Parses of texts already seen, so that a text residents repeat is not parsed again.

Why: parsing is the largest share of a Rasa server's CPU per message (~45 %, DIET most
of it: ``benchmarks/profile_turn.py``), and residents repeat one another: greetings,
thanks, yes and no, "人工", "末班车几点", the short answers the forms ask for. A parse
depends on the text alone — no component of the pipeline reads the tracker or the
message's metadata (``bot/nlu_worker.py`` relies on the same), langdetect is seeded and
DIET predicts without dropout — so the parse of a text seen before is the parse it
would get again (tests/integration/test_speedups_model.py compares them).

What is kept, and what is not (personal data only where it must be):

* the key is a keyed hash of the model id and the text (BLAKE2b with a key drawn when
  the process starts), never the text itself;
* the parse without its ``text``, which is put back from the message on a hit;
* nothing for a text longer than :attr:`ParseCache.max_characters` (long messages are
  one-offs that describe a resident's own case), for a text that starts with ``/``
  (an intent payload, parsed without the model anyway), or for a parse with an entity
  outside :data:`PUBLIC_ENTITIES` (a ticket or application number is a resident's case);
* at most ``size`` parses, the least recently used dropped first; in this process's
  memory only, gone at restart. A new model has a new id, so its parses never meet the
  old model's.

Configured by ``CITY_NLU_CACHE_SIZE`` (parses kept; ``0`` turns the cache off).
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.ops.metrics import REGISTRY

logger = logging.getLogger(__name__)

SIZE_VARIABLE = "CITY_NLU_CACHE_SIZE"
DEFAULT_SIZE = 4096
#: Entity types whose values are public words (a permit, a stop, a problem's kind), not
#: a resident's own case; a parse with any other entity is not kept.
PUBLIC_ENTITIES = frozenset(
    {
        "language",
        "permit_type",
        "complaint_category",
        "stop",
        "route",
        "complaint_field",
        "workflow_state",
    }
)

Parse = dict[str, Any]
Parser = Callable[[], Awaitable[Parse]]


class ParseCache:
    """Parses by keyed hash of (model id, text), least recently used first out."""

    #: Texts longer than this are parsed every time: they are almost never repeated word
    #: for word, and the likeliest to describe a resident's own case.
    max_characters = 120

    def __init__(self, size: int = DEFAULT_SIZE, key: bytes | None = None) -> None:
        self.size = max(0, int(size))
        self._key = key if key is not None else secrets.token_bytes(32)
        self._parses: OrderedDict[bytes, Parse] = OrderedDict()

    def __len__(self) -> int:
        return len(self._parses)

    def _digest(self, model_id: str, text: str) -> bytes:
        hashed = hashlib.blake2b(key=self._key, digest_size=16)
        hashed.update(model_id.encode("utf-8"))
        hashed.update(b"\0")
        hashed.update(text.encode("utf-8"))
        return hashed.digest()

    def worth_keeping(self, text: str) -> bool:
        """Whether ``text`` may have its parse kept at all (before parsing it)."""
        return 0 < len(text) <= self.max_characters and not text.startswith("/")

    def get(self, model_id: str, text: str) -> Parse | None:
        """A copy of the parse kept for ``text``, with the text put back, or None."""
        if not self.size or not self.worth_keeping(text):
            return None
        digest = self._digest(model_id, text)
        kept = self._parses.get(digest)
        if kept is None:
            return None
        self._parses.move_to_end(digest)
        parse = copy.deepcopy(kept)
        parse["text"] = text
        return parse

    def put(self, model_id: str, text: str, parse: Mapping[str, Any]) -> bool:
        """Keep a copy of ``parse`` of ``text`` if it holds nothing of a resident's case."""
        if not self.size or not self.worth_keeping(text) or parse.get("text") != text:
            return False
        entities = parse.get("entities") or []
        if any(entity.get("entity") not in PUBLIC_ENTITIES for entity in entities):
            return False
        kept = copy.deepcopy({key: value for key, value in parse.items() if key != "text"})
        digest = self._digest(model_id, text)
        self._parses[digest] = kept
        self._parses.move_to_end(digest)
        while len(self._parses) > self.size:
            self._parses.popitem(last=False)
        return True


def size_from_environment(environ: Mapping[str, str] = os.environ) -> int:
    """``CITY_NLU_CACHE_SIZE``, or the default when unset or not a whole number."""
    raw = environ.get(SIZE_VARIABLE, "").strip()
    try:
        return max(0, int(raw)) if raw else DEFAULT_SIZE
    except ValueError:
        logger.warning(
            "%s=%r is not a whole number; keeping %d parses", SIZE_VARIABLE, raw, DEFAULT_SIZE
        )
        return DEFAULT_SIZE


_cache: ParseCache | None = None


def process_cache() -> ParseCache:
    """This process's cache, sized from the environment when first used."""
    global _cache
    if _cache is None:
        _cache = ParseCache(size_from_environment())
    return _cache


def use_cache(cache: ParseCache) -> ParseCache:
    """Make ``cache`` this process's cache (``ParseCache(0)``: none); returns the one before.

    For tests and benchmarks that parse the same texts with two models or two ways and
    must see each parsed, not the first one's parse kept."""
    global _cache
    before, _cache = process_cache(), cache
    return before


def count(result: str) -> None:
    REGISTRY.inc(
        "nlu_parse_cache_total",
        "Messages by whether their parse came from the parse cache (hit), was parsed "
        "and kept (miss) or parsed and not kept (not kept).",
        result=result,
    )


async def cached_parse(cache: ParseCache, model_id: str, text: Any, parse: Parser) -> Parse:
    """The kept parse of ``text``, or ``parse()``'s, kept for next time when it may be."""
    if not isinstance(text, str) or not model_id:
        return await parse()
    hit = cache.get(model_id, text)
    if hit is not None:
        count("hit")
        return hit
    parsed = await parse()
    count("miss" if cache.put(model_id, text, parsed) else "not kept")
    return parsed
