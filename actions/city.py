"""The city's services as the actions use them: one set of clients per process.

Settings are read once, here at the edge (``endpoints.yml`` in the working
directory and ``CITY_*`` variables), and passed down to the clients; actions
ask for :func:`city_services` and never read configuration themselves. Who the
city is (``city:``: its hotline, ticket and phone formats) comes with them.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from actions.clients.assistant import AssistantClient
from actions.clients.gtfs import TransitFeed, load_feed
from actions.clients.gtfs_realtime import GtfsRealtimeClient
from actions.clients.open311 import Open311Client
from actions.clients.permits import PermitsClient
from actions.complaint_watch import ComplaintWatch
from actions.complaints_outbox import ComplaintOutbox
from actions.settings import CityServicesSettings
from actions.storage import engine_for
from actions.ticket_lookups import TicketLookups
from bot.city_identity import CityIdentity, load_identity
from bot.speedups import freeze_loaded_objects

logger = logging.getLogger(__name__)


def _freeze_when_loaded(task: asyncio.Task[TransitFeed]) -> None:
    if not task.cancelled() and task.exception() is None:
        freeze_loaded_objects()


@dataclass(frozen=True)
class CityServices:
    """Clients for every city service, built from one settings object."""

    settings: CityServicesSettings
    open311: Open311Client
    permits: PermitsClient
    realtime: GtfsRealtimeClient
    outbox: ComplaintOutbox
    watch: ComplaintWatch
    assistant: AssistantClient
    #: Look-ups of tickets a conversation did not file (the daily limit's memory).
    lookups: TicketLookups
    #: The city's name, hotline and number formats (the ``city:`` section).
    identity: CityIdentity = field(default_factory=CityIdentity)
    _feed: dict[str, asyncio.Task[TransitFeed]] = field(default_factory=dict, repr=False)

    async def transit_feed(self) -> TransitFeed:
        """The static timetable, loaded once per process on first use (then shared).

        A failed load is not kept, so the next transit question tries again. A loaded
        timetable is frozen out of the garbage collector's full passes: a big city's
        feed is millions of Python objects, alive for the process's life, which every
        full collection would otherwise walk with the server stopped.
        """
        task = self._feed.get("feed")
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            load = load_feed(self.settings.gtfs_feed, walk_radius_m=self.settings.walk_radius_m())
            task = asyncio.get_running_loop().create_task(load)
            task.add_done_callback(_freeze_when_loaded)
            self._feed["feed"] = task
        return await asyncio.shield(task)

    def loaded_feed(self) -> TransitFeed | None:
        """The timetable if it has finished loading, else None; never starts or waits for a load."""
        task = self._feed.get("feed")
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    @classmethod
    def from_settings(
        cls, settings: CityServicesSettings, identity: CityIdentity | None = None
    ) -> CityServices:
        # One engine (one connection pool) for the action server's own tables.
        own_tables = engine_for(settings.outbox_database_url)
        identity = identity or CityIdentity()
        return cls(
            settings=settings,
            open311=Open311Client(settings),
            permits=PermitsClient(settings, city_names=(identity.name_en, identity.name_zh)),
            realtime=GtfsRealtimeClient(settings),
            outbox=ComplaintOutbox(own_tables),
            watch=ComplaintWatch(own_tables),
            assistant=AssistantClient(settings),
            lookups=TicketLookups(own_tables),
            identity=identity,
        )


def load_settings() -> CityServicesSettings:
    """Settings of this process: ``endpoints.yml`` (or $CITY_ENDPOINTS) plus the environment."""
    endpoints = Path(os.environ.get("CITY_ENDPOINTS", "endpoints.yml"))
    return CityServicesSettings.load(endpoints, os.environ)


def load_city_identity() -> CityIdentity:
    """Who the city is, from the same file and environment (Rasa's NLG reads the same)."""
    identity = load_identity(os.environ)
    kept = identity.kept_from_shenzhen()
    if kept:
        logger.warning(
            "city %s still has Shenzhen's wording for: %s (city: in endpoints.yml)",
            identity.name_en,
            ", ".join(kept),
        )
    return identity


@lru_cache(maxsize=1)
def city_services() -> CityServices:
    """The process-wide services (created on first use)."""
    return CityServices.from_settings(load_settings(), load_city_identity())
