"""The REST channel's token for benchmarks that talk to a running stack.

``make run`` and ``make prod-local`` keep the integrators' token in ``var/rest-token``
(or take ``$REST_CHANNEL_TOKEN``); the channel answers nobody without it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rest_headers() -> dict[str, str]:
    """``Authorization: Bearer <token>`` for ``POST /webhooks/rest/webhook``."""
    token = os.environ.get("REST_CHANNEL_TOKEN", "")
    path = ROOT / "var" / "rest-token"
    if not token and path.exists():
        token = path.read_text(encoding="utf-8").strip()
    if not token:
        raise SystemExit(
            "no REST channel token: start the stack (make run) first, or set REST_CHANNEL_TOKEN"
        )
    return {"Authorization": f"Bearer {token}"}
