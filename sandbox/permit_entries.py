"""Checking a catalogue entry an operator sends, before the sandbox serves it to residents.

An entry must have the shape of one in ``sandbox/data/permits_catalogue.yml``: the assistant
reads these fields and renders them in both languages, so a fee that is a string or an office
without English hours would reach a resident as a broken answer. Only ``permit_type`` and
``name`` are required; every other known field is checked when present and unknown fields are
refused, so a typo (``fees``) is an error rather than a change that silently does nothing. The
fields ``GET /permits/v1/services/{type}`` adds from the catalogue header are dropped, so an
entry read, edited and sent back is accepted.

Pure functions: they raise :class:`~sandbox.errors.PermitError` and never touch the catalogue.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from sandbox.errors import PermitError
from sandbox.forms import has_control_characters

MAX_ENTRY_BYTES = 64 * 1024
MAX_AMOUNT_CNY = 1_000_000
MAX_WORKING_DAYS = 3650
PERMIT_TYPE = re.compile(r"[a-z_]{1,64}")
LANGUAGES = ("zh", "en")
#: What ``GET services/{type}`` adds to an entry from the catalogue's header.
HEADER_FIELDS = frozenset({"updated", "city", "hotline", "portal", "sample_data"})

Entry = dict[str, Any]


def check_permit_type(permit_type: str) -> str:
    """A permit type as the catalogue names them (``residence_permit``), or a 400."""
    if not PERMIT_TYPE.fullmatch(permit_type):
        raise PermitError(
            400,
            "invalid_permit_type",
            f"{permit_type!r} is not a permit type: use 1 to 64 lower-case letters and "
            "underscores, such as residence_permit.",
            f"“{permit_type}”不是有效的事项代码，应为 1 至 64 位小写字母或下划线，"
            "如 residence_permit。",
        )
    return permit_type


def parse_entry(body: bytes, permit_type: str) -> Entry:
    """The entry to store under ``permit_type`` from a request body, or the error to answer."""
    data = parse_json_object(body)
    for field in HEADER_FIELDS:
        data.pop(field, None)
    given = data.setdefault("permit_type", permit_type)
    if given != permit_type:
        raise PermitError(
            400,
            "permit_type_mismatch",
            f"The body's permit_type {given!r} differs from {permit_type!r} in the address; "
            "leave it out or make them equal.",
            f"请求内容中的 permit_type（{given!r}）与地址中的“{permit_type}”不一致，"
            "请删去该字段或改为一致。",
        )
    return check_entry(data)


def parse_json_object(body: bytes) -> dict[str, Any]:
    """A body of at most 64 KiB holding one JSON object, or a 413 / 400 saying what is wrong."""
    if len(body) > MAX_ENTRY_BYTES:
        raise PermitError(
            413,
            "entry_too_large",
            f"A catalogue entry may be at most {MAX_ENTRY_BYTES // 1024} KiB; "
            f"this body is {len(body)} bytes.",
            f"单个办证事项不得超过 {MAX_ENTRY_BYTES // 1024} KiB，本次请求为 {len(body)} 字节。",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        _unreadable("is not UTF-8", "不是 UTF-8 编码")
    if not text.strip():
        _unreadable("is empty; send one catalogue entry as a JSON object", "为空，请发送 JSON 对象")
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse)
    except _Ambiguous as error:
        _unreadable(error.en, error.zh)
    except (ValueError, RecursionError):
        _unreadable("is not valid JSON", "不是有效的 JSON")
    try:
        # A "\ud800" escape parses to a lone surrogate, which no UTF-8 answer can carry.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        _unreadable("holds a \\u escape that is not a character", "含有无效的 \\u 转义字符")
    if not isinstance(data, dict):
        raise PermitError(
            400,
            "invalid_entry",
            f"The body must be a JSON object (one catalogue entry), not {_kind(data)}.",
            "请求内容应为一个 JSON 对象（一个办证事项）。",
        )
    return data


def check_entry(data: Mapping[str, Any]) -> Entry:
    """``data`` if it has the shape of a catalogue entry, fields in the catalogue's order."""
    _check_fields(data, "entry", required={"permit_type", "name"}, optional=set(_FIELDS))
    return {field: check(data[field], field) for field, check in _FIELDS.items() if field in data}


# --------------------------------------------------------------------------- field checkers


