"""Which permit the resident means: the NLU entity, the catalogue's own names, or context.

The NLU model knows the permit types it was trained on; a city's catalogue may hold
others, or add one tomorrow. So the resident's words are also matched against the
names (and optional ``aliases``) the catalogue gives for each type, which makes a new
type recognisable the day it is published. When nothing matches but the message
clearly names *some* permit ("驾照", "a work visa"), that is worth saying: "the
city's catalogue has nothing on that" is a better answer than "which permit?".

All functions here are pure: the caller passes the catalogue it fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from actions.clients.permits import PermitService
from bot.language.script import to_simplified

#: A name shorter than this is not looked for inside a message ("证" would match everything).
MIN_NAME_CHARS = 2
#: The longest permit phrase quoted back to the resident.
MAX_ASKED_CHARS = 30

#: Words that name a permit in general rather than one permit: alone they say nothing.
GENERIC_NAMES = frozenset(
    {
        "证",
        "证件",
        "证明",
        "证照",
        "执照",
        "许可",
        "许可证",
        "牌照",
        "permit",
        "permits",
        "licence",
        "license",
        "licences",
        "licenses",
        "certificate",
        "card",
        "pass",
        "document",
        "documents",
    }
)

# A Chinese permit noun ends in one of these; up to four characters come before it.
_ZH_PERMIT = re.compile(r"([\u4e00-\u9fff]{0,4}?)(证明|证|执照|照|许可证|许可|签证)")
# Characters of the question around a permit's name, never part of it: the name
# starts after the last of them ("我想办驾照" → 驾照, "需要什么证件" → 证件).
_ZH_BOUNDARY = frozenset(
    "我你您想要办理申请问怎么如何去哪里在个的那这给帮查下张本新补换领续考拿带提供准备需什么些啥多少几呢吗"
)
_EN_PERMIT = re.compile(
    r"((?:[a-z][a-z'-]*\s+){0,3}?(?:licen[cs]e|permit|certificate|visa|card|registration|pass))\b"
)
_EN_LEADING = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "for",
        "get",
        "getting",
        "to",
        "apply",
        "renew",
        "new",
        "about",
        "of",
        "is",
        "need",
        "what",
        "how",
        "much",
        "long",
        "does",
        "do",
        "i",
        "can",
        "where",
        "and",
        "or",
        "with",
        "on",
        "in",
        "which",
        "this",
        "that",
        "these",
        "any",
        "some",
        "kind",
        "type",
        "sort",
    }
)


class Found(Enum):
    KNOWN = "known"
    #: The message names a permit the catalogue does not have.
    NOT_IN_CATALOGUE = "not_in_catalogue"
    NONE = "none"


@dataclass(frozen=True)
class PermitChoice:
    """The outcome of reading a message for a permit type."""

    found: Found
    service: PermitService | None = None
    #: What the resident called it, for "I have nothing on “…”".
    asked: str = ""


def normalise(text: str) -> str:
    """Simplified, lower case, single spaces: how names and messages are compared."""
    return " ".join(to_simplified(text).casefold().split())


def names(service: PermitService) -> list[str]:
    """Every name the catalogue gives a type, in both languages, plus its id words."""
    found: list[str] = []
    for value in (*service.name.values(), *_aliases(service)):
        text = normalise(value)
        if text:
            found.append(text)
            # "营业执照（商事主体登记）": the part before the bracket is what people say.
            head = re.split(r"[（(]", text, maxsplit=1)[0].strip()
            if head and head != text:
                found.append(head)
    found.append(service.permit_type.replace("_", " "))
    return found


def _aliases(service: PermitService) -> Iterable[str]:
    aliases = service.raw.get("aliases")
    if isinstance(aliases, dict):
        for values in aliases.values():
            if isinstance(values, list):
                yield from (str(v) for v in values)
    elif isinstance(aliases, list):
        yield from (str(v) for v in aliases)


def find_in_text(text: str, services: Sequence[PermitService]) -> PermitService | None:
    """The catalogue type whose longest name occurs in ``text`` (None when none does)."""
    message = normalise(text)
    best: tuple[int, PermitService] | None = None
    for service in services:
        for name in names(service):
            if len(name) < MIN_NAME_CHARS or name in GENERIC_NAMES:
                continue
            if _contains(message, name) and (best is None or len(name) > best[0]):
                best = (len(name), service)
    return best[1] if best else None


def _contains(message: str, name: str) -> bool:
    """``name`` in ``message``; Latin names must match whole words ("pass" is not in "passport")."""
    if re.search(r"[a-z0-9]", name):
        return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", message) is not None
    return name in message


def by_id(permit_type: str | None, services: Sequence[PermitService]) -> PermitService | None:
    if not permit_type:
        return None
    return next((s for s in services if s.permit_type == permit_type), None)


def permit_phrase(text: str) -> str | None:
    """A permit the message names, whatever it is ("驾照", "work visa"), or None.

    Used only after the catalogue has been searched, to tell "a permit you don't
    have" from "no permit named at all".
    """
    simplified = to_simplified(text)
    for match in _ZH_PERMIT.finditer(simplified):
        before, noun = match.group(1), match.group(2)
        cut = max((i + 1 for i, char in enumerate(before) if char in _ZH_BOUNDARY), default=0)
        phrase = before[cut:] + noun
        if phrase not in GENERIC_NAMES and len(phrase) >= MIN_NAME_CHARS:
            start = match.end() - len(phrase)
            return text[start : match.end()][:MAX_ASKED_CHARS]
    lowered = text.casefold()
    for match in _EN_PERMIT.finditer(lowered):
        words = match.group(1).split()
        while words and words[0] in _EN_LEADING:
            words.pop(0)
        phrase = " ".join(words)
        if phrase and phrase not in GENERIC_NAMES:
            # Quote the resident's own spelling ("ID card", not "id card").
            pattern = r"\s+".join(re.escape(word) for word in words)
            original = re.search(pattern, text, re.IGNORECASE)
            return (original.group(0) if original else phrase)[:MAX_ASKED_CHARS]
    return None


@dataclass(frozen=True)
class Mention:
    """A ``permit_type`` entity: its value (a catalogue id after synonyms) and the words used."""

    value: str
    words: str = ""


def choose(
    mentions: Sequence[Mention],
    text: str,
    services: Sequence[PermitService],
    remembered: str | None = None,
) -> PermitChoice:
    """The permit type a message is about.

    In order: an NLU entity that is a catalogue id; an entity or the message naming
    a catalogue type by name; a permit the message names that the catalogue lacks;
    the type remembered from earlier in the conversation; nothing.
    """
    for mention in mentions:
        service = (
            by_id(mention.value, services)
            or find_in_text(mention.words, services)
            or find_in_text(mention.value, services)
        )
        if service is not None:
            return PermitChoice(Found.KNOWN, service)
    service = find_in_text(text, services)
    if service is not None:
        return PermitChoice(Found.KNOWN, service)
    unmatched = [
        m.words or m.value for m in mentions if normalise(m.words or m.value) not in GENERIC_NAMES
    ]
    named = permit_phrase(text)
    if named or unmatched:
        asked = named or unmatched[0]
        return PermitChoice(Found.NOT_IN_CATALOGUE, asked=asked[:MAX_ASKED_CHARS])
    service = by_id(remembered, services)
    if service is not None:
        return PermitChoice(Found.KNOWN, service)
    return PermitChoice(Found.NONE)
