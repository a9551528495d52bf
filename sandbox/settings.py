"""The sandbox's one settings object, read from the command line and environment at start-up.

Only :func:`settings_from` looks at arguments and environment variables, and it is handed
both, so the rest of the sandbox receives a finished :class:`SandboxSettings` and never
reads the environment itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DEFAULT_PORT = 8200


@dataclass(frozen=True)
class SandboxSettings:
    """Where the sandbox listens, what it stores in, and the keys it accepts."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    database_url: str = "sqlite:///var/sandbox.db"
    api_key: str = "sandbox-api-key"
    admin_key: str = "sandbox-admin-key"
    timezone: str = "Asia/Shanghai"
    seed: bool = True
    #: ISO 8601 time the transit feeds take as "now" (TRANSIT_NOW, shared with the action
    #: server so a demo or test sees delays and alerts at the time it asks about); "" = clock.
    transit_now: str = ""
    #: Another city's Open311 service list to serve instead of the sample one: a directory
    #: with its ``services.json`` and, for services with metadata, ``services/<code>.json``.
    open311_services: str = ""
    #: What the sandbox's ticket numbers start with (then year and sequence).
    ticket_prefix: str = "SR"
    #: Answer a POST with a ``token`` (exchanged at ``tokens/{token}.json``), as some
    #: cities' servers do, instead of the ticket number.
    open311_tokens: bool = False

    def __post_init__(self) -> None:
        """A ticket format that cannot number a ticket fails at start-up, not on a POST."""
        if "{" in self.ticket_prefix:
            try:
                first = self.ticket_prefix.format(year=2026, yy="26", number=1)
                second = self.ticket_prefix.format(year=2026, yy="26", number=2)
            except (KeyError, IndexError, ValueError) as error:
                raise ValueError(
                    "SANDBOX_TICKET_PREFIX: a ticket format may use {year}, {yy} and "
                    f"{{number}} only, got {self.ticket_prefix!r} ({error})"
                ) from None
            if first == second:
                # "WAW-{year}-" would give every ticket of a year the same number.
                raise ValueError(
                    "SANDBOX_TICKET_PREFIX: a ticket format must say where the number goes "
                    f"({{number}}, e.g. {{number:06d}}), got {self.ticket_prefix!r}"
                )

    def transit_clock(self) -> dt.datetime:
        """Now for the live transit feeds: the pinned time or the real clock, in city time."""
        if not self.transit_now:
            return dt.datetime.now(self.zone)
        text = self.transit_now.strip()
        moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=self.zone)).astimezone(self.zone)

    @property
    def zone(self) -> ZoneInfo:
        """The city's time zone, in which every timestamp the sandbox returns is written."""
        return ZoneInfo(self.timezone)


def settings_from(argv: Sequence[str], environ: Mapping[str, str]) -> SandboxSettings:
    """Settings from command-line arguments, then SANDBOX_* variables, then the defaults."""
    defaults = SandboxSettings()
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="Run the city-services sandbox (Open311, GTFS/GTFS-RT, permits).",
    )
    parser.add_argument("--host", default=defaults.host)
    parser.add_argument("--port", type=int, default=int(environ.get("SANDBOX_PORT", defaults.port)))
    parser.add_argument(
        "--database-url",
        default=environ.get("SANDBOX_DATABASE_URL", defaults.database_url),
        help="any SQLAlchemy URL (default: %(default)s)",
    )
    parser.add_argument(
        "--no-seed", action="store_true", help="do not load the sample complaints and permits"
    )
    args = parser.parse_args(list(argv))
    return SandboxSettings(
        host=args.host,
        port=args.port,
        database_url=args.database_url,
        api_key=environ.get("SANDBOX_API_KEY", defaults.api_key),
        admin_key=environ.get("SANDBOX_ADMIN_KEY", defaults.admin_key),
        seed=not args.no_seed,
        transit_now=environ.get("TRANSIT_NOW", ""),
        open311_services=environ.get("SANDBOX_OPEN311_SERVICES", ""),
        ticket_prefix=environ.get("SANDBOX_TICKET_PREFIX", defaults.ticket_prefix),
        open311_tokens=environ.get("SANDBOX_OPEN311_TOKENS", "").lower() in ("1", "true", "yes"),
    )
