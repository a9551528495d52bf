"""The action server: rasa_sdk's own, which also loads the transit timetable at start-up.

``rasa run actions`` would load the GTFS feed on the first transit question, making that
resident wait for a download and parse (seconds for a big city). Here the load starts
as the server starts, in the background: the server answers health checks at once, and
a transit question that arrives before the load has finished waits for that same load
rather than starting another. A failed load is logged and retried on the next question
(see :meth:`actions.city.CityServices.transit_feed`).

Run with ``python -m actions.server --port 5055``; ``scripts/run_stack.py`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.constants import DEFAULT_SERVER_PORT
from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic

from actions.city import city_services

logger = logging.getLogger(__name__)


async def preload_transit_feed() -> None:
    """Load the timetable once; failures are logged, never fatal to the server."""
    started = asyncio.get_running_loop().time()
    try:
        feed = await city_services().transit_feed()
    except Exception as error:  # noqa: BLE001 - any failure: log, retry on first question
        logger.warning("transit feed not loaded at start-up (will retry on use): %s", error)
        return
    elapsed = asyncio.get_running_loop().time() - started
    logger.info(
        "transit feed loaded: %d stops, %d trips in %.1f s",
        len(feed.stops),
        len(feed.trips),
        elapsed,
    )


def build_app(package: str = "actions") -> Sanic:
    """rasa_sdk's action app with the start-up load attached."""
    app = create_app(package, cors_origins=None)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)

    @app.listener("before_server_start")
    async def start_loading(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        asyncio.get_running_loop().create_task(preload_transit_feed())

    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_SERVER_PORT)
    parser.add_argument("--actions", default="actions", help="package holding the actions")
    parser.add_argument("--loglevel", default=os.environ.get("LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    build_app(args.actions).run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
