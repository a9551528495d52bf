"""Outages on demand: make one of the city's services slow or down, for fault drills.

``POST /admin/faults`` with the admin key and ``{"service": "open311" | "permits" |
"gtfs" | "gtfs-rt" | "all", "mode": "slow" | "down" | "none", "seconds": 5}``: from
then on, requests to that service wait ``seconds`` before answering (slow) or get
``503`` (down), until the mode is set back to ``none`` (or ``DELETE /admin/faults``).
Real city systems fail like this; the drills in ``benchmarks/faults.py`` check that
the assistant keeps answering and that no complaint is lost or filed twice.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Dict

from sanic import Request, Sanic
from sanic.response import HTTPResponse

from sandbox.admin import require_admin
from sandbox.errors import json_response
from sandbox.settings import SandboxSettings

#: URL prefix of each service (the sandbox's own routes).
PREFIXES: Dict[str, str] = {
    "open311": "/open311/",
    "permits": "/permits/",
    "gtfs": "/gtfs/",
    "gtfs-rt": "/gtfs-rt/",
}
MODES = ("none", "slow", "down")
MAX_SECONDS = 60.0


@dataclass
class Fault:
    mode: str = "none"
    seconds: float = 0.0


def service_of(path: str) -> str | None:
    for service, prefix in PREFIXES.items():
        if path.startswith(prefix):
            return service
    return None


def register(app: Sanic, settings: SandboxSettings) -> None:
    faults: Dict[str, Fault] = {service: Fault() for service in PREFIXES}

    @app.middleware("request")
    async def inject(request: Request) -> HTTPResponse | None:
        service = service_of(request.path)
        if service is None:
            return None
        fault = faults[service]
        if fault.mode == "slow":
            await asyncio.sleep(fault.seconds)
        elif fault.mode == "down":
            return json_response(
                {"error": "service_unavailable", "message": f"{service} is down (fault drill)"},
                status=503,
            )
        return None

    @app.route("/admin/faults", methods=["GET", "POST", "DELETE"])
    async def set_fault(request: Request) -> HTTPResponse:
        require_admin(request, settings)
        if request.method == "DELETE":
            for fault in faults.values():
                fault.mode, fault.seconds = "none", 0.0
        elif request.method == "POST":
            body = request.json if isinstance(request.json, dict) else {}
            service = body.get("service")
            mode = body.get("mode")
            try:
                seconds = float(body.get("seconds", 5))
            except (TypeError, ValueError):
                seconds = -1
            targets = list(PREFIXES) if service == "all" else [str(service)]
            if (
                any(t not in PREFIXES for t in targets)
                or mode not in MODES
                or not 0 <= seconds <= MAX_SECONDS
            ):
                return json_response(
                    {"error": "bad_fault", "message": f"service one of {sorted(PREFIXES)} or all; "
                     f"mode one of {MODES}; seconds 0-{MAX_SECONDS:g}"},
                    status=400,
                )  # fmt: skip
            for target in targets:
                faults[target].mode, faults[target].seconds = str(mode), seconds
        return json_response({name: vars(fault) for name, fault in faults.items()})
