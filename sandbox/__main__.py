"""``python -m sandbox [--host --port --database-url --no-seed]``: run the sandbox city.

One worker, no access log. Prints ``sandbox ready on http://host:port`` once it accepts
requests, which is what scripts and tests wait for.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from sanic import Sanic

from sandbox.app import create_app
from sandbox.settings import settings_from


def main(argv: Sequence[str] | None = None) -> None:
    settings = settings_from(sys.argv[1:] if argv is None else argv, os.environ)
    app = create_app(settings)

    @app.after_server_start
    async def announce(app: Sanic, _loop: object) -> None:
        print(f"sandbox ready on http://{settings.host}:{settings.port}", flush=True)

    app.run(
        host=settings.host,
        port=settings.port,
        workers=1,
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
