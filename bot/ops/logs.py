"""Structured (JSON) logs, one object per line, with the conversation they belong to.

Turned on by ``LOG_FORMAT=json`` (production); `make run` keeps readable text.
The conversation id comes from a context variable that the request middleware
of each process sets (``conversation``), so every line logged while a message
is handled carries it, whichever library logged it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os
import sys
from typing import Any, Dict

conversation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "conversation", default=None
)
_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "conversation_id", "process", …}``."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: Dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        current = conversation.get()
        if current:
            entry["conversation_id"] = current
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
                )
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(service: str, environ: Dict[str, str] | None = None) -> bool:
    """Switch the root logger to JSON lines when LOG_FORMAT=json; whether it did."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get("LOG_FORMAT", "").lower() != "json":
        return False
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(environ.get("LOG_LEVEL", "INFO").upper())
    for name in ("sanic.access", "sanic.root", "sanic.error", "rasa", "rasa_sdk"):
        named = logging.getLogger(name)
        named.handlers[:] = []
        named.propagate = True
    return True
