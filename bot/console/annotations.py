"""Rasa's entity markup, both ways: ``[福田](stop)`` ↔ text plus entity spans.

Reviewers correct entities by editing the message in this markup (the form is
prefilled with what the NLU found); the plain text must stay the resident's
own words, so only the annotation can change.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Sequence, Tuple

_MARKUP = re.compile(r"\[(?P<words>[^\[\]]+)\](?:\((?P<entity>[^()]+)\)|(?P<json>\{[^{}]*\}))")
_ENTITY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class MarkupError(ValueError):
    """Annotated text that cannot be read, or that changes the message's words."""


def annotate(text: str, entities: Sequence[Mapping[str, Any]]) -> str:
    """``text`` with Rasa's entity markup: ``[福田](stop)``, roles as ``{"entity", "role"}``."""
    spans = sorted((e for e in entities if _valid_span(text, e)), key=lambda e: int(e["start"]))
    result, position = [], 0
    for entity in spans:
        start, end = int(entity["start"]), int(entity["end"])
        if start < position:
            continue  # overlapping spans cannot both be marked up
        result.append(text[position:start])
        words = text[start:end]
        if entity.get("role"):
            label = json.dumps(
                {"entity": entity["entity"], "role": entity["role"]}, ensure_ascii=False
            )
            result.append(f"[{words}]{label}")
        else:
            result.append(f"[{words}]({entity['entity']})")
        position = end
    result.append(text[position:])
    return "".join(result)


def _valid_span(text: str, entity: Mapping[str, Any]) -> bool:
    try:
        start, end = int(entity["start"]), int(entity["end"])
    except (KeyError, TypeError, ValueError):
        return False
    return 0 <= start < end <= len(text) and bool(str(entity.get("entity") or "").strip())


def parse_annotated(annotated: str) -> Tuple[str, List[Dict[str, Any]]]:
    """Plain text and entity spans from ``[words](entity)`` / ``[words]{"entity", "role"}``."""
    text_parts: List[str] = []
    entities: List[Dict[str, Any]] = []
    position = 0
    length = 0
    for match in _MARKUP.finditer(annotated):
        before = annotated[position : match.start()]
        text_parts.append(before)
        length += len(before)
        words = match.group("words")
        entity: Dict[str, Any]
        if match.group("entity") is not None:
            entity = {"entity": match.group("entity").strip()}
        else:
            try:
                label = json.loads(match.group("json"))
            except json.JSONDecodeError:
                raise MarkupError(f"Unreadable entity label: {match.group('json')}") from None
            if not isinstance(label, dict) or "entity" not in label:
                raise MarkupError('An entity label needs an "entity" name.')
            entity = {"entity": str(label["entity"])}
            if label.get("role"):
                entity["role"] = str(label["role"])
        if not _ENTITY_NAME.match(entity["entity"]):
            raise MarkupError(f"Not an entity name: {entity['entity']!r}")
        entity.update(start=length, end=length + len(words), value=words)
        entities.append(entity)
        text_parts.append(words)
        length += len(words)
        position = match.end()
    text_parts.append(annotated[position:])
    return "".join(text_parts), entities


def check_same_words(original: str, annotated: str) -> List[Dict[str, Any]]:
    """The entities of ``annotated``, if its plain text is exactly ``original``."""
    text, entities = parse_annotated(annotated)
    if text != original:
        raise MarkupError("Only the [markup] may change: the message's words must stay as written.")
    return entities


def entity_spans(entities: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The parts of NLU entities a correction keeps (no extractor, no confidence)."""
    kept = []
    for entity in entities:
        span = {
            key: entity[key]
            for key in ("entity", "start", "end", "value", "role")
            if entity.get(key) is not None
        }
        kept.append(span)
    return kept
