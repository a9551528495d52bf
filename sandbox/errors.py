"""Errors the sandbox returns, in the shape each protocol prescribes, and JSON responses.

Open311 errors are ``[{"code": 400, "description": "..."}]``; the permits API answers
``{"error": {"code", "message_en", "message_zh"}}``. Handlers raise :class:`Open311Error` or
:class:`PermitError`; :func:`install_error_handler` turns those, Sanic's own errors (404, 405,
413) and anything unexpected into a response of the right shape, so a client never sees a
traceback or an HTML page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.log import error_logger
from sanic.response import HTTPResponse

#: The permits API and its admin routes answer errors in the permits shape.
PERMITS_PREFIXES = ("/permits/", "/admin/permits/")
#: Transit routes answer errors as ``{"error": {"code", "message"}}`` (see sandbox.transit).
TRANSIT_PREFIXES = ("/gtfs/", "/gtfs-rt/", "/admin/transit/")

#: Descriptions for errors Sanic raises before a handler runs.
_GENERIC = {
    400: ("The request could not be read.", "无法解析该请求。"),
    404: ("There is nothing at this address.", "该地址不存在。"),
    405: ("This method is not allowed here.", "该地址不支持此请求方法。"),
    413: ("The request body is larger than 1 MiB.", "请求内容超过 1 MiB。"),
    500: ("Internal error; the request was not completed.", "服务器内部错误，请求未完成。"),
}

_HEADERS_TOO_LARGE = (
    "The request line and headers are too large (is the URL very long?).",
    "请求行或请求头过大（网址是否过长？）。",
)


def _jsonable(value: Any) -> Any:
    # YAML content (the permits catalogue) may hold dates; they are sent as ISO 8601.
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> HTTPResponse:
    """JSON with Chinese written as characters, not ``\\u`` escapes."""
    return HTTPResponse(
        json.dumps(data, ensure_ascii=False, default=_jsonable),
        status=status,
        headers=dict(headers or {}),
        content_type="application/json; charset=utf-8",
    )


class ApiError(Exception):
    """An error with the HTTP status to answer; subclasses decide the body's shape."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description

    def body(self) -> Any:
        raise NotImplementedError


class Open311Error(ApiError):
    """An Open311 GeoReport v2 error: a one-element array of code and description."""

    def body(self) -> Any:
        return [{"code": self.status, "description": self.description}]


class PermitError(ApiError):
    """A permits API error, in both languages, with a stable machine-readable code."""

    def __init__(self, status: int, code: str, message_en: str, message_zh: str) -> None:
        super().__init__(status, message_en)
        self.code = code
        self.message_zh = message_zh

    def body(self) -> Any:
        return {
            "error": {
                "code": self.code,
                "message_en": self.description,
                "message_zh": self.message_zh,
            },
            "sample_data": True,
        }


class PlainError(ApiError):
    """An error of the transit API: one code and an English message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status, message)
        self.code = code

    def body(self) -> Any:
        return {"error": {"code": self.code, "message": self.description}}


def _status_of(exception: BaseException) -> int:
    if isinstance(exception, SanicException):
        return int(exception.status_code or 500)
    return 500


def error_for(path: str, exception: BaseException) -> ApiError:
    """The protocol-shaped error for an exception raised while serving ``path``."""
    if isinstance(exception, ApiError):
        return exception
    status = _status_of(exception)
    english, chinese = _GENERIC.get(status, _GENERIC[500 if status >= 500 else 400])
    if status == 413 and "header" in str(exception).lower():
        english, chinese = _HEADERS_TOO_LARGE
    code = "internal_error" if status >= 500 else f"http_{status}"
    if path.startswith(PERMITS_PREFIXES):
        return PermitError(status, code, english, chinese)
    if path.startswith(TRANSIT_PREFIXES):
        return PlainError(status, code, english)
    return Open311Error(status, english)


def install_error_handler(app: Sanic) -> None:
    """Answer every error on ``app`` in its protocol's shape; log, never show, internals."""

    async def handle(request: Request, exception: BaseException) -> HTTPResponse:
        path = request.path if request.method != "NONE" else "/"
        error = error_for(path, exception)
        if error.status >= 500:
            error_logger.error("unexpected error serving %s", path, exc_info=exception)
        return json_response(error.body(), status=error.status)

    app.exception(Exception)(handle)
