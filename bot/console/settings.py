"""The console's settings: ``endpoints.yml`` (``tracker_store``, ``console``), then the environment.

By default the console reads conversations from the tracker store Rasa writes
to (``endpoints.yml``) and keeps its own tables in the same database, so
`make run` needs nothing more. A city's production set-up points both at
PostgreSQL through the environment (``CONSOLE_TRACKER_URL``,
``CONSOLE_DATABASE_URL``); secrets never go in the repository.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[2]
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class ConsoleSettings:
    """Everything the console needs to know, each with a working default."""

    tracker_url: str = f"sqlite:///{ROOT / 'var' / 'conversations.db'}"
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8300
    #: A message whose intent confidence is below this counts as "low confidence".
    low_confidence: float = 0.6
    #: Conversations whose last message is older than this are deleted by `retention`.
    retention_days: int = 180
    session_hours: float = 8.0
    #: Send the session cookie over HTTPS only. Off for http://127.0.0.1 in `make run`.
    secure_cookies: bool = False
    #: Where staff open a complaint ticket; "{ticket}" is replaced by its number.
    ticket_url: str = ""
    #: Where staff open a permit application; "{application}" is replaced by its number.
    application_url: str = ""
    login_attempts_per_15_minutes: int = 5
    unmask_minutes: int = 15

    @property
    def console_database_url(self) -> str:
        return self.database_url or self.tracker_url


def tracker_store_url(config: Mapping[str, Any]) -> str | None:
    """The SQLAlchemy URL of a Rasa ``tracker_store: {type: SQL, …}`` section (or of
    ``bot.tracker_store.ResilientSQLTrackerStore``, which takes the same keys)."""
    kind = str(config.get("type", "")).lower()
    if kind != "sql" and not kind.endswith("sqltrackerstore"):
        return None
    dialect = str(config.get("dialect", "sqlite"))
    database = _expand(config.get("db", "rasa.db"))
    if dialect == "sqlite":
        path = Path(database)
        return f"sqlite:///{path if path.is_absolute() else ROOT / path}"
    drivername = "postgresql+psycopg2" if dialect in ("postgresql", "postgres") else dialect
    port = config.get("port")
    return URL.create(
        drivername,
        username=_expand(config.get("username")) or None,
        password=_expand(config.get("password")) or None,
        host=_expand(config.get("url")) or None,
        port=int(port) if port else None,
        database=database,
    ).render_as_string(hide_password=False)


def load_settings(
    endpoints: Path | None = None, environ: Mapping[str, str] | None = None
) -> ConsoleSettings:
    """Settings from endpoints.yml, overridden by ``CONSOLE_*`` environment variables."""
    environ = os.environ if environ is None else environ
    path = endpoints or ROOT / "endpoints.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    document = document or {}
    section = document.get("console") or {}
    defaults = ConsoleSettings()
    tracker = tracker_store_url(document.get("tracker_store") or {}) or defaults.tracker_url

    def pick(key: str, default: Any) -> Any:
        variable = f"CONSOLE_{key.upper()}"
        if environ.get(variable):
            return environ[variable]
        value = section.get(key)
        return default if value is None else _expand(value)

    return ConsoleSettings(
        tracker_url=str(pick("tracker_url", tracker)),
        database_url=str(pick("database_url", "")),
        host=str(pick("host", defaults.host)),
        port=int(pick("port", defaults.port)),
        low_confidence=float(pick("low_confidence", defaults.low_confidence)),
        retention_days=int(pick("retention_days", defaults.retention_days)),
        session_hours=float(pick("session_hours", defaults.session_hours)),
        secure_cookies=str(pick("secure_cookies", defaults.secure_cookies)).lower()
        in ("1", "true", "yes"),
        ticket_url=str(pick("ticket_url", defaults.ticket_url)),
        application_url=str(pick("application_url", defaults.application_url)),
        login_attempts_per_15_minutes=int(
            pick("login_attempts_per_15_minutes", defaults.login_attempts_per_15_minutes)
        ),
        unmask_minutes=int(pick("unmask_minutes", defaults.unmask_minutes)),
    )


def _expand(value: Any) -> str:
    """``${VAR}`` references replaced from the environment, as Rasa does in endpoints.yml."""
    if value is None:
        return ""
    return _ENV_REFERENCE.sub(lambda m: os.environ.get(m.group(1), ""), str(value))
