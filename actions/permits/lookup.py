"""Finding entries in a permits catalogue of any size: by name, alias, keyword, or close.

A real city's catalogue lists thousands of service items (i深圳 lists over 8,000), so
a message is not compared with every name in turn. An index over the names, aliases
and keywords of every entry (``bot.matching``) gives the few entries that share
anything with the message; among those, a name written out in the message wins
outright ("我想办社保卡" names 社保卡), and otherwise the ranking decides: one entry
clearly ahead is taken, a close call becomes a shortlist the resident picks from.
Typos ("bussiness licence") and pinyin homophones (社保咔) are forgiven by the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from actions.clients.permits import PermitService
from bot.matching.features import features, fold, plain_words
from bot.matching.index import Entry, ListIndex

NAME_WEIGHT = 1.0
ALIAS_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.8
#: Scores below this are not a match at all; a match at or above CONFIDENT with a clear
#: lead over the runner-up is taken without asking.
MIN_SCORE = 2.2
CONFIDENT_SCORE = 4.0
CLEAR_LEAD = 0.7
MAX_SHORTLIST = 5
SHORTLIST_SHARE = 0.5
#: A name shorter than this is not looked for inside a message ("证" would match everything).
MIN_NAME_CHARS = 2
#: A keyword this long (folded characters) that only one entry has names it when written
#: out whole ("孩子上小学": the Year 1 place, not the junior-high one sharing "学位申请").
MIN_NAMING_KEYWORD_CHARS = 4
#: How many cached indexes to keep (one per catalogue version seen recently).
CACHED = 4


def _bilingual(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        for items in value.values():
            if isinstance(items, list):
                yield from (str(v) for v in items)
            elif isinstance(items, str):
                yield items
    elif isinstance(value, list):
        yield from (str(v) for v in value)


def names_of(service: PermitService) -> list[str]:
    """Every name a resident may write for an entry: its names, the part before a
    bracket ("营业执照（商事主体登记）" → 营业执照) and its aliases, folded."""
    found: list[str] = []
    for value in (*service.name.values(), *_bilingual(service.raw.get("aliases"))):
        text = " ".join(fold(value).split())
        if not text:
            continue
        found.append(text)
        head = re.split(r"[（(]", text, maxsplit=1)[0].strip()
        if head and head != text:
            found.append(head)
    return found


def keywords_of(service: PermitService) -> list[str]:
    return [k for k in _bilingual(service.raw.get("keywords")) if k.strip()]


_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def _spaced(text: str) -> str:
    """Words between single spaces, with a space at each end: whole-word search by ``in``."""
    return f" {_NOT_WORD.sub(' ', text).strip()} "


def _contains(message: str, spaced_message: str, name: str) -> bool:
    """``name`` in ``message``; Latin names must match whole words ("pass" is not in "passport")."""
    if re.search(r"[a-z0-9]", name):
        return _spaced(name) in spaced_message
    return name in message


@dataclass(frozen=True)
class Lookup:
    """What a message says about the catalogue: a named entry, a ranking, or nothing."""

    named: PermitService | None
    ranked: tuple[tuple[PermitService, float], ...]

    @property
    def confident(self) -> PermitService | None:
        """The entry to answer about without asking, if there is one.

        A name written out wins, unless another entry fits the rest of the message much
        better: in "newborn hukou" the alias "hukou" names the general entry, but the
        newborn one covers both words.
        """
        if not self.ranked:
            return self.named
        top = self.ranked[0][1]
        if self.named is not None:
            named_score = next((score for s, score in self.ranked if s is self.named), 0.0)
            return self.named if named_score >= top * CLEAR_LEAD else None
        runner_up = self.ranked[1][1] if len(self.ranked) > 1 else 0.0
        if top >= CONFIDENT_SCORE and runner_up < top * CLEAR_LEAD:
            return self.ranked[0][0]
        return None

    @property
    def leader(self) -> PermitService | None:
        """The entry the ranking puts clearly ahead, whatever name is written out."""
        if not self.ranked:
            return None
        top = self.ranked[0][1]
        runner_up = self.ranked[1][1] if len(self.ranked) > 1 else 0.0
        if top >= CONFIDENT_SCORE and runner_up < top * CLEAR_LEAD:
            return self.ranked[0][0]
        return None

    @property
    def shortlist(self) -> list[PermitService]:
        """The entries worth offering as buttons when none is clear (best first)."""
        if not self.ranked:
            return [self.named] if self.named is not None else []
        top = self.ranked[0][1]
        close = [s for s, score in self.ranked if score >= top * SHORTLIST_SHARE][:MAX_SHORTLIST]
        if self.named is not None and self.named not in close:
            close = [*close[: MAX_SHORTLIST - 1], self.named]
        return close


class PermitIndex:
    """The index of one catalogue (build once per catalogue version: :func:`index_for`)."""

    def __init__(self, services: Sequence[PermitService], generic: frozenset[str]) -> None:
        self.services = tuple(services)
        self._generic = generic
        self._names = [names_of(service) for service in self.services]
        entries = [
            Entry(
                service.permit_type,
                (
                    *((name, NAME_WEIGHT) for name in names),
                    (service.permit_type.replace("_", " "), ALIAS_WEIGHT),
                    *((keyword, KEYWORD_WEIGHT) for keyword in keywords_of(service)),
                ),
            )
            for service, names in zip(self.services, self._names, strict=True)
        ]
        self.index = ListIndex(entries)
        owners: dict[str, set[int]] = {}
        for position, service in enumerate(self.services):
            for keyword in keywords_of(service):
                folded = " ".join(fold(keyword).split())
                if len(folded) >= MIN_NAMING_KEYWORD_CHARS:
                    owners.setdefault(folded, set()).add(position)
        #: Per entry, its long keywords no other entry has.
        self._naming_keywords: list[list[str]] = [[] for _ in self.services]
        for keyword, positions in owners.items():
            if len(positions) == 1:
                self._naming_keywords[next(iter(positions))].append(keyword)

    def lookup(self, text: str) -> Lookup:
        """Rank the catalogue for ``text`` and find a name written out in it."""
        message = " ".join(fold(text).split())
        resolved = self.index.resolve(features(message), plain_words(message))
        scores = self.index.scores(resolved)
        ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
        named: tuple[int, PermitService] | None = None
        spaced = _spaced(message)
        for position, _ in ranked[:50]:
            for name in self._names[position]:
                if len(name) < MIN_NAME_CHARS or name in self._generic:
                    continue
                if _contains(message, spaced, name) and (named is None or len(name) > named[0]):
                    named = (len(name), self.services[position])
        if named is None:
            named = self._keyword_named(message, spaced, [p for p, _ in ranked[:50]])
        kept = tuple(
            (self.services[position], score) for position, score in ranked if score >= MIN_SCORE
        )
        return Lookup(named[1] if named else None, kept[:20])

    def _keyword_named(
        self, message: str, spaced: str, ranked: Sequence[int]
    ) -> tuple[int, PermitService] | None:
        """The entry whose own long keyword the message writes out whole, if one does."""
        found: tuple[int, PermitService] | None = None
        for position in ranked:
            for keyword in self._naming_keywords[position]:
                if _contains(message, spaced, keyword) and (
                    found is None or len(keyword) > found[0]
                ):
                    found = (len(keyword), self.services[position])
        return found


_CACHE: list[tuple[Sequence[PermitService], PermitIndex]] = []


def index_for(services: Sequence[PermitService], generic: frozenset[str]) -> PermitIndex:
    """The index of a catalogue, reused while the client hands out the same catalogue."""
    for cached_services, index in _CACHE:
        if cached_services is services:
            return index
    index = PermitIndex(services, generic)
    _CACHE.insert(0, (services, index))
    del _CACHE[CACHED:]
    return index
