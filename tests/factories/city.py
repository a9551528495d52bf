"""A city for action tests: real settings, outbox and watch on SQLite, quick timeouts.

The city's HTTP services are mocked at the transport by each test package (respx);
this builds everything else the actions reach through ``city_services()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.city import CityServices
from actions.clients import http
from actions.settings import CityServicesSettings
from bot.city_identity import CityIdentity

#: Failures should fail fast in unit tests: no retries, short timeouts.
FAST = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=0, backoff_seconds=0)


def city_for_tests(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    section: Mapping[str, Any],
    modules: Iterable[str],
    identity: CityIdentity | None = None,
) -> CityServices:
    """City services configured by ``section`` (and who the city is: Shenzhen unless
    ``identity`` says), handed to the action ``modules`` under test."""
    settings = CityServicesSettings.from_sources(
        {"outbox_database_url": f"sqlite:///{tmp_path}/outbox.db", **section}, {}
    )
    services = CityServices.from_settings(settings, identity)
    for client in (services.open311, services.permits, services.realtime):
        client._policy = FAST  # noqa: SLF001 - keep failure tests quick
    for module in modules:
        monkeypatch.setattr(f"{module}.city_services", lambda: services)
    return services


async def run_action(action: Any, tracker: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The messages one action sends and the slots it sets."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return dispatcher.messages, slots
