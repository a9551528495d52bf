"""The OpenAPI document describes every route the sandbox serves, and is served itself."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import yaml
from sanic import Sanic

from sandbox.app import OPENAPI, create_app
from sandbox.settings import SandboxSettings

# Sanic cannot put a parameter and a suffix in one segment, so "/services/{code}.json" is
# served by "/services/<file_name>"; a segment with any parameter matches any such segment.
_PARAMETER = re.compile(r"<[^>]+>|\{[^}]+\}")


def route_shape(path: str) -> str:
    segments = path.strip("/").split("/")
    return "/" + "/".join("*" if _PARAMETER.search(s) else s for s in segments)


def registered_routes(app: Sanic) -> set[tuple[str, str]]:
    return {
        (route_shape(route.path), method.lower())
        for route in app.router.routes
        for method in route.methods
        if method not in {"HEAD", "OPTIONS"}
    }


def documented_routes(document: dict) -> set[tuple[str, str]]:
    return {
        (route_shape(path), method)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_registered_route_is_documented(tmp_path: Path) -> None:
    settings = SandboxSettings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", seed=False)
    app = create_app(settings)
    app.router.finalize()
    app.ctx.engine.dispose()
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))

    missing = registered_routes(app) - documented_routes(document)
    stale = documented_routes(document) - registered_routes(app)

    assert missing == set(), f"routes missing from sandbox/openapi.yml: {sorted(missing)}"
    assert stale == set(), f"documented routes the app does not serve: {sorted(stale)}"


def test_the_document_is_served_as_json_and_yaml(http: httpx.Client) -> None:
    as_json = http.get("/openapi.json")
    as_yaml = http.get("/openapi.yml")

    assert as_json.status_code == as_yaml.status_code == 200
    assert as_json.json()["openapi"].startswith("3.0")
    assert yaml.safe_load(as_yaml.text) == as_json.json()


def test_health_says_ok(http: httpx.Client) -> None:
    assert http.get("/health").json() == {"status": "ok"}
