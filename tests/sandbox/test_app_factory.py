"""create_app can be called repeatedly: unique app names, seeding once, errors without internals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sanic.exceptions import NotFound, PayloadTooLarge
from sqlalchemy import func, select

from sandbox.app import create_app
from sandbox.errors import error_for
from sandbox.settings import SandboxSettings, settings_from
from sandbox.storage import permit_applications, service_requests


def count(settings: SandboxSettings, table: object) -> int:
    app = create_app(settings)
    with app.ctx.engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(table)).scalar_one()
    app.ctx.engine.dispose()
    return int(total)


def test_each_app_gets_its_own_name(tmp_path: Path) -> None:
    settings = SandboxSettings(database_url=f"sqlite:///{tmp_path / 'a.db'}", seed=False)
    first, second = create_app(settings), create_app(settings)
    assert first.name != second.name
    first.ctx.engine.dispose()
    second.ctx.engine.dispose()


def test_seeding_twice_adds_the_samples_once(tmp_path: Path) -> None:
    settings = SandboxSettings(database_url=f"sqlite:///{tmp_path / 'seed.db'}")
    assert count(settings, service_requests) == count(settings, service_requests) == 13
    assert count(settings, permit_applications) == 12


def test_an_in_memory_database_works_too() -> None:
    assert count(SandboxSettings(database_url="sqlite://"), service_requests) == 13


def test_unexpected_errors_become_a_spec_500_without_internals() -> None:
    error = error_for("/open311/v2/requests.json", RuntimeError("password=hunter2 in /srv/db"))
    assert error.status == 500
    assert error.body() == [
        {"code": 500, "description": "Internal error; the request was not completed."}
    ]


@pytest.mark.parametrize(
    ("path", "exception", "body"),
    [
        (
            "/open311/v2/x",
            NotFound("x"),
            [{"code": 404, "description": "There is nothing at this address."}],
        ),
        (
            "/open311/v2/requests.json",
            PayloadTooLarge("big"),
            [{"code": 413, "description": "The request body is larger than 1 MiB."}],
        ),
        (
            "/gtfs-rt/nothing",
            NotFound("x"),
            {"error": {"code": "http_404", "message": "There is nothing at this address."}},
        ),
    ],
)
def test_framework_errors_take_the_shape_of_the_api_they_hit(
    path: str, exception: Exception, body: object
) -> None:
    assert error_for(path, exception).body() == body


def test_settings_come_from_arguments_then_environment_then_defaults() -> None:
    settings = settings_from(
        ["--port", "9000"],
        {"SANDBOX_PORT": "9100", "SANDBOX_API_KEY": "k", "SANDBOX_DATABASE_URL": "sqlite://"},
    )
    assert (settings.port, settings.api_key, settings.database_url) == (9000, "k", "sqlite://")
    assert settings_from([], {}) == SandboxSettings()
