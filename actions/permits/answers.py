"""A catalogue entry turned into the values of a permit answer, in the reply language.

The answer must read well where there is no markup at all (WeChat and Telegram show
plain text; web chat shows the same), so lists become "• " lines and links are
written out. A city's catalogue may leave a field out or give it in one language
only; the resident is then told the catalogue does not say, never shown "None", and
where to ask instead: ``contact``, the catalogue's hotline and portal or the city's
(``{"hotline": …, "portal": …}``, from ``actions.permits.questions.contact_values``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from actions.catalogue import ENGLISH, phrase
from actions.clients.permits import PermitService
from bot.language.mixed_script import mixed_pattern

#: Questions about a permit type, by intent.
ASPECTS: dict[str, str] = {
    "permit_requirements": "requirements",
    "permit_fee": "fee",
    "permit_processing_time": "processing_time",
    "permit_apply": "apply",
}
#: Longest list shown in one message; a catalogue with more points to the portal.
MAX_ITEMS = 12
#: Longest button title; longer names are shortened (see ``short_name``).
MAX_BUTTON_CHARS = 32
BULLET = "• "


def _lang(language: str | None) -> str:
    return ENGLISH if language == ENGLISH else "zh"


def localised(value: Any, language: str | None) -> Any:
    """``{"zh": …, "en": …}`` → the reply language's value (the other one if it is missing)."""
    if isinstance(value, Mapping):
        lang = _lang(language)
        other = "zh" if lang == ENGLISH else ENGLISH
        return value.get(lang) or value.get(other)
    return value


def text_of(value: Any, language: str | None) -> str:
    """A catalogue field as one line of text ("" when absent)."""
    value = localised(value, language)
    if value is None:
        return ""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return (
            "；".join(str(v) for v in value)
            if _lang(language) != ENGLISH
            else "; ".join(str(v) for v in value)
        )
    return str(value).strip()


