"""Rasa's SQL tracker store, checking each pooled connection before use.

Rasa creates its engine without ``pool_pre_ping``: after PostgreSQL restarts (an
upgrade, a fail-over to the standby), every connection in the pool is dead and the
next message on each fails before SQLAlchemy notices. With the ping, a dead
connection is replaced before the query, so a database restart costs residents
only the seconds the database is really down (docs/faults.md).

Configured in ``endpoints.prod.yml``
(``tracker_store: type: bot.tracker_store.ResilientSQLTrackerStore``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class ResilientSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose engine pings connections before handing them out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("password") == "":
            kwargs["password"] = None  # trust authentication: no password at all
        super().__init__(*args, **kwargs)
        url = self.engine.url  # type: ignore[has-type]
        self.engine.dispose()  # type: ignore[has-type]
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