class _Ambiguous(ValueError):
    """JSON that parses, but not to one meaning (a repeated key) or not to JSON (NaN)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) < len(pairs):
        counts = Counter(key for key, _ in pairs)
        repeated = sorted(key for key, count in counts.items() if count > 1)
        names = ", ".join(map(repr, repeated))
        raise _Ambiguous(f"repeats the field(s) {names}", f"重复了字段 {names}")
    return data


def _refuse(constant: str) -> NoReturn:
    raise _Ambiguous(
        f"holds {constant}, which JSON does not allow", f"含有 JSON 不允许的数值 {constant}"
    )


def _unreadable(why_en: str, why_zh: str) -> NoReturn:
    raise PermitError(400, "invalid_json", f"The request body {why_en}.", f"请求内容{why_zh}。")


def _invalid(path: str, en: str, zh: str) -> PermitError:
    return PermitError(400, "invalid_entry", f"{path} {en}.", f"{path} {zh}。")


def _kind(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _check_fields(value: Any, path: str, *, required: set[str], optional: set[str]) -> None:
    if not isinstance(value, dict):
        raise _invalid(path, f"must be an object, not {_kind(value)}", "应为 JSON 对象")
    missing = sorted(required - value.keys())
    if missing:
        raise _invalid(path, f"needs {', '.join(missing)}", f"缺少 {', '.join(missing)}")
    unknown = sorted(value.keys() - required - optional)
    if unknown:
        known = ", ".join(sorted(required | optional))
        raise _invalid(
            path,
            f"has unknown field(s) {', '.join(unknown)}; the fields are {known}",
            f"含有未知字段 {', '.join(unknown)}，可用字段为 {known}",
        )


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _invalid(path, f"must be a string, not {_kind(value)}", "应为字符串")
    if not value.strip():
        raise _invalid(path, "may not be empty", "不能为空")
    if has_control_characters(value):
        raise _invalid(path, "may not contain control characters", "不能含有控制字符")
    return value


def _permit_type(value: Any, path: str) -> str:
    return check_permit_type(_text(value, path))


def _bilingual(value: Any, path: str) -> dict[str, str]:
    _check_fields(value, path, required=set(LANGUAGES), optional=set())
    return {language: _text(value[language], f"{path}.{language}") for language in LANGUAGES}


def _text_list(value: Any, path: str) -> list[str]:
    if not isinstance(value, list):
        raise _invalid(path, f"must be an array of strings, not {_kind(value)}", "应为字符串数组")
    return [_text(item, f"{path}[{index}]") for index, item in enumerate(value)]


def _bilingual_list(value: Any, path: str) -> dict[str, list[str]]:
    _check_fields(value, path, required=set(LANGUAGES), optional=set())
    lists = {language: _text_list(value[language], f"{path}.{language}") for language in LANGUAGES}
    if len(lists["zh"]) != len(lists["en"]):
        raise _invalid(
            path,
            "must list the same items in zh and en, in the same order",
            "的 zh 与 en 应逐条对应，条数相同",
        )
    return lists


def _amount(value: Any, path: str, *, limit: int, whole: bool) -> int | float | None:
    if value is None:
        return None
    number_type = int if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, number_type) or not math.isfinite(value):
        kind = "a whole number" if whole else "a number"
        raise _invalid(path, f"must be {kind} or null", "应为数字或 null")
    if not 0 <= value <= limit:
        raise _invalid(path, f"must be between 0 and {limit}", f"应在 0 至 {limit} 之间")
    return value


def _words(value: Any, path: str) -> dict[str, list[str]]:
    """Words residents use, per language: ``aliases`` (other names for the permit) and
    ``keywords`` (what it is for). Either language may be left out, and the lists need not
    match (unlike ``documents``): they are not translations of each other."""
    _check_fields(value, path, required=set(), optional=set(LANGUAGES))
    return {
        language: _text_list(value[language], f"{path}.{language}")
        for language in LANGUAGES
        if language in value
    }


def _fee(value: Any, path: str) -> Entry:
    _check_fields(value, path, required={"amount_cny", *LANGUAGES}, optional=set())
    amount = _amount(value["amount_cny"], f"{path}.amount_cny", limit=MAX_AMOUNT_CNY, whole=False)
    return {"amount_cny": amount, **_bilingual(_only(value, LANGUAGES), path)}


def _processing_time(value: Any, path: str) -> Entry:
    _check_fields(value, path, required={"working_days", *LANGUAGES}, optional=set())
    days = _amount(
        value["working_days"], f"{path}.working_days", limit=MAX_WORKING_DAYS, whole=True
    )
    return {"working_days": days, **_bilingual(_only(value, LANGUAGES), path)}


def _url(value: Any, path: str) -> str:
    text = _text(value, path)
    if not re.fullmatch(r"https?://[^\s]+", text):
        raise _invalid(
            path, "must be an http:// or https:// address", "应为 http:// 或 https:// 网址"
        )
    return text


def _online(value: Any, path: str) -> Entry:
    _check_fields(value, path, required={"available", *LANGUAGES}, optional={"url"})
    if not isinstance(value["available"], bool):
        raise _invalid(f"{path}.available", "must be true or false", "应为 true 或 false")
    online: Entry = {"available": value["available"], **_bilingual(_only(value, LANGUAGES), path)}
    if "url" in value:
        online["url"] = _url(value["url"], f"{path}.url")
    return online


def _office(value: Any, path: str) -> Entry:
    parts = ("name", "address", "hours")
    _check_fields(value, path, required=set(parts), optional=set())
    return {part: _bilingual(value[part], f"{path}.{part}") for part in parts}


def _apply(value: Any, path: str) -> Entry:
    _check_fields(value, path, required=set(), optional={"online", "offices"})
    apply: Entry = {}
    if "online" in value:
        apply["online"] = _online(value["online"], f"{path}.online")
    if "offices" in value:
        offices = value["offices"]
        if not isinstance(offices, list):
            raise _invalid(f"{path}.offices", "must be an array of offices", "应为办理地点数组")
        apply["offices"] = [
            _office(office, f"{path}.offices[{index}]") for index, office in enumerate(offices)
        ]
    return apply


def _only(value: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: value[key] for key in keys}


#: The fields of an entry, in the catalogue's order, with the check each must pass.
_FIELDS: dict[str, Callable[[Any, str], Any]] = {
    "permit_type": _permit_type,
    "name": _bilingual,
    "aliases": _words,
    "keywords": _words,
    "authority": _bilingual,
    "regulation": _bilingual,
    "eligibility": _bilingual_list,
    "documents": _bilingual_list,
    "fee": _fee,
    "processing_time": _processing_time,
    "apply": _apply,
    "next_steps_hint": _bilingual,
    "note": _bilingual,
    "sources": _text_list,
}
