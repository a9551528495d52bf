"""A console database (SQLite file, migrated) with a tracker store beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine

from bot.console.database import connect, migrate


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[Engine]:
    """One SQLite file holding Rasa's events and the console's tables, as in `make run`."""
    engine = connect(f"sqlite:///{tmp_path / 'conversations.db'}")
    migrate(engine)
    yield engine
    engine.dispose()