def bullets(value: Any, language: str | None, contact: Mapping[str, str]) -> str:
    """A catalogue list as "• " lines; a single text becomes one line."""
    value = localised(value, language)
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, Sequence):
        items = [str(v).strip() for v in value if str(v).strip()]
    else:
        items = []
    if not items:
        return BULLET + phrase("permit.not_stated", language, **contact)
    shown = [BULLET + item for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        more = phrase("permit.more_items", language, count=len(items) - MAX_ITEMS, **contact)
        shown.append(BULLET + more)
    return "\n".join(shown)


def name_of(service: PermitService, language: str | None) -> str:
    return str(localised(service.name, language) or service.permit_type.replace("_", " "))


def short_name(service: PermitService, language: str | None) -> str:
    """A name that fits on a button: the part before a bracket, else the first alias.

    "营业执照（商事主体登记）" → "营业执照"; "Exit-Entry Permit for Travelling to and from
    Hong Kong and Macao, and endorsements" → its first English alias.
    """
    head = re.split(r"\s*[（(]", name_of(service, language), maxsplit=1)[0].strip()
    if head and len(head) <= MAX_BUTTON_CHARS:
        return head
    aliases = service.raw.get("aliases")
    listed = localised(aliases, language) if isinstance(aliases, Mapping) else None
    if isinstance(listed, list) and listed and len(str(listed[0])) <= MAX_BUTTON_CHARS:
        return str(listed[0])
    full = head or name_of(service, language)
    return full if len(full) <= MAX_BUTTON_CHARS else full[: MAX_BUTTON_CHARS - 1] + "…"


def _or_not_stated(text: str, language: str | None, contact: Mapping[str, str]) -> str:
    return text or phrase("permit.not_stated", language, **contact)


def requirements(
    service: PermitService, language: str | None, contact: Mapping[str, str]
) -> dict[str, str]:
    regulation = text_of(service.raw.get("regulation"), language)
    return {
        "name": name_of(service, language),
        "eligibility": bullets(service.raw.get("eligibility"), language, contact),
        "documents": bullets(service.raw.get("documents"), language, contact),
        "regulation": _or_not_stated(regulation, language, contact),
    }


def fee(service: PermitService, language: str | None, contact: Mapping[str, str]) -> dict[str, str]:
    raw = service.raw.get("fee")
    described = text_of(raw, language)
    amount = raw.get("amount_cny") if isinstance(raw, Mapping) else None
    if not described and isinstance(amount, (int, float)):
        described = (
            phrase("permit.free", language)
            if amount == 0
            else phrase("permit.amount", language, amount=f"{amount:g}")
        )
    regulation = text_of(service.raw.get("regulation"), language)
    return {
        "name": name_of(service, language),
        "fee": _or_not_stated(described, language, contact),
        "regulation": _or_not_stated(regulation, language, contact),
    }


def processing_time(
    service: PermitService, language: str | None, contact: Mapping[str, str]
) -> dict[str, str]:
    raw = service.raw.get("processing_time")
    described = text_of(raw, language)
    days = raw.get("working_days") if isinstance(raw, Mapping) else None
    if not described and isinstance(days, int):
        described = phrase("permit.working_days", language, days=days)
    return {
        "name": name_of(service, language),
        "processing_time": _or_not_stated(described, language, contact),
    }


#: Words that state a validity ("护照有效期：…", "valid for 10 years"), not "a valid ID card".
_VALIDITY_WORDS = mixed_pattern(
    r"有效期|有效\d|\d\s*年有效|\bvalid (?:for|until)\b|\bvalidity\b|\b(?:is|are) valid\b", re.I
)
_SENTENCES = re.compile(r"[^。；;.!?！？]+[。；;.!?！？]?")


def validity(
    service: PermitService, language: str | None, contact: Mapping[str, str]
) -> dict[str, str]:
    """How long the permit is valid: the catalogue's ``validity``, else what its notes,
    conditions or documents say of it ("护照有效期：未满16周岁的为5年…")."""
    stated = text_of(service.raw.get("validity"), language)
    if not stated:
        found: list[str] = []
        for field in ("note", "eligibility", "documents", "processing_time"):
            for text in _all_texts(localised(service.raw.get(field), language)):
                for sentence in _SENTENCES.findall(text):
                    if _VALIDITY_WORDS.search(sentence) and sentence.strip() not in found:
                        found.append(sentence.strip())
        stated = "\n".join(found[:3])
    return {
        "name": name_of(service, language),
        "validity": _or_not_stated(stated, language, contact),
    }


def _all_texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [str(item) for item in value if isinstance(item, str)]
    return []


def apply(
    service: PermitService, language: str | None, contact: Mapping[str, str]
) -> dict[str, str]:
    raw = service.raw.get("apply")
    apply_info: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    online = apply_info.get("online")
    online_info: Mapping[str, Any] = online if isinstance(online, Mapping) else {}
    if online_info.get("available"):
        line = text_of(online_info, language) or phrase("permit.online_available", language)
        url = str(online_info.get("url") or "").strip()
        online_text = f"{line} {url}".strip()
    else:
        online_text = phrase("permit.online_unavailable", language)
    offices = apply_info.get("offices")
    office_lines = [
        office_line(office, language)
        for office in (offices if isinstance(offices, Sequence) else [])[:MAX_ITEMS]
        if isinstance(office, Mapping)
    ]
    return {
        "name": name_of(service, language),
        "online": online_text,
        "offices": "\n".join(office_lines)
        or BULLET + phrase("permit.not_stated", language, **contact),
        "authority": _or_not_stated(
            text_of(service.raw.get("authority"), language), language, contact
        ),
    }


def office_line(office: Mapping[str, Any], language: str | None) -> str:
    """ "• Name: address (hours)" with whatever parts the catalogue gives."""
    name = text_of(office.get("name"), language)
    address = text_of(office.get("address"), language)
    hours = text_of(office.get("hours"), language)
    colon = ": " if _lang(language) == ENGLISH else "："
    line = BULLET + name if name else BULLET.rstrip()
    if address:
        line += f"{colon}{address}" if name else f" {address}"
    if hours:
        line += f" ({hours})" if _lang(language) == ENGLISH else f"（{hours}）"
    return line


#: The response that frames each kind of answer (domain.yml).
RESPONSES = {
    "requirements": "utter_permit_requirements",
    "fee": "utter_permit_fee",
    "processing_time": "utter_permit_processing_time",
    "apply": "utter_permit_apply",
    "validity": "utter_permit_validity",
}

RENDERERS: dict[str, Callable[[PermitService, str | None, Mapping[str, str]], dict[str, str]]] = {
    "requirements": requirements,
    "fee": fee,
    "processing_time": processing_time,
    "apply": apply,
    "validity": validity,
}


def answer_values(
    aspect: str, service: PermitService, language: str | None, contact: Mapping[str, str]
) -> dict[str, str]:
    """The values for ``utter_permit_<aspect>``."""
    return RENDERERS[aspect](service, language, contact)
